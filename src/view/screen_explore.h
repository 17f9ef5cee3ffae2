/*
 * The explorer's screen, drawn into a cell grid: how far the exploration
 * of a lesson is (a progress bar, runs done of the estimated total, the
 * time left), then what it found: the counts, and the histogram of
 * outcomes as bars weighted by schedules, failures in their own colour,
 * one of them picked, with its witness schedule.
 *
 * Pure drawing, like screen.h: the front end runs the explorer and
 * fills in the struct below.
 */
#ifndef IL_SCREEN_EXPLORE_H
#define IL_SCREEN_EXPLORE_H

#include <stdint.h>

#include "explore.h"
#include "glyphs.h"
#include "grid.h"
#include "lesson.h"

/* The key that saves the picked witness. The explorer's screen has keys
 * of its own, apart from the lesson screen's: a lesson's key bound to
 * the same character (lock-fix's w) does not reach it. */
#define SCREEN_EXPLORE_KEY_SAVE 'w'

struct screen_explore {
	const struct lesson *lesson;
	const struct glyphs *glyphs;
	const char *params; /* "threads=2 iterations=1 fuzz=0" */
	/* While it runs: runs done, the estimated total (0: not known
	 * yet), the bound on schedules (0: none) and seconds so far. */
	uint64_t done, total, bound;
	double elapsed_s;
	/* Once it has ended: the exploration (its totals and outcomes),
	 * or NULL while it runs; error: why it failed, or NULL. */
	const struct explore *x;
	const char *error;
	int sel;            /* the outcome picked */
	int top;            /* the first outcome shown (kept by the draw) */
	const char *status; /* the status line, or NULL */
};

/* Draw the explorer's screen into g, which is the whole terminal (the
 * "terminal too small" notice below the lesson screen's minimum). */
void screen_explore_draw(struct grid *g, struct screen_explore *);

/* "threads=2 iterations=1": every parameter of a module with its
 * value, as --set takes them, into buf. */
void screen_params_text(
    const struct lesson_module *, const long *params, char *buf, size_t len);

#endif
