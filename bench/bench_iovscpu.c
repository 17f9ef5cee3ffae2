/*
 * io-vs-cpu measured side by side in one process:
 *
 * 1. the speedup table: every mode for I/O tasks and for CPU tasks, each
 *    against the sequential run made just before it, with the targets a
 *    2-core machine should meet;
 * 2. the kernel's view of 4 CPU-bound threads on this machine's cores:
 *    the share of their time each spent waiting for a CPU;
 * 3. the cost of watching: the same CPU tasks done by bare threads (no
 *    lesson, no events), by the lesson's threads with their events drawn
 *    into the model, and with the OS sampler on too; rounds alternate so
 *    drift hits every variant alike, and the medians are compared.
 *
 * Absolute times on a shared machine are noisy; the ratios are the point.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lessons/iovscpu.h"
#include "module.h"
#include "run.h"
#include "sampler.h"

#include "bench_util.h"

#define ROUNDS 9 /* overhead rounds per variant */
#define REPS   3 /* pairs per mode in the speedup table */

static const struct lesson_module *mod;
static int cores;

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void
defaults(long *p)
{
	bench_defaults(mod, p);
}

/* One free run of the lesson with its events pumped into the model, as
 * the screen does. Returns the finished run. */
static struct run *
lesson_run_quiet(const long *params, int sample_ms, int quiet)
{
	struct run_config cfg;

	run_config_free(&cfg, mod, params, sample_ms);
	cfg.quiet = quiet;
	return bench_free_run(&cfg, "bench_iovscpu");
}

static struct run *
lesson_run(const long *params, int sample_ms)
{
	return lesson_run_quiet(params, sample_ms, 0);
}

/* A number from a verdict ("wall_ms"), or -1. */
static double
verdict_value(struct run *r, const char *key)
{
	char v[512], pat[40];
	const char *p;

	run_verdict(r, v, sizeof v);
	snprintf(pat, sizeof pat, " %s=", key);
	p = strstr(v, pat);
	return p != NULL ? strtod(p + strlen(pat), NULL) : -1;
}

static int
verdict_ok(struct run *r, int tasks)
{
	char v[512], want[32];

	run_verdict(r, v, sizeof v);
	snprintf(want, sizeof want, "done=%d ", tasks);
	return strstr(v, want) != NULL && strstr(v, "sums=WRONG") == NULL;
}

/* ---- 1. the speedup table ---- */

struct target {
	int kind, mode;
	const char *what;
	double lo, hi; /* the speedup should lie in [lo, hi]; hi 0: about
	                  as fast as threads */
};

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	return v[n / 2];
}

/* The wall time of one run of kind and mode. */
static double
timed(int kind, int mode, int tasks, int ms)
{
	long p[MODULE_MAX_PARAMS];
	struct run *r;
	double wall;

	defaults(p);
	p[IOVSCPU_KIND] = kind;
	p[IOVSCPU_MODE] = mode;
	p[IOVSCPU_TASKS] = tasks;
	p[IOVSCPU_MS] = ms;
	r = lesson_run(p, 10);
	if (!verdict_ok(r, tasks)) {
		fprintf(stderr,
		    "bench_iovscpu: a run did not complete every task\n");
		exit(1);
	}
	wall = verdict_value(r, "wall_ms");
	run_free(r);
	return wall;
}

