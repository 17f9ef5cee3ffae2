/* Conductor and worker API: real threads, real queue, checked through the
 * drained event stream. */
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "conductor.h"
#include "event.h"
#include "evq.h"
#include "module.h"
#include "names.h"
#include "result.h"
#include "run.h"
#include "suites.h"
#include "util.h"
#include "worker.h"

#define H_MAX_THREADS    4
#define H_QUEUE          (1 << 14)
#define FREE_THREADS     4
#define FREE_ITERATIONS  100000
#define LONG_PUSH_NS     (30ULL * 1000 * 1000 * 1000)
#define POLL_DEADLINE_NS (30ULL * 1000 * 1000 * 1000)
#define TRACE_MAX        4096

/* One test run: a conductor, a queue, shared objects and worker threads. */
struct harness {
	struct evq *q;
	struct conductor *c;
	struct il_var var;
	struct il_lock lock[2];
	int nlocks;
	int nthreads;
	int started;
	struct il_worker w[H_MAX_THREADS];
	pthread_t tid[H_MAX_THREADS];
	void (*body)(struct il_worker *);
	/* Written by worker i only, read after join. */
	int lock_rc[H_MAX_THREADS][2];
	pthread_barrier_t barrier; /* free-run bodies that need it */
	struct event *ev;          /* drained events (controller thread) */
	size_t nev, cap;
};

static struct harness *
h_of(struct il_worker *w)
{
	return w->lesson;
}

/* The race: tmp = counter; tmp = tmp + 1; counter = tmp. */
static void
race_body(struct il_worker *w)
{
	struct harness *h = h_of(w);
	int64_t tmp;

	tmp = il_load(w, &h->var, 1);
	il_local(w, 0, tmp);
	il_line(w, 2);
	il_store(w, &h->var, tmp + 1, 3);
}

/* lock m; a line; unlock m. */
static void
lock_body(struct il_worker *w)
{
	struct harness *h = h_of(w);

	h->lock_rc[w->id][0] = il_lock(w, &h->lock[0], 1);
	if (h->lock_rc[w->id][0] != 0)
		return;
	il_line(w, 2);
	il_unlock(w, &h->lock[0], 3);
}

/* A takes m then n, B takes n then m. */
static void
deadlock_body(struct il_worker *w)
{
	struct harness *h = h_of(w);
	struct il_lock *first = &h->lock[w->id], *second = &h->lock[!w->id];

	h->lock_rc[w->id][0] = il_lock(w, first, 1);
	if (h->lock_rc[w->id][0] != 0)
		return;
	if (conductor_policy(w->conductor) == POLICY_FREE)
		pthread_barrier_wait(&h->barrier);
	h->lock_rc[w->id][1] = il_lock(w, second, 2);
	if (h->lock_rc[w->id][1] == 0)
		il_unlock(w, second, 3);
	il_unlock(w, first, 4);
}

/* Many unlocked increments. */
static void
increment_body(struct il_worker *w)
{
	struct harness *h = h_of(w);
	int64_t v;
	int i;

	for (i = 0; i < FREE_ITERATIONS && !il_cancelled(w); i++) {
		v = il_load(w, &h->var, 1);
		il_store(w, &h->var, v + 1, 2);
	}
}

/* A CPU step that only cancel can end. */
static void
endless_cpu_body(struct il_worker *w)
{
	il_cpu(w, LONG_MAX, 1);
}

/* An I/O step of a thousand seconds. */
static void
long_io_body(struct il_worker *w)
{
	il_io(w, 1000 * 1000, 1);
	il_cpu(w, 3, 2);
}

static void *
h_thread(void *arg)
{
	struct il_worker *w = arg;

	conductor_thread_begin(w->conductor, w->id);
	h_of(w)->body(w);
	conductor_thread_end(w->conductor, w->id);
	return NULL;
}

/* Move every queued event into h->ev. */
static size_t
h_drain(struct harness *h)
{
	size_t n, total = 0;

	for (;;) {
		if (h->cap - h->nev < 256) {
			h->cap = h->cap ? h->cap * 2 : 4096;
			h->ev = xrealloc(h->ev, h->cap * sizeof *h->ev);
		}
		n = evq_pop(h->q, h->ev + h->nev, h->cap - h->nev);
		if (n == 0)
			return total;
		h->nev += n;
		total += n;
	}
}

