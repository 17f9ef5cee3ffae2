/*
 * The deadlock lesson measured:
 *
 * 1. From the cycle closing to the banner on screen. Free runs (two
 *    threads, order=opposite, hold=20, timeout=2000): the controller
 *    pumps events as run_wait_free does (run_pump, evq_wait when there
 *    were none), notices m->deadlock.n > 0, fills a screen as the UI does
 *    and draws it into an 80x24 grid, and finds "DEADLOCK" in the grid's
 *    text; the latency runs from the model time the cycle closed
 *    (m->t0_ns + m->deadlock.at, the closing event's stamp) to the end of
 *    that draw. The UI's own frame pacing (one frame every 33 ms at
 *    30 fps) comes on top and is not counted. Stepped runs (schedule
 *    1,2): from the call of the run_step that closes the cycle to the
 *    banner drawn.
 * 2. From r (cancel) to every worker joined, over deadlocked runs, stepped
 *    (schedule 1,2) and free (hold=20, timeout far off): the time of
 *    run_finish, against the bound every join within 200 ms.
 * 3. The livelock: strategy=trylock, hold=20, timeout=2000, backoff fixed
 *    against random, from the lesson's result fields.
 *
 * Absolute times on a small shared machine are noisy; the ratios are the
 * point. Targets are reported, not enforced: the exit status is 0 unless
 * a run cannot be built.
 */
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conductor.h"
#include "evq.h"
#include "glyphs.h"
#include "grid.h"
#include "lesson.h"
#include "model.h"
#include "module.h"
#include "result.h"
#include "run.h"
#include "sampler.h"
#include "screen.h"
#include "util.h"

#include "bench_util.h"

extern const struct lesson_module deadlock_module;

#define BANNER_RUNS  30
#define CANCEL_RUNS  100
#define LIVE_ROUNDS  5
#define HOLD_MS      20
#define JOIN_BOUND   200.0 /* ms: every worker joined within this */
#define FRAME_MS     33    /* the UI's frame pacing at 30 fps */
#define FAR_TIMEOUT  60000 /* ms: a timeout that never fires here */
#define STEP_WAIT_MS 1000  /* stepped: give up waiting for the cycle */

#define WHO "bench_deadlock"

static const struct lesson_module *mod = &deadlock_module;
static int p_philosophers, p_order, p_hold, p_strategy, p_backoff, p_iterations,
    p_timeout;
static struct lesson *lesson;

/* The largest of n values; 0 if there are none. */
static double
max_of(const double *v, int n)
{
	double m = 0;
	int i;

	for (i = 0; i < n; i++)
		if (i == 0 || v[i] > m)
			m = v[i];
	return m;
}

/* The lesson file, for the screen: $top_srcdir, else the source tree. */
static void
load_lesson(void)
{
	const char *dir = getenv("top_srcdir");
	char path[4096], err[512];

	if (dir == NULL || *dir == '\0')
		dir = ABS_SRCDIR;
	snprintf(path, sizeof path, "%s/lessons/deadlock.md", dir);
	if ((lesson = lesson_load(path, err, sizeof err)) == NULL) {
		fprintf(stderr, "bench_deadlock: %s\n", err);
		exit(1);
	}
}

/* Two threads taking A and B in opposite orders, block on the second. */
static void
deadlock_params(long *p, long timeout)
{
	bench_defaults(mod, p);
	p[p_philosophers] = 0;
	p[p_order] = bench_value(mod, WHO, p_order, "opposite");
	p[p_strategy] = bench_value(mod, WHO, p_strategy, "block");
	p[p_hold] = HOLD_MS;
	p[p_timeout] = timeout;
}

/* Build and start a run, free or stepped; exit 1 if it cannot be. */
static struct run *
start_run(const long *params, enum policy policy)
{
	struct run_config cfg;
	struct run *r;
	char err[256];

	run_config_for(&cfg, mod, params, policy, 1);
	if ((r = run_new(&cfg, err, sizeof err)) == NULL) {
		fprintf(stderr, "bench_deadlock: %s\n", err);
		exit(1);
	}
	if (run_start(r) != 0) {
		fprintf(stderr, "bench_deadlock: cannot start the threads\n");
		exit(1);
	}
	return r;
}

