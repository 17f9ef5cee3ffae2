/*
 * Per-thread timelines: exact recent history, and summary bins for what
 * is older.
 *
 * Invariants, with B = exact_from:
 *   - [0, B) is summarised in the bins, [B, cur_start) is tiled by the
 *     closed spans, and [cur_start, now) is the open span, in state cur.
 *   - Closed spans are non-empty and contiguous: the first starts at B,
 *     each ends where the next starts, the last ends at cur_start, and
 *     neighbours never share a state. There are at most max_spans.
 *   - Mark times are sorted, all >= B, at most max_spans of them; a mark
 *     before B is counted in the bin it falls in.
 *   - Bin i covers [i * bin_w, (i + 1) * bin_w) clipped to [0, B); bin_w
 *     is a power of two; the nbins = ceil(B / bin_w) bins in use are at
 *     most TIMELINE_BINS, and the rest are zero. A bin's dur[] adds up to
 *     the time it covers, and is the true time each state filled it.
 *
 * Folding. When the spans (or the marks) reach max_spans, the older half
 * of them moves into the bins: B advances to the start of the first span
 * (or the time of the first mark) kept, and everything before the new B
 * is added to the bins, a span that straddles it being split. When B no
 * longer fits in TIMELINE_BINS bins, the bins merge pairwise and bin_w
 * doubles. Both steps only add time and marks up, so a bucket over old
 * history shows the states that really filled it, in their proportions,
 * and every mark is still counted. Memory is at most max_spans spans and
 * max_spans marks of 8 bytes each, plus TIMELINE_BINS bins.
 *
 * Inside a bin nothing finer is known: a bucket that covers part of a bin
 * gets that part of each of its counts, rounded down from the bin's start,
 * so buckets that tile time add up to the bin's counts exactly.
 *
 * Dominant state and ties. A bucket shows the state that covered most of
 * it. When two states cover exactly the same time, the one a student most
 * needs to see wins, in this fixed order:
 *     LOCK_WAIT > IO > RUNNING > READY > DONE > NONE
 * Waiting for a lock or for I/O is the lesson; a bucket that is half
 * blocked must not be drawn as running.
 */
#include "timeline.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

#define TIMELINE_MIN_SPANS     16
#define TIMELINE_INITIAL_SPANS 64

/* Tie-break rank of each state: higher wins (see the top of the file). */
#define STATE_RANK(st, utf8, ascii, role, legend, name, rank, ...) [st] = rank,
static const uint8_t timeline_priority[TS_COUNT] = {THREAD_STATES(STATE_RANK)};
#undef STATE_RANK

void
timeline_init(struct timeline *tl, size_t max_spans)
{
	memset(tl, 0, sizeof *tl);
	if (max_spans < TIMELINE_MIN_SPANS)
		max_spans = TIMELINE_MIN_SPANS;
	tl->max_spans = max_spans;
	tl->cur = TS_NONE;
	tl->bin_w = 1;
}

void
timeline_free(struct timeline *tl)
{
	free(tl->spans);
	free(tl->marks);
	free(tl->bins);
	tl->spans = NULL;
	tl->marks = NULL;
	tl->bins = NULL;
	tl->n = tl->cap = tl->nmarks = tl->capmarks = tl->nbins = 0;
}

static uint64_t
timeline_start(const struct timeline *tl, size_t i)
{
	return tl->spans[i].start_state >> 8;
}

static uint8_t
timeline_state(const struct timeline *tl, size_t i)
{
	return (uint8_t)(tl->spans[i].start_state & 0xff);
}

static uint64_t
timeline_end(const struct timeline *tl, size_t i)
{
	return i + 1 < tl->n ? timeline_start(tl, i + 1) : tl->cur_start;
}

static void
timeline_put(struct timeline *tl, size_t i, uint64_t start, uint8_t state)
{
	tl->spans[i].start_state = start << 8 | state;
}

void
timeline_span(const struct timeline *tl, size_t i, uint64_t *start,
    uint64_t *end, enum thread_state *s)
{
	*start = timeline_start(tl, i);
	*end = timeline_end(tl, i);
	*s = (enum thread_state)timeline_state(tl, i);
}

