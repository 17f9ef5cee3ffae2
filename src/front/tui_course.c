/*
 * The curses front end's side of the course menu: the lessons in course
 * order (course.c), what the student's progress says of each, for the
 * menu to draw (screen_draw_menu), and the pages seen recorded as they
 * come on screen.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "course.h"
#include "progress.h"
#include "tui_impl.h"
#include "util.h"

struct tui_course {
	struct course_entry *order; /* course place -> lesson index */
	struct screen_menu_item *items;
	int *won; /* every lesson's challenges, one after another */
	long *steps;
	size_t n;
	struct screen_menu menu; /* kept across frames for its scroll */
};

void
tui_course_open(struct tui *ui)
{
	struct lesson *const *ls = ui->args->lessons;
	struct tui_course *c = xcalloc(1, sizeof *c);
	size_t n = ui->args->nlessons, i, nch = 0;
	int *own = xcalloc(n + 1, sizeof *own);

	for (i = 0; i < n; i++) {
		enum paths_origin o = catalog_origin(ls[i]->path);

		own[i] = o == PATHS_USER || o == PATHS_ARGUMENT;
		nch += ls[i]->nchallenges;
	}
	c->n = n;
	c->order = xcalloc(n + 1, sizeof *c->order);
	c->items = xcalloc(n + 1, sizeof *c->items);
	c->won = xcalloc(nch + 1, sizeof *c->won);
	c->steps = xcalloc(nch + 1, sizeof *c->steps);
	course_order(ls, own, n, c->order);
	nch = 0;
	for (i = 0; i < n; i++) {
		struct screen_menu_item *it = &c->items[i];

		it->lesson = ls[c->order[i].lesson];
		it->chapter = c->order[i].chapter;
		it->won = c->won + nch;
		it->steps = c->steps + nch;
		nch += it->lesson->nchallenges;
	}
	free(own);
	/* a lesson opened at once is the one selected when the menu opens */
	for (i = 0; i < n; i++)
		if (ui->args->start >= 0 &&
		    c->order[i].lesson == (size_t)ui->args->start)
			ui->menu_sel = i;
	ui->course = c;
}

void
tui_course_close(struct tui *ui)
{
	struct tui_course *c = ui->course;

	if (c == NULL)
		return;
	free(c->order);
	free(c->items);
	free(c->won);
	free(c->steps);
	free(c);
	ui->course = NULL;
}

size_t
tui_course_count(const struct tui *ui)
{
	return ui->course != NULL ? ui->course->n : 0;
}

size_t
tui_course_lesson(const struct tui *ui, size_t place)
{
	return ui->course->order[place].lesson;
}

/* What the progress says of the lesson of item it, with won and steps
 * its challenges' marks. */
static void
tui_course_item_progress(const struct progress *p, struct screen_menu_item *it,
    int *won, long *steps)
{
	const struct lesson *l = it->lesson;
	const char *ids[LESSON_MAX_BLOCKS];
	struct progress_win w;
	size_t i;

	it->done = it->started = 0;
	for (i = 0; i < l->nchallenges; i++) {
		won[i] = 0;
		steps[i] = 0;
		if (i < LESSON_MAX_BLOCKS)
			ids[i] = l->challenges[i].id;
	}
	if (p == NULL)
		return;
	for (i = 0; i < l->nchallenges; i++) {
		if (progress_won(p, l->id, l->challenges[i].id, &w)) {
			won[i] = 1;
			steps[i] = w.steps;
			it->started = 1;
		}
	}
	if (progress_page(p, l->id) >= 0)
		it->started = 1;
	it->done = progress_lesson_done(p, l->id, (long)l->npages, ids,
	    l->nchallenges < LESSON_MAX_BLOCKS ? l->nchallenges
	                                       : LESSON_MAX_BLOCKS);
}

void
tui_course_draw(struct tui *ui, struct grid *g)
{
	struct tui_course *c = ui->course;
	size_t i, nch = 0;

	for (i = 0; i < c->n; i++) {
		tui_course_item_progress(
		    ui->progress, &c->items[i], c->won + nch, c->steps + nch);
		nch += c->items[i].lesson->nchallenges;
	}
	c->menu.items = c->items;
	c->menu.n = c->n;
	c->menu.sel = ui->menu_sel;
	c->menu.notice = ui->notice;
	c->menu.ascii = ui->args->ascii;
	screen_draw_menu(g, &c->menu);
}

void
tui_course_page_seen(struct tui *ui)
{
	const char *id;
	long page = ui->scr.page;

	if (ui->progress == NULL || ui->lesson == NULL)
		return;
	id = ui->lesson->id;
	if (page <= progress_page(ui->progress, id))
		return;
	if (progress_mark_page(ui->progress, id, page) == 0)
		tui_progress_save(ui);
}
