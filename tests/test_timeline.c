/* Timeline spans: bucket queries at any zoom, tie-breaks, folding into
 * summary bins that keep every state's time and every mark, bounded memory. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "suites.h"
#include "timeline.h"
#include "util.h"

#define R  TS_RUNNING
#define Y  TS_READY
#define IO TS_IO
#define LW TS_LOCK_WAIT

/*
 * The pattern every bucket case reads:
 *   RUNNING [0,4) READY [4,6) IO [6,13) RUNNING [13,14) LOCK_WAIT [14,20)
 *   RUNNING [20, now=25), the open span.
 */
#define PATTERN_NOW 25

static void
pattern_build(struct timeline *tl)
{
	static const struct {
		uint64_t t;
		enum thread_state s;
	} changes[] = {
	    {0, R},
	    {4, Y},
	    {6, IO},
	    {13, R},
	    {14, LW},
	    {20, R},
	};
	size_t i;

	timeline_init(tl, 64);
	for (i = 0; i < IL_ARRAY_LEN(changes); i++)
		timeline_set_state(tl, changes[i].t, changes[i].s);
}

struct bucket_case {
	uint64_t t0, t1;
	uint64_t fr[TS_COUNT]; /* indexed by state */
	enum thread_state dominant;
};

static const struct bucket_case bucket_cases[] = {
    /* width 1 */
    {3, 4, {[R] = 1}, R},
    {4, 5, {[Y] = 1}, Y},
    {13, 14, {[R] = 1}, R},
    {19, 20, {[LW] = 1}, LW},
    {24, 25, {[R] = 1}, R}, /* last unit of the open span */
    {25, 26, {0}, TS_NONE}, /* at now */
    {30, 31, {0}, TS_NONE}, /* beyond now */
    /* width 3, straddling boundaries */
    {3, 6, {[R] = 1, [Y] = 2}, Y},
    {6, 9, {[IO] = 3}, IO},
    {12, 15, {[IO] = 1, [R] = 1, [LW] = 1}, LW}, /* 3-way tie */
    {18, 21, {[LW] = 2, [R] = 1}, LW},
    {24, 27, {[R] = 1}, R}, /* mostly beyond now */
    /* width 10 */
    {0, 10, {[R] = 4, [Y] = 2, [IO] = 4}, IO}, /* tie R/IO */
    {10, 20, {[IO] = 3, [R] = 1, [LW] = 6}, LW},
    {20, 30, {[R] = 5}, R},
    /* width 1000 */
    {0, 1000, {[R] = 10, [Y] = 2, [IO] = 7, [LW] = 6}, R},
    {1000, 2000, {0}, TS_NONE},
    /* empty and reversed ranges */
    {5, 5, {0}, TS_NONE},
    {9, 2, {0}, TS_NONE},
};

START_TEST(test_bucket_cases)
{
	const struct bucket_case *c = &bucket_cases[_i];
	struct timeline tl;
	uint64_t out[TS_COUNT];
	int s;

	/* given */
	pattern_build(&tl);
	/* when */
	timeline_bucket_fractions(&tl, c->t0, c->t1, PATTERN_NOW, out);
	/* then */
	for (s = 0; s < TS_COUNT; s++)
		ck_assert_msg(out[s] == c->fr[s],
		    "[%llu,%llu) state %d: got %llu, want %llu",
		    (unsigned long long)c->t0, (unsigned long long)c->t1, s,
		    (unsigned long long)out[s], (unsigned long long)c->fr[s]);
	ck_assert_int_eq(
	    timeline_bucket_state(&tl, c->t0, c->t1, PATTERN_NOW), c->dominant);
	timeline_free(&tl);
}
END_TEST

/* Every bucket of a zoom adds up to the covered time. */
static const uint64_t zoom_widths[] = {1, 3, 10, 1000};

START_TEST(test_bucket_zoom_sums)
{
	uint64_t w = zoom_widths[_i], t, total = 0, per[TS_COUNT] = {0};
	uint64_t out[TS_COUNT];
	struct timeline tl;
	int s;

	pattern_build(&tl);
	for (t = 0; t < 40; t += w) {
		uint64_t sum = 0;

		timeline_bucket_fractions(&tl, t, t + w, PATTERN_NOW, out);
		for (s = 0; s < TS_COUNT; s++) {
			sum += out[s];
			per[s] += out[s];
		}
		ck_assert_uint_le(sum, w);
		total += sum;
	}
	ck_assert_uint_eq(total, PATTERN_NOW);
	ck_assert_uint_eq(per[R], 10);
	ck_assert_uint_eq(per[Y], 2);
	ck_assert_uint_eq(per[IO], 7);
	ck_assert_uint_eq(per[LW], 6);
	timeline_free(&tl);
}
END_TEST

