/*
 * Event queue: one single-producer ring per producer thread, merged by the
 * consumer in timestamp order. See evq.h for the promises; this file says
 * how they are kept.
 *
 * Rings. rings[0] is made by evq_new and shared: producers that find no
 * free slot (or no memory for a ring) push to it under shared_lock, which
 * makes them one producer as far as the ring is concerned. Every other
 * ring belongs to one thread, registered on its first push to the queue:
 * the thread appends it under reg_lock and publishes the count. A
 * thread-local cache maps a queue's id (never reused, unlike its address)
 * to the thread's ring, so a push finds its ring with one compare.
 *
 * The merge. The consumer reads every ring's published tail (pass 1),
 * then reads them again (pass 2). The events that appeared in between
 * bound what may go out: from ring i, only pass-1 events older (by ts_ns)
 * than every event that appeared on another ring between the passes.
 * Why: say e1 (ring A) happened before e (ring B) and e is in pass 1. Then
 * e1's publication happened before pass 1 read B's tail, so pass 2 sees
 * e1. If pass 1 missed it, e1 appeared between the passes with
 * ts(e1) <= ts(e), so e is held back; otherwise both are in pass 1 and the
 * merge takes e1 first (events older than ts(e) on A come before e1 or are
 * e1). Events on the same ring as e come out in ring order anyway, so a
 * ring's own new events do not bound it. Held events go out on a later
 * pop. This needs each producer to stamp its events in push order from
 * CLOCK_MONOTONIC (conductor_emit does); two events with the very same
 * ts_ns on different rings come out in either order. An event whose
 * producer was preempted between reading the clock and publishing can
 * come out after younger events of other rings: nothing ordered them, and
 * nothing is clamped.
 *
 * A pop that finds producers mid-stream (events appeared between the
 * passes) and fewer than min_batch events ready takes none and says
 * so to evq_wait, which yields the CPU once: chasing the producers a few
 * events at a time costs every pop its cache misses and, with fewer cores
 * than threads, takes the CPU the producers need. When the stream pauses
 * the next pop takes everything, so nothing waits longer than that.
 *
 * Wake-ups are a Dekker pattern made asymmetric. The consumer stores
 * sleeping = 1, then issues a heavy barrier, then looks at every ring; a
 * producer publishes, issues a light barrier, then looks at sleeping.
 * With membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED) the heavy barrier
 * runs a full fence on every CPU running one of our threads, so the
 * producer's light barrier need only stop the compiler: either the
 * producer's store came before that fence and the consumer sees the
 * event, or the producer's load of sleeping comes after it and sees 1.
 * Without membarrier both barriers are seq_cst fences (one per push). The
 * producer that turns sleeping from 1 to 0 writes the descriptor, once,
 * so a busy stream costs no system call, and the consumer's barrier costs
 * one only when it is about to sleep.
 *
 * (A cheaper-looking rule, "look at sleeping only if the ring was empty
 * before this push", loses wake-ups: the producer sees an unconsumed
 * event, the consumer then takes it, arms, finds the ring empty because
 * the new tail is still in the producer's store buffer, and sleeps.)
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
#include <pthread.h>
#include <sched.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#if defined(HAVE_SYS_EVENTFD_H) && defined(HAVE_EVENTFD) &&                    \
    !defined(EVQ_FORCE_PIPE)
#define EVQ_USE_EVENTFD 1
#include <sys/eventfd.h>
#endif
#ifdef __linux__
#include <linux/membarrier.h>
#include <sys/syscall.h>
#endif

#include "spsc.h"
#include "util.h"

#define EVQ_CACHE_LINE         64
#define EVQ_MIN_CAPACITY       2
#define EVQ_MAX_CAPACITY       ((size_t)1 << 28)
#define EVQ_MAX_RINGS          128 /* rings[0] is the shared one */
#define EVQ_CACHE_WAYS         4   /* queues a thread remembers its ring for */
#define EVQ_POP_ROUNDS         4   /* pass pairs a pop tries before giving up */
#define EVQ_MIN_BATCH          64  /* events a pop waits for while streaming */
#define EVQ_DEFAULT_TIMEOUT_NS (50ULL * 1000 * 1000)
#define EVQ_SPINS_BEFORE_YIELD 1   /* a full ring: pauses before yielding */
#define EVQ_WAIT_SPINS         200 /* an empty queue: pauses before sleeping */

