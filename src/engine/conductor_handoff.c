/*
 * The conductor's handoff between threads.
 *
 * Handoff. Each thread has a slot with two futex words, grant and park,
 * laid out as (sequence << 1) | sleeper bit. One side advances a word
 * (conductor_signal) and the other waits for its sequence to change
 * (conductor_wait): it spins briefly (pause, or sched_yield when CPUs are
 * short), then sets the sleeper bit with a compare-and-swap and sleeps in
 * FUTEX_WAIT. The
 * signalling side advances the word with a compare-and-swap too, so both
 * updates fall in one modification order: either the waiter's bit is set
 * first and the signaller sees it and calls FUTEX_WAKE, or the waiter's CAS
 * fails and it sees the new sequence. FUTEX_WAKE is only called when the
 * bit was set. The advance is a release and the waiter's load an acquire,
 * so ThreadSanitizer (which cannot see futexes) sees the happens-before.
 */
#include <limits.h>
#include <sched.h>
#include <stdatomic.h>
#include <time.h>
#include <unistd.h>

#ifdef __linux__
#include <linux/futex.h>
#include <sys/syscall.h>
#endif

#include "conductor_impl.h"
#include "util.h"

/* Tell the CPU we are spinning. */
static inline void
conductor_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ __volatile__("yield" ::: "memory");
#else
	__asm__ __volatile__("" ::: "memory");
#endif
}

/* Sleep while *w still holds val (until a wake, or spuriously). */
static void
conductor_futex_wait(_Atomic uint32_t *w, uint32_t val)
{
#ifdef __linux__
	syscall(
	    SYS_futex, (uint32_t *)w, FUTEX_WAIT_PRIVATE, val, NULL, NULL, 0);
#else
	struct timespec ts = {0, 1000 * 1000};

	if (atomic_load_explicit(w, memory_order_relaxed) == val)
		nanosleep(&ts, NULL);
#endif
}

/* Wake every thread sleeping on w. */
static void
conductor_futex_wake(_Atomic uint32_t *w)
{
#ifdef __linux__
	syscall(SYS_futex, (uint32_t *)w, FUTEX_WAKE_PRIVATE, INT_MAX, NULL,
	    NULL, 0);
#else
	(void)w;
#endif
}

/* Advance w's sequence (a release) and wake its waiter if it sleeps. */
void
conductor_signal(_Atomic uint32_t *w)
{
	uint32_t v = atomic_load_explicit(w, memory_order_relaxed);

	while (!atomic_compare_exchange_weak_explicit(
	    w, &v, (v | 1) + 1, memory_order_release, memory_order_relaxed))
		;
	if (v & 1)
		conductor_futex_wake(w);
}

/* Take a spin token if fewer than the budget of threads hold one; an
 * heir may take one more (see conductor_wait_grant). */
static int
conductor_spin_take(struct conductor *c, int heir)
{
	/* In a direct handoff the controller sleeps: one CPU runs the
	 * baton holder, the others can spin for the next. */
	int budget = (atomic_load_explicit(&c->direct, memory_order_relaxed)
	                     ? c->direct_budget
	                     : c->spin_budget) +
	    (heir ? 1 : 0);
	int n = atomic_load_explicit(&c->spinners, memory_order_relaxed);

	while (n < budget)
		if (atomic_compare_exchange_weak_explicit(&c->spinners, &n,
		        n + 1, memory_order_relaxed, memory_order_relaxed))
			return 1;
	return 0;
}

static void
conductor_spin_give(struct conductor *c)
{
	atomic_fetch_sub_explicit(&c->spinners, 1, memory_order_relaxed);
}

/* 1 once w's sequence is no longer seq or (if cancellable) the run is
 * cancelled; *rc says which (0 or -1). */
static int
conductor_settled(const struct conductor *c, _Atomic uint32_t *w, uint32_t seq,
    int cancellable, uint32_t *v, int *rc)
{
	*v = atomic_load_explicit(w, memory_order_acquire);
	if (cancellable &&
	    atomic_load_explicit(&c->cancelled, memory_order_acquire))
		*rc = -1;
	else if ((*v >> 1) != seq)
		*rc = 0;
	else
		return 0;
	return 1;
}

/* 1 if this wait should skip busy waiting (and count it down). */
static int
conductor_skip_busy(struct conductor *c)
{
	unsigned int n =
	    atomic_load_explicit(&c->skip_busy, memory_order_relaxed);

	if (n == 0)
		return 0;
	atomic_store_explicit(&c->skip_busy, n - 1, memory_order_relaxed);
	return 1;
}

/* Busy-wait for a change: pause rounds if a spin token is free, then
 * sched_yield rounds. Returns 1 with *rc set if it settled. */
