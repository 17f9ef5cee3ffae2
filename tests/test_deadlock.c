/* The deadlock lesson: opposite lock orders deadlock and the model finds
 * the whole cycle, one order never does; a deadlocked run is joined at
 * once, stepped or free; trylock with a fixed back-off livelocks and a
 * random one does not. Free runs depend on real timing, so those tests
 * retry a few times and check the outcome, never a fixed sleep. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conductor.h"
#include "helper.h"
#include "model.h"
#include "module.h"
#include "run.h"
#include "suites.h"
#include "util.h"

#define JOIN_LIMIT_NS 200000000u /* DESIGN: every worker within 200 ms */

/* run_finish's time in ns: cancel and join every worker. */
static uint64_t
timed_finish(struct run *r)
{
	uint64_t t0 = clock_now_ns();

	run_finish(r);
	return clock_now_ns() - t0;
}

/* The model's cycle as text ("" if none). */
static const char *
model_cycle(struct run *r, char *buf, size_t len)
{
	buf[0] = '\0';
	if (r->m->deadlock.n > 0)
		model_cycle_short(r->m, &r->m->deadlock, buf, len);
	return buf;
}

/* 1 if no thread of a stepped run can take a step. */
static int
none_runnable(struct run *r)
{
	int t;

	for (t = 0; t < r->nthreads; t++)
		if (conductor_runnable(r->c, t, NULL, 0))
			return 0;
	return 1;
}

/* --schedule 1,2: T1 holds A and wants B, T2 holds B and wants A. T2's
 * wait closed the ring; the model starts it at T1 all the same. */
START_TEST(test_schedule_deadlocks)
{
	struct run *r = th_run("deadlock", NULL, "1,2");
	char buf[128], why[256];

	run_pump(r);
	ck_assert(none_runnable(r));
	ck_assert_int_ne(run_step(r, 0, why, sizeof why), 0);
	ck_assert_int_eq(r->m->deadlock.n, 2);
	ck_assert_str_eq(model_cycle(r, buf, sizeof buf), "T1>B>T2>A>T1");
	model_wait_reason(r->m, 0, buf, sizeof buf);
	ck_assert_str_eq(buf, "waiting for B, held by T2");
	ck_assert_uint_lt(timed_finish(r), JOIN_LIMIT_NS);
	ck_assert_str_eq(th_result_text(r, "deadlock", buf, sizeof buf), "yes");
	ck_assert_str_eq(
	    th_result_text(r, "cycle", buf, sizeof buf), "T1>B>T2>A>T1");
	ck_assert_int_eq(th_verdict_value(r, "meals"), 0);
	ck_assert_int_eq(th_verdict_value(r, "expected_meals"), 2);
	ck_assert_str_eq(th_result_text(r, "timed_out", buf, sizeof buf), "no");
	run_free(r);

	/* the other way round, T1 closes it */
	r = th_run("deadlock", NULL, "2,1");
	run_pump(r);
	ck_assert_str_eq(model_cycle(r, buf, sizeof buf), "T1>B>T2>A>T1");
	run_finish(r);
	run_free(r);
}
END_TEST

/* The result line's fields, in their order. */
START_TEST(test_result_line)
{
	struct run *r = th_run("deadlock", "order=same", NULL);
	char line[512];

	th_wait_done(r);
	th_result(r, line, sizeof line);
	ck_assert_str_eq(line,
	    "deadlock=no cycle=none livelock=no livelock_ms=0 order=same "
	    "strategy=block backoff=fixed philosophers=0 meals=2 "
	    "expected_meals=2 timed_out=no dropped=0");
	run_free(r);
}
END_TEST

/* One stepped run under the seeded random policy, until every thread
 * has finished or none can move; the model's cycle into buf. */