/* Set up a run of n threads with two locks "m" and "n". */
static void
h_init(struct harness *h, int n, enum policy policy, uint64_t seed,
    void (*body)(struct il_worker *))
{
	int i;

	memset(h, 0, sizeof *h);
	h->q = evq_new(H_QUEUE);
	ck_assert_ptr_nonnull(h->q);
	evq_set_push_timeout(h->q, LONG_PUSH_NS);
	h->c = conductor_new(n, policy, seed, h->q);
	ck_assert_ptr_nonnull(h->c);
	h->nthreads = n;
	h->body = body;
	il_var_init(&h->var, 0, "counter", 0);
	il_lock_init(&h->lock[0], conductor_lock_add(h->c, "m"), "m");
	il_lock_init(&h->lock[1], conductor_lock_add(h->c, "n"), "n");
	h->nlocks = 2;
	pthread_barrier_init(&h->barrier, NULL, (unsigned)n);
	for (i = 0; i < n; i++) {
		h->w[i].id = i;
		h->w[i].conductor = h->c;
		h->w[i].lesson = h;
	}
}

/* Start the threads; in a controlled run one at a time, as run.c does. */
static void
h_start(struct harness *h)
{
	int i;

	for (i = 0; i < h->nthreads; i++) {
		ck_assert_int_eq(
		    pthread_create(&h->tid[i], NULL, h_thread, &h->w[i]), 0);
		h->started++;
		if (conductor_policy(h->c) != POLICY_FREE)
			ck_assert_int_eq(conductor_wait_parked(h->c, i), 0);
	}
}

static int
h_grant(struct harness *h, int t)
{
	int rc = conductor_grant(h->c, t);

	h_drain(h);
	return rc;
}

/* Grant a schedule of 1-based thread numbers; each must succeed. */
static void
h_schedule(struct harness *h, const int *sched, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		ck_assert_msg(h_grant(h, sched[i] - 1) == 0,
		    "schedule item %zu (thread %d) refused", i + 1, sched[i]);
}

/* Join every thread (cancelling first if any is unfinished). */
static void
h_join(struct harness *h)
{
	int i;

	if (!conductor_all_done(h->c))
		conductor_cancel(h->c);
	for (i = 0; i < h->started; i++)
		pthread_join(h->tid[i], NULL);
	h->started = 0;
	h_drain(h);
}

/* Join, then free everything but the drained events. */
static void
h_finish(struct harness *h)
{
	int i;

	h_join(h);
	for (i = 0; i < h->nlocks; i++)
		il_lock_destroy(&h->lock[i]);
	pthread_barrier_destroy(&h->barrier);
	ck_assert_uint_eq(evq_dropped(h->q), 0);
	conductor_free(h->c);
	evq_free(h->q);
	h->c = NULL;
	h->q = NULL;
}

static void
h_free(struct harness *h)
{
	free(h->ev);
	h->ev = NULL;
}

/* Events of kind (and, for EV_STATE, state) from thread t; t < 0: any. */
static size_t
h_count(const struct harness *h, int t, enum ev_kind kind, int64_t state)
{
	size_t i, n = 0;

	for (i = 0; i < h->nev; i++)
		if ((t < 0 || h->ev[i].thread == t) && h->ev[i].kind == kind &&
		    (kind != EV_STATE || h->ev[i].a == state))
			n++;
	return n;
}

/* Two streams are equal in every field but the time stamp and the OS
 * thread id of EV_THREAD_START. */
static int
streams_equal(
    const struct event *a, size_t na, const struct event *b, size_t nb)
{
	size_t i;

	if (na != nb)
		return 0;
	for (i = 0; i < na; i++) {
		if (a[i].kind != b[i].kind || a[i].thread != b[i].thread ||
		    a[i].step != b[i].step || a[i].line != b[i].line ||
		    a[i].b != b[i].b)
			return 0;
		if (a[i].kind != EV_THREAD_START && a[i].a != b[i].a)
			return 0;
	}
	return 1;
}

/* One token per event, e.g. "AL0=0" (A loaded 0 in step 0). */
static void
trace_event(const struct event *e, char *buf, size_t len)
{
	static const char state_code[TS_COUNT] = {'N', 'R', 'r', 'I', 'W', 'D'};
	static const char kind_code[EV_KIND_COUNT] = {
	    's', 'e', '?', 'l', 'L', 'S', 'q', 'a', 'x', 'o', 'm', 'i'};
	const char *name = thread_name(e->thread);
	char code = kind_code[e->kind];

	if (e->kind == EV_STATE)
		code = e->a >= 0 && e->a < TS_COUNT ? state_code[e->a] : '?';
	if (e->kind == EV_LOAD || e->kind == EV_STORE)
		snprintf(buf, len, "%s%c%u=%lld", name, code, e->step,
		    (long long)e->b);
	else
		snprintf(buf, len, "%s%c%u", name, code, e->step);
}

/* The whole stream as space-separated tokens. */
static void
trace(const struct harness *h, char *out, size_t len)
{
	char tok[64];
	size_t i, off = 0;

	out[0] = '\0';
	for (i = 0; i < h->nev && off < len; i++) {
		trace_event(&h->ev[i], tok, sizeof tok);
		off += (size_t)snprintf(
		    out + off, len - off, "%s%s", i ? " " : "", tok);
	}
}

