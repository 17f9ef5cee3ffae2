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

/* Load spec from dirs; it must read as text. */
static void
assert_loads(const char *const *dirs, const char *spec, const char *text)
{
	struct schedule s;
	char err[512];

	ck_assert_msg(
	    schedule_load(spec, dirs, &s, err, sizeof err) == SCHEDULE_OK,
	    "%s: %s", spec, err);
	ck_assert_str_eq(s.text, text);
	ck_assert_str_eq(s.name, spec + 1);
	schedule_free(&s);
}

START_TEST(test_named_schedules)
{
	char builtin[4096], err[512];
	const char *dir[] = {builtin, NULL};
	struct schedule s;
	char *desc;

	snprintf(builtin, sizeof builtin, "%s/data/schedules", test_srcdir());
	assert_loads(dir, "@lost-update", "1,2,1,2,1,2");
	assert_loads(dir, "@serial", "1,1,1,2,2,2");
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

/* Write text to DIR/NAME. */
static void
write_file(const char *dir, const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

/* Remove DIR/NAME. */
static void
remove_file(const char *dir, const char *name)
{
	char path[512];

	snprintf(path, sizeof path, "%s/%s", dir, name);
	remove(path);
}

START_TEST(test_named_file_error_position)
{
	char tmp[] = "/tmp/il-sched-XXXXXX", err[512];
	const char *dir[] = {tmp, NULL};
	struct schedule s;

	ck_assert_ptr_nonnull(mkdtemp(tmp));
	write_file(tmp, "bad", "# a comment\n1,2\n2\n1,q\n");
	ck_assert_int_eq(
	    schedule_load("@bad", dir, &s, err, sizeof err), SCHEDULE_BAD_DATA);
	/* Items number across lines: "1,2" then "2" then "1,q": q is item 5. */
	ck_assert_msg(
	    strstr(err, "/bad:4: schedule item 5: 'q'") != NULL, "%s", err);
	remove_file(tmp, "bad");
	rmdir(tmp);
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
	char tmp[] = "/tmp/il-sched-XXXXXX", path[256], err[512];
	const char *dir[] = {tmp, NULL};
	struct schedule s;

	ck_assert_ptr_nonnull(mkdtemp(tmp));
	snprintf(path, sizeof path, "%s/pipe", tmp);
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	ck_assert_int_eq(schedule_load("@pipe", dir, &s, err, sizeof err),
	    SCHEDULE_BAD_DATA);
	ck_assert_msg(
	    strstr(err, "/pipe:1: not a regular file (a FIFO)") != NULL, "%s",
	    err);
	ck_assert_ptr_null(schedule_describe(dir, "pipe"));
	remove(path);
	rmdir(tmp);
}
END_TEST

/* The last folder that has a name wins; the others are still searched;
 * a name no folder has is "not found" and names every folder. */
START_TEST(test_folders_in_order)
{
	char a[] = "/tmp/il-sched-XXXXXX", b[] = "/tmp/il-sched-XXXXXX";
	const char *dirs[] = {a, b, NULL};
	struct schedule s;
	char err[1024];

	ck_assert_ptr_nonnull(mkdtemp(a));
	ck_assert_ptr_nonnull(mkdtemp(b));
	write_file(a, "both", "1,1\n");
	write_file(b, "both", "# later\n2,2\n");
	write_file(a, "first", "1\n");
	assert_loads(dirs, "@both", "2,2");
	assert_loads(dirs, "@first", "1");
	ck_assert_int_eq(schedule_load("@none", dirs, &s, err, sizeof err),
	    SCHEDULE_NOT_FOUND);
	ck_assert_msg(strstr(err, a) != NULL && strstr(err, b) != NULL &&
	        strstr(err, " or ") != NULL,
	    "%s", err);
	remove_file(a, "both");
	remove_file(b, "both");
	remove_file(a, "first");
	rmdir(a);
	rmdir(b);
}
END_TEST

/* A saved schedule loads back by its name, with its comment, in a
 * folder made for it. */
START_TEST(test_save_loads)
{
	char tmp[] = "/tmp/il-save-XXXXXX", dir[256], path[512], err[512];
	const char *dirs[] = {dir, NULL};
	int items[70], i;
	struct schedule s;
	struct stat st;
	char *desc;

	ck_assert_ptr_nonnull(mkdtemp(tmp));
	snprintf(dir, sizeof dir, "%s/a/schedules", tmp);
	for (i = 0; i < 70; i++)
		items[i] = i % 3;
	ck_assert_msg(schedule_save(dir, "race-counter-1", "race: counter=1",
	                  items, 70, path, sizeof path, err, sizeof err) == 0,
	    "%s", err);
	ck_assert_int_eq(stat(dir, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0755);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0644);
	ck_assert_int_eq(
	    schedule_load("@race-counter-1", dirs, &s, err, sizeof err),
	    SCHEDULE_OK);
	ck_assert_uint_eq(s.n, 70);
	for (i = 0; i < 70; i++)
		ck_assert_int_eq(s.items[i], i % 3);
	schedule_free(&s);
	desc = schedule_describe(dirs, "race-counter-1");
	ck_assert_str_eq(desc, "race: counter=1");
	free(desc);
	/* saved again over the old one */
	ck_assert_int_eq(schedule_save(dir, "race-counter-1", "again", items, 2,
	                     path, sizeof path, err, sizeof err),
	    0);
	ck_assert_int_eq(
	    schedule_load("@race-counter-1", dirs, &s, err, sizeof err),
	    SCHEDULE_OK);
	ck_assert_str_eq(s.text, "1,2");
	schedule_free(&s);
	ck_assert_int_ne(schedule_save(dir, "../x", "bad", items, 2, path,
	                     sizeof path, err, sizeof err),
	    0);
	remove(path);
	rmdir(dir);
	snprintf(dir, sizeof dir, "%s/a", tmp);
	rmdir(dir);
	rmdir(tmp);
}
END_TEST

static const struct {
	const char *text, *name;
} name_cases[] = {
    {"race-counter-1", "race-counter-1"},
    {"Deadlock end=deadlock", "deadlock-end-deadlock"},
    {"--a__b  C--", "a-b-c"},
    {"\xc3\xa9t\xc3\xa9", "t"},
    {"***", "schedule"},
};

START_TEST(test_name_from)
{
	char buf[80];

	schedule_name_from(name_cases[_i].text, buf, sizeof buf);
	ck_assert_str_eq(buf, name_cases[_i].name);
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
	tcase_add_test(tc, test_folders_in_order);
	tcase_add_test(tc, test_save_loads);
	tcase_add_loop_test(tc, test_name_from, 0,
	    (int)(sizeof name_cases / sizeof name_cases[0]));
	suite_add_tcase(s, tc);
	return s;
}
