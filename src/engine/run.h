/*
 * One run of a lesson: the worker threads, the conductor that paces them,
 * the event queue they report to and the model built from it.
 *
 * The controller (headless main or the UI thread) owns the run: it starts
 * it, grants steps in a controlled run, pumps events into the model, and
 * finally joins every worker.
 */
#ifndef IL_RUN_H
#define IL_RUN_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "conductor.h"
#include "model.h"
#include "module.h"
#include "worker.h"

struct evq;

struct result;
struct run_config {
	const struct lesson_module *module;
	long params[MODULE_MAX_PARAMS];
	enum policy policy;
	uint64_t seed;
	size_t evq_capacity; /* 0: default */
	size_t max_spans;    /* per timeline; 0: default */
	int sample_ms;       /* free runs: OS sampler interval, 0 for none */
	int quiet;           /* no events at all (benchmarks, the explorer) */
	/* Keep the worker threads from one run to the next: run_reset()
	 * readies the run again on the same threads. */
	int reuse;
	/* Keep a trace log in the model (--trace; see tracelog.h). */
	int trace;
};

struct run_thread_arg {
	struct run *run;
	int id;
};

struct run {
	struct run_config cfg;
	struct evq *q;
	struct conductor *c;
	struct model *m;

	struct il_var vars[MODEL_MAX_VARS];
	int nvars;
	struct il_lock locks[CONDUCTOR_MAX_LOCKS];
	int nlocks;

	int nthreads;
	pthread_t *tids;
	struct il_worker *workers;
	struct run_thread_arg *args;
	int started; /* threads created; controller only */
	int joined;  /* every started thread joined; controller only */
	/* Workers that have returned: each worker adds one as it ends, the
	 * controller reads it to know when a free run is over. */
	_Atomic int finished;
	void *lesson; /* the module's state, set by its setup */

	/* The OS sampler thread (free runs with cfg.sample_ms > 0). */
	pthread_t sampler;
	int sampler_started;
	/* 1 asks the sampler thread to end: the controller stores it
	 * (release) when the run stops, the sampler loads it (acquire)
	 * before each interval. */
	_Atomic int sampler_stop;
	/* 1: /proc could not be read. Set once by the sampler thread; read
	 * by the front ends (any thread) to say the OS view is missing. */
	_Atomic int os_unavailable;

	uint64_t start_ns;
	uint64_t end_ns;
	/* Free runs: when the module's timeout cancels it (0: never), and
	 * whether it did (set by the controller in run_over / run_finish). */
	uint64_t deadline_ns;
	int timed_out;
};

/* Declare a shared variable / lock (from a module's setup). */
struct il_var *run_add_var(
    struct run *, const char *name, int64_t initial, int counter);
struct il_lock *run_add_lock(struct run *, const char *name);

/* A free run's configuration: module, params, sampler interval, the
 * rest zero. */
void run_config_free(struct run_config *, const struct lesson_module *,
    const long *params, int sample_ms);

/* The configuration every front end builds: module, params, policy and
 * seed, and for a free run the module's own sampler interval. */
void run_config_for(struct run_config *, const struct lesson_module *,
    const long *params, enum policy, uint64_t seed);

/* Build a run; threads are not started yet. NULL with a message on error. */

struct run *run_new(const struct run_config *, char *err, size_t errlen);

/* Start every worker with all signals blocked in them. In a controlled run
 * each is started in turn and waits at its first step point. 0 or -1. */
int run_start(struct run *);

/* Move queued events into the model; returns how many. */
size_t run_pump(struct run *);
/* The same, stopping once max events have been moved (a front end that
 * must stay responsive while producers keep pushing). */
size_t run_pump_max(struct run *, size_t max);

/* Controlled runs: let thread t take one step, then pump. 0, or -1 with the
 * reason in why if t cannot move. */
int run_step(struct run *, int t, char *why, size_t whylen);

/* Controlled runs: take the steps items[0..n) (0-based threads) in turn
 * with the direct handoff (each worker hands the next its step), pumping
 * events between batches. Returns how many steps were taken; if fewer
 * than n, why says why item number (the return value) could not move. */
size_t run_replay(
    struct run *, const int *items, size_t n, char *why, size_t whylen);

/* Free runs: wait until every worker has finished, pumping events as they
 * arrive. */
void run_wait_free(struct run *);

/* Cancel (if still going), join every worker and pump the last events. */
void run_finish(struct run *);

/* A run with cfg.reuse: wind up the last run (cancelling it if it is
 * not over), set the module up afresh and start the same threads again,
 * each parked at its first step point in a controlled run. A quiet run
 * has no model after a reset (m is NULL). 0, or -1 with a message. */
int run_reset(struct run *, char *err, size_t errlen);

/* 1 once every worker has finished. */
int run_done(const struct run *);

/* Free runs: 1 once every worker has finished, or the module's timeout
 * has passed (which cancels the run: run_finish then joins it, and
 * timed_out is set). Controller only. */
int run_over(struct run *);

/* The run's result: the module's pairs, then the generic dropped=N. */
void run_result(struct run *, struct result *);
/* The same as the result line's text. */
void run_verdict(struct run *, char *buf, size_t len);

void run_free(struct run *);

/* Each lane's child PID into pids (nthreads of them, 0 for a lane that
 * is a thread of this process). 1 if any lane is a process. */
int run_lane_pids(const struct run *, int *pids);

#endif