/* ---- determinism ---- */

struct sched_case {
	int nthreads;
	int sched[9];
	size_t len;
	int64_t final;
};

static const struct sched_case sched_cases[] = {
    {2, {1, 1, 1, 2, 2, 2}, 6, 2},
    {2, {1, 2, 1, 2, 1, 2}, 6, 1},
    {2, {1, 1, 2, 2, 2, 1}, 6, 1},
    {3, {1, 2, 3, 1, 2, 3, 1, 2, 3}, 9, 1},
    {3, {1, 1, 1, 2, 2, 2, 3, 3, 3}, 9, 3},
    {3, {1, 2, 1, 1, 3, 2, 2, 3, 3}, 9, 2},
};

/* Run the race body under a schedule; leaves the events in h. */
static void
run_race(struct harness *h, const struct sched_case *sc)
{
	h_init(h, sc->nthreads, POLICY_REPLAY, 0, race_body);
	h_start(h);
	h_schedule(h, sc->sched, sc->len);
	ck_assert(conductor_all_done(h->c));
	ck_assert_uint_eq(conductor_steps(h->c), sc->len);
	ck_assert_int_eq(atomic_load(&h->var.value), sc->final);
	h_finish(h);
}

START_TEST(test_schedule_final_and_repeatable)
{
	const struct sched_case *sc = &sched_cases[_i];
	struct harness a, b;

	run_race(&a, sc);
	run_race(&b, sc);
	ck_assert_uint_eq(h_count(&a, -1, EV_STORE, 0), (size_t)sc->nthreads);
	ck_assert_msg(streams_equal(a.ev, a.nev, b.ev, b.nev),
	    "two runs of the same schedule differ");
	h_free(&a);
	h_free(&b);
}
END_TEST

START_TEST(test_schedule_exact_stream)
{
	static const char expected[] =
	    "As0 AR0 Ar0 Bs0 BR0 Br0 "
	    "AR0 AL0=0 Am0 Ar1 BR1 BL1=0 Bm1 Br2 AR2 Al2 Ar3 BR3 Bl3 Br4 "
	    "AR4 AS4=1 AD5 Ae5 BR5 BS5=1 BD6 Be6";
	struct harness h;
	char got[TRACE_MAX];

	run_race(&h, &sched_cases[1]);
	trace(&h, got, sizeof got);
	ck_assert_str_eq(got, expected);
	h_free(&h);
}
END_TEST

/* Run the 3-thread race under the random policy to the end. */
static void
run_random(struct harness *h, uint64_t seed)
{
	int t, steps = 0;

	h_init(h, 3, POLICY_RANDOM, seed, race_body);
	h_start(h);
	while ((t = conductor_pick_random(h->c)) >= 0) {
		ck_assert_int_eq(h_grant(h, t), 0);
		steps++;
	}
	ck_assert(conductor_all_done(h->c));
	ck_assert_int_eq(steps, 9);
	h_finish(h);
}

START_TEST(test_random_seeded)
{
	struct harness a, b, other;
	int seed, differ = 0;

	run_random(&a, 42);
	run_random(&b, 42);
	ck_assert(streams_equal(a.ev, a.nev, b.ev, b.nev));
	for (seed = 1; seed <= 8; seed++) {
		run_random(&other, (uint64_t)seed);
		differ += !streams_equal(a.ev, a.nev, other.ev, other.nev);
		h_free(&other);
	}
	ck_assert_int_gt(differ, 0);
	h_free(&a);
	h_free(&b);
}
END_TEST

/* ---- runnable rules ---- */

START_TEST(test_runnable_messages)
{
	static const int first[] = {1, 1, 1};
	struct harness h;
	char why[128];
	int64_t arg = -1;
	int line = -1;

	h_init(&h, 2, POLICY_STEP, 0, race_body);
	ck_assert(!conductor_runnable(h.c, 1, why, sizeof why));
	ck_assert_str_eq(why, "B has not started");
	h_start(&h);
	ck_assert(conductor_runnable(h.c, 0, why, sizeof why));
	ck_assert_int_eq(conductor_pending(h.c, 1, &arg, &line), OP_LOAD);
	ck_assert_int_eq(arg, h.var.id);
	ck_assert_int_eq(line, 1);
	h_schedule(&h, first, IL_ARRAY_LEN(first));

	ck_assert(!conductor_runnable(h.c, 0, why, sizeof why));
	ck_assert_str_eq(why, "A has finished");
	ck_assert_int_eq(h_grant(&h, 0), -1);
	ck_assert(!conductor_runnable(h.c, 2, why, sizeof why));
	ck_assert_str_eq(why, "thread 3 does not exist (2 threads)");
	ck_assert(!conductor_runnable(h.c, -1, NULL, 0));
	ck_assert_int_eq(conductor_lowest_runnable(h.c), 1);
	ck_assert(!conductor_all_done(h.c));
	h_schedule(&h, (const int[]){2, 2, 2}, 3);
	ck_assert(conductor_all_done(h.c));
	ck_assert_int_eq(conductor_lowest_runnable(h.c), -1);
	ck_assert_int_eq(conductor_pick_random(h.c), -1);
	h_finish(&h);
	h_free(&h);
}
END_TEST

