/* The trace exporter (trace_json.c, with the model's trace log): a small
 * hand-built model written as Chrome trace-event JSON, checked for the
 * tracks, the state slices, the lock flow and the instant events; and
 * the string escaping, table-driven. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suites.h"
#include "test_model.h"
#include "trace_json.h"

/* The JSON for model m as the only run, as a new string. */
static char *
trace_text(const struct model *m, const int *pids)
{
	struct trace_run r = {"race (step)", "thread", NULL, pids};
	struct trace_json tj;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	trace_json_begin(&tj, f);
	trace_json_run(&tj, &r, m);
	trace_json_end(&tj, "interleave test");
	fclose(f);
	return buf;
}

/* Two threads, a lock and a counter, stepped: A takes m (step 1), B asks
 * and waits (2), A stores over B's update... (3), A releases (4), B
 * acquires (5) and both end (6). */
static struct model *
small_model(void)
{
	struct model *m = model_new(2, MODEL_CLOCK_STEPS, 64);

	model_add_var(m, "counter", 0, 1);
	model_add_lock(m, "m");
	model_trace_on(m);
	apply(m, EV_THREAD_START, 0, 0, 0, 0, 0);
	apply(m, EV_THREAD_START, 1, 0, 0, 0, 0);
	apply(m, EV_STATE, 0, 0, 0, TS_RUNNING, 0);
	apply(m, EV_LOCK_ACQ, 0, 1, 0, 0, 0);
	apply(m, EV_STATE, 0, 1, 0, TS_READY, 0);
	apply(m, EV_STATE, 1, 1, 0, TS_RUNNING, 0);
	apply(m, EV_LOCK_REQ, 1, 2, 0, 0, 0);
	apply(m, EV_STATE, 1, 2, 0, TS_LOCK_WAIT, 0);
	apply(m, EV_STATE, 0, 2, 0, TS_RUNNING, 0);
	apply(m, EV_STORE, 0, 3, 0, 0 | EV_STORE_OVERWROTE, 1);
	apply(m, EV_LOCK_REL, 0, 4, 0, 0, 0);
	apply(m, EV_STATE, 1, 4, 0, TS_READY, 0);
	apply(m, EV_STATE, 0, 4, 0, TS_DONE, 0);
	apply(m, EV_STATE, 1, 5, 0, TS_RUNNING, 0);
	apply(m, EV_LOCK_ACQ, 1, 5, 0, 0, 0);
	apply(m, EV_THREAD_END, 1, 6, 0, 0, 0);
	return m;
}

/* given the small model, when it is written, then each piece is there */
START_TEST(test_tracks_slices_flows)
{
	struct model *m = small_model();
	char *s = trace_text(m, NULL);
	const char *want[] = {
	    "{\"displayTimeUnit\":\"ms\",\"traceEvents\":[",
	    "{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":1,\"tid\":0,"
	    "\"args\":{\"name\":\"race (step)\"}}",
	    "{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":1,\"tid\":1,"
	    "\"args\":{\"name\":\"1 A\"}}",
	    "{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":1,\"tid\":2,"
	    "\"args\":{\"name\":\"2 B\"}}",
	    /* A ran step 1, waited its turn in step 2, ran 3 and 4 */
	    "{\"name\":\"running\",\"cat\":\"state\",\"ph\":\"X\",\"pid\":1,"
	    "\"tid\":1,\"ts\":0,\"dur\":1000,",
	    "{\"name\":\"waiting for its turn\",\"cat\":\"state\",\"ph\":\"X\","
	    "\"pid\":1,\"tid\":1,\"ts\":1000,\"dur\":1000,",
	    "\"tid\":1,\"ts\":2000,\"dur\":2000,\"args\":{\"state\":"
	    "\"running\"}}",
	    /* B waited for m from step 2 to 4 */
	    "{\"name\":\"waiting for lock m\",\"cat\":\"state\",\"ph\":\"X\","
	    "\"pid\":1,\"tid\":2,\"ts\":2000,\"dur\":2000,\"args\":{\"state\":"
	    "\"lock-wait\",\"lock\":\"m\"}}",
	    "{\"name\":\"release m\",\"cat\":\"lock\",\"ph\":\"X\",\"pid\":1,"
	    "\"tid\":1,\"ts\":4000,\"dur\":0,",
	    "{\"name\":\"lock m\",\"cat\":\"lock\",\"ph\":\"s\",\"pid\":1,"
	    "\"tid\":1,\"id\":1,\"bp\":\"e\",\"ts\":4000}",
	    "{\"name\":\"lock m\",\"cat\":\"lock\",\"ph\":\"f\",\"pid\":1,"
	    "\"tid\":2,\"id\":1,\"bp\":\"e\",\"ts\":5000}",
	    "{\"name\":\"lost update\",\"cat\":\"lost-update\",\"ph\":\"i\","
	    "\"pid\":1,\"tid\":1,\"s\":\"t\",\"ts\":3000,\"args\":{\"var\":"
	    "\"counter\",\"value\":1}}",
	    "\"otherData\":{\"generator\":\"interleave test\",\"step_us\":1000",
	    "\"runs\":[{\"pid\":1,\"clock\":\"steps\"}],\"dropped\":0}}\n",
	};
	size_t i;

	for (i = 0; i < sizeof want / sizeof want[0]; i++)
		ck_assert_msg(strstr(s, want[i]) != NULL, "missing %s in\n%s",
		    want[i], s);
	/* A's first acquisition follows no release: one flow only */
	ck_assert_ptr_null(strstr(s, "\"id\":2"));
	/* no slice for a state that lasted no time, nor for done */
	ck_assert_ptr_null(strstr(s, "\"dur\":0,\"args\":{\"state\""));
	ck_assert_ptr_null(strstr(s, "\"name\":\"done\""));
	free(s);
	model_free(m);
}
END_TEST