static int
speedup_table(void)
{
	static const char *const names[] = {
	    "sequential", "threads", "gil", "processes", "eventloop"};
	const int tasks[2] = {10, 8}, ms[2] = {200, 150};
	double wall[2][5], speedup[2][5], seq[2][5 * REPS];
	int kind, mode, misses = 0, i, nseq[2] = {0, 0};
	const struct target targets[] = {
	    {IOVSCPU_KIND_IO, IOVSCPU_THREADS, ">= 0.9 x N", 9.0, 1e9},
	    {IOVSCPU_KIND_IO, IOVSCPU_GIL, "about threads (within 10%)", 0, 0},
	    {IOVSCPU_KIND_IO, IOVSCPU_EVENTLOOP, "about threads (within 10%)",
	        0, 0},
	    {IOVSCPU_KIND_CPU, IOVSCPU_THREADS, ">= 1.8", 1.8, 1e9},
	    {IOVSCPU_KIND_CPU, IOVSCPU_GIL, "<= 1.15", 0, 1.15},
	    {IOVSCPU_KIND_CPU, IOVSCPU_PROCESSES, ">= 1.8", 1.8, 1e9},
	};

	/* each mode right after its own sequential run, REPS times: the
	 * median ratio of the pairs counts */
	for (kind = 0; kind < 2; kind++) {
		for (mode = IOVSCPU_THREADS; mode <= IOVSCPU_EVENTLOOP;
		     mode++) {
			double w[REPS], ratio[REPS];

			for (i = 0; i < REPS; i++) {
				double s = timed(kind, IOVSCPU_SEQUENTIAL,
				    tasks[kind], ms[kind]);

				w[i] = timed(kind, mode, tasks[kind], ms[kind]);
				ratio[i] = s / w[i];
				seq[kind][nseq[kind]++] = s;
			}
			wall[kind][mode] = median(w, REPS);
			speedup[kind][mode] = median(ratio, REPS);
		}
		wall[kind][0] = median(seq[kind], nseq[kind]);
		speedup[kind][0] = 1;
	}
	printf("speedup table: I/O %d tasks x %d ms (sleep), CPU %d tasks x "
	       "%d ms, %d cores;\nmedians of %d runs, each mode paired with "
	       "a sequential run just before it\n",
	    tasks[0], ms[0], tasks[1], ms[1], cores, REPS);
	printf("  %-11s %10s %8s   %10s %8s\n", "mode", "I/O ms", "speedup",
	    "CPU ms", "speedup");
	for (mode = 0; mode < 5; mode++)
		printf("  %-11s %10.1f %7.2fx   %10.1f %7.2fx\n", names[mode],
		    wall[0][mode], speedup[0][mode], wall[1][mode],
		    speedup[1][mode]);
	printf("  targets:\n");
	for (i = 0; i < (int)(sizeof targets / sizeof targets[0]); i++) {
		const struct target *t = &targets[i];
		double s = speedup[t->kind][t->mode];
		double th = speedup[t->kind][IOVSCPU_THREADS];
		int ok = t->hi > 0 ? s >= t->lo && s <= t->hi
		                   : s >= 0.9 * th && s <= 1.1 * th;

		printf("    %-3s %-10s %6.2fx  %-28s %s\n",
		    t->kind == IOVSCPU_KIND_IO ? "I/O" : "CPU", names[t->mode],
		    s, t->what, ok ? "met" : "MISSED");
		misses += !ok;
	}
	return misses;
}

/* ---- 2. 4 CPU threads on the cores ---- */

static void
oversubscribed(void)
{
	long p[MODULE_MAX_PARAMS];
	struct run *r;
	double sum = 0;
	int t, n = 0;

	defaults(p);
	p[IOVSCPU_KIND] = IOVSCPU_KIND_CPU;
	p[IOVSCPU_MODE] = IOVSCPU_THREADS;
	p[IOVSCPU_TASKS] = 4;
	p[IOVSCPU_WORKERS] = 4;
	p[IOVSCPU_MS] = 1000;
	r = lesson_run(p, 10);
	printf(
	    "\n4 CPU-bound threads on %d cores, the kernel's view:\n", cores);
	if (atomic_load(&r->os_unavailable)) {
		printf("  kernel data unavailable\n");
		run_free(r);
		return;
	}
	for (t = 0; t < r->m->nthreads; t++) {
		const struct model_thread *th = &r->m->threads[t];
		double tot = (double)(th->os_run_ns + th->os_wait_ns +
		    th->os_blocked_ns);

		if (tot <= 0)
			continue;
		printf("  %c running %3.0f%%  waiting for a CPU %3.0f%%\n",
		    'A' + t, 100.0 * (double)th->os_run_ns / tot,
		    100.0 * (double)th->os_wait_ns / tot);
		sum += (double)th->os_wait_ns / tot;
		n++;
	}
	if (n > 0)
		printf(
		    "  mean waiting for a CPU: %.0f%% (expected about %.0f%% "
		    "with 4 threads on %d cores)\n",
		    100.0 * sum / n, cores < 4 ? 100.0 * (4 - cores) / 4 : 0.0,
		    cores);
	run_free(r);
}

