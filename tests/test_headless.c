/* The headless text front end: golden outputs for fixed model states and
 * for whole controlled runs, which are deterministic. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "headless.h"
#include "lesson.h"
#include "model.h"
#include "suites.h"

static struct event
ev(uint32_t step, int thread, enum ev_kind kind, int line, int64_t a, int64_t b)
{
	struct event e;

	memset(&e, 0, sizeof e);
	e.step = step;
	e.thread = (uint16_t)thread;
	e.kind = (uint16_t)kind;
	e.line = line;
	e.a = a;
	e.b = b;
	return e;
}

/* The lost-update interleaving 1,2,1,2,1,2, as the conductor reports it. */
static struct model *
lost_update_model(void)
{
	struct model *m = model_new(2, MODEL_CLOCK_STEPS, 1024);
	static const int order[6] = {0, 1, 0, 1, 0, 1};
	int pc[2] = {0, 0}, i;
	int64_t tmp[2] = {0, 0}, mem = 0;
	struct event e;

	model_add_var(m, "counter", 0, 1);
	for (i = 0; i < 2; i++) {
		e = ev(0, i, EV_STATE, 1, TS_READY, 0);
		model_apply(m, &e);
	}
	for (i = 0; i < 6; i++) {
		int t = order[i];

		e = ev((uint32_t)i, t, EV_STATE, 0, TS_RUNNING, 0);
		model_apply(m, &e);
		if (pc[t] == 0) {
			tmp[t] = 0;
			e = ev((uint32_t)i, t, EV_LOAD, 1, 0, tmp[t]);
		} else if (pc[t] == 1) {
			tmp[t]++;
			e = ev((uint32_t)i, t, EV_LINE, 2, 0, 0);
		} else {
			/* flagged as il_store does: B's store replaces A's 1,
			 * not the 0 that B loaded */
			e = ev((uint32_t)i, t, EV_STORE, 3,
			    mem != tmp[t] - 1 ? EV_STORE_OVERWROTE : 0, tmp[t]);
			mem = tmp[t];
		}
		model_apply(m, &e);
		pc[t]++;
		e = ev((uint32_t)i + 1, t, EV_STATE, 0,
		    pc[t] == 3 ? TS_DONE : TS_READY, 0);
		model_apply(m, &e);
	}
	return m;
}

START_TEST(test_render_fixed_model)
{
	static const char *const notes[] = {
	    "a note that is long enough to "
	    "wrap: it goes on and on past the eightieth column so the "
	    "renderer has to break it at a space"};
	struct headless_report rep = {
	    .heading = "race: a fixed model",
	    .run_line = "policy replay, schedule 1,2,1,2,1,2, 6 steps",
	    .notes = notes,
	    .nnotes = 1,
	    .result = "counter=1 expected=2 lost=1 dropped=0",
	};
	struct model *m = lost_update_model();
	char *buf;
	size_t len;
	FILE *f;
	int ascii;

	ck_assert_uint_eq(m->vars[0].lost, 1);
	for (ascii = 0; ascii < 2; ascii++) {
		f = open_memstream(&buf, &len);
		headless_render(f, m, &rep, ascii);
		fclose(f);
		test_check_golden(
		    ascii ? "fixed-model.ascii" : "fixed-model.utf8", buf);
		free(buf);
	}
	model_free(m);
}
END_TEST

/* A whole headless run through real threads and the conductor. */
static char *
run_headless(enum policy policy, const char *schedule, uint64_t seed,
    int threads, int ascii)
{
	struct headless_args a;
	struct lesson *l;
	char *buf;
	size_t len;
	int rc;

	l = test_lesson("race");
	memset(&a, 0, sizeof a);
	memcpy(a.params, l->params, sizeof a.params);
	a.params[module_param_index(l->module, "threads")] = threads;
	a.lesson = l;
	a.policy = policy;
	a.seed = seed;
	a.schedule = schedule;
	a.ascii = ascii;
	a.out = open_memstream(&buf, &len);
	rc = headless_main(&a);
	fclose(a.out);
	lesson_free(l);
	ck_assert_int_eq(rc, 0);
	return buf;
}

struct run_case {
	enum policy policy;
	const char *schedule;
	uint64_t seed;
	int threads;
	int ascii;
	const char *golden;
	const char *result;
};

static const struct run_case run_cases[] = {
    {POLICY_REPLAY, "1,1,1,2,2,2", 0, 2, 0, "race-serial.utf8",
        "result: counter=2 expected=2 lost=0 overwrites=0 dropped=0\n"},
    {POLICY_REPLAY, "1,2,1,2,1,2", 0, 2, 0, "race-lost-update.utf8",
        "result: counter=1 expected=2 lost=1 overwrites=1 dropped=0\n"},
    {POLICY_REPLAY, "1,2,1,2,1,2", 0, 2, 1, "race-lost-update.ascii",
        "result: counter=1 expected=2 lost=1 overwrites=1 dropped=0\n"},
    {POLICY_REPLAY, "1,2,3,1,2,3,1,2,3", 0, 3, 1, "race-three.ascii",
        "result: counter=1 expected=3 lost=2 overwrites=2 dropped=0\n"},
    {POLICY_REPLAY, "1,2", 0, 2, 1, "race-short-schedule.ascii",
        "result: counter=1 expected=2 lost=1 overwrites=1 dropped=0\n"},
    {POLICY_RANDOM, NULL, 7, 3, 1, "race-random-7.ascii", NULL},
};

START_TEST(test_run_golden)
{
	const struct run_case *c = &run_cases[_i];
	char *out =
	    run_headless(c->policy, c->schedule, c->seed, c->threads, c->ascii);
	char *again;

	if (c->result != NULL)
		ck_assert_msg(strstr(out, c->result) != NULL, "%s", out);
	test_check_golden(c->golden, out);
	/* Controlled runs are deterministic: the same output every time. */
	again =
	    run_headless(c->policy, c->schedule, c->seed, c->threads, c->ascii);
	ck_assert_str_eq(out, again);
	free(out);
	free(again);
}
END_TEST

Suite *
make_headless_suite(void)
{
	Suite *s = suite_create("headless");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_render_fixed_model);
	tcase_add_loop_test(tc, test_run_golden, 0,
	    (int)(sizeof run_cases / sizeof run_cases[0]));
	suite_add_tcase(s, tc);
	return s;
}