/* One producer's ring. */
struct evq_ring {
	struct spsc sp;
	/* The owning thread's evq_self id, 0 for the shared ring; fixed
	 * before the ring is published. */
	uint64_t owner;
	struct event slots[]; /* sp.mask + 1 of them */
};

struct evq {
	/* Fixed by evq_new, read-only afterwards. */
	alignas(EVQ_CACHE_LINE) uint64_t id; /* unique for the process */
	uint64_t capacity;                   /* per ring */
	uint64_t min_batch; /* EVQ_MIN_BATCH, or less for small rings */
	int rfd;            /* the consumer polls and drains this */
	int wfd; /* producers write this; equal to rfd for an eventfd */
	/*
	 * Rings registered. A producer appends rings[nrings] under reg_lock,
	 * then stores nrings with release; everyone else loads nrings with
	 * acquire and reads rings[i] only below it. Slots never change once
	 * published; evq_free frees them.
	 */
	_Atomic unsigned int nrings;
	struct evq_ring *rings[EVQ_MAX_RINGS];
	pthread_mutex_t reg_lock;    /* serialises registrations */
	pthread_mutex_t shared_lock; /* held around each push to rings[0] */

	/*
	 * 1 while the consumer is asleep or about to be. The consumer sets it
	 * (evq_arm) and clears it (evq_disarm); a producer that finds it set
	 * after publishing clears it with an exchange and, if it won, writes
	 * the wake descriptor. Read by producers on every push, written only
	 * around sleeps, so the line stays shared while the stream is busy.
	 */
	alignas(EVQ_CACHE_LINE) _Atomic int sleeping;
	/* Events dropped: producers add (relaxed), anyone reads. */
	_Atomic uint64_t dropped;
	/* Writes to the wake descriptor: producers add (relaxed). */
	_Atomic uint64_t wakeups;
	/* Push timeout in ns: any thread stores, producers load (relaxed). */
	_Atomic uint64_t push_timeout_ns;

	/* The consumer's alone: whether the last pop held every event back,
	 * and each ring's tail at the last two passes. */
	alignas(EVQ_CACHE_LINE) int held;
	uint64_t pass1[EVQ_MAX_RINGS];
	uint64_t pass2[EVQ_MAX_RINGS];
};

/* A thread's memory of its ring in one queue. */
struct evq_cached {
	uint64_t id; /* the queue's id; 0: empty */
	struct evq_ring *ring;
};

/* Per thread: its rings, most recently used first, and its id. */
static _Thread_local struct evq_cached evq_cache[EVQ_CACHE_WAYS];
static _Thread_local uint64_t evq_self;

/* Id sources: fetch_add only, so every queue and thread gets its own. */
static _Atomic uint64_t evq_next_id = 1;
static _Atomic uint64_t evq_next_thread = 1;

/* 1 if membarrier() is registered: set once by evq_setup, before any
 * queue exists, and only read (relaxed) afterwards. */
static _Atomic int evq_asymmetric;
static pthread_once_t evq_once = PTHREAD_ONCE_INIT;

/* Register for private expedited membarrier, if the kernel has it. */
static void
evq_setup(void)
{
#if defined(__linux__) && defined(SYS_membarrier)
	long cmds = syscall(SYS_membarrier, MEMBARRIER_CMD_QUERY, 0, 0);

	if (cmds > 0 && (cmds & MEMBARRIER_CMD_PRIVATE_EXPEDITED) &&
	    syscall(SYS_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED,
	        0, 0) == 0)
		atomic_store_explicit(&evq_asymmetric, 1, memory_order_relaxed);
#endif
}

/* The producer's side of the wake-up barrier pair (top of the file). */
static inline void
evq_light_barrier(void)
{
	if (atomic_load_explicit(&evq_asymmetric, memory_order_relaxed))
		atomic_signal_fence(memory_order_seq_cst);
	else
		atomic_thread_fence(memory_order_seq_cst);
}