/* Of two states covering time ta and tb, the one that wins the bucket. */
static uint8_t
timeline_pick(uint8_t a, uint64_t ta, uint8_t b, uint64_t tb)
{
	if (ta != tb)
		return ta > tb ? a : b;
	return timeline_priority[a] >= timeline_priority[b] ? a : b;
}

/* v * num / den rounded down, for num <= den, without overflow. */
static uint64_t
timeline_scale(uint64_t v, uint64_t num, uint64_t den)
{
#ifdef __SIZEOF_INT128__
	return (uint64_t)((unsigned __int128)v * num / den);
#else
	return (uint64_t)((long double)v * (long double)num / (long double)den);
#endif
}

/* The part of a bin's count v that falls in [lo, up) of its len. */
static uint64_t
timeline_bin_part(uint64_t v, uint64_t lo, uint64_t up, uint64_t len)
{
	if (lo == 0 && up == len)
		return v;
	return timeline_scale(v, up, len) - timeline_scale(v, lo, len);
}

/* Merge the bins pairwise: each covers twice the time. */
static void
timeline_bins_merge(struct timeline *tl)
{
	size_t i, s;

	for (i = 0; 2 * i < tl->nbins; i++) {
		struct timeline_bin b = tl->bins[2 * i];

		if (2 * i + 1 < tl->nbins) {
			for (s = 0; s < TS_COUNT; s++)
				b.dur[s] += tl->bins[2 * i + 1].dur[s];
			b.marks += tl->bins[2 * i + 1].marks;
		}
		tl->bins[i] = b;
	}
	memset(tl->bins + i, 0, (TIMELINE_BINS - i) * sizeof *tl->bins);
	tl->nbins = i;
	tl->bin_w *= 2;
}

/* Make the bins reach up to time to (exclusive). */
static void
timeline_bins_fit(struct timeline *tl, uint64_t to)
{
	if (tl->bins == NULL) {
		tl->bins = xcalloc(TIMELINE_BINS, sizeof *tl->bins);
		tl->nbins = 0;
		while (tl->bin_w * TIMELINE_BINS < to)
			tl->bin_w *= 2;
	}
	while ((to - 1) / tl->bin_w >= TIMELINE_BINS)
		timeline_bins_merge(tl);
}

/* Add [a, b) in state s to the bins, which reach b. */
static void
timeline_bins_add(struct timeline *tl, uint8_t s, uint64_t a, uint64_t b)
{
	while (a < b) {
		uint64_t i = a / tl->bin_w, e = (i + 1) * tl->bin_w;

		if (e > b)
			e = b;
		tl->bins[i].dur[s] += e - a;
		a = e;
	}
}

/* Move all history before time to into the bins (see the top). */
static void
timeline_fold(struct timeline *tl, uint64_t to)
{
	size_t i, k;

	if (to <= tl->exact_from)
		return;
	timeline_bins_fit(tl, to);
	for (i = 0; i < tl->n && timeline_start(tl, i) < to; i++) {
		uint64_t e = timeline_end(tl, i);

		timeline_bins_add(tl, timeline_state(tl, i),
		    timeline_start(tl, i), e < to ? e : to);
	}
	if (i > 0 && timeline_end(tl, i - 1) > to) {
		i--; /* it straddles to: keep its newer part */
		timeline_put(tl, i, to, timeline_state(tl, i));
	}
	if (i > 0) /* spans and marks are NULL until first used */
		memmove(
		    tl->spans, tl->spans + i, (tl->n - i) * sizeof *tl->spans);
	tl->n -= i;
	if (tl->cur_start < to) {
		timeline_bins_add(tl, tl->cur, tl->cur_start, to);
		tl->cur_start = to;
	}
	for (k = 0; k < tl->nmarks && tl->marks[k] < to; k++)
		tl->bins[tl->marks[k] / tl->bin_w].marks++;
	if (k > 0)
		memmove(tl->marks, tl->marks + k,
		    (tl->nmarks - k) * sizeof *tl->marks);
	tl->nmarks -= k;
	tl->exact_from = to;
	tl->nbins = (size_t)((to + tl->bin_w - 1) / tl->bin_w);
	tl->merges++;
}

