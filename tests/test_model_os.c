/* The model's kernel view (model_os.c): OS samples, lanes that are
 * tasks of one OS thread, and how a thread's samples are shared among
 * them. Part of the model suite (see make_model_suite() in test_model.c). */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "model.h"
#include "sampler.h"
#include "suites.h"
#include "test_model.h"
#include "util.h"

/* A sampler interval of iv_us ending at ts, packed as run.c does. */
static struct event
os_sample(int thread, uint64_t ts, int run_pm, int wait_pm, int iv_us, int cpu)
{
	struct event e = mk_ev(EV_OS_SAMPLE, thread, 0, 0, 0, 0);
	struct sample sm = {.interval_ns = (uint64_t)iv_us * 1000,
	    .run_pm = run_pm,
	    .wait_pm = wait_pm,
	    .state = 'R',
	    .cpu = cpu,
	    .slices = 3};

	e.ts_ns = ts;
	sample_pack(&sm, &e.a, &e.b);
	return e;
}

/* The kernel's view: totals, the split timeline, and who ran on which
 * CPU, with the CPU a worker was last seen on counting for its interval. */
START_TEST(test_os_samples)
{
	struct model *m = model_new(3, MODEL_CLOCK_NS, 16);
	struct event e;
	uint64_t t, ran;
	int k;

	e = mk_ev(EV_STATE, 0, 0, 0, TS_RUNNING, 0);
	e.ts_ns = 1000000000; /* the clock's origin */
	model_apply(m, &e);
	/* A and B share CPU 0 half and half in 10 ms intervals; C runs
	 * alone on CPU 1 for a quarter of each. */
	for (k = 1; k <= 4; k++) {
		t = 1000000000 + (uint64_t)k * 10000000;
		e = os_sample(0, t, 500, 500, 10000, 0);
		model_apply(m, &e);
		e = os_sample(1, t, 400, 600, 10000, 0);
		model_apply(m, &e);
		e = os_sample(2, t, 250, 0, 10000, 1);
		model_apply(m, &e);
	}
	ck_assert_uint_eq(m->threads[0].os_samples, 4);
	ck_assert_uint_eq(m->threads[0].os_slices, 12);
	ck_assert_uint_eq(m->threads[0].os_run_ns, 20000000);
	ck_assert_uint_eq(m->threads[0].os_wait_ns, 20000000);
	ck_assert_uint_eq(m->threads[2].os_blocked_ns, 30000000);
	ck_assert_int_eq(m->threads[2].os_cpu, 1);
	ck_assert_int_eq(m->ncpus, 2);
	ck_assert_int_eq(
	    timeline_bucket_state(&m->threads[0].os_tl, 0, 5000000, m->now),
	    TS_RUNNING);
	ck_assert_int_eq(timeline_bucket_state(
	                     &m->threads[0].os_tl, 5000000, 10000000, m->now),
	    TS_READY);
	ck_assert_int_eq(model_cpu_who(m, 0, 0, 40000000, NULL), 0);
	ck_assert_int_eq(model_cpu_who(m, 1, 0, 40000000, NULL), 2);
	ck_assert_int_eq(model_cpu_who(m, 1, 0, 40000000, &ran), 2);
	ck_assert_uint_eq(ran, 10000000); /* a quarter of each interval */
	ck_assert_int_eq(model_cpu_who(m, 1, 40000000, 50000000, NULL), -1);
	ck_assert_int_eq(model_cpu_who(m, 5, 0, 40000000, NULL), -1);
	/* B moves to CPU 1 and runs more there than C */
	e = os_sample(1, 1050000000, 900, 0, 10000, 1);
	model_apply(m, &e);
	ck_assert_int_eq(model_cpu_who(m, 1, 40000000, 50000000, NULL), 1);
	/* far more intervals than the bound: memory stays bounded and the
	 * early history is still answered */
	for (k = 6; k < 2000; k++) {
		e = os_sample(
		    0, 1000000000 + (uint64_t)k * 10000000, 1000, 0, 10000, 0);
		model_apply(m, &e);
	}
	ck_assert_uint_le(m->cpus[0].cap, 32);
	ck_assert_int_ge(model_cpu_who(m, 0, 0, 40000000, NULL), 0);
	ck_assert_int_eq(
	    model_cpu_who(m, 0, 19000000000ULL, 19900000000ULL, NULL), 0);
	model_free(m);
}
END_TEST