/* Pump as run_wait_free does until the model has a cycle: 1, or 0 if the
 * run ended (or, stepped, wait_ms passed) without one. */
static int
pump_until_cycle(struct run *r, int wait_ms)
{
	double give_up = bench_now_ms() + wait_ms;

	while (r->m->deadlock.n == 0) {
		if (r->cfg.policy == POLICY_FREE ? run_over(r)
		                                 : bench_now_ms() > give_up)
			return 0;
		if (run_pump(r) == 0)
			evq_wait(r->q, 20);
	}
	return 1;
}

/* Fill a screen as the UI does for run r and draw it into g; 1 if the
 * grid's text says DEADLOCK. */
static int
draw_banner(struct grid *g, struct run *r, uint64_t t0_ns)
{
	static char alert[256];
	struct screen scr;
	uint64_t now = clock_now_ns();
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	int found, free_run = r->cfg.policy == POLICY_FREE;

	memset(&scr, 0, sizeof scr);
	scr.lesson = lesson;
	scr.model = r->m;
	scr.glyphs = &glyphs_utf8;
	scr.mode = free_run ? SCREEN_FREE : SCREEN_STEP;
	scr.free_run = free_run;
	scr.seed = r->cfg.seed;
	scr.elapsed_ms = now > t0_ns ? (now - t0_ns) / 1000000 : 0;
	scr.params = r->cfg.params;
	scr.speed = 5;
	scr.zoom.fit = scr.zoom.follow = 1;
	if (r->cfg.sample_ms > 0) {
		scr.kernel = atomic_load(&r->os_unavailable) ? -1 : 1;
		scr.ncpus =
		    r->m->ncpus > sampler_cpus() ? r->m->ncpus : sampler_cpus();
	}
	if (free_run && mod->progress != NULL)
		mod->progress(r, &scr.progress_done, &scr.progress_total);
	alert[0] = '\0';
	if (mod->alert != NULL && mod->alert(r, alert, sizeof alert) == 0)
		alert[0] = '\0';
	scr.alert = alert;
	scr.dropped = evq_dropped(r->q);
	grid_clear(g);
	screen_draw(g, &scr);
	if ((f = open_memstream(&buf, &len)) == NULL) {
		fprintf(stderr, "bench_deadlock: open_memstream failed\n");
		exit(1);
	}
	grid_write_text(g, f, 0);
	fclose(f);
	found = buf != NULL && strstr(buf, "DEADLOCK") != NULL;
	free(buf);
	return found;
}

/* ---- 1. the cycle closing to the banner ---- */

