/* The model: locks, locals, lines, clocks and the handling of events
 * that name things that do not exist. Lost-update detection is tested in
 * test_model_lost_update.c, the kernel view in test_model_os.c. */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "names.h"
#include "suites.h"
#include "test_model.h"
#include "util.h"

/* ---- locks, locals, lines, states ---- */

START_TEST(test_locks)
{
	struct model *m = model_new(3, MODEL_CLOCK_STEPS, 64);

	ck_assert_int_eq(model_add_lock(m, "a"), 0);
	ck_assert_int_eq(model_add_lock(m, "b"), 1);
	ck_assert_int_eq(m->locks[1].owner, -1);
	apply(m, EV_LOCK_REQ, 0, 1, 0, 1, 0);
	ck_assert_uint_eq(m->locks[1].waiters, 1);
	apply(m, EV_LOCK_ACQ, 0, 2, 0, 1, 0);
	ck_assert_int_eq(m->locks[1].owner, 0);
	ck_assert_uint_eq(m->locks[1].waiters, 0);
	/* B and C queue up */
	apply(m, EV_LOCK_REQ, 1, 3, 0, 1, 0);
	apply(m, EV_STATE, 1, 3, 0, TS_LOCK_WAIT, 1);
	apply(m, EV_LOCK_REQ, 2, 4, 0, 1, 0);
	apply(m, EV_STATE, 2, 4, 0, TS_LOCK_WAIT, 1);
	ck_assert_uint_eq(m->locks[1].waiters, 6);
	ck_assert_int_eq(m->threads[1].blocked_lock, 1);
	ck_assert_int_eq(m->threads[2].state, TS_LOCK_WAIT);
	ck_assert_int_eq(m->locks[0].owner, -1);
	/* a release by a thread that does not hold it changes nothing */
	apply(m, EV_LOCK_REL, 2, 5, 0, 1, 0);
	ck_assert_int_eq(m->locks[1].owner, 0);
	apply(m, EV_LOCK_REL, 0, 6, 0, 1, 0);
	ck_assert_int_eq(m->locks[1].owner, -1);
	apply(m, EV_LOCK_ACQ, 2, 7, 0, 1, 0);
	ck_assert_int_eq(m->locks[1].owner, 2);
	ck_assert_uint_eq(m->locks[1].waiters, 2);
	ck_assert_int_eq(m->threads[2].blocked_lock, -1);
	ck_assert_int_eq(m->threads[1].blocked_lock, 1);
	/* leaving the wait state clears the blocked lock too, and takes
	 * the thread out of the queue */
	apply(m, EV_STATE, 1, 8, 0, TS_READY, 0);
	ck_assert_int_eq(m->threads[1].blocked_lock, -1);
	ck_assert_uint_eq(m->locks[1].waiters, 0);
	/* a lock wait that names no lock */
	apply(m, EV_STATE, 1, 9, 0, TS_LOCK_WAIT, 7);
	ck_assert_int_eq(m->threads[1].blocked_lock, -1);
	ck_assert_int_eq(m->threads[1].state, TS_LOCK_WAIT);
	model_free(m);
}
END_TEST

/* The queue is in the order the threads came to wait, whether by a
 * request or by a lock-wait state alone (a stepped run shows a waiter
 * again that way after a release). */
START_TEST(test_lock_queue)
{
	struct model *m = model_new(4, MODEL_CLOCK_STEPS, 64);
	int q[4];

	model_add_lock(m, "m");
	apply(m, EV_LOCK_ACQ, 0, 1, 0, 0, 0);
	apply(m, EV_STATE, 3, 2, 0, TS_LOCK_WAIT, 0);
	apply(m, EV_LOCK_REQ, 1, 3, 0, 0, 0);
	apply(m, EV_STATE, 1, 3, 0, TS_LOCK_WAIT, 0);
	apply(m, EV_STATE, 2, 4, 0, TS_LOCK_WAIT, 0);
	ck_assert_int_eq(model_lock_queue(m, 0, q, 4), 3);
	ck_assert_int_eq(q[0], 3);
	ck_assert_int_eq(q[1], 1);
	ck_assert_int_eq(q[2], 2);
	/* D leaves and comes back: now last */
	apply(m, EV_STATE, 3, 5, 0, TS_READY, 0);
	apply(m, EV_STATE, 3, 6, 0, TS_LOCK_WAIT, 0);
	ck_assert_int_eq(model_lock_queue(m, 0, q, 4), 3);
	ck_assert_int_eq(q[2], 3);
	ck_assert_int_eq(model_lock_queue(m, 0, q, 1), 1);
	ck_assert_int_eq(q[0], 1);
	model_free(m);
}
END_TEST

