/* Lesson verification: what a lesson names must work when it runs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lesson.h"
#include "module.h"
#include "suites.h"
#include "verify.h"

/* A lesson file around one ```lesson block body. */
#define LESSON_HEAD "# Title\n\n```lesson\n"
#define LESSON_TAIL "```\n\n## Page\n\nText.\n"

struct verify_case {
	const char *what;
	const char *block; /* the ```lesson block's lines; starts at line 4 */
	enum verify_result want;
	const char *errmsg; /* substring of the message when not ok */
};

static const struct verify_case verify_cases[] = {
    {"the race lesson's own schedule",
        "module: race\nsummary: x\nthreads: 2\nschedule: lost-update\n",
        VERIFY_OK, NULL},
    {"no schedule at all", "module: race\nsummary: x\n", VERIFY_OK, NULL},
    {"a schedule that does not exist",
        "module: race\nsummary: x\nschedule: nonexist\n", VERIFY_BAD_LESSON,
        "t.md:6: no schedule named 'nonexist' in "},
    {"a 3-thread schedule on 2 threads",
        "module: race\nsummary: x\nthreads: 2\nschedule: three-way-lost\n",
        VERIFY_BAD_LESSON,
        "t.md:7: schedule 'three-way-lost', item 3: thread 3 does not "
        "exist (2 threads)"},
    {"a 3-thread schedule on 3 threads",
        "module: race\nsummary: x\nthreads: 3\nschedule: three-way-lost\n",
        VERIFY_OK, NULL},
    {"a schedule longer than the run",
        "module: race\nsummary: x\nthreads: 1\nschedule: serial\n",
        VERIFY_BAD_LESSON,
        "t.md:7: schedule 'serial', item 4: thread 2 does not exist"},
    {"a free-only module with a schedule",
        "module: io-vs-cpu\nsummary: x\nschedule: serial\n", VERIFY_BAD_LESSON,
        "t.md:6: module io-vs-cpu runs free only, so it cannot follow the "
        "schedule 'serial'"},
    {"parameters the module refuses: blamed on the first line that set "
     "one",
        "module: io-vs-cpu\nsummary: x\nmode: eventloop\ntasks: 65\n",
        VERIFY_BAD_LESSON, "t.md:6: io-vs-cpu: mode=eventloop draws a lane"},
    {"mode=all checks every mode it runs",
        "module: io-vs-cpu\nsummary: x\ntasks: 65\nmode: all\n",
        VERIFY_BAD_LESSON, "t.md:6: io-vs-cpu: mode=eventloop draws a lane"},
    {"a free-only module's parameters are checked for free runs only",
        "module: io-vs-cpu\nsummary: x\nmode: eventloop\ntasks: 64\n",
        VERIFY_OK, NULL},
};

/* The built-in schedule folder, as the program finds it from a build. */
static const char *const *
builtin_dirs(void)
{
	static char dir[4096];
	static const char *dirs[] = {dir, NULL};

	snprintf(dir, sizeof dir, "%s/data/schedules", test_srcdir());
	return dirs;
}

START_TEST(test_verify_table)
{
	const struct verify_case *c = &verify_cases[_i];
	char text[1024], err[1024] = "";
	struct lesson *l;
	enum verify_result got;

	/* given */
	snprintf(text, sizeof text, LESSON_HEAD "%s" LESSON_TAIL, c->block);
	l = lesson_parse("t.md", text, strlen(text), err, sizeof err);
	ck_assert_msg(l != NULL, "%s: %s", c->what, err);
	/* when */
	got = verify_lesson(l, builtin_dirs(), err, sizeof err);
	/* then */
	ck_assert_msg(got == c->want, "%s: got %d (%s)", c->what, (int)got,
	    got != VERIFY_OK ? err : "ok");
	if (c->errmsg != NULL)
		ck_assert_msg(strstr(err, c->errmsg) != NULL,
		    "%s: got '%s', want '%s'", c->what, err, c->errmsg);
	lesson_free(l);
}
END_TEST

/* A schedule that steps a thread past its end fails where it does. */
START_TEST(test_verify_finished_thread)
{
	char tmp[] = "/tmp/il-verify-XXXXXX", path[256], err[1024] = "";
	const char *dirs[] = {tmp, NULL};
	const char *text = LESSON_HEAD "module: race\nsummary: x\n"
	                               "schedule: too-long\n" LESSON_TAIL;
	struct lesson *l;
	FILE *f;

	ck_assert_ptr_nonnull(mkdtemp(tmp));
	snprintf(path, sizeof path, "%s/too-long", tmp);
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	fputs("# A takes four steps, but an increment has three\n1,1,1,1\n", f);
	fclose(f);
	l = lesson_parse("t.md", text, strlen(text), err, sizeof err);
	ck_assert_msg(l != NULL, "%s", err);
	ck_assert_int_eq(
	    verify_lesson(l, dirs, err, sizeof err), VERIFY_BAD_LESSON);
	ck_assert_msg(
	    strstr(err,
	        "t.md:6: schedule 'too-long', item 4: A has finished") != NULL,
	    "%s", err);
	lesson_free(l);
	remove(path);
	rmdir(tmp);
}
END_TEST

/* A module of our own, to drive validate() exactly: n may be at most 5,
 * and at most 3 in a controlled run. */
static int
fake_validate(const long *params, int controlled, char *err, size_t errlen)
{
	if (params[0] > (controlled ? 3 : 5)) {
		snprintf(err, errlen, "n is at most %d", controlled ? 3 : 5);
		return -1;
	}
	return 0;
}

