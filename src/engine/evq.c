/*
 * Event queue: a bounded MPSC ring after Dmitry Vyukov's design.
 *
 * Every slot carries a sequence number. For ticket t (slot t & mask):
 *   seq == t        the slot is free for the producer holding ticket t;
 *   seq == t + 1    the producer has published the event for ticket t;
 *   seq == t + cap  the consumer has taken it; the slot is free for t + cap.
 * A producer claims ticket t only after seeing seq == t, with a
 * compare-and-swap on the tail, so a full ring is detected without claiming
 * a slot the producer could not fill.
 *
 * Wake-ups follow the usual Dekker pattern. The consumer stores
 * sleeping = 1, issues a seq_cst fence and looks for an event; a producer
 * publishes, issues a seq_cst fence and looks at sleeping. At least one of
 * them sees the other's store, so the consumer never sleeps on a published
 * event. The producer that turns sleeping from 1 to 0 writes the descriptor,
 * once, so a busy stream makes no system call.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#elif defined(__linux__)
#define HAVE_SYS_EVENTFD_H 1
#define HAVE_EVENTFD       1
#endif

#include "evq.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

#if defined(HAVE_SYS_EVENTFD_H) && defined(HAVE_EVENTFD) &&                    \
    !defined(EVQ_FORCE_PIPE)
#define EVQ_USE_EVENTFD 1
#include <sys/eventfd.h>
#endif

#include "util.h"

#define EVQ_CACHE_LINE         64
#define EVQ_MIN_CAPACITY       2
#define EVQ_MAX_CAPACITY       ((size_t)1 << 28)
#define EVQ_DEFAULT_TIMEOUT_NS (50ULL * 1000 * 1000)
#define EVQ_SPINS_BEFORE_YIELD 16  /* a full ring: pauses before yielding */
#define EVQ_WAIT_SPINS         200 /* an empty ring: pauses before sleeping */

/* One ring slot, a cache line each so neighbouring producers and the
 * consumer do not write into the same line. */
struct evq_slot {
	/*
	 * The slot's sequence (see the top of the file). A producer loads it
	 * with acquire before claiming and stores ticket + 1 with release after
	 * writing ev; the consumer loads it with acquire before reading ev and
	 * stores ticket + capacity with release after.
	 */
	alignas(EVQ_CACHE_LINE) _Atomic uint64_t seq;
	struct event
	    ev; /* written by the ticket's producer, read by consumer */
};

struct evq {
	/* Next ticket to hand out: producers load it and advance it by
	 * compare-and-swap; the consumer never touches it. */
	alignas(EVQ_CACHE_LINE) _Atomic uint64_t tail;

	/* Next ticket to consume: the consumer thread's alone, not atomic. */
	alignas(EVQ_CACHE_LINE) uint64_t head;

	/*
	 * 1 while the consumer is asleep or about to be. The consumer sets it
	 * (evq_arm) and clears it (evq_disarm); a producer that finds it set
	 * after publishing clears it with an exchange and, if it won, writes
	 * the wake descriptor. Read by producers on every push, so it shares
	 * its line only with the rarely written fields below.
	 */
	alignas(EVQ_CACHE_LINE) _Atomic int sleeping;
	/* Events dropped: producers add (relaxed), anyone reads. */
	_Atomic uint64_t dropped;
	/* Writes to the wake descriptor: producers add (relaxed). */
	_Atomic uint64_t wakeups;
	/* Push timeout in ns: any thread stores, producers load (relaxed). */
	_Atomic uint64_t push_timeout_ns;

	/* Fixed by evq_new, read-only afterwards. */
	alignas(EVQ_CACHE_LINE) struct evq_slot *slots;
	uint64_t mask;
	int rfd; /* the consumer polls and drains this */
	int wfd; /* producers write this; equal to rfd for an eventfd */
};

/* Make the read and write ends of the wake descriptor; 0 or -1. */
static int
evq_open_fds(struct evq *q)
{
	int fds[2], i;

#ifdef EVQ_USE_EVENTFD
	q->rfd = q->wfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (q->rfd != -1)
		return 0;
#endif
	if (pipe(fds) != 0)
		return -1;
	for (i = 0; i < 2; i++) {
		if (fcntl(fds[i], F_SETFL, O_NONBLOCK) == -1 ||
		    fcntl(fds[i], F_SETFD, FD_CLOEXEC) == -1) {
			close(fds[0]);
			close(fds[1]);
			return -1;
		}
	}
	q->rfd = fds[0];
	q->wfd = fds[1];
	return 0;
}

