/*
 * The race lesson: threads each run counter = counter + 1, as three steps
 * (load into tmp, add one, store), so a store can overwrite an update made
 * by another thread between this thread's load and its store.
 */
#include "conductor.h"
#include "module.h"
#include "run.h"
#include "util.h"
#include "worker.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

enum { RACE_THREADS, RACE_ITERATIONS, RACE_FUZZ };

static const struct param_def race_params[] = {
    [RACE_THREADS] = {"threads", 2, 1, 16, "threads incrementing"},
    [RACE_ITERATIONS] = {"iterations", 1, 1, 100000000,
        "increments per thread"},
    [RACE_FUZZ] = {"fuzz", 0, 0, 1000,
        "free runs: up to this many microseconds of random delay between "
        "a load and its store"},
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
	/* Increments each worker completed: written only by that worker,
	 * read by the controller after every worker is joined. */
	long *done;
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
	st->done = xcalloc((size_t)r->nthreads, sizeof *st->done);
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

	for (i = 0; i < st->iterations && !il_cancelled(w); i++) {
		tmp = il_load(w, st->counter, LINE_LOAD);
		il_local(w, 0, tmp);
		il_line(w, LINE_ADD);
		tmp = tmp + 1;
		il_local(w, 0, tmp);
		if (st->fuzz > 0 && st->free_run)
			race_fuzz(&seed, st->fuzz);
		il_store(w, st->counter, tmp, LINE_STORE);
		if (il_cancelled(w))
			break;
		st->done[w->id]++;
	}
}

/* counter is read from the real shared memory; expected counts the
 * increments the workers really completed; every increment that is not in
 * the counter was overwritten. */
static void
race_verdict(struct run *r, char *buf, size_t len)
{
	struct race *st = r->lesson;
	long long counter, expected = 0;
	int i;

	counter = (long long)atomic_load_explicit(
	    &st->counter->value, memory_order_relaxed);
	for (i = 0; i < r->nthreads; i++)
		expected += st->done[i];
	snprintf(buf, len, "counter=%lld expected=%lld lost=%lld", counter,
	    expected, expected - counter);
}

static void
race_teardown(struct run *r)
{
	struct race *st = r->lesson;

	free(st->done);
	free(st);
	r->lesson = NULL;
}

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
    .verdict = race_verdict,
    .teardown = race_teardown,
};
