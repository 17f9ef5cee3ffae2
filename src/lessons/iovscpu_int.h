/*
 * What the two halves of the io-vs-cpu module share: iovscpu.c (the
 * module: parameters, setup, result, keys) and iovscpu_work.c (what its
 * worker threads, processes and event-loop tasks do). Private to them.
 */
#ifndef IL_IOVSCPU_INT_H
#define IL_IOVSCPU_INT_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "eventloop.h"
#include "gil.h"
#include "lessons/iovscpu.h"
#include "proclane.h"

struct run;
struct il_worker;

enum {
	P_KIND = IOVSCPU_KIND,
	P_IO = IOVSCPU_IO,
	P_MODE = IOVSCPU_MODE,
	P_TASKS = IOVSCPU_TASKS,
	P_MS = IOVSCPU_MS,
	P_WORKERS = IOVSCPU_WORKERS,
	P_SWITCH = IOVSCPU_SWITCH,
	P_SAMPLE = IOVSCPU_SAMPLE,
	P_GREEDY = IOVSCPU_GREEDY,
};
enum { KIND_IO = IOVSCPU_KIND_IO, KIND_CPU = IOVSCPU_KIND_CPU };
enum { IO_SLEEP = IOVSCPU_IO_SLEEP, IO_SOCKET = IOVSCPU_IO_SOCKET };
enum {
	MODE_SEQUENTIAL = IOVSCPU_SEQUENTIAL,
	MODE_THREADS = IOVSCPU_THREADS,
	MODE_GIL = IOVSCPU_GIL,
	MODE_PROCESSES = IOVSCPU_PROCESSES,
	MODE_EVENTLOOP = IOVSCPU_EVENTLOOP,
	MODE_ALL = IOVSCPU_ALL,
};

enum { LINE_TAKE = 1, LINE_IO, LINE_CPU, LINE_GIL };

struct el_task;

struct iovscpu {
	int kind, io, mode, tasks;
	long ms;
	int workers;
	uint64_t per_task; /* CPU: iterations per task */
	uint64_t switch_ns;
	/* Task counters, shared by the worker threads: any of them may
	 * touch them, with atomic read-modify-writes; the verdict reads
	 * them after the join. */
	_Atomic int next;        /* next task to take */
	_Atomic int done;        /* tasks completed */
	_Atomic uint64_t end_ns; /* when the last worker finished */
	_Atomic uint64_t cpu_ns; /* CPU time the workers used */
	uint64_t *sums;          /* CPU: each task's result */
	struct gil gil;          /* gil: the simulated GIL */
	struct run *run;
	int greedy;
	struct eventloop loop; /* eventloop: the loop that runs the tasks */
	struct el_task *el;    /* eventloop: its tasks; only lane 0 uses it */
	struct pageserver *server; /* io=socket: the slow site */
	int port;
	_Atomic int failed;     /* io=socket: requests that got no page */
	struct shm *shm;        /* processes: shared with the children */
	struct proclanes procs; /* processes: the mapping shm lies in */
	_Atomic int fork_failed;
};

/*
 * Processes: what the parent shares with its children, in the shared
 * mapping (see proclane.h). Children take tasks from next and write
 * their sums; the counters are touched with atomic read-modify-writes
 * by every child, and read by the parent after the children are reaped.
 */
struct shm {
	_Atomic int next;
	_Atomic int done;
	_Atomic int failed;
	_Atomic uint64_t cpu_ns;
	uint64_t sums[]; /* tasks of them */
};

/* The body of every worker thread (iovscpu_work.c). */
void iovscpu_worker(struct il_worker *);
/* Processes: map what the parent shares with lanes children; 0, or -1
 * with a message in err. */
int iovscpu_shm_map(struct iovscpu *, int lanes, char *err, size_t errlen);
/* The event loop: set its tasks up for run r. */
void iovscpu_eventloop_setup(struct iovscpu *, struct run *);

#endif
