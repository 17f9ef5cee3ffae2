/* The wait-for graph (model.c): a cycle closes when a thread begins to
 * wait for a lock whose chain of owners and waits leads back to it; a
 * chain that ends at a free lock, or at a thread that does not wait, is
 * no cycle. Table-driven over rings of 2 to 9 threads. */
#include <check.h>
#include <stdio.h>

#include "model.h"
#include "test_model.h"

#define RING_MAX 9

/* n threads and n locks; thread i holds lock i ("L1".. names), then
 * waits for lock (i + 1) % n, in order; the last wait closes the ring. */
static struct model *
ring(int n, int close)
{
	struct model *m = model_new(n, MODEL_CLOCK_STEPS, 64);
	static char names[RING_MAX][16];
	uint32_t step = 1;
	int i;

	for (i = 0; i < n; i++) {
		snprintf(names[i], sizeof names[i], "L%d", i + 1);
		model_add_lock(m, names[i]);
	}
	for (i = 0; i < n; i++)
		apply(m, EV_LOCK_ACQ, i, step++, 0, i, 0);
	for (i = 0; i < n - !close; i++) {
		int l = (i + 1) % n;

		apply(m, EV_LOCK_REQ, i, step, 0, l, 0);
		apply(m, EV_STATE, i, step++, 0, TS_LOCK_WAIT, l);
	}
	return m;
}

/* Rings of 2 to 9: the last wait closes the cycle, which names every
 * thread and lock in order, from T1 whichever thread closed it. */
START_TEST(test_ring_closes)
{
	int n = _i, i;
	struct model *m = ring(n, 1);
	char text[256], want[256] = "";
	size_t off = 0;

	ck_assert_int_eq(m->deadlock.n, n);
	ck_assert_uint_eq(m->deadlock.step, (uint32_t)(2 * n));
	/* from its lowest-numbered thread, whichever closed it */
	ck_assert_int_eq(m->deadlock.threads[0], 0);
	for (i = 0; i < n; i++) {
		int t = i;

		ck_assert_int_eq(m->deadlock.threads[i], t);
		ck_assert_int_eq(m->deadlock.locks[i], (t + 1) % n);
		off += (size_t)snprintf(want + off, sizeof want - off,
		    "T%d>L%d>", t + 1, (t + 1) % n + 1);
	}
	snprintf(want + off, sizeof want - off, "T1");
	model_cycle_short(m, &m->deadlock, text, sizeof text);
	ck_assert_str_eq(text, want);
	model_free(m);
}
END_TEST

/* The same rings, one wait short: a chain, which ends at a thread that
 * does not wait; no cycle, and none through any thread. */
START_TEST(test_open_chain)
{
	int n = _i, t;
	struct model *m = ring(n, 0);
	struct model_cycle c;

	ck_assert_int_eq(m->deadlock.n, 0);
	for (t = 0; t < n; t++)
		ck_assert_int_eq(model_find_cycle(m, t, &c), 0);
	model_free(m);
}
END_TEST

/* Requests that succeed make no edge to wait on: two threads that each
 * ask for the other's lock after it was released are no deadlock. */
START_TEST(test_requests_succeed)
{
	struct model *m = model_new(2, MODEL_CLOCK_STEPS, 64);

	model_add_lock(m, "A");
	model_add_lock(m, "B");
	apply(m, EV_LOCK_ACQ, 0, 1, 0, 0, 0);
	apply(m, EV_LOCK_ACQ, 1, 2, 0, 1, 0);
	apply(m, EV_LOCK_REL, 0, 3, 0, 0, 0);
	apply(m, EV_LOCK_REQ, 1, 4, 0, 0, 0);
	apply(m, EV_LOCK_ACQ, 1, 4, 0, 0, 0);
	apply(m, EV_LOCK_REQ, 0, 5, 0, 1, 0);
	apply(m, EV_STATE, 0, 5, 0, TS_LOCK_WAIT, 1);
	ck_assert_int_eq(m->deadlock.n, 0);
	model_free(m);
}
END_TEST

/* A chain that ends at a free lock: T1 waits for A held by T2, and T2
 * waits for B, which nobody holds (it is about to get it). */
START_TEST(test_chain_to_free_lock)
{
	struct model *m = model_new(2, MODEL_CLOCK_STEPS, 64);
	struct model_cycle c;
	char why[64];

	model_add_lock(m, "A");
	model_add_lock(m, "B");
	apply(m, EV_LOCK_ACQ, 1, 1, 0, 0, 0);
	apply(m, EV_STATE, 1, 2, 0, TS_LOCK_WAIT, 1);
	apply(m, EV_STATE, 0, 3, 0, TS_LOCK_WAIT, 0);
	ck_assert_int_eq(m->deadlock.n, 0);
	ck_assert_int_eq(model_find_cycle(m, 0, &c), 0);
	model_wait_reason(m, 0, why, sizeof why);
	ck_assert_str_eq(why, "waiting for A, held by B");
	/* a lesson whose locks have letters names threads by number */
	m->naming = NAMING_NUMBERS;
	model_wait_reason(m, 0, why, sizeof why);
	ck_assert_str_eq(why, "waiting for A, held by T2");
	model_wait_reason(m, 1, why, sizeof why);
	ck_assert_str_eq(why, "waiting for B");
	/* B's owner appears and waits for A's: now it closes */
	apply(m, EV_LOCK_ACQ, 0, 4, 0, 1, 0);
	apply(m, EV_STATE, 0, 5, 0, TS_LOCK_WAIT, 0);
	ck_assert_int_eq(m->deadlock.n, 2);
	model_cycle_long(m, &m->deadlock, "->", why, sizeof why);
	ck_assert_str_eq(
	    why, "T1 -> A (held by T2) -> T2 -> B (held by T1) -> T1");
	model_free(m);
}
END_TEST

TCase *
make_model_waitfor_tcase(void)
{
	TCase *tc = tcase_create("wait-for graph");

	tcase_add_loop_test(tc, test_ring_closes, 2, RING_MAX + 1);
	tcase_add_loop_test(tc, test_open_chain, 2, RING_MAX + 1);
	tcase_add_test(tc, test_requests_succeed);
	tcase_add_test(tc, test_chain_to_free_lock);
	return tc;
}
