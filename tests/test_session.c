/* The lesson session behind the screen: steps, auto-steps, undo, reset. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "headless.h"
#include "lesson.h"
#include "lessons/iovscpu.h"
#include "session.h"
#include "suites.h"

static struct lesson *race;

static void
load_race(void)
{
	race = test_lesson("race");
}

static void
free_race(void)
{
	lesson_free(race);
	race = NULL;
}

/* Everything the screen shows of a run, as text: lanes, marks, values. */
static char *
snapshot(const struct session *s)
{
	const struct model *m = s->run->m;
	struct headless_report rep;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int t;

	memset(&rep, 0, sizeof rep);
	rep.heading = "snapshot";
	rep.run_line = "";
	rep.result = s->done ? s->verdict : "running";
	headless_render(f, m, &rep, 1);
	for (t = 0; t < m->nthreads; t++)
		fprintf(f, "thread %d state %d line %d tmp %lld set %u\n", t,
		    (int)m->threads[t].state, m->threads[t].line,
		    (long long)m->threads[t].locals[0],
		    (unsigned)m->threads[t].local_set);
	fprintf(f, "counter %lld expected %lld lost %llu step %u\n",
	    (long long)m->vars[0].value, (long long)m->vars[0].expected,
	    (unsigned long long)m->vars[0].lost, (unsigned)m->step);
	fclose(f);
	return buf;
}

static void
open_session(struct session *s, long threads, uint64_t seed)
{
	long params[MODULE_MAX_PARAMS];
	char msg[256];

	memcpy(params, race->params, sizeof params);
	params[module_param_index(race->module, "threads")] = threads;
	session_init(s, race, params, 0, seed);
	ck_assert_int_eq(session_start(s, msg, sizeof msg), 0);
}

static void
steps(struct session *s, const int *ts, size_t n)
{
	char msg[256];
	size_t i;

	for (i = 0; i < n; i++)
		ck_assert_msg(session_step(s, ts[i], msg, sizeof msg) == 0,
		    "step %zu (thread %d): %s", i, ts[i], msg);
}

START_TEST(test_lost_update)
{
	static const int lost[] = {0, 1, 0, 1, 0, 1};
	struct session s;
	char msg[256];

	open_session(&s, 2, 1);
	steps(&s, lost, 5);
	ck_assert(!s.done);
	ck_assert_int_eq(session_step(&s, 1, msg, sizeof msg), 0);
	ck_assert_msg(strstr(msg, "a lost update") != NULL, "%s", msg);
	ck_assert_msg(strstr(msg, "B stored counter=1") != NULL, "%s", msg);
	ck_assert(s.done);
	ck_assert_msg(strstr(s.verdict, "counter=1 expected=2 lost=1") != NULL,
	    "%s", s.verdict);
	session_close(&s);
}
END_TEST

START_TEST(test_refusals)
{
	static const int serial_a[] = {0, 0, 0}, serial_b[] = {1, 1, 1};
	struct session s;
	char msg[256];

	open_session(&s, 2, 1);
	ck_assert_int_eq(session_undo(&s, msg, sizeof msg), -1);
	ck_assert_str_eq(msg, "nothing to undo");
	ck_assert_int_eq(session_step(&s, 2, msg, sizeof msg), -1);
	ck_assert_str_eq(msg, "thread 3 does not exist (2 threads)");
	steps(&s, serial_a, 3);
	ck_assert_int_eq(session_step(&s, 0, msg, sizeof msg), -1);
	ck_assert_str_eq(msg, "A has finished");
	steps(&s, serial_b, 3);
	ck_assert(s.done);
	ck_assert_int_eq(session_step(&s, 1, msg, sizeof msg), -1);
	ck_assert_msg(
	    strstr(msg, "every thread has finished") != NULL, "%s", msg);
	ck_assert_msg(strstr(s.verdict, "counter=2 expected=2 lost=0") != NULL,
	    "%s", s.verdict);
	session_close(&s);
}
END_TEST

/* Undo after every prefix of a schedule gives exactly the state of a
 * fresh run that never took the last step. */
START_TEST(test_undo_equals_prefix)
{
	static const int sched[] = {0, 1, 1, 0, 1, 0};
	size_t k;

	for (k = 1; k <= 6; k++) {
		struct session a, b;
		char msg[256], *sa, *sb;

		open_session(&a, 2, 1);
		steps(&a, sched, k);
		ck_assert_int_eq(session_undo(&a, msg, sizeof msg), 0);
		ck_assert_int_eq(a.nhist, k - 1);
		open_session(&b, 2, 1);
		steps(&b, sched, k - 1);
		sa = snapshot(&a);
		sb = snapshot(&b);
		ck_assert_str_eq(sa, sb);
		ck_assert_int_eq(a.done, b.done);
		free(sa);
		free(sb);
		session_close(&a);
		session_close(&b);
	}
}
END_TEST