struct evq *
evq_new(size_t capacity)
{
	struct evq *q;
	void *mem;
	size_t cap = EVQ_MIN_CAPACITY, i;

	if (capacity > EVQ_MAX_CAPACITY)
		return NULL;
	while (cap < capacity)
		cap <<= 1;

	if (posix_memalign(&mem, EVQ_CACHE_LINE, sizeof *q) != 0)
		return NULL;
	q = mem;
	if (posix_memalign(&mem, EVQ_CACHE_LINE, cap * sizeof *q->slots) != 0) {
		free(q);
		return NULL;
	}
	q->slots = mem;
	for (i = 0; i < cap; i++)
		atomic_init(&q->slots[i].seq, i);
	q->mask = cap - 1;
	atomic_init(&q->tail, 0);
	q->head = 0;
	atomic_init(&q->sleeping, 0);
	atomic_init(&q->dropped, 0);
	atomic_init(&q->wakeups, 0);
	atomic_init(&q->push_timeout_ns, EVQ_DEFAULT_TIMEOUT_NS);
	if (evq_open_fds(q) != 0) {
		free(q->slots);
		free(q);
		return NULL;
	}
	return q;
}

void
evq_free(struct evq *q)
{
	if (q == NULL)
		return;
	if (q->wfd != q->rfd)
		close(q->wfd);
	close(q->rfd);
	free(q->slots);
	free(q);
}

void
evq_set_push_timeout(struct evq *q, uint64_t ns)
{
	atomic_store_explicit(&q->push_timeout_ns, ns, memory_order_relaxed);
}

/* Wake the consumer if it has announced that it sleeps; producer side. */
static void
evq_wake(struct evq *q)
{
	static const uint64_t one = 1;
	ssize_t n;

	/* Pairs with the fence in evq_arm: see the top of the file. */
	atomic_thread_fence(memory_order_seq_cst);
	if (atomic_load_explicit(&q->sleeping, memory_order_relaxed) == 0)
		return;
	if (atomic_exchange(&q->sleeping, 0) == 0)
		return; /* another producer is waking it */

	/* EAGAIN means the descriptor is already readable: nothing to do. */
	do {
		if (q->wfd == q->rfd)
			n = write(q->wfd, &one, sizeof one);
		else
			n = write(q->wfd, "", 1);
	} while (n == -1 && errno == EINTR);
	atomic_fetch_add_explicit(&q->wakeups, 1, memory_order_relaxed);
}

/* Claim a ticket if its slot is free; 0, or -1 when the ring is full. */
static int
evq_try_claim(struct evq *q, uint64_t *ticket)
{
	uint64_t pos, seq;
	int64_t diff;

	pos = atomic_load_explicit(&q->tail, memory_order_relaxed);
	for (;;) {
		seq = atomic_load_explicit(
		    &q->slots[pos & q->mask].seq, memory_order_acquire);
		diff = (int64_t)(seq - pos);
		if (diff == 0) {
			/* On failure pos is reloaded with the current tail. */
			if (atomic_compare_exchange_weak_explicit(&q->tail,
			        &pos, pos + 1, memory_order_relaxed,
			        memory_order_relaxed)) {
				*ticket = pos;
				return 0;
			}
		} else if (diff < 0) {
			/* The slot still holds the event from one lap ago. */
			return -1;
		} else {
			/* Another producer took pos: look at the new tail. */
			pos = atomic_load_explicit(
			    &q->tail, memory_order_relaxed);
		}
	}
}

/* A spin-wait hint to the CPU. */
static inline void
evq_pause(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ __volatile__("yield");
#endif
}

/* Pause the calling producer briefly while the ring is full. */
static void
evq_backoff(unsigned int round)
{
	if (round < EVQ_SPINS_BEFORE_YIELD)
		evq_pause();
	else
		sched_yield();
}

/* Claim a ticket, waiting up to the push timeout for space; 0 or -1. */
static int
evq_claim(struct evq *q, uint64_t *ticket)
{
	uint64_t timeout, deadline, now;
	unsigned int round;

	if (evq_try_claim(q, ticket) == 0)
		return 0;
	timeout =
	    atomic_load_explicit(&q->push_timeout_ns, memory_order_relaxed);
	if (timeout == 0)
		return -1;
	now = clock_now_ns();
	deadline = timeout > UINT64_MAX - now ? UINT64_MAX : now + timeout;
	for (round = 0;; round++) {
		/* A full ring needs the consumer awake. */
		evq_wake(q);
		evq_backoff(round);
		if (evq_try_claim(q, ticket) == 0)
			return 0;
		if (round >= EVQ_SPINS_BEFORE_YIELD &&
		    clock_now_ns() >= deadline)
			return -1;
	}
}

