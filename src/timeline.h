/*
 * One thread's timeline: a list of spans, each a state over [start, end).
 * Time is abstract (steps in a controlled run, ns in a free run).
 *
 * Memory is bounded: when the span list reaches its limit, the older half
 * of history is downsampled (neighbouring short spans merge, keeping the
 * state that covered most of them), so memory never grows without limit
 * while recent history stays exact.
 */
#ifndef IL_TIMELINE_H
#define IL_TIMELINE_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"

struct span {
	uint64_t start;
	uint64_t end;  /* exclusive */
	uint8_t state; /* enum thread_state */
};

struct timeline {
	struct span *spans; /* closed spans, oldest first */
	size_t n;
	size_t cap;
	size_t max_spans; /* the memory bound */
	uint64_t merges;  /* downsampling passes so far */
	uint8_t cur;      /* state of the open span */
	uint64_t cur_start;
};

/* max_spans >= 16. The timeline starts in TS_NONE at time 0. */
void timeline_init(struct timeline *, size_t max_spans);
void timeline_free(struct timeline *);

/* From time t on, the thread is in state s. t never goes backwards. */
void timeline_set_state(struct timeline *, uint64_t t, enum thread_state s);

/* Time spent in each state within [t0, t1), counting the open span as
 * lasting until now. out has TS_COUNT entries. */
void timeline_bucket_fractions(const struct timeline *, uint64_t t0,
    uint64_t t1, uint64_t now, uint64_t out[TS_COUNT]);

/* The state that covers most of [t0, t1), or TS_NONE if nothing is known
 * there. Ties are broken by a fixed priority given in timeline.c. */
enum thread_state timeline_bucket_state(
    const struct timeline *, uint64_t t0, uint64_t t1, uint64_t now);

/* Bytes of span storage in use. */
size_t timeline_memory(const struct timeline *);

#endif
