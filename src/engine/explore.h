/*
 * The explorer: run a lesson under every schedule (or a bounded, reduced
 * or random share of them), each on the same real worker threads under the
 * conductor, and count what the runs ended as.
 *
 * Counts, for strategy all:
 *   schedules  every complete interleaving of steps;
 *   shared     distinct orders of the steps that touch shared variables
 *              and locks (local steps such as "add" do not count);
 *   classes    Mazurkiewicz traces: schedules that differ only in the
 *              order of independent steps (two loads, or steps on
 *              different objects) are one class, and end alike.
 * Strategy dpor (dynamic partial-order reduction, Flanagan and Godefroid,
 * with sleep sets) runs one schedule per class, plus runs that a sleep
 * set cuts short (blocked). random picks among the runnable threads with a
 * seeded generator; pct (probabilistic concurrency testing, Burckhardt et
 * al.) gives threads random priorities and lowers them at depth - 1
 * random steps.
 *
 * One thread drives an exploration (explore_run); any thread may read its
 * progress and cancel it.
 */
#ifndef IL_EXPLORE_H
#define IL_EXPLORE_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "module.h"

enum explore_strategy {
	EXPLORE_ALL,
	EXPLORE_DPOR,
	EXPLORE_RANDOM,
	EXPLORE_PCT,
	EXPLORE_STRATEGIES
};

#define EXPLORE_MAX_THREADS   16
#define EXPLORE_MAX_OUTCOMES  32
#define EXPLORE_DEFAULT_STEPS 2000 /* steps a schedule may take */
#define EXPLORE_DEFAULT_RUNS  1000 /* schedules random and pct try */

struct explore;

struct explore_config {
	const struct lesson_module *module;
	long params[MODULE_MAX_PARAMS];
	enum explore_strategy strategy;
	long max_preemptions;   /* -1: no bound */
	uint64_t max_schedules; /* 0: no bound (random, pct: the default) */
	long max_steps;         /* 0: EXPLORE_DEFAULT_STEPS */
	uint64_t seed;          /* random, pct */
	int depth;              /* pct: 1 or more (0: 3) */
	/* Optional: called on the driving thread after every
	 * EXPLORE_PROGRESS_RUNS runs, with the exploration so far. */
	void (*progress)(void *ctx, const struct explore *);
	void *progress_ctx;
};

#define EXPLORE_PROGRESS_RUNS 256

/* One outcome and how often it came. */
struct explore_outcome {
	struct outcome o;
	int failure;        /* the lesson's failure (lost update, deadlock) */
	uint64_t schedules; /* runs that ended so */
	uint64_t classes;   /* classes among them */
	int *witness;       /* the first such schedule, 0-based threads */
	size_t nwitness;
};

struct explore {
	struct explore_config cfg;

	/* Totals, written by the driving thread; read them after
	 * explore_run returns (or the progress fields below meanwhile). */
	uint64_t schedules;     /* complete runs */
	uint64_t shared;        /* all: distinct shared-access orders */
	uint64_t classes;       /* distinct classes among the runs */
	uint64_t runs;          /* runs started, complete or not */
	uint64_t blocked;       /* dpor: runs a sleep set cut short */
	uint64_t cut;           /* runs stopped at max_steps */
	uint64_t first_failure; /* 1-based run of the first failure, or 0 */
	int complete;           /* 1: every schedule (class) was explored */
	int cancelled;
	double estimate; /* about how many schedules all would take */
	uint64_t elapsed_ns;
	struct explore_outcome out[EXPLORE_MAX_OUTCOMES];
	int nout;
	int overflow; /* outcomes beyond EXPLORE_MAX_OUTCOMES were lumped */

	/* Progress for another thread: runs done and the estimated total
	 * (relaxed; the estimate as a whole number). */
	_Atomic uint64_t done_now;
	_Atomic uint64_t total_now;
	_Atomic int stop; /* explore_cancel sets it */

	void *priv; /* the driver's state (explore.c) */
};

/* The strategy's name ("all", "dpor", "random", "pct"), and back (-1 for
 * an unknown name). */
const char *explore_strategy_name(enum explore_strategy);
int explore_strategy_by_name(const char *);

/* Set up an exploration: 0, or -1 with a message (a lesson without an
 * outcome hook, too many threads, bad parameters). */
int explore_init(
    struct explore *, const struct explore_config *, char *err, size_t errlen);
/* Run it to its end, its bounds or a cancel, on the calling thread.
 * 0, or -1 with a message. Every worker thread is joined on return. */
int explore_run(struct explore *, char *err, size_t errlen);
/* From any thread: stop soon (explore_run returns, complete=no). */
void explore_cancel(struct explore *);
void explore_free(struct explore *);

/* The witness of outcome i as a --schedule string ("1,2,1"), 1-based. */
char *explore_witness_text(const struct explore *, int i);

#endif
