/*
 * Calibrated CPU work. Every user (the lessons' modes, the calibration
 * and the benchmarks) computes through the one loop in cpuwork_run: on
 * some machines the squares loop runs up to a quarter slower or faster
 * depending on the code around it, and what is compared must differ only
 * in how it is scheduled.
 */
#include "cpuwork.h"

#include <pthread.h>
#include <stdlib.h>

#include "util.h"

/* Sum of i*i for i in [a, b), modulo 2^64. The empty asm keeps the
 * compiler from replacing the loop by its closed form. Never inlined:
 * the calibration must time the very code the tasks run, because the
 * loop's placement alone can halve its speed on some CPUs. */
static uint64_t squares(uint64_t a, uint64_t b)
    __attribute__((noinline, aligned(64)));

static uint64_t
squares(uint64_t a, uint64_t b)
{
	uint64_t s = 0, i;

	for (i = a; i < b; i++) {
		s += i * i;
		__asm__ __volatile__("" : "+r"(s));
	}
	return s;
}

int __attribute__((noinline))
cpuwork_run(struct cpuwork *wk, cpuwork_check check, void *arg)
{
	int rc;

	while (wk->next < wk->end) {
		uint64_t b = wk->next + CPUWORK_CHUNK < wk->end
		    ? wk->next + CPUWORK_CHUNK
		    : wk->end;
		uint64_t now;

		wk->sum += squares(wk->next, b);
		wk->next = b;
		now = clock_now_ns();
		if (check != NULL && wk->next < wk->end &&
		    (rc = check(arg, now)) != 0)
			return rc;
	}
	return 0;
}

uint64_t
cpuwork_squares(uint64_t a, uint64_t b)
{
	struct cpuwork wk = {a, b, 0};

	cpuwork_run(&wk, NULL, NULL);
	return wk.sum;
}

/* The sum below n from the closed form n(n-1)(2n-1)/6. */
static uint64_t
squares_below(uint64_t n)
{
	unsigned __int128 x = (unsigned __int128)n * (n - (n > 0)) *
	    (2 * (unsigned __int128)n - (n > 0));

	return (uint64_t)(x / 6);
}

uint64_t
cpuwork_expected_sum(uint64_t a, uint64_t b)
{
	return squares_below(b) - squares_below(a);
}

/* Written once by calibrate() under calibrate_once; read only after
 * pthread_once has returned, which orders the write before the read. */
static pthread_once_t calibrate_once = PTHREAD_ONCE_INIT;
static uint64_t iterations_per_ms;

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* How many iterations of squares() take a millisecond here: rounds grow
 * until one lasts 20 ms (so the CPU has left any idle clock), then the
 * median of five such rounds counts (the fastest would be an optimist on
 * a shared machine, and tasks would overrun ms). */
static void
calibrate(void)
{
	uint64_t best, n = 1 << 16, dt = 0, t[5];
	volatile uint64_t sink;
	int i;

	while (n < ((uint64_t)1 << 40)) {
		uint64_t t0 = clock_now_ns();

		sink = cpuwork_squares(0, n);
		dt = clock_now_ns() - t0;
		if (dt >= 20 * 1000 * 1000)
			break;
		n *= 2;
	}
	for (i = 0; i < 5; i++) {
		uint64_t t0 = clock_now_ns();

		sink = cpuwork_squares(0, n);
		t[i] = clock_now_ns() - t0;
	}
	qsort(t, 5, sizeof t[0], cmp_u64);
	best = t[2];
	(void)sink;
	iterations_per_ms = best > 0 ? n * 1000000 / best : n;
	if (iterations_per_ms == 0)
		iterations_per_ms = 1;
}

uint64_t
cpuwork_iterations_per_ms(void)
{
	pthread_once(&calibrate_once, calibrate);
	return iterations_per_ms;
}
