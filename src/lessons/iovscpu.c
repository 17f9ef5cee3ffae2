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
#include "module.h"
#include "pageserver.h"
#include "result.h"
#include "run.h"
#include "sampler.h"
#include "util.h"
#include "worker.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

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

#define CHUNK (1 << 20) /* sum-of-squares iterations between checks */

struct gil {
	pthread_mutex_t m;
	pthread_cond_t cv;
	int holder;         /* -1: free */
	int waiting;        /* threads waiting to take it */
	uint64_t takes;     /* times it was taken */
	struct il_lock *lk; /* for the events: the lock "GIL" */
};

struct iovscpu {
	int kind, io, mode, tasks;
	long ms;
	int workers;
	uint64_t per_task; /* CPU: iterations per task */
	uint64_t switch_ns;
	_Atomic int next;        /* next task to take */
	_Atomic int done;        /* tasks completed */
	_Atomic uint64_t end_ns; /* when the last worker finished */
	_Atomic uint64_t cpu_ns; /* CPU time the workers used */
	uint64_t *sums;          /* CPU: each task's result */
	struct gil gil;
	struct run *run;
	int greedy;
	/* eventloop: lanes that have started, and the loop's end */
	_Atomic int lanes_in;
	_Atomic int loop_done;
	struct pageserver *server; /* io=socket: the slow site */
	int port;
	_Atomic int failed; /* io=socket: requests that got no page */
	struct shm *shm;    /* processes: shared with the children */
	size_t shm_size;
	_Atomic int fork_failed;
};

/*
 * Processes: the region below is mapped shared and anonymous before the
 * children are forked, so it is gone with the last process that maps it
 * (nothing is left in /dev/shm). Children take tasks from next, write
 * their sums, and report state changes on their own single-producer ring,
 * which their parent-side thread drains into the event queue. Each ring
 * has room for every event its child can send (four per task and a few
 * more), so nothing is dropped.
 */
struct shm_ev {
	uint64_t ts;
	int32_t state;
	int32_t line;
};

struct shm_ring {
	_Atomic uint32_t head; /* written by the child */
	_Atomic uint32_t tail; /* written by the parent */
	uint32_t cap;          /* a power of two */
	uint32_t pad;
	struct shm_ev ev[];
};

struct shm {
	_Atomic int next;
	_Atomic int done;
	_Atomic int failed;
	_Atomic uint64_t cpu_ns;
	size_t ring_off, ring_size;
	uint64_t sums[]; /* tasks of them, then the rings */
};

/* ---- the CPU work ---- */

/* Sum of i*i for i in [a, b), modulo 2^64. The empty asm keeps the
 * compiler from replacing the loop by its closed form. Never inlined:
 * the calibration must time the very code the tasks run, because the
 * loop's placement alone can halve its speed on some CPUs. */
static uint64_t squares(uint64_t a, uint64_t b)
    __attribute__((noinline, aligned(64)));

static uint64_t
squares(uint64_t a, uint64_t b)
{
	uint64_t s = 0, i;

	for (i = a; i < b; i++) {
		s += i * i;
		__asm__ __volatile__("" : "+r"(s));
	}
	return s;
}

/* A CPU task's work: the next number to square, one past the last, and
 * the sum so far. */
struct work {
	uint64_t next, end, sum;
};

/* Called between chunks with the time: 0 to go on, 1 to stop for now
 * (the work resumes later), -1 to give up. */
typedef int (*work_check)(void *arg, uint64_t now);

/* Do the work chunk by chunk, asking check (if any) between chunks.
 * Returns 0 when it is done, or what check said. Every mode, the
 * calibration and the benchmarks compute through this one loop: on some
 * machines the squares loop runs up to a quarter slower or faster
 * depending on the code around it, and the modes must differ only in
 * how they are scheduled. */
static int __attribute__((noinline))
work_on(struct work *wk, work_check check, void *arg)
{
	int rc;

	while (wk->next < wk->end) {
		uint64_t b =
		    wk->next + CHUNK < wk->end ? wk->next + CHUNK : wk->end;
		uint64_t now;

		wk->sum += squares(wk->next, b);
		wk->next = b;
		now = clock_now_ns();
		if (check != NULL && wk->next < wk->end &&
		    (rc = check(arg, now)) != 0)
			return rc;
	}
	return 0;
}