static void
banner(void)
{
	double lat[BANNER_RUNS], notice[BANNER_RUNS], draw[BANNER_RUNS];
	double slat[BANNER_RUNS], sstep[BANNER_RUNS];
	long p[MODULE_MAX_PARAMS];
	struct grid *g = grid_new(80, 24);
	int i, n = 0, ns = 0, missed = 0, no_banner = 0, spumped = 0;
	int smissed = 0, sno_banner = 0, missed_timeout = 0;
	char why[256];

	deadlock_params(p, 2000);
	for (i = 0; i < BANNER_RUNS; i++) {
		uint64_t t0 = clock_now_ns(), closed, seen, drawn;
		struct run *r = start_run(p, POLICY_FREE);

		if (!pump_until_cycle(r, 0)) {
			missed++;
			run_finish(r);
			missed_timeout += r->timed_out;
			run_free(r);
			continue;
		}
		seen = clock_now_ns();
		if (!draw_banner(g, r, t0))
			no_banner++;
		drawn = clock_now_ns();
		closed = r->m->t0_ns + r->m->deadlock.at;
		lat[n] = (double)(drawn - closed) / 1e6;
		notice[n] = (double)(seen - closed) / 1e6;
		draw[n] = (double)(drawn - seen) / 1e6;
		n++;
		run_finish(r);
		run_free(r);
	}

	/* stepped: schedule 1,2, the second step closes the cycle */
	for (i = 0; i < BANNER_RUNS; i++) {
		uint64_t t0 = clock_now_ns(), before, stepped, drawn;
		struct run *r = start_run(p, POLICY_STEP);

		if (run_step(r, 0, why, sizeof why) != 0) {
			fprintf(stderr, "bench_deadlock: step 1: %s\n", why);
			exit(1);
		}
		before = clock_now_ns();
		if (run_step(r, 1, why, sizeof why) != 0) {
			fprintf(stderr, "bench_deadlock: step 2: %s\n", why);
			exit(1);
		}
		stepped = clock_now_ns();
		if (r->m->deadlock.n == 0)
			spumped++;
		if (!pump_until_cycle(r, STEP_WAIT_MS)) {
			smissed++;
			run_finish(r);
			run_free(r);
			continue;
		}
		if (!draw_banner(g, r, t0))
			sno_banner++;
		drawn = clock_now_ns();
		slat[ns] = (double)(drawn - before) / 1e3;
		sstep[ns] = (double)(stepped - before) / 1e3;
		ns++;
		run_finish(r);
		run_free(r);
	}
	grid_free(g);

	printf("1. the cycle closing to the DEADLOCK banner drawn (80x24, "
	       "utf8)\n");
	printf("   free runs: two threads, order=opposite, hold=%d, "
	       "timeout=2000; %d runs\n",
	    HOLD_MS, BANNER_RUNS);
	printf("     %-28s %10s %10s\n", "", "median ms", "max ms");
	printf("     %-28s %10.3f %10.3f\n", "closed -> pump noticed",
	    bench_median(notice, n), max_of(notice, n));
	printf("     %-28s %10.3f %10.3f\n", "noticed -> drawn",
	    bench_median(draw, n), max_of(draw, n));
	printf("     %-28s %10.3f %10.3f\n", "closed -> banner drawn",
	    bench_median(lat, n), max_of(lat, n));
	printf("   %d of %d runs deadlocked; %d drew no DEADLOCK\n", n,
	    BANNER_RUNS, no_banner);
	if (missed > 0)
		printf("   warning: %d run%s ended with no cycle (%d by the "
		       "timeout, the rest finished:\n   one thread ate before "
		       "the other took its first lock)\n",
		    missed, missed == 1 ? "" : "s", missed_timeout);
	printf("   (not counted: the UI draws at most one frame every %d ms "
	       "at 30 fps,\n   so on a terminal up to %d ms more can pass "
	       "before the frame is flushed)\n",
	    FRAME_MS, FRAME_MS);
	printf("   stepped runs: schedule 1,2; %d runs; from the call of "
	       "step 2\n",
	    BANNER_RUNS);
	printf("     %-28s %10s %10s\n", "", "median us", "max us");
	printf("     %-28s %10.1f %10.1f\n", "run_step(T2) returned",
	    bench_median(sstep, ns), max_of(sstep, ns));
	printf("     %-28s %10.1f %10.1f\n", "banner drawn",
	    bench_median(slat, ns), max_of(slat, ns));
	printf("   %d of %d runs deadlocked; %d drew no DEADLOCK; %d needed "
	       "a pump after the step\n",
	    ns, BANNER_RUNS, sno_banner, spumped);
	if (smissed > 0)
		printf("   warning: %d stepped run%s showed no cycle\n",
		    smissed, smissed == 1 ? "" : "s");
	if (n > 0 && ns > 0)
		printf("   free / stepped (medians): %.1fx\n",
		    bench_median(lat, n) * 1e3 / bench_median(slat, ns));
}

/* ---- 2. cancel to every worker joined ---- */

/* r on a deadlocked run, timed: the cancel, then every worker returned
 * (r->finished, polled with sched_yield), then run_finish (the joins, the OS
 * sampler's join in a free run, the last pump). Total ms in *all, ms to
 * the last worker's return in *workers. */
