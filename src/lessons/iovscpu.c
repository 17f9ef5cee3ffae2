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

enum {
	P_KIND = IOVSCPU_KIND,
	P_IO = IOVSCPU_IO,
	P_MODE = IOVSCPU_MODE,
	P_TASKS = IOVSCPU_TASKS,
	P_MS = IOVSCPU_MS,
	P_WORKERS = IOVSCPU_WORKERS,
	P_SWITCH = IOVSCPU_SWITCH,
	P_SAMPLE = IOVSCPU_SAMPLE,
	P_GREEDY = IOVSCPU_GREEDY,
};
enum { KIND_IO = IOVSCPU_KIND_IO, KIND_CPU = IOVSCPU_KIND_CPU };
enum { IO_SLEEP = IOVSCPU_IO_SLEEP, IO_SOCKET = IOVSCPU_IO_SOCKET };
enum {
	MODE_SEQUENTIAL = IOVSCPU_SEQUENTIAL,
	MODE_THREADS = IOVSCPU_THREADS,
	MODE_GIL = IOVSCPU_GIL,
	MODE_PROCESSES = IOVSCPU_PROCESSES,
	MODE_EVENTLOOP = IOVSCPU_EVENTLOOP,
	MODE_ALL = IOVSCPU_ALL,
};

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

enum { LINE_TAKE = 1, LINE_IO, LINE_CPU, LINE_GIL };

static const char *const iovscpu_code[] = {
    "task = next_task()",
    "wait_for_io(ms)",
    "total = sum_of_squares(task)",
    "gil.acquire()",
};

struct el_task;

struct iovscpu {
	int kind, io, mode, tasks;
	long ms;
	int workers;
	uint64_t per_task; /* CPU: iterations per task */
	uint64_t switch_ns;
	/* Task counters, shared by the worker threads: any of them may
	 * touch them, with atomic read-modify-writes; the verdict reads
	 * them after the join. */
	_Atomic int next;        /* next task to take */
	_Atomic int done;        /* tasks completed */
	_Atomic uint64_t end_ns; /* when the last worker finished */
	_Atomic uint64_t cpu_ns; /* CPU time the workers used */
	uint64_t *sums;          /* CPU: each task's result */
	struct gil gil;          /* gil: the simulated GIL */
	struct run *run;
	int greedy;
	struct eventloop loop; /* eventloop: the loop that runs the tasks */
	struct el_task *el;    /* eventloop: its tasks; only lane 0 uses it */
	struct pageserver *server; /* io=socket: the slow site */
	int port;
	_Atomic int failed;     /* io=socket: requests that got no page */
	struct shm *shm;        /* processes: shared with the children */
	struct proclanes procs; /* processes: the mapping shm lies in */
	_Atomic int fork_failed;
};

/*
 * Processes: what the parent shares with its children, in the shared
 * mapping (see proclane.h). Children take tasks from next and write
 * their sums; the counters are touched with atomic read-modify-writes
 * by every child, and read by the parent after the children are reaped.
 */
