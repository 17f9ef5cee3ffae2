/* The timelines view: one lane per thread, a time ruler and the legend. */
#ifndef IL_VIEW_TIMELINE_H
#define IL_VIEW_TIMELINE_H

#include <stdint.h>

#include "glyphs.h"
#include "grid.h"
#include "model.h"

#define VIEW_TIMELINE_LABEL 6 /* columns before the lanes: "12 A  " */

struct timeline_view {
	uint64_t t0;      /* model time at the first lane column */
	uint64_t per_col; /* model time per column, >= 1 */
	int cell_w; /* columns per time unit when per_col is 1 (zoom in) */
	const struct glyphs *glyphs;
	/* 1: where a worker says it runs, the kernel's samples decide
	 * between running and waiting for a CPU */
	int kernel;
	/* Processes: each lane's PID, shown after its letter (0: none), or
	 * NULL. The labels then take VIEW_TIMELINE_LABEL_PID columns. */
	const int *pids;
};

#define VIEW_TIMELINE_LABEL_PID 17 /* "12 A pid 1234567 " */

/* Columns before the lanes, with these lane PIDs (or NULL). */
int view_timeline_label_w(const int *pids);

/* Zoom so the whole run so far fits into cols columns: a short controlled
 * run gets up to max_cell_w columns per step. Clears kernel and pids. */
void view_timeline_fit(
    struct timeline_view *, const struct model *, int cols, int max_cell_w);

/* Draw every lane and the ruler under them in the box at x, y, w wide.
 * Returns the rows used (threads + 1). */
int view_timeline_draw(struct grid *, int x, int y, int w, const struct model *,
    const struct timeline_view *);

/* The cores view: one row per CPU ("cpu0"), each column showing the
 * letter of the worker that ran there longest in that time, from the
 * kernel's samples; blank while no worker ran there for a quarter of
 * the column's time. Returns ncpus. */
int view_timeline_cores(struct grid *, int x, int y, int w,
    const struct model *, const struct timeline_view *, int ncpus);

/* The kernel's account of lane t, as shares of its sampled time:
 * running, waiting (for a CPU; for a task of a thread it shares with
 * other lanes, also for its turn) and blocked. All 0 without samples. */
void view_timeline_kernel_shares(
    const struct model *, int t, double *run, double *wait, double *blocked);

/* What a legend adds to the states: the overwriting-store mark, the
 * deadlock's mark on the ruler, the cores view's letters. */
enum {
	LEGEND_LOST = 1,
	LEGEND_DEADLOCK = 2,
	LEGEND_CORES = 4,
};

/* Draw the legend, wrapped to w columns, with the items of extras
 * (LEGEND_LOST, LEGEND_DEADLOCK); returns the rows used. */
int view_timeline_legend(
    struct grid *, int x, int y, int w, const struct glyphs *, int extras);
/* The legend of the kernel's view: ready_words ("waiting for a CPU")
 * where the workers' view says "ready", and the items of extras
 * (LEGEND_DEADLOCK, LEGEND_CORES). */
int view_timeline_legend_kernel(struct grid *, int x, int y, int w,
    const struct glyphs *, const char *ready_words, int extras);

#endif
