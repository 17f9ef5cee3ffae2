/*
 * lock-fix measured side by side in one process:
 *
 * A. the cost of each fix: 4 threads x 1M increments, no I/O, with no
 *    protection, a mutex and an atomic add, run by the lesson as the
 *    screen runs it (free, its own sampler on) and, for honesty, by bare
 *    pthreads in this file doing the same loops with nothing around
 *    them, both timed from a start gate that every worker has reached
 *    (so thread creation is not counted). Rounds run every variant in
 *    a rotating order, so that drift
 *    hits all alike; medians are compared. The lesson should cost what
 *    the primitive costs, and the mutex and the atomic must lose nothing.
 * B. the staircase: 4 threads x 5 iterations x 20 ms of I/O under the
 *    mutex, the lock held tight (around the increment) and wide (across
 *    the wait too), against the sequential time threads x iterations x
 *    io_ms. Wide should be about sequential, tight several times faster.
 *
 * Absolute times on a small shared machine are noisy; the ratios are the
 * point. Targets are reported, not enforced: the exit status is 0 unless
 * a run cannot be built.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "module.h"
#include "result.h"
#include "run.h"
#include "util.h"

#include "bench_util.h"

extern const struct lesson_module lockfix_module;

#define COST_ROUNDS  9
#define COST_THREADS 4
#define COST_ITERS   1000000L
#define STAIR_ROUNDS 3
#define STAIR_THREAD 4
#define STAIR_ITERS  5
#define STAIR_IO_MS  20

#define WHO "bench_lockfix"

static const struct lesson_module *mod = &lockfix_module;
static int p_threads, p_iterations, p_fix, p_scope, p_io_ms;

static void
defaults(long *p)
{
	bench_defaults(mod, p);
}

/* What one lesson run reports. */
struct outcome {
	double wall_ms;
	double ns_per_inc;
	double lost;
	double expected;
};

/* One free run of the lesson, configured as the screen configures it. */
static struct outcome
lesson_run(const long *params)
{
	struct run_config cfg;
	struct result res;
	struct outcome o;
	struct run *r;

	run_config_for(&cfg, mod, params, POLICY_FREE, 0);
	r = bench_free_run(&cfg, "bench_lockfix");
	result_clear(&res);
	run_result(r, &res);
	o.wall_ms = result_number(&res, "wall_ms", -1);
	o.ns_per_inc = result_number(&res, "ns_per_inc", -1);
	o.lost = result_number(&res, "lost", -1);
	o.expected = result_number(&res, "expected", -1);
	run_free(r);
	return o;
}

/* ---- bare pthreads: the same three loops, nothing around them ---- */

enum { BARE_NONE, BARE_MUTEX, BARE_ATOMIC };

struct bare {
	_Alignas(64) _Atomic long counter;
	_Alignas(64) pthread_mutex_t m;
	int kind;
	long n;
	/* every worker waits here, and the one the barrier picks notes
	 * the time, as the lesson's start gate does */
	pthread_barrier_t gate;
	double start_ms;
};

static void *
bare_worker(void *arg)
{
	struct bare *b = arg;
	_Atomic long *c = &b->counter;
	long i;

	if (pthread_barrier_wait(&b->gate) == PTHREAD_BARRIER_SERIAL_THREAD)
		b->start_ms = bench_now_ms();
	switch (b->kind) {
	case BARE_MUTEX:
		for (i = 0; i < b->n; i++) {
			pthread_mutex_lock(&b->m);
			atomic_store_explicit(c,
			    atomic_load_explicit(c, memory_order_relaxed) + 1,
			    memory_order_relaxed);
			pthread_mutex_unlock(&b->m);
		}
		break;
	case BARE_ATOMIC:
		for (i = 0; i < b->n; i++)
			atomic_fetch_add_explicit(c, 1, memory_order_relaxed);
		break;
	default:
		for (i = 0; i < b->n; i++)
			atomic_store_explicit(c,
			    atomic_load_explicit(c, memory_order_relaxed) + 1,
			    memory_order_relaxed);
		break;
	}
	return NULL;
}

/* threads x n increments of kind, timed from the moment every worker
 * is at the start gate to the last join, as the lesson times its hot
 * loop from its gate to its last worker. */
static struct outcome
bare_run(int kind, int threads, long n)
{
	pthread_t th[COST_THREADS];
	struct bare *b;
	struct outcome o;
	int i;

	if (posix_memalign((void **)&b, 64, sizeof *b) != 0) {
		fprintf(stderr, "bench_lockfix: out of memory\n");
		exit(1);
	}
	atomic_init(&b->counter, 0);
	pthread_mutex_init(&b->m, NULL);
	b->kind = kind;
	b->n = n;
	pthread_barrier_init(&b->gate, NULL, (unsigned)threads);
	for (i = 0; i < threads; i++)
		if (pthread_create(&th[i], NULL, bare_worker, b) != 0) {
			fprintf(stderr,
			    "bench_lockfix: cannot create a "
			    "bare thread\n");
			exit(1);
		}
	for (i = 0; i < threads; i++)
		pthread_join(th[i], NULL);
	/* the join makes the picked worker's start_ms visible */
	o.wall_ms = bench_now_ms() - b->start_ms;
	o.expected = (double)threads * (double)n;
	o.ns_per_inc = o.wall_ms * 1e6 / o.expected;
	o.lost = o.expected - (double)atomic_load(&b->counter);
	pthread_barrier_destroy(&b->gate);
	pthread_mutex_destroy(&b->m);
	free(b);
	return o;
}