/* ---- locks ---- */

START_TEST(test_lock_blocks_and_hands_over)
{
	static const char expected[] =
	    "As0 AR0 Ar0 Bs0 BR0 Br0 "
	    "AR0 Aq0 Aa0 Bq0 BW0 Ar1 AR1 Al1 Ar2 AR2 Ax2 Br2 AD3 Ae3 "
	    "BR3 Ba3 Br4 BR4 Bl4 Br5 BR5 Bx5 BD6 Be6";
	struct harness h;
	char why[128], got[TRACE_MAX];

	h_init(&h, 2, POLICY_STEP, 0, lock_body);
	h_start(&h);
	ck_assert_int_eq(h_grant(&h, 0), 0);
	ck_assert_int_eq(conductor_lock_owner(h.c, 0), 0);
	ck_assert(!conductor_runnable(h.c, 1, why, sizeof why));
	ck_assert_str_eq(why, "B is waiting for lock m, held by A");
	ck_assert_int_eq(h_grant(&h, 1), -1);
	ck_assert_int_eq(conductor_lowest_runnable(h.c), 0);

	ck_assert_int_eq(h_grant(&h, 0), 0); /* line */
	ck_assert(!conductor_runnable(h.c, 1, NULL, 0));
	ck_assert_int_eq(h_grant(&h, 0), 0); /* unlock */
	ck_assert_int_eq(conductor_lock_owner(h.c, 0), -1);
	ck_assert(conductor_runnable(h.c, 1, why, sizeof why));
	ck_assert_int_eq(h_grant(&h, 1), 0);
	ck_assert_int_eq(conductor_lock_owner(h.c, 0), 1);
	h_schedule(&h, (const int[]){2, 2}, 2);
	ck_assert(conductor_all_done(h.c));
	h_finish(&h);
	ck_assert_int_eq(h.lock_rc[0][0], 0);
	ck_assert_int_eq(h.lock_rc[1][0], 0);
	trace(&h, got, sizeof got);
	ck_assert_str_eq(got, expected);
	h_free(&h);
}
END_TEST

START_TEST(test_lock_deadlock_then_cancel)
{
	struct harness h;
	char why[128];

	h_init(&h, 2, POLICY_STEP, 7, deadlock_body);
	h_start(&h);
	ck_assert_int_eq(h_grant(&h, 0), 0); /* A takes m */
	ck_assert_int_eq(h_grant(&h, 1), 0); /* B takes n */
	ck_assert(!conductor_runnable(h.c, 0, why, sizeof why));
	ck_assert_str_eq(why, "A is waiting for lock n, held by B");
	ck_assert(!conductor_runnable(h.c, 1, why, sizeof why));
	ck_assert_str_eq(why, "B is waiting for lock m, held by A");
	ck_assert_int_eq(conductor_lowest_runnable(h.c), -1);
	ck_assert_int_eq(conductor_pick_random(h.c), -1);
	ck_assert(!conductor_all_done(h.c));
	ck_assert_uint_eq(h_count(&h, 0, EV_STATE, TS_LOCK_WAIT), 1);
	ck_assert_uint_eq(h_count(&h, 1, EV_STATE, TS_LOCK_WAIT), 1);

	conductor_cancel(h.c);
	ck_assert(conductor_cancelled(h.c));
	ck_assert_int_eq(h_grant(&h, 0), -1);
	ck_assert(!conductor_runnable(h.c, 0, why, sizeof why));
	ck_assert_str_eq(why, "the run was cancelled");
	h_finish(&h);
	ck_assert_int_eq(h.lock_rc[0][0], 0);
	ck_assert_int_eq(h.lock_rc[0][1], -1);
	ck_assert_int_eq(h.lock_rc[1][0], 0);
	ck_assert_int_eq(h.lock_rc[1][1], -1);
	h_free(&h);
}
END_TEST

/* Drain until n events of kind/state have arrived; fails at the deadline. */
static void
h_await(struct harness *h, enum ev_kind kind, int64_t state, size_t n)
{
	uint64_t deadline = clock_now_ns() + POLL_DEADLINE_NS;

	while (h_count(h, -1, kind, state) < n) {
		ck_assert_msg(clock_now_ns() < deadline, "event never came");
		if (h_drain(h) == 0)
			evq_wait(h->q, 20);
	}
}

