/*
 * The layout of the lesson screen: the rows each panel gets at a height,
 * so that nothing a panel must show is cut at 80x24 and a large
 * terminal's rows go to more lanes, more narration and more panels.
 */
#include "config.h"

#include <string.h>

#include "view.h"

#define NARR_MIN  3 /* narration text rows at least */
#define EXTRA_MIN 2 /* an extra panel needs this many rows to show */

/* Take up to want rows from *left into *have. */
static void
take(int *have, int want, int *left)
{
	int n = want - *have;

	if (n > *left)
		n = *left;
	if (n > 0) {
		*have += n;
		*left -= n;
	}
}

/* Rows of the block beside the shared panel: the lanes, ruler, cores and
 * legend, or the shared panel's lines if they are more. */
static int
block_rows(const struct screen_rows *o, int shared)
{
	int base = o->lanes + 1 + o->cores + o->legend;

	return base > shared ? base : shared;
}

/* Grow *part (lanes or cores) to want, paying only for the rows the
 * block grows by: rows the shared panel already holds are free. */
static void
take_in_block(struct screen_rows *o, int *part, int want, int shared, int *left)
{
	while (*part < want) {
		int before = block_rows(o, shared), cost;

		(*part)++;
		cost = block_rows(o, shared) - before;
		if (cost > *left) {
			(*part)--;
			break;
		}
		*left -= cost;
	}
}

void
screen_layout_rows(const struct screen_needs *nd, int h, struct screen_rows *o)
{
	/* title, status, keys; the rules of narration, lanes and bottom;
	 * the ruler and the legend */
	int left = h - 3 - 3 - 1 - nd->legend;
	int lanes_min = nd->nthreads < 2 ? nd->nthreads : 2;
	int bottom_min = nd->bottom_all || nd->bottom < 2 ? nd->bottom : 2;
	int narr_first = nd->narr_need < NARR_MIN ? nd->narr_need : NARR_MIN;
	int third = (h - 3) / 3, shared = 0, i;

	memset(o, 0, sizeof *o);
	o->legend = nd->legend;
	if (narr_first < 1)
		narr_first = 1;
	/* what every screen must show, the whole results table first */
	take(&o->bottom, bottom_min, &left);
	take(&o->lanes, lanes_min, &left);
	take(&o->narr, narr_first, &left);
	/* the shared panel's lines, beside the lanes, ruler and legend */
	shared = block_rows(o, 0);
	take(&shared, nd->shared, &left);
	/* a few more lanes and code rows, narration up to a third of the
	 * screen, the cores, then every lane and code row, and the
	 * narration's longest page */
	take_in_block(
	    o, &o->lanes, nd->nthreads < 4 ? nd->nthreads : 4, shared, &left);
	take(&o->bottom, nd->bottom < 4 ? nd->bottom : 4, &left);
	take(&o->narr, nd->narr_need < third ? nd->narr_need : third, &left);
	take_in_block(o, &o->cores, nd->cores, shared, &left);
	take_in_block(o, &o->lanes, nd->nthreads, shared, &left);
	take(&o->bottom, nd->bottom, &left);
	take(&o->narr, nd->narr_need, &left);
	o->block = block_rows(o, shared);
	/* what is left goes to the extra panels, each under its rule */
	for (i = 0; i < SCREEN_EXTRAS; i++) {
		int min = i == SCREEN_EXTRA_PREV ? 3 : EXTRA_MIN;

		if (nd->extra[i] > 0 && left >= min + 1) {
			o->extra[i] =
			    nd->extra[i] < left - 1 ? nd->extra[i] : left - 1;
			left -= o->extra[i] + 1;
		}
	}
	if (o->narr < 1)
		o->narr = 1;
}

int
screen_narration_rows(const struct lesson *l, const long *params, int w, int h)
{
	const struct lesson_module *mod = l->module;
	struct screen_needs nd;
	struct screen_rows rows;
	int measuring = mod->measure.all != NULL;
	size_t i;

	memset(&nd, 0, sizeof nd);
	nd.nthreads = mod->threads(params);
	nd.bottom = measuring ? results_rows(mod) : nd.nthreads;
	nd.bottom_all = measuring;
	nd.legend = lanes_legend_rows(
	    &glyphs_utf8, w - shared_width(w) - 1, measuring, 0, !measuring);
	if (measuring) {
		/* the plan's two lines, then the parameters */
		nd.shared = shared_plan_count(mod, params, shared_width(w) - 2);
	}
	for (i = 0; i < l->npages; i++) {
		int r = screen_page_rows(l, params, i, w);

		if (r > nd.narr_need)
			nd.narr_need = r;
	}
	screen_layout_rows(&nd, h, &rows);
	return rows.narr;
}