START_TEST(test_none_prefix)
{
	struct timeline tl;
	uint64_t out[TS_COUNT];

	timeline_init(&tl, 16);
	timeline_set_state(&tl, 5, R);
	timeline_bucket_fractions(&tl, 0, 10, 10, out);
	ck_assert_uint_eq(out[TS_NONE], 5);
	ck_assert_uint_eq(out[R], 5);
	/* NONE loses every tie, but wins when it is all there is. */
	ck_assert_int_eq(timeline_bucket_state(&tl, 0, 10, 10), R);
	ck_assert_int_eq(timeline_bucket_state(&tl, 0, 4, 10), TS_NONE);
	timeline_free(&tl);
}
END_TEST

/* Priority order, highest first, as documented in timeline.c. */
static const enum thread_state priority_order[] = {
    TS_LOCK_WAIT,
    TS_IO,
    TS_RUNNING,
    TS_READY,
    TS_DONE,
    TS_NONE,
};

#define NPRIO ((int)IL_ARRAY_LEN(priority_order))

START_TEST(test_tie_priority)
{
	/* _i enumerates ordered pairs (hi, lo) with hi ranked above lo. */
	int hi = _i / NPRIO, lo = _i % NPRIO, first;
	struct timeline tl;

	if (hi >= lo)
		return;
	for (first = 0; first < 2; first++) {
		enum thread_state a = priority_order[first ? hi : lo];
		enum thread_state b = priority_order[first ? lo : hi];

		timeline_init(&tl, 16);
		timeline_set_state(&tl, 0, a);
		timeline_set_state(&tl, 5, b);
		ck_assert_int_eq(
		    timeline_bucket_state(&tl, 0, 10, 10), priority_order[hi]);
		/* A majority beats priority. */
		ck_assert_int_eq(timeline_bucket_state(&tl, 0, 9, 10), a);
		timeline_free(&tl);
	}
}
END_TEST

/* The i-th exact span's start, end and state, as one value to compare. */
struct span_view {
	uint64_t start, end;
	enum thread_state s;
};

static struct span_view
span_at(const struct timeline *tl, size_t i)
{
	struct span_view v;

	timeline_span(tl, i, &v.start, &v.end, &v.s);
	return v;
}

START_TEST(test_merge_equal_and_empty)
{
	struct timeline tl;

	timeline_init(&tl, 16);
	timeline_set_state(&tl, 0, R); /* empty NONE span: not stored */
	ck_assert_uint_eq(tl.n, 0);
	timeline_set_state(&tl, 3, R); /* same state: no new span */
	ck_assert_uint_eq(tl.n, 0);
	timeline_set_state(&tl, 5, Y);
	ck_assert_uint_eq(tl.n, 1);
	timeline_set_state(&tl, 5, R); /* READY lasted 0: RUNNING resumes */
	ck_assert_uint_eq(tl.n, 0);
	ck_assert_uint_eq(tl.cur_start, 0);
	ck_assert_int_eq(tl.cur, R);
	timeline_set_state(&tl, 8, IO);
	timeline_set_state(&tl, 7, Y); /* backwards: clamped to 8 */
	ck_assert_uint_eq(tl.n, 1);
	ck_assert_uint_eq(span_at(&tl, 0).start, 0);
	ck_assert_uint_eq(span_at(&tl, 0).end, 8);
	ck_assert_int_eq(span_at(&tl, 0).s, R);
	ck_assert_int_eq(tl.cur, Y);
	ck_assert_uint_eq(tl.cur_start, 8);
	ck_assert_int_eq(timeline_bucket_state(&tl, 7, 8, 10), R);
	/* a span record is 8 bytes: 1M spans take 8 MB */
	ck_assert_uint_eq(sizeof(struct span), 8);
	timeline_free(&tl);
}
END_TEST

/* Folding keeps the time of both states of a pair; a tie in the merged
 * bucket is then broken by priority, not by the merge. */