static void
timed_finish(struct run *r, double *all, double *workers)
{
	double t0 = bench_now_ms();

	conductor_cancel(r->c);
	while (atomic_load(&r->finished) < r->started)
		sched_yield();
	*workers = bench_now_ms() - t0;
	run_finish(r);
	*all = bench_now_ms() - t0;
}

static void
cancel(void)
{
	double st[CANCEL_RUNS], fr[CANCEL_RUNS];
	double stw[CANCEL_RUNS], frw[CANCEL_RUNS];
	long p[MODULE_MAX_PARAMS];
	int i, ns = 0, nf = 0, smissed = 0, fmissed = 0, late = 0;
	char why[256];

	deadlock_params(p, FAR_TIMEOUT);
	for (i = 0; i < CANCEL_RUNS; i++) {
		struct run *r = start_run(p, POLICY_STEP);

		if (run_step(r, 0, why, sizeof why) != 0 ||
		    run_step(r, 1, why, sizeof why) != 0) {
			fprintf(stderr, "bench_deadlock: step: %s\n", why);
			exit(1);
		}
		if (!pump_until_cycle(r, STEP_WAIT_MS))
			smissed++;
		else {
			timed_finish(r, &st[ns], &stw[ns]);
			ns++;
		}
		run_finish(r);
		run_free(r);
	}
	for (i = 0; i < CANCEL_RUNS; i++) {
		struct run *r = start_run(p, POLICY_FREE);

		if (!pump_until_cycle(r, 0))
			fmissed++;
		else {
			timed_finish(r, &fr[nf], &frw[nf]);
			late += r->timed_out;
			nf++;
		}
		run_finish(r);
		run_free(r);
	}

	printf("\n2. r (cancel) to every worker joined, on a deadlocked run "
	       "(cancelled as soon\n   as the pump sees the cycle): the "
	       "cancel, the workers' return, then run_finish\n   (the joins; "
	       "in a free run also the OS sampler's join and the last pump)\n");
	printf("     %-24s %5s %11s %11s %11s %11s\n", "", "runs", "return med",
	    "return max", "joined med", "joined max");
	printf("     %-24s %5d %11.3f %11.3f %11.3f %11.3f\n",
	    "stepped, schedule 1,2", ns, bench_median(stw, ns), max_of(stw, ns),
	    bench_median(st, ns), max_of(st, ns));
	printf("     %-24s %5d %11.3f %11.3f %11.3f %11.3f\n", "free, hold=20",
	    nf, bench_median(frw, nf), max_of(frw, nf), bench_median(fr, nf),
	    max_of(fr, nf));
	printf("     (ms; free: a worker blocked on the mutex sees the "
	       "cancel at its next 20 ms\n     timedlock slice, the "
	       "sampler at its next 10 ms interval)\n");
	if (smissed + fmissed > 0)
		printf("   warning: %d stepped and %d free run%s showed no "
		       "cycle\n",
		    smissed, fmissed, smissed + fmissed == 1 ? "" : "s");
	if (late > 0)
		printf("   warning: the timeout fired in %d free run%s\n", late,
		    late == 1 ? "" : "s");
	printf("   %s  stepped: every join within %.0f ms (max %.3f ms)\n",
	    bench_verdict(ns == CANCEL_RUNS && max_of(st, ns) < JOIN_BOUND),
	    JOIN_BOUND, max_of(st, ns));
	printf("   %s  free:    every join within %.0f ms (max %.3f ms)\n",
	    bench_verdict(nf == CANCEL_RUNS && max_of(fr, nf) < JOIN_BOUND),
	    JOIN_BOUND, max_of(fr, nf));
}

/* ---- 3. the livelock ---- */

struct live {
	int livelock, timed_out;
	double livelock_ms, meals, expected;
};

/* One free run with this seed (the per-thread back-off generators start
 * from it, as they do from the seed the UI gives). */