/* Auto-steps: after undo, the random policy picks what it picked before,
 * so undo then auto-step is the same as never having undone. */
START_TEST(test_undo_auto)
{
	struct session a, b;
	char msg[256], *sa, *sb;
	int i;

	open_session(&a, 3, 7);
	open_session(&b, 3, 7);
	for (i = 0; i < 5; i++) {
		ck_assert_int_eq(session_auto_step(&a, msg, sizeof msg), 0);
		ck_assert_int_eq(session_auto_step(&b, msg, sizeof msg), 0);
	}
	ck_assert_int_eq(session_undo(&a, msg, sizeof msg), 0);
	ck_assert_int_eq(session_undo(&a, msg, sizeof msg), 0);
	ck_assert_int_eq(session_auto_step(&a, msg, sizeof msg), 0);
	ck_assert_int_eq(session_auto_step(&a, msg, sizeof msg), 0);
	for (i = 0; i < 5; i++)
		ck_assert_int_eq(a.hist[i].thread, b.hist[i].thread);
	sa = snapshot(&a);
	sb = snapshot(&b);
	ck_assert_str_eq(sa, sb);
	free(sa);
	free(sb);
	/* run both to the end: identical outcomes */
	while (!a.done)
		ck_assert_int_eq(session_auto_step(&a, msg, sizeof msg), 0);
	while (!b.done)
		ck_assert_int_eq(session_auto_step(&b, msg, sizeof msg), 0);
	ck_assert_str_eq(a.verdict, b.verdict);
	ck_assert_int_eq(session_auto_step(&a, msg, sizeof msg), -1);
	ck_assert_msg(
	    strstr(msg, "every thread has finished") != NULL, "%s", msg);
	session_close(&a);
	session_close(&b);
}
END_TEST

/* Redo takes back what undo took, in order, to the very same state; a
 * new step forgets what is left to redo, and so does a fresh start. */
START_TEST(test_redo)
{
	static const int sched[] = {0, 1, 1, 0, 1, 0};
	struct session a, b;
	char msg[256], *sa, *sb;

	open_session(&a, 2, 1);
	open_session(&b, 2, 1);
	steps(&a, sched, 6);
	steps(&b, sched, 6);
	ck_assert_int_eq(session_redo(&a, msg, sizeof msg), -1);
	ck_assert_str_eq(msg, "nothing to redo");
	ck_assert_int_eq(session_undo(&a, msg, sizeof msg), 0);
	ck_assert_int_eq(session_undo(&a, msg, sizeof msg), 0);
	ck_assert_int_eq(session_undo(&a, msg, sizeof msg), 0);
	ck_assert_uint_eq(a.nredo, 3);
	ck_assert_int_eq(session_redo(&a, msg, sizeof msg), 0);
	ck_assert_int_eq(a.hist[3].thread, 0);
	ck_assert_int_eq(session_redo(&a, msg, sizeof msg), 0);
	ck_assert_int_eq(session_redo(&a, msg, sizeof msg), 0);
	ck_assert_uint_eq(a.nredo, 0);
	sa = snapshot(&a);
	sb = snapshot(&b);
	ck_assert_str_eq(sa, sb);
	ck_assert_str_eq(a.verdict, b.verdict);
	free(sa);
	free(sb);
	/* a different step after an undo: nothing left to redo */
	ck_assert_int_eq(session_undo(&a, msg, sizeof msg), 0);
	ck_assert_int_eq(session_undo(&a, msg, sizeof msg), 0);
	ck_assert_uint_eq(a.nredo, 2);
	ck_assert_int_eq(session_step(&a, 0, msg, sizeof msg), 0);
	ck_assert_uint_eq(a.nredo, 0);
	ck_assert_int_eq(session_undo(&a, msg, sizeof msg), 0);
	ck_assert_int_eq(session_start(&a, msg, sizeof msg), 0);
	ck_assert_uint_eq(a.nredo, 0);
	session_close(&a);
	session_close(&b);
}
END_TEST

