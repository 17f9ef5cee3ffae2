/*
 * The trace log: the events a trace file needs (state changes, lock
 * acquisitions and releases, overwriting stores), each with its model
 * time, in the order the model applied them. The model keeps one only
 * when asked (model_trace_on, for --trace), so runs without it pay one
 * untaken branch per event.
 *
 * It is bounded: past TRACELOG_MAX records, later ones are counted in
 * dropped and not kept.
 */
#ifndef IL_TRACELOG_H
#define IL_TRACELOG_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"

#define TRACELOG_MAX ((size_t)1 << 20)

struct tracelog_rec {
	uint64_t t; /* model time: steps or ns */
	struct event ev;
};

struct tracelog {
	struct tracelog_rec *recs;
	size_t n, cap;
	uint64_t dropped;
};

struct tracelog *tracelog_new(void);
void tracelog_free(struct tracelog *);

/* Keep ev at model time t if a trace needs it (other kinds are left). */
void tracelog_add(struct tracelog *, const struct event *ev, uint64_t t);

#endif
