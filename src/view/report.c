/*
 * A screen printed as a plain-text report, for headless output: the
 * report's panels laid out by the same layout as a terminal's, with all
 * the rows they want, one under another with a blank line between them,
 * drawn into a grid and written as text.
 */
#include "config.h"

#include <limits.h>
#include <string.h>

#include "layout.h"
#include "util.h"

/* The panels of a report, in order, with their priorities. */
static const struct {
	const struct view *view;
	int prio;
} report_panels[] = {
    {&view_report_head, 0},
    {&view_lanes, 10},
    {&view_legend, 0},
    {&view_report_notes, 20},
    {&view_results, 30},
    {&view_kernel, 40},
};

/* Rows a panel takes in the report: none when it has nothing to show,
 * else its own and the blank line before it (but for the first). */
static int
report_h(const struct layout_panel *p, int first)
{
	int h = p->size.fixed + p->rows;

	return h > 0 && !first ? h + 1 : h;
}

/* Lay the report out at width w; returns its height. */
static int
report_layout(struct layout *lo, struct screen *s, int w)
{
	int i, h = 0;

	memset(lo, 0, sizeof *lo);
	for (i = 0; i < (int)IL_ARRAY_LEN(report_panels); i++) {
		struct layout_panel *p;

		layout_add(lo, report_panels[i].view, report_panels[i].prio);
		p = &lo->p[lo->n - 1];
		p->view->rows(s, w, INT_MAX / 4, &p->size);
	}
	/* tall enough that every panel gets all the rows it wants */
	layout_rows(lo, INT_MAX / 4);
	for (i = 0; i < lo->n; i++)
		h += report_h(&lo->p[i], i == 0);
	return h;
}

void
screen_print(FILE *f, struct screen *s, int w, int ascii)
{
	struct layout lo;
	struct grid *g;
	int i, y = 0;

	s->zoom.fit = 1;
	s->layout.cores = 0;
	g = grid_new(w, report_layout(&lo, s, w));
	for (i = 0; i < lo.n; i++) {
		const struct layout_panel *p = &lo.p[i];
		struct rect rc = {0, 0, w, p->size.fixed + p->rows};
		int h = report_h(p, i == 0);

		if (h == 0)
			continue;
		rc.y = y + h - rc.h;
		p->view->draw(g, rc, s);
		y += h;
	}
	grid_write_text(g, f, ascii);
	grid_free(g);
}