/* ---- A. the cost of each fix ---- */

/* Rows in the order of the tables: none is the baseline. */
enum { ROW_NONE, ROW_MUTEX, ROW_ATOMIC, NROWS };

static void
cost(void)
{
	static const char *const row_names[NROWS] = {"none", "mutex", "atomic"};
	static const int bare_kind[NROWS] = {
	    BARE_NONE, BARE_MUTEX, BARE_ATOMIC};
	struct outcome les[NROWS][COST_ROUNDS], bare[NROWS][COST_ROUNDS];
	double v[COST_ROUNDS], vs_none[NROWS], vs_bare[NROWS], mut_atom;
	long p[MODULE_MAX_PARAMS], fix_value[NROWS];
	int round, k, row, incomplete = 0;
	int mutex_clean = 1, atomic_clean = 1, none_lost = 0;

	fix_value[ROW_NONE] = bench_value(mod, WHO, p_fix, "none");
	fix_value[ROW_MUTEX] = bench_value(mod, WHO, p_fix, "mutex");
	fix_value[ROW_ATOMIC] = bench_value(mod, WHO, p_fix, "atomic");
	defaults(p);
	p[p_threads] = COST_THREADS;
	p[p_iterations] = COST_ITERS;
	p[p_io_ms] = 0;
	p[p_scope] = bench_value(mod, WHO, p_scope, "tight");

	/* six variants a round (lesson and bare for each fix), the order
	 * rotated by one each round */
	for (round = 0; round < COST_ROUNDS; round++) {
		for (k = 0; k < 2 * NROWS; k++) {
			int which = (k + round) % (2 * NROWS);

			row = which / 2;
			if (which % 2) {
				bare[row][round] = bare_run(
				    bare_kind[row], COST_THREADS, COST_ITERS);
				continue;
			}
			p[p_fix] = fix_value[row];
			les[row][round] = lesson_run(p);
			if (les[row][round].expected !=
			    (double)COST_THREADS * COST_ITERS)
				incomplete++;
		}
		mutex_clean &= les[ROW_MUTEX][round].lost == 0;
		atomic_clean &= les[ROW_ATOMIC][round].lost == 0;
		none_lost |= les[ROW_NONE][round].lost > 0;
	}

	/* ratios are medians of each round's ratio, not ratios of medians */
	for (row = 0; row < NROWS; row++) {
		for (round = 0; round < COST_ROUNDS; round++)
			v[round] = les[row][round].ns_per_inc /
			    les[ROW_NONE][round].ns_per_inc;
		vs_none[row] = bench_median(v, COST_ROUNDS);
		for (round = 0; round < COST_ROUNDS; round++)
			v[round] =
			    les[row][round].wall_ms / bare[row][round].wall_ms;
		vs_bare[row] = bench_median(v, COST_ROUNDS);
	}
	for (round = 0; round < COST_ROUNDS; round++)
		v[round] = les[ROW_MUTEX][round].ns_per_inc /
		    les[ROW_ATOMIC][round].ns_per_inc;
	mut_atom = bench_median(v, COST_ROUNDS);

	printf("A. the cost of each fix: %d threads x %ld increments, "
	       "io_ms=0, scope=tight;\n   medians of %d rounds, each "
	       "round runs all six variants in a rotating order\n",
	    COST_THREADS, COST_ITERS, COST_ROUNDS);
	printf("   lesson (free run, as the screen runs it):\n");
	printf("     %-7s %10s %8s %8s %10s\n", "fix", "wall ms", "ns/inc",
	    "vs none", "lost");
	for (row = 0; row < NROWS; row++) {
		double w[COST_ROUNDS], ns[COST_ROUNDS], lost[COST_ROUNDS];

		for (round = 0; round < COST_ROUNDS; round++) {
			w[round] = les[row][round].wall_ms;
			ns[round] = les[row][round].ns_per_inc;
			lost[round] = les[row][round].lost;
		}
		printf("     %-7s %10.1f %8.2f %7.2fx %10.0f\n", row_names[row],
		    bench_median(w, COST_ROUNDS), bench_median(ns, COST_ROUNDS),
		    vs_none[row], bench_median(lost, COST_ROUNDS));
	}
	printf("   mutex / atomic: %.2fx\n", mut_atom);
	if (incomplete > 0)
		printf("   warning: %d lesson run%s did not complete every "
		       "increment\n",
		    incomplete, incomplete == 1 ? "" : "s");
	printf(
	    "   %s  mutex lost 0 in every round\n", bench_verdict(mutex_clean));
	printf("   %s  atomic lost 0 in every round\n",
	    bench_verdict(atomic_clean));
	printf("   %s  none lost updates in at least one round\n",
	    bench_verdict(none_lost));
	if (!none_lost)
		printf("   (none never overlapped: on a busy machine each "
		       "thread's increments\n   can end within one time "
		       "slice, before the next thread runs)\n");

	printf("   bare pthreads (the same loops, nothing around them):\n");
	printf("     %-7s %10s %8s %10s %14s\n", "fix", "wall ms", "ns/inc",
	    "lost", "lesson / bare");
	for (row = 0; row < NROWS; row++) {
		double w[COST_ROUNDS], ns[COST_ROUNDS], lost[COST_ROUNDS];

		for (round = 0; round < COST_ROUNDS; round++) {
			w[round] = bare[row][round].wall_ms;
			ns[round] = bare[row][round].ns_per_inc;
			lost[round] = bare[row][round].lost;
		}
		printf("     %-7s %10.1f %8.2f %10.0f %13.2fx\n",
		    row_names[row], bench_median(w, COST_ROUNDS),
		    bench_median(ns, COST_ROUNDS),
		    bench_median(lost, COST_ROUNDS), vs_bare[row]);
	}
	for (row = ROW_MUTEX; row <= ROW_ATOMIC; row++)
		printf("   %s  lesson vs bare, %-6s %.2fx (target <= 1.50x)\n",
		    bench_verdict(vs_bare[row] <= 1.5), row_names[row],
		    vs_bare[row]);
}

