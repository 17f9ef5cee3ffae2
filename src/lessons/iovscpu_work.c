/*
 * The io-vs-cpu lesson's work: what its worker threads do in each mode
 * (sequential, threads, behind the GIL), its forked processes, and its
 * event-loop tasks. The module itself is in iovscpu.c.
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
int
iovscpu_shm_map(struct iovscpu *st, int lanes, char *err, size_t errlen)
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

void
iovscpu_eventloop_setup(struct iovscpu *st, struct run *r)
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

void
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
