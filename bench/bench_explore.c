/*
 * The explorer's speed: schedules and classes per second, every run on
 * real worker threads, for race 2x3 (every schedule: the target is at
 * most 1 s) and 3x2 (bounded), with strategy all and dpor side by side.
 * Medians of a few rounds.
 *
 * usage: bench_explore [rounds]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_util.h"
#include "explore.h"
#include "module.h"
#include "util.h"

#define MAX_ROUNDS     99
#define TARGET_ALL_2X3 1.0 /* s for every schedule of race 2x3 */
#define BOUND_3X2      100000

struct bench_case {
	const char *what;
	long threads, iterations;
	enum explore_strategy strategy;
	uint64_t max_schedules;
};

static const struct bench_case cases[] = {
    {"race 2x3, all", 2, 3, EXPLORE_ALL, 0},
    {"race 2x3, dpor", 2, 3, EXPLORE_DPOR, 0},
    {"race 3x2, all (first 100000)", 3, 2, EXPLORE_ALL, BOUND_3X2},
    {"race 3x2, dpor", 3, 2, EXPLORE_DPOR, 0},
};

/* One exploration: its seconds, and its counts into *x (freed by the
 * caller). */
static double
bench_one(const struct bench_case *bc, struct explore *x)
{
	const struct lesson_module *m = module_find("race");
	struct explore_config cfg;
	char err[256];

	memset(&cfg, 0, sizeof cfg);
	cfg.module = m;
	bench_defaults(m, cfg.params);
	cfg.params[bench_param(m, "bench_explore", "threads")] = bc->threads;
	cfg.params[bench_param(m, "bench_explore", "iterations")] =
	    bc->iterations;
	cfg.strategy = bc->strategy;
	cfg.max_preemptions = -1;
	cfg.max_schedules = bc->max_schedules;
	if (explore_init(x, &cfg, err, sizeof err) != 0 ||
	    explore_run(x, err, sizeof err) != 0) {
		fprintf(stderr, "bench_explore: %s\n", err);
		exit(1);
	}
	return (double)x->elapsed_ns / 1e9;
}

int
main(int argc, char **argv)
{
	double secs[IL_ARRAY_LEN(cases)][MAX_ROUNDS], med[IL_ARRAY_LEN(cases)];
	uint64_t runs[IL_ARRAY_LEN(cases)], classes[IL_ARRAY_LEN(cases)];
	int rounds = argc > 1 ? atoi(argv[1]) : 3, r;
	size_t i;

	if (rounds < 1 || rounds > MAX_ROUNDS) {
		fputs("usage: bench_explore [rounds 1-99]\n", stderr);
		return 2;
	}
	printf("explorer: every run on real worker threads, reused between "
	       "runs; medians of %d rounds\n",
	    rounds);
	printf("  %-30s %9s %9s %9s %12s %12s\n", "case", "runs", "classes",
	    "seconds", "runs/s", "classes/s");
	for (i = 0; i < IL_ARRAY_LEN(cases); i++) {
		for (r = 0; r < rounds; r++) {
			struct explore x;

			secs[i][r] = bench_one(&cases[i], &x);
			runs[i] = x.runs;
			classes[i] = x.classes;
			explore_free(&x);
		}
		med[i] = bench_median(secs[i], rounds);
		printf("  %-30s %9llu %9llu %9.3f %12.0f %12.0f\n",
		    cases[i].what, (unsigned long long)runs[i],
		    (unsigned long long)classes[i], med[i],
		    med[i] > 0 ? (double)runs[i] / med[i] : 0,
		    med[i] > 0 ? (double)classes[i] / med[i] : 0);
	}
	printf("  %s  every schedule of race 2x3 in %.3f s (target <= %.1f "
	       "s)\n",
	    bench_verdict(med[0] <= TARGET_ALL_2X3), med[0], TARGET_ALL_2X3);
	printf("  dpor / all, race 2x3: %.1fx fewer runs, %.1fx faster\n",
	    (double)runs[0] / (double)(runs[1] ? runs[1] : 1),
	    med[1] > 0 ? med[0] / med[1] : 0);
	return 0;
}
