/* The worker API's newer calls (il_fetch_add, il_trylock, il_cond_*,
 * il_sem_*, il_yield) in controlled runs, stepped through the conductor,
 * and in free runs on real threads. */
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
#include "util.h"
#include "worker.h"

#define W_THREADS     4
#define W_QUEUE       (1 << 14)
#define W_ITERATIONS  100000
#define W_PUSH_NS     (30ULL * 1000 * 1000 * 1000)
#define W_DEADLINE_NS (30ULL * 1000 * 1000 * 1000)

/* One run: a conductor, a queue, shared objects and worker threads. */
struct wh {
	struct evq *q;
	struct conductor *c;
	struct il_var var;
	struct il_lock lock;
	struct il_cond cond;
	struct il_sem sem;
	int nthreads, started;
	struct il_worker w[W_THREADS];
	pthread_t tid[W_THREADS];
	void (*body[W_THREADS])(struct il_worker *);
	/* Written by worker i only, read after the join. */
	int rc[W_THREADS];
	int64_t old[W_THREADS][2];
	/* Set under lock (or by the baton holder), read under it. */
	int flag;
	pthread_barrier_t barrier; /* free-run bodies that need it */
	struct event ev[W_QUEUE];  /* drained events (controller thread) */
	size_t nev;
};

static struct wh *
wh_of(struct il_worker *w)
{
	return w->lesson;
}

static void *
wh_thread(void *arg)
{
	struct il_worker *w = arg;

	conductor_thread_begin(w->conductor, w->id);
	wh_of(w)->body[w->id](w);
	conductor_thread_end(w->conductor, w->id);
	return NULL;
}

static void
wh_drain(struct wh *h)
{
	size_t n;

	while (h->nev < W_QUEUE &&
	    (n = evq_pop(h->q, h->ev + h->nev, W_QUEUE - h->nev)) > 0)
		h->nev += n;
}

/* A run of n threads, thread i running body[i]; the semaphore starts at
 * sem. */
static struct wh *
wh_new(int n, enum policy policy, void (*const *body)(struct il_worker *),
    int64_t sem)
{
	struct wh *h = xcalloc(1, sizeof *h);
	int i;

	h->q = evq_new(W_QUEUE);
	evq_set_push_timeout(h->q, W_PUSH_NS);
	h->c = conductor_new(n, policy, 1, h->q);
	h->nthreads = n;
	il_var_init(&h->var, 0, "counter", 0);
	il_lock_init(&h->lock, conductor_lock_add(h->c, "m"), "m");
	il_cond_init(&h->cond, 0, "cv");
	il_sem_init(&h->sem, 1, "sem", sem);
	pthread_barrier_init(&h->barrier, NULL, (unsigned)n);
	for (i = 0; i < n; i++) {
		h->w[i].id = i;
		h->w[i].conductor = h->c;
		h->w[i].lesson = h;
		h->body[i] = body[i];
	}
	return h;
}

/* Start the threads; in a controlled run one at a time, as run.c does. */
static void
wh_start(struct wh *h)
{
	int i;

	for (i = 0; i < h->nthreads; i++) {
		ck_assert_int_eq(
		    pthread_create(&h->tid[i], NULL, wh_thread, &h->w[i]), 0);
		h->started++;
		if (conductor_policy(h->c) != POLICY_FREE)
			ck_assert_int_eq(conductor_wait_parked(h->c, i), 0);
	}
	wh_drain(h);
}

static void
wh_grant(struct wh *h, int t)
{
	ck_assert_msg(conductor_grant(h->c, t) == 0, "grant of %c refused",
	    thread_letter(t));
	wh_drain(h);
}

/* Wait for every thread to end by itself. */
static void
wh_join(struct wh *h)
{
	for (int i = 0; i < h->started; i++)
		pthread_join(h->tid[i], NULL);
	h->started = 0;
}

/* Join every thread (cancelling first if any is unfinished) and free. */
static void
wh_free(struct wh *h)
{
	int i;

	if (!conductor_all_done(h->c))
		conductor_cancel(h->c);
	for (i = 0; i < h->started; i++)
		pthread_join(h->tid[i], NULL);
	wh_drain(h);
	il_lock_destroy(&h->lock);
	il_cond_destroy(&h->cond);
	il_sem_destroy(&h->sem);
	pthread_barrier_destroy(&h->barrier);
	conductor_free(h->c);
	evq_free(h->q);
	free(h);
}

/* Thread t's EV_STATE events with state s. */
static size_t
wh_states(const struct wh *h, int t, enum thread_state s)
{
	size_t i, n = 0;

	for (i = 0; i < h->nev; i++)
		n += h->ev[i].thread == t && h->ev[i].kind == EV_STATE &&
		    h->ev[i].a == s;
	return n;
}

/* Poll the queue until thread t has shown state s (free runs). */
static void
wh_await_state(struct wh *h, int t, enum thread_state s)
{
	uint64_t end = clock_now_ns() + W_DEADLINE_NS;

	for (;;) {
		wh_drain(h);
		if (wh_states(h, t, s) > 0)
			return;
		ck_assert_msg(clock_now_ns() < end, "%c never showed state %s",
		    thread_letter(t), thread_state_name(s));
		sched_yield();
	}
}

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