/* A hot loop's tally: count more updates expected, and the value read. */
START_TEST(test_tally)
{
	struct model *m = model_new(2, MODEL_CLOCK_STEPS, 64);

	model_add_var(m, "counter", 0, 1);
	apply(m, EV_TALLY, 0, 1, 0, EV_TALLY_A(0, 1024), 900);
	apply(m, EV_TALLY, 1, 2, 0, EV_TALLY_A(0, 1024), 1500);
	ck_assert_int_eq(m->vars[0].expected, 2048);
	ck_assert_int_eq(m->vars[0].value, 1500);
	/* a tally of a variable that does not exist is ignored */
	apply(m, EV_TALLY, 1, 3, 0, EV_TALLY_A(5, 10), 7);
	ck_assert_int_eq(m->vars[0].expected, 2048);
	model_free(m);
}
END_TEST

START_TEST(test_locals)
{
	struct model *m = model_new(2, MODEL_CLOCK_STEPS, 64);

	apply(m, EV_LINE, 1, 0, 9, 0, 0);
	apply(m, EV_MARK, 1, 1, 2, MARK_LOCAL, 7);
	ck_assert_int_eq(m->threads[1].locals[2], 7);
	ck_assert_uint_eq(m->threads[1].local_set, 1u << 2);
	ck_assert_int_eq(m->threads[1].line, 9); /* the slot is not a line */
	apply(m, EV_MARK, 1, 2, 0, MARK_LOCAL, -3);
	ck_assert_int_eq(m->threads[1].locals[0], -3);
	ck_assert_uint_eq(m->threads[1].local_set, 5);
	/* slots out of range and other marks leave the locals alone */
	apply(m, EV_MARK, 1, 3, MODEL_MAX_LOCALS, MARK_LOCAL, 1);
	apply(m, EV_MARK, 1, 3, -1, MARK_LOCAL, 1);
	apply(m, EV_MARK, 1, 3, 1, MARK_NOTE, 1);
	ck_assert_uint_eq(m->threads[1].local_set, 5);
	ck_assert_uint_eq(m->threads[0].local_set, 0);
	model_free(m);
}
END_TEST

START_TEST(test_lines)
{
	struct model *m = model_new(2, MODEL_CLOCK_STEPS, 64);

	model_add_var(m, "x", 0, 0);
	apply(m, EV_LINE, 0, 0, 5, 0, 0);
	ck_assert_int_eq(m->threads[0].line, 5);
	apply(m, EV_LOAD, 0, 1, 7, 0, 0);
	ck_assert_int_eq(m->threads[0].line, 7);
	apply(m, EV_STATE, 0, 2, 0, TS_READY, 0); /* line 0: unchanged */
	ck_assert_int_eq(m->threads[0].line, 7);
	ck_assert_int_eq(m->threads[1].line, 0);
	apply(m, EV_LINE, 0, 3, 0, 0, 0); /* an explicit "no line" */
	ck_assert_int_eq(m->threads[0].line, 0);
	model_free(m);
}
END_TEST

START_TEST(test_states_and_timeline)
{
	struct model *m = model_new(2, MODEL_CLOCK_STEPS, 64);
	const struct timeline *tl = &m->threads[0].tl;

	apply(m, EV_THREAD_START, 0, 0, 0, 1234, 0);
	ck_assert_int_eq(m->threads[0].state, TS_READY);
	apply(m, EV_STATE, 0, 2, 0, TS_RUNNING, 0);
	apply(m, EV_STATE, 0, 3, 0, TS_IO, 0);
	apply(m, EV_STATE, 0, 1, 0, TS_READY, 0); /* step went back: clamp */
	apply(m, EV_THREAD_END, 0, 6, 0, 0, 0);
	ck_assert_int_eq(m->threads[0].state, TS_DONE);
	ck_assert_uint_eq(m->now, 6);
	ck_assert_uint_eq(m->step, 6);
	ck_assert_int_eq(timeline_bucket_state(tl, 0, 2, m->now), TS_READY);
	ck_assert_int_eq(timeline_bucket_state(tl, 2, 3, m->now), TS_RUNNING);
	/* IO lasted 0 steps: not stored */
	ck_assert_int_eq(timeline_bucket_state(tl, 3, 6, m->now), TS_READY);
	ck_assert_int_eq(timeline_bucket_state(tl, 6, 7, 7), TS_DONE);
	ck_assert_int_eq(m->threads[1].state, TS_NONE);
	ck_assert_uint_eq(m->threads[0].events, 5);
	ck_assert_uint_eq(m->events, 5);
	model_free(m);
}
END_TEST

