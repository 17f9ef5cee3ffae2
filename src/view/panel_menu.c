/*
 * The lesson menu, which is the course: chapter headings in order, each
 * lesson under its heading with its number, id, title, summary and a mark
 * of how far the student got, and under each lesson its challenges with
 * a mark for the ones won. The list scrolls to keep the selected lesson
 * in view, with its chapter's heading when there is room; a notice about
 * the student's progress goes above it.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "view.h"

/* The list's rows on screen: rows first..first + n - 1 of the whole
 * list, drawn from terminal row y. */
struct menu_window {
	struct grid *g; /* NULL: only count the rows */
	const struct rules *r;
	const struct glyphs *gl;
	int top, y, n;
	int right; /* the column after the list's widest row */
};

/* The list is at most this wide, so that a mark stays near its title. */
#define MENU_LIST_W 120

/* The terminal row of list row row, or -1 if it is not shown. */
static int
menu_row_y(const struct menu_window *win, int row)
{
	if (win->g == NULL || row < win->top || row >= win->top + win->n)
		return -1;
	return win->y + row - win->top;
}

/* A lesson's row: number, id and title, highlighted if selected, and its
 * mark at the right. */
static void
menu_draw_lesson(const struct menu_window *win, int y,
    const struct screen_menu_item *it, size_t number, int selected)
{
	struct grid *g = win->g;
	enum role role = selected ? ROLE_TITLE : ROLE_DEFAULT;
	const char *mark = it->done ? win->gl->done
	    : it->started           ? win->gl->started
	                            : NULL;
	char head[256];
	int x, mw = 0;

	if (mark != NULL)
		mw = text_width(mark, strlen(mark)) + 1;
	snprintf(head, sizeof head, " %zu  %-10s %s ", number, it->lesson->id,
	    it->lesson->title);
	if (selected)
		for (x = 2; x < win->right; x++)
			grid_put(g, x, y, ' ', ROLE_TITLE);
	text_print_fit(g, 2, y, win->right - 2 - mw, role, head, win->r);
	if (mark != NULL)
		text_print_fit(g, win->right - mw, y, mw,
		    it->done ? ROLE_LESSON_DONE : role, mark, win->r);
}

/* A challenge's row: its won mark, its title, and the best win's steps. */
static void
menu_draw_challenge(const struct menu_window *win, int y,
    const struct screen_menu_item *it, size_t c)
{
	struct grid *g = win->g;
	int won = it->won != NULL && it->won[c];
	const char *mark = won ? win->gl->won : win->gl->unwon;
	char best[64] = "";
	int x = 7, w;

	x += text_print_fit(g, x, y, win->right - x,
	    won ? ROLE_WON : ROLE_DEFAULT, mark, win->r);
	x++;
	if (won && it->steps != NULL && it->steps[c] > 0)
		snprintf(best, sizeof best, "  best: %ld step%s", it->steps[c],
		    it->steps[c] == 1 ? "" : "s");
	else if (won)
		snprintf(best, sizeof best, "  won");
	w = text_print_fit(g, x, y, win->right - x - (int)strlen(best),
	    ROLE_DEFAULT, it->lesson->challenges[c].title, win->r);
	text_print_fit(
	    g, x + w, y, win->right - x - w, ROLE_LABEL, best, win->r);
}

/* Walk the whole list, drawing the rows in win; returns how many rows it
 * has, and the rows of the selected lesson: from its chapter's heading
 * (*sel_head), or from its own row (*sel_a), to its last challenge
 * (before *sel_b). */