START_TEST(test_fold_keeps_both_states)
{
	struct timeline tl;
	uint64_t t, out[TS_COUNT];

	/* given: 16 closed spans fill the array; the 17th folds 8 */
	timeline_init(&tl, 16);
	for (t = 0; t < 18; t++)
		timeline_set_state(&tl, t, t % 2 ? LW : R);
	/* then */
	ck_assert_uint_eq(tl.merges, 1);
	ck_assert_uint_eq(tl.exact_from, 8);
	ck_assert_uint_eq(span_at(&tl, 0).start, 8);
	timeline_bucket_fractions(&tl, 0, 8, 18, out);
	ck_assert_uint_eq(out[R], 4);
	ck_assert_uint_eq(out[LW], 4);
	ck_assert_int_eq(timeline_bucket_state(&tl, 0, 8, 18), LW);
	/* The newer half is still exact. */
	for (t = 8; t < 18; t++)
		ck_assert_int_eq(
		    timeline_bucket_state(&tl, t, t + 1, 18), t % 2 ? LW : R);
	timeline_free(&tl);
}
END_TEST

/*
 * A thread that runs one unit in every `period` (as one of four threads
 * in a controlled run does) must still show that share in old history,
 * however often the history was folded and the bins merged.
 */
struct share_case {
	size_t max_spans;
	uint64_t cycles;
	uint64_t run, wait; /* units running, then units ready, per cycle */
	enum thread_state other;
};

static const struct share_case share_cases[] = {
    {16, 200000, 1, 3, Y},   /* running 25%, the repro's pattern */
    {1024, 400000, 1, 3, Y}, /* many folds, bins merged many times */
    {64, 100000, 3, 5, IO},  /* 37.5% running, the rest blocked */
    {16, 50000, 1, 1, LW},   /* half and half: a tie in every bucket */
};

START_TEST(test_fold_keeps_share)
{
	const struct share_case *c = &share_cases[_i];
	const uint64_t period = c->run + c->wait;
	uint64_t t = 0, i, now, w, a, whole, out[TS_COUNT];
	struct timeline tl;

	/* given */
	timeline_init(&tl, c->max_spans);
	for (i = 0; i < c->cycles; i++) {
		timeline_set_state(&tl, t, R);
		timeline_set_state(&tl, t + c->run, c->other);
		t += period;
	}
	now = t;
	/* then: history was folded many times, into bins merged often */
	ck_assert_uint_gt(tl.merges, 10);
	ck_assert_uint_gt(tl.bin_w, 64);
	ck_assert_uint_gt(tl.exact_from, now / 2);
	/* every bucket over whole bins of folded history shows the true
	 * shares, at every zoom from a few bins to all of it */
	whole = tl.exact_from / tl.bin_w * tl.bin_w;
	for (w = tl.bin_w * 4; w <= whole; w *= 4) {
		for (a = 0; a + w <= whole; a += w) {
			uint64_t run;

			timeline_bucket_fractions(&tl, a, a + w, now, out);
			run = out[R];
			ck_assert_uint_eq(run + out[c->other], w);
			/* within one period of the exact share */
			ck_assert_msg(
			    run * period + period * period >= w * c->run &&
			        run * period <= w * c->run + period * period,
			    "[%llu,+%llu): running %llu of %llu, want "
			    "%llu/%llu",
			    (unsigned long long)a, (unsigned long long)w,
			    (unsigned long long)run, (unsigned long long)w,
			    (unsigned long long)c->run,
			    (unsigned long long)period);
			if (c->run * 2 < period)
				ck_assert_int_eq(
				    timeline_bucket_state(&tl, a, a + w, now),
				    c->other);
		}
	}
	timeline_free(&tl);
}
END_TEST

/* Sum of timeline_bucket_marks over buckets that tile [0, end), each
 * width drawn from a small generator so that edges fall anywhere. */
static uint64_t
marks_tiled(const struct timeline *tl, uint64_t end, uint64_t w, uint64_t seed)
{
	uint64_t t = 0, sum = 0, x = seed | 1;

	while (t < end) {
		uint64_t step = w;

		if (seed != 0) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			step = 1 + x % (2 * w);
		}
		sum += timeline_bucket_marks(tl, t, t + step);
		t += step;
	}
	return sum;
}

/*
 * Marks survive folding and merging: buckets that tile time count each
 * mark once, at any zoom, and marks in the exact history keep their time.
 * Cases: sparse marks among many state changes (the spans fold), and dense
 * marks in one long running span (the marks fold, as in a free run).
 */