START_TEST(test_free_deadlock_cancel)
{
	struct harness h;

	h_init(&h, 2, POLICY_FREE, 0, deadlock_body);
	h_start(&h);
	h_await(&h, EV_STATE, TS_LOCK_WAIT, 2);
	ck_assert(!conductor_all_done(h.c));
	h_finish(&h);
	ck_assert_int_eq(h.lock_rc[0][1], -1);
	ck_assert_int_eq(h.lock_rc[1][1], -1);
	h_free(&h);
}
END_TEST

/* ---- free policy ---- */

/* 1 if the [START, END] spans of two threads overlap in the stream. */
static int
h_overlap(const struct harness *h)
{
	size_t i;
	int live = 0;

	for (i = 0; i < h->nev; i++) {
		if (h->ev[i].kind == EV_THREAD_START && ++live > 1)
			return 1;
		if (h->ev[i].kind == EV_THREAD_END)
			live--;
	}
	return 0;
}

START_TEST(test_free_concurrent_increments)
{
	const size_t expected = (size_t)FREE_THREADS * FREE_ITERATIONS;
	struct harness h;
	int64_t final;

	h_init(&h, FREE_THREADS, POLICY_FREE, 0, increment_body);
	h_start(&h);
	while (!conductor_all_done(h.c))
		if (h_drain(&h) == 0)
			evq_wait(h.q, 20);
	ck_assert_uint_eq(conductor_steps(h.c), 0);
	h_finish(&h);
	final = atomic_load(&h.var.value);
	ck_assert_int_le(final, (int64_t)expected);
	/* Lost updates can take the counter below one thread's share (a
	 * thread preempted between its load and its store writes back a
	 * stale value); it cannot go below 2 with two or more threads. */
	ck_assert_int_ge(final, 2);
	ck_assert_uint_eq(h_count(&h, -1, EV_STORE, 0), expected);
	ck_assert_uint_eq(h_count(&h, -1, EV_LOAD, 0), expected);
	ck_assert_uint_eq(h_count(&h, -1, EV_THREAD_END, 0), FREE_THREADS);
	ck_assert_msg(h_overlap(&h), "the threads never ran concurrently");
	h_free(&h);
}
END_TEST

START_TEST(test_free_io_cancel)
{
	struct harness h;

	h_init(&h, 2, POLICY_FREE, 0, long_io_body);
	h_start(&h);
	h_await(&h, EV_STATE, TS_IO, 2);
	h_finish(&h);
	ck_assert_uint_eq(h_count(&h, -1, EV_THREAD_END, 0), 0);
	h_free(&h);
}
END_TEST

/* ---- cancel and virtual time in controlled runs ---- */

START_TEST(test_cancel_parked)
{
	struct harness h;

	h_init(&h, 3, POLICY_REPLAY, 0, race_body);
	h_start(&h);
	ck_assert_int_eq(h_grant(&h, 1), 0);
	conductor_cancel(h.c);
	ck_assert_int_eq(conductor_wait_parked(h.c, 0), -1);
	h_finish(&h);
	ck_assert_int_eq(atomic_load(&h.var.value), 0);
	h_free(&h);
}
END_TEST

struct canceller {
	struct conductor *c;
	int saw_step; /* 1 if the cancel came during the step */
};

/* Cancel once thread A is inside its granted step. */
static void *
cancel_during_step(void *arg)
{
	struct canceller *k = arg;
	uint64_t deadline = clock_now_ns() + POLL_DEADLINE_NS;

	while (conductor_pending(k->c, 0, NULL, NULL) != OP_NONE &&
	    clock_now_ns() < deadline)
		sched_yield();
	k->saw_step = conductor_pending(k->c, 0, NULL, NULL) == OP_NONE;
	conductor_cancel(k->c);
	return NULL;
}

START_TEST(test_cancel_during_grant)
{
	struct harness h;
	struct canceller k;
	pthread_t tid;

	h_init(&h, 1, POLICY_STEP, 0, endless_cpu_body);
	h_start(&h);
	ck_assert_int_eq(conductor_pending(h.c, 0, NULL, NULL), OP_CPU);
	k.c = h.c;
	k.saw_step = 0;
	ck_assert_int_eq(pthread_create(&tid, NULL, cancel_during_step, &k), 0);
	ck_assert_int_eq(h_grant(&h, 0), -1);
	pthread_join(tid, NULL);
	ck_assert(k.saw_step);
	h_finish(&h);
	h_free(&h);
}
END_TEST

