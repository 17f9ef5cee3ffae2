/* The model's lost-update detection, table-driven, and its first and
 * last marks. Part of the model suite (see make_model_suite() in
 * test_model.c). */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "names.h"
#include "suites.h"
#include "test_model.h"
#include "util.h"

/* ---- lost-update detection, table-driven ---- */

struct lu_var {
	int64_t value, expected;
	uint64_t stores, lost, stale;
};

struct lu_mark {
	int thread, victim, var;
	uint32_t victim_step, load_step, step;
	uint64_t overwritten;
	int64_t value;
};

/*
 * A script is a list of operations, one per step, e.g. "AL BL AS BS":
 * thread letter, then L (tmp = var), I (tmp = tmp + 1, a line marker only),
 * S (var = tmp + 1, from the last load) or B (a blind var = var + 1, as an
 * atomic add would do), then an optional variable digit (default 0).
 * The runner plays it on simulated memory, the way real threads would, and
 * reports the loads and stores to the model, flagging a store as il_store
 * does: the thread had loaded the variable and the value replaced is not
 * the one it loaded. X and N store like S but are flagged, or not, whatever
 * memory says: a free run's events can come in another order than memory
 * saw them, so the model must believe the flag, not the order.
 */
struct lu_case {
	const char *name;
	int nthreads, nvars;
	int64_t initial;
	const char *script;
	struct lu_var v[2];
	uint64_t nmarks;
	struct lu_mark marks[3];
};

static const struct lu_case lu_cases[] = {
    {"serial", 2, 1, 0, "AL AS BL BS", {{2, 2, 2, 0, 0}}, 0, {{0}}},
    {"serial 1,1,1,2,2,2,3,3,3", 3, 1, 0, "AL AI AS BL BI BS CL CI CS",
        {{3, 3, 3, 0, 0}}, 0, {{0}}},
    {"classic", 2, 1, 0, "AL BL AS BS", {{1, 2, 2, 1, 1}}, 1,
        {{1, 0, 0, 2, 1, 3, 1, 1}}},
    {"classic 1,2,1,2,1,2", 2, 1, 0, "AL BL AI BI AS BS", {{1, 2, 2, 1, 1}}, 1,
        {{1, 0, 0, 4, 1, 5, 1, 1}}},
    {"classic from 10", 2, 1, 10, "AL BL AS BS", {{11, 12, 2, 1, 1}}, 1,
        {{1, 0, 0, 2, 1, 3, 1, 11}}},
    {"three threads load 0", 3, 1, 0, "AL BL CL AS BS CS", {{1, 3, 3, 2, 2}}, 2,
        {{1, 0, 0, 3, 1, 4, 1, 1}, {2, 1, 0, 4, 2, 5, 1, 1}}},
    {"stale store cuts three", 2, 1, 0, "AL BL BS BL BS BL BS AS",
        {{1, 4, 4, 3, 1}}, 1, {{0, 1, 0, 6, 0, 7, 3, 1}}},
    {"stale store cuts two threads", 3, 1, 0, "AL BL AS CL CS BS",
        {{1, 3, 3, 2, 1}}, 1, {{1, 2, 0, 4, 1, 5, 2, 1}}},
    {"stale store then fresh", 2, 1, 0, "AL BL BS AS BL BS", {{2, 3, 3, 1, 1}},
        1, {{0, 1, 0, 2, 0, 3, 1, 1}}},
    {"blind stores", 2, 1, 0, "AB BB AB", {{3, 3, 3, 0, 0}}, 0, {{0}}},
    {"blind store under a load", 2, 1, 0, "AL BB AS", {{1, 2, 2, 1, 1}}, 1,
        {{0, 1, 0, 1, 0, 2, 1, 1}}},
    {"load used once", 1, 1, 0, "AL AS AB", {{2, 2, 2, 0, 0}}, 0, {{0}}},
    {"two variables", 2, 2, 0, "AL0 BL1 AS0 BS1",
        {{1, 1, 1, 0, 0}, {1, 1, 1, 0, 0}}, 0, {{0}}},
    {"two variables, one lost", 2, 2, 0, "AL0 BL0 AL1 AS0 BS0 AS1",
        {{1, 2, 2, 1, 1}, {1, 1, 1, 0, 0}}, 1, {{1, 0, 0, 3, 1, 4, 1, 1}}},
    {"loads without stores", 2, 1, 0, "AL BL AL", {{0, 0, 0, 0, 0}}, 0, {{0}}},
    /* B's stale store takes the counter back to 1; A, having loaded 1,
     * stores 2 over it: memory cannot tell, so B's lost update has no
     * mark of its own (B's mark counts A's and C's) */
    {"ABA: back to the value loaded", 3, 1, 0, "BL AL AS AL CL CS BS AS",
        {{2, 4, 4, 2, 1}}, 1, {{1, 2, 0, 5, 0, 6, 2, 1}}},
};

