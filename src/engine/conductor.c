/*
 * The conductor: step points, grants and teaching locks.
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
 *
 * Baton. In a controlled run exactly one thread acts at a time: the
 * controller between grants, a starting worker while the controller waits
 * in conductor_wait_parked(), or the granted worker until it parks again.
 * Each handoff is a release/acquire pair on a futex word, so whoever holds
 * the baton sees everything the previous holder wrote, and events come out
 * in one fixed order for a given schedule.
 *
 * Time. steps counts completed steps. A grant emits RUNNING (or IO) with
 * the current count; the worker's events during the step carry it too;
 * when the worker parks again or ends it increments steps first, so its
 * READY / LOCK_WAIT / DONE carries the new count.
 *
 * Cancel. conductor_cancel() sets cancelled and then advances every word,
 * so every waiter wakes, sees cancelled and returns -1. FUTEX_WAIT has no
 * timeout: a word only changes together with a wake, so a parked worker
 * costs nothing while a lesson sits paused.
 */
#include "conductor.h"

#include <limits.h>
#include <sched.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifdef __linux__
#include <linux/futex.h>
#include <sys/syscall.h>
#endif

#include "evq.h"
#include "util.h"

#define CONDUCTOR_CACHE_LINE 64
#define CONDUCTOR_SPINS      4000 /* pause rounds (~0.1 ms) with a token */
#define CONDUCTOR_YIELDS     1000 /* sched_yield rounds before sleeping */
#define CONDUCTOR_YIELD_NS   (200 * 1000) /* and at most this long */
#define CONDUCTOR_SKIP_WAITS 1024         /* then this many waits just sleep */

/* Where a thread is in its life. */
enum conductor_phase {
	PHASE_NEW,     /* not begun */
	PHASE_RUNNING, /* begun, between step points or taking a step */
	PHASE_PARKED,  /* at a step point, waiting for a grant (controlled) */
	PHASE_DONE     /* ended */
};

/* One worker's parking slot, a cache line (or two) of its own. */
struct conductor_slot {
	/* (seq << 1) | sleeper. The controller advances it to grant one step,
	 * conductor_cancel() to wake; worker t waits on it. */
	alignas(CONDUCTOR_CACHE_LINE) _Atomic uint32_t grant;
	/* (seq << 1) | sleeper. Worker t advances it when it parks, ends or
	 * (free run) begins, conductor_cancel() to wake; the controller waits
	 * on it. */
	_Atomic uint32_t park;
	/* enum conductor_phase: written by worker t (and by the controller,
	 * to PHASE_RUNNING, as it grants); read by anyone. */
	_Atomic int phase;
	/* The pending step point: written by worker t, read by anyone.
	 * Relaxed: in a controlled run the park word orders them. */
	_Atomic int op;
	_Atomic int line;
	_Atomic int64_t arg;
	/* Controlled runs: the lock t has been shown waiting for (its
	 * LOCK_WAIT emitted), or -1; and 1 once EV_LOCK_REQ for the pending
	 * OP_LOCK was emitted. Touched only by the baton holder; atomic so a
	 * caller that breaks the protocol gets wrong output, not a race. */
	_Atomic int lock_wait;
	_Atomic int lock_req;
	/* Controlled runs: the wait queue t is on (conductor_wait_on), or
	 * NULL, and its place in it (wake order). Written by the baton
	 * holder only, read by anyone (conductor_runnable). */
	_Atomic(const void *) waitq;
	_Atomic uint64_t wait_ticket;
	/* Worker t's alone: 1 while it takes a granted step. */
	int in_step;
};

struct conductor {
	struct conductor_slot slot[CONDUCTOR_MAX_THREADS];