/* A whole range, with no checks. */
static uint64_t
chunked(uint64_t a, uint64_t b)
{
	struct work wk = {a, b, 0};

	work_on(&wk, NULL, NULL);
	return wk.sum;
}

/* The same from the closed form n(n-1)(2n-1)/6, for checking. */
static uint64_t
squares_below(uint64_t n)
{
	unsigned __int128 x = (unsigned __int128)n * (n - (n > 0)) *
	    (2 * (unsigned __int128)n - (n > 0));

	return (uint64_t)(x / 6);
}

uint64_t
iovscpu_expected_sum(uint64_t a, uint64_t b)
{
	return squares_below(b) - squares_below(a);
}

static pthread_once_t calibrate_once = PTHREAD_ONCE_INIT;
static uint64_t iterations_per_ms;

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* How many iterations of squares() take a millisecond here: rounds grow
 * until one lasts 20 ms (so the CPU has left any idle clock), then the
 * median of five such rounds counts (the fastest would be an optimist on
 * a shared machine, and tasks would overrun ms). */
static void
calibrate(void)
{
	uint64_t best, n = 1 << 16, dt = 0, t[5];
	volatile uint64_t sink;
	int i;

	while (n < ((uint64_t)1 << 40)) {
		uint64_t t0 = clock_now_ns();

		sink = chunked(0, n);
		dt = clock_now_ns() - t0;
		if (dt >= 20 * 1000 * 1000)
			break;
		n *= 2;
	}
	for (i = 0; i < 5; i++) {
		uint64_t t0 = clock_now_ns();

		sink = chunked(0, n);
		t[i] = clock_now_ns() - t0;
	}
	qsort(t, 5, sizeof t[0], cmp_u64);
	best = t[2];
	(void)sink;
	iterations_per_ms = best > 0 ? n * 1000000 / best : n;
	if (iterations_per_ms == 0)
		iterations_per_ms = 1;
}

uint64_t
iovscpu_squares(uint64_t a, uint64_t b)
{
	return chunked(a, b);
}

uint64_t
iovscpu_iterations_per_ms(void)
{
	pthread_once(&calibrate_once, calibrate);
	return iterations_per_ms;
}

/* ---- the GIL ---- */

static void
gil_emit(struct il_worker *w, enum ev_kind k, int line, int64_t b)
{
	struct iovscpu *st = w->lesson;

	conductor_emit(w->conductor, w->id, k, line, st->gil.lk->id, b);
}

/* Wait on the GIL's condition for at most ms (so cancel is noticed);
 * called with g->m held. */
static void
gil_wait(struct gil *g, long ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += ms * 1000 * 1000;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_cond_timedwait(&g->cv, &g->m, &ts);
}

/* Take the GIL, showing the wait. 0, or -1 if the run was cancelled. */
static int
gil_take(struct il_worker *w)
{
	struct iovscpu *st = w->lesson;
	struct gil *g = &st->gil;
	int waited = 0;

	pthread_mutex_lock(&g->m);
	if (g->holder != -1) {
		waited = 1;
		gil_emit(w, EV_LOCK_REQ, LINE_GIL, 0);
		conductor_emit(w->conductor, w->id, EV_STATE, LINE_GIL,
		    TS_LOCK_WAIT, g->lk->id);
	}
	g->waiting++;
	while (g->holder != -1 && !il_cancelled(w))
		gil_wait(g, 50);
	g->waiting--;
	if (il_cancelled(w)) {
		pthread_mutex_unlock(&g->m);
		return -1;
	}
	g->holder = w->id;
	g->takes++;
	pthread_cond_broadcast(&g->cv); /* a forced switch waits on takes */
	pthread_mutex_unlock(&g->m);
	/* Emitted after taking it and before letting go (gil_drop), so the
	 * event stream's holding intervals lie inside the real ones. */
	if (!waited)
		gil_emit(w, EV_LOCK_REQ, LINE_GIL, 0);
	gil_emit(w, EV_LOCK_ACQ, LINE_GIL, 0);
	conductor_emit(w->conductor, w->id, EV_STATE, LINE_GIL, TS_RUNNING, 0);
	return 0;
}

