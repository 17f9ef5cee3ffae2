/*
 * What the conductor's files (conductor.c, conductor_handoff.c,
 * conductor_locks.c) share: the conductor's layout and their internal
 * calls. Nothing outside them includes it.
 */
#ifndef IL_CONDUCTOR_IMPL_H
#define IL_CONDUCTOR_IMPL_H

#include <stdalign.h>
#include <stdatomic.h>
#include <stdint.h>

#include "conductor.h"
#include "names.h"

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
	/* (seq << 1) | sleeper. conductor_restart() and conductor_close()
	 * advance it; an ended worker waits on it in conductor_idle() for
	 * the sequence it read before it ended (idle_seq, its own). */
	_Atomic uint32_t start;
	uint32_t idle_seq;
	/* 1 while worker t spins with a token (it writes it; a baton holder
	 * reads it to know whether it inherits the token). */
	_Atomic int spinning;
	/* Worker t's alone: 1 while it takes a granted step. */
	int in_step;
};

struct conductor {
	struct conductor_slot slot[CONDUCTOR_MAX_THREADS];

	/* Fixed at creation. */
	int nthreads;
	enum thread_naming naming; /* set before the run starts */
	enum policy policy;
	int quiet; /* emit nothing (set before any worker starts) */
	struct evq *q;
	int spin_budget;   /* CPUs - 1 if there are more CPUs than workers */
	int direct_budget; /* CPUs - 1: spinners while the controller sleeps */
	int direct_free; /* a CPU for every worker: direct waiters just spin */
	/* The controller's: its last direct handoff outlasted the yields. */
	int long_handoff;
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

	/* Direct handoff (conductor_run_chosen): set by the controller
	 * before its first grant and cleared after the baton is back, read
	 * by each baton holder, so the grant words order them. */
	conductor_chooser chooser;
	void *chooser_ctx;
	/* 1 while a direct handoff runs: the controller sets and clears it,
	 * any waiter reads it (a hint for the spin budget). */
	_Atomic int direct;
	/* (seq << 1) | sleeper: the baton holder that ends a direct handoff
	 * advances it; the controller waits on it. */
	alignas(CONDUCTOR_CACHE_LINE) _Atomic uint32_t home;
	/* 1 once conductor_close() is called: idle workers exit. */
	_Atomic int closing;

	/* Completed steps: advanced by the baton holder, read by anyone. */
	_Atomic uint32_t steps;
	/* Set once by conductor_cancel(), from any thread; read by all. */
	_Atomic int cancelled;
	/* The random policy's splitmix64 state: the controller's alone. */
	uint64_t rng;
};

static inline int
conductor_controlled(const struct conductor *c)
{
	return c->policy != POLICY_FREE;
}

static inline int
conductor_is_cancelled(const struct conductor *c)
{
	return atomic_load_explicit(&c->cancelled, memory_order_acquire);
}

/* ---- the handoff (conductor_handoff.c) ---- */

/* Advance futex word w's sequence and wake its waiter, if it sleeps. */
void conductor_signal(_Atomic uint32_t *w);
/* Wait until w's sequence is no longer seq. 0, or -1 if cancelled. */
int conductor_wait(struct conductor *, _Atomic uint32_t *w, uint32_t seq);
/* The same, with flags: CONDUCTOR_WAIT_CANCEL (also end, with -1, when
 * the run is cancelled) and CONDUCTOR_WAIT_YIELD (never spin with pause,
 * only yield a while before sleeping, and leave skip_busy alone: the
 * controller's wait during a direct handoff, which must not take a CPU
 * from the workers, and may be long or short). */
#define CONDUCTOR_WAIT_CANCEL 1
#define CONDUCTOR_WAIT_YIELD  2
#define CONDUCTOR_WAIT_HEIR   4 /* internal: see conductor_wait_grant */
#define CONDUCTOR_WAIT_SLEEP  8 /* no busy waiting at all */
int conductor_wait_word(
    struct conductor *, _Atomic uint32_t *w, uint32_t seq, int flags);
/* Worker t waits for its grant word to leave seq; heir: it has just
 * handed the baton to a thread that was spinning. 0, or -1 if cancelled. */
int conductor_wait_grant(struct conductor *, int t, uint32_t seq, int heir);
/* The sequence number a futex word holds now. */
uint32_t conductor_seq(_Atomic uint32_t *w);

/* ---- locks and wait queues (conductor_locks.c) ---- */

/* The lock that blocks thread t's pending step, or -1 if none does. */
int conductor_blocking_lock(const struct conductor *, int t);
/* 1 if thread t is on a wait queue (controlled runs). */
int conductor_waiting(const struct conductor *, int t);
/* Show thread t waiting for lock. Baton holder only. */
void conductor_show_lock_wait(struct conductor *, int t, int lock);

#endif
