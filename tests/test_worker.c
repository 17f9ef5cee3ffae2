/* The worker API's newer calls (il_fetch_add, il_trylock, il_cond_*,
 * il_sem_*, il_yield) in controlled runs, stepped through the conductor,
 * and in free runs on real threads. The harness is in
 * test_worker_harness.c. */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "conductor.h"
#include "event.h"
#include "evq.h"
#include "glyphs.h"
#include "names.h"
#include "suites.h"
#include "test_worker.h"
#include "util.h"
#include "worker.h"

/* ---- bodies ---- */

static void
add_many_body(struct il_worker *w)
{
	int i;

	for (i = 0; i < W_ITERATIONS && !il_cancelled(w); i++)
		il_fetch_add(w, &wh_of(w)->var, 1, 1);
}

static void
add_twice_body(struct il_worker *w)
{
	struct wh *h = wh_of(w);

	h->old[w->id][0] = il_fetch_add(w, &h->var, 10, 1);
	h->old[w->id][1] = il_fetch_add(w, &h->var, 1, 2);
}

/* lock m; a line; unlock m. */
static void
hold_body(struct il_worker *w)
{
	struct wh *h = wh_of(w);

	il_lock(w, &h->lock, 1);
	if (conductor_policy(w->conductor) == POLICY_FREE)
		pthread_barrier_wait(&h->barrier); /* B tries now */
	il_line(w, 2);
	if (conductor_policy(w->conductor) == POLICY_FREE)
		pthread_barrier_wait(&h->barrier); /* B has tried */
	il_unlock(w, &h->lock, 3);
}

static void
try_body(struct il_worker *w)
{
	struct wh *h = wh_of(w);

	if (conductor_policy(w->conductor) == POLICY_FREE)
		pthread_barrier_wait(&h->barrier);
	h->rc[w->id] = il_trylock(w, &h->lock, 1);
	if (h->rc[w->id] == 1)
		il_unlock(w, &h->lock, 2);
	if (conductor_policy(w->conductor) == POLICY_FREE)
		pthread_barrier_wait(&h->barrier);
}

/* Wait under m until flag is set. */
static void
cond_waiter_body(struct il_worker *w)
{
	struct wh *h = wh_of(w);

	if (il_lock(w, &h->lock, 1) != 0) {
		h->rc[w->id] = -1;
		return;
	}
	while (!h->flag)
		if ((h->rc[w->id] = il_cond_wait(w, &h->cond, &h->lock, 2)) !=
		    0)
			return;
	il_unlock(w, &h->lock, 3);
}

/* Set flag under m and signal. */
static void
cond_signaller_body(struct il_worker *w)
{
	struct wh *h = wh_of(w);

	il_lock(w, &h->lock, 1);
	h->flag = 1;
	il_cond_signal(w, &h->cond, 2);
	il_unlock(w, &h->lock, 3);
}

static void
sem_wait_body(struct il_worker *w)
{
	struct wh *h = wh_of(w);

	h->rc[w->id] = il_sem_wait(w, &h->sem, 1);
}

static void
sem_post_body(struct il_worker *w)
{
	il_sem_post(w, &wh_of(w)->sem, 1);
}

/* Free runs: consumers take W_ITERATIONS / 10 units each, counting them. */
static void
consumer_body(struct il_worker *w)
{
	struct wh *h = wh_of(w);
	int i;

	for (i = 0; i < W_ITERATIONS / 10; i++) {
		if (il_sem_wait(w, &h->sem, 1) != 0)
			return;
		il_fetch_add(w, &h->var, 1, 2);
	}
}

/* ... and the producer posts them all. */
static void
producer_body(struct il_worker *w)
{
	int i;

	for (i = 0; i < (W_THREADS - 1) * (W_ITERATIONS / 10); i++)
		il_sem_post(w, &wh_of(w)->sem, 1);
}

static void
yield_body(struct il_worker *w)
{
	il_yield(w, 1);
	il_yield(w, 2);
}

/* ---- tests ---- */