/* The consumer's side of the wake-up barrier pair. */
static void
evq_heavy_barrier(void)
{
	atomic_thread_fence(memory_order_seq_cst);
#if defined(__linux__) && defined(SYS_membarrier)
	if (atomic_load_explicit(&evq_asymmetric, memory_order_relaxed))
		(void)syscall(
		    SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0);
#endif
}

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

/* A new empty ring of cap slots owned by owner, or NULL. */
static struct evq_ring *
evq_ring_new(uint64_t cap, uint64_t owner)
{
	struct evq_ring *r;
	void *mem;

	if (posix_memalign(&mem, EVQ_CACHE_LINE,
	        sizeof *r + cap * sizeof r->slots[0]) != 0)
		return NULL;
	r = mem;
	spsc_init(&r->sp, cap);
	r->owner = owner;
	return r;
}

struct evq *
evq_new(size_t capacity)
{
	struct evq *q;
	void *mem;
	size_t cap = EVQ_MIN_CAPACITY;

	if (capacity > EVQ_MAX_CAPACITY)
		return NULL;
	while (cap < capacity)
		cap <<= 1;
	pthread_once(&evq_once, evq_setup);

	if (posix_memalign(&mem, EVQ_CACHE_LINE, sizeof *q) != 0)
		return NULL;
	q = mem;
	memset(q, 0, sizeof *q);
	q->rings[0] = evq_ring_new(cap, 0);
	if (q->rings[0] == NULL || evq_open_fds(q) != 0) {
		free(q->rings[0]);
		free(q);
		return NULL;
	}
	q->id = atomic_fetch_add(&evq_next_id, 1);
	q->capacity = cap;
	q->min_batch = cap / 2 < EVQ_MIN_BATCH ? cap / 2 : EVQ_MIN_BATCH;
	atomic_init(&q->nrings, 1);
	pthread_mutex_init(&q->reg_lock, NULL);
	pthread_mutex_init(&q->shared_lock, NULL);
	atomic_init(&q->sleeping, 0);
	atomic_init(&q->dropped, 0);
	atomic_init(&q->wakeups, 0);
	atomic_init(&q->push_timeout_ns, EVQ_DEFAULT_TIMEOUT_NS);
	return q;
}

void
evq_free(struct evq *q)
{
	unsigned int i, n;

	if (q == NULL)
		return;
	if (q->wfd != q->rfd)
		close(q->wfd);
	close(q->rfd);
	n = atomic_load_explicit(&q->nrings, memory_order_acquire);
	for (i = 0; i < n; i++)
		free(q->rings[i]);
	pthread_mutex_destroy(&q->reg_lock);
	pthread_mutex_destroy(&q->shared_lock);
	free(q);
}

void
evq_set_push_timeout(struct evq *q, uint64_t ns)
{
	atomic_store_explicit(&q->push_timeout_ns, ns, memory_order_relaxed);
}

/* The calling thread's registered ring in q, or NULL. */
static struct evq_ring *
evq_find_own(struct evq *q)
{
	unsigned int i, n;

	if (evq_self == 0)
		return NULL;
	n = atomic_load_explicit(&q->nrings, memory_order_acquire);
	for (i = 1; i < n; i++)
		if (q->rings[i]->owner == evq_self)
			return q->rings[i];
	return NULL;
}

/* Register a ring for the calling thread; the shared ring if every slot is
 * taken or there is no memory for one. */
static struct evq_ring *
evq_register(struct evq *q)
{
	struct evq_ring *r = NULL;
	unsigned int n;

	if (evq_self == 0)
		evq_self = atomic_fetch_add(&evq_next_thread, 1);
	pthread_mutex_lock(&q->reg_lock);
	n = atomic_load_explicit(&q->nrings, memory_order_relaxed);
	if (n < EVQ_MAX_RINGS)
		r = evq_ring_new(q->capacity, evq_self);
	if (r != NULL) {
		q->rings[n] = r;
		atomic_store_explicit(&q->nrings, n + 1, memory_order_release);
	}
	pthread_mutex_unlock(&q->reg_lock);
	return r != NULL ? r : q->rings[0];
}

