/* The conductor's teaching locks and wait queues (see conductor.h). */
#include <stdatomic.h>
#include <stdint.h>

#include "conductor_impl.h"
#include "util.h"

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

/* The lock that blocks thread t's pending step, or -1 if none does. */
int
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
int
conductor_waiting(const struct conductor *c, int t)
{
	return atomic_load_explicit(&c->slot[t].waitq, memory_order_relaxed) !=
	    NULL;
}

/* Show thread t waiting for lock: EV_LOCK_REQ the first time, then
 * EV_STATE(TS_LOCK_WAIT). Baton holder only. */
void
conductor_show_lock_wait(struct conductor *c, int t, int lock)
{
	struct conductor_slot *s = &c->slot[t];

	if (!atomic_load_explicit(&s->lock_req, memory_order_relaxed)) {
		atomic_store_explicit(&s->lock_req, 1, memory_order_relaxed);
		conductor_emit(c, t, EV_LOCK_REQ, 0, lock, 0);
	}
	atomic_store_explicit(&s->lock_wait, lock, memory_order_relaxed);
	/* on the line of the lock step it waits at, not the one before */
	conductor_emit(c, t, EV_STATE,
	    atomic_load_explicit(&s->line, memory_order_relaxed), TS_LOCK_WAIT,
	    lock);
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
