/*
 * The panels of the lesson screen. Each panel is a view: a small table
 * of functions that says how many rows the panel wants, draws it into a
 * rectangle of the cell grid from what the screen holds, and optionally
 * takes a key. screen.c places them with the layout (layout.c); the
 * curses front end and headless output draw the same panels.
 *
 * Internal to src/view/: the front end uses screen.h.
 */
#ifndef IL_VIEW_H
#define IL_VIEW_H

#include "screen.h"
#include "text.h"

/* A rectangle of the grid that a panel draws into. */
struct rect {
	int x, y, w, h;
};

struct view {
	const char *name;
	/* Rows the panel wants at width w: *min it must have to show
	 * anything useful, *want all it could fill (0: it has nothing to
	 * show). NULL: the layout gives it a fixed height. */
	void (*rows)(struct screen *, int w, int *min, int *want);
	/* Draw the panel into r (r.h rows, r.w columns). Drawing may
	 * update what the screen remembers of the frame (s->layout,
	 * s->zoom, the narration's scroll). */
	void (*draw)(struct grid *, struct rect r, struct screen *);
	/* Take key ch: 0 if the panel used it, -1 if not. NULL: none. */
	int (*key)(struct screen *, int ch);
};

/* The panels, one file each. */
extern const struct view view_title;     /* panel_title.c */
extern const struct view view_narration; /* panel_narration.c */
extern const struct view view_lanes;     /* panel_lanes.c */
extern const struct view view_legend;    /* panel_lanes.c */
extern const struct view view_kernel;    /* panel_cores.c */
extern const struct view view_shared;    /* panel_shared.c */
extern const struct view view_code;      /* panel_code.c */
extern const struct view view_results;   /* panel_results.c */
extern const struct view view_prev;      /* panel_results.c */
extern const struct view view_log;       /* panel_log.c */
extern const struct view view_status;    /* panel_keybar.c */
extern const struct view view_keybar;    /* panel_keybar.c */
extern const struct view view_help;      /* panel_help.c */

/* Shared panel width at terminal width w (panel_shared.c). */
int shared_width(int w);
/* Lines the shared panel has for this screen at a text width. */
int shared_count(const struct screen *, int width);
/* Lines the shared panel of a measuring lesson has before its run
 * starts: the plan's two lines and the parameters. */
int shared_plan_count(
    const struct lesson_module *, const long *params, int width);

/* Rows the lesson's longest narration page needs at width w. */
int narration_need(struct screen *, int w);

/* The lanes' rule: what the lanes are (panel_lanes.c). */
const char *lanes_title(const struct screen *);
/* Legend rows at width w for a kernel's or a workers' view. */
int lanes_legend_rows(
    const struct glyphs *, int w, int kernel, int cores, int lost);
/* The words for a lane that could run but does not. */
const char *lanes_ready_words(const struct screen *);

/* Rows the results table can ever take (panel_results.c). */
int results_rows(const struct lesson_module *);

/* Rows of the kernel's view: a row per lane that has samples. */
int kernel_rows(const struct screen *);

/* Status lines the log panel shows. */
int log_lines(const struct screen *);

/* The "terminal too small" notice over the whole grid (screen.c). */
void screen_draw_too_small(struct grid *);

#endif
