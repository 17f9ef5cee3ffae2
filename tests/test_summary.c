/* Free runs that summarise at the producer (il_summarise): the model's
 * store tallies and overwrite marks, the timeline's block of marks, and
 * a whole race run whose model ends with the result's totals from a
 * small fraction of an event per step. */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "model.h"
#include "run.h"
#include "suites.h"
#include "test_model.h"
#include "timeline.h"

#define RACE_THREADS 4
#define RACE_ITERS   200000
#define RACE_STEPS   (3ull * RACE_THREADS * RACE_ITERS)

/* An event as mk_ev() makes it, stamped ts_ns. */
static void
apply_at(struct model *m, uint64_t ts, enum ev_kind kind, int thread, int line,
    int64_t a, int64_t b)
{
	struct event e = mk_ev(kind, thread, 0, line, a, b);

	e.ts_ns = ts;
	model_apply(m, &e);
}

/* A summary's tallies and marks add up as the stores would have: stores,
 * expected, stale, marks in the lane; lost from the values; and an older
 * read does not replace a newer one. */
START_TEST(test_store_tally)
{
	struct model *m = model_new(2, MODEL_CLOCK_NS, 64);
	const int64_t stores = EV_TALLY_STORES;

	model_add_var(m, "counter", 0, 1);
	/* given: A stored 100 times (3 overwrote), read 90; B 50, read 120 */
	apply_at(m, 1000, EV_THREAD_START, 0, 0, 0, 0);
	apply_at(m, 2000, EV_MARK, 0, 0, MARK_OVERWROTE, 3);
	apply_at(m, 2000, EV_TALLY, 0, 0, EV_TALLY_A(0, 100) | stores, 90);
	apply_at(m, 3000, EV_TALLY, 1, 0, EV_TALLY_A(0, 50) | stores, 120);
	/* then */
	ck_assert_uint_eq(m->vars[0].stores, 150);
	ck_assert_int_eq(m->vars[0].expected, 150);
	ck_assert_int_eq(m->vars[0].value, 120);
	ck_assert_uint_eq(m->vars[0].lost, 30);
	ck_assert_uint_eq(m->vars[0].stale, 3);
	ck_assert_uint_eq(m->nmarks, 3);
	ck_assert_uint_eq(model_marks_kept(m), 3);
	ck_assert_int_eq(model_last_mark(m)->victim, -1);
	ck_assert_uint_eq(
	    timeline_bucket_marks(&m->threads[0].tl, 0, UINT64_MAX), 3);
	ck_assert_uint_eq(
	    timeline_bucket_marks(&m->threads[1].tl, 0, UINT64_MAX), 0);
	/* when: a tally read before B's arrives after it */
	apply_at(m, 2500, EV_TALLY, 0, 0, EV_TALLY_A(0, 10) | stores, 95);
	/* then: it counts, but the value stays the later read */
	ck_assert_int_eq(m->vars[0].expected, 160);
	ck_assert_int_eq(m->vars[0].value, 120);
	ck_assert_uint_eq(m->vars[0].lost, 40);
	/* a mark naming no variable, or a negative count, is dropped */
	apply_at(m, 4000, EV_MARK, 0, 5, MARK_OVERWROTE, 1);
	apply_at(m, 4000, EV_MARK, 0, 0, MARK_OVERWROTE, -1);
	ck_assert_uint_eq(m->nmarks, 3);
	/* a mark's line is not a source line */
	ck_assert_int_eq(m->threads[0].line, 0);
	model_free(m);
}
END_TEST

/* Many marks at one time, more than the exact history holds, and some
 * out of order: every one is counted once. */
START_TEST(test_timeline_marks_block)
{
	struct timeline tl;

	timeline_init(&tl, 16);
	timeline_add_marks(&tl, 10, 5);
	timeline_add_marks(&tl, 20, 40); /* folds */
	timeline_add_marks(&tl, 30, 7);
	timeline_add_marks(&tl, 25, 3); /* older than the newest */
	timeline_add_marks(&tl, 5, 2);  /* inside the bins */
	timeline_add_marks(&tl, 40, 0);
	ck_assert_uint_eq(timeline_bucket_marks(&tl, 0, UINT64_MAX), 57);
	ck_assert_uint_eq(timeline_bucket_marks(&tl, 30, 31), 7);
	ck_assert_uint_le(tl.nmarks, 16);
	timeline_free(&tl);
}
END_TEST

/* The lane marks of every thread, added up. */
static uint64_t
lane_marks(const struct model *m)
{
	uint64_t n = 0;
	int t;

	for (t = 0; t < m->nthreads; t++)
		n += timeline_bucket_marks(&m->threads[t].tl, 0, UINT64_MAX);
	return n;
}

/* A free race run as the screen runs it: the model's counter, expected
 * and lost are the result's, its marks are the overwrites, nothing was
 * dropped, and it took far fewer events than steps. */
START_TEST(test_race_free_totals)
{
	struct run *r = th_run("race", "threads=4 iterations=200000", NULL);
	const struct model_var *v;

	th_wait_done(r);
	v = &r->m->vars[0];
	ck_assert_int_eq(th_verdict_value(r, "dropped"), 0);
	ck_assert_int_eq(
	    th_verdict_value(r, "expected"), RACE_THREADS * RACE_ITERS);
	ck_assert_int_eq(v->value, th_verdict_value(r, "counter"));
	ck_assert_int_eq(v->expected, th_verdict_value(r, "expected"));
	ck_assert_int_eq(v->expected - v->value, th_verdict_value(r, "lost"));
	ck_assert_int_eq(v->lost, th_verdict_value(r, "lost"));
	ck_assert_uint_eq(v->stores, RACE_THREADS * RACE_ITERS);
	ck_assert_int_eq(v->stale, th_verdict_value(r, "overwrites"));
	ck_assert_int_eq(r->m->nmarks, th_verdict_value(r, "overwrites"));
	ck_assert_int_eq(lane_marks(r->m), th_verdict_value(r, "overwrites"));
	ck_assert_msg(r->m->events < RACE_STEPS / 100,
	    "%llu events for %llu steps", (unsigned long long)r->m->events,
	    (unsigned long long)RACE_STEPS);
	run_free(r);
}
END_TEST

/* A stepped run still sends an event per step: the model sees each
 * store. */
START_TEST(test_race_stepped_per_step)
{
	struct run *r = th_run("race", "threads=2", "1,2,1,2,1,2");

	th_wait_done(r);
	ck_assert_uint_eq(r->m->vars[0].stores, 2);
	ck_assert_uint_eq(r->m->nmarks, 1);
	ck_assert_int_eq(r->m->vars[0].value, 1);
	run_free(r);
}
END_TEST

Suite *
make_summary_suite(void)
{
	Suite *s = suite_create("summary");
	TCase *tc;

	tc = tcase_create("model");
	tcase_add_test(tc, test_store_tally);
	tcase_add_test(tc, test_timeline_marks_block);
	suite_add_tcase(s, tc);

	tc = tcase_create("runs");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_race_free_totals);
	tcase_add_test(tc, test_race_stepped_per_step);
	suite_add_tcase(s, tc);
	return s;
}