START_TEST(test_controlled_io_is_virtual)
{
	struct harness h;

	h_init(&h, 1, POLICY_STEP, 0, long_io_body);
	h_start(&h);
	ck_assert_int_eq(conductor_pending(h.c, 0, NULL, NULL), OP_IO);
	ck_assert_int_eq(h_grant(&h, 0), 0);
	ck_assert_uint_eq(h_count(&h, 0, EV_STATE, TS_IO), 1);
	ck_assert_uint_eq(h_count(&h, 0, EV_STATE, TS_RUNNING), 1);
	ck_assert_int_eq(conductor_pending(h.c, 0, NULL, NULL), OP_CPU);
	ck_assert_int_eq(h_grant(&h, 0), 0);
	ck_assert(conductor_all_done(h.c));
	ck_assert_uint_eq(h_count(&h, 0, EV_STATE, TS_RUNNING), 2);
	h_finish(&h);
	h_free(&h);
}
END_TEST

START_TEST(test_thread_names)
{
	ck_assert_str_eq(thread_name(0), "A");
	ck_assert_str_eq(thread_name(25), "Z");
	ck_assert_str_eq(thread_name(26), "AA");
	ck_assert_str_eq(thread_name(CONDUCTOR_MAX_THREADS), "?");
}
END_TEST

/* ---- whole runs through the run API ---- */

/* A controlled race of up to steps steps under the random policy. */
static struct run *
race_run(uint64_t seed, int threads, long iterations, uint64_t steps)
{
	struct run_config cfg;
	struct run *r;
	char params[64], err[256];
	uint64_t k;
	int t;

	snprintf(params, sizeof params, "threads=%d iterations=%ld", threads,
	    iterations);
	th_config(&cfg, th_module("race"), params, POLICY_RANDOM);
	cfg.seed = seed;
	r = th_start(&cfg);
	for (k = 0; k < steps && (t = conductor_pick_random(r->c)) >= 0; k++)
		ck_assert_int_eq(run_step(r, t, err, sizeof err), 0);
	return r;
}

/* Two modules of the test's own, two workers each. The flag module's
 * workers increment one counter, each adding up what il_store returned;
 * the loop module is shaped like an event loop (see loop_worker). */
#define FLAG_INCREMENTS 100000
#define LOOP_UNITS      20000

struct test_module_state {
	struct run *run;
	struct il_var *counter;
	long overwrote[2]; /* by worker i only; read after the join */
	/* loop: set once by lane 1 as it starts, once by lane 0 when
	 * done; read by the other lane */
	_Atomic int joined, done;
};

static int
test_module_threads(const long *params)
{
	(void)params;
	return 2;
}

static int
test_module_setup(struct run *r, const long *params, char *err, size_t errlen)
{
	struct test_module_state *st = xcalloc(1, sizeof *st);

	(void)params;
	(void)err;
	(void)errlen;
	st->run = r;
	st->counter = run_add_var(r, "counter", 0, 1);
	r->lesson = st;
	return 0;
}

static void
test_module_result(struct run *r, struct result *res)
{
	(void)r;
	result_int(res, "done", 1);
}

static void
test_module_teardown(struct run *r)
{
	free(r->lesson);
	r->lesson = NULL;
}

/* One of the test's modules: its id and its worker body. */
#define TEST_MODULE(name, body)                                                \
	{                                                                      \
		.id = name, .threads = test_module_threads,                    \
		.setup = test_module_setup, .worker = body,                    \
		.result = test_module_result,                                  \
		.teardown = test_module_teardown,                              \
	}

static void
flag_worker(struct il_worker *w)
{
	struct test_module_state *st = w->lesson;
	int64_t v;
	int i;

	for (i = 0; i < FLAG_INCREMENTS && !il_cancelled(w); i++) {
		v = il_load(w, st->counter, 1);
		st->overwrote[w->id] += il_store(w, st->counter, v + 1, 2);
	}
}

static const struct lesson_module flag_module =
    TEST_MODULE("test-flags", flag_worker);

/*
 * In a free run the marks come from real memory: the model counts exactly
 * the stores for which il_store returned 1, in the lane of the worker that
 * made them, however the queue ordered the events. And if the counter
 * lost increments, some store must have overwritten one.
 */