/* Refuses every controlled run, whatever the parameters. */
static int
free_only_validate(const long *params, int controlled, char *err, size_t errlen)
{
	(void)params;
	if (controlled) {
		snprintf(err, errlen, "free runs only");
		return -1;
	}
	return 0;
}

static const struct param_def fake_params[] = {
    {"n", 1, 0, 100, "a number", NULL},
    {"m", 1, 0, 100, "another", NULL},
};

static const struct lesson_module fake_module = {
    .id = "fake",
    .params = fake_params,
    .nparams = 2,
    .validate = fake_validate,
};

static const struct lesson_module free_only_module = {
    .id = "free-only",
    .params = fake_params,
    .nparams = 2,
    .validate = free_only_validate,
};

static char fake_path[] = "fake.md";

/* A lesson of module m that sets n at line 12 (m at line 11). */
static void
fake_lesson(struct lesson *l, const struct lesson_module *m, long n)
{
	memset(l, 0, sizeof *l);
	l->path = fake_path;
	l->module = m;
	l->block_line = 9;
	l->params[0] = n;
	l->params[1] = 1;
	l->param_line[0] = 12;
	l->param_line[1] = 11;
}

struct validate_case {
	const struct lesson_module *module;
	long n;
	enum verify_result want;
	const char *errmsg;
};

static const struct validate_case validate_cases[] = {
    {&fake_module, 2, VERIFY_OK, NULL},
    {&fake_module, 7, VERIFY_BAD_LESSON, "fake.md:12: n is at most 5"},
    {&fake_module, 4, VERIFY_BAD_LESSON,
        "fake.md:12: n is at most 3 (in a stepped run)"},
    {&free_only_module, 4, VERIFY_OK, NULL},
};

START_TEST(test_verify_validate_hook)
{
	const struct validate_case *c = &validate_cases[_i];
	struct lesson l;
	char err[512] = "";
	enum verify_result got;

	fake_lesson(&l, c->module, c->n);
	got = verify_lesson(&l, builtin_dirs(), err, sizeof err);
	ck_assert_msg(
	    got == c->want, "n=%ld: got %d (%s)", c->n, (int)got, err);
	if (c->errmsg != NULL)
		ck_assert_msg(strstr(err, c->errmsg) != NULL,
		    "got '%s', want '%s'", err, c->errmsg);
}
END_TEST

/* No parameter line to blame: the ```lesson block is. */
START_TEST(test_verify_blames_block)
{
	struct lesson l;
	char err[512] = "";

	fake_lesson(&l, &fake_module, 7);
	l.param_line[0] = 0;
	l.param_line[1] = 0;
	ck_assert_int_eq(verify_lesson(&l, builtin_dirs(), err, sizeof err),
	    VERIFY_BAD_LESSON);
	ck_assert_msg(strncmp(err, "fake.md:9: ", 11) == 0, "%s", err);
}
END_TEST

START_TEST(test_verify_free_only)
{
	const struct lesson_module *iovscpu = module_find("io-vs-cpu");
	const struct lesson_module *race = module_find("race");

	ck_assert_ptr_nonnull(iovscpu);
	ck_assert_ptr_nonnull(race);
	ck_assert_int_eq(verify_free_only(iovscpu), 1);
	ck_assert_int_eq(verify_free_only(race), 0);
	ck_assert_int_eq(verify_free_only(&fake_module), 0);
	ck_assert_int_eq(verify_free_only(&free_only_module), 1);
}
END_TEST

START_TEST(test_verify_params)
{
	long p[MODULE_MAX_PARAMS] = {4, 1};
	char err[256];

	ck_assert_int_eq(verify_params(&fake_module, p, 0, err, sizeof err), 0);
	ck_assert_int_eq(
	    verify_params(&fake_module, p, 1, err, sizeof err), -1);
	ck_assert_str_eq(err, "n is at most 3");
	/* a module without the hook accepts anything */
	ck_assert_int_eq(
	    verify_params(module_find("race"), p, 1, err, sizeof err), 0);
}
END_TEST

/* The lessons that ship pass their own check. */
START_TEST(test_verify_shipped_lessons)
{
	static const char *const ids[] = {"race", "io-vs-cpu"};
	char err[1024] = "";
	struct lesson *l;
	size_t i;

	for (i = 0; i < sizeof ids / sizeof ids[0]; i++) {
		l = test_lesson(ids[i]);
		ck_assert_msg(verify_lesson(l, builtin_dirs(), err,
		                  sizeof err) == VERIFY_OK,
		    "%s: %s", ids[i], err);
		lesson_free(l);
	}
}
END_TEST

Suite *
make_verify_suite(void)
{
	Suite *s = suite_create("verify");
	TCase *tc = tcase_create("core");

	/* replays start real (parked) threads: generous on a loaded box */
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_verify_table, 0,
	    (int)(sizeof verify_cases / sizeof verify_cases[0]));
	tcase_add_test(tc, test_verify_finished_thread);
	tcase_add_loop_test(tc, test_verify_validate_hook, 0,
	    (int)(sizeof validate_cases / sizeof validate_cases[0]));
	tcase_add_test(tc, test_verify_blames_block);
	tcase_add_test(tc, test_verify_free_only);
	tcase_add_test(tc, test_verify_params);
	tcase_add_test(tc, test_verify_shipped_lessons);
	suite_add_tcase(s, tc);
	return s;
}