static int
random_run(const char *params, uint64_t seed, char *buf, size_t len)
{
	struct run_config cfg;
	struct run *r;
	char why[256];
	int t, deadlocked;

	th_config(&cfg, th_module("deadlock"), params, POLICY_RANDOM);
	cfg.seed = seed;
	r = th_start(&cfg);
	while ((t = conductor_pick_random(r->c)) >= 0)
		ck_assert_msg(run_step(r, t, why, sizeof why) == 0, "%s", why);
	run_pump(r);
	deadlocked = !conductor_all_done(r->c);
	/* stuck is the same as a cycle: nothing else can stop them */
	ck_assert_int_eq(deadlocked, r->m->deadlock.n > 0);
	model_cycle(r, buf, len);
	if (deadlocked)
		ck_assert_int_eq(r->m->deadlock.n, r->nthreads);
	run_finish(r);
	if (!deadlocked)
		ck_assert_int_eq(th_verdict_value(r, "meals"),
		    th_verdict_value(r, "expected_meals"));
	run_free(r);
	return deadlocked;
}

/* 1,000 seeds, two threads: one order never deadlocks; opposite orders
 * do for some seeds, and the cycle is always the two-thread ring, led
 * by the thread that closed it. */
START_TEST(test_random_two_threads)
{
	char buf[128];
	long deadlocks = 0;
	uint64_t seed;

	for (seed = 1; seed <= 1000; seed++) {
		ck_assert_int_eq(random_run("order=same iterations=2", seed,
		                     buf, sizeof buf),
		    0);
		if (!random_run("order=opposite", seed, buf, sizeof buf))
			continue;
		deadlocks++;
		ck_assert_msg(strcmp(buf, "T1>B>T2>A>T1") == 0,
		    "seed %llu: cycle %s", (unsigned long long)seed, buf);
	}
	ck_assert_int_gt(deadlocks, 0);
	ck_assert_int_lt(deadlocks, 1000);
}
END_TEST

/* N philosophers (loop index), 100 seeds: lower fork first never
 * deadlocks; left fork first can, and then the ring holds all N. */
START_TEST(test_random_philosophers)
{
	char params[64], buf[256];
	long deadlocks = 0;
	uint64_t seed;
	int n = _i;

	for (seed = 1; seed <= 100; seed++) {
		snprintf(
		    params, sizeof params, "philosophers=%d order=same", n);
		ck_assert_int_eq(random_run(params, seed, buf, sizeof buf), 0);
		snprintf(
		    params, sizeof params, "philosophers=%d order=opposite", n);
		deadlocks += random_run(params, seed, buf, sizeof buf);
	}
	/* with 2 or 3 at the table a random order finds the ring often;
	 * with 9 every philosopher must take a left fork first */
	if (n <= 3)
		ck_assert_int_gt(deadlocks, 0);
}
END_TEST

/* A stepped ring of every philosopher, each holding its left fork. */
START_TEST(test_philosophers_ring)
{
	char sched[32] = "", buf[128];
	struct run *r;
	int i;

	for (i = 1; i <= 5; i++)
		snprintf(sched + strlen(sched), sizeof sched - strlen(sched),
		    "%s%d", i > 1 ? "," : "", i);
	r = th_run("deadlock", "philosophers=5", sched);
	run_pump(r);
	ck_assert(none_runnable(r));
	ck_assert_int_eq(r->m->deadlock.n, 5);
	ck_assert_str_eq(model_cycle(r, buf, sizeof buf),
	    "T1>f2>T2>f3>T3>f4>T4>f5>T5>f1>T1");
	run_finish(r);
	run_free(r);
}
END_TEST

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* 20 deadlocked stepped runs: each is joined within 200 ms. */
START_TEST(test_cancel_stepped)
{
	uint64_t t[20];
	int i;

	for (i = 0; i < 20; i++) {
		struct run *r = th_run("deadlock", NULL, "1,2");

		run_pump(r);
		ck_assert_int_eq(r->m->deadlock.n, 2);
		t[i] = timed_finish(r);
		run_free(r);
	}
	qsort(t, 20, sizeof t[0], cmp_u64);
	ck_assert_uint_lt(t[19], JOIN_LIMIT_NS);
}
END_TEST

/* A free run of params, pumped until the model has a cycle or a
 * generous deadline passes; 1 if it has one. */