int
evq_push(struct evq *q, const struct event *ev)
{
	struct evq_slot *slot;
	uint64_t ticket;

	if (evq_claim(q, &ticket) != 0) {
		atomic_fetch_add_explicit(&q->dropped, 1, memory_order_relaxed);
		return -1;
	}
	slot = &q->slots[ticket & q->mask];
	slot->ev = *ev;
	atomic_store_explicit(&slot->seq, ticket + 1, memory_order_release);
	evq_wake(q);
	return 0;
}

/* Whether the oldest event has been published; consumer side. */
static int
evq_ready(struct evq *q)
{
	uint64_t seq;

	seq = atomic_load_explicit(
	    &q->slots[q->head & q->mask].seq, memory_order_acquire);
	return seq == q->head + 1;
}

size_t
evq_pop(struct evq *q, struct event *out, size_t max)
{
	struct evq_slot *slot;
	uint64_t head = q->head, seq;
	size_t n;

	for (n = 0; n < max; n++) {
		slot = &q->slots[head & q->mask];
		seq = atomic_load_explicit(&slot->seq, memory_order_acquire);
		if (seq != head + 1)
			break; /* empty, or its producer has not published */
		out[n] = slot->ev;
		atomic_store_explicit(
		    &slot->seq, head + q->mask + 1, memory_order_release);
		head++;
	}
	q->head = head;
	return n;
}

int
evq_wake_fd(const struct evq *q)
{
	return q->rfd;
}

int
evq_arm(struct evq *q)
{
	atomic_store(&q->sleeping, 1);
	/* Pairs with the fence in evq_wake: see the top of the file. */
	atomic_thread_fence(memory_order_seq_cst);
	if (!evq_ready(q))
		return 0;
	/* Not going to sleep after all. */
	atomic_store(&q->sleeping, 0);
	return 1;
}

void
evq_disarm(struct evq *q)
{
	uint64_t buf[8];
	ssize_t n;

	atomic_store(&q->sleeping, 0);
	/* Drain the descriptor so the next poll() sleeps. One read empties
	 * an eventfd; a pipe is read until it would block. */
	for (;;) {
		n = read(q->rfd, buf, sizeof buf);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0 || q->rfd == q->wfd)
			break;
	}
}

/* Milliseconds for poll() until deadline (ns), rounded up; -1 for none. */
static int
evq_poll_ms(uint64_t deadline, uint64_t now)
{
	uint64_t ms;

	if (deadline == UINT64_MAX)
		return -1;
	if (now >= deadline)
		return 0;
	ms = (deadline - now + 999999) / 1000000;
	return ms > INT_MAX ? INT_MAX : (int)ms;
}

/* Look for an event for a moment before going to sleep: in a busy stream a
 * producer usually publishes within a few hundred nanoseconds, and waiting
 * that long is cheaper than a sleep and a write for the producer. */
static int
evq_spin_ready(struct evq *q)
{
	int i;

	for (i = 0; i < EVQ_WAIT_SPINS; i++) {
		if (evq_ready(q))
			return 1;
		evq_pause();
	}
	sched_yield();
	return evq_ready(q);
}

int
evq_wait(struct evq *q, int timeout_ms)
{
	struct pollfd pfd;
	uint64_t deadline = UINT64_MAX, now;

	if (evq_spin_ready(q))
		return 1;
	if (timeout_ms >= 0)
		deadline = clock_now_ns() + (uint64_t)timeout_ms * 1000000;
	for (;;) {
		if (evq_arm(q))
			return 1;
		now = deadline == UINT64_MAX ? 0 : clock_now_ns();
		if (deadline != UINT64_MAX && now >= deadline) {
			evq_disarm(q);
			return 0;
		}
		pfd.fd = q->rfd;
		pfd.events = POLLIN;
		pfd.revents = 0;
		(void)poll(&pfd, 1, evq_poll_ms(deadline, now));
		evq_disarm(q);
		/* Woken, timed out or interrupted: look before sleeping again. */
		if (evq_ready(q))
			return 1;
	}
}

uint64_t
evq_dropped(const struct evq *q)
{
	return atomic_load_explicit(&q->dropped, memory_order_relaxed);
}

uint64_t
evq_wakeups(const struct evq *q)
{
	return atomic_load_explicit(&q->wakeups, memory_order_relaxed);
}