/* Free: fetch_add never loses an update, where load + store would. */
START_TEST(test_fetch_add_free)
{
	void (*const body[W_THREADS])(struct il_worker *) = {
	    add_many_body, add_many_body, add_many_body, add_many_body};
	struct wh *h = wh_new(W_THREADS, POLICY_FREE, body, 0);

	conductor_set_quiet(h->c);
	wh_start(h);
	wh_join(h);
	ck_assert_int_eq(
	    atomic_load(&h->var.value), (int64_t)W_THREADS * W_ITERATIONS);
	wh_free(h);
}
END_TEST

/* Controlled: each fetch_add is one step, returning the old value. */
START_TEST(test_fetch_add_controlled)
{
	void (*const body[2])(struct il_worker *) = {
	    add_twice_body, add_twice_body};
	struct wh *h = wh_new(2, POLICY_STEP, body, 0);
	uint32_t steps;

	wh_start(h);
	steps = conductor_steps(h->c);
	wh_grant(h, 0); /* A adds 10 */
	wh_grant(h, 1); /* B adds 10 */
	wh_grant(h, 0); /* A adds 1 */
	ck_assert_uint_eq(conductor_steps(h->c) - steps, 3);
	wh_grant(h, 1); /* B adds 1 */
	ck_assert(conductor_all_done(h->c));
	ck_assert_int_eq(h->old[0][0], 0);
	ck_assert_int_eq(h->old[1][0], 10);
	ck_assert_int_eq(h->old[0][1], 20);
	ck_assert_int_eq(h->old[1][1], 21);
	ck_assert_int_eq(atomic_load(&h->var.value), 22);
	wh_free(h);
}
END_TEST

/* Controlled: B's trylock fails while A holds m, and does not block. */
START_TEST(test_trylock_controlled)
{
	void (*const body[2])(struct il_worker *) = {hold_body, try_body};
	struct wh *h = wh_new(2, POLICY_STEP, body, 0);

	wh_start(h);
	wh_grant(h, 0); /* A takes m */
	ck_assert(conductor_runnable(h->c, 1, NULL, 0));
	wh_grant(h, 1); /* B tries: one step, and B ends */
	ck_assert_int_eq(h->rc[1], 0);
	wh_grant(h, 0);
	wh_grant(h, 0); /* A unlocks */
	ck_assert(conductor_all_done(h->c));
	wh_free(h);
}
END_TEST

/* Controlled: a trylock of a free lock takes it. */
START_TEST(test_trylock_free_lock)
{
	void (*const body[2])(struct il_worker *) = {try_body, hold_body};
	struct wh *h = wh_new(2, POLICY_STEP, body, 0);

	wh_start(h);
	wh_grant(h, 0); /* A takes m, parks at its unlock */
	ck_assert_int_eq(h->rc[0], 1);
	ck_assert_int_eq(conductor_lock_owner(h->c, h->lock.id), 0);
	ck_assert(!conductor_runnable(h->c, 1, NULL, 0));
	wh_grant(h, 0); /* A unlocks and ends */
	ck_assert_int_eq(conductor_lock_owner(h->c, h->lock.id), -1);
	wh_free(h);
}
END_TEST

/* Free: trylock returns 0 while another thread really holds the mutex. */
START_TEST(test_trylock_free_run)
{
	void (*const body[2])(struct il_worker *) = {hold_body, try_body};
	struct wh *h = wh_new(2, POLICY_FREE, body, 0);

	wh_start(h);
	wh_join(h);
	ck_assert_int_eq(h->rc[1], 0);
	ck_assert_int_eq(conductor_lock_owner(h->c, h->lock.id), -1);
	wh_free(h);
}
END_TEST

/* Controlled: a cond waiter cannot be stepped before the signal, then
 * needs the lock again. */
