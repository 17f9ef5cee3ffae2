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
#include <stdio.h>

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
	int lane_h;                    /* rows a lane takes: 1, or 2 (big) */
	int narr_rows;                 /* narration text rows shown */
	int narr_need;                 /* rows the page on screen needs */
	int cores;                     /* rows of the cores view */
	int too_small;
};

#define SCREEN_LOG_MAX 64 /* status lines kept for the log panel */

/* What a printed report (headless output) shows around the lanes: a
 * heading, a line about the run, and notes, each wrapped. */
struct screen_report {
	const char *heading;
	const char *run_line;
	const char *const *notes;
	int nnotes;
	/* The kernel's account of each lane, after the notes: 1 from the
	 * model's samples, -1 to say kernel data was unavailable, 0 none. */
	int kernel;
};

/* What the coach (the lesson's predictions, quizzes and challenges)
 * shows, filled in by the front end; see panel_coach.c. */
enum screen_card {
	SCREEN_CARD_NONE,
	SCREEN_CARD_PREDICT, /* a prediction to answer */
	SCREEN_CARD_QUIZ,    /* a quiz, and once picked its explanation */
	SCREEN_CARD_WIN      /* the win banner */
};

#define SCREEN_COACH_LINES 3

struct screen_coach {
	/* Lines under the narration: an invitation, the challenge going
	 * on, a prediction's comparison; each in its role. */
	const char *line[SCREEN_COACH_LINES];
	enum role line_role[SCREEN_COACH_LINES];
	int nlines;
	enum screen_card card;
	const char *title; /* the card's heading */
	const char *ask;   /* its question, or the win's text */
	const char *const *choices;
	size_t nchoices;
	int sel;           /* the highlighted choice */
	const char *typed; /* a prediction without choices: typed so far */
	int picked;        /* a quiz: the choice picked, or -1 */
	int right;         /* whether it is the right one */
	const char *why;   /* its explanation */
	const char *foot;  /* the card's keys */
};

struct screen {
	const struct lesson *lesson;
	const struct screen_coach *coach; /* NULL: nothing to show */
	const struct model *model;
	const struct glyphs *glyphs;
	enum screen_mode mode;
	int free_run; /* the OS schedules: no seed, no steps */
	uint64_t seed;
	uint64_t elapsed_ms; /* free runs: shown instead of the step */
	/* Free runs: how far the run is, in the module's units (total 0:
	 * unknown). */
	uint64_t progress_done, progress_total;
	int page;           /* narration page shown */
	int narr_top;       /* first narration row shown (scrolling) */
	const char *status; /* status line, or NULL */
	/* What the lesson says of the run as it goes (its alert hook:
	 * "LIVELOCK for 1.2 s: ..."), or NULL. */
	const char *alert;
	const char *result; /* the result in words once done, or NULL */
	uint64_t dropped;   /* events the queue dropped */
	int speed;          /* auto-run steps per second */
	int help;           /* 1: draw the help overlay on top */
	/* The parameters of the run on screen: narration placeholders show
	 * them, and a measuring lesson lists them in the shared panel. */
	const long *params;
	/* Measuring lessons (NULL otherwise): the planned runs and their
	 * results, which replace the code panel; a cores view follows the
	 * lanes. */
	const struct measure_set *meas;
	int kernel; /* 1: sampled; -1: kernel data unavailable; 0: off */
	int big; /* set while laying out: a big screen, lanes two rows tall */
	const int *pids; /* processes: each lane's PID for its label, or NULL */
	int ncpus;       /* rows of the cores view */
	/* The last status lines, oldest first, for the log panel that a
	 * tall terminal shows under a stepped run. */
	const char *const *log;
	int nlog;
	/* A measuring lesson's run before this one, to compare (NULL if
	 * none), with its title ("threads, 2,500 ms") and lane PIDs. */
	const struct model *prev;
	const char *prev_title;
	const int *prev_pids;
	/* Set for screen_print: the report's heading, run line and notes
	 * (NULL on a terminal). */
	const struct screen_report *report;
	struct screen_zoom zoom;
	struct screen_layout layout; /* written by screen_draw */
	/* The narration's longest page at one width (kept by screen_draw). */
	int narr_cache_w, narr_cache_need;
	const struct lesson *narr_cache_lesson;
	uint64_t narr_cache_key;
};

