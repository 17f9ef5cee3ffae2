/* The io-vs-cpu lesson's pieces that tests and the measuring front end
 * use. */
#ifndef IL_IOVSCPU_H
#define IL_IOVSCPU_H

#include <stdint.h>

/* Parameter slots and their named values. */
enum {
	IOVSCPU_KIND,
	IOVSCPU_IO,
	IOVSCPU_MODE,
	IOVSCPU_TASKS,
	IOVSCPU_MS,
	IOVSCPU_WORKERS,
	IOVSCPU_SWITCH,
	IOVSCPU_SAMPLE,
	IOVSCPU_GREEDY
};
enum { IOVSCPU_KIND_IO, IOVSCPU_KIND_CPU };
enum { IOVSCPU_IO_SLEEP, IOVSCPU_IO_SOCKET };
enum {
	IOVSCPU_SEQUENTIAL,
	IOVSCPU_THREADS,
	IOVSCPU_GIL,
	IOVSCPU_PROCESSES,
	IOVSCPU_EVENTLOOP,
	IOVSCPU_ALL
};

/* The sum of i*i for i in [a, b), modulo 2^64, from the closed form. */
uint64_t iovscpu_expected_sum(uint64_t a, uint64_t b);

/* The same by the loop the CPU tasks run (for benchmarks that do the
 * work without the lesson around it), and how many of its iterations
 * take about a millisecond here (calibrated once per process). */
uint64_t iovscpu_squares(uint64_t a, uint64_t b);
uint64_t iovscpu_iterations_per_ms(void);

#endif