/* The ns clock starts at the first event and never runs backwards. */
START_TEST(test_clock_ns)
{
	const uint64_t base = 5000000000ULL;
	struct model *m = model_new(1, MODEL_CLOCK_NS, 64);
	const struct timeline *tl = &m->threads[0].tl;
	struct event e = mk_ev(EV_STATE, 0, 0, 0, TS_RUNNING, 0);
	uint64_t out[TS_COUNT];

	e.ts_ns = base;
	model_apply(m, &e);
	ck_assert_uint_eq(m->t0_ns, base);
	ck_assert_uint_eq(m->now, 0);
	e.ts_ns = base + 300;
	e.a = TS_READY;
	model_apply(m, &e);
	ck_assert_uint_eq(m->now, 300);
	e.ts_ns = base + 100; /* late from another producer */
	e.a = TS_IO;
	model_apply(m, &e);
	e.ts_ns = base - 50; /* before the origin */
	e.a = TS_RUNNING;
	model_apply(m, &e);
	ck_assert_uint_eq(m->now, 300);
	e.ts_ns = base + 1000;
	e.a = TS_DONE;
	model_apply(m, &e);
	ck_assert_uint_eq(m->now, 1000);
	ck_assert_uint_eq(m->t0_ns, base);
	timeline_bucket_fractions(tl, 0, 1000, m->now, out);
	ck_assert_uint_eq(out[TS_RUNNING], 1000);
	ck_assert_uint_eq(tl->n, 1);
	model_free(m);
}
END_TEST

/* A suspension (Ctrl-Z) is cut out of the ns clock. */
START_TEST(test_clock_skip)
{
	const uint64_t base = 1000000000ULL;
	struct model *m = model_new(1, MODEL_CLOCK_NS, 64);
	struct model *s = model_new(1, MODEL_CLOCK_STEPS, 64);
	struct event e = mk_ev(EV_STATE, 0, 0, 0, TS_RUNNING, 0);

	e.ts_ns = base;
	model_apply(m, &e);
	model_skip(m, base + 100, 5000); /* stopped from +100 to +5100 */
	e.ts_ns = base + 50;             /* queued before the stop */
	model_apply(m, &e);
	ck_assert_uint_eq(m->now, 50);
	e.ts_ns = base + 5300; /* 200 ns of running after fg */
	model_apply(m, &e);
	ck_assert_uint_eq(m->now, 300);
	model_skip(m, base + 6000, 1000);
	e.ts_ns = base + 8000;
	model_apply(m, &e);
	ck_assert_uint_eq(m->now, 2000);
	/* many gaps fold together, and time stays monotonic */
	for (int i = 0; i < 3 * MODEL_MAX_SKIPS; i++)
		model_skip(m, base + 10000 + (uint64_t)i * 100, 10);
	ck_assert_int_le(m->nskips, MODEL_MAX_SKIPS);
	e.ts_ns = base + 20000;
	model_apply(m, &e);
	ck_assert_uint_eq(
	    m->now, 20000 - 5000 - 1000 - 3 * MODEL_MAX_SKIPS * 10);
	/* a step clock has no gaps */
	model_skip(s, 0, 100);
	ck_assert_int_eq(s->nskips, 0);
	model_free(m);
	model_free(s);
}
END_TEST

/* ---- events that name things that do not exist ---- */

static const struct event bad_events[] = {
    {.kind = EV_STATE, .thread = 2, .a = TS_RUNNING},
    {.kind = EV_LOAD, .thread = 65535, .a = 0},
    {.kind = EV_KIND_COUNT, .thread = 0},
    {.kind = 999, .thread = 0, .a = 0},
    {.kind = EV_STATE, .thread = 0, .a = TS_COUNT},
    {.kind = EV_STATE, .thread = 0, .a = -1},
    {.kind = EV_STATE, .thread = 0, .a = INT64_MIN},
    {.kind = EV_LOAD, .thread = 0, .a = 1, .line = 4},
    {.kind = EV_LOAD, .thread = 0, .a = -5},
    {.kind = EV_STORE, .thread = 0, .a = MODEL_MAX_VARS, .b = 9},
    {.kind = EV_STORE, .thread = 1, .a = INT64_MAX, .b = 9},
    {.kind = EV_STORE, .thread = 1, .a = (int64_t)1 << 33, .b = 9},
    {.kind = EV_STORE, .thread = 1, .a = EV_STORE_OVERWROTE | 1, .b = 9},
    {.kind = EV_STORE, .thread = 1, .a = -1, .b = 9},
    {.kind = EV_LOCK_REQ, .thread = 0, .a = 1},
    {.kind = EV_LOCK_ACQ, .thread = 1, .a = -1},
    {.kind = EV_LOCK_REL, .thread = 0, .a = 99},
    {.kind = EV_OS_IDENTITY, .thread = 2, .a = 0, .b = 10},
    {.kind = EV_OS_IDENTITY, .thread = 0, .a = -1, .b = 10},
    {.kind = EV_OS_IDENTITY, .thread = 0, .a = 0, .b = (int64_t)1 << 31},
};

