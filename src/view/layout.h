/*
 * The layout of the lesson screen: a table of panels in screen order,
 * each with a priority, gets its rows at a height. Panels with a lower
 * priority number get rows first: every panel its minimum, then a few
 * more each, then all it wants; what is left goes to the extra panels
 * that fit. So nothing a panel must show is cut at 80x24, and a large
 * terminal's rows go to more lanes, more narration and more panels.
 */
#ifndef IL_LAYOUT_H
#define IL_LAYOUT_H

#include "view.h"

#define LAYOUT_MAX 16 /* panels on one screen at most */

struct layout_panel {
	const struct view *view;
	int prio; /* lower: rows sooner */
	struct view_size size;
	int rows; /* out: rows given beyond size.fixed */
};

struct layout {
	struct layout_panel p[LAYOUT_MAX];
	int n;
	int block; /* out: rows of the block beside the shared panel */
};

/* Add panel v, with priority prio, after those added so far. */
void layout_add(struct layout *, const struct view *, int prio);

/* Give each panel its rows at height h. */
void layout_rows(struct layout *, int h);

/* The panel v in the table, or NULL. */
struct layout_panel *layout_find(struct layout *, const struct view *);

#endif