START_TEST(test_free_run_marks_are_real)
{
	long params[MODULE_MAX_PARAMS] = {0};
	struct run_config cfg;
	struct test_module_state *st;
	struct run *r;
	uint64_t sum = 0, lanes = 0;
	int64_t counter;
	int t;

	/* given */
	run_config_free(&cfg, &flag_module, params, 0);
	/* when */
	r = th_start(&cfg);
	th_wait_done(r);
	/* then */
	st = r->lesson;
	counter = atomic_load(&st->counter->value);
	ck_assert_uint_eq(evq_dropped(r->q), 0);
	for (t = 0; t < 2; t++) {
		uint64_t in_lane =
		    timeline_bucket_marks(&r->m->threads[t].tl, 0, UINT64_MAX);

		ck_assert_uint_eq(in_lane, (uint64_t)st->overwrote[t]);
		sum += (uint64_t)st->overwrote[t];
		lanes += in_lane;
	}
	ck_assert_uint_eq(r->m->nmarks, sum);
	ck_assert_uint_eq(lanes, sum);
	ck_assert_uint_eq(r->m->vars[0].stale, sum);
	ck_assert_uint_eq(r->m->vars[0].stores, 2 * FLAG_INCREMENTS);
	ck_assert_int_le(counter, 2 * FLAG_INCREMENTS);
	if (counter < 2 * FLAG_INCREMENTS)
		ck_assert_uint_gt(sum, 0);
	if (sum > 0) /* the marks know who stored, not whose update */
		ck_assert_int_eq(model_last_mark(r->m)->victim, -1);
	run_free(r);
}
END_TEST

/* Lane 0 gives lane 1 its own OS thread (il_os_identity), as an event
 * loop does for its tasks, then computes; lane 1's thread only sleeps
 * until lane 0 is done. */
static void
loop_worker(struct il_worker *w)
{
	struct test_module_state *st = w->lesson;
	struct timespec ms = {0, 1000000};

	if (w->id == 1) {
		atomic_store(&st->joined, 1);
		while (!atomic_load(&st->done) && !il_cancelled(w))
			nanosleep(&ms, NULL);
		return;
	}
	while (!atomic_load(&st->joined) && !il_cancelled(w))
		nanosleep(&ms, NULL);
	il_os_identity(&st->run->workers[1], 0, atomic_load(&w->os_tid));
	il_cpu(w, LOOP_UNITS, 1);
	atomic_store(&st->done, 1);
}

static const struct lesson_module loop_module =
    TEST_MODULE("test-loop", loop_worker);

/* Whether the model has seen lane 1 move to lane 0's thread. */
static int
loop_moved(const struct model *m)
{
	return m->threads[1].os_tid != 0 &&
	    m->threads[1].os_tid == m->threads[0].os_tid;
}

/*
 * The sampler reads an OS thread that two lanes share once, for the lower
 * lane: once lane 1 has moved to lane 0's thread, it gets no samples of
 * its own (one may already be on its way from the tick that saw it move),
 * and the model knows the two lanes as one group.
 */
START_TEST(test_sampler_reads_shared_thread_once)
{
	long params[MODULE_MAX_PARAMS] = {0};
	struct event buf[256];
	struct run_config cfg;
	struct run *r;
	int moved, late = 0, done = 0;
	size_t n, i;

	/* given */
	run_config_free(&cfg, &loop_module, params, 5);
	r = th_start(&cfg); /* which pumps the first events */
	moved = loop_moved(r->m);
	/* when: the events, watched on their way to the model */
	while (!done) {
		done = run_done(r);
		while ((n = evq_pop(r->q, buf, IL_ARRAY_LEN(buf))) > 0) {
			for (i = 0; i < n; i++) {
				const struct event *e = &buf[i];

				if (e->kind == EV_OS_SAMPLE && e->thread == 1)
					late += moved;
				model_apply(r->m, e);
				moved = loop_moved(r->m);
			}
		}
		if (!done)
			evq_wait(r->q, 20);
	}
	run_finish(r);
	/* then */
	ck_assert(moved);
	ck_assert_int_le(late, 1);
	ck_assert_int_eq(model_lane_leader(r->m, 1), 0);
	ck_assert_int_eq(model_lane_group(r->m, 0), 2);
	run_free(r);
}
END_TEST

/* A worker's own stores: a store after its load returns 0, a blind store
 * returns 0, and a store over another's update returns 1 and says so in
 * its event. */
START_TEST(test_store_returns)
{
	struct harness h;
	struct il_worker *a, *b;
	size_t i, flagged = 0;

	h_init(&h, 2, POLICY_FREE, 0, race_body);
	a = &h.w[0];
	b = &h.w[1];
	/* no threads: the calls run here, in a free run's way */
	ck_assert_int_eq(il_store(a, &h.var, 5, 1), 0); /* blind */
	ck_assert_int_eq(il_load(a, &h.var, 1), 5);
	ck_assert_int_eq(il_store(a, &h.var, 6, 1), 0); /* replaces 5 */
	ck_assert_int_eq(il_store(a, &h.var, 9, 1), 0); /* blind again */
	ck_assert_int_eq(il_load(a, &h.var, 1), 9);
	ck_assert_int_eq(il_load(b, &h.var, 1), 9);
	ck_assert_int_eq(il_store(b, &h.var, 10, 1), 0);
	ck_assert_int_eq(il_store(a, &h.var, 10, 1), 1); /* over B's 10 */
	ck_assert_int_eq(atomic_load(&h.var.value), 10);
	h_drain(&h);
	for (i = 0; i < h.nev; i++) {
		if (h.ev[i].kind != EV_STORE)
			continue;
		ck_assert_int_eq(EV_STORE_VAR(h.ev[i].a), h.var.id);
		if (h.ev[i].a & EV_STORE_OVERWROTE) {
			flagged++;
			ck_assert_int_eq(h.ev[i].thread, 0);
			ck_assert_int_eq(h.ev[i].b, 10);
		}
	}
	ck_assert_uint_eq(flagged, 1);
	h_finish(&h);
	h_free(&h);
}
END_TEST

