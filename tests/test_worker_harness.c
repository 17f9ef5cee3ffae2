/* The worker tests' harness: worker threads under a conductor, and the
 * drained event stream. */
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>

#include "conductor.h"
#include "evq.h"
#include "names.h"
#include "test_worker.h"
#include "util.h"
#include "worker.h"

struct wh *
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

void
wh_drain(struct wh *h)
{
	size_t n;

	while (h->nev < W_QUEUE &&
	    (n = evq_pop(h->q, h->ev + h->nev, W_QUEUE - h->nev)) > 0)
		h->nev += n;
}

/* A run of n threads, thread i running body[i]; the semaphore starts at
 * sem. */
struct wh *
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
void
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

void
wh_grant(struct wh *h, int t)
{
	ck_assert_msg(conductor_grant(h->c, t) == 0, "grant of %c refused",
	    thread_letter(t));
	wh_drain(h);
}

/* Wait for every thread to end by itself. */
void
wh_join(struct wh *h)
{
	for (int i = 0; i < h->started; i++)
		pthread_join(h->tid[i], NULL);
	h->started = 0;
}

/* Join every thread (cancelling first if any is unfinished) and free. */
void
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
size_t
wh_states(const struct wh *h, int t, enum thread_state s)
{
	size_t i, n = 0;

	for (i = 0; i < h->nev; i++)
		n += h->ev[i].thread == t && h->ev[i].kind == EV_STATE &&
		    h->ev[i].a == s;
	return n;
}

/* Poll the queue until thread t has shown state s (free runs). */
void
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
