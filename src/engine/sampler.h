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

/*
 * A sample as the payload of an EV_OS_SAMPLE event, the one place its
 * layout is written down. a: running in bits 0-9 and waiting in bits
 * 10-19 (thousandths of the interval), the interval in microseconds in
 * bits 20-51; b: the last CPU in bits 0-15 (SAMPLE_CPU_UNKNOWN: unknown),
 * the state letter in bits 16-23, the time slices in bits 32-63. The run
 * loop packs; the model unpacks.
 */
#define SAMPLE_CPU_UNKNOWN 0xffff

/* Pack sm into an event's a and b. */
static inline void
sample_pack(const struct sample *sm, int64_t *a, int64_t *b)
{
	uint64_t iv_us = sm->interval_ns / 1000;

	if (iv_us > 0xffffffffu)
		iv_us = 0xffffffffu;
	/* Shifted as unsigned: a signed shift into the sign bit is
	 * undefined, and the top field reaches it. */
	*a = (int64_t)(((uint64_t)sm->run_pm & 0x3ff) |
	    ((uint64_t)sm->wait_pm & 0x3ff) << 10 | iv_us << 20);
	*b = (int64_t)((uint64_t)(sm->cpu < 0 ? SAMPLE_CPU_UNKNOWN
	                                      : sm->cpu & 0xffff) |
	    (uint64_t)(unsigned char)sm->state << 16 |
	    (sm->slices > 0xffffffffu ? 0xffffffffu : sm->slices) << 32);
}

/* Unpack an event's a and b into *sm. run_pm and wait_pm are as stored
 * (up to 1023): a caller checks they make a sample (sum at most 1000);
 * blocked_pm is the rest of the interval, 0 if they do not. */
static inline void
sample_unpack(int64_t a, int64_t b, struct sample *sm)
{
	int cpu = (int)((uint64_t)b & 0xffff);

	sm->run_pm = (int)((uint64_t)a & 0x3ff);
	sm->wait_pm = (int)((uint64_t)a >> 10 & 0x3ff);
	sm->blocked_pm = sm->run_pm + sm->wait_pm <= 1000
	    ? 1000 - sm->run_pm - sm->wait_pm
	    : 0;
	sm->interval_ns = ((uint64_t)a >> 20 & 0xffffffffu) * 1000;
	sm->state = (char)((uint64_t)b >> 16 & 0xff);
	sm->cpu = cpu == SAMPLE_CPU_UNKNOWN ? -1 : cpu;
	sm->slices = (uint64_t)b >> 32;
}

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
