/*
 * The conductor: step points, grants and teaching locks. The handoff
 * between threads is in conductor_handoff.c, the locks and wait queues in
 * conductor_locks.c; conductor_impl.h holds what they share.
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

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef __linux__
#include <sys/syscall.h>
#endif

#include "conductor_impl.h"
#include "evq.h"
#include "names.h"
#include "util.h"

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
	c->direct_budget = ncpu > 1 ? (int)ncpu - 1 : 0;
	/* A direct handoff with a CPU for every worker: one runs, the others
	 * may all spin, and need no token. */
	c->direct_free = ncpu > 1 && ncpu >= nthreads;
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
		atomic_init(&c->slot[i].start, 0);
		atomic_init(&c->slot[i].spinning, 0);
	}
	atomic_init(&c->home, 0);
	atomic_init(&c->direct, 0);
	atomic_init(&c->closing, 0);
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

static int conductor_pass(struct conductor *, int from, int *heir);

/* Record thread t's pending step point. */
static void
conductor_set_pending(
    struct conductor_slot *s, enum op_kind op, int64_t arg, int line)
{
	atomic_store_explicit(&s->op, (int)op, memory_order_relaxed);
	atomic_store_explicit(&s->arg, arg, memory_order_relaxed);
	atomic_store_explicit(&s->line, line, memory_order_relaxed);
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
		/* Only the baton holder advances it: no read-modify-write. */
		atomic_store_explicit(&c->steps,
		    atomic_load_explicit(&c->steps, memory_order_relaxed) + 1,
		    memory_order_relaxed);
	}
}

int
conductor_step_point(
    struct conductor *c, int t, enum op_kind op, int64_t arg, int line)
{
	struct conductor_slot *s = &c->slot[t];
	uint32_t seq;
	int lock, next, heir = 0, direct;

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

	/* Only the baton holder advances grant, and only once we are
	 * parked: read it first, so a grant after the park is seen. */
	seq = conductor_seq(&s->grant);
	/* Read the handoff mode while still the baton holder: once parked,
	 * the controller may start a direct handoff. */
	direct = c->chooser != NULL;
	atomic_store_explicit(&s->phase, PHASE_PARKED, memory_order_release);
	if (!direct) {
		conductor_signal(&s->park);
	} else {
		next = conductor_pass(c, t, &heir);
		if (next == t)
			goto granted; /* chose itself: no handoff at all */
	}
	if (conductor_wait_grant(c, t, seq, heir) != 0)
		return -1;
granted:
	s->in_step = 1;
	atomic_store_explicit(&s->op, OP_NONE, memory_order_relaxed);
	return 0;
}