static void
gil_drop(struct il_worker *w)
{
	struct gil *g = &((struct iovscpu *)w->lesson)->gil;

	gil_emit(w, EV_LOCK_REL, LINE_GIL, 0);
	pthread_mutex_lock(&g->m);
	g->holder = -1;
	pthread_cond_broadcast(&g->cv);
	pthread_mutex_unlock(&g->m);
}

/* After a switch interval: if someone waits, hand the GIL over and wait
 * until another thread has taken it, then queue for it again. */
static int
gil_maybe_switch(struct il_worker *w, uint64_t *held_since, uint64_t now)
{
	struct iovscpu *st = w->lesson;
	struct gil *g = &st->gil;
	uint64_t takes;
	int want;

	if (now - *held_since < st->switch_ns)
		return 0;
	pthread_mutex_lock(&g->m);
	want = g->waiting > 0;
	pthread_mutex_unlock(&g->m);
	if (!want) {
		*held_since = now;
		return 0;
	}
	gil_emit(w, EV_LOCK_REL, LINE_GIL, 0);
	pthread_mutex_lock(&g->m);
	g->holder = -1;
	takes = g->takes;
	pthread_cond_broadcast(&g->cv);
	while (g->takes == takes && g->waiting > 0 && !il_cancelled(w))
		gil_wait(g, 20);
	pthread_mutex_unlock(&g->m);
	if (gil_take(w) != 0)
		return -1;
	*held_since = clock_now_ns();
	return 0;
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

/* Everything setup made. The workers have been joined (and the children
 * reaped) by now; the page server closes whatever it still holds. */
static void
iovscpu_free(struct iovscpu *st)
{
	pageserver_stop(st->server);
	pthread_mutex_destroy(&st->gil.m);
	pthread_cond_destroy(&st->gil.cv);
	if (st->shm != NULL)
		munmap(st->shm, st->shm_size);
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
	if (st->kind == KIND_CPU) {
		pthread_once(&calibrate_once, calibrate);
		st->per_task = iterations_per_ms * (uint64_t)st->ms;
	}
	pthread_mutex_init(&st->gil.m, NULL);
	pthread_cond_init(&st->gil.cv, NULL);
	st->gil.holder = -1;
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
	    gil_maybe_switch(tc->w, tc->held_since, now) != 0)
		return -1;
	return 0;
}

/* One CPU task in a worker thread. 0, or -1 if cancelled. */
static int
cpu_task(struct il_worker *w, int task, uint64_t *held_since)
{
	struct iovscpu *st = w->lesson;
	struct work wk = {(uint64_t)task * st->per_task,
	    (uint64_t)(task + 1) * st->per_task, 0};
	struct thread_check tc = {w, held_since};

	il_line(w, LINE_CPU);
	if (il_cancelled(w) || work_on(&wk, thread_check, &tc) != 0)
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
	conductor_emit(w->conductor, w->id, EV_STATE, LINE_IO, TS_IO, 0);
	if (blocking_io(st, task, conductor_cancel_flag(w->conductor)) != 0)
		return -1;
	conductor_emit(w->conductor, w->id, EV_STATE, LINE_IO, TS_RUNNING, 0);
	return 0;
}

/* ---- processes ---- */

static struct shm_ring *
shm_ring_of(struct shm *sh, int lane)
{
	return (struct shm_ring *)((char *)sh + sh->ring_off +
	    (size_t)lane * sh->ring_size);
}