struct shm {
	_Atomic int next;
	_Atomic int done;
	_Atomic int failed;
	_Atomic uint64_t cpu_ns;
	uint64_t sums[]; /* tasks of them */
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

static int shm_map(struct iovscpu *, int lanes, char *err, size_t errlen);
static void eventloop_setup(struct iovscpu *, struct run *);

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
	eventloop_setup(st, r);
	if (st->mode == MODE_GIL &&
	    (st->gil.lk = run_add_lock(r, "GIL")) == NULL) {
		snprintf(err, errlen, "io-vs-cpu: cannot declare the GIL");
		iovscpu_free(st);
		return -1;
	}
	if (st->mode == MODE_PROCESSES &&
	    shm_map(st, r->nthreads, err, errlen) != 0) {
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

struct thread_check {
	struct il_worker *w;
	uint64_t *held_since;
};

/* Between chunks in a worker thread: give up if cancelled; with the
 * GIL, hand it over when the switch interval says so. */
static int
thread_check(void *arg, uint64_t now)
{
	struct thread_check *tc = arg;
	struct iovscpu *st = tc->w->lesson;

	if (il_cancelled(tc->w))
		return -1;
	if (st->mode == MODE_GIL &&
	    gil_maybe_switch(&st->gil, tc->w, tc->held_since, now) != 0)
		return -1;
	return 0;
}

/* One CPU task in a worker thread. 0, or -1 if cancelled. */
static int
cpu_task(struct il_worker *w, int task, uint64_t *held_since)
{
	struct iovscpu *st = w->lesson;
	struct cpuwork wk = {(uint64_t)task * st->per_task,
	    (uint64_t)(task + 1) * st->per_task, 0};
	struct thread_check tc = {w, held_since};

	il_line(w, LINE_CPU);
	if (il_cancelled(w) || cpuwork_run(&wk, thread_check, &tc) != 0)
		return -1;
	st->sums[task] = wk.sum;
	return 0;
}

/* An I/O task by blocking: sleep ms, or fetch task's page (checking
 * cancel, if not NULL). 0, or -1 if no page came back. Only syscalls,
 * so forked children use it too. */
static int
blocking_io(const struct iovscpu *st, int task, const _Atomic int *cancel)
{
	struct timespec left = {
	    st->ms / 1000, (long)(st->ms % 1000) * 1000000L};

	if (st->io == IO_SOCKET)
		return pageserver_fetch(st->port, task, cancel);
	while (nanosleep(&left, &left) != 0 && errno == EINTR)
		;
	return 0;
}

/* One I/O task in a worker thread: a blocking timed wait, or a blocking
 * request to the slow page server. 0, or -1 if no page came back. */
static int
io_task(struct il_worker *w, int task)
{
	struct iovscpu *st = w->lesson;

	if (st->io == IO_SLEEP) {
		il_io(w, st->ms, LINE_IO); /* a wait that notices cancel */
		return 0;
	}
	il_state(w, w->id, TS_IO, LINE_IO);
	if (blocking_io(st, task, il_cancel_flag(w)) != 0)
		return -1;
	il_state(w, w->id, TS_RUNNING, LINE_IO);
	return 0;
}

/* ---- processes (see proclane.h) ---- */

/* The child process: take tasks until none are left. Only atomics,
 * clock_gettime, nanosleep and the sums: nothing that another (now
 * absent) thread could have held locked at fork time. */
static void
child_main(void *arg, int lane)
{
	struct iovscpu *st = arg;
	struct shm *sh = st->shm;
	struct timespec cpu;
	int task;

	while ((task = atomic_fetch_add(&sh->next, 1)) < st->tasks) {
		if (st->kind == KIND_IO) {
			int failed;

			proclane_report(&st->procs, lane, TS_IO, LINE_IO);
			/* the parent kills the child to cancel */
			failed = blocking_io(st, task, NULL) != 0;
			proclane_report(
			    &st->procs, lane, TS_RUNNING, LINE_TAKE);
			if (failed) {
				atomic_fetch_add(&sh->failed, 1);
				continue;
			}
		} else {
			uint64_t a = (uint64_t)task * st->per_task;

			sh->sums[task] = cpuwork_squares(a, a + st->per_task);
		}
		atomic_fetch_add(&sh->done, 1);
	}
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu);
	atomic_fetch_add(&sh->cpu_ns,
	    (uint64_t)cpu.tv_sec * 1000000000u + (uint64_t)cpu.tv_nsec);
}

/* The lane's thread forks its process, relays its events, and reaps it
 * (killing it first if the run is cancelled). */
static void
process_lane(struct il_worker *w)
{
	struct iovscpu *st = w->lesson;

	il_line(w, LINE_TAKE);
	if (proclane_run(&st->procs, w, child_main, st) != 0)
		atomic_store(&st->fork_failed, 1);
}

/* The shared memory: the struct shm, and a ring per lane with room for
 * every event its child can send (two per task, and more). */
static int
shm_map(struct iovscpu *st, int lanes, char *err, size_t errlen)
{
	size_t size = sizeof(struct shm) + (size_t)st->tasks * sizeof(uint64_t);
	char why[200];

	st->shm = proclane_map(&st->procs, size, lanes,
	    4u * (uint32_t)st->tasks + 16, why, sizeof why);
	if (st->shm == NULL) {
		snprintf(err, errlen, "io-vs-cpu: %s", why);
		return -1;
	}
	return 0;
}

/* ---- the event loop (see eventloop.h) ---- */

/* A CPU task yields at an await point after each switch interval.
 * greedy=1 makes task 1 never yield: it computes to the end, or for I/O
 * blocks the whole loop in a plain sleep or a blocking request, and every
 * other task starves meanwhile. */

struct el_task {
	struct cpuwork wk; /* CPU: what is left */
	struct page_reply rep;
	int awaited; /* I/O: its wait has been started */
	int failed;  /* io=socket: no page came back */
};

/* A greedy I/O task: the loop itself blocks. */
static void
el_block(struct il_worker *w, struct el_task *t, int k)
{
	struct iovscpu *st = w->lesson;

	il_state(w, k, TS_IO, LINE_IO);
	t->failed = blocking_io(st, k, il_cancel_flag(w)) != 0;
}

struct el_check {
	struct il_worker *w;
	uint64_t since; /* its turn began */
	int greedy;
};

/* Between chunks in the event loop: await (yield) once the turn has
 * lasted a switch interval, unless the task is greedy. */
static int
el_check(void *arg, uint64_t now)
{
	struct el_check *ec = arg;
	struct iovscpu *st = ec->w->lesson;

	if (il_cancelled(ec->w))
		return -1;
	return !ec->greedy && now - ec->since >= st->switch_ns;
}

/* An I/O task's turn: start its wait, or end once back from it. */
static int
el_io_step(struct iovscpu *st, struct eventloop *el, int k)
{
	struct il_worker *w = &el->lanes[0];
	struct el_task *t = &st->el[k];

	if (t->awaited)
		return 1; /* back from its await: the task ends */
	t->awaited = 1;
	if (st->greedy && k == 0) {
		el_block(w, t, k);
		return 1;
	}
	if (st->io == IO_SOCKET) {
		int fd;

		memset(&t->rep, 0, sizeof t->rep);
		if ((fd = pageserver_request(st->port, k)) < 0) {
			t->failed = 1;
			return 1;
		}
		eventloop_await_fd(el, k, fd);
	} else {
		eventloop_await_timer(
		    el, k, clock_now_ns() + (uint64_t)st->ms * 1000000);
	}
	il_state(w, k, TS_IO, LINE_IO); /* await: the loop moves on */
	return 0;
}

/* Run task k until it awaits, yields or ends; 1 if it ended. */
static int
el_step(void *arg, struct eventloop *el, int k)
{
	struct iovscpu *st = arg;
	struct il_worker *w = &el->lanes[0];
	struct el_check ec;

	il_state(w, k, TS_RUNNING, st->kind == KIND_IO ? LINE_TAKE : LINE_CPU);
	if (st->kind == KIND_IO)
		return el_io_step(st, el, k);
	ec.w = w;
	ec.since = clock_now_ns();
	ec.greedy = st->greedy && k == 0;
	if (il_cancelled(w) || cpuwork_run(&st->el[k].wk, el_check, &ec) != 1)
		return 1;                   /* done, or cancelled */
	il_state(w, k, TS_READY, LINE_CPU); /* await */
	return 0;
}

/* Task k's page is coming in on fd: 0 until it is all there. */
static int
el_readable(void *arg, int k, int fd)
{
	struct iovscpu *st = arg;
	struct el_task *t = &st->el[k];
	int rc = pageserver_read(fd, &t->rep);

	if (rc != 0)
		t->failed = rc < 0;
	return rc;
}

/* Task k has ended: its result and the counters. */
static void
el_ended(void *arg, int k)
{
	struct iovscpu *st = arg;

	st->sums[k] = st->el[k].wk.sum;
	if (st->el[k].failed)
		atomic_fetch_add(&st->failed, 1);
	else if (!il_cancelled(&st->loop.lanes[0]))
		atomic_fetch_add(&st->done, 1);
}

static const struct eventloop_ops el_ops = {
    .step = el_step,
    .readable = el_readable,
    .ended = el_ended,
    .line = LINE_TAKE,
};

static void
eventloop_setup(struct iovscpu *st, struct run *r)
{
	eventloop_init(&st->loop, r->workers, r->nthreads, &el_ops, st);
}

/* Lane 0 runs the loop over the tasks; the other lanes wait for it. */
static void
iovscpu_eventloop(struct il_worker *w)
{
	struct iovscpu *st = w->lesson;
	int k;

	if (w->id != 0) {
		eventloop_lane(&st->loop, w);
		return;
	}
	st->el = xcalloc((size_t)st->tasks, sizeof *st->el);
	for (k = 0; k < st->tasks; k++) {
		st->el[k].wk.next = (uint64_t)k * st->per_task;
		st->el[k].wk.end = st->el[k].wk.next + st->per_task;
	}
	eventloop_lane(&st->loop, w);
	free(st->el);
	st->el = NULL;
}

static void
iovscpu_worker(struct il_worker *w)
{
	struct iovscpu *st = w->lesson;
	uint64_t held_since = 0, end;
	struct timespec cpu;
	int gil = st->mode == MODE_GIL, holding = 0;

	if (st->mode == MODE_PROCESSES) {
		process_lane(w);
		goto out;
	}
	if (st->mode == MODE_EVENTLOOP) {
		iovscpu_eventloop(w);
		if (w->id != 0)
			return; /* a task's lane: the loop's time is what counts */
		goto out;
	}

	for (;;) {
		int task;

		if (gil && !holding) {
			if (gil_take(&st->gil, w) != 0)
				break;
			holding = 1;
			held_since = clock_now_ns();
		}
		il_line(w, LINE_TAKE);
		task = atomic_fetch_add_explicit(
		    &st->next, 1, memory_order_relaxed);
		if (task >= st->tasks || il_cancelled(w))
			break;
		if (st->kind == KIND_IO) {
			if (gil) {
				gil_drop(&st->gil,
				    w); /* blocking I/O lets go of it */
				holding = 0;
			}
			if (io_task(w, task) != 0 && !il_cancelled(w)) {
				atomic_fetch_add(&st->failed, 1);
				continue;
			}
		} else if (cpu_task(w, task, &held_since) != 0) {
			break;
		}
		if (il_cancelled(w))
			break;
		atomic_fetch_add_explicit(&st->done, 1, memory_order_relaxed);
	}
	if (gil && holding)
		gil_drop(&st->gil, w);
out:
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu);
	atomic_fetch_add_explicit(&st->cpu_ns,
	    (uint64_t)cpu.tv_sec * 1000000000u + (uint64_t)cpu.tv_nsec,
	    memory_order_relaxed);
	end = clock_now_ns();
	for (uint64_t prev = atomic_load(&st->end_ns); prev < end &&
	     !atomic_compare_exchange_weak(&st->end_ns, &prev, end);)
		;
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
    .progress = iovscpu_progress,
    .estimate_ms = iovscpu_estimate_ms,
    .teardown = iovscpu_teardown,
    .sample_ms = iovscpu_sample_ms,
    .lane_words = iovscpu_lane_words,
    .keys = iovscpu_keys,
    .nkeys = IL_ARRAY_LEN(iovscpu_keys),
    .panels = iovscpu_panels,
    .npanels = IL_ARRAY_LEN(iovscpu_panels),
    .plan =
        {
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
        },
};
