/*
 * Handoff speed: steps per second in a controlled run where the controller
 * grants two workers alternately (as a replay does), using the real
 * conductor, against a plain mutex + condition variable handoff doing the
 * same ping-pong with the same three events per step, in the same run.
 *
 * usage: bench_handoff [steps-per-thread] [rounds]
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "conductor.h"
#include "event.h"
#include "evq.h"
#include "util.h"
#include "worker.h"

#define BENCH_THREADS 2
#define BENCH_QUEUE   (1 << 16)
#define BENCH_BATCH   256

static long bench_steps = 200000; /* per thread */

/* Pop and discard whatever the queue holds. */
static void
bench_drain(struct evq *q)
{
	struct event buf[BENCH_BATCH];

	while (evq_pop(q, buf, BENCH_BATCH) > 0)
		;
}

/* Build an event the way conductor_emit() does. */
static void
bench_push(struct evq *q, int t, enum ev_kind kind, int64_t a, uint32_t step)
{
	struct event ev = {.ts_ns = clock_now_ns(),
	    .a = a,
	    .step = step,
	    .line = 1,
	    .thread = (uint16_t)t,
	    .kind = (uint16_t)kind};

	evq_push(q, &ev);
}

/* ---- the real conductor ---- */

static void *
bench_conductor_worker(void *arg)
{
	struct il_worker *w = arg;
	long i;

	conductor_thread_begin(w->conductor, w->id);
	for (i = 0; i < bench_steps; i++)
		il_line(w, 1);
	conductor_thread_end(w->conductor, w->id);
	return NULL;
}

/* Steps per second through the conductor. */
static double
bench_conductor(void)
{
	struct il_worker w[BENCH_THREADS];
	pthread_t tid[BENCH_THREADS];
	struct evq *q = evq_new(BENCH_QUEUE);
	struct conductor *c = conductor_new(BENCH_THREADS, POLICY_REPLAY, 0, q);
	uint64_t t0, t1;
	long i, n = 0;
	int t;

	for (t = 0; t < BENCH_THREADS; t++) {
		w[t].id = t;
		w[t].conductor = c;
		w[t].lesson = NULL;
		pthread_create(&tid[t], NULL, bench_conductor_worker, &w[t]);
		conductor_wait_parked(c, t);
	}
	bench_drain(q);
	t0 = clock_now_ns();
	for (i = 0; i < bench_steps; i++) {
		for (t = 0; t < BENCH_THREADS; t++) {
			if (conductor_grant(c, t) != 0) {
				fprintf(
				    stderr, "bench_handoff: grant refused\n");
				exit(1);
			}
			n++;
			bench_drain(q);
		}
	}
	t1 = clock_now_ns();
	/* One more grant each runs them to their end. */
	for (t = 0; t < BENCH_THREADS; t++) {
		conductor_grant(c, t);
		pthread_join(tid[t], NULL);
	}
	if (evq_dropped(q) != 0)
		fprintf(stderr, "bench_handoff: %llu events dropped\n",
		    (unsigned long long)evq_dropped(q));
	conductor_free(c);
	evq_free(q);
	return (double)n * 1e9 / (double)(t1 - t0);
}

/* ---- mutex + condition variable ---- */

struct cv_handoff {
	pthread_mutex_t mu; /* protects turn and steps */
	pthread_cond_t worker_cv[BENCH_THREADS];
	pthread_cond_t controller_cv;
	int turn; /* thread that may take a step, or -1: the controller's */
	uint32_t steps;
	struct evq *q;
};

struct cv_arg {
	struct cv_handoff *h;
	int id;
};

