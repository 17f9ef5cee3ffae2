/*
 * The screens of the interactive front end, drawn into a cell grid: the
 * lesson menu, the lesson screen (title bar, narration, timelines, shared
 * panel, code panel, status line, key bar), the help overlay and the
 * "terminal too small" notice.
 *
 * Pure drawing: no curses, no threads. The curses front end (tui.c) owns
 * the state below and flushes the grid; Check tests render fixed states
 * and compare them with golden text files.
 */
#ifndef IL_SCREEN_H
#define IL_SCREEN_H

#include <stddef.h>
#include <stdint.h>

#include "glyphs.h"
#include "grid.h"
#include "lesson.h"
#include "measure.h"
#include "model.h"
#include "view_timeline.h"

#define SCREEN_MIN_W 80
#define SCREEN_MIN_H 24

/* What the title bar says the run is doing. */
enum screen_mode {
	SCREEN_STEP,   /* controlled run, you pick the thread */
	SCREEN_AUTO,   /* controlled run, the seeded random policy picks */
	SCREEN_PAUSED, /* auto-run paused */
	SCREEN_FREE,   /* free run: the OS schedules */
	SCREEN_DONE,   /* every thread has finished */
};

/* Zoom and scroll of the timelines, kept by the front end across frames. */
struct screen_zoom {
	int fit;     /* 1: fit the whole run into the lane width */
	int follow;  /* 1: keep the newest time at the right edge */
	uint64_t t0; /* first visible model time when not following */
	uint64_t per_col;
	int cell_w;
};

/* Where things landed in the last frame, for mouse clicks and scrolling. */
struct screen_layout {
	int lanes_x, lanes_y, lanes_w; /* lane cells (after the labels) */
	int first_lane, nlanes;        /* threads shown, from first_lane */
	int too_small;
};

struct screen {
	const struct lesson *lesson;
	const struct model *model;
	const struct glyphs *glyphs;
	enum screen_mode mode;
	uint64_t seed;
	uint64_t elapsed_ms; /* free runs: shown instead of the step */
	int page;            /* narration page shown */
	const char *status;  /* status line, or NULL */
	const char *verdict; /* result pairs once done, or NULL */
	uint64_t dropped;    /* events the queue dropped */
	int speed;           /* auto-run steps per second */
	int help;            /* 1: draw the help overlay on top */
	/* Measuring lessons (NULL otherwise): the planned runs and their
	 * results, which replace the code panel, and the parameters, which
	 * the shared panel lists; the lanes then show the kernel's view and
	 * a cores view follows them. */
	const struct measure_set *meas;
	const long *params;
	int kernel;      /* 1: sampled; -1: kernel data unavailable; 0: off */
	const int *pids; /* processes: each lane's PID for its label, or NULL */
	int ncpus;       /* rows of the cores view */
	struct screen_zoom zoom;
	struct screen_layout layout; /* written by screen_draw */
};

/* Draw the lesson screen (and the help overlay if on) into g, which is the
 * whole terminal. Below SCREEN_MIN_W x SCREEN_MIN_H it draws the "terminal
 * too small: need 80x24, have WxH" notice instead and sets
 * layout.too_small. Updates s->zoom (fit/follow) and s->layout. */
void screen_draw(struct grid *g, struct screen *s);

/* The lesson menu: one row per lesson with its number, title and summary;
 * sel is highlighted. */
void screen_draw_menu(struct grid *g, struct lesson *const *lessons, size_t n,
    size_t sel, int ascii);

/* Zoom in / out one level; scroll by a quarter of the lane width (dir -1
 * earlier, +1 later); follow the live end again. */
void screen_zoom_in(struct screen *);
void screen_zoom_out(struct screen *);
void screen_scroll(struct screen *, int dir);
void screen_follow(struct screen *);

/* The thread drawn at terminal row y in the last frame, or -1. */
int screen_lane_at(const struct screen *, int y);

/* The title bar's word for a mode: "STEP", "AUTO", ... */
const char *screen_mode_name(enum screen_mode);

#endif