struct mark_case {
	size_t max_spans;
	uint64_t units;
	uint64_t change_every; /* 0: no state changes after the first */
	uint64_t mark_every;
	uint64_t marks_per; /* marks at each marked time */
};

static const struct mark_case mark_cases[] = {
    {16, 200000, 1, 7, 1}, {1024, 1000000, 2, 5, 1},
    {64, 300000, 0, 1, 3},      /* dense, several at one time */
    {16, 100000, 3, 1, 1},      /* a mark every unit */
    {4096, 100000, 1, 1000, 1}, /* fits: nothing folds */
};

START_TEST(test_marks_survive)
{
	const struct mark_case *c = &mark_cases[_i];
	static const uint64_t widths[] = {1, 3, 64, 1000, 77777};
	uint64_t t, k, total = 0, now = c->units, w;
	struct timeline tl;
	size_t i;

	/* given */
	timeline_init(&tl, c->max_spans);
	timeline_set_state(&tl, 0, R);
	for (t = 0; t < c->units; t++) {
		if (c->change_every != 0 && t % c->change_every == 0)
			timeline_set_state(
			    &tl, t, t / c->change_every % 2 ? Y : R);
		if (t % c->mark_every == 0)
			for (k = 0; k < c->marks_per; k++, total++)
				timeline_add_mark(&tl, t);
	}
	/* then: bounded */
	ck_assert_uint_le(tl.n, tl.max_spans);
	ck_assert_uint_le(tl.nmarks, tl.max_spans);
	ck_assert_uint_le(timeline_memory(&tl),
	    tl.max_spans * (sizeof(struct span) + sizeof(uint64_t)) +
	        TIMELINE_BINS * sizeof(struct timeline_bin));
	/* every mark counted once, in regular and irregular tilings */
	ck_assert_uint_eq(timeline_bucket_marks(&tl, 0, now), total);
	ck_assert_uint_eq(timeline_bucket_marks(&tl, 0, UINT64_MAX), total);
	for (i = 0; i < IL_ARRAY_LEN(widths); i++) {
		w = widths[i];
		ck_assert_uint_eq(marks_tiled(&tl, now, w, 0), total);
		ck_assert_uint_eq(marks_tiled(&tl, now, w, 12345 + i), total);
	}
	/* the exact history keeps each mark's time */
	for (t = tl.exact_from; t < now; t++)
		ck_assert_uint_eq(timeline_bucket_marks(&tl, t, t + 1),
		    t % c->mark_every == 0 ? c->marks_per : 0);
	/* a bucket over folded history has about its share of marks */
	if (tl.exact_from >= tl.bin_w * 8) {
		uint64_t span = tl.bin_w * 8, got, want;

		got = timeline_bucket_marks(&tl, 0, span);
		want =
		    (span + c->mark_every - 1) / c->mark_every * c->marks_per;
		ck_assert_uint_le(got, want + c->marks_per);
		ck_assert_uint_ge(got + c->marks_per, want);
	}
	timeline_free(&tl);
}
END_TEST

/* A late mark (before the newest) keeps its place, in the exact history
 * or in the bins. */
START_TEST(test_marks_out_of_order)
{
	struct timeline tl;
	uint64_t t;

	timeline_init(&tl, 16);
	timeline_add_mark(&tl, 10);
	timeline_add_mark(&tl, 30);
	timeline_add_mark(&tl, 20); /* late */
	timeline_add_mark(&tl, 20);
	ck_assert_uint_eq(timeline_bucket_marks(&tl, 0, 20), 1);
	ck_assert_uint_eq(timeline_bucket_marks(&tl, 20, 21), 2);
	ck_assert_uint_eq(timeline_bucket_marks(&tl, 21, 31), 1);
	/* fill up: the older half folds into the bins */
	for (t = 100; t < 200; t++)
		timeline_add_mark(&tl, t);
	ck_assert_uint_gt(tl.exact_from, 20);
	timeline_add_mark(&tl, 15); /* far back: into a bin */
	ck_assert_uint_eq(timeline_bucket_marks(&tl, 0, 1000), 105);
	ck_assert_uint_eq(timeline_bucket_marks(&tl, 0, 100), 5);
	timeline_free(&tl);
}
END_TEST

/* The memory bound over a long run. */
struct bound_case {
	size_t max_spans;
	uint64_t changes;
	int varied; /* span lengths 1..3 instead of all 1 */
};