/* The calling thread's ring in q, found in or added to its cache: the
 * slow path of evq_my_ring. */
static struct evq_ring *
evq_lookup(struct evq *q)
{
	struct evq_cached hit = {0, NULL};
	int i, way = EVQ_CACHE_WAYS - 1;

	for (i = 1; i < EVQ_CACHE_WAYS; i++) {
		if (evq_cache[i].id == q->id) {
			hit = evq_cache[i];
			way = i;
			break;
		}
	}
	if (hit.ring == NULL) {
		hit.id = q->id;
		hit.ring = evq_find_own(q);
		if (hit.ring == NULL)
			hit.ring = evq_register(q);
	}
	/* Move to the front; the last way falls out on a miss. */
	for (i = way; i > 0; i--)
		evq_cache[i] = evq_cache[i - 1];
	evq_cache[0] = hit;
	return hit.ring;
}

/* The calling thread's ring in q. */
static inline struct evq_ring *
evq_my_ring(struct evq *q)
{
	if (evq_cache[0].id == q->id)
		return evq_cache[0].ring;
	return evq_lookup(q);
}

/* Wake the consumer if it has announced that it sleeps; producer side. */
static void
evq_wake_slow(struct evq *q)
{
	static const uint64_t one = 1;
	ssize_t n;

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

/* After publishing: wake the consumer if it sleeps (top of the file). */
static inline void
evq_wake(struct evq *q)
{
	evq_light_barrier();
	if (atomic_load_explicit(&q->sleeping, memory_order_relaxed) != 0)
		evq_wake_slow(q);
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

/* Reserve a slot in r, taking lock (if not NULL) first; on success the
 * lock stays held. 0, or -1 when the ring is full. */
static int
evq_try_reserve(struct evq_ring *r, pthread_mutex_t *lock, uint64_t *slot)
{
	if (lock != NULL)
		pthread_mutex_lock(lock);
	if (spsc_reserve(&r->sp, slot) == 0)
		return 0;
	if (lock != NULL)
		pthread_mutex_unlock(lock);
	return -1;
}

/* Reserve a slot, waiting up to the push timeout for space; 0 or -1. The
 * consumer is kept awake meanwhile: a full ring needs it. */
static int
evq_reserve_wait(
    struct evq *q, struct evq_ring *r, pthread_mutex_t *lock, uint64_t *slot)
{
	uint64_t timeout, deadline, now;
	unsigned int round;

	timeout =
	    atomic_load_explicit(&q->push_timeout_ns, memory_order_relaxed);
	if (timeout == 0)
		return -1;
	now = clock_now_ns();
	deadline = timeout > UINT64_MAX - now ? UINT64_MAX : now + timeout;
	for (round = 0;; round++) {
		evq_wake(q);
		if (round < EVQ_SPINS_BEFORE_YIELD)
			evq_pause();
		else
			sched_yield();
		if (evq_try_reserve(r, lock, slot) == 0)
			return 0;
		if (round >= EVQ_SPINS_BEFORE_YIELD &&
		    clock_now_ns() >= deadline)
			return -1;
	}
}

/*
 * Copy an event into a slot field by field. The caller has usually just
 * built ev with narrow stores still in the store buffer; a 16-byte load
 * across two of them cannot be forwarded and waits for the whole buffer,
 * slot writes to lines the consumer holds included, to drain.
 */
static inline void
evq_copy(struct event *restrict dst, const struct event *restrict src)
{
	dst->ts_ns = src->ts_ns;
	dst->a = src->a;
	dst->b = src->b;
	dst->step = src->step;
	dst->line = src->line;
	dst->thread = src->thread;
	dst->kind = src->kind;
}

int
evq_push(struct evq *q, const struct event *ev)
{
	struct evq_ring *r = evq_my_ring(q);
	pthread_mutex_t *lock = r->owner == 0 ? &q->shared_lock : NULL;
	uint64_t slot;

	if (evq_try_reserve(r, lock, &slot) != 0 &&
	    evq_reserve_wait(q, r, lock, &slot) != 0) {
		atomic_fetch_add_explicit(&q->dropped, 1, memory_order_relaxed);
		return -1;
	}
	evq_copy(&r->slots[slot], ev);
	spsc_publish(&r->sp);
	if (lock != NULL)
		pthread_mutex_unlock(lock);
	evq_wake(q);
	return 0;
}

/* Whether any ring holds a published, unconsumed event; consumer side. */
static int
evq_ready(struct evq *q)
{
	unsigned int i, n;

	n = atomic_load_explicit(&q->nrings, memory_order_acquire);
	for (i = 0; i < n; i++)
		if (spsc_published(&q->rings[i]->sp) !=
		    spsc_consumed(&q->rings[i]->sp))
			return 1;
	return 0;
}

/* The timestamp of ring r's event number n. */
static inline uint64_t
evq_ts(const struct evq_ring *r, uint64_t n)
{
	return r->slots[n & r->sp.mask].ts_ns;
}

/* The bounds of a pass pair. */
struct evq_bound {
	uint64_t min;    /* the oldest event between the passes */
	unsigned int at; /* its ring */
	uint64_t other;  /* the oldest on any other ring */
	uint64_t fresh;  /* events that appeared between the passes */
	uint64_t ready;  /* pass-1 events not yet consumed */
};

/* Pass 2: read every ring's tail into pass2 (rings new since pass 1 start
 * from where they are consumed) and find the oldest events that appeared
 * since pass 1. Updates *n to the rings now registered. */
static struct evq_bound
evq_pass2(struct evq *q, unsigned int *n)
{
	struct evq_bound b = {UINT64_MAX, 0, UINT64_MAX, 0, 0};
	unsigned int i, n2;
	uint64_t k, ts, min;

	n2 = atomic_load_explicit(&q->nrings, memory_order_acquire);
	for (i = *n; i < n2; i++)
		q->pass1[i] = spsc_consumed(&q->rings[i]->sp);
	*n = n2;
	for (i = 0; i < n2; i++)
		q->pass2[i] = spsc_published(&q->rings[i]->sp);
	for (i = 0; i < n2; i++) {
		b.fresh += q->pass2[i] - q->pass1[i];
		b.ready += q->pass1[i] - spsc_consumed(&q->rings[i]->sp);
		min = UINT64_MAX;
		for (k = q->pass1[i]; k != q->pass2[i]; k++) {
			ts = evq_ts(q->rings[i], k);
			if (ts < min)
				min = ts;
		}
		if (min < b.min) {
			b.other = b.min;
			b.min = min;
			b.at = i;
		} else if (min < b.other)
			b.other = min;
	}
	return b;
}

/* The bound for ring i: its pass-1 events older than this may go. */
static inline uint64_t
evq_bound_for(const struct evq_bound *b, unsigned int i)
{
	return i == b->at ? b->other : b->min;
}

/* One ring taking part in a merge. */
struct evq_lane {
	struct evq_ring *r;
	uint64_t head;  /* next event to take */
	uint64_t end;   /* its pass-1 tail */
	uint64_t bound; /* take only events older than this */
	uint64_t ts;    /* the head's timestamp */
};

/* Copy ring lane l's eligible events out in bulk, up to max; returns how
 * many and advances l->head. */
static size_t
evq_take_all(struct evq_lane *l, struct event *out, size_t max)
{
	uint64_t mask = l->r->sp.mask, n = l->end - l->head, k, first;

	if (l->bound != UINT64_MAX) {
		for (k = 0; k < n && evq_ts(l->r, l->head + k) < l->bound; k++)
			;
		n = k;
	}
	if (n > max)
		n = max;
	first = mask + 1 - (l->head & mask);
	if (first > n)
		first = n;
	memcpy(out, &l->r->slots[l->head & mask], first * sizeof *out);
	memcpy(out + first, &l->r->slots[0], (n - first) * sizeof *out);
	l->head += n;
	return (size_t)n;
}

/* Merge nl lanes' events out, oldest first, up to max; the lanes' heads
 * advance. Each round takes a run from the oldest lane until it passes
 * the next oldest. */
static size_t
evq_take_merged(
    struct evq_lane *ls, unsigned int nl, struct event *out, size_t max)
{
	struct evq_lane *l;
	size_t got = 0;
	uint64_t second, ts;
	unsigned int j, best;

	while (got < max && nl > 0) {
		best = 0;
		second = UINT64_MAX;
		for (j = 1; j < nl; j++) {
			if (ls[j].ts < ls[best].ts) {
				second = ls[best].ts;
				best = j;
			} else if (ls[j].ts < second)
				second = ls[j].ts;
		}
		l = &ls[best];
		do {
			out[got++] = l->r->slots[l->head & l->r->sp.mask];
			l->head++;
			ts = l->head != l->end ? evq_ts(l->r, l->head)
			                       : UINT64_MAX;
		} while (got < max && ts < l->bound && ts <= second);
		if (ts >= l->bound) {
			/* Done with this lane: put it out of the way. */
			spsc_release(&l->r->sp, l->head);
			ls[best] = ls[--nl];
		} else
			l->ts = ts;
	}
	for (j = 0; j < nl; j++)
		spsc_release(&ls[j].r->sp, ls[j].head);
	return got;
}

/* Deliver what pass 1 and the bounds allow, oldest first, up to max. */
static size_t
evq_merge(struct evq *q, unsigned int n, const struct evq_bound *b,
    struct event *out, size_t max)
{
	struct evq_lane ls[EVQ_MAX_RINGS];
	unsigned int i, nl = 0;
	size_t got;

	for (i = 0; i < n; i++) {
		struct evq_lane *l = &ls[nl];

		l->r = q->rings[i];
		l->head = spsc_consumed(&l->r->sp);
		l->end = q->pass1[i];
		if (l->head == l->end)
			continue;
		l->bound = evq_bound_for(b, i);
		l->ts = evq_ts(l->r, l->head);
		if (l->ts < l->bound)
			nl++;
	}
	if (nl == 0)
		return 0;
	if (nl > 1)
		return evq_take_merged(ls, nl, out, max);
	got = evq_take_all(&ls[0], out, max);
	spsc_release(&ls[0].r->sp, ls[0].head);
	return got;
}

size_t
evq_pop(struct evq *q, struct event *out, size_t max)
{
	struct evq_bound b;
	unsigned int i, n, round;
	size_t got = 0;
	int pending;

	if (max == 0)
		return 0;
	n = atomic_load_explicit(&q->nrings, memory_order_acquire);
	for (i = 0; i < n; i++)
		q->pass1[i] = spsc_published(&q->rings[i]->sp);
	for (round = 0; round < EVQ_POP_ROUNDS; round++) {
		b = evq_pass2(q, &n);
		if (round == 0 && b.fresh > 0 && b.ready < q->min_batch &&
		    max >= q->min_batch) {
			/* Producers are mid-stream and we are at their heels:
			 * taking a few events at a time would cost each pop
			 * its cache misses and steal their CPU. Let a batch
			 * build up (evq_wait yields meanwhile). */
			q->held = 1;
			return 0;
		}
		got = evq_merge(q, n, &b, out, max);
		if (got > 0)
			break;
		/* All held back by newer arrivals: they are pass 1 now. */
		pending = 0;
		for (i = 0; i < n; i++) {
			q->pass1[i] = q->pass2[i];
			pending |=
			    q->pass1[i] != spsc_consumed(&q->rings[i]->sp);
		}
		if (!pending)
			break;
	}
	q->held = got == 0 && pending;
	return got;
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
	/* Pairs with evq_light_barrier in evq_wake: top of the file. */
	evq_heavy_barrier();
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

	/* Events too fresh to order: their producers are mid-stream, so give
	 * them the CPU rather than spin (it matters on a machine with fewer
	 * cores than threads); the next pop will take them. */
	if (q->held) {
		q->held = 0;
		sched_yield();
		return 1;
	}
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

size_t
evq_producers(const struct evq *q)
{
	return atomic_load_explicit(&q->nrings, memory_order_acquire) - 1;
}
