/* What the benchmarks share: a lesson's defaults, and one whole free run. */
#ifndef IL_BENCH_UTIL_H
#define IL_BENCH_UTIL_H

#include "module.h"
#include "run.h"

/* Every parameter of mod at its default. */
void bench_defaults(const struct lesson_module *mod, long *params);

/* Build, start and finish a free run from cfg (every worker joined); on
 * failure, say so as who and exit 1. */
struct run *bench_free_run(const struct run_config *cfg, const char *who);

/* The monotonic clock in ms. */
double bench_now_ms(void);

/* The median of n values (0 if there are none; v is left as it was). */
double bench_median(const double *v, int n);

/* The index of mod's parameter called name, and the index of a named
 * value of parameter i ("mutex" for fix); on failure, say so as who and
 * exit 1. */
int bench_param(
    const struct lesson_module *mod, const char *who, const char *name);
long bench_value(
    const struct lesson_module *mod, const char *who, int i, const char *name);

/* "PASS" or "FAIL". */
const char *bench_verdict(int ok);

#endif