/* ---- B. the staircase ---- */

static void
staircase(void)
{
	double tight[STAIR_ROUNDS], wide[STAIR_ROUNDS], ratio[STAIR_ROUNDS];
	double seq = (double)STAIR_THREAD * STAIR_ITERS * STAIR_IO_MS;
	double t_med, w_med, w_seq, w_tight;
	long p[MODULE_MAX_PARAMS];
	long v_tight = bench_value(mod, WHO, p_scope, "tight");
	long v_wide = bench_value(mod, WHO, p_scope, "wide");
	int round, k, lost = 0;

	defaults(p);
	p[p_threads] = STAIR_THREAD;
	p[p_iterations] = STAIR_ITERS;
	p[p_io_ms] = STAIR_IO_MS;
	p[p_fix] = bench_value(mod, WHO, p_fix, "mutex");
	for (round = 0; round < STAIR_ROUNDS; round++) {
		/* tight first in even rounds, wide first in odd ones */
		for (k = 0; k < 2; k++) {
			int is_wide = (k + round) % 2;
			struct outcome o;

			p[p_scope] = is_wide ? v_wide : v_tight;
			o = lesson_run(p);
			lost += o.lost != 0;
			if (is_wide)
				wide[round] = o.wall_ms;
			else
				tight[round] = o.wall_ms;
		}
		ratio[round] = wide[round] / tight[round];
	}
	t_med = bench_median(tight, STAIR_ROUNDS);
	w_med = bench_median(wide, STAIR_ROUNDS);
	w_seq = w_med / seq;
	w_tight = bench_median(ratio, STAIR_ROUNDS);

	printf("\nB. the staircase: %d threads x %d iterations x %d ms of "
	       "I/O, fix=mutex;\n   medians of %d rounds, sequential = "
	       "%.0f ms\n",
	    STAIR_THREAD, STAIR_ITERS, STAIR_IO_MS, STAIR_ROUNDS, seq);
	printf("     scope=tight %8.1f ms\n", t_med);
	printf("     scope=wide  %8.1f ms\n", w_med);
	if (lost > 0)
		printf("   warning: %d run%s lost updates under the mutex\n",
		    lost, lost == 1 ? "" : "s");
	printf("   %s  wide / sequential %.3f (target within 0.10 of 1)\n",
	    bench_verdict(w_seq - 1 <= 0.10 && 1 - w_seq <= 0.10), w_seq);
	printf("   %s  wide / tight %.2fx (target >= 3.00x)\n",
	    bench_verdict(w_tight >= 3.0), w_tight);
}

int
main(void)
{
	double t0 = bench_now_ms();

	p_threads = bench_param(mod, WHO, "threads");
	p_iterations = bench_param(mod, WHO, "iterations");
	p_fix = bench_param(mod, WHO, "fix");
	p_scope = bench_param(mod, WHO, "scope");
	p_io_ms = bench_param(mod, WHO, "io_ms");
	cost();
	staircase();
	printf("\n(bench time %.1f s; the targets report, they do not "
	       "gate)\n",
	    (bench_now_ms() - t0) / 1e3);
	return 0;
}