/* A deadlock: the cycle as an instant event, the last waits shown for
 * one step after the last event. */
START_TEST(test_deadlock_instant)
{
	struct model *m = model_new(2, MODEL_CLOCK_STEPS, 64);
	char *s;

	model_add_lock(m, "A");
	model_add_lock(m, "B");
	m->naming = NAMING_NUMBERS;
	model_trace_on(m);
	apply(m, EV_LOCK_ACQ, 0, 1, 0, 0, 0);
	apply(m, EV_LOCK_ACQ, 1, 2, 0, 1, 0);
	apply(m, EV_STATE, 0, 2, 0, TS_LOCK_WAIT, 1);
	apply(m, EV_STATE, 1, 2, 0, TS_LOCK_WAIT, 0);
	s = trace_text(m, NULL);
	ck_assert_msg(strstr(s,
	                  "{\"name\":\"deadlock\",\"cat\":\"deadlock\","
	                  "\"ph\":\"i\",\"pid\":1,\"tid\":1,\"s\":\"t\","
	                  "\"ts\":2000,\"args\":{\"cycle\":\"T1 -> B "
	                  "(held by T2) -> T2 -> A (held by T1) -> T1\","
	                  "\"threads\":[\"T1\",\"T2\"],\"locks\":[\"B\","
	                  "\"A\"]}}") != NULL,
	    "%s", s);
	ck_assert_ptr_nonnull(strstr(s, "\"args\":{\"name\":\"1 A (T1)\"}"));
	ck_assert_ptr_nonnull(strstr(s,
	    "\"name\":\"waiting for lock A\",\"cat\":\"state\","
	    "\"ph\":\"X\",\"pid\":1,\"tid\":2,\"ts\":2000,"
	    "\"dur\":1000"));
	free(s);
	model_free(m);
}
END_TEST

/* A free run: ns as microseconds with three decimals, process lanes
 * named with their PID, and a model with no log still a valid file. */
START_TEST(test_free_run_times)
{
	struct model *m = model_new(2, MODEL_CLOCK_NS, 64);
	struct event e;
	int pids[2] = {0, 4242};
	char *s;

	model_trace_on(m);
	e = mk_ev(EV_STATE, 0, 0, 0, TS_RUNNING, 0);
	e.ts_ns = 1000000;
	model_apply(m, &e);
	e = mk_ev(EV_STATE, 0, 0, 0, TS_IO, 0);
	e.ts_ns = 1001500;
	model_apply(m, &e);
	e = mk_ev(EV_THREAD_END, 0, 0, 0, 0, 0);
	e.ts_ns = 1003000;
	model_apply(m, &e);
	s = trace_text(m, pids);
	ck_assert_ptr_nonnull(strstr(s, "\"ts\":0.000,\"dur\":1.500,"));
	ck_assert_ptr_nonnull(strstr(s,
	    "\"name\":\"blocked on I/O\",\"cat\":\"state\",\"ph\":\"X\","
	    "\"pid\":1,\"tid\":1,\"ts\":1.500,\"dur\":1.500,"));
	ck_assert_ptr_nonnull(strstr(s, "\"args\":{\"name\":\"1 A\"}"));
	ck_assert_ptr_nonnull(
	    strstr(s, "\"args\":{\"name\":\"2 B pid 4242\"}"));
	ck_assert_ptr_nonnull(strstr(s, "{\"pid\":1,\"clock\":\"ns\"}"));
	free(s);
	model_free(m);

	m = model_new(1, MODEL_CLOCK_NS, 64); /* no log */
	s = trace_text(m, NULL);
	ck_assert_ptr_nonnull(strstr(s, "\"thread_name\""));
	ck_assert_ptr_null(strstr(s, "\"ph\":\"X\""));
	free(s);
	model_free(m);
}
END_TEST

static const struct {
	const char *in, *out;
} escapes[] = {
    {"plain", "\"plain\""},
    {"a \"quoted\" \\ path", "\"a \\\"quoted\\\" \\\\ path\""},
    {"tab\there\nnew\x1b[31m", "\"tab\\u0009here\\u000anew\\u001b[31m\""},
    {"del\x7f", "\"del\\u007f\""},
    {"caf\xc3\xa9 \xe2\x96\x88 \xf0\x9f\x98\x80",
        "\"caf\xc3\xa9 \xe2\x96\x88 \xf0\x9f\x98\x80\""},
    {"bad \xff end", "\"bad \\ufffd end\""},
    {"cut \xe2\x96", "\"cut \\ufffd\\ufffd\""},
    {"overlong \xc0\xaf", "\"overlong \\ufffd\\ufffd\""},
    {"surrogate \xed\xa0\x80", "\"surrogate \\ufffd\\ufffd\\ufffd\""},
    {"", "\"\""},
};

/* Lesson text of any bytes comes out as one valid JSON string. */
START_TEST(test_string_escapes)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	trace_json_string(f, escapes[_i].in);
	fclose(f);
	ck_assert_str_eq(buf, escapes[_i].out);
	free(buf);
}
END_TEST

Suite *
make_trace_json_suite(void)
{
	Suite *s = suite_create("trace_json");
	TCase *tc = tcase_create("export");

	tcase_add_test(tc, test_tracks_slices_flows);
	tcase_add_test(tc, test_deadlock_instant);
	tcase_add_test(tc, test_free_run_times);
	tcase_add_loop_test(tc, test_string_escapes, 0,
	    (int)(sizeof escapes / sizeof escapes[0]));
	suite_add_tcase(s, tc);
	return s;
}
