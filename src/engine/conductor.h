/*
 * The conductor decides when a parked worker may take its next step.
 *
 * Every il_* call is a step point: the worker announces the operation it is
 * about to do (conductor_step_point) and, in a controlled run, parks until
 * the controller grants it one step. The granted worker does that operation
 * and runs on to its next step point (or to its end), where it parks again;
 * conductor_grant() returns only then, so exactly one worker moves at a time
 * and the same schedule always gives the same events.
 *
 * In a free run (POLICY_FREE) step points never park: the OS schedules.
 *
 * Teaching locks belong to the conductor in a controlled run: a worker whose
 * next step is OP_LOCK on a lock held by another worker is not runnable.
 * So do wait queues (a condition, a semaphore): a worker put on one with
 * conductor_wait_on is not runnable until conductor_wake takes it off.
 */
#ifndef IL_CONDUCTOR_H
#define IL_CONDUCTOR_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"

struct evq;

enum policy { POLICY_FREE, POLICY_STEP, POLICY_RANDOM, POLICY_REPLAY };

/* The operation a worker is about to do at a step point. */
enum op_kind {
	OP_NONE,           /* not at a step point (running, or not started) */
	OP_LINE,           /* local computation on a source line */
	OP_LOAD,           /* arg: variable id */
	OP_STORE,          /* arg: variable id */
	OP_CPU,            /* arg: work units */
	OP_IO,             /* arg: milliseconds */
	OP_LOCK,           /* arg: lock id */
	OP_UNLOCK,         /* arg: lock id */
	OP_FETCH_ADD,      /* arg: variable id */
	OP_TRYLOCK,        /* arg: lock id */
	OP_COND_WAIT,      /* arg: lock id (released by the step) */
	OP_COND_SIGNAL,    /* arg: condition id */
	OP_COND_BROADCAST, /* arg: condition id */
	OP_SEM_WAIT,       /* arg: semaphore id */
	OP_SEM_POST,       /* arg: semaphore id */
	OP_YIELD,
	OP_COUNT
};

#define CONDUCTOR_MAX_THREADS 64
#define CONDUCTOR_MAX_LOCKS   EV_MAX_LOCKS

struct conductor;

/* policy and seed are fixed for the conductor's life; events go to q. */
/* Name threads in messages by number ("T2 is waiting for lock A, held
 * by T1") instead of by letter: for a lesson whose locks have letters
 * for names. Before the run starts. */
void conductor_name_by_number(struct conductor *, int on);

struct conductor *conductor_new(
    int nthreads, enum policy, uint64_t seed, struct evq *q);
void conductor_free(struct conductor *);

enum policy conductor_policy(const struct conductor *);
int conductor_nthreads(const struct conductor *);

/* Register a teaching lock; returns its id (0, 1, ...). Before start only. */
int conductor_lock_add(struct conductor *, const char *name);
const char *conductor_lock_name(const struct conductor *, int lock);
/* Current owner of a lock (0-based thread), or -1 when free. */
int conductor_lock_owner(const struct conductor *, int lock);

/* Send an event stamped with the current time and step. */
void conductor_emit(struct conductor *, int thread, enum ev_kind, int line,
    int64_t a, int64_t b);

/* ---- Called by worker thread t ---- */

/* The thread has started: emits EV_THREAD_START and EV_STATE. */
void conductor_thread_begin(struct conductor *, int t);

/* Announce the next operation and, in a controlled run, park until granted.
 * Returns 0 when the thread may go on, -1 when the run is cancelled (the
 * worker must then wind up without further step points). */
int conductor_step_point(
    struct conductor *, int t, enum op_kind, int64_t arg, int line);

/* Record that t now holds / no longer holds a lock (after a granted OP_LOCK
 * or OP_UNLOCK); emits EV_LOCK_ACQ / EV_LOCK_REL and wakes lock waiters. */
void conductor_lock_acquired(struct conductor *, int t, int lock);
void conductor_lock_released(struct conductor *, int t, int lock);