	/* Fixed at creation. */
	int nthreads;
	enum policy policy;
	int quiet; /* emit nothing (set before any worker starts) */
	struct evq *q;
	int spin_budget; /* CPUs - 1 if there are more CPUs than workers */
	/* Waiters spinning with pause now (at most spin_budget): taken and
	 * given back by any waiting thread. */
	_Atomic int spinners;
	/* Waits left that skip busy waiting (the machine looked loaded): a
	 * hint any waiter reads and writes; lost updates are harmless. */
	_Atomic unsigned int skip_busy;

	/* Written by conductor_lock_add() before the threads start. */
	int nlocks;
	char *lock_name[CONDUCTOR_MAX_LOCKS];
	/* Owner of each lock (0-based thread) or -1: written by the thread
	 * that takes or releases it, read by anyone. */
	_Atomic int lock_owner[CONDUCTOR_MAX_LOCKS];

	/* Tickets for wait queues, so wakes go first come, first served:
	 * the baton holder's alone. */
	uint64_t next_ticket;

	/* Completed steps: advanced by the baton holder, read by anyone. */
	_Atomic uint32_t steps;
	/* Set once by conductor_cancel(), from any thread; read by all. */
	_Atomic int cancelled;
	/* The random policy's splitmix64 state: the controller's alone. */
	uint64_t rng;
};

static const char *const conductor_names[CONDUCTOR_MAX_THREADS] = {"A", "B",
    "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N", "O", "P", "Q",
    "R", "S", "T", "U", "V", "W", "X", "Y", "Z", "AA", "AB", "AC", "AD", "AE",
    "AF", "AG", "AH", "AI", "AJ", "AK", "AL", "AM", "AN", "AO", "AP", "AQ",
    "AR", "AS", "AT", "AU", "AV", "AW", "AX", "AY", "AZ", "BA", "BB", "BC",
    "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BK", "BL"};

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
static void
conductor_signal(_Atomic uint32_t *w)
{
	uint32_t v = atomic_load_explicit(w, memory_order_relaxed);

	while (!atomic_compare_exchange_weak_explicit(
	    w, &v, (v | 1) + 1, memory_order_release, memory_order_relaxed))
		;
	if (v & 1)
		conductor_futex_wake(w);
}

