/*
 * The layout of the lesson screen: rows for a table of panels, by
 * priority (see layout.h).
 */
#include "config.h"

#include "layout.h"

#include <string.h>

void
layout_add(struct layout *lo, const struct view *v, int prio)
{
	struct layout_panel *p;

	if (lo->n >= LAYOUT_MAX)
		return;
	p = &lo->p[lo->n++];
	memset(p, 0, sizeof *p);
	p->view = v;
	p->prio = prio;
}

struct layout_panel *
layout_find(struct layout *lo, const struct view *v)
{
	int i;

	for (i = 0; i < lo->n; i++)
		if (lo->p[i].view == v)
			return &lo->p[i];
	return NULL;
}

static int
in_block(const struct layout_panel *p)
{
	enum view_place pl = p->view->place;

	return pl == VIEW_LEFT || pl == VIEW_LEFT_FOOT || pl == VIEW_RIGHT;
}

/* Rows of the block: its left column, or its right one if taller. */
static int
block_rows(const struct layout *lo)
{
	int left = 0, right = 0, i;

	for (i = 0; i < lo->n; i++) {
		const struct layout_panel *p = &lo->p[i];
		int rows = p->size.fixed + p->rows;

		if (p->view->place == VIEW_RIGHT)
			right += rows;
		else if (in_block(p))
			left += rows;
	}
	return left > right ? left : right;
}

/* Grow panel p to target rows while *left pays for them. A panel in the
 * block pays only for the rows the block grows by: rows the other
 * column already holds are free. */
static void
grow(struct layout *lo, struct layout_panel *p, int target, int *left)
{
	while (p->rows < target) {
		int before = block_rows(lo), cost;

		p->rows++;
		cost = in_block(p) ? block_rows(lo) - before : 1;
		if (cost > *left) {
			p->rows--;
			break;
		}
		*left -= cost;
	}
}

/* The panels in order of priority (ties: table order). */
static void
by_priority(const struct layout *lo, int *order)
{
	int i, j;

	for (i = 0; i < lo->n; i++) {
		int k = i;

		for (j = i; j > 0 && lo->p[order[j - 1]].prio > lo->p[k].prio;
		     j--)
			order[j] = order[j - 1];
		order[j] = k;
	}
}

/* What is left goes to the extra panels, each under its rule, in order
 * of priority, if its minimum fits. */
static void
layout_extras(struct layout *lo, const int *order, int *left)
{
	int i;

	for (i = 0; i < lo->n; i++) {
		struct layout_panel *p = &lo->p[order[i]];
		int over = p->size.fixed + p->view->rule;

		if (p->view->place != VIEW_EXTRA || p->size.want <= 0 ||
		    *left < p->size.min + over)
			continue;
		p->rows =
		    p->size.want < *left - over ? p->size.want : *left - over;
		*left -= p->rows + over;
	}
}

void
layout_rows(struct layout *lo, int h)
{
	int order[LAYOUT_MAX], left = h, round, i;

	by_priority(lo, order);
	for (i = 0; i < lo->n; i++) {
		struct layout_panel *p = &lo->p[i];

		p->rows = 0;
		if (p->view->place != VIEW_EXTRA)
			left -= p->size.fixed + p->view->rule;
	}
	for (round = 0; round < 3; round++) {
		for (i = 0; i < lo->n; i++) {
			struct layout_panel *p = &lo->p[order[i]];
			int target = round == 0 ? p->size.min
			    : round == 1        ? p->size.more
			                        : p->size.want;

			if (p->view->place == VIEW_EXTRA)
				continue;
			grow(lo, p,
			    target < p->size.want ? target : p->size.want,
			    &left);
		}
	}
	layout_extras(lo, order, &left);
	for (i = 0; i < lo->n; i++)
		if (lo->p[i].rows < lo->p[i].size.floor)
			lo->p[i].rows = lo->p[i].size.floor;
	lo->block = block_rows(lo);
}
