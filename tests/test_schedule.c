/* Schedules: inline parsing, named files, and the exact error positions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "schedule.h"
#include "suites.h"

struct parse_case {
	const char *text;
	enum schedule_error want;
	size_t n;           /* items when ok */
	int items[8];       /* 0-based */
	const char *errmsg; /* substring of the message when not ok */
};

static const struct parse_case parse_cases[] = {
    {"1,2,1,2,1,2", SCHEDULE_OK, 6, {0, 1, 0, 1, 0, 1}, NULL},
    {"1 2 3", SCHEDULE_OK, 3, {0, 1, 2}, NULL},
    {" 2 , 1\n", SCHEDULE_OK, 2, {1, 0}, NULL},
    {"64", SCHEDULE_OK, 1, {63}, NULL},
    {"", SCHEDULE_BAD_DATA, 0, {0}, "schedule item 1: the schedule is empty"},
    {"1,2,x", SCHEDULE_BAD_DATA, 0, {0},
        "schedule item 3: 'x' is not a thread number"},
    {"1,0", SCHEDULE_BAD_DATA, 0, {0},
        "schedule item 2: threads are numbered from 1"},
    {"1,-2", SCHEDULE_BAD_DATA, 0, {0},
        "schedule item 2: threads are numbered from 1"},
    {"1,,2", SCHEDULE_BAD_DATA, 0, {0}, "schedule item 2: empty item"},
    {"1,2,", SCHEDULE_BAD_DATA, 0, {0}, "schedule item 3: empty item"},
    {"1,2,1,65", SCHEDULE_BAD_DATA, 0, {0},
        "schedule item 4: thread 65 does not exist"},
    {"1,2.5", SCHEDULE_BAD_DATA, 0, {0}, "schedule item 2: '2.5' is not"},
    {"99999999999999999999", SCHEDULE_BAD_DATA, 0, {0}, "schedule item 1:"},
};

START_TEST(test_parse_table)
{
	const struct parse_case *c = &parse_cases[_i];
	struct schedule s;
	char err[256] = "";
	enum schedule_error e;
	size_t k;

	e = schedule_parse(c->text, &s, err, sizeof err);
	ck_assert_int_eq(e, c->want);
	if (c->want != SCHEDULE_OK) {
		ck_assert_msg(strstr(err, c->errmsg) != NULL,
		    "'%s': got '%s', want '%s'", c->text, err, c->errmsg);
		ck_assert_ptr_null(s.items);
		return;
	}
	ck_assert_uint_eq(s.n, c->n);
	for (k = 0; k < c->n; k++)
		ck_assert_int_eq(s.items[k], c->items[k]);
	schedule_free(&s);
}
END_TEST

START_TEST(test_named_schedules)
{
	char dir[4096], err[256];
	struct schedule s;
	char *desc;

	snprintf(dir, sizeof dir, "%s/data/schedules", test_srcdir());
	ck_assert_int_eq(
	    schedule_load("@lost-update", dir, &s, err, sizeof err),
	    SCHEDULE_OK);
	ck_assert_str_eq(s.text, "1,2,1,2,1,2");
	ck_assert_str_eq(s.name, "lost-update");
	schedule_free(&s);
	ck_assert_int_eq(
	    schedule_load("@serial", dir, &s, err, sizeof err), SCHEDULE_OK);
	ck_assert_str_eq(s.text, "1,1,1,2,2,2");
	schedule_free(&s);
	desc = schedule_describe(dir, "lost-update");
	ck_assert_ptr_nonnull(desc);
	ck_assert_msg(strstr(desc, "overwrites") != NULL, "%s", desc);
	free(desc);

	ck_assert_int_eq(schedule_load("@no-such", dir, &s, err, sizeof err),
	    SCHEDULE_NOT_FOUND);
	ck_assert_msg(
	    strstr(err, "no schedule named 'no-such'") != NULL, "%s", err);
	ck_assert_int_eq(schedule_load("@../etc", dir, &s, err, sizeof err),
	    SCHEDULE_NOT_FOUND);
}
END_TEST

START_TEST(test_named_file_error_position)
{
	char dir[] = "/tmp/il-sched-XXXXXX", path[256], err[512];
	struct schedule s;
	FILE *f;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/bad", dir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("# a comment\n1,2\n2\n1,q\n", f);
	fclose(f);
	ck_assert_int_eq(
	    schedule_load("@bad", dir, &s, err, sizeof err), SCHEDULE_BAD_DATA);
	/* Items number across lines: "1,2" then "2" then "1,q": q is item 5. */
	ck_assert_msg(
	    strstr(err, "/bad:4: schedule item 5: 'q'") != NULL, "%s", err);
	remove(path);
	rmdir(dir);
}
END_TEST

/* Control characters in an item are quoted as visible escapes. */
START_TEST(test_item_sanitized)
{
	struct schedule s;
	char err[256];

	ck_assert_int_eq(schedule_parse("1,\x1b]0;X\x07", &s, err, sizeof err),
	    SCHEDULE_BAD_DATA);
	ck_assert_ptr_null(strchr(err, '\x1b'));
	ck_assert_ptr_null(strchr(err, '\x07'));
	ck_assert_msg(strstr(err, "'\\x1b]0;X\\x07'") != NULL, "%s", err);
}
END_TEST

/* A FIFO is refused at once (opening it for reading would wait for a
 * writer), as bad data: it is there but it is not a schedule file. */
START_TEST(test_fifo_refused)
{
	char dir[] = "/tmp/il-sched-XXXXXX", path[256], err[512];
	struct schedule s;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/pipe", dir);
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	ck_assert_int_eq(schedule_load("@pipe", dir, &s, err, sizeof err),
	    SCHEDULE_BAD_DATA);
	ck_assert_msg(
	    strstr(err, "/pipe:1: not a regular file (a FIFO)") != NULL, "%s",
	    err);
	ck_assert_ptr_null(schedule_describe(dir, "pipe"));
	remove(path);
	rmdir(dir);
}
END_TEST

Suite *
make_schedule_suite(void)
{
	Suite *s = suite_create("schedule");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_parse_table, 0,
	    (int)(sizeof parse_cases / sizeof parse_cases[0]));
	tcase_add_test(tc, test_named_schedules);
	tcase_add_test(tc, test_named_file_error_position);
	tcase_add_test(tc, test_item_sanitized);
	tcase_add_test(tc, test_fifo_refused);
	suite_add_tcase(s, tc);
	return s;
}
