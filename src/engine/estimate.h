/*
 * Estimates of how long a run takes, from pilot runs of the same lesson
 * on this machine (see estimate.c).
 */
#ifndef IL_ESTIMATE_H
#define IL_ESTIMATE_H

#include <stdint.h>

#include "module.h"

/* About how many ms a run of mod with params takes, where the work grows
 * in proportion to params[idx]: smaller pilot runs are timed (at most a
 * few tens of ms of them) and scaled up. 0 if a pilot could not run. A
 * pilot that would be the whole run is the run, so the answer is then
 * exact and the work was done twice; callers ask only for large sizes. */
uint64_t estimate_by_pilot(const struct lesson_module *mod, const long *params,
    int idx, int controlled);

#endif