static struct live
live_run(const long *params, uint64_t seed)
{
	struct run_config cfg;
	struct result res;
	struct live o;
	const char *w;
	struct run *r;

	run_config_for(&cfg, mod, params, POLICY_FREE, seed);
	r = bench_free_run(&cfg, "bench_deadlock");
	run_result(r, &res);
	w = result_word_of(&res, "livelock");
	o.livelock = w != NULL && strcmp(w, "yes") == 0;
	w = result_word_of(&res, "timed_out");
	o.timed_out = w != NULL && strcmp(w, "yes") == 0;
	o.livelock_ms = result_number(&res, "livelock_ms", -1);
	o.meals = result_number(&res, "meals", -1);
	o.expected = result_number(&res, "expected_meals", -1);
	run_free(r);
	return o;
}

static void
livelock(void)
{
	static const char *const names[2] = {"fixed", "random"};
	struct live o[2][LIVE_ROUNDS];
	long p[MODULE_MAX_PARAMS];
	int round, k, b, yes[2], full[2];

	deadlock_params(p, 2000);
	p[p_strategy] = bench_value(mod, WHO, p_strategy, "trylock");
	for (round = 0; round < LIVE_ROUNDS; round++)
		/* fixed first in even rounds, random first in odd ones */
		for (k = 0; k < 2; k++) {
			b = (k + round) % 2;
			p[p_backoff] =
			    bench_value(mod, WHO, p_backoff, names[b]);
			o[b][round] = live_run(p, (uint64_t)round + 1);
		}

	printf("\n3. the livelock: strategy=trylock hold=%d timeout=2000 "
	       "iterations=%ld; %d runs each,\n   seeds 1 to %d\n",
	    HOLD_MS, p[p_iterations], LIVE_ROUNDS, LIVE_ROUNDS);
	printf("     %-8s %12s %11s %16s %13s\n", "backoff", "livelock",
	    "timed out", "med livelock_ms", "meals (med)");
	for (b = 0; b < 2; b++) {
		double ms[LIVE_ROUNDS], meals[LIVE_ROUNDS];
		int to = 0;

		yes[b] = full[b] = 0;
		for (round = 0; round < LIVE_ROUNDS; round++) {
			yes[b] += o[b][round].livelock;
			to += o[b][round].timed_out;
			ms[round] = o[b][round].livelock_ms;
			meals[round] = o[b][round].meals;
			full[b] += o[b][round].meals == o[b][round].expected;
		}
		printf(
		    "     %-8s %3d yes %d no %6d of %d %16.0f %7.1f of %.0f\n",
		    names[b], yes[b], LIVE_ROUNDS - yes[b], to, LIVE_ROUNDS,
		    bench_median(ms, LIVE_ROUNDS),
		    bench_median(meals, LIVE_ROUNDS), o[b][0].expected);
		printf("              every meal eaten in %d of %d; each run "
		       "(meals/expected, livelock_ms):\n             ",
		    full[b], LIVE_ROUNDS);
		for (round = 0; round < LIVE_ROUNDS; round++)
			printf(" %.0f/%.0f %.0f", o[b][round].meals,
			    o[b][round].expected, o[b][round].livelock_ms);
		printf("\n");
	}
	printf("   %s  backoff=fixed livelocks in every run (%d of %d)\n",
	    bench_verdict(yes[0] == LIVE_ROUNDS), yes[0], LIVE_ROUNDS);
	printf("   %s  backoff=random eats every meal in every run (%d of "
	       "%d)\n",
	    bench_verdict(full[1] == LIVE_ROUNDS), full[1], LIVE_ROUNDS);
}

int
main(void)
{
	double t0 = bench_now_ms();

	p_philosophers = bench_param(mod, WHO, "philosophers");
	p_order = bench_param(mod, WHO, "order");
	p_hold = bench_param(mod, WHO, "hold");
	p_strategy = bench_param(mod, WHO, "strategy");
	p_backoff = bench_param(mod, WHO, "backoff");
	p_iterations = bench_param(mod, WHO, "iterations");
	p_timeout = bench_param(mod, WHO, "timeout");
	load_lesson();
	banner();
	cancel();
	livelock();
	lesson_free(lesson);
	printf("\n(bench time %.1f s; the targets report, they do not "
	       "gate)\n",
	    (bench_now_ms() - t0) / 1e3);
	return 0;
}
