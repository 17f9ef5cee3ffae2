/* One run (src/engine/run.c): building it, its error paths, starting,
 * stepping, cancelling and joining its workers, and its result line. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "evq.h"
#include "module.h"
#include "result.h"
#include "run.h"
#include "suites.h"
#include "util.h"

/* The test module's parameters. */
enum { P_THREADS, P_FAIL, P_WORK, P_COUNT };
/* What the test module's worker does (P_WORK). */
enum { WORK_COUNT, WORK_SPIN, WORK_EVENTS };
/* Where the test module refuses to go on (P_FAIL). */
enum { FAIL_NONE, FAIL_VALIDATE, FAIL_SETUP };

static const struct param_def tr_params[] = {
    [P_THREADS] = {"threads", 2, 1, CONDUCTOR_MAX_THREADS, "workers", NULL},
    [P_FAIL] = {"fail", 0, 0, 2, "where to fail", NULL},
    [P_WORK] = {"work", 0, 0, 2, "what each worker does", NULL},
    [P_COUNT] = {"count", 3, 1, 100000, "steps per worker", NULL},
};

struct tr_state {
	struct il_var *counter;
	long count, work;
	_Atomic int ran; /* workers that got to their body; any worker adds */
};

/* How often the module's hooks were called: the controller only (and
 * each test runs in its own process). */
static int setups, teardowns, validations, last_controlled;

/* Each test starts with no hook called (also under CK_FORK=no). */
static void
tr_reset(void)
{
	setups = teardowns = validations = last_controlled = 0;
}

static int
tr_threads(const long *params)
{
	return (int)params[P_THREADS];
}

static int
tr_validate(const long *params, int controlled, char *err, size_t errlen)
{
	validations++;
	last_controlled = controlled;
	if (params[P_FAIL] != FAIL_VALIDATE)
		return 0;
	snprintf(err, errlen, "validate says no");
	return -1;
}

static int
tr_setup(struct run *r, const long *params, char *err, size_t errlen)
{
	struct tr_state *st;

	setups++;
	if (params[P_FAIL] == FAIL_SETUP) {
		snprintf(err, errlen, "setup says no");
		return -1;
	}
	st = xcalloc(1, sizeof *st);
	st->counter = run_add_var(r, "counter", 0, 1);
	st->count = params[P_COUNT];
	st->work = params[P_WORK];
	r->lesson = st;
	return 0;
}

static void
tr_worker(struct il_worker *w)
{
	struct tr_state *st = w->lesson;
	struct timespec ms = {0, 1000000};
	long i;

	atomic_fetch_add(&st->ran, 1);
	if (st->work == WORK_SPIN) {
		while (!il_cancelled(w))
			nanosleep(&ms, NULL);
		return;
	}
	for (i = 0; i < st->count && !il_cancelled(w); i++) {
		if (st->work == WORK_EVENTS)
			il_line(w, 1);
		else
			il_store(
			    w, st->counter, il_load(w, st->counter, 1) + 1, 1);
	}
}

static void
tr_result(struct run *r, struct result *res)
{
	struct tr_state *st = r->lesson;

	result_int(res, "ran", atomic_load(&st->ran));
	result_int(res, "counter", (int64_t)atomic_load(&st->counter->value));
}

static void
tr_teardown(struct run *r)
{
	teardowns++;
	free(r->lesson);
	r->lesson = NULL;
}

static const char *const tr_code[] = {"counter = counter + 1"};

static const struct lesson_module tr_module = {
    .id = "test-run",
    .params = tr_params,
    .nparams = IL_ARRAY_LEN(tr_params),
    .code = tr_code,
    .ncode = IL_ARRAY_LEN(tr_code),
    .threads = tr_threads,
    .setup = tr_setup,
    .worker = tr_worker,
    .result = tr_result,
    .teardown = tr_teardown,
    .validate = tr_validate,
};

/* A configuration of the test module: params over its defaults. */
static void
tr_config(struct run_config *cfg, const char *params, enum policy policy)
{
	th_config(cfg, &tr_module, params, policy);
}

/* A run of 0, or one more than the most threads, is refused before
 * anything is built. */
