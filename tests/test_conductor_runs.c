/* Whole runs through the run API: free-run marks, the OS sampler, a long
 * controlled run. Part of the conductor suite (test_conductor.c). */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "conductor.h"
#include "event.h"
#include "module.h"
#include "result.h"
#include "run.h"
#include "suites.h"
#include "test_conductor.h"
#include "util.h"
#include "worker.h"

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

void
conductor_add_free_run_tests(TCase *tc)
{
	tcase_add_test(tc, test_free_run_marks_are_real);
}

void
conductor_add_run_api_tests(TCase *tc)
{
	tcase_add_test(tc, test_long_run_keeps_early_history);
	tcase_add_test(tc, test_sampler_reads_shared_thread_once);
}