/* ---- 3. the cost of watching ---- */

struct bare {
	_Atomic int next;
	int tasks;
	uint64_t per_task;
	uint64_t sums[64];
};

static void *
bare_worker(void *arg)
{
	struct bare *b = arg;
	int k;

	while ((k = atomic_fetch_add(&b->next, 1)) < b->tasks) {
		uint64_t a = (uint64_t)k * b->per_task;

		b->sums[k] = iovscpu_squares(a, a + b->per_task);
	}
	return NULL;
}

/* The same tasks by plain threads: no lesson, no events, no sampler. */
static double
bare_run(int tasks, int ms)
{
	struct bare b;
	pthread_t th[64];
	double t0;
	int i;

	memset(&b, 0, sizeof b);
	b.tasks = tasks;
	b.per_task = iovscpu_iterations_per_ms() * (uint64_t)ms;
	t0 = now_ms();
	for (i = 0; i < cores && i < 64; i++)
		pthread_create(&th[i], NULL, bare_worker, &b);
	for (i = 0; i < cores && i < 64; i++)
		pthread_join(th[i], NULL);
	t0 = now_ms() - t0;
	for (i = 0; i < tasks; i++)
		if (b.sums[i] !=
		    iovscpu_expected_sum(
		        i * b.per_task, (i + 1) * b.per_task)) {
			fprintf(stderr, "bench_iovscpu: a bare sum is wrong\n");
			exit(1);
		}
	return t0;
}

static int
overhead(void)
{
	const int tasks = 8, ms = 150;
	double v[3][ROUNDS], ratio[2][ROUNDS], on;
	long p[MODULE_MAX_PARAMS];
	int i, k;

	defaults(p);
	p[IOVSCPU_KIND] = IOVSCPU_KIND_CPU;
	p[IOVSCPU_MODE] = IOVSCPU_THREADS;
	p[IOVSCPU_TASKS] = tasks;
	p[IOVSCPU_MS] = ms;
	for (i = 0; i < ROUNDS; i++) {
		for (k = 0; k < 3; k++) {
			/* rotate the order so no variant always goes first */
			int which = (k + i) % 3;
			struct run *r;

			if (which == 0) {
				v[0][i] = bare_run(tasks, ms);
				continue;
			}
			/* 1: events and sampler off; 2: both on */
			r = lesson_run_quiet(
			    p, which == 2 ? 10 : 0, which == 1);
			v[which][i] = verdict_value(r, "wall_ms");
			run_free(r);
		}
		ratio[0][i] = v[2][i] / v[1][i];
		ratio[1][i] = v[1][i] / v[0][i];
	}
	on = median(ratio[0], ROUNDS);
	printf("\ncost of watching: %d CPU tasks x %d ms on %d threads; "
	       "medians of %d rounds,\neach round runs the three side by "
	       "side in a rotating order\n",
	    tasks, ms, cores, ROUNDS);
	printf("  lesson, events and sampler off        %8.1f ms\n",
	    median(v[1], ROUNDS));
	printf("  lesson, events and sampler on         %8.1f ms  %.3fx  "
	       "(target <= 1.03x: %s)\n",
	    median(v[2], ROUNDS), on, on <= 1.03 ? "met" : "MISSED");
	printf("  for reference, the same sums by bare threads %8.1f ms "
	       "(lesson off / bare %.3fx)\n",
	    median(v[0], ROUNDS), median(ratio[1], ROUNDS));
	return on > 1.03;
}

int
main(void)
{
	int misses;

	mod = module_find("io-vs-cpu");
	if (mod == NULL) {
		fprintf(stderr, "bench_iovscpu: no io-vs-cpu module\n");
		return 1;
	}
	cores = sampler_cpus();
	printf("calibration: %llu sum-of-squares iterations per ms\n\n",
	    (unsigned long long)iovscpu_iterations_per_ms());
	misses = speedup_table();
	oversubscribed();
	misses += overhead();
	printf("\n%d target%s missed\n", misses, misses == 1 ? "" : "s");
	return 0;
}