/* Grow *cap toward max, or return 0 if it is already there. */
static int
timeline_grow(void **p, size_t *cap, size_t max, size_t size)
{
	size_t c;

	if (*cap >= max)
		return 0;
	c = *cap ? *cap * 2 : TIMELINE_INITIAL_SPANS;
	if (c > max)
		c = max;
	*p = xrealloc(*p, c * size);
	*cap = c;
	return 1;
}

/* Make room for one more closed span: grow up to max_spans, then fold the
 * older half of the spans. */
static void
timeline_reserve(struct timeline *tl)
{
	void *p = tl->spans;

	if (tl->n < tl->cap)
		return;
	if (timeline_grow(&p, &tl->cap, tl->max_spans, sizeof *tl->spans)) {
		tl->spans = p;
		return;
	}
	timeline_fold(tl, timeline_start(tl, tl->n / 2));
}

void
timeline_set_state(struct timeline *tl, uint64_t t, enum thread_state s)
{
	if ((unsigned)s >= TS_COUNT || s == tl->cur)
		return;
	if (t > TIMELINE_MAX_T)
		t = TIMELINE_MAX_T;
	if (t < tl->cur_start)
		t = tl->cur_start; /* time never goes backwards */
	if (t == tl->cur_start) {
		/* The open span is empty: drop it. If that makes the last
		 * closed span and the new state meet, reopen the last one. */
		if (tl->n > 0 && timeline_state(tl, tl->n - 1) == s) {
			tl->cur_start = timeline_start(tl, tl->n - 1);
			tl->n--;
		}
		tl->cur = (uint8_t)s;
		return;
	}
	timeline_reserve(tl);
	timeline_put(tl, tl->n++, tl->cur_start, tl->cur);
	tl->cur = (uint8_t)s;
	tl->cur_start = t;
}

/* Make room for one more mark: grow up to max_spans, then fold at least
 * the older half of the marks (at a time boundary, so that marks at one
 * time stay together). */
static void
timeline_reserve_mark(struct timeline *tl)
{
	void *p = tl->marks;
	size_t j;

	if (tl->nmarks < tl->capmarks)
		return;
	if (timeline_grow(
	        &p, &tl->capmarks, tl->max_spans, sizeof *tl->marks)) {
		tl->marks = p;
		return;
	}
	for (j = tl->nmarks / 2; j < tl->nmarks; j++)
		if (tl->marks[j] > tl->marks[j - 1])
			break;
	timeline_fold(
	    tl, j < tl->nmarks ? tl->marks[j] : tl->marks[tl->nmarks - 1] + 1);
}

void
timeline_add_mark(struct timeline *tl, uint64_t t)
{
	size_t i;

	if (t > TIMELINE_MAX_T)
		t = TIMELINE_MAX_T;
	if (t >= tl->exact_from)
		timeline_reserve_mark(tl); /* may move exact_from */
	if (t < tl->exact_from) {
		tl->bins[t / tl->bin_w].marks++;
		return;
	}
	/* Usually the newest: insert from the end. */
	for (i = tl->nmarks; i > 0 && tl->marks[i - 1] > t; i--)
		tl->marks[i] = tl->marks[i - 1];
	tl->marks[i] = t;
	tl->nmarks++;
}

/* Marks at the newest time are appended as a block, as many as there is
 * room for each time; the rest (rare: out of order) go one by one. */
void
timeline_add_marks(struct timeline *tl, uint64_t t, uint64_t n)
{
	if (t > TIMELINE_MAX_T)
		t = TIMELINE_MAX_T;
	while (n > 0) {
		size_t room, k;

		if (t < tl->exact_from) {
			tl->bins[t / tl->bin_w].marks += n;
			return;
		}
		if (tl->nmarks > 0 && tl->marks[tl->nmarks - 1] > t) {
			timeline_add_mark(tl, t);
			n--;
			continue;
		}
		timeline_reserve_mark(tl); /* may move exact_from */
		if (t < tl->exact_from)
			continue;
		room = tl->capmarks - tl->nmarks;
		k = n < room ? (size_t)n : room;
		for (; k > 0; k--, n--)
			tl->marks[tl->nmarks++] = t;
	}
}

