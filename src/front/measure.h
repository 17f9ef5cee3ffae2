/*
 * Measuring lessons (a module with a plan of runs, see module.h):
 * the modes to run one after another, the result of each, and the
 * comparison with the baseline. Used headless (measure_main) and by the
 * curses front end, which fills a results table as each run ends.
 */
#ifndef IL_MEASURE_H
#define IL_MEASURE_H

#include <stddef.h>
#include <stdint.h>

#include "headless.h"
#include "module.h"
#include "result.h"
#include "run.h"

#define MEASURE_MAX_MODES 8

/* One finished run. */
struct measured {
	long mode;
	char name[16];        /* the mode's name: "threads" */
	struct result result; /* the module's pairs (no dropped=) */
	double wall_ms;
	double cpu_ms;
	int workers;
	int ideal;
	double ref_ms; /* the plan's reference_ms, or 0 */
	uint64_t dropped;
};

struct measure_set {
	const struct lesson_module *mod;
	const struct lesson_plan *plan; /* one of mod's plans */
	long modes[MEASURE_MAX_MODES];  /* the plan, baseline first */
	int nmodes;
	struct measured res[MEASURE_MAX_MODES]; /* res[i] ran modes[i] */
	int n;                                  /* finished so far */
	double base_ms;                         /* the baseline's wall time */
	int cores;
};

/* Plan the runs of plan (one of mod's) for its parameter's value
 * chosen: every value for all_value, else the baseline (unless chosen
 * is the baseline) and chosen. No results yet. */
void measure_plan(struct measure_set *, const struct lesson_module *mod,
    const struct lesson_plan *plan, long chosen);

/* The same for the plan a free run with params is (module_plan_for):
 * 0, or -1 if it is a single run. */
int measure_plan_for(
    struct measure_set *, const struct lesson_module *, const long *params);

/* The parameters for the next planned run: params with the mode set.
 * 0, or -1 if every planned run has a result. */
int measure_next(const struct measure_set *, const long *params, long *out);

/* Record the next planned run's result from its finished run. */
void measure_record(struct measure_set *, struct run *);

/* The name of planned run i ("sequential"). */
const char *measure_mode_name(const struct measure_set *, int i);

/* Result i's field key over the baseline's (0 if unknown). */
double measure_vs_base(const struct measure_set *, int i, const char *key);

/* Speedup against the baseline (0 if unknown), and CPU use as a
 * fraction of every core over the wall time. */
double measure_speedup(const struct measure_set *, int i);
double measure_cpu_use(const struct measure_set *, int i);

/* The table's header, and result i as a row under it. */
void measure_header(const struct measure_set *, char *buf, size_t len);
void measure_row(const struct measure_set *, int i, char *buf, size_t len);

/* Bar length for result i when the longest wall time gets width w. */
int measure_bar(const struct measure_set *, int i, int w);

/* About how long the whole plan takes with params (0: unknown). */
uint64_t measure_estimate_ms(const struct measure_set *, const long *params);

/* Headless: run the plan and print it. Returns the exit status, with
 * messages already on stderr. */
int measure_main(const struct headless_args *);

#endif
