/*
 * The screens, drawn into a cell grid. The lesson screen, top to bottom:
 *
 *   title bar
 *   narration (page title rule, wrapped text that scrolls)
 *   threads rule | shared rule
 *   lanes, ruler, cores, legend | variables, locks, result
 *   code (or results) rule
 *   one code row per thread, or the results table
 *   on a tall terminal: the log of steps, or the kernel's view
 *   status line
 *   key bar
 *
 * Each of them is a panel (view.h), in its own file; screen_layout_rows()
 * (layout.c) gives the panels their rows, and this file puts them in
 * place.
 */
#include "config.h"

#include "screen.h"

#include <stdio.h>
#include <string.h>

#include "view.h"

/* The extra panels a tall terminal adds at the bottom, in this order. */
static const struct view *const extra_views[SCREEN_EXTRAS] = {
    [SCREEN_EXTRA_KERNEL] = &view_kernel,
    [SCREEN_EXTRA_LOG] = &view_log,
    [SCREEN_EXTRA_PREV] = &view_prev,
};

/* Draw panel v into the rectangle x, y, w, h. */
static void
place(const struct view *v, struct grid *g, struct screen *s, int x, int y,
    int w, int h)
{
	struct rect rc = {x, y, w, h};

	v->draw(g, rc, s);
}

/* What this frame needs, and the rows each panel gets for it. */
static void
screen_rows_for(struct grid *g, struct screen *s, struct screen_rows *rows)
{
	const struct model *m = s->model;
	struct screen_needs nd;
	int sw = shared_width(g->w), lw = g->w - sw - 1, i, dummy;

	memset(&nd, 0, sizeof nd);
	nd.nthreads = m->nthreads;
	nd.shared = shared_count(s, sw - 2);
	/* a sampled run has a cores view, from the kernel's samples */
	nd.cores = s->kernel > 0 ? s->ncpus : 0;
	nd.legend = lanes_legend_rows(
	    s->glyphs, lw, s->kernel > 0, nd.cores > 0, model_has_counter(m));
	if (s->meas != NULL) {
		nd.bottom = results_rows(s->lesson->module);
		nd.bottom_all = 1;
	} else {
		nd.bottom = m->nthreads;
	}
	nd.narr_need = narration_need(s, g->w);
	for (i = 0; i < SCREEN_EXTRAS; i++)
		extra_views[i]->rows(s, g->w, &dummy, &nd.extra[i]);
	screen_layout_rows(&nd, g->h, rows);
	if (nd.cores > 0 && rows->cores == 0) {
		/* no room for the cores view: nor for its legend item */
		nd.cores = 0;
		nd.legend = lanes_legend_rows(
		    s->glyphs, lw, s->kernel > 0, 0, model_has_counter(m));
		screen_layout_rows(&nd, g->h, rows);
	}
	s->layout.cores = rows->cores;
}

/* The lanes beside the shared panel, under their rules, from row y. */
static int
screen_block(struct grid *g, struct screen *s, const struct screen_rows *rows,
    int y, const struct rules *r)
{
	int sw = shared_width(g->w), lw = g->w - sw - 1, i;

	text_rule(g, 0, y, lw, r, lanes_title(s));
	grid_put(g, lw, y, r->down, ROLE_RULER);
	text_rule(g, lw + 1, y, sw, r, "shared");
	y++;
	place(&view_lanes, g, s, 0, y, lw, rows->lanes + 1 + rows->cores);
	place(&view_legend, g, s, 0, y + rows->block - rows->legend, lw,
	    rows->legend);
	for (i = 0; i < rows->block; i++)
		grid_put(g, lw, y + i, r->v, ROLE_RULER);
	place(&view_shared, g, s, lw + 2, y, sw - 2, rows->block);
	y += rows->block;
	text_rule(g, 0, y, g->w, r, s->meas != NULL ? "results" : "code");
	grid_put(g, lw, y, r->up, ROLE_RULER);
	return y + 1;
}

/* The extra panels of a tall terminal, each under its rule, from row y. */
static void
screen_extras(struct grid *g, struct screen *s, const struct screen_rows *rows,
    int y, const struct rules *r)
{
	int i;

	for (i = 0; i < SCREEN_EXTRAS; i++) {
		const struct view *v = extra_views[i];

		if (rows->extra[i] == 0)
			continue;
		if (v == &view_prev && s->prev_title != NULL) {
			char t[128];

			snprintf(t, sizeof t, "%s: %s", v->name, s->prev_title);
			text_rule(g, 0, y, g->w, r, t);
		} else {
			text_rule(g, 0, y, g->w, r, v->name);
		}
		place(v, g, s, 0, y + 1, g->w, rows->extra[i]);
		y += 1 + rows->extra[i];
	}
}

void
screen_draw(struct grid *g, struct screen *s)
{
	const struct rules *r = text_rules_for(s->glyphs);
	struct screen_rows rows;
	int y;

	memset(&s->layout, 0, sizeof s->layout);
	if (g->w < SCREEN_MIN_W || g->h < SCREEN_MIN_H) {
		s->layout.too_small = 1;
		screen_draw_too_small(g);
		return;
	}
	screen_rows_for(g, s, &rows);
	place(&view_title, g, s, 0, 0, g->w, 1);
	place(&view_narration, g, s, 0, 1, g->w, 1 + rows.narr);
	y = screen_block(g, s, &rows, 2 + rows.narr, r);
	place(s->meas != NULL ? &view_results : &view_code, g, s, 0, y, g->w,
	    rows.bottom);
	screen_extras(g, s, &rows, y + rows.bottom, r);
	place(&view_status, g, s, 0, g->h - 2, g->w, 1);
	place(&view_keybar, g, s, 0, g->h - 1, g->w, 1);
	if (s->help)
		place(&view_help, g, s, 0, 0, g->w, g->h);
}

/* The notice instead of a screen below the smallest size. */
void
screen_draw_too_small(struct grid *g)
{
	char msg[96];
	const char *p = msg, *next;
	int y;

	snprintf(msg, sizeof msg, "terminal too small: need %dx%d, have %dx%d",
	    SCREEN_MIN_W, SCREEN_MIN_H, g->w, g->h);
	for (y = g->h / 2 > 0 ? g->h / 2 - 1 : 0; *p != '\0' && y < g->h; y++) {
		size_t n = text_wrap(p, g->w, &next);
		int w = text_width(p, n);

		if (n == 0)
			break;
		text_print_n(g, (g->w - w) / 2, y, g->w, ROLE_WARNING, p, n);
		p = next;
	}
}
