/*
 * The worker API that lesson modules call. Every il_* call is a step point
 * (see conductor.h): it reports events, and in a controlled run it waits for
 * the conductor's grant before it acts.
 *
 * Shared variables are real memory accessed with relaxed atomics, so a lost
 * update is a real lost update and there is no undefined behaviour.
 */
#ifndef IL_WORKER_H
#define IL_WORKER_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include "event.h"

struct conductor;

/* A shared variable. */
struct il_var {
	/* The variable's memory: any worker loads or stores it through the
	 * il_* calls, with relaxed atomics (a lost update stays real, but
	 * there is no data race); the run reads it after the join. */
	_Atomic int64_t value;
	int id;
	const char *name;
};

/* A teaching lock: a real mutex, whose ownership in a controlled run is
 * decided by the conductor. */
struct il_lock {
	/* Held by the worker that took the lock with il_lock (only it
	 * unlocks it, in il_unlock); it guards whatever the lesson says the
	 * lock protects. In a controlled run the conductor grants OP_LOCK
	 * only while no one holds it, so it is free when taken. */
	pthread_mutex_t mutex;
	int id; /* conductor lock id */
	const char *name;
};

/* A teaching condition variable. Free runs wait on the real cond with the
 * il_lock's mutex; in a controlled run the conductor keeps its waiters
 * (conductor_wait_on) and the cond itself is not used. */
struct il_cond {
	/* Waited on by any worker holding the lock it is used with,
	 * signalled by any worker (free runs). */
	pthread_cond_t cond;
	int id;
	const char *name;
};

/* A teaching counting semaphore: a mutex and a condition in free runs,
 * the conductor's wait queue in a controlled run. A waiting thread shows
 * TS_COND_WAIT. */
struct il_sem {
	/* Free runs: guards the wait for count; any worker takes it
	 * briefly in il_sem_wait / il_sem_post. nonzero is signalled with
	 * it held when count goes up. */
	pthread_mutex_t mutex;
	pthread_cond_t nonzero;
	/* Units available: changed by any worker, under mutex in free runs
	 * and by the baton holder in controlled runs; atomic so that either
	 * kind of run reads it without a race. */
	_Atomic int64_t count;
	int id;
	const char *name;
};

/* Locals a summary keeps (slots below this; others go as events). */
#define IL_SUMMARY_LOCALS 4

/*
 * A free run's summary of a worker's hot steps (il_summarise): instead of
 * an event per load, store, line and local, the worker counts them here
 * and sends what they add up to once per bucket of time (worker.c). Only
 * the worker's own thread touches it.
 */
struct il_summary {
	int on;
	uint32_t countdown; /* steps until the clock is read again */
	uint32_t every;     /* steps between clock reads */
	uint64_t due_ns;    /* the bucket ends: flush at the next read after */
	int line;           /* the line of the last step, 0: none */
	int sent_line;      /* the line last sent */
	int64_t local[IL_SUMMARY_LOCALS];
	uint8_t local_dirty; /* bit per slot set since the last flush */
	uint32_t stored;     /* bit per variable stored to since then */
	struct il_var *var[EV_MAX_VARS]; /* each variable stored to */
	uint32_t stores[EV_MAX_VARS];
	uint32_t overwrites[EV_MAX_VARS]; /* of those, stores that overwrote */
};

/* One worker thread's handle. */
struct il_worker {
	int id; /* 0-based */
	struct conductor *conductor;
	void *lesson; /* the module's run state */
	/* Whom the OS sampler watches for this lane: the worker thread
	 * itself (pid 0), or a process it runs the work in. Written only by
	 * il_os_identity (any thread: the worker itself, or an event loop
	 * for its tasks' lanes), read by the sampler thread and the run:
	 * os_tid is stored last with release, so a reader that loads it
	 * with acquire sees the matching os_pid (loaded relaxed after it),
	 * and the event that announced them is already in the queue. */
	_Atomic int os_pid;
	_Atomic int os_tid;
	/* The value this worker last loaded from each variable (bit id of
	 * loaded set until its next store to it), so that il_store can tell
	 * whether another thread stored in between. Only the worker's own
	 * thread touches these. */
	int64_t loaded_value[EV_MAX_VARS];
	uint32_t loaded;
	struct il_summary sum;
};

/* Each takes the source line (1-based, into the module's code[]) that the
 * step executes. */

/* The lane's work now runs in thread tid of process pid (pid 0: this
 * process): the OS sampler follows it from the next interval, and an
 * EV_OS_IDENTITY event tells the model. Lanes given the same thread (an
 * event loop's tasks) are sampled once, as one thread shared among them.
 * Any thread may call it for any lane. */
void il_os_identity(struct il_worker *, int pid, int tid);

/* A step that only computes locally. */
void il_line(struct il_worker *, int line);
/* Load a shared variable. Returns 0 if cancelled. */
int64_t il_load(struct il_worker *, struct il_var *, int line);
/* Store to a shared variable. Returns 1 if the store overwrote another
 * thread's update: this worker had loaded the variable, and the value the
 * store replaced (swapped out atomically) is not the one it loaded, so
 * another store came between. 0 otherwise: a store that replaces what the
 * worker loaded, a blind store (no load since the worker's last store to
 * it), or a cancelled run. The lost update stays real. */
