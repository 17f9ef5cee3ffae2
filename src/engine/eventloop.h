/*
 * A cooperative event loop for free runs: one thread runs every task, and
 * each task is a lane of its own, whose states the loop reports for it:
 * running (the loop runs it), ready (its turn has not come), blocked on
 * I/O (it awaits a timer or a socket: the loop is free), done. A task
 * runs until it awaits (eventloop_await_timer, eventloop_await_fd) or
 * yields (returns without awaiting); then the loop runs the next ready
 * one, and when none is ready it sleeps in poll() until a wait is over.
 *
 * Lane 0's thread is the loop. The other lanes' threads only sleep until
 * the loop has ended, using no CPU, and the OS sampler watches the loop's
 * thread for all of them.
 */
#ifndef IL_EVENTLOOP_H
#define IL_EVENTLOOP_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

struct il_worker;
struct eventloop;
struct pollfd;

/* What the loop asks of its tasks' owner. */
struct eventloop_ops {
	/* Run task k until it awaits, yields or ends: 1 if it ended. */
	int (*step)(void *arg, struct eventloop *, int k);
	/* Task k's awaited socket fd can be read: 0 if more is to come,
	 * else its wait is over (the loop then closes fd). */
	int (*readable)(void *arg, int k, int fd);
	/* Task k has ended (its lane is done). */
	void (*ended)(void *arg, int k);
	int line; /* the code line of queued and ended tasks */
};

struct eventloop {
	struct il_worker *lanes; /* one per task; lanes[0] runs the loop */
	int ntasks;
	const struct eventloop_ops *ops;
	void *arg;
	/* m and cv let the other lanes sleep until done is set: lane 0
	 * sets done under m and broadcasts cv; the other lanes wait on cv
	 * under m. No other data is guarded by m. */
	pthread_mutex_t m;
	pthread_cond_t cv;
	/* Lane threads that have started: each lane adds one as it
	 * starts; lane 0 waits (polling) until all have. */
	_Atomic int lanes_in;
	/* 1 once the loop has ended: stored once by lane 0, read by the
	 * other lanes. */
	_Atomic int done;
	/* The loop thread's own (only lane 0 touches them): */
	uint64_t *deadline; /* a task's timer, 0 if none */
	int *fd;            /* a task's awaited socket, or -1 */
	int *queue;         /* the ready queue: a ring of task numbers */
	int head, len;
	struct pollfd *pfd; /* poll()'s sockets, and whose each one is */
	int *who;
};

/* A loop of ntasks tasks, task k on lanes[k]. */
void eventloop_init(struct eventloop *, struct il_worker *lanes, int ntasks,
    const struct eventloop_ops *, void *arg);
void eventloop_destroy(struct eventloop *);

/* Lane w's thread: lane 0 runs the loop until every task has ended (or
 * the run is cancelled), the others wait for that. */
void eventloop_lane(struct eventloop *, struct il_worker *w);

/* From a step: task k awaits until the time deadline (clock_now_ns), or
 * until fd can be read. */
void eventloop_await_timer(struct eventloop *, int k, uint64_t deadline);
void eventloop_await_fd(struct eventloop *, int k, int fd);

#endif