/* Controlled runs: t, the baton holder, waits on queue (any object's
 * address) from now on: at its next step point it shows TS_COND_WAIT and
 * is not runnable until a conductor_wake of queue. */
void conductor_wait_on(struct conductor *, int t, const void *queue);
/* Take the longest waiter (all of them if all) off queue; each shows
 * ready, or waiting for the lock its next step takes. Returns how many
 * were woken. Baton holder only. */
int conductor_wake(struct conductor *, const void *queue, int all);

/* The thread is finished: emits EV_STATE(TS_DONE) and EV_THREAD_END. */
void conductor_thread_end(struct conductor *, int t);

/* ---- Called by the controller (one thread: headless main or the UI) ---- */

/* Wait until thread t is parked at a step point or finished. Used while
 * starting threads one at a time, so start-up order is deterministic.
 * Returns 0, or -1 if cancelled. */
int conductor_wait_parked(struct conductor *, int t);

/* 1 if t can take a step now. If not, and why is not NULL, a sentence such
 * as "B has finished" or "B is waiting for lock m, held by A". */
int conductor_runnable(
    const struct conductor *, int t, char *why, size_t whylen);

/* Let t take one step and wait until it has parked again or finished.
 * Returns 0, or -1 if t is not runnable or the run was cancelled. */
int conductor_grant(struct conductor *, int t);

/* The seeded random policy's choice among runnable threads, or -1. */
int conductor_pick_random(struct conductor *);
/* The lowest-numbered runnable thread, or -1. */
int conductor_lowest_runnable(const struct conductor *);
/* 1 if every thread has finished. */
int conductor_all_done(const struct conductor *);

/* Steps granted so far. */
uint32_t conductor_steps(const struct conductor *);

/* Thread t's pending operation and source line (OP_NONE when not parked). */
enum op_kind conductor_pending(
    const struct conductor *, int t, int64_t *arg, int *line);

/*
 * Direct handoff, for replay and the explorer: the thread that has just
 * finished its step picks the next thread itself and hands it the baton,
 * one handoff per step instead of two through the controller.
 *
 * A chooser returns the thread to take the next step, or -1 to give the
 * baton back to the controller. It is called by whoever holds the baton
 * (the controller first, then each worker as it parks or ends), never by
 * two threads at once, and may call conductor_runnable, conductor_pending,
 * conductor_all_done and conductor_steps. A chosen thread that cannot
 * move ends the handoff too.
 */
typedef int (*conductor_chooser)(void *ctx, struct conductor *);

/* Run steps chosen by pick until it returns -1 (or names a thread that
 * cannot move). 0, or -1 if the run was cancelled. Controller only. */
int conductor_run_chosen(struct conductor *, conductor_chooser pick, void *ctx);

/*
 * Reuse: worker threads that outlive one run and take part in the next,
 * since creating and joining a thread costs tens of microseconds.
 *
 * A worker that has ended calls conductor_idle(), which waits until the
 * controller calls conductor_restart() (then it begins again: 0) or
 * conductor_close() (then it exits: -1). With every thread ended, the
 * controller calls conductor_reset(), which clears steps, cancel, wait
 * queues and the locks (register them again), then conductor_restart(),
 * which wakes the workers one at a time, each starting again from
 * PHASE_NEW; in a controlled run it waits for each to park, as run_start
 * does. 0, or -1 if the run was cancelled meanwhile.
 */
int conductor_idle(struct conductor *, int t);
void conductor_reset(struct conductor *);
int conductor_restart(struct conductor *);
void conductor_close(struct conductor *);
/* Wait until thread t has ended, even in a cancelled run. Controller. */
void conductor_wait_ended(struct conductor *, int t);

/* Cancel the run: every parked or blocked worker returns promptly, so the
 * caller can join them all. Safe from any thread. */
void conductor_cancel(struct conductor *);
int conductor_cancelled(const struct conductor *);
/* Emit no events from now on: free runs that measure what watching
 * costs. Call before any worker starts. */
void conductor_set_quiet(struct conductor *);
/* The flag itself, for waits outside the conductor that poll it. */
const _Atomic int *conductor_cancel_flag(const struct conductor *);

#endif