int il_store(struct il_worker *, struct il_var *, int64_t v, int line);
/* CPU-bound work: units of real computation. */
void il_cpu(struct il_worker *, long units, int line);
/* Blocking I/O for ms milliseconds (virtual time in a controlled run). */
void il_io(struct il_worker *, long ms, int line);
/* Take / release a lock. il_lock returns 0, or -1 if cancelled (then the
 * lock is not held). */
int il_lock(struct il_worker *, struct il_lock *, int line);
void il_unlock(struct il_worker *, struct il_lock *, int line);

/*
 * Reports for work that runs outside the step points (free runs only: a
 * forked process, an event loop's tasks, a lock the module implements
 * itself). They only send events, also after cancel, like the code they
 * describe, which winds up on its own.
 */

/* Lane's state is now s, on line. lane is w->id for the worker's own lane,
 * or a lane whose work this worker runs for it (an event loop's task). */
void il_state(struct il_worker *, int lane, enum thread_state s, int line);

/* What happened to a lock the module implements itself (a simulated GIL). */
enum il_lock_event {
	IL_LOCK_REQUESTED, /* EV_LOCK_REQ */
	IL_LOCK_WAITING,   /* the lane waits for it: TS_LOCK_WAIT */
	IL_LOCK_TAKEN,     /* EV_LOCK_ACQ */
	IL_LOCK_RELEASED,  /* EV_LOCK_REL */
};
void il_lock_report(
    struct il_worker *, const struct il_lock *, enum il_lock_event, int line);

/* Add delta to a shared variable in one atomic step; returns the old
 * value (0 if cancelled). Never loses an update. */
int64_t il_fetch_add(
    struct il_worker *, struct il_var *, int64_t delta, int line);
/* Take a lock if it is free: 1 if taken, 0 if another thread (or this
 * one) holds it, or the run is cancelled. Never blocks. */
int il_trylock(struct il_worker *, struct il_lock *, int line);

/* Wait on cond: release lock (which the worker holds), wait until
 * signalled, take lock again. 0 with the lock held, or -1 if cancelled
 * (then the lock is not held). In a controlled run that is two steps:
 * the wait (after which the thread cannot be stepped until signalled),
 * then the lock, as il_lock. Like pthread_cond_wait, a free run may wake
 * without a signal: wait in a loop on the condition. */
int il_cond_wait(
    struct il_worker *, struct il_cond *, struct il_lock *, int line);
/* Wake one waiter (the longest waiting, in a controlled run) / all. */
void il_cond_signal(struct il_worker *, struct il_cond *, int line);
void il_cond_broadcast(struct il_worker *, struct il_cond *, int line);

/* Take a unit of sem, waiting (TS_COND_WAIT) while there is none: 0, or
 * -1 if cancelled. Give one back, waking a waiter. */
int il_sem_wait(struct il_worker *, struct il_sem *, int line);
void il_sem_post(struct il_worker *, struct il_sem *, int line);

/* A hot loop's report, instead of an event per step (free runs): this
 * worker made count more updates to var (count below 2^31); the model
 * takes var's value as it is now, read from real memory. */
void il_tally(struct il_worker *, struct il_var *, int64_t count);

/*
 * Summaries (free runs). From now on this worker's loads, stores,
 * fetch-adds, lines and locals send no event each: they are counted, and
 * about once per WORKER_BUCKET_NS of time (worker.c) the worker sends its
 * line, its locals, for each variable it stored to an EV_TALLY with
 * EV_TALLY_STORES (how many stores, and the value now) and, if any of
 * them overwrote another thread's update, a MARK_OVERWROTE. Every other
 * call flushes first, so events that must be ordered against the others
 * (locks, states, I/O) are. The worker's own thread, before its steps;
 * a no-op in a controlled run, which keeps one event per step. A run
 * with events off (run_config.quiet) should not ask for it.
 */
void il_summarise(struct il_worker *);
/* Send what the summary holds now (nothing if there is no summary). The
 * run calls it when the module's worker returns. Also after cancel: the
 * steps it reports did happen. */
void il_flush(struct il_worker *);

/* A step that gives up the CPU (sched_yield in a free run). */
void il_yield(struct il_worker *, int line);

/* Show a local variable's value in the code panel (slot 0 is "tmp"). */
void il_local(struct il_worker *, int slot, int64_t v);

/* 1 once the run is cancelled; loops must then stop. */
int il_cancelled(const struct il_worker *);
/* The cancel flag itself, for blocking waits outside the worker API that
 * poll it (a socket request). */
const _Atomic int *il_cancel_flag(const struct il_worker *);

/* Initialise / destroy shared objects before / after a run. */
void il_var_init(struct il_var *, int id, const char *name, int64_t initial);
void il_lock_init(struct il_lock *, int id, const char *name);
void il_lock_destroy(struct il_lock *);
void il_cond_init(struct il_cond *, int id, const char *name);
void il_cond_destroy(struct il_cond *);
void il_sem_init(struct il_sem *, int id, const char *name, int64_t initial);
void il_sem_destroy(struct il_sem *);

#endif
