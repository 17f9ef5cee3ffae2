/*
 * The coach's panel, under the narration: an invitation to the page's
 * prediction, quiz or challenge, the challenge going on, a prediction's
 * comparison with the run. And the coach's cards over the screen: a
 * prediction or quiz to answer, the win banner. What they say comes
 * from the front end (struct screen_coach); this only draws it.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "view.h"

int
coach_shown(const struct screen *s)
{
	return s->coach != NULL && s->coach->nlines > 0;
}

static void
coach_draw(struct grid *g, struct rect rc, struct screen *s)
{
	const struct rules *r = text_rules_for(s->glyphs);
	int i;

	for (i = 0; i < s->coach->nlines && i < rc.h; i++)
		text_print_fit(g, rc.x + 1, rc.y + i, rc.w - 2,
		    s->coach->line_role[i], s->coach->line[i], r);
}

static void
coach_rows(struct screen *s, int w, int h, struct view_size *z)
{
	(void)w;
	(void)h;
	z->want = s->coach != NULL ? s->coach->nlines : 0;
	z->min = z->more = z->want;
}

const struct view view_coach = {
    "coach", VIEW_TOP, 0, NULL, coach_rows, coach_draw, NULL};

/* A blank box with a frame and a heading. */
static void
card_box(struct grid *g, int bx, int by, int bw, int bh, enum role frame,
    const char *title, const struct rules *r)
{
	int i, j;

	for (j = 0; j < bh; j++)
		for (i = 0; i < bw; i++)
			grid_put(g, bx + i, by + j, ' ', ROLE_DEFAULT);
	for (i = 1; i < bw - 1; i++) {
		grid_put(g, bx + i, by, r->h, frame);
		grid_put(g, bx + i, by + bh - 1, r->h, frame);
	}
	for (j = 1; j < bh - 1; j++) {
		grid_put(g, bx, by + j, r->v, frame);
		grid_put(g, bx + bw - 1, by + j, r->v, frame);
	}
	grid_put(g, bx, by, r->tl, frame);
	grid_put(g, bx + bw - 1, by, r->tr, frame);
	grid_put(g, bx, by + bh - 1, r->bl, frame);
	grid_put(g, bx + bw - 1, by + bh - 1, r->br, frame);
	grid_printf(g, bx + 2, by, bw - 4,
	    frame == ROLE_RULER ? ROLE_LABEL : frame, " %s ", title);
}

/* Wrapped text from row y, at most rows rows; the rows used. */
static int
card_text(struct grid *g, int x, int y, int w, int rows, enum role role,
    const char *text)
{
	const char *p = text, *next;
	int n = 0;

	while (*p != '\0' && n < rows) {
		size_t k = text_wrap(p, w, &next);

		if (g != NULL)
			text_print_n(g, x, y + n, w, role, p, k);
		n++;
		if (next == p)
			break;
		p = next;
	}
	return n;
}

/* The card's body from row y (g NULL: only count); the rows. */
static int
card_body(
    struct grid *g, const struct screen_coach *c, int x, int y, int w, int rows)
{
	char buf[512];
	int n = 0;
	size_t i;

	n += card_text(g, x, y + n, w, rows - n,
	    c->card == SCREEN_CARD_WIN ? ROLE_RUNNING : ROLE_DEFAULT, c->ask);
	if (c->card != SCREEN_CARD_WIN)
		n++;
	if (c->card == SCREEN_CARD_PREDICT && c->nchoices == 0 && n < rows) {
		if (g != NULL)
			grid_printf(g, x, y + n, w, ROLE_LABEL, "> %s_",
			    c->typed != NULL ? c->typed : "");
		n++;
	}
	for (i = 0; c->card != SCREEN_CARD_WIN && i < c->nchoices && n < rows;
	     i++) {
		enum role role = (int)i == c->sel ? ROLE_TITLE : ROLE_DEFAULT;

		if (c->picked == (int)i)
			role = c->right ? ROLE_RUNNING : ROLE_LOST;
		snprintf(buf, sizeof buf, "%zu) %s", i + 1, c->choices[i]);
		if (c->card == SCREEN_CARD_PREDICT && g != NULL) {
			/* choices side by side */
			int col = 0;
			size_t j;

			for (j = 0; j < c->nchoices; j++) {
				snprintf(buf, sizeof buf, " %zu) %s ", j + 1,
				    c->choices[j]);
				col += grid_print(g, x + col, y + n, w - col,
				           (int)j == c->sel ? ROLE_TITLE
				                            : ROLE_DEFAULT,
				           buf) +
				    1;
			}
			n++;
			break;
		}
		if (c->card == SCREEN_CARD_PREDICT) {
			n++;
			break;
		}
		n += card_text(g, x, y + n, w, rows - n, role, buf);
	}
	if (c->why != NULL && c->picked >= 0 && n + 1 < rows) {
		n++;
		snprintf(buf, sizeof buf, "%s %s",
		    c->right ? "right:" : "wrong:", c->why);
		n += card_text(g, x, y + n, w, rows - n,
		    c->right ? ROLE_RUNNING : ROLE_LOST, buf);
	}
	return n;
}

void
coach_card_draw(struct grid *g, struct screen *s)
{
	const struct screen_coach *c = s->coach;
	const struct rules *r = text_rules_for(s->glyphs);
	int bw, bh, bx, by, body;

	if (c == NULL || c->card == SCREEN_CARD_NONE)
		return;
	bw = g->w - 8 < 72 ? g->w - 8 : 72;
	body = card_body(NULL, c, 0, 0, bw - 4, g->h - 6);
	bh = body + 4;
	bx = (g->w - bw) / 2;
	by = (g->h - bh) / 2;
	card_box(g, bx, by, bw, bh,
	    c->card == SCREEN_CARD_WIN ? ROLE_RUNNING : ROLE_RULER,
	    c->title != NULL ? c->title : "", r);
	card_body(g, c, bx + 2, by + 1, bw - 4, body);
	if (c->foot != NULL)
		text_print_fit(
		    g, bx + 2, by + bh - 2, bw - 4, ROLE_LABEL, c->foot, r);
}