START_TEST(test_cond_controlled)
{
	void (*const body[2])(struct il_worker *) = {
	    cond_waiter_body, cond_signaller_body};
	struct wh *h = wh_new(2, POLICY_STEP, body, 0);
	char why[128];

	wh_start(h);
	wh_grant(h, 0); /* A takes m, parks at the wait */
	wh_grant(h, 0); /* A waits: m is released */
	ck_assert(!conductor_runnable(h->c, 0, why, sizeof why));
	ck_assert_str_eq(why, "A is waiting on a condition");
	ck_assert_uint_eq(wh_states(h, 0, TS_COND_WAIT), 1);
	wh_grant(h, 1); /* B takes m */
	ck_assert(!conductor_runnable(h->c, 0, NULL, 0));
	wh_grant(h, 1); /* B signals: A now waits for m */
	ck_assert(!conductor_runnable(h->c, 0, why, sizeof why));
	ck_assert_str_eq(why, "A is waiting for lock m, held by B");
	wh_grant(h, 1); /* B unlocks and ends */
	ck_assert(conductor_runnable(h->c, 0, NULL, 0));
	wh_grant(h, 0); /* A takes m again, sees the flag */
	wh_grant(h, 0); /* A unlocks */
	ck_assert(conductor_all_done(h->c));
	ck_assert_int_eq(h->rc[0], 0);
	wh_free(h);
}
END_TEST

/* Free: the waiter wakes on the signal and finishes. */
START_TEST(test_cond_free)
{
	void (*const body[2])(struct il_worker *) = {
	    cond_waiter_body, cond_signaller_body};
	struct wh *h = wh_new(2, POLICY_FREE, body, 0);

	wh_start(h);
	wh_join(h);
	ck_assert_int_eq(h->rc[0], 0);
	ck_assert_int_eq(h->flag, 1);
	ck_assert_int_eq(conductor_lock_owner(h->c, h->lock.id), -1);
	wh_free(h);
}
END_TEST

/* Cancel wakes a thread waiting on a condition that no one signals. */
START_TEST(test_cond_cancel)
{
	enum policy policy = _i ? POLICY_STEP : POLICY_FREE;
	void (*const body[1])(struct il_worker *) = {cond_waiter_body};
	struct wh *h = wh_new(1, policy, body, 0);

	wh_start(h);
	if (policy == POLICY_FREE) {
		wh_await_state(h, 0, TS_COND_WAIT);
	} else {
		wh_grant(h, 0);
		wh_grant(h, 0);
		ck_assert(!conductor_runnable(h->c, 0, NULL, 0));
	}
	conductor_cancel(h->c);
	wh_join(h);
	ck_assert_int_eq(h->rc[0], -1);
	ck_assert_int_eq(pthread_mutex_trylock(&h->lock.mutex), 0);
	pthread_mutex_unlock(&h->lock.mutex);
	wh_free(h);
}
END_TEST

/* Controlled: a sem waiter cannot be stepped until a post. */
START_TEST(test_sem_controlled)
{
	void (*const body[2])(struct il_worker *) = {
	    sem_wait_body, sem_post_body};
	struct wh *h = wh_new(2, POLICY_STEP, body, 0);

	wh_start(h);
	ck_assert(!conductor_runnable(h->c, 0, NULL, 0));
	ck_assert_uint_eq(wh_states(h, 0, TS_COND_WAIT), 1);
	wh_grant(h, 1); /* B posts */
	ck_assert(conductor_runnable(h->c, 0, NULL, 0));
	wh_grant(h, 0); /* A takes the unit */
	ck_assert(conductor_all_done(h->c));
	ck_assert_int_eq(h->rc[0], 0);
	ck_assert_int_eq(atomic_load(&h->sem.count), 0);
	wh_free(h);
}
END_TEST

/* Controlled: with a unit available the wait is one step. */
START_TEST(test_sem_available)
{
	void (*const body[1])(struct il_worker *) = {sem_wait_body};
	struct wh *h = wh_new(1, POLICY_STEP, body, 1);

	wh_start(h);
	ck_assert(conductor_runnable(h->c, 0, NULL, 0));
	wh_grant(h, 0);
	ck_assert(conductor_all_done(h->c));
	ck_assert_int_eq(atomic_load(&h->sem.count), 0);
	wh_free(h);
}
END_TEST

