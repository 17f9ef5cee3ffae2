/*
 * The counters of a single-producer, single-consumer ring whose slots the
 * caller owns: an array of any element type, of a power-of-two length,
 * next to the counters or anywhere else. Only lock-free atomics, so a
 * ring in memory shared between processes works too (proclane).
 *
 * The counters run freely (slot n is n & mask): tail counts the elements
 * published, head those consumed, and tail - head is the fill.
 *
 * Producer: spsc_reserve() gives the slot to write, spsc_publish() makes
 * it visible. Consumer: spsc_published() says how far it may read,
 * spsc_consumed() where it is, spsc_release() hands slots back.
 */
#ifndef IL_SPSC_H
#define IL_SPSC_H

#include <stdalign.h>
#include <stdatomic.h>
#include <stdint.h>

#define SPSC_LINE 64

struct spsc {
	/*
	 * Published elements: the producer alone stores it, with release
	 * after writing the slot; the consumer loads it with acquire.
	 * The producer's line: head_seen and mask share it.
	 */
	alignas(SPSC_LINE) _Atomic uint64_t tail;
	uint64_t head_seen; /* the producer's last look at head */
	uint64_t mask;      /* capacity - 1; fixed by spsc_init */
	/*
	 * Consumed elements: the consumer alone stores it, with release
	 * after reading the slots; the producer loads it with acquire, and
	 * only when head_seen says the ring is full.
	 */
	alignas(SPSC_LINE) _Atomic uint64_t head;
};

/* Make an empty ring of capacity slots (a power of two). */
static inline void
spsc_init(struct spsc *r, uint64_t capacity)
{
	atomic_init(&r->tail, 0);
	atomic_init(&r->head, 0);
	r->head_seen = 0;
	r->mask = capacity - 1;
}

/* Producer: the index of the slot to write next in *slot, or -1 if the
 * ring is full. */
static inline int
spsc_reserve(struct spsc *r, uint64_t *slot)
{
	uint64_t t = atomic_load_explicit(&r->tail, memory_order_relaxed);

	if (t - r->head_seen > r->mask) {
		r->head_seen =
		    atomic_load_explicit(&r->head, memory_order_acquire);
		if (t - r->head_seen > r->mask)
			return -1;
	}
	*slot = t & r->mask;
	return 0;
}

/* Producer: publish the slot spsc_reserve() gave. */
static inline void
spsc_publish(struct spsc *r)
{
	uint64_t t = atomic_load_explicit(&r->tail, memory_order_relaxed);

	atomic_store_explicit(&r->tail, t + 1, memory_order_release);
}

/* Consumer: how many elements have been published in all; those below it
 * may be read. */
static inline uint64_t
spsc_published(struct spsc *r)
{
	return atomic_load_explicit(&r->tail, memory_order_acquire);
}

/* Consumer: how many elements it has consumed in all. */
static inline uint64_t
spsc_consumed(struct spsc *r)
{
	return atomic_load_explicit(&r->head, memory_order_relaxed);
}

/* Consumer: hand back every slot below head (a count, as above). */
static inline void
spsc_release(struct spsc *r, uint64_t head)
{
	atomic_store_explicit(&r->head, head, memory_order_release);
}

#endif
