/*
 * What model.c and model_os.c share; nothing else includes it.
 */
#ifndef IL_MODEL_INT_H
#define IL_MODEL_INT_H

#include <stdint.h>

#include "event.h"
#include "model.h"

/* Apply an EV_OS_SAMPLE event for lane thread, ending at model time t. */
void model_os_sample(
    struct model *m, int thread, const struct event *ev, uint64_t t);

/* Apply an EV_OS_IDENTITY event: lane thread runs in pid's thread tid. */
void model_identity(struct model *m, int thread, int pid, int tid);

#endif
