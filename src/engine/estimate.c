/*
 * How long a run will take, measured rather than guessed: the same lesson
 * runs with its size parameter cut down (a pilot), for real, on this
 * machine and with these settings, until a pilot lasts long enough to
 * time; its time per unit of size, times the size asked for, is the
 * estimate. Lesson modules whose cost grows with one parameter (race:
 * iterations) use it for their estimate_ms hook.
 */
#include "estimate.h"

#include <stdio.h>
#include <string.h>

#include "run.h"
#include "util.h"

#define PILOT_FIRST  64                    /* size of the first pilot */
#define PILOT_GROWTH 8                     /* each next one this much larger */
#define PILOT_ENOUGH (20ull * 1000 * 1000) /* ns: long enough to time */

/* Run mod once with params (size at index idx set to n) and return how
 * long it took in ns, or 0 if it could not run. */
static uint64_t
pilot_ns(const struct lesson_module *mod, const long *params, int idx, long n,
    int controlled)
{
	struct run_config cfg;
	struct run *r;
	char err[256];
	uint64_t t0, dt;

	memset(&cfg, 0, sizeof cfg);
	cfg.module = mod;
	memcpy(cfg.params, params, sizeof cfg.params);
	cfg.params[idx] = n;
	cfg.policy = controlled ? POLICY_RANDOM : POLICY_FREE;
	cfg.seed = 1;
	if ((r = run_new(&cfg, err, sizeof err)) == NULL)
		return 0;
	t0 = clock_now_ns();
	if (run_start(r) != 0) {
		run_free(r);
		return 0;
	}
	if (controlled) {
		int t;

		while ((t = conductor_pick_random(r->c)) >= 0)
			if (run_step(r, t, err, sizeof err) != 0)
				break;
	} else {
		run_wait_free(r);
	}
	run_finish(r);
	dt = clock_now_ns() - t0;
	run_free(r);
	return dt > 0 ? dt : 1;
}

uint64_t
estimate_by_pilot(const struct lesson_module *mod, const long *params, int idx,
    int controlled)
{
	long full = params[idx], n = PILOT_FIRST;
	uint64_t ns;

	if (full <= 0)
		return 0;
	for (;;) {
		if (n >= full)
			n = full;
		if ((ns = pilot_ns(mod, params, idx, n, controlled)) == 0)
			return 0;
		if (n == full)
			return ns / 1000000;
		if (ns >= PILOT_ENOUGH)
			return (uint64_t)((double)ns * (double)full /
			    (double)n / 1e6);
		n *= PILOT_GROWTH;
	}
}