static int
free_until_deadlock(struct run **out, const char *params)
{
	struct run_config cfg;
	struct run *r;
	uint64_t deadline;

	th_config(&cfg, th_module("deadlock"), params, POLICY_FREE);
	r = th_start(&cfg);
	deadline = clock_now_ns() + 10000000000u;
	while (
	    r->m->deadlock.n == 0 && !run_done(r) && clock_now_ns() < deadline)
		run_pump(r);
	run_pump(r);
	*out = r;
	return r->m->deadlock.n > 0;
}

/* hold=50: the threads really deadlock, the result says so with the
 * cycle, the run is joined within 200 ms, and the next run works. Two
 * threads that start more than 50 ms apart (a loaded machine) do not
 * meet, so up to 5 tries. */
START_TEST(test_free_deadlock)
{
	struct run *r = NULL;
	char buf[128];
	uint64_t join;
	int i, hit = 0;

	for (i = 0; i < 5 && !hit; i++) {
		hit = free_until_deadlock(
		    &r, "hold=50 timeout=60000 iterations=1");
		if (!hit) {
			run_finish(r);
			run_free(r);
		}
	}
	ck_assert_msg(hit, "no deadlock in 5 free runs with hold=50");
	join = timed_finish(r);
	ck_assert_uint_lt(join, JOIN_LIMIT_NS);
	ck_assert_str_eq(th_result_text(r, "deadlock", buf, sizeof buf), "yes");
	th_result_text(r, "cycle", buf, sizeof buf);
	ck_assert_str_eq(buf, "T1>B>T2>A>T1");
	ck_assert_str_eq(th_result_text(r, "timed_out", buf, sizeof buf), "no");
	run_free(r);

	r = th_run("deadlock", "hold=50 order=same", NULL);
	th_wait_done(r);
	ck_assert_str_eq(th_result_text(r, "deadlock", buf, sizeof buf), "no");
	ck_assert_int_eq(th_verdict_value(r, "meals"), 2);
	run_free(r);
}
END_TEST

/* A deadlocked free run ends by itself at its timeout. */
START_TEST(test_free_timeout)
{
	struct run *r = NULL;
	char buf[64];
	int i, hit = 0;

	for (i = 0; i < 5 && !hit; i++) {
		r = th_run("deadlock", "hold=50 timeout=200", NULL);
		run_wait_free(r);
		ck_assert(run_over(r));
		run_finish(r);
		hit = r->m->deadlock.n > 0;
		if (!hit)
			run_free(r);
	}
	ck_assert_msg(hit, "no deadlock in 5 free runs with hold=50");
	ck_assert_int_eq(r->timed_out, 1);
	ck_assert_str_eq(
	    th_result_text(r, "timed_out", buf, sizeof buf), "yes");
	ck_assert_str_eq(th_result_text(r, "deadlock", buf, sizeof buf), "yes");
	run_free(r);
}
END_TEST

/* trylock with a fixed back-off: the two threads fail in step until the
 * timeout. They only stay in step if they start less than hold ms
 * apart, which a loaded machine may not give: up to 5 tries. */
START_TEST(test_livelock_fixed)
{
	struct run *r = NULL;
	char buf[64];
	long long ms = 0;
	int i, hit = 0;

	for (i = 0; i < 5 && !hit; i++) {
		r = th_run("deadlock",
		    "strategy=trylock backoff=fixed hold=20 timeout=1000",
		    NULL);
		th_wait_done(r);
		th_result_text(r, "livelock", buf, sizeof buf);
		ms = th_verdict_value(r, "livelock_ms");
		hit = strcmp(buf, "yes") == 0 &&
		    th_verdict_value(r, "meals") == 0;
		if (!hit)
			run_free(r);
	}
	ck_assert_msg(hit, "no livelock in 5 runs");
	/* the streak runs from the start to the timeout's cancel */
	ck_assert_int_ge(ms, 500);
	ck_assert_str_eq(th_result_text(r, "deadlock", buf, sizeof buf), "no");
	ck_assert_str_eq(
	    th_result_text(r, "timed_out", buf, sizeof buf), "yes");
	run_free(r);
}
END_TEST

