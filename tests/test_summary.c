/* Free runs that summarise at the producer: the model's store tallies
 * and overwrite marks, and the timeline's block of marks. */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "model.h"
#include "suites.h"
#include "test_model.h"
#include "timeline.h"

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

Suite *
make_summary_suite(void)
{
	Suite *s = suite_create("summary");
	TCase *tc;

	tc = tcase_create("model");
	tcase_add_test(tc, test_store_tally);
	tcase_add_test(tc, test_timeline_marks_block);
	suite_add_tcase(s, tc);

	return s;
}
