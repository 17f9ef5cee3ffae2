/*
 * The io-vs-cpu lesson: the same N tasks done sequentially, by a pool of
 * threads, by threads behind a simulated CPython GIL, by forked processes,
 * or as cooperative tasks of one event-loop thread, and measured.
 *
 * I/O tasks wait ms milliseconds in a blocking timed wait (io=sleep), or
 * fetch a page from a slow server on loopback that answers after ms
 * (io=socket; the run starts it in setup and stops it in teardown). CPU
 * tasks sum the squares of a range of integers sized (by a calibration at
 * the start) to take about ms on this machine; every sum is checked against the
 * closed form. Free runs only: this lesson measures, it does not step.
 *
 * The GIL: a thread must hold it to compute. It lets go for blocking I/O,
 * and after each switch interval if another thread is waiting for it, in
 * which case it waits until someone else has taken it (CPython 3's forced
 * switching). Waiting for the GIL shows as waiting for the lock "GIL".
 */
#include "conductor.h"
#include "cpuwork.h"
#include "eventloop.h"
#include "gil.h"
#include "module.h"
#include "pageserver.h"
#include "proclane.h"
#include "result.h"
#include "run.h"
#include "sampler.h"
#include "util.h"
#include "worker.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lessons/iovscpu.h"
#include "lessons/iovscpu_int.h"

static const char *const kind_names[] = {"io", "cpu", NULL};
static const char *const io_names[] = {"sleep", "socket", NULL};
static const char *const mode_names[] = {
    "sequential", "threads", "gil", "processes", "eventloop", "all", NULL};

static const struct param_def iovscpu_params[] = {
    [P_KIND] = {"kind", KIND_IO, 0, 1, "io: tasks wait; cpu: tasks compute",
        kind_names},
    [P_IO] = {"io", 0, 0, 1,
        "how an I/O task waits: sleep, or a request to a slow page "
        "server on loopback",
        io_names},
    [P_MODE] = {"mode", MODE_THREADS, 0, MODE_ALL,
        "sequential, threads, gil, processes, eventloop, or all of them "
        "in turn",
        mode_names},
    [P_TASKS] = {"tasks", 10, 1, 1000, "how many tasks", NULL},
    [P_MS] = {"ms", 500, 1, 60000, "how long each task takes", NULL},
    [P_WORKERS] = {"workers", 0, 0, CONDUCTOR_MAX_THREADS,
        "pool size; 0: tasks for I/O, cores for CPU", NULL},
    [P_SWITCH] = {"switch", 5, 1, 1000,
        "GIL switch interval, and an event-loop task's turn, in ms", NULL},
    [P_SAMPLE] = {"sample", 10, 1, 1000, "OS sampler interval in ms", NULL},
    [P_GREEDY] = {"greedy", 0, 0, 1,
        "eventloop: 1 makes task 1 never yield, starving the others", NULL},
};

static const char *const iovscpu_code[] = {
    "task = next_task()",
    "wait_for_io(ms)",
    "total = sum_of_squares(task)",
    "gil.acquire()",
};

/* ---- the CPU work (see cpuwork.h) ---- */

uint64_t
iovscpu_expected_sum(uint64_t a, uint64_t b)
{
	return cpuwork_expected_sum(a, b);
}

uint64_t
iovscpu_squares(uint64_t a, uint64_t b)
{
	return cpuwork_squares(a, b);
}

uint64_t
iovscpu_iterations_per_ms(void)
{
	return cpuwork_iterations_per_ms();
}

/* ---- the module ---- */

static int
iovscpu_threads(const long *params)
{
	int per_task = params[P_TASKS] < CONDUCTOR_MAX_THREADS
	    ? (int)params[P_TASKS]
	    : CONDUCTOR_MAX_THREADS;

	if (params[P_MODE] == MODE_SEQUENTIAL)
		return 1;
	if (params[P_MODE] == MODE_EVENTLOOP)
		return per_task; /* a lane per task; setup refuses more */
	if (params[P_WORKERS] > 0)
		return (int)params[P_WORKERS];
	return params[P_KIND] == KIND_IO ? per_task : sampler_cpus();
}

static int
iovscpu_sample_ms(const long *params)
{
	return (int)params[P_SAMPLE];
}

/* Every mode this version runs, for mode=all. */
static const long iovscpu_all_modes[] = {MODE_SEQUENTIAL, MODE_THREADS,
    MODE_GIL, MODE_PROCESSES, MODE_EVENTLOOP, -1};