void
conductor_thread_end(struct conductor *c, int t)
{
	struct conductor_slot *s = &c->slot[t];
	int direct, heir;

	conductor_set_pending(s, OP_NONE, 0, 0);
	if (!conductor_is_cancelled(c)) {
		if (conductor_controlled(c))
			conductor_end_step(c, s);
		conductor_emit(c, t, EV_STATE, 0, TS_DONE, 0);
		conductor_emit(c, t, EV_THREAD_END, 0, 0, 0);
	}
	s->in_step = 0;
	/* Before ending: a restart after it changes the word. */
	s->idle_seq = conductor_seq(&s->start);
	direct = c->chooser != NULL && !conductor_is_cancelled(c);
	atomic_store_explicit(&s->phase, PHASE_DONE, memory_order_release);
	if (direct)
		(void)conductor_pass(c, t, &heir);
	else
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

void
conductor_name_by_number(struct conductor *c, int on)
{
	c->naming = on ? NAMING_NUMBERS : NAMING_LETTERS;
}

/* Thread t's name, or its 1-based number for messages. */
static void
conductor_explain(const struct conductor *c, int t, char *why, size_t len)
{
	const char *name = thread_name_as(c->naming, t);
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
		    thread_name_as(c->naming, conductor_lock_owner(c, lock)));
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

/* Show runnable thread t taking its step and mark it running; the
 * baton holder then signals its grant word (unless t is itself). */
static void
conductor_hand(struct conductor *c, int t)
{
	struct conductor_slot *s = &c->slot[t];
	int op = atomic_load_explicit(&s->op, memory_order_relaxed);

	conductor_emit(c, t, EV_STATE,
	    atomic_load_explicit(&s->line, memory_order_relaxed),
	    op == OP_IO ? TS_IO : TS_RUNNING, 0);
	atomic_store_explicit(&s->phase, PHASE_RUNNING, memory_order_release);
}

int
conductor_grant(struct conductor *c, int t)
{
	struct conductor_slot *s;
	uint32_t seq;

	if (!conductor_runnable(c, t, NULL, 0))
		return -1;
	s = &c->slot[t];
	/* Only worker t advances park now, and only after this grant. */
	seq = conductor_seq(&s->park);
	conductor_hand(c, t);
	conductor_signal(&s->grant);
	return conductor_wait(c, &s->park, seq);
}

/*
 * The baton holder (thread from, parked or ended) asks the chooser for the
 * next thread and hands it the baton, or gives it back to the controller.
 * Returns the thread chosen, or -1. After the home word is advanced the
 * controller may reuse everything, so nothing is touched after it.
 */
static int
conductor_pass(struct conductor *c, int from, int *heir)
{
	int next = c->chooser(c->chooser_ctx, c);

	*heir = 0;
	if (next < 0 || !conductor_runnable(c, next, NULL, 0)) {
		conductor_signal(&c->home);
		return -1;
	}
	conductor_hand(c, next);
	if (next != from) {
		/* Before the signal: once woken, next clears it at once, but
		 * gives its spin token back only a moment later. */
		*heir = atomic_load_explicit(
		    &c->slot[next].spinning, memory_order_relaxed);
		conductor_signal(&c->slot[next].grant);
	}
	return next;
}

int
conductor_run_chosen(struct conductor *c, conductor_chooser pick, void *ctx)
{
	uint64_t t0;
	uint32_t seq;
	int t, rc;

	if (!conductor_controlled(c) || conductor_is_cancelled(c))
		return -1;
	t = pick(ctx, c);
	if (t < 0 || !conductor_runnable(c, t, NULL, 0))
		return 0;
	c->chooser = pick;
	c->chooser_ctx = ctx;
	atomic_store_explicit(&c->direct, 1, memory_order_relaxed);
	seq = conductor_seq(&c->home);
	t0 = clock_now_ns();
	conductor_hand(c, t);
	conductor_signal(&c->slot[t].grant);
	/* Short handoffs (an explorer's runs) are waited for by yielding;
	 * after a long one (a replay's batch), sleep at once, so as not to
	 * take turns on a CPU with the workers. */
	rc = conductor_wait_word(c, &c->home, seq,
	    CONDUCTOR_WAIT_CANCEL |
	        (c->long_handoff ? CONDUCTOR_WAIT_SLEEP
	                         : CONDUCTOR_WAIT_YIELD));
	c->long_handoff = clock_now_ns() - t0 > CONDUCTOR_YIELD_NS;
	if (rc != 0) {
		/* Cancelled with the baton out: wait for every worker to wind
		 * up, so no one reads the chooser after it is cleared. */
		for (t = 0; t < c->nthreads; t++)
			conductor_wait_ended(c, t);
	}
	atomic_store_explicit(&c->direct, 0, memory_order_relaxed);
	c->chooser = NULL;
	c->chooser_ctx = NULL;
	return rc;
}

void
conductor_wait_ended(struct conductor *c, int t)
{
	struct conductor_slot *s = &c->slot[t];
	uint32_t seq;

	for (;;) {
		seq = conductor_seq(&s->park);
		if (atomic_load_explicit(&s->phase, memory_order_acquire) ==
		        PHASE_DONE ||
		    atomic_load_explicit(&s->phase, memory_order_acquire) ==
		        PHASE_NEW)
			return;
		(void)conductor_wait_word(c, &s->park, seq, 0);
	}
}

int
conductor_idle(struct conductor *c, int t)
{
	struct conductor_slot *s = &c->slot[t];

	for (;;) {
		if (atomic_load_explicit(&c->closing, memory_order_acquire))
			return -1;
		if (conductor_seq(&s->start) != s->idle_seq)
			return 0;
		(void)conductor_wait_word(
		    c, &s->start, s->idle_seq, CONDUCTOR_WAIT_YIELD);
	}
}

void
conductor_reset(struct conductor *c)
{
	int t;

	for (t = 0; t < c->nlocks; t++) {
		free(c->lock_name[t]);
		c->lock_name[t] = NULL;
		atomic_store_explicit(
		    &c->lock_owner[t], -1, memory_order_relaxed);
	}
	c->nlocks = 0;
	for (t = 0; t < c->nthreads; t++) {
		struct conductor_slot *s = &c->slot[t];

		atomic_store_explicit(
		    &s->phase, PHASE_NEW, memory_order_relaxed);
		conductor_set_pending(s, OP_NONE, 0, 0);
		atomic_store_explicit(&s->lock_wait, -1, memory_order_relaxed);
		atomic_store_explicit(&s->lock_req, 0, memory_order_relaxed);
		atomic_store_explicit(&s->waitq, NULL, memory_order_relaxed);
		atomic_store_explicit(&s->wait_ticket, 0, memory_order_relaxed);
	}
	c->next_ticket = 0;
	atomic_store_explicit(&c->steps, 0, memory_order_relaxed);
	atomic_store_explicit(&c->cancelled, 0, memory_order_release);
}

int
conductor_restart(struct conductor *c)
{
	int t;

	/* One at a time, as run_start does, so start-up is deterministic. */
	for (t = 0; t < c->nthreads; t++) {
		conductor_signal(&c->slot[t].start);
		if (conductor_controlled(c) && conductor_wait_parked(c, t) != 0)
			return -1;
	}
	return 0;
}

void
conductor_close(struct conductor *c)
{
	int t;

	atomic_store_explicit(&c->closing, 1, memory_order_release);
	for (t = 0; t < c->nthreads; t++)
		conductor_signal(&c->slot[t].start);
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
