/*
 * Calibrated CPU work: sums of squares of a range of integers, done in
 * chunks so that a caller can check (for cancel, a switch interval, a
 * yield) between them, and sized by a one-time calibration so that a
 * task of n milliseconds is cpuwork_iterations_per_ms() * n iterations.
 * Every sum can be checked against the closed form.
 */
#ifndef IL_CPUWORK_H
#define IL_CPUWORK_H

#include <stdint.h>

/* Iterations between two calls of a cpuwork_check. */
#define CPUWORK_CHUNK (1 << 20)

/* A piece of work: the next number to square, one past the last, and the
 * sum so far. */
struct cpuwork {
	uint64_t next, end, sum;
};

/* Called between chunks with the time: 0 to go on, 1 to stop for now
 * (the work resumes later), -1 to give up. */
typedef int (*cpuwork_check)(void *arg, uint64_t now);

/* Do the work chunk by chunk, asking check (if not NULL) between chunks.
 * Returns 0 when it is done, or what check said. */
int cpuwork_run(struct cpuwork *, cpuwork_check check, void *arg);

/* The sum of i*i for i in [a, b), modulo 2^64, by the same loop with no
 * checks. */
uint64_t cpuwork_squares(uint64_t a, uint64_t b);

/* The same from the closed form, for checking. */
uint64_t cpuwork_expected_sum(uint64_t a, uint64_t b);

/* How many iterations take about a millisecond here (calibrated once per
 * process, on first use; thread-safe). */
uint64_t cpuwork_iterations_per_ms(void);

#endif
