/* The OS sampler: parsing fixed /proc lines, and reading real threads. */
#include <check.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "sampler.h"
#include "suites.h"
#include "util.h"

struct schedstat_case {
	const char *text;
	int ok;
	uint64_t run, wait, slices;
};

static const struct schedstat_case schedstat_cases[] = {
    {"123456 7890 12\n", 1, 123456, 7890, 12},
    {"0 0 0\n", 1, 0, 0, 0},
    {"18446744073709551615 1 2", 1, UINT64_MAX, 1, 2},
    {"5 6 7 \n", 1, 5, 6, 7},
    {"", 0, 0, 0, 0},
    {"\n", 0, 0, 0, 0},
    {"12 34\n", 0, 0, 0, 0},
    {"12 34 56 78\n", 0, 0, 0, 0},
    {"-1 2 3\n", 0, 0, 0, 0},
    {"1x 2 3\n", 0, 0, 0, 0},
    {"18446744073709551616 1 2\n", 0, 0, 0, 0}, /* overflows */
    {"1,2,3\n", 0, 0, 0, 0},
    {"1 2 3\n4", 0, 0, 0, 0},
};

START_TEST(test_parse_schedstat)
{
	const struct schedstat_case *c = &schedstat_cases[_i];
	struct schedstat st;
	int rc = sampler_parse_schedstat(c->text, &st);

	ck_assert_msg((rc == 0) == c->ok, "'%s': rc %d", c->text, rc);
	if (c->ok) {
		ck_assert_uint_eq(st.run_ns, c->run);
		ck_assert_uint_eq(st.wait_ns, c->wait);
		ck_assert_uint_eq(st.slices, c->slices);
	}
}
END_TEST

struct stat_case {
	const char *text;
	int ok;
	char state;
	int cpu;
};

static const struct stat_case stat_cases[] = {
    {"4242 (interleave) R 1 2 3 4 5 6 7 8 9 10 11 12 13 14 20 0 1 0 100 "
     "2000 300 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 "
     "0\n",
        1, 'R', 1},
    {"7 (a b) c) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 20 0 1 0 100 2000 300 "
     "18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 3 0 0 0 0 0\n",
        1, 'S', 3},
    {"7 (x) D 1 2 3 4 5 6 7 8 9 10 11 12 13 14 -2 -20 1 0 100 2000 300 "
     "18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0\n",
        1, 'D', 0},
    {"", 0, 0, 0}, {"7 x R 1 2 3\n", 0, 0, 0},
    {"7 (x) Q 1 2 3 4 5 6 7 8 9 10 11 12 13 14 20 0 1 0 100 2000 300 "
     "18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0\n",
        0, 0, 0},                 /* not a state letter */
    {"7 (x) R 1 2 3\n", 0, 0, 0}, /* truncated before the CPU */
    {"7 (x) R\n", 0, 0, 0}, {"7 (x)R 1 2\n", 0, 0, 0},
    {"7 (x) R 1 2 3 4 5 6 7 8 9 10 11 12 13 14 20 0 1 0 100 2000 300 "
     "18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 99999 0\n",
        0, 0, 0}, /* an absurd CPU number */
};

START_TEST(test_parse_stat)
{
	const struct stat_case *c = &stat_cases[_i];
	char state = 0;
	int cpu = -1;
	int rc = sampler_parse_stat(c->text, &state, &cpu);

	ck_assert_msg((rc == 0) == c->ok, "case %d: rc %d", _i, rc);
	if (c->ok) {
		ck_assert_int_eq(state, c->state);
		ck_assert_int_eq(cpu, c->cpu);
	}
}
END_TEST

/* Samples survive the trip through an EV_OS_SAMPLE payload, with an
 * unknown CPU and over-long counts saturated. */
static const struct sample pack_cases[] = {
    {10000000, 500, 400, 100, 'R', 1, 3},
    {10000000, 0, 0, 1000, 'S', -1, 0},
    {4294967295000ULL, 1000, 0, 0, 'D', 65534, 4294967295ULL},
};

START_TEST(test_sample_pack_roundtrip)
{
	const struct sample *in = &pack_cases[_i];
	struct sample out;
	int64_t a, b;

	/* when */
	sample_pack(in, &a, &b);
	sample_unpack(a, b, &out);

	/* then */
	ck_assert_uint_eq(out.interval_ns, in->interval_ns);
	ck_assert_int_eq(out.run_pm, in->run_pm);
	ck_assert_int_eq(out.wait_pm, in->wait_pm);
	ck_assert_int_eq(out.blocked_pm, in->blocked_pm);
	ck_assert_int_eq(out.state, in->state);
	ck_assert_int_eq(out.cpu, in->cpu);
	ck_assert_uint_eq(out.slices, in->slices);
}
END_TEST

START_TEST(test_sample_pack_saturates)
{
	struct sample in = {.interval_ns = UINT64_MAX, .slices = UINT64_MAX};
	struct sample out;
	int64_t a, b;

	sample_pack(&in, &a, &b);
	sample_unpack(a, b, &out);
	ck_assert_uint_eq(out.interval_ns, 4294967295000ULL);
	ck_assert_uint_eq(out.slices, 0xffffffffu);
}
END_TEST

