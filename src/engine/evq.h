/*
 * Event queue: many producers, one consumer.
 *
 * Each producer thread pushes into a single-producer ring of its own,
 * made on its first push to the queue, so a push writes no cache line
 * that another producer writes. The consumer merges the rings by event
 * timestamp (ts_ns): each producer's events come out in the order it
 * pushed them, and an event that happened before another (through a
 * lock, a release/acquire hand-off, a thread start) comes out first,
 * provided producers stamp ts_ns from CLOCK_MONOTONIC as they push (two
 * events on different rings with the very same ts_ns may come out either
 * way). Rings stay until evq_free, also after their thread exits; beyond
 * 127 of them, further producers share one locked ring.
 *
 * The consumer wakes through an eventfd (a pipe where there is none), but a
 * producer writes to it only when the consumer has said it is going to
 * sleep, so a busy stream costs no system call per event; where Linux has
 * membarrier() it costs no fence per event either.
 *
 * A producer never blocks indefinitely: when its ring is full it waits up
 * to the push timeout for space, then drops the event and counts the drop.
 */
#ifndef IL_EVQ_H
#define IL_EVQ_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"

struct evq;

/* Create a queue whose every producer ring holds capacity events (rounded
 * up to a power of two, at least 2, at most 2^28); a ring takes 40 bytes
 * an event, allocated on its thread's first push. Returns NULL if the wake
 * descriptor or the memory cannot be had, or capacity is too large. */
struct evq *evq_new(size_t capacity);
void evq_free(struct evq *);

/* How long a producer waits for space before it drops (default 50 ms;
 * 0: drop at once when full). Any thread, any time. */
void evq_set_push_timeout(struct evq *, uint64_t ns);

/* Producer side: any thread. Returns 0, or -1 if the event was dropped. */
int evq_push(struct evq *, const struct event *);

/* The consumer side (evq_pop, evq_wait, evq_arm, evq_disarm) belongs to one
 * thread at a time. */

/* Consumer side: copy up to max events out, oldest first; never blocks. */
size_t evq_pop(struct evq *, struct event *out, size_t max);

/* Consumer side: wait until an event is available or timeout_ms passes
 * (-1: no limit). Returns 1 if events are available, 0 on timeout. */
int evq_wait(struct evq *, int timeout_ms);

/* Consumer side, for a poll() loop: evq_arm() announces that the consumer is
 * about to sleep and returns 1 if events are already waiting (then do not
 * sleep; the announcement is already withdrawn). Poll evq_wake_fd() for
 * POLLIN; after waking, call evq_disarm(), which also drains the fd. */
int evq_wake_fd(const struct evq *);
int evq_arm(struct evq *);
void evq_disarm(struct evq *);

/* Events dropped so far because a ring stayed full. */
uint64_t evq_dropped(const struct evq *);

/* Times a producer had to write the wake descriptor (for tests/benchmarks). */
uint64_t evq_wakeups(const struct evq *);

/* Producer rings made so far, not counting the shared one (for tests). */
size_t evq_producers(const struct evq *);

#endif
