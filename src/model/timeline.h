/*
 * One thread's timeline: the state it was in at every moment, and the
 * moments its stores lost an update (marks). Time is abstract (steps in a
 * controlled run, ns in a free run) and starts at 0.
 *
 * Recent history is exact: a list of spans and a list of mark times. When
 * either list reaches its limit, its older half is folded into summary
 * bins, which keep the time each state filled them and how many marks
 * fell in them, so old history loses resolution but never its proportions
 * or its marks, and memory stays bounded.
 */
#ifndef IL_TIMELINE_H
#define IL_TIMELINE_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"

/* Summary bins kept for the history older than the exact spans. */
#define TIMELINE_BINS 1024

/* The largest time a timeline stores (a span start has 56 bits): later
 * times are clamped to it. In ns that is over two years. */
#define TIMELINE_MAX_T ((UINT64_C(1) << 56) - 1)

/* A closed span: a state from its start until the next span starts (the
 * last one: until the open span does). Spans tile time, so the end is not
 * stored; start << 8 | state keeps the record at 8 bytes. */
struct span {
	uint64_t start_state;
};

/* Summarised history: the time each state filled one bin, and the marks
 * that fell in it. */
struct timeline_bin {
	uint64_t dur[TS_COUNT];
	uint64_t marks;
};

/* See the top of timeline.c for the invariants. */
struct timeline {
	/* Exact history, [exact_from, now). */
	struct span *spans; /* closed spans, oldest first */
	size_t n;
	size_t cap;
	size_t max_spans; /* the exact limit, for spans and marks alike */
	uint64_t *marks;  /* mark times, sorted, all >= exact_from */
	size_t nmarks;
	size_t capmarks;
	uint8_t cur; /* state of the open span */
	uint64_t cur_start;
	/* Summarised history, [0, exact_from). */
	struct timeline_bin *bins; /* TIMELINE_BINS of them, or NULL */
	size_t nbins;              /* bins in use */
	uint64_t bin_w;            /* each bin's width, a power of two */
	uint64_t exact_from;
	uint64_t merges; /* times history was folded into the bins */
};

/* max_spans >= 16. The timeline starts in TS_NONE at time 0. */
void timeline_init(struct timeline *, size_t max_spans);
void timeline_free(struct timeline *);

/* From time t on, the thread is in state s. t never goes backwards (an
 * earlier t is taken as the open span's start). */
void timeline_set_state(struct timeline *, uint64_t t, enum thread_state s);

/* A lost-update mark at time t. Times may come slightly out of order. */
void timeline_add_mark(struct timeline *, uint64_t t);
/* n lost-update marks at time t (a summary's), as n calls of
 * timeline_add_mark would add them. */
void timeline_add_marks(struct timeline *, uint64_t t, uint64_t n);

/* Time spent in each state within [t0, t1), counting the open span as
 * lasting until now. out has TS_COUNT entries. Where [t0, t1) covers part
 * of a summary bin, it gets that part of the bin's time in each state. */
void timeline_bucket_fractions(const struct timeline *, uint64_t t0,
    uint64_t t1, uint64_t now, uint64_t out[TS_COUNT]);

/* The state that fills most of a bucket whose time in each state is f
 * (ties broken by the priority given in timeline.c), or TS_NONE. */
enum thread_state timeline_dominant(const uint64_t f[TS_COUNT]);

/* The state that covers most of [t0, t1), or TS_NONE if nothing is known
 * there. Ties are broken by a fixed priority given in timeline.c. */
enum thread_state timeline_bucket_state(
    const struct timeline *, uint64_t t0, uint64_t t1, uint64_t now);

/* Marks in [t0, t1). Buckets that tile time count every mark in exactly
 * one of them, at any zoom: exactly by time in the exact history, and in
 * proportion to the overlap inside a summary bin. */
uint64_t timeline_bucket_marks(
    const struct timeline *, uint64_t t0, uint64_t t1);

/* The i-th exact closed span (i < n): where it starts and ends, and its
 * state. */
void timeline_span(const struct timeline *, size_t i, uint64_t *start,
    uint64_t *end, enum thread_state *s);

/* Bytes of span, mark and bin storage in use. */
size_t timeline_memory(const struct timeline *);

#endif