/*
 * A long controlled run keeps its early history exact: with more than
 * 4096 spans per thread (the old limit, past which history was merged
 * into its dominant state), its first 100 steps look exactly like a run
 * of the same seed stopped there, at every zoom, marks included.
 */
START_TEST(test_long_run_keeps_early_history)
{
	static const uint64_t widths[] = {1, 3, 10, 100};
	struct run *shrt = race_run(7, 2, 100000, 100);
	struct run *lng = race_run(7, 2, 100000, 12000);
	const struct model *a = shrt->m, *b = lng->m;
	uint64_t fa[TS_COUNT], fb[TS_COUNT], x;
	size_t i, w;
	int t, s;

	/* given: the same seed, so the same first 100 steps */
	ck_assert_uint_eq(a->step, 100);
	ck_assert_uint_eq(b->step, 12000);
	ck_assert_uint_gt(a->nmarks, 0);
	for (t = 0; t < 2; t++) {
		/* more spans than the old limit, all exact */
		ck_assert_uint_gt(b->threads[t].tl.n, 4096);
		ck_assert_uint_eq(b->threads[t].tl.merges, 0);
		for (i = 0; i < IL_ARRAY_LEN(widths); i++) {
			w = widths[i];
			for (x = 0; x + w <= 100; x += w) {
				timeline_bucket_fractions(
				    &a->threads[t].tl, x, x + w, a->now, fa);
				timeline_bucket_fractions(
				    &b->threads[t].tl, x, x + w, b->now, fb);
				for (s = 0; s < TS_COUNT; s++)
					ck_assert_msg(fa[s] == fb[s],
					    "thread %d [%llu,+%zu) state %d: "
					    "%llu after 100 steps, %llu later",
					    t, (unsigned long long)x, w, s,
					    (unsigned long long)fa[s],
					    (unsigned long long)fb[s]);
				ck_assert_uint_eq(
				    timeline_bucket_marks(
				        &a->threads[t].tl, x, x + w),
				    timeline_bucket_marks(
				        &b->threads[t].tl, x, x + w));
			}
		}
	}
	/* the first marks are the same ones */
	for (i = 0; i < model_marks_kept(a); i++) {
		ck_assert_uint_eq(
		    model_mark(a, i)->step, model_mark(b, i)->step);
		ck_assert_int_eq(
		    model_mark(a, i)->thread, model_mark(b, i)->thread);
	}
	run_free(shrt);
	run_free(lng);
}
END_TEST

Suite *
make_conductor_suite(void)
{
	Suite *s = suite_create("conductor");
	TCase *tc;

	tc = tcase_create("controlled");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_schedule_final_and_repeatable, 0,
	    (int)IL_ARRAY_LEN(sched_cases));
	tcase_add_test(tc, test_schedule_exact_stream);
	tcase_add_test(tc, test_random_seeded);
	tcase_add_test(tc, test_runnable_messages);
	tcase_add_test(tc, test_controlled_io_is_virtual);
	tcase_add_test(tc, test_thread_names);
	suite_add_tcase(s, tc);

	tc = tcase_create("locks");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_lock_blocks_and_hands_over);
	tcase_add_test(tc, test_lock_deadlock_then_cancel);
	tcase_add_test(tc, test_free_deadlock_cancel);
	suite_add_tcase(s, tc);

	tc = tcase_create("free");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_free_concurrent_increments);
	tcase_add_test(tc, test_free_io_cancel);
	tcase_add_test(tc, test_store_returns);
	tcase_add_test(tc, test_free_run_marks_are_real);
	suite_add_tcase(s, tc);

	tc = tcase_create("runs");
	/* Twelve thousand handoffs take a while under sanitizers on a
	 * loaded machine; nothing is timed, the limit only catches hangs. */
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_long_run_keeps_early_history);
	tcase_add_test(tc, test_sampler_reads_shared_thread_once);
	suite_add_tcase(s, tc);

	tc = tcase_create("cancel");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_cancel_parked);
	tcase_add_test(tc, test_cancel_during_grant);
	suite_add_tcase(s, tc);
	return s;
}