/* Free: every posted unit is taken exactly once. */
START_TEST(test_sem_free)
{
	void (*const body[W_THREADS])(struct il_worker *) = {
	    producer_body, consumer_body, consumer_body, consumer_body};
	struct wh *h = wh_new(W_THREADS, POLICY_FREE, body, 0);

	conductor_set_quiet(h->c);
	wh_start(h);
	wh_join(h);
	ck_assert_int_eq(atomic_load(&h->var.value),
	    (int64_t)(W_THREADS - 1) * (W_ITERATIONS / 10));
	ck_assert_int_eq(atomic_load(&h->sem.count), 0);
	wh_free(h);
}
END_TEST

/* Cancel wakes a thread waiting on an empty semaphore. */
START_TEST(test_sem_cancel)
{
	enum policy policy = _i ? POLICY_STEP : POLICY_FREE;
	void (*const body[1])(struct il_worker *) = {sem_wait_body};
	struct wh *h = wh_new(1, policy, body, 0);

	wh_start(h);
	if (policy == POLICY_FREE)
		wh_await_state(h, 0, TS_COND_WAIT);
	conductor_cancel(h->c);
	wh_join(h);
	ck_assert_int_eq(h->rc[0], -1);
	wh_free(h);
}
END_TEST

/* il_yield is a step of its own, in both kinds of run. */
START_TEST(test_yield)
{
	enum policy policy = _i ? POLICY_STEP : POLICY_FREE;
	void (*const body[1])(struct il_worker *) = {yield_body};
	struct wh *h = wh_new(1, policy, body, 0);
	int64_t arg;
	int line = 0;

	wh_start(h);
	if (policy != POLICY_FREE) {
		ck_assert_int_eq(
		    conductor_pending(h->c, 0, &arg, &line), OP_YIELD);
		ck_assert_int_eq(line, 1);
		wh_grant(h, 0);
		ck_assert_int_eq(
		    conductor_pending(h->c, 0, &arg, &line), OP_YIELD);
		ck_assert_int_eq(line, 2);
		wh_grant(h, 0);
	}
	wh_join(h);
	ck_assert(conductor_all_done(h->c));
	wh_free(h);
}
END_TEST

/* Every state from THREAD_STATES has its own glyph in both sets, its own
 * colour role, words and a name. */
START_TEST(test_states_distinct)
{
	int s, u;

	for (s = 0; s < TS_COUNT; s++) {
		ck_assert_str_ne(thread_state_name(s), "?");
		ck_assert_str_ne(glyphs_state_words(s), "?");
		for (u = 0; u < s; u++) {
			ck_assert_uint_ne(
			    glyphs_utf8.state[s], glyphs_utf8.state[u]);
			ck_assert_uint_ne(
			    glyphs_ascii.state[s], glyphs_ascii.state[u]);
			ck_assert_int_ne(
			    glyphs_state_role(s), glyphs_state_role(u));
			ck_assert_str_ne(
			    thread_state_name(s), thread_state_name(u));
		}
	}
	ck_assert_str_eq(thread_state_name(TS_COND_WAIT), "cond-wait");
	ck_assert_int_eq(glyphs_state_role(TS_COND_WAIT), ROLE_COND_WAIT);
}
END_TEST

Suite *
make_worker_suite(void)
{
	Suite *s = suite_create("worker");
	TCase *tc = tcase_create("calls");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_fetch_add_free);
	tcase_add_test(tc, test_fetch_add_controlled);
	tcase_add_test(tc, test_trylock_controlled);
	tcase_add_test(tc, test_trylock_free_lock);
	tcase_add_test(tc, test_trylock_free_run);
	tcase_add_test(tc, test_cond_controlled);
	tcase_add_test(tc, test_cond_free);
	tcase_add_loop_test(tc, test_cond_cancel, 0, 2);
	tcase_add_test(tc, test_sem_controlled);
	tcase_add_test(tc, test_sem_available);
	tcase_add_test(tc, test_sem_free);
	tcase_add_loop_test(tc, test_sem_cancel, 0, 2);
	tcase_add_loop_test(tc, test_yield, 0, 2);
	suite_add_tcase(s, tc);

	tc = tcase_create("states");
	tcase_add_test(tc, test_states_distinct);
	suite_add_tcase(s, tc);
	return s;
}
