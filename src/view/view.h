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

/* Where the layout puts a panel (see layout.h). */
enum view_place {
	VIEW_TOP,       /* full width, down from the top, in table order */
	VIEW_LEFT,      /* the block beside the shared panel, from its top */
	VIEW_LEFT_FOOT, /* the block's left column, at its foot */
	VIEW_RIGHT,     /* the block's right column (the shared panel) */
	VIEW_EXTRA,     /* full width under its rule, only where it fits */
	VIEW_FOOT,      /* full width, up from the bottom of the screen */
	VIEW_OVERLAY,   /* over the whole screen, outside the layout */
};

/* The rows a panel asks for at a terminal size. The layout gives it
 * fixed rows always, then rows in three rounds by priority: up to min,
 * up to more, up to want; and at least floor in the end. */
struct view_size {
	int fixed; /* rows it always has (a ruler, a legend, a title) */
	int min;   /* rows it must show */
	int more;  /* rows it gets before other panels get all theirs */
	int want;  /* rows it could fill (0: nothing to show) */
	int floor; /* rows it has even when none are left */
};

struct view {
	const char *name; /* also its rule's label, unless title says */
	enum view_place place;
	int rule; /* 1: drawn under a rule of its own (one more row) */
	/* The rule's label, when it depends on the screen; NULL: name. */
	const char *(*title)(const struct screen *, char *buf, size_t len);
	/* The rows the panel asks for at w x h. A screen without a model
	 * asks for the rows a lesson's screen would need before its run
	 * starts (for --check-lesson). NULL: one fixed row. */
	void (*rows)(struct screen *, int w, int h, struct view_size *);
	/* Draw the panel into r (r.h rows, r.w columns). Drawing may
	 * update what the screen remembers of the frame (s->layout,
	 * s->zoom, the narration's scroll). */
	void (*draw)(struct grid *, struct rect r, struct screen *);
	/* Take key ch: 0 if the panel used it, -1 if not. NULL: none. */
	int (*key)(struct screen *, int ch);
};

/* The panels, one file each. */
extern const struct view view_title;        /* panel_title.c */
extern const struct view view_narration;    /* panel_narration.c */
extern const struct view view_alert;        /* panel_alert.c */
extern const struct view view_coach;        /* panel_coach.c */
extern const struct view view_lanes;        /* panel_lanes.c */
extern const struct view view_legend;       /* panel_lanes.c */
extern const struct view view_cores;        /* panel_cores.c */
extern const struct view view_kernel;       /* panel_cores.c */
extern const struct view view_shared;       /* panel_shared.c */
extern const struct view view_code;         /* panel_code.c */
extern const struct view view_results;      /* panel_results.c */
extern const struct view view_prev;         /* panel_results.c */
extern const struct view view_log;          /* panel_log.c */
extern const struct view view_status;       /* panel_keybar.c */
extern const struct view view_keybar;       /* panel_keybar.c */
extern const struct view view_help;         /* panel_help.c */
extern const struct view view_report_head;  /* panel_report.c */
extern const struct view view_report_notes; /* panel_report.c */

/* Shared panel width at terminal width w (panel_shared.c). */
int shared_width(int w);

/* Rows the lesson's longest narration page needs at width w. */
int narration_need(struct screen *, int w);

/* Set up the timeline view of this frame for lanes lane_w wide (from
 * s->zoom, which it updates), for the lanes and the cores view. */
void lanes_view(struct screen *, struct timeline_view *, int lane_w);
/* The words for a lane that could run but does not. */
const char *lanes_ready_words(const struct screen *);
/* Lanes on the screen: the model's threads, or before a run the ones
 * the lesson's parameters ask for. */
int lanes_count(const struct screen *);

/* Whether every free run of a lesson is a plan of runs to measure
 * (panel_results.c: the one place in the view that reads the module's
 * plans). */
int results_always(const struct lesson_module *);

/* Whether the alert panel has something to say (a deadlock, or the
 * lesson's alert). */
int alert_shown(const struct screen *);

/* Whether the coach has lines to show, and its card over the screen
 * (panel_coach.c). */
int coach_shown(const struct screen *);
void coach_card_draw(struct grid *, struct screen *);

/* Whether the screen shows a measuring lesson's plan of runs (and its
 * results table instead of the code). */
int screen_measuring(const struct screen *);

/* The "terminal too small" notice over the whole grid (screen.c). */
void screen_draw_too_small(struct grid *);

#endif
