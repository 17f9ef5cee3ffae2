/*
 * The OS sampler: what the kernel says each worker thread did.
 *
 * /proc/PID/task/TID/schedstat holds three numbers: nanoseconds on a CPU,
 * nanoseconds waiting on a run queue, and the number of time slices.
 * /proc/PID/task/TID/stat holds the state letter (field 3) and the CPU the
 * thread last ran on (field 39). The files stay open and are re-read with
 * pread(); the deltas between two reads split the interval into running,
 * waiting for a CPU, and the rest (blocked or sleeping).
 *
 * Parsing is separate from reading so it is tested on fixed lines.
 */
#ifndef IL_SAMPLER_H
#define IL_SAMPLER_H

#include <stdint.h>
#include <sys/types.h>

struct schedstat {
	uint64_t run_ns;
	uint64_t wait_ns;
	uint64_t slices;
};

/* Parse a schedstat line; 0, or -1 if it is malformed. */
int sampler_parse_schedstat(const char *text, struct schedstat *);

/* Parse a stat line: the state letter and the last CPU; 0 or -1. The
 * command name (field 2) may hold spaces and parentheses. */
int sampler_parse_stat(const char *text, char *state, int *cpu);

/* One interval of one thread, in thousandths of the interval. */
struct sample {
	uint64_t interval_ns;
	int run_pm;     /* on a CPU */
	int wait_pm;    /* runnable, waiting for a CPU */
	int blocked_pm; /* neither: sleeping, blocked on I/O or a lock */
	char state;     /* R, S, D, ... at the end of the interval */
	int cpu;        /* last CPU, -1 if unknown */
	uint64_t slices;
};

/* A thread being watched. */
struct sampled_thread {
	int fd_schedstat;
	int fd_stat;
	struct schedstat prev;
	uint64_t prev_ns;
	int primed; /* a first reading has been taken */
};

/* Open the files of thread tid in process pid (0: this process). 0, or -1
 * when /proc is missing or the thread is gone. */
int sampler_open(struct sampled_thread *, pid_t pid, pid_t tid);
void sampler_close(struct sampled_thread *);

/* Read now (monotonic ns). 1 with a sample for the interval since the last
 * read, 0 on the first read (nothing to compare yet), -1 if a read failed
 * (the thread has ended, or /proc stopped answering). */
int sampler_read(struct sampled_thread *, uint64_t now_ns, struct sample *);

/* Number of CPUs online. */
int sampler_cpus(void);

#endif
