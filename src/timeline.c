/*
 * Per-thread timelines: closed spans [start, end) in time order, plus one
 * open span that lasts until "now".
 *
 * Invariants: spans are contiguous (spans[i].end == spans[i + 1].start),
 * none is empty, and the last one ends at cur_start. Neighbours may share a
 * state only after downsampling has merged history.
 *
 * Dominant state and ties. A bucket shows the state that covered most of
 * it. When two states cover exactly the same time, the one a student most
 * needs to see wins, in this fixed order:
 *     LOCK_WAIT > IO > RUNNING > READY > DONE > NONE
 * Waiting for a lock or for I/O is the lesson; a bucket that is half
 * blocked must not be drawn as running. The same order breaks ties when
 * downsampling merges two spans of equal length.
 */
#include "timeline.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

#define TIMELINE_MIN_SPANS     16
#define TIMELINE_INITIAL_SPANS 64

/* Tie-break rank of each state: higher wins (see the top of the file). */
static const uint8_t timeline_priority[TS_COUNT] = {
    [TS_NONE] = 0,
    [TS_DONE] = 1,
    [TS_READY] = 2,
    [TS_RUNNING] = 3,
    [TS_IO] = 4,
    [TS_LOCK_WAIT] = 5,
};

void
timeline_init(struct timeline *tl, size_t max_spans)
{
	memset(tl, 0, sizeof *tl);
	if (max_spans < TIMELINE_MIN_SPANS)
		max_spans = TIMELINE_MIN_SPANS;
	tl->max_spans = max_spans;
	tl->cur = TS_NONE;
	tl->cur_start = 0;
}

void
timeline_free(struct timeline *tl)
{
	free(tl->spans);
	tl->spans = NULL;
	tl->n = tl->cap = 0;
}

/* Of two states covering time ta and tb, the one that wins the bucket. */
static uint8_t
timeline_pick(uint8_t a, uint64_t ta, uint8_t b, uint64_t tb)
{
	if (ta != tb)
		return ta > tb ? a : b;
	return timeline_priority[a] >= timeline_priority[b] ? a : b;
}

/* Append span s to out[0..*n), merging it into the last one if the state
 * is the same. */
static void
timeline_append(struct span *out, size_t *n, const struct span *s)
{
	if (*n > 0 && out[*n - 1].state == s->state) {
		out[*n - 1].end = s->end;
		return;
	}
	out[(*n)++] = *s;
}

/*
 * Downsample the older half: spans [0, 2p) become p spans, each covering a
 * pair and taking the state that covered more of it. The newer spans are
 * moved down unchanged (an equal-state neighbour is joined, which loses
 * nothing). Writing index never passes reading index, so this is in place.
 */
static void
timeline_downsample(struct timeline *tl)
{
	size_t p = tl->n / 4, i, n = 0;

	for (i = 0; i < p; i++) {
		const struct span *a = &tl->spans[2 * i],
		                  *b = &tl->spans[2 * i + 1];
		struct span m;

		m.start = a->start;
		m.end = b->end;
		m.state = timeline_pick(
		    a->state, a->end - a->start, b->state, b->end - b->start);
		timeline_append(tl->spans, &n, &m);
	}
	for (i = 2 * p; i < tl->n; i++) {
		struct span s = tl->spans[i];

		timeline_append(tl->spans, &n, &s);
	}
	tl->n = n;
	tl->merges++;
}

/* Make room for one more closed span, growing up to max_spans and
 * downsampling once the bound is reached. */
static void
timeline_reserve(struct timeline *tl)
{
	size_t cap;

	if (tl->n < tl->cap)
		return;
	if (tl->cap < tl->max_spans) {
		cap = tl->cap ? tl->cap * 2 : TIMELINE_INITIAL_SPANS;
		if (cap > tl->max_spans)
			cap = tl->max_spans;
		tl->spans = xrealloc(tl->spans, cap * sizeof *tl->spans);
		tl->cap = cap;
		return;
	}
	timeline_downsample(tl);
}

void
timeline_set_state(struct timeline *tl, uint64_t t, enum thread_state s)
{
	struct span *last;

	if ((unsigned)s >= TS_COUNT || s == tl->cur)
		return;
	if (t < tl->cur_start)
		t = tl->cur_start; /* time never goes backwards */
	if (t == tl->cur_start) {
		/* The open span is empty: drop it. If that makes the last
		 * closed span and the new state meet, reopen the last one. */
		last = tl->n > 0 ? &tl->spans[tl->n - 1] : NULL;
		if (last != NULL && last->state == s && last->end == t) {
			tl->cur_start = last->start;
			tl->n--;
		}
		tl->cur = (uint8_t)s;
		return;
	}
	timeline_reserve(tl);
	tl->spans[tl->n].start = tl->cur_start;
	tl->spans[tl->n].end = t;
	tl->spans[tl->n].state = tl->cur;
	tl->n++;
	tl->cur = (uint8_t)s;
	tl->cur_start = t;
}

/* Index of the first closed span that ends after t (n if none). */
static size_t
timeline_find(const struct timeline *tl, uint64_t t)
{
	size_t lo = 0, hi = tl->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (tl->spans[mid].end <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Add the overlap of [s, e) with [t0, t1) to out[state]. */
static void
timeline_add_overlap(uint64_t out[TS_COUNT], uint8_t state, uint64_t s,
    uint64_t e, uint64_t t0, uint64_t t1)
{
	if (s < t0)
		s = t0;
	if (e > t1)
		e = t1;
	if (s < e && state < TS_COUNT)
		out[state] += e - s;
}

void
timeline_bucket_fractions(const struct timeline *tl, uint64_t t0, uint64_t t1,
    uint64_t now, uint64_t out[TS_COUNT])
{
	size_t i;

	memset(out, 0, TS_COUNT * sizeof out[0]);
	if (t0 >= t1)
		return;
	for (i = timeline_find(tl, t0); i < tl->n && tl->spans[i].start < t1;
	     i++)
		timeline_add_overlap(out, tl->spans[i].state,
		    tl->spans[i].start, tl->spans[i].end, t0, t1);
	if (now > tl->cur_start)
		timeline_add_overlap(out, tl->cur, tl->cur_start, now, t0, t1);
}

enum thread_state
timeline_bucket_state(
    const struct timeline *tl, uint64_t t0, uint64_t t1, uint64_t now)
{
	uint64_t out[TS_COUNT];
	uint8_t best = TS_NONE;
	int s;

	timeline_bucket_fractions(tl, t0, t1, now, out);
	for (s = 1; s < TS_COUNT; s++)
		if (out[s] > 0)
			best =
			    timeline_pick(best, out[best], (uint8_t)s, out[s]);
	return (enum thread_state)best;
}

size_t
timeline_memory(const struct timeline *tl)
{
	return tl->cap * sizeof(struct span);
}