START_TEST(test_thread_count_refused)
{
	static const int counts[] = {0, CONDUCTOR_MAX_THREADS + 1};
	struct run_config cfg;
	char err[256], want[256];

	tr_config(&cfg, NULL, POLICY_FREE);
	cfg.params[P_THREADS] = counts[_i];
	ck_assert_ptr_null(run_new(&cfg, err, sizeof err));
	snprintf(want, sizeof want, "a run needs 1 to %d threads, not %d",
	    CONDUCTOR_MAX_THREADS, counts[_i]);
	ck_assert_str_eq(err, want);
	ck_assert_int_eq(setups, 0);
}
END_TEST

/* validate is asked first, with whether the run is controlled, and its
 * refusal is the run's: setup never runs. */
START_TEST(test_validate_refuses)
{
	struct run_config cfg;
	char err[256];

	tr_config(&cfg, "fail=1", _i ? POLICY_STEP : POLICY_FREE);
	ck_assert_ptr_null(run_new(&cfg, err, sizeof err));
	ck_assert_str_eq(err, "validate says no");
	ck_assert_int_eq(validations, 1);
	ck_assert_int_eq(last_controlled, _i);
	ck_assert_int_eq(setups, 0);
}
END_TEST

/* A setup that fails: no run, its message, and no teardown of the state
 * it never made. */
START_TEST(test_setup_fails)
{
	struct run_config cfg;
	char err[256];

	tr_config(&cfg, "fail=2", POLICY_FREE);
	ck_assert_ptr_null(run_new(&cfg, err, sizeof err));
	ck_assert_str_eq(err, "setup says no");
	ck_assert_int_eq(setups, 1);
	ck_assert_int_eq(teardowns, 0);
}
END_TEST

/* An event queue larger than the queue allows: refused, not built. */
START_TEST(test_queue_too_large)
{
	struct run_config cfg;
	char err[256];

	tr_config(&cfg, NULL, POLICY_FREE);
	cfg.evq_capacity = (size_t)1 << 40;
	ck_assert_ptr_null(run_new(&cfg, err, sizeof err));
	ck_assert_str_eq(err, "cannot create the event queue");
	ck_assert_int_eq(setups, 0);
}
END_TEST

/* A built run has its threads, its variable and no started thread; freeing
 * it unstarted tears the module down once. */
START_TEST(test_new_unstarted)
{
	struct run_config cfg;
	struct run *r;
	char err[256];

	tr_config(&cfg, "threads=5", POLICY_FREE);
	r = run_new(&cfg, err, sizeof err);
	ck_assert_msg(r != NULL, "%s", err);
	ck_assert_int_eq(r->nthreads, 5);
	ck_assert_int_eq(r->nvars, 1);
	ck_assert_int_eq(r->started, 0);
	ck_assert_int_eq(r->m->nthreads, 5);
	ck_assert_int_eq(r->workers[4].id, 4);
	ck_assert_ptr_eq(r->workers[4].lesson, r->lesson);
	run_free(r);
	ck_assert_int_eq(teardowns, 1);
}
END_TEST

/* A free run: every worker runs and is joined, and the result is the
 * module's pairs then dropped=0. */
START_TEST(test_free_run)
{
	struct run_config cfg;
	struct run *r;
	char line[256];

	tr_config(&cfg, "threads=4 count=50", POLICY_FREE);
	r = th_start(&cfg);
	th_wait_done(r);
	ck_assert(run_done(r));
	ck_assert_int_eq(r->joined, 1);
	ck_assert_int_eq(atomic_load(&r->finished), 4);
	ck_assert_uint_ge(r->end_ns, r->start_ns);
	ck_assert_int_eq(th_verdict_value(r, "ran"), 4);
	ck_assert_int_le(th_verdict_value(r, "counter"), 200);
	ck_assert_int_ge(th_verdict_value(r, "counter"), 1);
	th_result(r, line, sizeof line);
	ck_assert_msg(strstr(line, " dropped=0") != NULL &&
	        strcmp(line + strlen(line) - 10, " dropped=0") == 0,
	    "%s", line);
	ck_assert_uint_eq(r->m->vars[0].stores, 200);
	run_free(r);
	ck_assert_int_eq(teardowns, 1);
}
END_TEST

