/* Conductor and worker API: real threads, real queue, checked through the
 * drained event stream. The harness is in test_conductor_harness.c, whole
 * runs through the run API in test_conductor_runs.c. */
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
#include "names.h"
#include "suites.h"
#include "test_conductor.h"
#include "util.h"
#include "worker.h"

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
	conductor_add_free_run_tests(tc);
	suite_add_tcase(s, tc);

	tc = tcase_create("runs");
	/* Twelve thousand handoffs take a while under sanitizers on a
	 * loaded machine; nothing is timed, the limit only catches hangs. */
	tcase_set_timeout(tc, 300);
	conductor_add_run_api_tests(tc);
	suite_add_tcase(s, tc);

	tc = tcase_create("cancel");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_cancel_parked);
	tcase_add_test(tc, test_cancel_during_grant);
	suite_add_tcase(s, tc);
	return s;
}
