/*
 * The race lesson: threads each run counter = counter + 1, as three steps
 * (load into tmp, add one, store), so a store can overwrite an update made
 * by another thread between this thread's load and its store.
 */
#include "conductor.h"
#include "estimate.h"
#include "module.h"
#include "result.h"
#include "run.h"
#include "util.h"
#include "worker.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

enum { RACE_THREADS, RACE_ITERATIONS, RACE_FUZZ };

extern const struct lesson_module race_module;

static const struct param_def race_params[] = {
    [RACE_THREADS] = {"threads", 2, 1, 16, "threads incrementing", NULL},
    [RACE_ITERATIONS] = {"iterations", 1, 1, 100000000, "increments per thread",
        NULL},
    [RACE_FUZZ] = {"fuzz", 0, 0, 1000,
        "free runs: up to this many microseconds of random delay between "
        "a load and its store",
        NULL},
};

enum { LINE_LOAD = 1, LINE_ADD = 2, LINE_STORE = 3 };

static const char *const race_code[] = {
    "tmp = counter",
    "tmp = tmp + 1",
    "counter = tmp",
};

static const char *const race_locals[] = {"tmp", NULL};

struct race {
	struct il_var *counter;
	long iterations;
	long fuzz;
	int free_run;
	/* A free run with events on: workers summarise their steps by time
	 * bucket (il_summarise) instead of an event each. */
	int summarise;
	/* Increments each worker completed, and its stores that overwrote
	 * another thread's update (il_store saw it in real memory): written
	 * only by that worker (relaxed), read by the controller for
	 * progress while it runs and for the verdict after every worker is
	 * joined. */
	_Atomic long *done;
	_Atomic long *overwrote;
};

static int
race_threads(const long *params)
{
	return (int)params[RACE_THREADS];
}

static int
race_setup(struct run *r, const long *params, char *err, size_t errlen)
{
	struct race *st = xcalloc(1, sizeof *st);

	st->counter = run_add_var(r, "counter", 0, 1);
	if (st->counter == NULL) {
		snprintf(err, errlen, "race: cannot declare counter");
		free(st);
		return -1;
	}
	st->iterations = params[RACE_ITERATIONS];
	st->fuzz = params[RACE_FUZZ];
	st->free_run = r->cfg.policy == POLICY_FREE;
	st->summarise = st->free_run && !r->cfg.quiet;
	st->done = xcalloc((size_t)r->nthreads, sizeof *st->done);
	st->overwrote = xcalloc((size_t)r->nthreads, sizeof *st->overwrote);
	r->lesson = st;
	return 0;
}

/* A random pause of up to max_us microseconds (free runs only), which
 * widens the window between a load and its store. */
static void
race_fuzz(unsigned *seed, long max_us)
{
	struct timespec ts;
	long us;

	*seed = *seed * 1103515245u + 12345u;
	us = (long)((*seed >> 8) % (unsigned long)(max_us + 1));
	ts.tv_sec = 0;
	ts.tv_nsec = us * 1000;
	nanosleep(&ts, NULL);
}

static void
race_worker(struct il_worker *w)
{
	struct race *st = w->lesson;
	unsigned seed = (unsigned)w->id * 2654435761u + 1;
	int64_t tmp;
	long i;

	if (st->summarise)
		il_summarise(w);
	for (i = 0; i < st->iterations && !il_cancelled(w); i++) {
		tmp = il_load(w, st->counter, LINE_LOAD);
		il_local(w, 0, tmp);
		il_line(w, LINE_ADD);
		tmp = tmp + 1;
		il_local(w, 0, tmp);
		if (st->fuzz > 0 && st->free_run)
			race_fuzz(&seed, st->fuzz);
		if (il_store(w, st->counter, tmp, LINE_STORE))
			atomic_store_explicit(&st->overwrote[w->id],
			    atomic_load_explicit(
			        &st->overwrote[w->id], memory_order_relaxed) +
			        1,
			    memory_order_relaxed);
		if (il_cancelled(w))
			break;
		atomic_store_explicit(&st->done[w->id],
		    atomic_load_explicit(
		        &st->done[w->id], memory_order_relaxed) +
		        1,
		    memory_order_relaxed);
	}
}

/* counter is read from the real shared memory; expected counts the
 * increments the workers really completed; every increment that is not in
 * the counter was lost (net), and overwrites counts the stores that
 * replaced another thread's update, which can be more or fewer. */
