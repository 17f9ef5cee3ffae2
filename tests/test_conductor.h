/* What the conductor tests (test_conductor.c, test_conductor_harness.c,
 * test_conductor_runs.c) share: the harness that runs worker threads
 * under a conductor and drains their events. */
#ifndef IL_TEST_CONDUCTOR_H
#define IL_TEST_CONDUCTOR_H

#include <check.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "conductor.h"
#include "event.h"
#include "evq.h"
#include "worker.h"

#define H_MAX_THREADS    4
#define H_QUEUE          (1 << 14)
#define FREE_THREADS     4
#define FREE_ITERATIONS  100000
#define LONG_PUSH_NS     (30ULL * 1000 * 1000 * 1000)
#define POLL_DEADLINE_NS (30ULL * 1000 * 1000 * 1000)
#define TRACE_MAX        4096

/* One test run: a conductor, a queue, shared objects and worker threads. */
struct harness {
	struct evq *q;
	struct conductor *c;
	struct il_var var;
	struct il_lock lock[2];
	int nlocks;
	int nthreads;
	int started;
	struct il_worker w[H_MAX_THREADS];
	pthread_t tid[H_MAX_THREADS];
	void (*body)(struct il_worker *);
	/* Written by worker i only, read after join. */
	int lock_rc[H_MAX_THREADS][2];
	pthread_barrier_t barrier; /* free-run bodies that need it */
	struct event *ev;          /* drained events (controller thread) */
	size_t nev, cap;
};

/* The race: tmp = counter; tmp = tmp + 1; counter = tmp. */
void race_body(struct il_worker *w);

/* lock m; a line; unlock m. */
void lock_body(struct il_worker *w);

/* A takes m then n, B takes n then m. */
void deadlock_body(struct il_worker *w);

/* Many unlocked increments. */
void increment_body(struct il_worker *w);

/* A CPU step that only cancel can end. */
void endless_cpu_body(struct il_worker *w);

/* An I/O step of a thousand seconds. */
void long_io_body(struct il_worker *w);

/* Move every queued event into h->ev. */
size_t h_drain(struct harness *h);

/* Set up a run of n threads with two locks "m" and "n". */
void h_init(struct harness *h, int n, enum policy policy, uint64_t seed,
    void (*body)(struct il_worker *));

/* Start the threads; in a controlled run one at a time, as run.c does. */
void h_start(struct harness *h);

/* Grant thread t (0-based) one step and drain: conductor_grant()'s
 * result. */
int h_grant(struct harness *h, int t);

/* Grant a schedule of 1-based thread numbers; each must succeed. */
void h_schedule(struct harness *h, const int *sched, size_t n);

/* Join, then free everything but the drained events. */
void h_finish(struct harness *h);

/* Free the drained events. */
void h_free(struct harness *h);

/* Events of kind (and, for EV_STATE, state) from thread t; t < 0: any. */
size_t h_count(
    const struct harness *h, int t, enum ev_kind kind, int64_t state);

/* Two streams are equal in every field but the time stamp and the OS
 * thread id of EV_THREAD_START. */
int streams_equal(
    const struct event *a, size_t na, const struct event *b, size_t nb);

/* The whole stream as space-separated tokens. */
void trace(const struct harness *h, char *out, size_t len);

/* Add the free-run tests of test_conductor_runs.c to tc. */
void conductor_add_free_run_tests(TCase *tc);

/* Add the tests of whole runs through the run API to tc. */
void conductor_add_run_api_tests(TCase *tc);

#endif