/* Restarting with the same seed replays the same auto-run. */
START_TEST(test_restart_same_seed)
{
	struct session s;
	char msg[256], first[512];

	open_session(&s, 4, 99);
	while (!s.done)
		ck_assert_int_eq(session_auto_step(&s, msg, sizeof msg), 0);
	snprintf(first, sizeof first, "%s", s.verdict);
	ck_assert_int_eq(session_start(&s, msg, sizeof msg), 0);
	ck_assert(!s.done);
	ck_assert_int_eq(s.nhist, 0);
	while (!s.done)
		ck_assert_int_eq(session_auto_step(&s, msg, sizeof msg), 0);
	ck_assert_str_eq(s.verdict, first);
	session_close(&s);
}
END_TEST

/* A free run on the screen: pumped until every worker is done. */
START_TEST(test_free_run)
{
	long params[MODULE_MAX_PARAMS];
	struct session s;
	char msg[256];

	memcpy(params, race->params, sizeof params);
	params[module_param_index(race->module, "threads")] = 2;
	params[module_param_index(race->module, "iterations")] = 20000;
	session_init(&s, race, params, 1, 1);
	ck_assert_int_eq(session_start(&s, msg, sizeof msg), 0);
	ck_assert_int_eq(session_step(&s, 0, msg, sizeof msg), -1);
	ck_assert_msg(strstr(msg, "free run") != NULL, "%s", msg);
	ck_assert_int_eq(session_undo(&s, msg, sizeof msg), -1);
	while (!s.done)
		session_pump(&s, 1000);
	ck_assert_msg(
	    strstr(s.verdict, "expected=40000") != NULL, "%s", s.verdict);
	session_close(&s);
}
END_TEST

/* A measuring lesson runs every planned mode in turn, recording each
 * result, and is done only after the last. Starting again clears them. */
START_TEST(test_measuring)
{
	struct lesson *l = test_lesson("io-vs-cpu");
	const struct lesson_module *mod = l->module;
	static const char *const order[] = {
	    "sequential", "threads", "gil", "processes", "eventloop"};
	long params[MODULE_MAX_PARAMS];
	struct session s;
	char msg[256];
	int i;

	memcpy(params, l->params, sizeof params);
	params[module_param_index(mod, "mode")] = mod->plans[0].all_value;
	params[module_param_index(mod, "tasks")] = 3;
	params[module_param_index(mod, "ms")] = 5;
	session_init(&s, l, params, 1, 1);
	ck_assert_int_eq(s.measuring, 1);
	ck_assert_int_eq(session_start(&s, msg, sizeof msg), 0);
	ck_assert_int_eq(s.meas.nmodes, 5);
	while (!s.done)
		session_pump(&s, 1000);
	ck_assert_int_eq(s.meas.n, 5);
	ck_assert_uint_eq(s.generation, 5);
	for (i = 0; i < 5; i++) {
		ck_assert_str_eq(s.meas.res[i].name, order[i]);
		ck_assert_int_eq(
		    (int)result_number(&s.meas.res[i].result, "done", -1), 3);
		ck_assert(s.meas.res[i].wall_ms >= 5.0);
	}
	ck_assert(s.meas.base_ms >= 15.0); /* three 5 ms waits in turn */
	ck_assert_int_eq(session_start(&s, msg, sizeof msg), 0);
	ck_assert_int_lt(s.meas.n, 5);
	session_close(&s);
	/* one mode: the baseline, then it */
	params[module_param_index(mod, "mode")] = IOVSCPU_GIL;
	session_init(&s, l, params, 1, 1);
	ck_assert_int_eq(session_start(&s, msg, sizeof msg), 0);
	while (!s.done)
		session_pump(&s, 1000);
	ck_assert_int_eq(s.meas.n, 2);
	ck_assert_str_eq(s.meas.res[0].name, "sequential");
	ck_assert_str_eq(s.meas.res[1].name, "gil");
	ck_assert_msg(strstr(s.verdict, "mode=gil") != NULL, "%s", s.verdict);
	session_close(&s);
	lesson_free(l);
}
END_TEST

Suite *
make_session_suite(void)
{
	Suite *s = suite_create("session");
	TCase *tc = tcase_create("session");

	tcase_add_checked_fixture(tc, load_race, free_race);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_lost_update);
	tcase_add_test(tc, test_refusals);
	tcase_add_test(tc, test_undo_equals_prefix);
	tcase_add_test(tc, test_undo_auto);
	tcase_add_test(tc, test_redo);
	tcase_add_test(tc, test_restart_same_seed);
	tcase_add_test(tc, test_free_run);
	tcase_add_test(tc, test_measuring);
	suite_add_tcase(s, tc);
	return s;
}