/* ---- lanes that are tasks of one OS thread ---- */

/* Identity changes, and each lane's leader and group size after them. */
struct group_case {
	const char *name;
	int n; /* identity events */
	int lane[6], pid[6], tid[6];
	int leader[5], members[5]; /* 5 lanes */
};

static const struct group_case group_cases[] = {
    {"nobody known", 0, {0}, {0}, {0}, {0, 1, 2, 3, 4}, {1, 1, 1, 1, 1}},
    {"own threads", 5, {0, 1, 2, 3, 4}, {0}, {10, 11, 12, 13, 14},
        {0, 1, 2, 3, 4}, {1, 1, 1, 1, 1}},
    /* an event loop: lanes 1 and 2 join lane 0's thread */
    {"event loop", 5, {0, 1, 2, 1, 2}, {0}, {10, 11, 12, 10, 10},
        {0, 0, 0, 3, 4}, {3, 3, 3, 1, 1}},
    /* the lowest lane leads, whoever joined first */
    {"lowest leads", 3, {4, 2, 3}, {0}, {50, 50, 50}, {0, 1, 2, 2, 2},
        {1, 1, 3, 3, 3}},
    /* the same tid in two processes is two threads; tid 0 is unknown */
    {"pid tells apart", 4, {0, 1, 2, 3}, {0, 7, 0, 0}, {10, 10, 10, 0},
        {0, 1, 0, 3, 4}, {2, 1, 2, 1, 1}},
    /* a lane leaves the group again */
    {"leave", 5, {0, 1, 2, 1, 0}, {0}, {10, 10, 10, 11, 12}, {0, 1, 2, 3, 4},
        {1, 1, 1, 1, 1}},
    {"leader leaves", 4, {0, 1, 2, 0}, {0}, {10, 10, 10, 12}, {0, 1, 1, 3, 4},
        {1, 2, 2, 1, 1}},
};

START_TEST(test_lane_groups)
{
	const struct group_case *c = &group_cases[_i];
	struct model *m = model_new(5, MODEL_CLOCK_NS, 64);
	int k, t;

	for (k = 0; k < c->n; k++)
		apply(
		    m, EV_OS_IDENTITY, c->lane[k], 0, 0, c->pid[k], c->tid[k]);
	for (t = 0; t < 5; t++) {
		ck_assert_msg(model_lane_leader(m, t) == c->leader[t],
		    "%s: lane %d led by %d", c->name, t,
		    model_lane_leader(m, t));
		ck_assert_msg(model_lane_group(m, t) == c->members[t],
		    "%s: lane %d in a group of %d", c->name, t,
		    model_lane_group(m, t));
	}
	ck_assert_int_eq(model_lane_leader(m, 5), -1);
	ck_assert_int_eq(model_lane_leader(m, -1), -1);
	ck_assert_int_eq(model_lane_group(m, 5), 0);
	model_free(m);
}
END_TEST

#define MS 1000000ULL

/* A lane state change at ms into the ns clock (origin 1 s). */
static void
lane_state(struct model *m, int lane, uint64_t ms, enum thread_state s)
{
	struct event e = mk_ev(EV_STATE, lane, 0, 0, s, 0);

	e.ts_ns = 1000000000ULL + ms * MS;
	model_apply(m, &e);
}

/*
 * An event loop's thread, sampled once for its leader, is shared among
 * its task lanes by the time each ran in the interval: their CPU adds up
 * to the thread's, and the cores view shows who really ran. A lane of its
 * own keeps its samples whole.
 */