/* Cases where the marks' overwritten do not add up to lost: a store that
 * brings cut updates back, and a flag that the events' order disagrees
 * with. */
static const struct lu_case lu_odd_cases[] = {
    {"order says stale, memory says not", 2, 1, 0, "AL BL AS BN",
        {{1, 2, 2, 1, 0}}, 0, {{0}}},
    {"memory says overwritten, order not", 1, 1, 0, "AL AX", {{1, 1, 1, 0, 1}},
        1, {{0, -1, 0, 0, 0, 1, 0, 1}}},
    /* B's load (A's 5th update) is cut by C's stale store, then B's own
     * store brings A's updates back and cuts only C's. */
    {"revived, one cut", 3, 1, 0, "AL AS AL AS CL AL AS AL AS AL AS BL CS BS",
        {{6, 7, 7, 1, 2}}, 2,
        {{2, 0, 0, 10, 4, 12, 3, 3}, {1, 2, 0, 12, 11, 13, 1, 6}}},
    {"revived, four cut", 3, 1, 0,
        "AL AS AL AS CL AL AS AL AS AL AS BL CS CL CS CL CS CL CS BS",
        {{6, 10, 10, 4, 2}}, 2,
        {{2, 0, 0, 10, 4, 12, 3, 3}, {1, 2, 0, 18, 11, 19, 4, 6}}},
};

#define LU_BASE_NS 1000000000ULL /* ns clock: step k is at +10k ns */

/* One event of a script; in the ns clock, at step's time with step 0, as
 * a free run reports it. */
static void
lu_apply(struct model *m, int ns, enum ev_kind kind, int thread, uint32_t step,
    int line, int64_t a, int64_t b)
{
	struct event e = mk_ev(kind, thread, step, line, a, b);

	if (ns) {
		e.step = 0;
		e.ts_ns = LU_BASE_NS + 10 * (uint64_t)step;
	}
	model_apply(m, &e);
}

/* Play a script (in the ns clock if ns); returns the number of steps. */
static uint32_t
lu_play_clock(struct model *m, const char *script, int64_t initial, int ns)
{
	int64_t mem[2] = {initial, initial}, tmp[3][2] = {{0}};
	int loaded[3][2] = {{0}}, flag;
	uint32_t step = 0;
	const char *p = script;

	while (*p != '\0') {
		int t = thread_of_letter(p[0]), v = 0;
		char op = p[1];

		ck_assert(t >= 0 && t < 3);
		p += 2;
		if (*p >= '0' && *p <= '9')
			v = *p++ - '0';
		/* a store's flag, as il_store decides it */
		flag = loaded[t][v] && mem[v] != tmp[t][v];
		switch (op) {
		case 'L':
			tmp[t][v] = mem[v];
			loaded[t][v] = 1;
			lu_apply(m, ns, EV_LOAD, t, step, 1, v, mem[v]);
			break;
		case 'I':
			lu_apply(m, ns, EV_LINE, t, step, 2, 0, 0);
			break;
		case 'S':
		case 'X':
		case 'N':
		case 'B':
			mem[v] = op == 'B' ? mem[v] + 1 : tmp[t][v] + 1;
			if (op != 'S' && op != 'B')
				flag = op == 'X';
			loaded[t][v] = 0;
			lu_apply(m, ns, EV_STORE, t, step, 3,
			    v | (flag ? EV_STORE_OVERWROTE : 0), mem[v]);
			break;
		default:
			ck_abort_msg("bad op %c", op);
		}
		step++;
		while (*p == ' ')
			p++;
	}
	return step;
}

static uint32_t
lu_play(struct model *m, const char *script, int64_t initial)
{
	return lu_play_clock(m, script, initial, 0);
}

/* Play case c in the step clock (ns 0) or the ns clock (ns 1) and check
 * every count and mark; odd: c is one of lu_odd_cases. The counts are the
 * same in both clocks; a free run's marks know only who stored what, when. */
