/*
 * The model: everything the views draw, built only from events.
 * Pure data: no threads, no locks, no curses, so it is unit-tested alone.
 *
 * Lost updates are counted two ways, and the counts can differ.
 *
 *  - Overwriting stores (marks; per variable, stale). The worker sees from
 *    real memory when a store replaced a value other than the one it had
 *    loaded, so another thread's update came between and this store
 *    overwrote it (EV_STORE_OVERWROTE, event.h). Each such store is one
 *    mark, in both clocks. In a controlled run the model's bookkeeping
 *    adds whose update it was and how many were cut; in a free run those
 *    are unknown (victim -1, victim_step and overwritten 0).
 *
 *  - Net lost updates (per variable, lost). Every store has a parent, the
 *    store its value was read from (the current one, for a blind store),
 *    so the updates that survive are the chain of parents behind the
 *    variable's current value, and
 *        lost = stores - length of that chain;
 *    for a counter (each store meant to add one), lost = expected - value.
 *    The chain follows the events' order: exact in a controlled run, only
 *    close to the real order in a free run (its result reads memory).
 *
 * For example, A loads 0; B increments three times (0 -> 3); A stores 1.
 * That is one overwriting store (one mark) but three lost increments
 * (expected 4, value 1). The other way round, a store that cuts updates
 * and is later cut itself, bringing them back, is a mark though nothing
 * it cut stays lost; and a store that replaces an equal value (A loads 1,
 * others take the value 1 -> 2 -> 1, A stores 2) loses an update that
 * real memory cannot tell apart, so it is no mark.
 */
#ifndef IL_MODEL_H
#define IL_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "names.h"
#include "timeline.h"
#include "tracelog.h"

#define MODEL_MAX_VARS    EV_MAX_VARS
#define MODEL_MAX_LOCKS   EV_MAX_LOCKS
#define MODEL_MAX_LOCALS  4
#define MODEL_MAX_SKIPS   16
#define MODEL_FIRST_MARKS 16 /* lost-update marks kept in detail (first) */

enum model_clock { MODEL_CLOCK_STEPS, MODEL_CLOCK_NS };

struct model_var {
	char name[32];
	int64_t value;
	int64_t expected; /* for a counter: initial + number of stores */
	int counter;      /* 1: every store is meant to add one */
	uint64_t stores;
	uint64_t lost;  /* net lost updates: stores not on the chain */
	uint64_t stale; /* overwriting stores: marks on this variable */
	/* internal bookkeeping for the chain */
	uint64_t depth;        /* chain length behind the current value */
	int last_store_thread; /* -1: initial */
	uint32_t last_store_step;
	uint64_t value_ts; /* ts_ns of the tally that set value, if any */
};

struct model_lock {
	char name[32];
	int owner;        /* -1: free */
	uint64_t waiters; /* bit per thread below MODEL_WAITER_BITS */
};

/* Threads past this have no bit in a lock's waiter mask. */
#define MODEL_WAITER_BITS 64

struct model_thread {
	enum thread_state state;
	int line;         /* current source line, 0 if none */
	int blocked_lock; /* lock waited for, or -1 */
	/* The model's event count when it last asked for a lock: a lock's
	 * waiters queue in this order. */
	uint64_t lock_asked;
	int64_t locals[MODEL_MAX_LOCALS];
	uint8_t local_set; /* bit per slot */
	/* last load per variable, for the chain */
	uint64_t load_depth[MODEL_MAX_VARS];
	uint64_t load_kept[MODEL_MAX_VARS]; /* of that chain, still current */
	uint32_t load_step[MODEL_MAX_VARS];
	uint8_t loaded[MODEL_MAX_VARS];
	uint64_t events;
	struct timeline tl;
	/* Where the lane's work runs, from EV_OS_IDENTITY: process (0: this
	 * one) and thread (0: not known). Lanes with the same nonzero
	 * identity are one OS thread's tasks: a group, whose lowest lane is
	 * its leader (see model_lane_leader). */
	int os_pid, os_tid;
	int os_leader;
	int os_members; /* lanes in its group, itself included */
	/* The kernel's view from EV_OS_SAMPLE (free runs): totals, and a
	 * timeline where each sample interval is split into running, then
	 * waiting for a CPU (TS_READY), then blocked (TS_IO). A group's
	 * samples are shared among its lanes (see model_apply). */
	uint64_t os_run_ns, os_wait_ns, os_blocked_ns;
	uint64_t os_samples;
	uint64_t os_slices; /* times the kernel put it on a CPU */
	int os_cpu;         /* last CPU, -1 if unknown */
	struct timeline os_tl;
};

/* An overwriting store: the moment an update was lost. The fields marked
 * (controlled) are 0, or -1 for victim, in a free run. */
struct lost_mark {
	uint64_t t;           /* model time of the store */
	uint32_t step;        /* step of the store (controlled) */
	uint32_t load_step;   /* step of the load it built on (controlled) */
	uint32_t victim_step; /* step of the store it overwrote (controlled) */
	int thread;           /* who stored */
	int victim; /* whose update it overwrote, the latest (controlled) */
	int var;
	int64_t value;        /* value stored */
	uint64_t overwritten; /* updates it cut off the chain (controlled) */
};

/* The cores view: on one CPU, a worker that ran there for part of a
 * sampler interval (the CPU it was last seen on at the interval's end). */
struct cpu_span {
	uint64_t t0, t1;
	uint32_t run_ns; /* its running time within [t0, t1) */
	int32_t thread;
};