/* A random back-off ends the livelock: every thread eats. Each round
 * the two are hold ms apart with probability 1/4, so a run usually
 * finishes in well under a second; the long timeout and up to 3 tries
 * cover a loaded machine. */
START_TEST(test_livelock_random)
{
	struct run *r;
	long long meals = 0;
	int i, done = 0;

	for (i = 0; i < 3 && !done; i++) {
		r = th_run("deadlock",
		    "strategy=trylock backoff=random hold=20 timeout=10000",
		    NULL);
		th_wait_done(r);
		meals = th_verdict_value(r, "meals");
		done = meals == th_verdict_value(r, "expected_meals");
		run_free(r);
	}
	ck_assert_msg(done, "random back-off: %lld meals of 2", meals);
}
END_TEST

/* Stepped 1,2,1,2,...: lock, try, unlock, back off, in step for ever:
 * the alert says LIVELOCK, and the result livelock=yes. */
START_TEST(test_livelock_stepped)
{
	char sched[128] = "", buf[256];
	struct run *r;
	int i;

	for (i = 0; i < 40; i++)
		snprintf(sched + strlen(sched), sizeof sched - strlen(sched),
		    "%s%d", i > 0 ? "," : "", i % 2 + 1);
	r = th_run("deadlock", "strategy=trylock backoff=fixed", sched);
	run_pump(r);
	ck_assert_int_eq(r->m->deadlock.n, 0);
	ck_assert_int_eq(r->cfg.module->alert(r, buf, sizeof buf), 1);
	ck_assert_msg(strncmp(buf, "LIVELOCK for ", 13) == 0, "%s", buf);
	ck_assert_ptr_nonnull(strstr(buf, "every thread keeps trying"));
	run_finish(r);
	ck_assert_str_eq(th_result_text(r, "livelock", buf, sizeof buf), "yes");
	ck_assert_int_eq(th_verdict_value(r, "meals"), 0);
	run_free(r);

	/* a few rounds are no livelock yet: 2 failures each */
	r = th_run("deadlock", "strategy=trylock backoff=fixed",
	    "1,2,1,2,1,2,1,2,1,2,1,2,1,2,1,2");
	ck_assert_int_eq(r->cfg.module->alert(r, buf, sizeof buf), 0);
	run_finish(r);
	ck_assert_str_eq(th_result_text(r, "livelock", buf, sizeof buf), "no");
	run_free(r);
}
END_TEST

/* One philosopher is refused with a reason; the lanes are
 * philosophers. */
START_TEST(test_validate_and_words)
{
	const struct lesson_module *m = th_module("deadlock");
	struct run_config cfg;
	struct lane_words w;
	char err[256];

	th_config(&cfg, m, "philosophers=1", POLICY_STEP);
	ck_assert_ptr_null(run_new(&cfg, err, sizeof err));
	ck_assert_ptr_nonnull(strstr(err, "philosophers=1"));
	th_config(&cfg, m, "philosophers=5", POLICY_STEP);
	module_lane_words(m, cfg.params, &w);
	ck_assert_str_eq(w.lane, "philosopher");
	th_config(&cfg, m, NULL, POLICY_STEP);
	module_lane_words(m, cfg.params, &w);
	ck_assert_str_eq(w.lane, "thread");
}
END_TEST

Suite *
make_deadlock_suite(void)
{
	Suite *s = suite_create("deadlock");
	TCase *tc = tcase_create("deadlock");

	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_schedule_deadlocks);
	tcase_add_test(tc, test_result_line);
	tcase_add_test(tc, test_random_two_threads);
	tcase_add_loop_test(tc, test_random_philosophers, 2, 10);
	tcase_add_test(tc, test_philosophers_ring);
	tcase_add_test(tc, test_cancel_stepped);
	tcase_add_test(tc, test_free_deadlock);
	tcase_add_test(tc, test_free_timeout);
	tcase_add_test(tc, test_livelock_fixed);
	tcase_add_test(tc, test_livelock_random);
	tcase_add_test(tc, test_livelock_stepped);
	tcase_add_test(tc, test_validate_and_words);
	suite_add_tcase(s, tc);
	return s;
}