/* The real files of this very thread parse. */
START_TEST(test_parse_real_lines)
{
	struct sampled_thread t;
	struct sample s;
	pid_t tid = (pid_t)syscall(SYS_gettid);

	if (sampler_open(&t, 0, tid) != 0)
		return; /* no /proc here: nothing to read */
	ck_assert_int_eq(sampler_read(&t, clock_now_ns(), &s), 0);
	ck_assert_int_eq(sampler_read(&t, clock_now_ns() + 1000000, &s), 1);
	ck_assert(s.state == 'R');
	ck_assert_int_ge(s.cpu, 0);
	sampler_close(&t);
	ck_assert_int_eq(sampler_read(&t, clock_now_ns(), &s), -1);
	ck_assert_int_eq(sampler_open(&t, 0, 999999999), -1);
}
END_TEST

/* ---- real threads: spinning, sleeping, oversubscribed ---- */

#define MAX_SPIN 64

struct spinner {
	pthread_t th;
	_Atomic int tid;
	_Atomic int *stop;
	int sleep;
};

static void *
spin(void *arg)
{
	struct spinner *s = arg;
	volatile uint64_t x = 0;

	atomic_store(&s->tid, (int)syscall(SYS_gettid));
	while (!atomic_load_explicit(s->stop, memory_order_relaxed)) {
		if (s->sleep) {
			struct timespec ts = {0, 5 * 1000 * 1000};

			nanosleep(&ts, NULL);
		} else {
			x += 1;
		}
	}
	return (void *)(uintptr_t)(x & 1); /* the spin's work is used */
}

/* Run n threads (spinning or sleeping) for about ms and return their mean
 * running and waiting thousandths over the last interval. */
static void
watch(int n, int sleeping, int ms, int *run_pm, int *wait_pm, int *blk_pm)
{
	struct spinner sp[MAX_SPIN];
	struct sampled_thread st[MAX_SPIN];
	_Atomic int stop = 0;
	struct sample s;
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000};
	int i, opened = 0, run = 0, wait = 0, blk = 0, got = 0;

	for (i = 0; i < n; i++) {
		sp[i].stop = &stop;
		sp[i].sleep = sleeping;
		atomic_store(&sp[i].tid, 0);
		ck_assert_int_eq(
		    pthread_create(&sp[i].th, NULL, spin, &sp[i]), 0);
	}
	for (i = 0; i < n; i++) {
		while (atomic_load(&sp[i].tid) == 0)
			sched_yield();
		if (sampler_open(&st[i], 0, (pid_t)atomic_load(&sp[i].tid)) ==
		    0)
			opened++;
		else
			st[i].fd_schedstat = st[i].fd_stat = -1;
		sampler_read(&st[i], clock_now_ns(), &s);
	}
	nanosleep(&ts, NULL);
	for (i = 0; i < n; i++) {
		if (sampler_read(&st[i], clock_now_ns(), &s) == 1) {
			ck_assert_int_eq(
			    s.run_pm + s.wait_pm + s.blocked_pm, 1000);
			run += s.run_pm;
			wait += s.wait_pm;
			blk += s.blocked_pm;
			got++;
		}
		sampler_close(&st[i]);
	}
	atomic_store(&stop, 1);
	for (i = 0; i < n; i++)
		pthread_join(sp[i].th, NULL);
	ck_assert_int_eq(got, opened);
	*run_pm = got ? run / got : -1;
	*wait_pm = got ? wait / got : -1;
	*blk_pm = got ? blk / got : -1;
}

START_TEST(test_sleeper_is_blocked)
{
	int run, wait, blk;

	watch(1, 1, 300, &run, &wait, &blk);
	if (run < 0)
		return; /* no /proc */
	ck_assert_msg(blk >= 700,
	    "a sleeping thread: run %d wait %d blocked %d", run, wait, blk);
}
END_TEST

/* Twice as many spinning threads as CPUs: each runs part of the time and
 * waits for a CPU for a real share of it, as the kernel reports. How much
 * depends on the machine's load, so the bounds are wide. */
START_TEST(test_oversubscribed_threads_wait)
{
	int n = 2 * sampler_cpus(), run, wait, blk;

	if (n > MAX_SPIN)
		n = MAX_SPIN;
	watch(n, 0, 400, &run, &wait, &blk);
	if (run < 0)
		return;
	ck_assert_msg(run >= 50 && wait >= 150,
	    "%d spinners on %d CPUs: run %d wait %d blocked %d", n,
	    sampler_cpus(), run, wait, blk);
	ck_assert_msg(blk <= 300, "spinners are not blocked: %d", blk);
}
END_TEST

Suite *
make_sampler_suite(void)
{
	Suite *s = suite_create("sampler");
	TCase *tc = tcase_create("parse");
	TCase *real = tcase_create("real");

	tcase_add_loop_test(tc, test_parse_schedstat, 0,
	    (int)(sizeof schedstat_cases / sizeof schedstat_cases[0]));
	tcase_add_loop_test(tc, test_parse_stat, 0,
	    (int)(sizeof stat_cases / sizeof stat_cases[0]));
	tcase_add_loop_test(
	    tc, test_sample_pack_roundtrip, 0, (int)IL_ARRAY_LEN(pack_cases));
	tcase_add_test(tc, test_sample_pack_saturates);
	suite_add_tcase(s, tc);
	tcase_set_timeout(real, 60);
	tcase_add_test(real, test_parse_real_lines);
	tcase_add_test(real, test_sleeper_is_blocked);
	tcase_add_test(real, test_oversubscribed_threads_wait);
	suite_add_tcase(s, real);
	return s;
}
