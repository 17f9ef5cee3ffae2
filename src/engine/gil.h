/*
 * A simulated CPython GIL for free runs: a thread must hold it to
 * compute. It lets go for blocking I/O (gil_drop), and after each switch
 * interval, if another thread is waiting for it, it hands it over and
 * waits until someone else has taken it (CPython 3's forced switching,
 * gil_maybe_switch). Waiting for it shows as waiting for the teaching
 * lock it is given (named "GIL"), and its holding intervals as that
 * lock's.
 */
#ifndef IL_GIL_H
#define IL_GIL_H

#include <pthread.h>
#include <stdint.h>

struct il_lock;
struct il_worker;

struct gil {
	/* m guards holder, waiting and takes; any thread of the run may
	 * take it, for short sections only. cv is broadcast whenever
	 * holder or takes changes. */
	pthread_mutex_t m;
	pthread_cond_t cv;
	int holder;         /* worker id, or -1: free */
	int waiting;        /* threads waiting to take it */
	uint64_t takes;     /* times it was taken */
	struct il_lock *lk; /* for the events: the lock "GIL"; set up once */
	uint64_t switch_ns; /* the switch interval; set up once */
	int line;           /* the code line its events show */
};

/* A free GIL that reports as lock lk on line, switching every
 * switch_ns. lk may be NULL if it is never taken. */
void gil_init(struct gil *, struct il_lock *lk, uint64_t switch_ns, int line);
void gil_destroy(struct gil *);

/* Take the GIL, showing the wait. 0, or -1 if the run was cancelled. */
int gil_take(struct gil *, struct il_worker *);
/* Let go of it. */
void gil_drop(struct gil *, struct il_worker *);
/* Between chunks of work: once the holder has had it for a switch
 * interval (since *held_since), hand it over if someone waits, and take
 * it again; *held_since is then the new start. 0, or -1 if cancelled. */
int gil_maybe_switch(
    struct gil *, struct il_worker *, uint64_t *held_since, uint64_t now);

#endif