static const struct bound_case bound_cases[] = {
    {1024, 10000000, 0}, {1024, 3000000, 1}, {16, 1000000, 1},
    {5, 100000, 0}, /* clamped up to 16 */
};

#define RECENT 256

START_TEST(test_memory_bound)
{
	const struct bound_case *c = &bound_cases[_i];
	size_t bound = c->max_spans < 16 ? 16 : c->max_spans;
	uint64_t recent_t[RECENT], t = 0, i, sum, now;
	uint8_t recent_s[RECENT];
	uint64_t out[TS_COUNT];
	struct timeline tl;
	size_t k, max_n = 0;
	int s;

	/* given: a state change every 1 (or 1..3) time units */
	timeline_init(&tl, c->max_spans);
	for (i = 0; i < c->changes; i++) {
		uint8_t st = i % 2 ? Y : R;

		timeline_set_state(&tl, t, st);
		recent_t[i % RECENT] = t;
		recent_s[i % RECENT] = st;
		t += c->varied ? 1 + i % 3 : 1;
		if (tl.n > max_n)
			max_n = tl.n; /* not ck_assert: each one costs I/O */
	}
	now = t;
	/* then: bounded, folded, contiguous */
	ck_assert_uint_le(max_n, bound);
	ck_assert_uint_le(tl.n, bound);
	ck_assert_uint_le(tl.cap, bound);
	ck_assert_uint_le(timeline_memory(&tl),
	    bound * sizeof(struct span) +
	        TIMELINE_BINS * sizeof(struct timeline_bin));
	ck_assert_uint_le(tl.nbins, TIMELINE_BINS);
	ck_assert_uint_gt(tl.merges, 0);
	ck_assert_uint_eq(span_at(&tl, 0).start, tl.exact_from);
	for (k = 0; k + 1 < tl.n; k++)
		ck_assert_uint_eq(
		    span_at(&tl, k).end, span_at(&tl, k + 1).start);
	ck_assert_uint_eq(span_at(&tl, tl.n - 1).end, tl.cur_start);
	/* all of [0, now) is still accounted for, in its true shares */
	timeline_bucket_fractions(&tl, 0, now, now, out);
	for (s = 0, sum = 0; s < TS_COUNT; s++)
		sum += out[s];
	ck_assert_uint_eq(sum, now);
	if (!c->varied)
		ck_assert_uint_eq(out[R], now / 2);
	/* the most recent changes are exact, at width 1 and per span */
	for (k = 0; k < bound / 4 && k < RECENT; k++) {
		uint64_t j = c->changes - 1 - k, a = recent_t[j % RECENT];
		uint64_t b = k == 0 ? now : recent_t[(j + 1) % RECENT], x;

		timeline_bucket_fractions(&tl, a, b, now, out);
		ck_assert_uint_eq(out[recent_s[j % RECENT]], b - a);
		for (x = a; x < b; x++)
			ck_assert_int_eq(
			    timeline_bucket_state(&tl, x, x + 1, now),
			    recent_s[j % RECENT]);
	}
	timeline_free(&tl);
}
END_TEST

Suite *
make_timeline_suite(void)
{
	Suite *s = suite_create("timeline");
	TCase *tc;

	tc = tcase_create("buckets");
	tcase_add_loop_test(
	    tc, test_bucket_cases, 0, (int)IL_ARRAY_LEN(bucket_cases));
	tcase_add_loop_test(
	    tc, test_bucket_zoom_sums, 0, (int)IL_ARRAY_LEN(zoom_widths));
	tcase_add_test(tc, test_none_prefix);
	tcase_add_loop_test(tc, test_tie_priority, 0, NPRIO * NPRIO);
	tcase_add_test(tc, test_merge_equal_and_empty);
	suite_add_tcase(s, tc);

	tc = tcase_create("memory");
	/* Ten million changes take a while under sanitizers on a loaded
	 * machine; nothing here is timed, the limit only catches hangs. */
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_fold_keeps_both_states);
	tcase_add_loop_test(
	    tc, test_fold_keeps_share, 0, (int)IL_ARRAY_LEN(share_cases));
	tcase_add_loop_test(
	    tc, test_marks_survive, 0, (int)IL_ARRAY_LEN(mark_cases));
	tcase_add_test(tc, test_marks_out_of_order);
	tcase_add_loop_test(
	    tc, test_memory_bound, 0, (int)IL_ARRAY_LEN(bound_cases));
	suite_add_tcase(s, tc);
	return s;
}