static void
lu_check(const struct lu_case *c, int ns, int odd)
{
	struct model *m =
	    model_new(c->nthreads, ns ? MODEL_CLOCK_NS : MODEL_CLOCK_STEPS, 64);
	uint64_t i;
	int v;

	/* given */
	for (v = 0; v < c->nvars; v++)
		ck_assert_int_eq(
		    model_add_var(m, v ? "other" : "counter", c->initial, 1),
		    v);
	/* when */
	lu_play_clock(m, c->script, c->initial, ns);
	/* then */
	for (v = 0; v < c->nvars; v++) {
		const struct model_var *mv = &m->vars[v];
		const struct lu_var *want = &c->v[v];
		uint64_t overwritten = 0;

		ck_assert_msg(mv->value == want->value, "%s: var %d value %lld",
		    c->name, v, (long long)mv->value);
		ck_assert_int_eq(mv->expected, want->expected);
		ck_assert_uint_eq(mv->stores, want->stores);
		ck_assert_msg(mv->lost == want->lost, "%s: var %d lost %llu",
		    c->name, v, (unsigned long long)mv->lost);
		ck_assert_uint_eq(mv->stale, want->stale);
		/* invariants of a counter */
		ck_assert_int_eq((int64_t)mv->lost, mv->expected - mv->value);
		for (i = 0; i < model_marks_kept(m); i++)
			if (model_mark(m, i)->var == v)
				overwritten += model_mark(m, i)->overwritten;
		if (!odd && !ns)
			ck_assert_uint_eq(overwritten, mv->lost);
	}
	ck_assert_uint_eq(m->nmarks, c->nmarks);
	ck_assert_uint_eq(model_marks_kept(m), c->nmarks);
	for (i = 0; i < c->nmarks; i++) {
		const struct lost_mark *got = model_mark(m, i);
		const struct lu_mark *want = &c->marks[i];

		ck_assert_ptr_nonnull(got);
		ck_assert_int_eq(got->thread, want->thread);
		ck_assert_int_eq(got->var, want->var);
		ck_assert_int_eq(got->value, want->value);
		ck_assert_int_eq(got->victim, ns ? -1 : want->victim);
		ck_assert_uint_eq(got->victim_step, ns ? 0 : want->victim_step);
		ck_assert_uint_eq(got->load_step, ns ? 0 : want->load_step);
		ck_assert_uint_eq(got->step, ns ? 0 : want->step);
		ck_assert_uint_eq(got->t, (ns ? 10 : 1) * (uint64_t)want->step);
		ck_assert_uint_eq(got->overwritten, ns ? 0 : want->overwritten);
		/* and in the storer's lane, at its time */
		ck_assert_uint_ge(
		    timeline_bucket_marks(
		        &m->threads[got->thread].tl, got->t, got->t + 1),
		    1);
	}
	ck_assert_ptr_null(model_mark(m, c->nmarks));
	model_free(m);
}

/* _i / 2: the case; _i % 2: the clock. */
START_TEST(test_lost_update_cases)
{
	lu_check(&lu_cases[_i / 2], _i % 2, 0);
}
END_TEST

START_TEST(test_lost_update_odd)
{
	lu_check(&lu_odd_cases[_i / 2], _i % 2, 1);
}
END_TEST

/* The first MODEL_FIRST_MARKS marks are kept in order, and the latest;
 * nmarks counts all, and the storing thread's timeline has every one. */
static const uint32_t mark_rounds[] = {
    1, MODEL_FIRST_MARKS, MODEL_FIRST_MARKS + 1, MODEL_FIRST_MARKS + 44, 3000};

START_TEST(test_first_and_last_marks)
{
	struct model *m = model_new(2, MODEL_CLOCK_STEPS, 64);
	const uint32_t rounds = mark_rounds[_i];
	uint32_t r;
	size_t i;

	/* given */
	model_add_var(m, "counter", 0, 1);
	ck_assert_ptr_null(model_last_mark(m));
	/* when: A load, B load, A store, B store: B overwrites A's update */
	for (r = 0; r < rounds; r++)
		lu_play(m, "AL BL AS BS", m->vars[0].value);
	/* then */
	ck_assert_uint_eq(m->nmarks, rounds);
	ck_assert_uint_eq(m->vars[0].lost, rounds);
	ck_assert_uint_eq(model_marks_kept(m),
	    rounds < MODEL_FIRST_MARKS ? rounds : MODEL_FIRST_MARKS);
	/* every round restarts at step 0; values tell the rounds apart */
	for (i = 0; i < model_marks_kept(m); i++)
		ck_assert_int_eq(model_mark(m, i)->value, (int64_t)(i + 1));
	ck_assert_ptr_null(model_mark(m, model_marks_kept(m)));
	ck_assert_ptr_nonnull(model_last_mark(m));
	ck_assert_int_eq(model_last_mark(m)->value, (int64_t)rounds);
	ck_assert_int_eq(model_last_mark(m)->thread, 1);
	/* B's store at step 3 of each round, and nothing in A's lane */
	ck_assert_uint_eq(
	    timeline_bucket_marks(&m->threads[1].tl, 3, 4), rounds);
	ck_assert_uint_eq(
	    timeline_bucket_marks(&m->threads[1].tl, 0, UINT64_MAX), rounds);
	ck_assert_uint_eq(
	    timeline_bucket_marks(&m->threads[0].tl, 0, UINT64_MAX), 0);
	model_free(m);
}
END_TEST

TCase *
make_model_lost_update_tcase(void)
{
	TCase *tc = tcase_create("lost-update");

	tcase_add_loop_test(
	    tc, test_lost_update_cases, 0, 2 * (int)IL_ARRAY_LEN(lu_cases));
	tcase_add_loop_test(
	    tc, test_lost_update_odd, 0, 2 * (int)IL_ARRAY_LEN(lu_odd_cases));
	tcase_add_loop_test(
	    tc, test_first_and_last_marks, 0, (int)IL_ARRAY_LEN(mark_rounds));
	return tc;
}