/* Everything setup made. The workers have been joined (and the children
 * reaped) by now; the page server closes whatever it still holds. */
static void
iovscpu_free(struct iovscpu *st)
{
	pageserver_stop(st->server);
	gil_destroy(&st->gil);
	eventloop_destroy(&st->loop);
	proclane_unmap(&st->procs);
	free(st->sums);
	free(st);
}

/* What no single run can do: every mode at once (the front end plans
 * mode=all as a run per mode), stepping, or more event-loop tasks than
 * lanes. */
static int
iovscpu_validate(const long *params, int controlled, char *err, size_t errlen)
{
	if (controlled) {
		snprintf(err, errlen,
		    "io-vs-cpu measures real time, so it runs with --policy "
		    "free only");
		return -1;
	}
	if (params[P_MODE] == MODE_EVENTLOOP &&
	    params[P_TASKS] > CONDUCTOR_MAX_THREADS) {
		snprintf(err, errlen,
		    "io-vs-cpu: mode=eventloop draws a lane for each task, so "
		    "it runs at most %d tasks, not %ld",
		    CONDUCTOR_MAX_THREADS, params[P_TASKS]);
		return -1;
	}
	return 0;
}

static int
iovscpu_setup(struct run *r, const long *params, char *err, size_t errlen)
{
	struct iovscpu *st;

	if (params[P_MODE] == MODE_ALL) {
		snprintf(err, errlen,
		    "io-vs-cpu: mode=all runs each mode in "
		    "turn; a single run needs one mode");
		return -1;
	}
	st = xcalloc(1, sizeof *st);
	st->kind = (int)params[P_KIND];
	st->io = (int)params[P_IO];
	st->mode = (int)params[P_MODE];
	st->tasks = (int)params[P_TASKS];
	st->ms = params[P_MS];
	st->workers = r->nthreads;
	/* the pool size this run really uses, for the screen */
	r->cfg.params[P_WORKERS] = st->workers;
	st->switch_ns = (uint64_t)params[P_SWITCH] * 1000000;
	st->run = r;
	st->greedy = (int)params[P_GREEDY];
	st->sums = xcalloc((size_t)st->tasks, sizeof *st->sums);
	if (st->kind == KIND_CPU)
		st->per_task = cpuwork_iterations_per_ms() * (uint64_t)st->ms;
	gil_init(&st->gil, NULL, st->switch_ns, LINE_GIL);
	iovscpu_eventloop_setup(st, r);
	if (st->mode == MODE_GIL &&
	    (st->gil.lk = run_add_lock(r, "GIL")) == NULL) {
		snprintf(err, errlen, "io-vs-cpu: cannot declare the GIL");
		iovscpu_free(st);
		return -1;
	}
	if (st->mode == MODE_PROCESSES &&
	    iovscpu_shm_map(st, r->nthreads, err, errlen) != 0) {
		iovscpu_free(st);
		return -1;
	}
	if (st->kind == KIND_IO && st->io == IO_SOCKET) {
		char why[200];

		if ((st->server = pageserver_start(st->ms, why, sizeof why)) ==
		    NULL) {
			snprintf(err, errlen,
			    "io-vs-cpu: cannot start the page server: %s", why);
			iovscpu_free(st);
			return -1;
		}
		st->port = pageserver_port(st->server);
	}
	r->lesson = st;
	return 0;
}

/* kind, mode, sizes, the wall time from the start of the run to the end
 * of its last worker, CPU use, and whether every task ran and every sum
 * is right. */