/*
 * A cycle of the wait-for graph: threads[i] waits for locks[i], which
 * threads[i + 1] holds, and the last lock is held by threads[0]. Each
 * thread waits for at most one lock and each lock has at most one
 * owner, so a cycle has at most one lock per thread.
 */
struct model_cycle {
	int n; /* threads (and locks) in it; 0: no cycle */
	int threads[MODEL_MAX_LOCKS];
	int locks[MODEL_MAX_LOCKS];
	uint64_t at;   /* the model time it closed */
	uint32_t step; /* the step it closed at (stepped runs) */
};

struct cpu_lane {
	struct cpu_span *spans; /* by t1, oldest first */
	size_t n, cap;
};

#define MODEL_MAX_CPUS 64

struct model {
	enum model_clock clock;
	uint64_t t0_ns; /* first event's ts_ns, for MODEL_CLOCK_NS */
	uint64_t now;   /* latest model time seen */
	uint32_t step;  /* latest step seen */
	int nthreads;
	struct model_thread *threads;
	struct model_var vars[MODEL_MAX_VARS];
	int nvars;
	struct model_lock locks[MODEL_MAX_LOCKS];
	int nlocks;
	/* Lost updates in detail: the first MODEL_FIRST_MARKS, oldest first,
	 * and the latest. Every one is also a mark in the storing thread's
	 * timeline, so the lanes show them all at any zoom. */
	struct lost_mark first_marks[MODEL_FIRST_MARKS];
	struct lost_mark last_mark;
	uint64_t nmarks; /* total lost-update marks seen */
	uint64_t events;
	/* Gaps cut out of the ns clock (the process was suspended). */
	uint64_t skip_from[MODEL_MAX_SKIPS];
	uint64_t skip_len[MODEL_MAX_SKIPS];
	int nskips;
	/* From EV_OS_SAMPLE: per CPU, who ran there (ncpus: highest CPU
	 * seen + 1). Bounded like the timelines: older spans merge. */
	struct cpu_lane cpus[MODEL_MAX_CPUS];
	int ncpus;
	size_t max_spans;
	/* The first cycle of the wait-for graph (a deadlock), found when
	 * the thread that closed it began to wait; n == 0 until then. */
	struct model_cycle deadlock;
	/* How texts name the threads (the lesson's choice; letters unless
	 * set before the first event). */
	enum thread_naming naming;
	/* The events a trace file needs, or NULL (see model_trace_on). */
	struct tracelog *log;
};

struct model *model_new(int nthreads, enum model_clock, size_t max_spans);
void model_free(struct model *);

/* Declare variables and locks before any event; ids count up from 0 in
 * the order declared, matching the run's il_var / il_lock ids. */
int model_add_var(
    struct model *, const char *name, int64_t initial, int counter);
int model_add_lock(struct model *, const char *name);

void model_apply(struct model *, const struct event *);

/* Keep a trace log of the events applied from now on (--trace): call it
 * before the first event. The model owns the log. */
void model_trace_on(struct model *);

/* The worker that ran longest on cpu within [t0, t1), or -1 if none
 * did (the CPU was idle, or ran something else); *ran (if not NULL)
 * gets how long it ran there. */
int model_cpu_who(
    const struct model *, int cpu, uint64_t t0, uint64_t t1, uint64_t *ran);

/* Free runs: the process was stopped (Ctrl-Z) for len_ns from from_ns
 * (monotonic clock). Later events are moved back by that much, so the
 * timeline does not jump over the time nobody could run. */
void model_skip(struct model *, uint64_t from_ns, uint64_t len_ns);

/* Lanes that run in one OS thread (an event loop's tasks, which the loop
 * gives its own thread with il_os_identity): the lowest lane of t's group,
 * t itself when it is alone, -1 if t is not a lane; and how many lanes
 * the group has (1 when alone, 0 if t is not a lane). The sampler reads
 * such a thread once, for the leader; the model shares each sample among
 * the group in proportion to the time each lane ran in the interval, by
 * its own timeline, so that the lanes' CPU adds up to the thread's. */
int model_lane_leader(const struct model *, int t);
int model_lane_group(const struct model *, int t);

/* 1 if a shared counter is declared (so stores can overwrite updates). */
int model_has_counter(const struct model *);

/* The first lost-update marks, oldest first: model_mark(i) for i below
 * model_marks_kept() = min(nmarks, MODEL_FIRST_MARKS), else NULL. */
size_t model_marks_kept(const struct model *);
const struct lost_mark *model_mark(const struct model *, size_t i);

/* The latest lost-update mark, or NULL if there is none yet. */
const struct lost_mark *model_last_mark(const struct model *);

/* Lock l's waiters in the order they asked for it (at most max, into
 * out); their count. */
int model_lock_queue(const struct model *, int l, int *out, int max);

/* The wait-for graph's cycle through thread t as it stands, into *out,
 * from its lowest-numbered thread: 1 if there is one, else 0 (t does not wait, or its chain of waits ends
 * at a free lock or at a thread that does not wait). */
int model_find_cycle(const struct model *, int t, struct model_cycle *out);

/* Cycle c as text. Short: "T1>B>T2>A>T1"; long, with arrow between the
 * nodes: "T1 -> B (held by T2) -> T2 -> A (held by T1) -> T1". */
void model_cycle_short(
    const struct model *, const struct model_cycle *, char *buf, size_t len);
void model_cycle_long(const struct model *, const struct model_cycle *,
    const char *arrow, char *buf, size_t len);

/* Why thread t cannot run, if it waits for a lock: "waiting for B, held
 * by T2" (or "waiting for B"); "" if it does not wait for one. */
void model_wait_reason(const struct model *, int t, char *buf, size_t len);

#endif
