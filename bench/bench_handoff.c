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

#include "bench_util.h"
#include "conductor.h"
#include "event.h"
#include "evq.h"
#include "util.h"
#include "worker.h"

#define BENCH_THREADS    2
#define BENCH_QUEUE      (1 << 13) /* as run.c: RUN_EVQ_CAPACITY */
#define BENCH_BATCH      256
#define BENCH_MAX_ROUNDS 99
#define TARGET_RATE      2e6
#define TARGET_RATIO     40.0

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

/* The conductor, its queue and two parked workers. */
struct bench_rig {
	struct il_worker w[BENCH_THREADS];
	pthread_t tid[BENCH_THREADS];
	struct evq *q;
	struct conductor *c;
};

static void
bench_rig_start(struct bench_rig *g)
{
	int t;

	g->q = evq_new(BENCH_QUEUE);
	g->c = conductor_new(BENCH_THREADS, POLICY_REPLAY, 0, g->q);
	for (t = 0; t < BENCH_THREADS; t++) {
		g->w[t].id = t;
		g->w[t].conductor = g->c;
		g->w[t].lesson = NULL;
		pthread_create(
		    &g->tid[t], NULL, bench_conductor_worker, &g->w[t]);
		conductor_wait_parked(g->c, t);
	}
	bench_drain(g->q);
}

/* One more grant each runs the workers to their end. */
static void
bench_rig_stop(struct bench_rig *g)
{
	int t;

	for (t = 0; t < BENCH_THREADS; t++) {
		conductor_grant(g->c, t);
		pthread_join(g->tid[t], NULL);
	}
	if (evq_dropped(g->q) != 0)
		fprintf(stderr, "bench_handoff: %llu events dropped\n",
		    (unsigned long long)evq_dropped(g->q));
	conductor_free(g->c);
	evq_free(g->q);
}

/* Steps per second through the controller. */
static double
bench_conductor(void)
{
	struct bench_rig g;
	uint64_t t0, t1;
	long i, n = 0;
	int t;

	bench_rig_start(&g);
	t0 = clock_now_ns();
	for (i = 0; i < bench_steps; i++) {
		for (t = 0; t < BENCH_THREADS; t++) {
			if (conductor_grant(g.c, t) != 0) {
				fprintf(
				    stderr, "bench_handoff: grant refused\n");
				exit(1);
			}
			n++;
			bench_drain(g.q);
		}
	}
	t1 = clock_now_ns();
	bench_rig_stop(&g);
	return (double)n * 1e9 / (double)(t1 - t0);
}

/* ---- the direct handoff: each worker picks the next itself ---- */

/* Replay's chooser: the threads in turn, with the baton back at the
 * controller every BENCH_BATCH_STEPS steps so it can drain the queue. */
#define BENCH_BATCH_STEPS 1024 /* as run_replay */

struct bench_turns {
	long left;  /* steps still to grant */
	long batch; /* steps left in this batch */
	int next;
};

static int
bench_pick(void *ctx, struct conductor *c)
{
	struct bench_turns *b = ctx;
	int t;

	(void)c;
	if (b->left == 0 || b->batch == 0)
		return -1;
	b->left--;
	b->batch--;
	t = b->next;
	b->next = (b->next + 1) % BENCH_THREADS;
	return t;
}

/* Steps per second with one handoff per step. */
static double
bench_direct(void)
{
	struct bench_rig g;
	struct bench_turns turns = {bench_steps * BENCH_THREADS, 0, 0};
	uint64_t t0, t1;

	bench_rig_start(&g);
	t0 = clock_now_ns();
	while (turns.left > 0) {
		turns.batch = BENCH_BATCH_STEPS;
		if (conductor_run_chosen(g.c, bench_pick, &turns) != 0) {
			fprintf(stderr, "bench_handoff: handoff cancelled\n");
			exit(1);
		}
		bench_drain(g.q);
	}
	t1 = clock_now_ns();
	bench_rig_stop(&g);
	return (double)bench_steps * BENCH_THREADS * 1e9 / (double)(t1 - t0);
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
	double cond[BENCH_MAX_ROUNDS], dir[BENCH_MAX_ROUNDS],
	    cv[BENCH_MAX_ROUNDS];
	double mc, md, mv;
	int r, rounds = 3;

	if (argc > 1)
		bench_steps = strtol(argv[1], NULL, 10);
	if (argc > 2)
		rounds = atoi(argv[2]);
	if (bench_steps <= 0 || rounds <= 0 || rounds > BENCH_MAX_ROUNDS) {
		fputs("usage: bench_handoff [steps-per-thread] [rounds 1-99]\n",
		    stderr);
		return 2;
	}
	printf("%d threads take turns, %ld steps each, 3 events per step\n"
	       "  through the controller: it grants each step and waits "
	       "(two handoffs a step)\n"
	       "  direct: the thread that ends its step hands the baton on "
	       "(one handoff a step)\n",
	    BENCH_THREADS, bench_steps);
	for (r = 0; r < rounds; r++) {
		cond[r] = bench_conductor();
		dir[r] = bench_direct();
		cv[r] = bench_condvar();
		printf("round %d: controller %9.0f  direct %9.0f  "
		       "mutex+condvar %8.0f steps/s\n",
		    r + 1, cond[r], dir[r], cv[r]);
	}
	mc = bench_median(cond, rounds);
	md = bench_median(dir, rounds);
	mv = bench_median(cv, rounds);
	printf("median: controller %.2f M steps/s, direct %.2f M steps/s, "
	       "mutex+condvar %.3f M steps/s\n",
	    mc / 1e6, md / 1e6, mv / 1e6);
	printf("  %s  direct %.2f M steps/s (target >= %.1f M)\n",
	    bench_verdict(md >= TARGET_RATE), md / 1e6, TARGET_RATE / 1e6);
	printf("  %s  direct / mutex+condvar %.1fx (target >= %.0fx)\n",
	    bench_verdict(md >= TARGET_RATIO * mv), md / mv, TARGET_RATIO);
	printf("  (controller / mutex+condvar %.1fx)\n", mc / mv);
	return 0;
}