static void
race_result(struct run *r, struct result *res)
{
	struct race *st = r->lesson;
	long long counter, expected = 0, overwrites = 0;
	int i;

	counter = (long long)atomic_load_explicit(
	    &st->counter->value, memory_order_relaxed);
	for (i = 0; i < r->nthreads; i++) {
		expected +=
		    atomic_load_explicit(&st->done[i], memory_order_relaxed);
		overwrites += atomic_load_explicit(
		    &st->overwrote[i], memory_order_relaxed);
	}
	result_int(res, "counter", counter);
	result_int(res, "expected", expected);
	result_int(res, "lost", expected - counter);
	result_int(res, "overwrites", overwrites);
}

/* The same in words, for the shared panel. */
static void
race_result_words(struct run *r, char *buf, size_t len)
{
	struct race *st = r->lesson;
	long long counter, expected = 0;
	int i;

	counter = (long long)atomic_load_explicit(
	    &st->counter->value, memory_order_relaxed);
	for (i = 0; i < r->nthreads; i++)
		expected +=
		    atomic_load_explicit(&st->done[i], memory_order_relaxed);
	result_counter_words(counter, expected, buf, len);
}

/* The explorer's outcome: the counter, against every increment the
 * threads would do (a stuck run cannot happen here). */
static int
race_outcome(struct run *r, int stuck, struct outcome *o)
{
	struct race *st = r->lesson;

	(void)stuck;
	return result_counter_outcome(
	    (long long)atomic_load_explicit(
	        &st->counter->value, memory_order_relaxed),
	    (long long)st->iterations * r->nthreads, o);
}

/* Increments done so far, of all that the threads will do. */
static void
race_progress(struct run *r, uint64_t *done, uint64_t *total)
{
	struct race *st = r->lesson;
	int i;

	*done = 0;
	for (i = 0; i < r->nthreads; i++)
		*done += (uint64_t)atomic_load_explicit(
		    &st->done[i], memory_order_relaxed);
	*total = (uint64_t)st->iterations * (uint64_t)r->nthreads;
}

/* Small runs take no time worth a pilot; large ones, or any with fuzz
 * (each increment then sleeps), are timed by a pilot run. */
static uint64_t
race_estimate_ms(const long *params, int controlled)
{
	uint64_t incs =
	    (uint64_t)params[RACE_THREADS] * (uint64_t)params[RACE_ITERATIONS];

	if (incs < (controlled ? 20000u : 200000u) &&
	    (controlled || params[RACE_FUZZ] == 0 ||
	        params[RACE_ITERATIONS] < 1000))
		return 0;
	return estimate_by_pilot(
	    &race_module, params, RACE_ITERATIONS, controlled);
}

/* Free runs sample the kernel's view, so that a thread that waits for
 * a CPU shows it. */
static int
race_sample_ms(const long *params)
{
	(void)params;
	return 10;
}

static void
race_teardown(struct run *r)
{
	struct race *st = r->lesson;

	free(st->done);
	free(st->overwrote);
	free(st);
	r->lesson = NULL;
}

static const struct result_key race_result_keys[] = {{"counter", 1, NULL},
    {"expected", 1, NULL}, {"lost", 1, NULL}, {"overwrites", 1, NULL}};

const struct lesson_module race_module = {
    .id = "race",
    .params = race_params,
    .nparams = IL_ARRAY_LEN(race_params),
    .code = race_code,
    .ncode = IL_ARRAY_LEN(race_code),
    .locals = race_locals,
    .threads = race_threads,
    .setup = race_setup,
    .worker = race_worker,
    .result = race_result,
    .result_keys = race_result_keys,
    .nresult_keys = IL_ARRAY_LEN(race_result_keys),
    .show_events = LESSON_SHOW_BIT(LESSON_SHOW_AFTER_LOAD) |
        LESSON_SHOW_BIT(LESSON_SHOW_AFTER_STORE) |
        LESSON_SHOW_BIT(LESSON_SHOW_LOST_UPDATE) |
        LESSON_SHOW_BIT(LESSON_SHOW_DONE),
    .progress = race_progress,
    .estimate_ms = race_estimate_ms,
    .result_words = race_result_words,
    .teardown = race_teardown,
    .sample_ms = race_sample_ms,
    .outcome = race_outcome,
};