/* Take a spin token if fewer than spin_budget threads hold one. */
static int
conductor_spin_take(struct conductor *c)
{
	int n = atomic_load_explicit(&c->spinners, memory_order_relaxed);

	while (n < c->spin_budget)
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

/* 1 once w's sequence is no longer seq or the run is cancelled; *rc says
 * which (0 or -1). */
static int
conductor_settled(const struct conductor *c, _Atomic uint32_t *w, uint32_t seq,
    uint32_t *v, int *rc)
{
	*v = atomic_load_explicit(w, memory_order_acquire);
	if (atomic_load_explicit(&c->cancelled, memory_order_acquire))
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
conductor_busy_wait(
    struct conductor *c, _Atomic uint32_t *w, uint32_t seq, int *rc)
{
	uint64_t end;
	uint32_t v;
	int i;

	if (conductor_spin_take(c)) {
		for (i = 0; i < CONDUCTOR_SPINS; i++) {
			if (conductor_settled(c, w, seq, &v, rc))
				break;
			conductor_relax();
		}
		conductor_spin_give(c);
		if (i < CONDUCTOR_SPINS)
			return 1;
	}
	end = clock_now_ns() + CONDUCTOR_YIELD_NS;
	for (i = 0; i < CONDUCTOR_YIELDS; i++) {
		if (conductor_settled(c, w, seq, &v, rc))
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
conductor_wait(struct conductor *c, _Atomic uint32_t *w, uint32_t seq)
{
	uint32_t v;
	int rc;

	if (!conductor_skip_busy(c)) {
		if (conductor_busy_wait(c, w, seq, &rc))
			return rc;
		/* The peer was slow: a long step, or no CPU for it. */
		atomic_store_explicit(
		    &c->skip_busy, CONDUCTOR_SKIP_WAITS, memory_order_relaxed);
	}
	for (;;) {
		if (conductor_settled(c, w, seq, &v, &rc))
			return rc;
		if ((v & 1) == 0 &&
		    !atomic_compare_exchange_weak_explicit(w, &v, v | 1,
		        memory_order_relaxed, memory_order_relaxed))
			continue;
		conductor_futex_wait(w, v | 1);
	}
}

/* The sequence number a futex word holds now. */
static uint32_t
conductor_seq(_Atomic uint32_t *w)
{
	return atomic_load_explicit(w, memory_order_acquire) >> 1;
}

/* The calling thread's OS thread id (0 where there is none). */
static int64_t
conductor_os_tid(void)
{
#ifdef __linux__
	return (int64_t)syscall(SYS_gettid);
#else
	return 0;
#endif
}

static int
conductor_controlled(const struct conductor *c)
{
	return c->policy != POLICY_FREE;
}

static int
conductor_is_cancelled(const struct conductor *c)
{
	return atomic_load_explicit(&c->cancelled, memory_order_acquire);
}

struct conductor *
conductor_new(int nthreads, enum policy policy, uint64_t seed, struct evq *q)
{
	struct conductor *c;
	void *p;
	long ncpu;
	int i;

	if (nthreads < 0 || nthreads > CONDUCTOR_MAX_THREADS)
		return NULL;
	if (posix_memalign(&p, CONDUCTOR_CACHE_LINE, sizeof *c) != 0) {
		fputs("interleave: out of memory\n", stderr);
		abort();
	}
	c = p;
	memset(c, 0, sizeof *c);
	c->nthreads = nthreads;
	c->policy = policy;
	c->q = q;
	ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	/* Pause-spinning pays only when every thread has a CPU of its own;
	 * measured on 2 CPUs with 2 workers, yielding is faster. */
	c->spin_budget = ncpu > nthreads ? (int)ncpu - 1 : 0;
	atomic_init(&c->spinners, 0);
	atomic_init(&c->skip_busy, 0);
	c->rng = seed;
	for (i = 0; i < CONDUCTOR_MAX_THREADS; i++) {
		atomic_init(&c->slot[i].grant, 0);
		atomic_init(&c->slot[i].park, 0);
		atomic_init(&c->slot[i].phase, PHASE_NEW);
		atomic_init(&c->slot[i].op, OP_NONE);
		atomic_init(&c->slot[i].line, 0);
		atomic_init(&c->slot[i].arg, 0);
		atomic_init(&c->slot[i].lock_wait, -1);
		atomic_init(&c->slot[i].lock_req, 0);
		atomic_init(&c->slot[i].waitq, NULL);
		atomic_init(&c->slot[i].wait_ticket, 0);
	}
	for (i = 0; i < CONDUCTOR_MAX_LOCKS; i++)
		atomic_init(&c->lock_owner[i], -1);
	atomic_init(&c->steps, 0);
	atomic_init(&c->cancelled, 0);
	return c;
}

void
conductor_free(struct conductor *c)
{
	int i;

	if (c == NULL)
		return;
	for (i = 0; i < c->nlocks; i++)
		free(c->lock_name[i]);
	free(c);
}

enum policy
conductor_policy(const struct conductor *c)
{
	return c->policy;
}

int
conductor_nthreads(const struct conductor *c)
{
	return c->nthreads;
}

int
conductor_lock_add(struct conductor *c, const char *name)
{
	if (c->nlocks >= CONDUCTOR_MAX_LOCKS)
		return -1;
	c->lock_name[c->nlocks] = xstrdup(name);
	return c->nlocks++;
}

const char *
conductor_lock_name(const struct conductor *c, int lock)
{
	if (lock < 0 || lock >= c->nlocks)
		return "?";
	return c->lock_name[lock];
}

int
conductor_lock_owner(const struct conductor *c, int lock)
{
	if (lock < 0 || lock >= c->nlocks)
		return -1;
	return atomic_load_explicit(&c->lock_owner[lock], memory_order_acquire);
}

void
conductor_emit(struct conductor *c, int thread, enum ev_kind kind, int line,
    int64_t a, int64_t b)
{
	struct event ev;

	if (c->quiet)
		return;
	memset(&ev, 0, sizeof ev);
	ev.ts_ns = clock_now_ns();
	ev.a = a;
	ev.b = b;
	ev.step = atomic_load_explicit(&c->steps, memory_order_relaxed);
	ev.line = line;
	ev.thread = (uint16_t)thread;
	ev.kind = (uint16_t)kind;
	evq_push(c->q, &ev);
}

/* Record thread t's pending step point. */
static void
conductor_set_pending(
    struct conductor_slot *s, enum op_kind op, int64_t arg, int line)
{
	atomic_store_explicit(&s->op, (int)op, memory_order_relaxed);
	atomic_store_explicit(&s->arg, arg, memory_order_relaxed);
	atomic_store_explicit(&s->line, line, memory_order_relaxed);
}

/* The lock that blocks thread t's pending step, or -1 if none does. */
static int
conductor_blocking_lock(const struct conductor *c, int t)
{
	const struct conductor_slot *s = &c->slot[t];
	int64_t arg;

	if (atomic_load_explicit(&s->op, memory_order_relaxed) != OP_LOCK)
		return -1;
	arg = atomic_load_explicit(&s->arg, memory_order_relaxed);
	if (arg < 0 || arg >= c->nlocks)
		return -1;
	/* A held lock blocks even its owner: a default mutex self-deadlocks. */
	if (conductor_lock_owner(c, (int)arg) < 0)
		return -1;
	return (int)arg;
}

/* 1 if thread t is on a wait queue (controlled runs). */
static int
conductor_waiting(const struct conductor *c, int t)
{
	return atomic_load_explicit(&c->slot[t].waitq, memory_order_relaxed) !=
	    NULL;
}

/* Show thread t waiting for lock: EV_LOCK_REQ the first time, then
 * EV_STATE(TS_LOCK_WAIT). Baton holder only. */
static void
conductor_show_lock_wait(struct conductor *c, int t, int lock)
{
	struct conductor_slot *s = &c->slot[t];

	if (!atomic_load_explicit(&s->lock_req, memory_order_relaxed)) {
		atomic_store_explicit(&s->lock_req, 1, memory_order_relaxed);
		conductor_emit(c, t, EV_LOCK_REQ, 0, lock, 0);
	}
	atomic_store_explicit(&s->lock_wait, lock, memory_order_relaxed);
	conductor_emit(c, t, EV_STATE, 0, TS_LOCK_WAIT, lock);
}

void
conductor_thread_begin(struct conductor *c, int t)
{
	struct conductor_slot *s = &c->slot[t];

	atomic_store_explicit(&s->phase, PHASE_RUNNING, memory_order_release);
	if (!conductor_is_cancelled(c)) {
		conductor_emit(c, t, EV_THREAD_START, 0, conductor_os_tid(), 0);
		conductor_emit(c, t, EV_STATE, 0, TS_RUNNING, 0);
	}
	if (!conductor_controlled(c))
		conductor_signal(&s->park);
}

/* End worker t's granted step, if it is taking one: steps advances. */
static void
conductor_end_step(struct conductor *c, struct conductor_slot *s)
{
	if (s->in_step) {
		s->in_step = 0;
		atomic_fetch_add_explicit(&c->steps, 1, memory_order_relaxed);
	}
}

int
conductor_step_point(
    struct conductor *c, int t, enum op_kind op, int64_t arg, int line)
{
	struct conductor_slot *s = &c->slot[t];
	uint32_t seq;
	int lock;

	if (conductor_is_cancelled(c))
		return -1;
	conductor_set_pending(s, op, arg, line);
	if (!conductor_controlled(c))
		return 0;

	conductor_end_step(c, s);
	lock = conductor_blocking_lock(c, t);
	if (conductor_waiting(c, t))
		conductor_emit(c, t, EV_STATE, line, TS_COND_WAIT, 0);
	else if (lock >= 0)
		conductor_show_lock_wait(c, t, lock);
	else
		conductor_emit(c, t, EV_STATE, line, TS_READY, 0);

	/* Only the controller advances grant, and only once we are parked. */
	seq = conductor_seq(&s->grant);
	atomic_store_explicit(&s->phase, PHASE_PARKED, memory_order_release);
	conductor_signal(&s->park);
	if (conductor_wait(c, &s->grant, seq) != 0)
		return -1;
	s->in_step = 1;
	atomic_store_explicit(&s->op, OP_NONE, memory_order_relaxed);
	return 0;
}

void
conductor_lock_acquired(struct conductor *c, int t, int lock)
{
	struct conductor_slot *s = &c->slot[t];
	int u;

	if (lock < 0 || lock >= c->nlocks)
		return;
	atomic_store_explicit(&c->lock_owner[lock], t, memory_order_release);
	if (conductor_is_cancelled(c))
		return;
	if (!conductor_controlled(c)) {
		conductor_emit(c, t, EV_LOCK_ACQ, 0, lock, 0);
		return;
	}
	if (!atomic_load_explicit(&s->lock_req, memory_order_relaxed))
		conductor_emit(c, t, EV_LOCK_REQ, 0, lock, 0);
	atomic_store_explicit(&s->lock_req, 0, memory_order_relaxed);
	atomic_store_explicit(&s->lock_wait, -1, memory_order_relaxed);
	conductor_emit(c, t, EV_LOCK_ACQ, 0, lock, 0);

	/* Parked threads about to take this lock now wait for it. */
	for (u = 0; u < c->nthreads; u++) {
		s = &c->slot[u];
		if (u == t ||
		    atomic_load_explicit(&s->phase, memory_order_acquire) !=
		        PHASE_PARKED ||
		    conductor_blocking_lock(c, u) != lock ||
		    conductor_waiting(c, u) ||
		    atomic_load_explicit(&s->lock_wait, memory_order_relaxed) ==
		        lock)
			continue;
		conductor_show_lock_wait(c, u, lock);
	}
}

void
conductor_lock_released(struct conductor *c, int t, int lock)
{
	int u, owner = t;

	if (lock < 0 || lock >= c->nlocks)
		return;
	/* In a free run another thread may already have taken it. */
	atomic_compare_exchange_strong_explicit(&c->lock_owner[lock], &owner,
	    -1, memory_order_acq_rel, memory_order_relaxed);
	if (conductor_is_cancelled(c))
		return;
	conductor_emit(c, t, EV_LOCK_REL, 0, lock, 0);
	if (!conductor_controlled(c))
		return;
	for (u = 0; u < c->nthreads; u++) {
		if (atomic_load_explicit(
		        &c->slot[u].lock_wait, memory_order_relaxed) != lock)
			continue;
		atomic_store_explicit(
		    &c->slot[u].lock_wait, -1, memory_order_relaxed);
		conductor_emit(c, u, EV_STATE, 0, TS_READY, 0);
	}
}

void
conductor_wait_on(struct conductor *c, int t, const void *queue)
{
	struct conductor_slot *s = &c->slot[t];

	atomic_store_explicit(
	    &s->wait_ticket, c->next_ticket++, memory_order_relaxed);
	atomic_store_explicit(&s->waitq, queue, memory_order_relaxed);
}

/* The waiter on queue that came first, or -1. */
static int
conductor_first_waiter(const struct conductor *c, const void *queue)
{
	uint64_t best = UINT64_MAX;
	int u, first = -1;

	for (u = 0; u < c->nthreads; u++) {
		const struct conductor_slot *s = &c->slot[u];
		uint64_t ticket;

		if (atomic_load_explicit(&s->waitq, memory_order_relaxed) !=
		    queue)
			continue;
		ticket =
		    atomic_load_explicit(&s->wait_ticket, memory_order_relaxed);
		if (ticket < best) {
			best = ticket;
			first = u;
		}
	}
	return first;
}

int
conductor_wake(struct conductor *c, const void *queue, int all)
{
	int u, n = 0, lock;

	while (queue != NULL && (u = conductor_first_waiter(c, queue)) >= 0) {
		atomic_store_explicit(
		    &c->slot[u].waitq, NULL, memory_order_relaxed);
		n++;
		if (!conductor_is_cancelled(c)) {
			if ((lock = conductor_blocking_lock(c, u)) >= 0)
				conductor_show_lock_wait(c, u, lock);
			else
				conductor_emit(c, u, EV_STATE, 0, TS_READY, 0);
		}
		if (!all)
			break;
	}
	return n;
}

void
conductor_thread_end(struct conductor *c, int t)
{
	struct conductor_slot *s = &c->slot[t];

	conductor_set_pending(s, OP_NONE, 0, 0);
	if (!conductor_is_cancelled(c)) {
		if (conductor_controlled(c))
			conductor_end_step(c, s);
		conductor_emit(c, t, EV_STATE, 0, TS_DONE, 0);
		conductor_emit(c, t, EV_THREAD_END, 0, 0, 0);
	}
	atomic_store_explicit(&s->phase, PHASE_DONE, memory_order_release);
	conductor_signal(&s->park);
}

int
conductor_wait_parked(struct conductor *c, int t)
{
	struct conductor_slot *s;
	uint32_t seq;
	int phase;

	if (t < 0 || t >= c->nthreads)
		return -1;
	s = &c->slot[t];
	for (;;) {
		if (conductor_is_cancelled(c))
			return -1;
		/* Read the word first: a park after it changes the word. */
		seq = conductor_seq(&s->park);
		phase = atomic_load_explicit(&s->phase, memory_order_acquire);
		if (phase == PHASE_DONE || phase == PHASE_PARKED ||
		    (phase == PHASE_RUNNING && !conductor_controlled(c)))
			return 0;
		if (conductor_wait(c, &s->park, seq) != 0)
			return -1;
	}
}

/* Thread t's name, or its 1-based number for messages. */
static void
conductor_explain(const struct conductor *c, int t, char *why, size_t len)
{
	const char *name = conductor_thread_name(t);
	int lock;

	if (t < 0 || t >= c->nthreads) {
		snprintf(why, len, "thread %d does not exist (%d thread%s)",
		    t + 1, c->nthreads, c->nthreads == 1 ? "" : "s");
		return;
	}
	if (conductor_is_cancelled(c)) {
		snprintf(why, len, "the run was cancelled");
		return;
	}
	if (!conductor_controlled(c)) {
		snprintf(
		    why, len, "%s is scheduled by the OS in a free run", name);
		return;
	}
	switch (atomic_load_explicit(&c->slot[t].phase, memory_order_acquire)) {
	case PHASE_NEW:
		snprintf(why, len, "%s has not started", name);
		return;
	case PHASE_DONE:
		snprintf(why, len, "%s has finished", name);
		return;
	case PHASE_RUNNING:
		snprintf(why, len, "%s is taking a step", name);
		return;
	default:
		break;
	}
	if (conductor_waiting(c, t)) {
		snprintf(why, len, "%s is waiting on a condition", name);
		return;
	}
	lock = conductor_blocking_lock(c, t);
	if (lock >= 0) {
		snprintf(why, len, "%s is waiting for lock %s, held by %s",
		    name, conductor_lock_name(c, lock),
		    conductor_thread_name(conductor_lock_owner(c, lock)));
		return;
	}
	snprintf(why, len, "%s can take a step", name);
}

int
conductor_runnable(const struct conductor *c, int t, char *why, size_t whylen)
{
	int ok;

	ok = t >= 0 && t < c->nthreads && conductor_controlled(c) &&
	    !conductor_is_cancelled(c) &&
	    atomic_load_explicit(&c->slot[t].phase, memory_order_acquire) ==
	        PHASE_PARKED &&
	    conductor_blocking_lock(c, t) < 0 && !conductor_waiting(c, t);
	if (!ok && why != NULL && whylen > 0)
		conductor_explain(c, t, why, whylen);
	return ok;
}

int
conductor_grant(struct conductor *c, int t)
{
	struct conductor_slot *s;
	uint32_t seq;
	int op;

	if (!conductor_runnable(c, t, NULL, 0))
		return -1;
	s = &c->slot[t];
	op = atomic_load_explicit(&s->op, memory_order_relaxed);
	conductor_emit(c, t, EV_STATE,
	    atomic_load_explicit(&s->line, memory_order_relaxed),
	    op == OP_IO ? TS_IO : TS_RUNNING, 0);

	/* Only worker t advances park now, and only after this grant. */
	seq = conductor_seq(&s->park);
	atomic_store_explicit(&s->phase, PHASE_RUNNING, memory_order_release);
	conductor_signal(&s->grant);
	return conductor_wait(c, &s->park, seq);
}

/* splitmix64: the next number from the random policy's generator. */
static uint64_t
conductor_random(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

int
conductor_pick_random(struct conductor *c)
{
	int cand[CONDUCTOR_MAX_THREADS];
	int t, n = 0;

	for (t = 0; t < c->nthreads; t++)
		if (conductor_runnable(c, t, NULL, 0))
			cand[n++] = t;
	if (n == 0)
		return -1;
	/* The modulo bias is below 2^-57 for n <= 64. */
	return cand[conductor_random(&c->rng) % (uint64_t)n];
}

int
conductor_lowest_runnable(const struct conductor *c)
{
	int t;

	for (t = 0; t < c->nthreads; t++)
		if (conductor_runnable(c, t, NULL, 0))
			return t;
	return -1;
}

int
conductor_all_done(const struct conductor *c)
{
	int t;

	for (t = 0; t < c->nthreads; t++)
		if (atomic_load_explicit(
		        &c->slot[t].phase, memory_order_acquire) != PHASE_DONE)
			return 0;
	return 1;
}

uint32_t
conductor_steps(const struct conductor *c)
{
	return atomic_load_explicit(&c->steps, memory_order_relaxed);
}

enum op_kind
conductor_pending(const struct conductor *c, int t, int64_t *arg, int *line)
{
	const struct conductor_slot *s;
	int op;

	if (t < 0 || t >= c->nthreads)
		return OP_NONE;
	s = &c->slot[t];
	op = atomic_load_explicit(&s->op, memory_order_relaxed);
	if (arg != NULL)
		*arg = atomic_load_explicit(&s->arg, memory_order_relaxed);
	if (line != NULL)
		*line = atomic_load_explicit(&s->line, memory_order_relaxed);
	return (enum op_kind)op;
}

void
conductor_cancel(struct conductor *c)
{
	int t;

	atomic_store_explicit(&c->cancelled, 1, memory_order_seq_cst);
	/* Advance every word: each waiter wakes and then sees cancelled. */
	for (t = 0; t < c->nthreads; t++) {
		conductor_signal(&c->slot[t].grant);
		conductor_signal(&c->slot[t].park);
	}
}

int
conductor_cancelled(const struct conductor *c)
{
	return conductor_is_cancelled(c);
}

void
conductor_set_quiet(struct conductor *c)
{
	c->quiet = 1;
}

const _Atomic int *
conductor_cancel_flag(const struct conductor *c)
{
	return &c->cancelled;
}

const char *
conductor_thread_name(int t)
{
	if (t < 0 || t >= CONDUCTOR_MAX_THREADS)
		return "?";
	return conductor_names[t];
}
