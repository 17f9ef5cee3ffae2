/*
 * A measuring lesson's results: the table of its planned runs, filled in
 * as runs end, and the lanes of the run before this one, to compare.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "view.h"

/* Measuring lessons: the results table, filled in as runs end, with a
 * bar of each wall time after its row. */
static void
results_draw(struct grid *g, struct rect rc, struct screen *s)
{
	const struct rules *r = text_rules_for(s->glyphs);
	const struct measure_set *ms = s->meas;
	int x = rc.x, y = rc.y, rows = rc.h, w = rc.w;
	int ascii = s->glyphs == &glyphs_ascii, i, k, tw, bar_x, bar_w;
	char row[128];

	measure_header(ms, row, sizeof row);
	tw = (int)strlen(row);
	grid_print(g, x + 1, y, w - 2, ROLE_LABEL, row);
	bar_x = x + 1 + tw + 2;
	bar_w = x + w - bar_x - 10; /* and " 12345 ms" after the bar */
	for (i = 0; i < ms->nmodes && i + 1 < rows; i++) {
		int ry = y + 1 + i;

		if (i < ms->n) {
			int bw = bar_w > 0 ? measure_bar(ms, i, bar_w) : 0;

			measure_row(ms, i, row, sizeof row);
			grid_print(g, x + 1, ry, tw, ROLE_DEFAULT, row);
			for (k = 0; k < bw; k++)
				grid_put(g, bar_x + k, ry, ascii ? '#' : 0x2588,
				    ROLE_RUNNING);
			if (bar_w > 0)
				grid_printf(g, bar_x + bw + 1, ry,
				    x + w - bar_x - bw - 1, ROLE_DEFAULT,
				    "%.0f ms", ms->res[i].wall_ms);
		} else if (i == ms->n) {
			grid_printf(g, x + 1, ry, w - 2, ROLE_READY,
			    "%-11s running%s", measure_mode_name(ms, i),
			    r->ellipsis);
		} else {
			grid_printf(g, x + 1, ry, w - 2, ROLE_LABEL,
			    "%-11s waiting its turn", measure_mode_name(ms, i));
		}
	}
}

int
results_always(const struct lesson_module *mod)
{
	return module_free_only(mod);
}

/* Rows the results table can ever take: its header and a row for each
 * mode of the largest plan, so planning every mode moves nothing. */
static int
results_rows(const struct lesson_module *mod)
{
	int most = 2, n;
	size_t i;

	for (i = 0; i < mod->nplans; i++) {
		for (n = 0;
		     mod->plans[i].values[n] >= 0 && n < MEASURE_MAX_MODES; n++)
			;
		if (n > most)
			most = n;
	}
	return 1 + most;
}

/* The run before this one, its lanes and ruler fitted to the width. */
static void
prev_draw(struct grid *g, struct rect rc, struct screen *s)
{
	int y = rc.y, rows = rc.h;
	const struct model *m = s->prev;
	struct timeline_view v;
	struct grid *tmp;
	int lw = view_timeline_label_w(s->prev_pids);

	view_timeline_fit(&v, m, rc.w - lw, 4);
	v.glyphs = s->glyphs;
	v.pids = s->prev_pids;
	tmp = grid_new(rc.w, m->nthreads + 1);
	view_timeline_draw(tmp, 0, 0, rc.w, m, &v);
	if (rows < m->nthreads + 1) {
		grid_blit_rows(g, rc.x, y, tmp, 0, rows - 2);
		grid_printf(g, rc.x, y + rows - 2, rc.w, ROLE_LABEL,
		    "   +%d more (a taller terminal shows them)",
		    m->nthreads - (rows - 2));
		grid_blit_rows(g, rc.x, y + rows - 1, tmp, m->nthreads, 1);
	} else {
		grid_blit_rows(g, rc.x, y, tmp, 0, m->nthreads + 1);
	}
	grid_free(tmp);
}

/* Rows: the header and a row for each mode of the largest plan, all
 * of them before any other panel grows. */
static void
results_want(struct screen *s, int w, int h, struct view_size *z)
{
	(void)w;
	(void)h;
	/* nothing to show without a plan being measured (a report of a
	 * lesson that has none) */
	z->want = s->meas != NULL ? results_rows(s->lesson->module) : 0;
	/* a printed report has only this plan's rows; a screen keeps room
	 * for the largest plan, so that it does not jump between plans */
	if (s->meas != NULL && s->report != NULL)
		z->want = s->meas->nmodes + 1;
	z->min = z->more = z->want;
}

/* Rows: the run before's lanes and ruler, 3 at least. */
static void
prev_rows(struct screen *s, int w, int h, struct view_size *z)
{
	(void)w;
	(void)h;
	z->want = s->prev != NULL ? s->prev->nthreads + 1 : 0;
	z->min = 3;
}

/* The rule over the run before: its title too, if it has one. */
static const char *
prev_title(const struct screen *s, char *buf, size_t len)
{
	if (s->prev_title == NULL)
		return view_prev.name;
	snprintf(buf, len, "%s: %s", view_prev.name, s->prev_title);
	return buf;
}

const struct view view_results = {
    "results", VIEW_TOP, 1, NULL, results_want, results_draw, NULL};
const struct view view_prev = {
    "the run before", VIEW_EXTRA, 1, prev_title, prev_rows, prev_draw, NULL};