static int
conductor_busy_wait(struct conductor *c, struct conductor_slot *self,
    _Atomic uint32_t *w, uint32_t seq, int flags, int *rc)
{
	int cancellable = (flags & CONDUCTOR_WAIT_CANCEL) != 0;
	uint64_t end;
	uint32_t v;
	int i;

	if (!(flags & CONDUCTOR_WAIT_YIELD) && self != NULL && c->direct_free &&
	    atomic_load_explicit(&c->direct, memory_order_relaxed)) {
		/* Every worker has a CPU and the controller sleeps. */
		for (i = 0; i < CONDUCTOR_SPINS; i++) {
			if (conductor_settled(c, w, seq, cancellable, &v, rc))
				return 1;
			conductor_relax();
		}
	} else if (!(flags & CONDUCTOR_WAIT_YIELD) &&
	    conductor_spin_take(c, (flags & CONDUCTOR_WAIT_HEIR) != 0)) {
		if (self != NULL)
			atomic_store_explicit(
			    &self->spinning, 1, memory_order_relaxed);
		for (i = 0; i < CONDUCTOR_SPINS; i++) {
			if (conductor_settled(c, w, seq, cancellable, &v, rc))
				break;
			conductor_relax();
		}
		if (self != NULL)
			atomic_store_explicit(
			    &self->spinning, 0, memory_order_relaxed);
		conductor_spin_give(c);
		if (i < CONDUCTOR_SPINS)
			return 1;
	}
	end = clock_now_ns() + CONDUCTOR_YIELD_NS;
	for (i = 0; i < CONDUCTOR_YIELDS; i++) {
		if (conductor_settled(c, w, seq, cancellable, &v, rc))
			return 1;
		sched_yield();
		if (clock_now_ns() >= end)
			break;
	}
	return 0;
}

/*
 * Wait until w's sequence is no longer seq. Returns 0, or -1 if cancelled.
 *
 * Busy waiting only pays if the thread we wait for has a CPU, so at most
 * spin_budget waiters spin with pause at a time; the others, and a spinner
 * whose rounds are up, spin with sched_yield (which lets any runnable thread
 * have this CPU) for at most CONDUCTOR_YIELD_NS, then sleep on the futex.
 * When busy waiting fails, the step was long or the peer had no CPU (a
 * loaded machine, where spinning and yielding only feed other work while
 * a futex sleeper is woken at once), so the next CONDUCTOR_SKIP_WAITS
 * waits sleep straight away.
 */
static int
conductor_wait_in(struct conductor *c, struct conductor_slot *self,
    _Atomic uint32_t *w, uint32_t seq, int flags)
{
	int cancellable = (flags & CONDUCTOR_WAIT_CANCEL) != 0;
	uint32_t v;
	int rc;

	if (flags & CONDUCTOR_WAIT_SLEEP) {
		/* straight to the futex */
	} else if (flags & CONDUCTOR_WAIT_YIELD) {
		if (conductor_busy_wait(c, self, w, seq, flags, &rc))
			return rc;
	} else if (!conductor_skip_busy(c)) {
		if (conductor_busy_wait(c, self, w, seq, flags, &rc))
			return rc;
		/* The peer was slow: a long step, or no CPU for it. */
		atomic_store_explicit(
		    &c->skip_busy, CONDUCTOR_SKIP_WAITS, memory_order_relaxed);
	}
	for (;;) {
		if (conductor_settled(c, w, seq, cancellable, &v, &rc))
			return rc;
		if ((v & 1) == 0 &&
		    !atomic_compare_exchange_weak_explicit(w, &v, v | 1,
		        memory_order_relaxed, memory_order_relaxed))
			continue;
		conductor_futex_wait(w, v | 1);
	}
}

int
conductor_wait_word(
    struct conductor *c, _Atomic uint32_t *w, uint32_t seq, int flags)
{
	return conductor_wait_in(c, NULL, w, seq, flags);
}

/*
 * Worker t waits for its grant. In a direct handoff, a worker that has
 * just handed the baton to a thread that was spinning (heir) may spin
 * itself even though the budget looks spent: the token it would wait for
 * belongs to the thread now running, which gives it back in a moment.
 */
int
conductor_wait_grant(struct conductor *c, int t, uint32_t seq, int heir)
{
	struct conductor_slot *s = &c->slot[t];

	return conductor_wait_in(c, s, &s->grant, seq,
	    CONDUCTOR_WAIT_CANCEL | (heir ? CONDUCTOR_WAIT_HEIR : 0));
}

int
conductor_wait(struct conductor *c, _Atomic uint32_t *w, uint32_t seq)
{
	return conductor_wait_word(c, w, seq, CONDUCTOR_WAIT_CANCEL);
}

/* The sequence number a futex word holds now. */
uint32_t
conductor_seq(_Atomic uint32_t *w)
{
	return atomic_load_explicit(w, memory_order_acquire) >> 1;
}