/* Child side: one event on the lane's ring (never blocks). */
static void
child_report(struct shm_ring *rg, int state, int line)
{
	uint32_t h = atomic_load_explicit(&rg->head, memory_order_relaxed);
	uint32_t t = atomic_load_explicit(&rg->tail, memory_order_acquire);
	struct timespec ts;

	if (h - t >= rg->cap)
		return; /* cannot happen: the ring holds every event */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	rg->ev[h & (rg->cap - 1)].ts =
	    (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	rg->ev[h & (rg->cap - 1)].state = state;
	rg->ev[h & (rg->cap - 1)].line = line;
	atomic_store_explicit(&rg->head, h + 1, memory_order_release);
}

/* The child process: take tasks until none are left, then _exit. Only
 * atomics, clock_gettime, nanosleep and the sums: nothing that another
 * (now absent) thread could have held locked at fork time. */
static void
child_main(struct iovscpu *st, int lane)
{
	struct shm *sh = st->shm;
	struct shm_ring *rg = shm_ring_of(sh, lane);
	struct timespec cpu;
	int task;

	while ((task = atomic_fetch_add(&sh->next, 1)) < st->tasks) {
		if (st->kind == KIND_IO) {
			int failed;

			child_report(rg, TS_IO, LINE_IO);
			/* the parent kills the child to cancel */
			failed = blocking_io(st, task, NULL) != 0;
			child_report(rg, TS_RUNNING, LINE_TAKE);
			if (failed) {
				atomic_fetch_add(&sh->failed, 1);
				continue;
			}
		} else {
			uint64_t a = (uint64_t)task * st->per_task;

			sh->sums[task] = chunked(a, a + st->per_task);
		}
		atomic_fetch_add(&sh->done, 1);
	}
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu);
	atomic_fetch_add(&sh->cpu_ns,
	    (uint64_t)cpu.tv_sec * 1000000000u + (uint64_t)cpu.tv_nsec);
	_exit(0);
}

/*
 * In a new child: it inherited the worker thread's mask, which blocks
 * every signal, and the front end's handlers, which write to its pipe.
 * Give every signal its default action and unblock them all, so the
 * child stops and continues with its job (Ctrl-Z, fg) and dies of
 * Ctrl-C; and have it killed when the thread that forked it goes (the
 * parent's crash or exit), or now if the parent is already gone.
 * Only async-signal-safe calls: the child of a threaded process.
 */
