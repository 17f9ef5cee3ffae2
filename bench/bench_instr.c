/*
 * What watching costs the race lesson's free run, measured side by side in
 * one process: 4 threads x 1M increments (3 steps each: load, add, store),
 *   instrumented: as the screen runs it (events on, summarised by the
 *                 workers, the OS sampler on, the model fed by this
 *                 thread), and
 *   bare:         the same loop with the events off (run_config.quiet,
 *                 no sampler).
 * Each is timed from the run's start to its last join, divided by the
 * steps the threads took. The ratio can come out below 1: with events
 * off a step still calls into the conductor to emit (which returns at
 * once), where a summarising step only counts; on two cores the shared
 * counter's cache line moving between them is most of either cost. Rounds alternate the order; medians are
 * compared, the ratio as the median of each round's ratio. The target is
 * at most 50 ns per instrumented step; it is reported, not enforced: the
 * exit status is 0 unless a run cannot be built.
 */
#include <stdio.h>
#include <string.h>

#include "module.h"
#include "result.h"
#include "run.h"

#include "bench_util.h"

extern const struct lesson_module race_module;

#define ROUNDS     7
#define THREADS    4
#define ITERATIONS 1000000L
#define STEPS_PER  3 /* load, add, store */
#define TARGET_NS  50.0

#define WHO "bench_instr"

/* What one run took. */
struct instr_run {
	double ns_per_step;
	long long dropped;
	long long expected;
};

/* One free run of race: instrumented as the screen runs it, or bare. */
static struct instr_run
race_run(const long *params, int bare)
{
	struct run_config cfg;
	struct result res;
	struct instr_run o;
	struct run *r;

	run_config_for(&cfg, &race_module, params, POLICY_FREE, 0);
	if (bare) {
		cfg.quiet = 1;
		cfg.sample_ms = 0;
	}
	r = bench_free_run(&cfg, WHO);
	result_clear(&res);
	run_result(r, &res);
	o.expected = (long long)result_number(&res, "expected", -1);
	o.dropped = (long long)result_number(&res, "dropped", -1);
	o.ns_per_step = (double)(r->end_ns - r->start_ns) /
	    ((double)o.expected * STEPS_PER);
	run_free(r);
	return o;
}

int
main(void)
{
	double instr[ROUNDS], bare[ROUNDS], ratio[ROUNDS];
	double mi, mb, mr;
	long p[MODULE_MAX_PARAMS];
	long long dropped = 0, incomplete = 0;
	int round, k;

	bench_defaults(&race_module, p);
	p[bench_param(&race_module, WHO, "threads")] = THREADS;
	p[bench_param(&race_module, WHO, "iterations")] = ITERATIONS;
	for (round = 0; round < ROUNDS; round++) {
		for (k = 0; k < 2; k++) {
			int is_bare = (k + round) % 2;
			struct instr_run o = race_run(p, is_bare);

			if (o.expected != (long long)THREADS * ITERATIONS)
				incomplete++;
			if (is_bare) {
				bare[round] = o.ns_per_step;
			} else {
				instr[round] = o.ns_per_step;
				dropped += o.dropped;
			}
		}
		ratio[round] = instr[round] / bare[round];
	}
	mi = bench_median(instr, ROUNDS);
	mb = bench_median(bare, ROUNDS);
	mr = bench_median(ratio, ROUNDS);
	printf("race free run, %d threads x %ld increments (%d steps each); "
	       "medians of %d rounds\n",
	    THREADS, ITERATIONS, STEPS_PER, ROUNDS);
	printf("   instrumented (as on screen)  %8.2f ns/step\n", mi);
	printf("   bare (events off)            %8.2f ns/step\n", mb);
	printf("   instrumented / bare          %8.2fx\n", mr);
	printf("   dropped events, all rounds   %8lld\n", dropped);
	if (incomplete > 0)
		printf("   warning: %lld runs did not complete every "
		       "increment\n",
		    incomplete);
	printf("   %s  %.2f ns per instrumented step (target <= %.0f)\n",
	    mi <= TARGET_NS ? "PASS" : "MISSED", mi, TARGET_NS);
	return 0;
}
