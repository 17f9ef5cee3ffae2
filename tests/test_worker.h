/* What the worker tests (test_worker.c, test_worker_harness.c) share:
 * the harness that runs worker threads under a conductor. */
#ifndef IL_TEST_WORKER_H
#define IL_TEST_WORKER_H

#include <check.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "conductor.h"
#include "event.h"
#include "evq.h"
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

/* The run a worker belongs to. */
struct wh *wh_of(struct il_worker *w);

/* Move queued events into h->ev, as many as fit. */
void wh_drain(struct wh *h);

/* A run of n threads, thread i running body[i]; the semaphore starts at
 * sem. */
struct wh *wh_new(int n, enum policy policy,
    void (*const *body)(struct il_worker *), int64_t sem);

/* Start the threads; in a controlled run one at a time, as run.c does. */
void wh_start(struct wh *h);

/* Grant thread t one step (it must be granted) and drain. */
void wh_grant(struct wh *h, int t);

/* Wait for every thread to end by itself. */
void wh_join(struct wh *h);

/* Join every thread (cancelling first if any is unfinished) and free. */
void wh_free(struct wh *h);

/* Thread t's EV_STATE events with state s. */
size_t wh_states(const struct wh *h, int t, enum thread_state s);

/* Poll the queue until thread t has shown state s (free runs). */
void wh_await_state(struct wh *h, int t, enum thread_state s);

#endif