/* For --check-lesson: the narration rows a lesson gets at w x h with
 * these parameters and its own policy, and the rows page i needs at
 * width w. */
int screen_narration_rows(
    const struct lesson *, const long *params, int w, int h);
int screen_page_rows(
    const struct lesson *, const long *params, size_t page, int w);

/* The keys that step threads with n lanes: "1-2", "1-9 A-P". */
void screen_step_keys(int n, char *buf, size_t len);

/* A duration for people: "50 ms", "1.2 s", "3 min 20 s". */
void screen_duration(uint64_t ms, char *buf, size_t len);

/* Draw the lesson screen (and the help overlay if on) into g, which is the
 * whole terminal. Below SCREEN_MIN_W x SCREEN_MIN_H it draws the "terminal
 * too small: need 80x24, have WxH" notice instead and sets
 * layout.too_small. Updates s->zoom (fit/follow) and s->layout. */
void screen_draw(struct grid *g, struct screen *s);

/* Print the screen as a plain-text report, w columns wide, as headless
 * output does: s->report's heading and run line, the lanes and ruler,
 * the legend and the notes, each panel laid out by the same layout as on
 * a terminal, with every row it wants and a blank line between panels. */
void screen_print(FILE *, struct screen *s, int w, int ascii);

/* One lesson of the course menu, with what the front end found of the
 * student's progress in it. */
struct screen_menu_item {
	const struct lesson *lesson;
	const char *chapter; /* the heading it goes under */
	int done;            /* every challenge won and its last page seen */
	int started;         /* some page seen or a challenge won */
	/* For each of the lesson's challenges: 1 if won, and the best
	 * win's steps (NULL: none won). */
	const int *won;
	const long *steps;
};

/* The course menu: chapter headings in order, each lesson under its
 * heading with its number (its place in items, from 1), id, title,
 * summary and mark, and its challenges under it. */
struct screen_menu {
	const struct screen_menu_item *items; /* in course order */
	size_t n;
	size_t sel;         /* the selected item, highlighted */
	int top;            /* first list row shown; the draw keeps sel in
	                     * view and updates it */
	const char *notice; /* a sentence to show above the list, or NULL */
	int ascii;
};

/* Draw the menu into g, which is the whole terminal (below SCREEN_MIN_W x
 * SCREEN_MIN_H the "terminal too small" notice). */
void screen_draw_menu(struct grid *g, struct screen_menu *m);

/* Zoom in / out one level, keeping the middle of the view where it is
 * (or the live end, when following); scroll by a quarter of the lane
 * width (dir -1 earlier, +1 later); go to the start; follow the live end
 * again. */
/* Keys the panels take, apart from printable characters: the front end
 * turns its terminal's codes into these. */
enum screen_key {
	SCREEN_KEY_UP = 0x110000, /* above every Unicode character */
	SCREEN_KEY_DOWN,
	SCREEN_KEY_PAGE_UP,
	SCREEN_KEY_PAGE_DOWN,
	SCREEN_KEY_LEFT,
	SCREEN_KEY_RIGHT,
	SCREEN_KEY_HOME,
	SCREEN_KEY_END
};

/* Offer key k (a character or an enum screen_key) to the screen's
 * panels in turn: 1 if one of them took it, 0 if none did. */
int screen_key(struct screen *, int k);

void screen_zoom_in(struct screen *);
void screen_zoom_out(struct screen *);
void screen_scroll(struct screen *, int dir);
void screen_home(struct screen *);
void screen_follow(struct screen *);

/* Scroll the narration by rows (negative: up); 0 if it moved. */
int screen_narration_scroll(struct screen *, int rows);

/* The thread drawn at terminal row y in the last frame, or -1. */
int screen_lane_at(const struct screen *, int y);

/* The title bar's word for a mode: "STEP", "AUTO", ... */
const char *screen_mode_name(enum screen_mode);

#endif