/* A controlled run starts with every worker parked at its first step,
 * moves only when granted, and refuses a thread that does not exist. */
START_TEST(test_controlled_run_parks)
{
	struct run_config cfg;
	struct run *r;
	char why[256];
	int t, line;

	tr_config(&cfg, "threads=3 count=2", POLICY_STEP);
	r = th_start(&cfg);
	ck_assert_int_eq(r->started, 3);
	ck_assert_int_eq(atomic_load(&r->finished), 0);
	for (t = 0; t < 3; t++)
		ck_assert_int_eq(
		    conductor_pending(r->c, t, NULL, &line), OP_LOAD);
	ck_assert_int_eq(run_step(r, 3, why, sizeof why), -1);
	ck_assert_str_eq(why, "thread 4 does not exist (3 threads)");
	ck_assert_int_eq(run_step(r, 1, why, sizeof why), 0);
	ck_assert_int_eq(conductor_pending(r->c, 1, NULL, &line), OP_STORE);
	ck_assert_uint_eq(conductor_steps(r->c), 1);
	th_wait_done(r);
	/* B loaded 0 before A's two increments, so its store loses them;
	 * then B's second and C's two: 4 */
	ck_assert_int_eq(th_verdict_value(r, "counter"), 4);
	run_free(r);
}
END_TEST

/* run_finish on a free run still going cancels it and joins every
 * worker; a second run_finish does nothing. */
START_TEST(test_cancel_free_run)
{
	struct run_config cfg;
	struct run *r;

	tr_config(&cfg, "threads=3 work=1", POLICY_FREE);
	r = th_start(&cfg);
	ck_assert_int_eq(run_done(r), 0);
	run_finish(r);
	ck_assert(conductor_cancelled(r->c));
	ck_assert(run_done(r));
	ck_assert_int_eq(r->joined, 1);
	run_finish(r);
	ck_assert_int_eq(th_verdict_value(r, "ran"), 3);
	run_free(r);
	ck_assert_int_eq(teardowns, 1);
}
END_TEST

/* run_free on a controlled run nobody stepped: the parked workers are
 * cancelled and joined, and none took a step. */
START_TEST(test_free_parked_run)
{
	struct run_config cfg;
	struct run *r;

	tr_config(&cfg, "threads=4", POLICY_STEP);
	r = th_start(&cfg);
	run_finish(r);
	ck_assert(conductor_cancelled(r->c));
	ck_assert_int_eq(th_verdict_value(r, "counter"), 0);
	run_free(r);
	ck_assert_int_eq(teardowns, 1);
}
END_TEST

/* Events that found the queue full are dropped, counted, and said in the
 * result: a tiny queue nobody reads while the workers run. */
START_TEST(test_dropped_counted)
{
	struct run_config cfg;
	struct timespec ms = {0, 1000000};
	struct run *r;
	char err[256];
	uint64_t dropped;

	tr_config(&cfg, "threads=2 work=2 count=2000", POLICY_FREE);
	cfg.evq_capacity = 16;
	r = run_new(&cfg, err, sizeof err);
	ck_assert_msg(r != NULL, "%s", err);
	evq_set_push_timeout(r->q, 0); /* drop at once when full */
	ck_assert_int_eq(run_start(r), 0);
	while (!run_done(r))
		nanosleep(&ms, NULL);
	run_finish(r);
	dropped = evq_dropped(r->q);
	ck_assert_uint_gt(dropped, 0);
	ck_assert_int_eq(th_verdict_value(r, "dropped"), (long long)dropped);
	ck_assert_int_eq(th_verdict_value(r, "ran"), 2);
	run_free(r);
}
END_TEST

/* The README's example and the serial schedule, through the race
 * lesson: a schedule gives the same result every time. */
static const struct {
	const char *schedule;
	long long counter, lost;
} race_cases[] = {
    {"1,2,1,2,1,2", 1, 1}, {"1,1,1,2,2,2", 2, 0},
    {"1,2", 1, 1}, /* the rest to the lowest runnable: A, then B */
};