static int
menu_walk(const struct menu_window *win, const struct screen_menu *m,
    int *sel_head, int *sel_a, int *sel_b)
{
	int row = 0, head = 0, y;
	size_t i, c;

	*sel_head = *sel_a = *sel_b = 0;
	for (i = 0; i < m->n; i++) {
		const struct screen_menu_item *it = &m->items[i];
		const struct lesson *l = it->lesson;

		if (i == 0 ||
		    strcmp(it->chapter, m->items[i - 1].chapter) != 0) {
			if (i > 0)
				row++; /* a blank row between chapters */
			head = row;
			if ((y = menu_row_y(win, row)) >= 0)
				text_print_fit(win->g, 2, y, win->right - 2,
				    ROLE_LABEL, it->chapter, win->r);
			row++;
		}
		if (i == m->sel) {
			*sel_head = head;
			*sel_a = row;
		}
		if ((y = menu_row_y(win, row)) >= 0)
			menu_draw_lesson(win, y, it, i + 1, i == m->sel);
		row++;
		if (l->summary != NULL) {
			if ((y = menu_row_y(win, row)) >= 0)
				text_print_fit(win->g, 7, y, win->right - 7,
				    ROLE_DEFAULT, l->summary, win->r);
			row++;
		}
		for (c = 0; c < l->nchallenges; c++) {
			if ((y = menu_row_y(win, row)) >= 0)
				menu_draw_challenge(win, y, it, c);
			row++;
		}
		if (i == m->sel)
			*sel_b = row;
	}
	return row;
}

/* The notice, wrapped to at most 3 rows from row y; returns the rows. */
static int
menu_draw_notice(struct grid *g, int y, const char *notice)
{
	const char *p = notice, *next;
	int n = 0;

	while (*p != '\0' && n < 3) {
		size_t len = text_wrap(p, g->w - 6, &next);

		text_print_n(g, 2, y + n, 2, ROLE_WARNING, "! ", 2);
		text_print_n(g, 4, y + n, g->w - 6, ROLE_WARNING, p, len);
		n++;
		if (next == p)
			break;
		p = next;
	}
	return n;
}

void
screen_draw_menu(struct grid *g, struct screen_menu *m)
{
	const struct glyphs *gl = m->ascii ? &glyphs_ascii : &glyphs_utf8;
	const struct rules *r = text_rules_for(gl);
	struct menu_window win = {NULL, r, gl, 0, 0, 0, 0};
	int x, y = 2, total, sel_head, sel_a, sel_b;

	if (g->w < SCREEN_MIN_W || g->h < SCREEN_MIN_H) {
		screen_draw_too_small(g);
		return;
	}
	for (x = 0; x < g->w; x++)
		grid_put(g, x, 0, ' ', ROLE_TITLE);
	grid_print(g, 1, 0, g->w - 2, ROLE_TITLE,
	    "interleave: watch real threads being scheduled");
	if (m->notice != NULL && m->notice[0] != '\0')
		y += menu_draw_notice(g, y, m->notice) + 1;

	/* the list from row y to the row above the blank one over the keys;
	 * scroll as little as keeps the selected lesson all in view (its
	 * top if it is taller than the window) */
	win.y = y;
	win.right = g->w - 2 < MENU_LIST_W + 2 ? g->w - 2 : MENU_LIST_W + 2;
	win.n = g->h - 2 - y;
	total = menu_walk(&win, m, &sel_head, &sel_a, &sel_b);
	if (sel_b - sel_head <= win.n)
		sel_a =
		    sel_head; /* and its chapter's heading, if there is room */
	if (m->top > total - win.n)
		m->top = total - win.n;
	if (sel_b > m->top + win.n)
		m->top = sel_b - win.n;
	if (sel_a < m->top)
		m->top = sel_a;
	if (m->top < 0)
		m->top = 0;
	win.g = g;
	win.top = m->top;
	menu_walk(&win, m, &sel_head, &sel_a, &sel_b);
	if (m->top > 0)
		text_print_fit(g, win.right, y, 1, ROLE_LABEL, r->up_arrow, r);
	if (m->top + win.n < total)
		text_print_fit(g, win.right, y + win.n - 1, 1, ROLE_LABEL,
		    r->down_arrow, r);

	text_print_fit(g, 1, g->h - 1, g->w - 2, ROLE_LABEL,
	    m->ascii ? "up/down or j k: move   Enter: open   1-9: open that "
	               "lesson   q: quit"
	             : "\xe2\x86\x91\xe2\x86\x93 or j k: move   Enter: open   "
	               "1-9: open that lesson   q: quit",
	    r);
}