START_TEST(test_bad_events_ignored)
{
	struct model *m = model_new(2, MODEL_CLOCK_NS, 64);
	struct model before;
	struct model_thread tb[2];
	struct event e = bad_events[_i];

	/* given: one var, one lock held by A, B loaded the var */
	model_add_var(m, "counter", 0, 1);
	model_add_lock(m, "m");
	apply(m, EV_STATE, 0, 0, 1, TS_RUNNING, 0);
	apply(m, EV_LOCK_ACQ, 0, 0, 1, 0, 0);
	apply(m, EV_LOAD, 1, 0, 2, 0, 0);
	memcpy(&before, m, sizeof before);
	memcpy(tb, m->threads, sizeof tb);
	/* when */
	e.ts_ns = 77;
	model_apply(m, &e);
	/* then: nothing at all changed */
	ck_assert_int_eq(memcmp(&before, m, sizeof before), 0);
	ck_assert_int_eq(memcmp(tb, m->threads, sizeof tb), 0);
	/* and the model still works */
	apply(m, EV_STORE, 1, 1, 3, 0, 1);
	ck_assert_int_eq(m->vars[0].value, 1);
	model_free(m);
}
END_TEST

START_TEST(test_declare_limits)
{
	struct model *m = model_new(1, MODEL_CLOCK_STEPS, 64);
	char name[64];
	int i;

	for (i = 0; i < MODEL_MAX_VARS; i++)
		ck_assert_int_eq(model_add_var(m, "v", i, 0), i);
	ck_assert_int_eq(model_add_var(m, "v", 0, 0), -1);
	memset(name, 'x', sizeof name - 1);
	name[sizeof name - 1] = '\0';
	for (i = 0; i < MODEL_MAX_LOCKS; i++)
		ck_assert_int_eq(model_add_lock(m, i ? "l" : name), i);
	ck_assert_int_eq(model_add_lock(m, "l"), -1);
	ck_assert_uint_eq(
	    strlen(m->locks[0].name), sizeof m->locks[0].name - 1);
	ck_assert_int_eq(m->vars[5].value, 5);
	ck_assert_int_eq(m->vars[5].last_store_thread, -1);
	/* a non-counter variable has no expectation to miss */
	apply(m, EV_STORE, 0, 0, 0, 5, 42);
	ck_assert_int_eq(m->vars[5].value, 42);
	ck_assert_int_eq(m->vars[5].expected, 5);
	ck_assert_uint_eq(m->vars[5].stores, 1);
	model_free(m);
	/* no threads at all is a valid, empty model */
	m = model_new(0, MODEL_CLOCK_STEPS, 64);
	apply(m, EV_STATE, 0, 0, 0, TS_RUNNING, 0);
	ck_assert_uint_eq(m->events, 0);
	model_free(m);
}
END_TEST

START_TEST(test_names)
{
	ck_assert_str_eq(ev_kind_name(EV_LOAD), "load");
	ck_assert_str_eq(ev_kind_name(EV_STORE), "store");
	ck_assert_str_eq(ev_kind_name(EV_LOCK_ACQ), "lock-acq");
	ck_assert_str_eq(ev_kind_name(EV_OS_IDENTITY), "os-identity");
	ck_assert_str_eq(ev_kind_name(EV_KIND_COUNT), "?");
	ck_assert_str_eq(thread_state_name(TS_RUNNING), "running");
	ck_assert_str_eq(thread_state_name(TS_READY), "ready");
	ck_assert_str_eq(thread_state_name(TS_IO), "io");
	ck_assert_str_eq(thread_state_name(TS_LOCK_WAIT), "lock-wait");
	ck_assert_str_eq(thread_state_name(TS_DONE), "done");
	ck_assert_str_eq(thread_state_name(TS_COUNT), "?");
}
END_TEST

Suite *
make_model_suite(void)
{
	Suite *s = suite_create("model");
	TCase *tc;

	suite_add_tcase(s, make_model_lost_update_tcase());

	tc = tcase_create("bookkeeping");
	tcase_add_test(tc, test_locks);
	tcase_add_test(tc, test_lock_queue);
	tcase_add_test(tc, test_tally);
	tcase_add_test(tc, test_locals);
	tcase_add_test(tc, test_lines);
	tcase_add_test(tc, test_states_and_timeline);
	tcase_add_test(tc, test_clock_ns);
	tcase_add_loop_test(
	    tc, test_bad_events_ignored, 0, (int)IL_ARRAY_LEN(bad_events));
	tcase_add_test(tc, test_declare_limits);
	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_clock_skip);
	suite_add_tcase(s, tc);

	suite_add_tcase(s, make_model_os_tcase());
	suite_add_tcase(s, make_model_waitfor_tcase());
	return s;
}