static void
iovscpu_result(struct run *r, struct result *res)
{
	struct iovscpu *st = r->lesson;
	uint64_t end = atomic_load(&st->end_ns), wall;
	int i, done = atomic_load(&st->done), wrong = 0;

	wall = end > r->start_ns ? end - r->start_ns : 0;
	if (st->shm != NULL) {
		done += atomic_load(&st->shm->done);
		atomic_fetch_add(&st->failed, atomic_load(&st->shm->failed));
		atomic_store(&st->shm->failed, 0);
		memcpy(st->sums, st->shm->sums,
		    (size_t)st->tasks * sizeof *st->sums);
		atomic_fetch_add(&st->cpu_ns, atomic_load(&st->shm->cpu_ns));
		atomic_store(&st->shm->cpu_ns, 0);
	}
	if (st->kind == KIND_CPU)
		for (i = 0; i < st->tasks; i++)
			if (st->sums[i] !=
			    iovscpu_expected_sum((uint64_t)i * st->per_task,
			        (uint64_t)(i + 1) * st->per_task))
				wrong++;
	result_word(res, "kind", kind_names[st->kind]);
	result_word(res, "io", io_names[st->io]);
	result_word(res, "mode", mode_names[st->mode]);
	result_int(res, "tasks", st->tasks);
	result_int(res, "workers", st->workers);
	result_real(res, "wall_ms", (double)wall / 1e6, 1);
	result_real(res, "cpu_ms", (double)atomic_load(&st->cpu_ns) / 1e6, 1);
	result_int(res, "done", done);
	if (st->server != NULL) {
		result_int(
		    res, "pages", (int64_t)pageserver_served(st->server));
		result_int(res, "failed", atomic_load(&st->failed));
	}
	result_word(res, "sums",
	    st->kind == KIND_IO                   ? "n/a"
	        : wrong == 0 && done == st->tasks ? "ok"
	                                          : "WRONG");
}

/* Tasks finished so far, of all of them. */
static void
iovscpu_progress(struct run *r, uint64_t *done, uint64_t *total)
{
	struct iovscpu *st = r->lesson;

	*done = (uint64_t)atomic_load(&st->done);
	if (st->shm != NULL)
		*done += (uint64_t)atomic_load(&st->shm->done);
	*total = (uint64_t)st->tasks;
}

/* How long a mode takes on this machine, in the ideal: waits overlap as
 * far as the pool goes; computing overlaps as far as the cores go, and
 * not at all behind the GIL or in one event-loop thread. */
static uint64_t
iovscpu_estimate_ms(const long *params, int controlled)
{
	uint64_t tasks = (uint64_t)params[P_TASKS], ms = (uint64_t)params[P_MS];
	uint64_t pool = (uint64_t)iovscpu_threads(params), cores;

	(void)controlled;
	if (params[P_MODE] == MODE_ALL)
		return 0; /* a plan of runs: each is estimated on its own */
	if (params[P_MODE] == MODE_SEQUENTIAL || pool == 0)
		return tasks * ms;
	if (params[P_KIND] == KIND_IO) {
		if (params[P_MODE] == MODE_EVENTLOOP)
			return params[P_GREEDY] ? 2 * ms : ms;
		return (tasks + pool - 1) / pool * ms;
	}
	if (params[P_MODE] == MODE_GIL || params[P_MODE] == MODE_EVENTLOOP)
		return tasks * ms;
	cores = (uint64_t)sampler_cpus();
	if (pool > cores)
		pool = cores;
	return (tasks + pool - 1) / pool * ms;
}

/* The best a mode can do against sequential: waits overlap as far as the
 * workers (or, in an event loop, all the tasks) go; computing overlaps
 * up to the cores, and not at all behind the GIL or in one loop thread. */
static int
iovscpu_ideal(const long *params, int cores)
{
	int tasks = (int)params[P_TASKS], pool = iovscpu_threads(params);
	int best = pool < tasks ? pool : tasks;

	if (params[P_MODE] == MODE_SEQUENTIAL)
		return 1;
	if (params[P_KIND] == KIND_IO)
		return params[P_MODE] == MODE_EVENTLOOP ? tasks : best;
	if (params[P_MODE] == MODE_GIL || params[P_MODE] == MODE_EVENTLOOP)
		return 1;
	return best < cores ? best : cores;
}

/* Processes are the lanes of the processes mode; an event loop's tasks
 * take turns on one thread (when there is more than one of them). */
static void
iovscpu_lane_words(const long *params, struct lane_words *w)
{
	if (params[P_MODE] == MODE_PROCESSES) {
		w->lane = "process";
		w->lanes = "processes";
	} else if (params[P_MODE] == MODE_EVENTLOOP &&
	    iovscpu_threads(params) > 1) {
		w->lane = "task";
		w->lanes = "tasks, all in one event-loop thread";
		w->ready = "waiting for its turn in the loop";
	}
}

/* Greedy on measures the event loop, the only mode it matters to, unless
 * every mode is planned. */
static void
iovscpu_greedy_then(long *params)
{
	if (params[P_GREEDY] && params[P_MODE] != MODE_ALL)
		params[P_MODE] = MODE_EVENTLOOP;
}

/* The keys the screen adds for this lesson; "t" and "a" stay in a
 * narrow key bar. */
