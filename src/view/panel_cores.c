/*
 * What the CPUs did, for a sampled run: the cores view under the lanes (a
 * row per CPU, with the lane it ran in each column), and on a tall
 * terminal the kernel's view of each lane: its shares of running, waiting
 * for a CPU and blocked, its time slices and the CPU it last ran on, as
 * /proc tells them.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "names.h"
#include "util.h"
#include "view.h"

/* Rows of the kernel's view: a row per lane that has samples. */
static int
kernel_rows(const struct screen *s)
{
	int t, n = 0;

	if (s->kernel <= 0)
		return 0;
	for (t = 0; t < s->model->nthreads; t++)
		n += s->model->threads[t].os_samples > 0;
	return n > 0 ? n : 0;
}

/* A printed report's kernel view: what it shows, and a line per lane,
 * "no samples" for a lane that ended within one interval. */
#define REPORT_INTRO_ROWS 3
static const char *const report_unavailable[] = {
    "kernel data unavailable: /proc/self/task could not be read;",
    "the lanes show the workers' own reports",
};

static int
report_kernel_rows(const struct screen *s)
{
	if (s->report->kernel < 0)
		return (int)IL_ARRAY_LEN(report_unavailable);
	return s->report->kernel > 0 ? REPORT_INTRO_ROWS + s->model->nthreads
	                             : 0;
}

static void
report_kernel_draw(struct grid *g, struct rect rc, const struct screen *s)
{
	const struct model *m = s->model;
	int y = rc.y, i, t;

	if (s->report->kernel < 0) {
		for (i = 0; i < (int)IL_ARRAY_LEN(report_unavailable); i++)
			grid_print(g, rc.x, y++, rc.w, ROLE_DEFAULT,
			    report_unavailable[i]);
		return;
	}
	grid_print(g, rc.x, y++, rc.w, ROLE_DEFAULT,
	    "the kernel's view of each lane (/proc/PID/task/TID/schedstat):");
	grid_printf(g, rc.x, y++, rc.w, ROLE_DEFAULT,
	    "the share of its time running, waiting for a CPU%s, and blocked",
	    model_lane_group(m, 0) > 1 ? " or its turn" : "");
	grid_print(g, rc.x, y++, rc.w, ROLE_DEFAULT,
	    "(asleep, or waiting for I/O or a lock), and its time slices");
	for (t = 0; t < m->nthreads; t++, y++) {
		const struct model_thread *th = &m->threads[t];
		double run, wait, blocked;
		char who[32] = "";

		if (th->os_run_ns + th->os_wait_ns + th->os_blocked_ns == 0) {
			grid_printf(g, rc.x, y, rc.w, ROLE_DEFAULT,
			    "%3d %c  no samples (it ended within one interval)",
			    t + 1, thread_letter(t));
			continue;
		}
		if (s->pids != NULL && s->pids[t] != 0)
			snprintf(who, sizeof who, "pid %d", s->pids[t]);
		view_timeline_kernel_shares(m, t, &run, &wait, &blocked);
		grid_printf(g, rc.x, y, rc.w, ROLE_DEFAULT,
		    "%3d %c %-10s running %3.0f%%  waiting %3.0f%%  "
		    "blocked %3.0f%%  %6llu slices  cpu %d",
		    t + 1, thread_letter(t), who, 100.0 * run, 100.0 * wait,
		    100.0 * blocked, (unsigned long long)th->os_slices,
		    th->os_cpu);
	}
}

/* Lane t's line of the kernel's account in at most w columns: the
 * ready state in the lesson's words and "last on cpuN" where they fit,
 * shorter words where they do not, so no number is cut. */
static void
kernel_line(char *buf, size_t len, int w, int t, const char *ready, double run,
    double wait, double blocked, const struct model_thread *th)
{
	int shape;

	for (shape = 0; shape < 4; shape++) {
		const char *r = shape < 2 ? ready : "waiting";
		int off = snprintf(buf, len,
		    "%2d %c  running %3.0f%%  %s %3.0f%%  blocked %3.0f%%  ",
		    t + 1, thread_letter(t), 100.0 * run, r, 100.0 * wait,
		    100.0 * blocked);

		if (off < 0 || (size_t)off >= len)
			return;
		if (shape % 2 == 0)
			snprintf(buf + off, len - (size_t)off,
			    "%6llu slices  last on cpu%d",
			    (unsigned long long)th->os_slices, th->os_cpu);
		else
			snprintf(buf + off, len - (size_t)off,
			    "%llu slices  cpu%d",
			    (unsigned long long)th->os_slices, th->os_cpu);
		if (text_width(buf, strlen(buf)) <= w)
			return;
	}
}

/* The kernel's account of each lane so far: shares of running, waiting
 * for a CPU and blocked, the time slices and the last CPU. */
static void
kernel_draw(struct grid *g, struct rect rc, struct screen *s)
{
	int y = rc.y, rows = rc.h;
	const struct model *m = s->model;
	int t, row = 0, n = kernel_rows(s);
	char line[160];

	if (s->report != NULL) {
		report_kernel_draw(g, rc, s);
		return;
	}

	for (t = 0; t < m->nthreads && row < rows; t++) {
		const struct model_thread *th = &m->threads[t];
		uint64_t tot =
		    th->os_run_ns + th->os_wait_ns + th->os_blocked_ns;
		double run, wait, blocked;

		if (th->os_samples == 0 || tot == 0)
			continue;
		if (row == rows - 1 && n > rows) {
			grid_printf(g, rc.x, y + row, rc.w, ROLE_LABEL,
			    "   +%d more (a taller terminal shows them)",
			    n - row);
			break;
		}
		view_timeline_kernel_shares(m, t, &run, &wait, &blocked);
		kernel_line(line, sizeof line, rc.w, t, lanes_ready_words(s),
		    run, wait, blocked, th);
		grid_print(g, rc.x, y + row, rc.w, ROLE_DEFAULT, line);
		row++;
	}
}

/* Rows: one per lane with samples, two at least; in a printed report,
 * its introduction and a line for every lane. */
static void
kernel_want(struct screen *s, int w, int h, struct view_size *z)
{
	(void)w;
	(void)h;
	if (s->report != NULL) {
		z->fixed = s->model != NULL ? report_kernel_rows(s) : 0;
		return;
	}
	z->want = s->model != NULL ? kernel_rows(s) : 0;
	z->min = 2;
}

/* The cores view in rc: a row per CPU, in the lanes' columns. */
static void
cores_draw(struct grid *g, struct rect rc, struct screen *s)
{
	struct timeline_view v;

	lanes_view(s, &v, rc.w - view_timeline_label_w(s->pids));
	view_timeline_cores(g, rc.x, rc.y, rc.w, s->model, &v, rc.h);
}

/* Rows: one per CPU of a sampled run (s->layout.cores, as the screen
 * offers them), once every lane has its row. */
static void
cores_rows(struct screen *s, int w, int h, struct view_size *z)
{
	(void)w;
	(void)h;
	z->want = s->kernel > 0 ? s->layout.cores : 0;
}

const struct view view_cores = {
    "cores", VIEW_LEFT, 0, NULL, cores_rows, cores_draw, NULL};
const struct view view_kernel = {"the kernel's view of each lane (/proc)",
    VIEW_EXTRA, 1, NULL, kernel_want, kernel_draw, NULL};
