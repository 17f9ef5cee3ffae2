/*
 * Process lanes for free runs: a lane's thread forks a child process that
 * does the lane's work, relays the child's state changes to the lane's
 * timeline, and reaps it (killing it first if the run is cancelled).
 *
 * Before the children are forked, proclane_map maps one region shared
 * and anonymous, so it is gone with the last process that maps it
 * (nothing is left in /dev/shm): first the caller's data (what the
 * children share with the run: task counters, results), then one
 * single-producer ring of state reports per lane, each with room for
 * every report its child can send, so nothing is dropped.
 */
#ifndef IL_PROCLANE_H
#define IL_PROCLANE_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"

struct il_worker;

/* The mapping: written by proclane_map before any fork, read-only after
 * (children get a copy). */
struct proclanes {
	void *base;       /* the mapping; its start is the caller's data */
	size_t size;      /* its length */
	size_t ring_off;  /* where the first ring begins */
	size_t ring_size; /* bytes per ring */
};

/* Map data_size bytes of zeroed shared data and a ring for each of
 * lanes, each holding events reports. Returns the data, or NULL with a
 * message in err. */
void *proclane_map(struct proclanes *, size_t data_size, int lanes,
    uint32_t events, char *err, size_t errlen);
/* Unmap it (nothing if it was never mapped). */
void proclane_unmap(struct proclanes *);

/* The child's work: runs in the new process, then the process exits.
 * Only async-signal-safe calls, atomics and the shared data: the child
 * of a threaded process must not touch what another (now absent) thread
 * may have held locked at fork time. */
typedef void (*proclane_child)(void *arg, int lane);

/* On lane w's thread: fork a child that runs child(arg, w->id), relay
 * its reports until it has ended, and reap it. 0, or -1 if fork failed. */
int proclane_run(
    struct proclanes *, struct il_worker *w, proclane_child child, void *arg);

/* In the child of lane: its lane is now in state s on line (never
 * blocks). */
void proclane_report(
    struct proclanes *, int lane, enum thread_state s, int line);

#endif