/* Index of the first closed span that ends after t (n if none). */
static size_t
timeline_find(const struct timeline *tl, uint64_t t)
{
	size_t lo = 0, hi = tl->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (timeline_end(tl, mid) <= t)
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

/* Call fn for each bin that [t0, t1) overlaps, with the overlap as
 * [lo, up) within the bin's len. */
static void
timeline_bins_each(const struct timeline *tl, uint64_t t0, uint64_t t1,
    void (*fn)(
        const struct timeline_bin *, uint64_t, uint64_t, uint64_t, void *),
    void *arg)
{
	uint64_t i, hi = t1 < tl->exact_from ? t1 : tl->exact_from;

	if (tl->bins == NULL || t0 >= hi)
		return;
	for (i = t0 / tl->bin_w; i < tl->nbins && i * tl->bin_w < hi; i++) {
		uint64_t bs = i * tl->bin_w, be = bs + tl->bin_w;

		if (be > tl->exact_from)
			be = tl->exact_from;
		fn(&tl->bins[i], (t0 > bs ? t0 : bs) - bs,
		    (hi < be ? hi : be) - bs, be - bs, arg);
	}
}

static void
timeline_bin_fractions(const struct timeline_bin *b, uint64_t lo, uint64_t up,
    uint64_t len, void *arg)
{
	uint64_t *out = arg;
	int s;

	for (s = 0; s < TS_COUNT; s++)
		out[s] += timeline_bin_part(b->dur[s], lo, up, len);
}

void
timeline_bucket_fractions(const struct timeline *tl, uint64_t t0, uint64_t t1,
    uint64_t now, uint64_t out[TS_COUNT])
{
	size_t i;

	memset(out, 0, TS_COUNT * sizeof out[0]);
	if (t0 >= t1)
		return;
	timeline_bins_each(tl, t0, t1, timeline_bin_fractions, out);
	for (i = timeline_find(tl, t0); i < tl->n && timeline_start(tl, i) < t1;
	     i++)
		timeline_add_overlap(out, timeline_state(tl, i),
		    timeline_start(tl, i), timeline_end(tl, i), t0, t1);
	if (now > tl->cur_start)
		timeline_add_overlap(out, tl->cur, tl->cur_start, now, t0, t1);
}

enum thread_state
timeline_dominant(const uint64_t f[TS_COUNT])
{
	uint8_t best = TS_NONE;
	int s;

	for (s = 1; s < TS_COUNT; s++)
		if (f[s] > 0)
			best = timeline_pick(best, f[best], (uint8_t)s, f[s]);
	return (enum thread_state)best;
}

enum thread_state
timeline_bucket_state(
    const struct timeline *tl, uint64_t t0, uint64_t t1, uint64_t now)
{
	uint64_t out[TS_COUNT];

	timeline_bucket_fractions(tl, t0, t1, now, out);
	return timeline_dominant(out);
}

static void
timeline_bin_marks(const struct timeline_bin *b, uint64_t lo, uint64_t up,
    uint64_t len, void *arg)
{
	*(uint64_t *)arg += timeline_bin_part(b->marks, lo, up, len);
}

/* Index of the first exact mark at or after t. */
static size_t
timeline_find_mark(const struct timeline *tl, uint64_t t)
{
	size_t lo = 0, hi = tl->nmarks;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (tl->marks[mid] < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

uint64_t
timeline_bucket_marks(const struct timeline *tl, uint64_t t0, uint64_t t1)
{
	uint64_t n = 0;

	if (t0 >= t1)
		return 0;
	timeline_bins_each(tl, t0, t1, timeline_bin_marks, &n);
	return n + timeline_find_mark(tl, t1) - timeline_find_mark(tl, t0);
}

size_t
timeline_memory(const struct timeline *tl)
{
	return tl->cap * sizeof *tl->spans + tl->capmarks * sizeof *tl->marks +
	    (tl->bins != NULL ? TIMELINE_BINS * sizeof *tl->bins : 0);
}