static const struct lesson_key iovscpu_keys[] = {
    {'a', "all modes", "run every mode in turn, into the table",
        LESSON_KEY_PLAN, NULL, 0, 1, NULL, NULL, NULL},
    {'t', "io/cpu", "switch the tasks between I/O and CPU work",
        LESSON_KEY_CYCLE, "kind", 0, 1, NULL, NULL, NULL},
    {'i', "sleep/socket", "I/O: a timed sleep, or a slow page server",
        LESSON_KEY_CYCLE, "io", 0, 0, NULL, NULL, NULL},
    {'g', "greedy", "event loop: a task that never yields, or not",
        LESSON_KEY_CYCLE, "greedy", 0, 0, NULL, NULL, iovscpu_greedy_then},
};

/* The results table takes the code panel's place (the code is one line
 * per task, and the table is what the lesson measures); the run before
 * is shown for comparison where there is room. */
static const struct lesson_panel_want iovscpu_panels[] = {
    {LESSON_PANEL_RESULTS, 30},
    {LESSON_PANEL_SHARED, 50},
    {LESSON_PANEL_KERNEL, 60},
    {LESSON_PANEL_LOG, 70},
    {LESSON_PANEL_PREV, 80},
};

static void
iovscpu_teardown(struct run *r)
{
	iovscpu_free(r->lesson);
	r->lesson = NULL;
}

/* Every free run is timed beside the sequential one (the baseline), or
 * with mode=all every mode in turn. */
static const struct plan_column iovscpu_columns[] = {
    {"workers", 7, PLAN_COL_WORKERS, NULL, NULL, 0},
    {"wall ms", 10, PLAN_COL_WALL, NULL, NULL, 1},
    {"speedup", 8, PLAN_COL_SPEEDUP, NULL, NULL, 0},
    {"ideal", 6, PLAN_COL_IDEAL, NULL, NULL, 0},
    {"CPU use", 8, PLAN_COL_CPU_USE, NULL, NULL, 0},
};

static const struct lesson_plan iovscpu_plan = {
    .param = P_MODE,
    .all_value = MODE_ALL,
    .baseline = MODE_SEQUENTIAL,
    .values = iovscpu_all_modes,
    .ideal = iovscpu_ideal,
    .wall_ms = "wall_ms",
    .cpu_ms = "cpu_ms",
    .tasks = "tasks",
    .bound_key = "kind",
    .bound_word = "cpu",
    .hint = "a: every mode, t: I/O or CPU work",
    .always = 1,
    .cols = iovscpu_columns,
    .ncols = IL_ARRAY_LEN(iovscpu_columns),
    .compare_pairs = 1,
};

static const char *const iovscpu_sums_words[] = {"ok", "WRONG", "n/a", NULL};
/* pages and failed: only with io=socket. */
static const struct result_key iovscpu_result_keys[] = {{"kind", 0, NULL},
    {"io", 0, NULL}, {"mode", 0, NULL}, {"tasks", 1, NULL},
    {"workers", 1, NULL}, {"wall_ms", 1, NULL}, {"cpu_ms", 1, NULL},
    {"done", 1, NULL}, {"pages", 1, NULL}, {"failed", 1, NULL},
    {"sums", 0, iovscpu_sums_words}};

const struct lesson_module iovscpu_module = {
    .id = "io-vs-cpu",
    .params = iovscpu_params,
    .nparams = IL_ARRAY_LEN(iovscpu_params),
    .code = iovscpu_code,
    .ncode = IL_ARRAY_LEN(iovscpu_code),
    .locals = NULL,
    .threads = iovscpu_threads,
    .validate = iovscpu_validate,
    .setup = iovscpu_setup,
    .worker = iovscpu_worker,
    .result = iovscpu_result,
    .result_keys = iovscpu_result_keys,
    .nresult_keys = IL_ARRAY_LEN(iovscpu_result_keys),
    .show_events = LESSON_SHOW_BIT(LESSON_SHOW_DONE),
    .progress = iovscpu_progress,
    .estimate_ms = iovscpu_estimate_ms,
    .teardown = iovscpu_teardown,
    .sample_ms = iovscpu_sample_ms,
    .lane_words = iovscpu_lane_words,
    .keys = iovscpu_keys,
    .nkeys = IL_ARRAY_LEN(iovscpu_keys),
    .panels = iovscpu_panels,
    .npanels = IL_ARRAY_LEN(iovscpu_panels),
    .plans = &iovscpu_plan,
    .nplans = 1,
};
