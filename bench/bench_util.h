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

#endif