START_TEST(test_os_share)
{
	struct model *m = model_new(4, MODEL_CLOCK_NS, 64);
	const struct model_thread *th = m->threads;
	uint64_t ran, run = 0, wait = 0, slices = 0;
	struct event e;
	int t;

	/* given: lanes 0-2 are tasks of thread 10, lane 3 has thread 20 */
	lane_state(m, 0, 0, TS_RUNNING); /* the clock's origin */
	for (t = 0; t < 4; t++)
		apply(m, EV_OS_IDENTITY, t, 0, 0, 0, t < 3 ? 10 : 20);
	/* in [0, 10 ms): task 0 runs 2 ms, task 1 6 ms, task 2 waits on
	 * I/O; the loop is idle for the last 2 ms */
	lane_state(m, 1, 0, TS_READY);
	lane_state(m, 2, 0, TS_IO);
	lane_state(m, 0, 2, TS_READY);
	lane_state(m, 1, 2, TS_RUNNING);
	lane_state(m, 1, 8, TS_READY);
	/* when: the thread ran 8 ms, waited 1 ms for a CPU, on CPU 1, in
	 * 4 slices; lane 3 ran 5 ms on CPU 0 */
	e = os_sample(0, 1000000000ULL + 10 * MS, 800, 100, 10000, 1);
	e.b = 1 | (int64_t)'R' << 16 | (int64_t)4 << 32;
	model_apply(m, &e);
	e = os_sample(3, 1000000000ULL + 10 * MS, 500, 0, 10000, 0);
	model_apply(m, &e);
	/* then: shares of a quarter, three quarters and none */
	ck_assert_uint_eq(th[0].os_run_ns, 2 * MS);
	ck_assert_uint_eq(th[1].os_run_ns, 6 * MS);
	ck_assert_uint_eq(th[2].os_run_ns, 0);
	ck_assert_uint_eq(th[0].os_wait_ns, MS / 4);
	ck_assert_uint_eq(th[1].os_wait_ns, 3 * MS / 4);
	ck_assert_uint_eq(th[2].os_wait_ns, 0);
	ck_assert_uint_eq(th[0].os_slices, 1);
	ck_assert_uint_eq(th[1].os_slices, 3);
	for (t = 0; t < 3; t++) {
		/* every lane's interval is accounted for, on the one CPU */
		ck_assert_uint_eq(
		    th[t].os_run_ns + th[t].os_wait_ns + th[t].os_blocked_ns,
		    10 * MS);
		ck_assert_uint_eq(th[t].os_samples, 1);
		ck_assert_int_eq(th[t].os_cpu, 1);
		run += th[t].os_run_ns;
		wait += th[t].os_wait_ns;
		slices += th[t].os_slices;
	}
	ck_assert_uint_eq(run, 8 * MS);
	ck_assert_uint_eq(wait, MS);
	ck_assert_uint_eq(slices, 4);
	ck_assert_int_eq(model_cpu_who(m, 1, 0, 10 * MS, &ran), 1);
	ck_assert_uint_eq(ran, 6 * MS);
	ck_assert_int_eq(
	    timeline_bucket_state(&th[1].os_tl, 0, 6 * MS, m->now), TS_RUNNING);
	ck_assert_int_eq(
	    timeline_bucket_state(&th[2].os_tl, 0, 10 * MS, m->now), TS_IO);
	/* a lane alone keeps its sample */
	ck_assert_uint_eq(th[3].os_run_ns, 5 * MS);
	ck_assert_int_eq(model_cpu_who(m, 0, 0, 10 * MS, NULL), 3);

	/* when no task ran in the interval (the loop itself blocked), the
	 * leader gets it all */
	lane_state(m, 0, 10, TS_IO);
	lane_state(m, 1, 10, TS_IO);
	e = os_sample(0, 1000000000ULL + 20 * MS, 300, 0, 10000, 1);
	model_apply(m, &e);
	ck_assert_uint_eq(th[0].os_run_ns, 5 * MS);
	ck_assert_uint_eq(th[1].os_run_ns, 6 * MS);
	ck_assert_uint_eq(th[2].os_run_ns, 0);
	ck_assert_uint_eq(th[2].os_samples, 2);
	model_free(m);
}
END_TEST

TCase *
make_model_os_tcase(void)
{
	TCase *tc = tcase_create("os");

	tcase_add_test(tc, test_os_samples);
	tcase_add_loop_test(
	    tc, test_lane_groups, 0, (int)IL_ARRAY_LEN(group_cases));
	tcase_add_test(tc, test_os_share);
	return tc;
}