static void
child_signals(pid_t parent)
{
	struct sigaction sa;
	sigset_t none;
	int sig;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	for (sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			sigaction(sig, &sa, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
#ifdef __linux__
	prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
	if (getppid() != parent)
		_exit(1);
}

/* Move the child's events into the lane. */
static void
drain_child(struct il_worker *w, struct shm_ring *rg)
{
	uint32_t t = atomic_load_explicit(&rg->tail, memory_order_relaxed);
	uint32_t h = atomic_load_explicit(&rg->head, memory_order_acquire);

	for (; t != h; t++) {
		const struct shm_ev *e = &rg->ev[t & (rg->cap - 1)];

		conductor_emit(
		    w->conductor, w->id, EV_STATE, e->line, e->state, 0);
	}
	atomic_store_explicit(&rg->tail, t, memory_order_release);
}

/* The lane's thread forks its process, relays its events, and reaps it
 * (killing it first if the run is cancelled). */
static void
process_lane(struct il_worker *w)
{
	struct iovscpu *st = w->lesson;
	struct shm_ring *rg = shm_ring_of(st->shm, w->id);
	struct timespec tick = {0, 1000 * 1000};
	pid_t pid, parent;
	int status;

	il_line(w, LINE_TAKE);
	parent = getpid();
	if ((pid = fork()) < 0) {
		atomic_store(&st->fork_failed, 1);
		return;
	}
	if (pid == 0) {
		child_signals(parent);
		child_main(st, w->id); /* does not return */
	}
	il_os_identity(w, pid, pid);
	for (;;) {
		pid_t r;

		drain_child(w, rg);
		if (il_cancelled(w))
			kill(pid, SIGKILL);
		r = waitpid(pid, &status, WNOHANG);
		if (r == pid || (r < 0 && errno != EINTR))
			break;
		nanosleep(&tick, NULL);
	}
	drain_child(w, rg); /* the sampler finds the process gone */
}

static int
shm_map(struct iovscpu *st, int lanes, char *err, size_t errlen)
{
	uint32_t cap = 16;
	size_t sums = sizeof(struct shm) + (size_t)st->tasks * sizeof(uint64_t);
	size_t ring;
	void *p;

	while (cap < 4u * (uint32_t)st->tasks + 16)
		cap *= 2;
	ring = sizeof(struct shm_ring) + cap * sizeof(struct shm_ev);
	ring = (ring + 63) & ~(size_t)63;
	sums = (sums + 63) & ~(size_t)63;
	st->shm_size = sums + (size_t)lanes * ring;
	p = mmap(NULL, st->shm_size, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		snprintf(err, errlen, "io-vs-cpu: cannot map shared memory: %s",
		    strerror(errno));
		return -1;
	}
	memset(p, 0, st->shm_size);
	st->shm = p;
	st->shm->ring_off = sums;
	st->shm->ring_size = ring;
	for (int i = 0; i < lanes; i++)
		shm_ring_of(st->shm, i)->cap = cap;
	return 0;
}

/* ---- the event loop ---- */

/* One thread runs every task. Each task is a lane; the loop reports its
 * tasks' states for them: running (the loop runs it), ready (its turn has
 * not come), blocked on I/O (it awaits a timer or its socket: the loop is
 * free), done. A CPU task yields at an await point after each switch
 * interval. greedy=1 makes task 1 never yield: it computes to the end,
 * or for I/O blocks the whole loop in a plain sleep or a blocking
 * request, and every other task starves meanwhile. */

struct el_task {
	struct work wk;    /* CPU: what is left */
	uint64_t deadline; /* io=sleep: when its timer fires, 0 if none */
	int fd;            /* io=socket: its request's socket, or -1 */
	struct page_reply rep;
	int awaited; /* I/O: its wait has been started */
	int failed;  /* io=socket: no page came back */
};

static void
el_state(struct il_worker *loop, int task, enum thread_state s, int line)
{
	conductor_emit(loop->conductor, task, EV_STATE, line, s, 0);
}

/* A greedy I/O task: the loop itself blocks. */
static void
el_block(struct il_worker *w, struct el_task *t, int k)
{
	struct iovscpu *st = w->lesson;

	el_state(w, k, TS_IO, LINE_IO);
	t->failed =
	    blocking_io(st, k, conductor_cancel_flag(w->conductor)) != 0;
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

/* Run task k until it awaits, yields or ends; 1 if it ended. */
static int
el_step(struct il_worker *w, struct el_task *t, int k)
{
	struct iovscpu *st = w->lesson;
	int greedy = st->greedy && k == 0;
	struct el_check ec;

	el_state(w, k, TS_RUNNING, st->kind == KIND_IO ? LINE_TAKE : LINE_CPU);
	if (st->kind == KIND_IO) {
		if (t->awaited)
			return 1; /* back from its await: the task ends */
		t->awaited = 1;
		if (greedy) {
			el_block(w, t, k);
			return 1;
		}
		if (st->io == IO_SOCKET) {
			memset(&t->rep, 0, sizeof t->rep);
			if ((t->fd = pageserver_request(st->port, k)) < 0) {
				t->failed = 1;
				return 1;
			}
		} else {
			t->deadline =
			    clock_now_ns() + (uint64_t)st->ms * 1000000;
		}
		el_state(w, k, TS_IO, LINE_IO); /* await: the loop moves on */
		return 0;
	}
	ec.w = w;
	ec.since = clock_now_ns();
	ec.greedy = greedy;
	if (il_cancelled(w) || work_on(&t->wk, el_check, &ec) != 1)
		return 1;                   /* done, or cancelled */
	el_state(w, k, TS_READY, LINE_CPU); /* await */
	return 0;
}

/* The loop's ready queue: a ring of task numbers. */
struct el_queue {
	int *q;
	int head, len, cap;
};

static void
el_push(struct el_queue *q, int k)
{
	q->q[(q->head + q->len) % q->cap] = k;
	q->len++;
}

static int
el_pop(struct el_queue *q)
{
	int k = q->q[q->head];

	q->head = (q->head + 1) % q->cap;
	q->len--;
	return k;
}

/* Nothing is ready: sleep in poll() on the awaited sockets until one has
 * data or the first timer is due (at most 50 ms, to notice a cancel),
 * then queue every task whose wait is over. */
static void
el_wait(
    struct el_task *t, int n, struct pollfd *pfd, int *who, struct el_queue *q)
{
	uint64_t now = clock_now_ns(), soonest = UINT64_MAX;
	int k, np = 0, ms = 50, i;

	for (k = 0; k < n; k++) {
		if (t[k].deadline != 0 && t[k].deadline < soonest)
			soonest = t[k].deadline;
		if (t[k].fd >= 0) {
			pfd[np].fd = t[k].fd;
			pfd[np].events = POLLIN;
			pfd[np].revents = 0;
			who[np++] = k;
		}
	}
	if (soonest <= now)
		ms = 0;
	else if (soonest - now < 50 * 1000000ull)
		ms = (int)((soonest - now + 999999) / 1000000);
	if (poll(pfd, (nfds_t)np, ms) > 0) {
		for (i = 0; i < np; i++) {
			struct el_task *tk = &t[who[i]];
			int rc;

			if (pfd[i].revents == 0)
				continue;
			if ((rc = pageserver_read(tk->fd, &tk->rep)) == 0)
				continue; /* more to come */
			tk->failed = rc < 0;
			close(tk->fd);
			tk->fd = -1;
			el_push(q, who[i]); /* resumes */
		}
	}
	now = clock_now_ns();
	for (k = 0; k < n; k++) {
		if (t[k].deadline != 0 && t[k].deadline <= now) {
			t[k].deadline = 0;
			el_push(q, k); /* resumes */
		}
	}
}

static void
eventloop_lane(struct il_worker *w)
{
	struct iovscpu *st = w->lesson;
	struct run *r = st->run;
	struct el_queue q;
	struct el_task *t;
	struct pollfd *pfd;
	int *who, n = st->tasks, left = n, k, tid;

	atomic_fetch_add(&st->lanes_in, 1);
	if (w->id != 0) {
		/* A task's lane: its work happens in the loop thread, so
		 * this one sleeps until the loop ends (looking at the
		 * cancel flag now and then), using no CPU meanwhile; the
		 * GIL's mutex and condition serve, as no GIL is used here. */
		pthread_mutex_lock(&st->gil.m);
		while (!atomic_load(&st->loop_done) && !il_cancelled(w))
			gil_wait(&st->gil, 50);
		pthread_mutex_unlock(&st->gil.m);
		return;
	}
	while (atomic_load(&st->lanes_in) < r->nthreads && !il_cancelled(w))
		sched_yield(); /* so no lane's start-up event comes later */
	tid = atomic_load(&w->os_tid);
	for (k = 1; k < r->nthreads; k++)
		il_os_identity(&r->workers[k], 0, tid); /* all in one thread */
	t = xcalloc((size_t)n, sizeof *t);
	pfd = xcalloc((size_t)n, sizeof *pfd);
	who = xcalloc((size_t)n, sizeof *who);
	q.q = xcalloc((size_t)n, sizeof *q.q);
	q.head = q.len = 0;
	q.cap = n;
	for (k = 0; k < n; k++) {
		t[k].wk.next = (uint64_t)k * st->per_task;
		t[k].wk.end = t[k].wk.next + st->per_task;
		t[k].fd = -1;
		el_push(&q, k);
		el_state(w, k, TS_READY, LINE_TAKE);
	}
	while (left > 0 && !il_cancelled(w)) {
		if (q.len == 0) {
			el_wait(t, n, pfd, who, &q);
			continue;
		}
		k = el_pop(&q);
		if (el_step(w, &t[k], k)) {
			st->sums[k] = t[k].wk.sum;
			el_state(w, k, TS_DONE, LINE_TAKE);
			if (t[k].failed)
				atomic_fetch_add(&st->failed, 1);
			else if (!il_cancelled(w))
				atomic_fetch_add(&st->done, 1);
			left--;
		} else if (t[k].deadline == 0 && t[k].fd < 0) {
			el_push(&q, k); /* yielded */
		}
	}
	for (k = 0; k < n; k++)
		if (t[k].fd >= 0)
			close(t[k].fd); /* cancelled mid-request */
	free(t);
	free(pfd);
	free(who);
	free(q.q);
	pthread_mutex_lock(&st->gil.m);
	atomic_store(&st->loop_done, 1);
	pthread_cond_broadcast(&st->gil.cv); /* the lanes may end */
	pthread_mutex_unlock(&st->gil.m);
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
		eventloop_lane(w);
		if (w->id != 0)
			return; /* a task's lane: the loop's time is what counts */
		goto out;
	}

	for (;;) {
		int task;

		if (gil && !holding) {
			if (gil_take(w) != 0)
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
				gil_drop(w); /* blocking I/O lets go of it */
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
		gil_drop(w);
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
    .keys = iovscpu_keys,
    .nkeys = IL_ARRAY_LEN(iovscpu_keys),
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
