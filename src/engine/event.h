/* The fixed-size event record that workers, the conductor and the sampler
 * send to the front end, and the thread states the timelines draw. */
#ifndef IL_EVENT_H
#define IL_EVENT_H

#include <stdint.h>

#include "states.h"

enum ev_kind {
	EV_THREAD_START, /* a: OS thread id */
	EV_THREAD_END,
	EV_STATE,    /* a: new enum thread_state, b: lock id for TS_LOCK_WAIT */
	EV_LINE,     /* line: the source line the thread is now on */
	EV_LOAD,     /* a: variable id, b: value loaded */
	EV_STORE,    /* a: variable id | EV_STORE_OVERWROTE, b: value stored */
	EV_LOCK_REQ, /* a: lock id */
	EV_LOCK_ACQ, /* a: lock id */
	EV_LOCK_REL, /* a: lock id */
	EV_OS_SAMPLE,   /* a, b: a sample, see sample_pack() in sampler.h */
	EV_MARK,        /* a: enum mark_kind, b: argument */
	EV_OS_IDENTITY, /* a: pid (0: this process), b: tid the lane runs in */
	EV_TALLY, /* a: variable id | count << 32 (EV_TALLY_*), b: its value */
	EV_KIND_COUNT
};

/*
 * EV_STORE's a: the variable id in the low 32 bits (EV_STORE_VAR), and
 * EV_STORE_OVERWROTE when the store replaced a value other than the one
 * this worker had loaded from the variable: another thread's store came
 * between its load and its store, and this store overwrote that update.
 * The worker decides it from real memory (il_store swaps the value in),
 * so it is exact in free runs too. No other bit of a is ever set.
 */
#define EV_STORE_OVERWROTE ((int64_t)1 << 32)
#define EV_STORE_VAR(a)    ((int64_t)((uint64_t)(a)&0xffffffffu))

/*
 * EV_TALLY: a hot loop's summary, sent instead of an event per step. The
 * thread made count more updates to the variable (EV_TALLY_COUNT, below
 * 2^31), and then read b from it: the model takes b as the variable's
 * value and count more as expected. With EV_TALLY_STORES the updates were
 * that many of the thread's stores (a free run's summary, il_summarise):
 * the model counts them as stores too. The worker reads b and sends the
 * event under one lock, so among tallies a later timestamp always carries
 * a later read.
 */
#define EV_TALLY_STORES        ((int64_t)1 << 31)
#define EV_TALLY_A(var, count) ((int64_t)(var) | (int64_t)(count) << 32)
#define EV_TALLY_VAR(a)        ((int)((uint64_t)(a)&0x7fffffffu))
#define EV_TALLY_COUNT(a)      ((int64_t)((uint64_t)(a) >> 32))

/* Shared variables per run: ids in EV_LOAD and EV_STORE are below this. */
#define EV_MAX_VARS 16
/* Locks per run: ids in EV_LOCK_* and TS_LOCK_WAIT's b are below this. The
 * conductor, the run and the model all size their lock tables by it. */
#define EV_MAX_LOCKS 16

enum mark_kind {
	MARK_LOCAL = 1, /* a thread's local: line holds the slot, b the value */
	MARK_NOTE = 2,  /* a lesson-defined moment: b is its argument */
	/* A summary's overwriting stores (il_summarise): line holds the
	 * variable, b how many of the thread's stores to it since its last
	 * summary replaced another thread's update (as EV_STORE_OVERWROTE
	 * would have said of each). */
	MARK_OVERWROTE = 3,
};

/*
 * What a thread is doing (the list is in states.h):
 *   TS_NONE       not started yet
 *   TS_RUNNING    on a CPU / taking its step
 *   TS_READY      waiting for a CPU, or for its turn in a controlled run
 *   TS_IO         blocked on I/O
 *   TS_LOCK_WAIT  waiting for a lock
 *   TS_DONE       finished
 *   TS_COND_WAIT  waiting on a condition variable or a semaphore
 */
#define THREAD_STATE_ENUM(st, utf8, ascii, role, legend, name, rank, ...) st,
enum thread_state { THREAD_STATES(THREAD_STATE_ENUM) TS_COUNT };
#undef THREAD_STATE_ENUM

/*
 * One event: 40 bytes, no pointers, so it can cross a ring or shared memory.
 * ts_ns is CLOCK_MONOTONIC. step is the conductor's count of completed steps
 * when the event happened (0 in free runs); controlled runs draw their
 * timelines in steps so that output is byte-for-byte reproducible.
 */
struct event {
	uint64_t ts_ns;
	int64_t a;
	int64_t b;
	uint32_t step;
	int32_t line;
	uint16_t thread; /* 0-based worker index */
	uint16_t kind;   /* enum ev_kind */
};

const char *ev_kind_name(enum ev_kind);
const char *thread_state_name(enum thread_state);

#endif