START_TEST(test_race_schedules)
{
	struct run *r = th_run("race", "threads=2", race_cases[_i].schedule);

	th_wait_done(r);
	ck_assert_int_eq(
	    th_verdict_value(r, "counter"), race_cases[_i].counter);
	ck_assert_int_eq(th_verdict_value(r, "expected"), 2);
	ck_assert_int_eq(th_verdict_value(r, "lost"), race_cases[_i].lost);
	ck_assert_int_eq(th_verdict_value(r, "dropped"), 0);
	run_free(r);
}
END_TEST

/* run_config_free: the module, the parameters and the sampler interval,
 * a free policy, and nothing else. */
START_TEST(test_config_free)
{
	long params[MODULE_MAX_PARAMS] = {7, 0, 1, 9};
	struct run_config cfg;

	memset(&cfg, 0xff, sizeof cfg);
	run_config_free(&cfg, &tr_module, params, 25);
	ck_assert_ptr_eq(cfg.module, &tr_module);
	ck_assert_int_eq(cfg.policy, POLICY_FREE);
	ck_assert_int_eq(cfg.sample_ms, 25);
	ck_assert_int_eq(memcmp(cfg.params, params, sizeof params), 0);
	ck_assert_uint_eq(cfg.seed, 0);
	ck_assert_uint_eq(cfg.evq_capacity, 0);
	ck_assert_uint_eq(cfg.max_spans, 0);
	ck_assert_int_eq(cfg.quiet, 0);
}
END_TEST

/* A run holds at most MODEL_MAX_VARS variables and CONDUCTOR_MAX_LOCKS
 * locks: one more is refused. */
START_TEST(test_var_and_lock_limits)
{
	struct run_config cfg;
	struct run *r;
	char err[256];
	int n;

	tr_config(&cfg, NULL, POLICY_STEP);
	r = run_new(&cfg, err, sizeof err);
	ck_assert_msg(r != NULL, "%s", err);
	for (n = r->nvars; n < MODEL_MAX_VARS; n++)
		ck_assert_ptr_nonnull(run_add_var(r, "v", n, 0));
	ck_assert_ptr_null(run_add_var(r, "one too many", 0, 0));
	ck_assert_int_eq(r->nvars, MODEL_MAX_VARS);
	for (n = 0; n < CONDUCTOR_MAX_LOCKS; n++)
		ck_assert_int_eq(run_add_lock(r, "m")->id, n);
	ck_assert_ptr_null(run_add_lock(r, "one too many"));
	ck_assert_int_eq(r->nlocks, CONDUCTOR_MAX_LOCKS);
	run_free(r);
}
END_TEST

/* Lanes that are threads of this process have no child PID. */
START_TEST(test_lane_pids_threads)
{
	int pids[3] = {-1, -1, -1};
	struct run *r = th_run("race", "threads=3", NULL);

	th_wait_done(r);
	ck_assert_int_eq(run_lane_pids(r, pids), 0);
	ck_assert_int_eq(pids[0] | pids[1] | pids[2], 0);
	run_free(r);
}
END_TEST

Suite *
make_run_suite(void)
{
	Suite *s = suite_create("run");
	TCase *tc = tcase_create("run");

	tcase_add_checked_fixture(tc, tr_reset, NULL);
	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, test_thread_count_refused, 0, 2);
	tcase_add_loop_test(tc, test_validate_refuses, 0, 2);
	tcase_add_test(tc, test_setup_fails);
	tcase_add_test(tc, test_queue_too_large);
	tcase_add_test(tc, test_new_unstarted);
	tcase_add_test(tc, test_free_run);
	tcase_add_test(tc, test_controlled_run_parks);
	tcase_add_test(tc, test_cancel_free_run);
	tcase_add_test(tc, test_free_parked_run);
	tcase_add_test(tc, test_dropped_counted);
	tcase_add_loop_test(
	    tc, test_race_schedules, 0, (int)IL_ARRAY_LEN(race_cases));
	tcase_add_test(tc, test_config_free);
	tcase_add_test(tc, test_var_and_lock_limits);
	tcase_add_test(tc, test_lane_pids_threads);
	suite_add_tcase(s, tc);
	return s;
}