static void *
bench_cv_worker(void *arg)
{
	struct cv_arg *a = arg;
	struct cv_handoff *h = a->h;
	long i;

	pthread_mutex_lock(&h->mu);
	for (i = 0; i <= bench_steps; i++) {
		/* Park: READY, hand the turn back, wait for a grant. */
		if (i > 0)
			h->steps++;
		bench_push(h->q, a->id, EV_STATE, TS_READY, h->steps);
		h->turn = -1;
		pthread_cond_signal(&h->controller_cv);
		if (i == bench_steps)
			break;
		while (h->turn != a->id)
			pthread_cond_wait(&h->worker_cv[a->id], &h->mu);
		/* The step: the same event il_line() sends. */
		bench_push(h->q, a->id, EV_LINE, 0, h->steps);
	}
	pthread_mutex_unlock(&h->mu);
	return NULL;
}

/* Grant thread t one step and wait for it to park again. */
static void
bench_cv_grant(struct cv_handoff *h, int t)
{
	pthread_mutex_lock(&h->mu);
	bench_push(h->q, t, EV_STATE, TS_RUNNING, h->steps);
	h->turn = t;
	pthread_cond_signal(&h->worker_cv[t]);
	while (h->turn != -1)
		pthread_cond_wait(&h->controller_cv, &h->mu);
	pthread_mutex_unlock(&h->mu);
}

/* Steps per second through a mutex and condition variables. */
static double
bench_condvar(void)
{
	struct cv_handoff h;
	struct cv_arg args[BENCH_THREADS];
	pthread_t tid[BENCH_THREADS];
	uint64_t t0, t1;
	long i, n = 0;
	int t;

	pthread_mutex_init(&h.mu, NULL);
	pthread_cond_init(&h.controller_cv, NULL);
	h.turn = -2; /* nobody has parked yet */
	h.steps = 0;
	h.q = evq_new(BENCH_QUEUE);
	for (t = 0; t < BENCH_THREADS; t++) {
		pthread_cond_init(&h.worker_cv[t], NULL);
		args[t].h = &h;
		args[t].id = t;
		pthread_create(&tid[t], NULL, bench_cv_worker, &args[t]);
		pthread_mutex_lock(&h.mu);
		while (h.turn != -1)
			pthread_cond_wait(&h.controller_cv, &h.mu);
		h.turn = -2;
		pthread_mutex_unlock(&h.mu);
	}
	pthread_mutex_lock(&h.mu);
	h.turn = -1;
	pthread_mutex_unlock(&h.mu);
	bench_drain(h.q);
	t0 = clock_now_ns();
	for (i = 0; i < bench_steps; i++) {
		for (t = 0; t < BENCH_THREADS; t++) {
			bench_cv_grant(&h, t);
			n++;
			bench_drain(h.q);
		}
	}
	t1 = clock_now_ns();
	for (t = 0; t < BENCH_THREADS; t++) {
		pthread_join(tid[t], NULL);
		pthread_cond_destroy(&h.worker_cv[t]);
	}
	pthread_cond_destroy(&h.controller_cv);
	pthread_mutex_destroy(&h.mu);
	evq_free(h.q);
	return (double)n * 1e9 / (double)(t1 - t0);
}

int
main(int argc, char **argv)
{
	double cond, cv, best_cond = 0, best_cv = 0;
	int r, rounds = 3;

	if (argc > 1)
		bench_steps = strtol(argv[1], NULL, 10);
	if (argc > 2)
		rounds = atoi(argv[2]);
	if (bench_steps <= 0 || rounds <= 0) {
		fputs("usage: bench_handoff [steps-per-thread] [rounds]\n",
		    stderr);
		return 2;
	}
	printf("controller grants %d threads alternately, %ld steps each, "
	       "3 events per step\n",
	    BENCH_THREADS, bench_steps);
	for (r = 0; r < rounds; r++) {
		cond = bench_conductor();
		cv = bench_condvar();
		printf("round %d: conductor %10.0f steps/s   mutex+condvar "
		       "%10.0f steps/s   ratio %.2f\n",
		    r + 1, cond, cv, cond / cv);
		if (cond > best_cond)
			best_cond = cond;
		if (cv > best_cv)
			best_cv = cv;
	}
	printf("best: conductor %.0f steps/s, mutex+condvar %.0f steps/s, "
	       "ratio %.2f\n",
	    best_cond, best_cv, best_cond / best_cv);
	return 0;
}
