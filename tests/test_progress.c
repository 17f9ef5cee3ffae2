/* Tests for the progress store: its file, set-aside and merging. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "paths.h"
#include "progress.h"
#include "suites.h"
#include "util.h"

/* Each test's folder, and the progress file two folders under it (so
 * that saving has to make them). */
static char top[64];
static char file[PATH_MAX];

static void
setup(void)
{
	snprintf(top, sizeof top, "/tmp/il-progress-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(top));
	snprintf(file, sizeof file, "%s/state/interleave/progress", top);
}

static void
teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", top);
	ck_assert_int_eq(system(cmd), 0);
}

/* Write bytes to the progress file, making its folder. */
static void
put_file(const char *s, size_t n)
{
	char dir[128];
	FILE *f;

	snprintf(dir, sizeof dir, "%s/state", top);
	mkdir(dir, 0700);
	snprintf(dir, sizeof dir, "%s/state/interleave", top);
	mkdir(dir, 0700);
	ck_assert_ptr_nonnull(f = fopen(file, "wb"));
	ck_assert_uint_eq(fwrite(s, 1, n, f), n);
	ck_assert_int_eq(fclose(f), 0);
}

/* The number of entries of the progress folder whose name starts with
 * prefix; the last one's path into found. */
static int
count_entries(const char *prefix, char *found, size_t len)
{
	char dir[128];
	struct dirent *de;
	int n = 0;
	DIR *d;

	snprintf(dir, sizeof dir, "%s/state/interleave", top);
	ck_assert_ptr_nonnull(d = opendir(dir));
	while ((de = readdir(d)) != NULL)
		if (strncmp(de->d_name, prefix, strlen(prefix)) == 0) {
			n++;
			if (found != NULL)
				snprintf(found, len, "%s/%s", dir, de->d_name);
		}
	closedir(d);
	return n;
}

/* A new progress object loaded from the file, which must load cleanly. */
static struct progress *
load_ok(void)
{
	struct progress *p = progress_new(file);
	char msg[512];

	ck_assert_int_eq(progress_load(p, msg, sizeof msg), PROGRESS_OK);
	ck_assert_str_eq(msg, "");
	return p;
}

static void
save_ok(struct progress *p)
{
	char msg[512];

	ck_assert_msg(progress_save(p, msg, sizeof msg) == 0, "%s", msg);
	ck_assert_str_eq(msg, "");
}

/* Save p and free it; a new instance then finds race's page. */
static void
save_then_find_page(struct progress *p, long page)
{
	save_ok(p);
	progress_free(p);
	p = load_ok();
	ck_assert_int_eq(progress_page(p, "race"), page);
	progress_free(p);
}

START_TEST(test_round_trip)
{
	struct progress_win w = {12, 1, 1700000000}, got;
	struct progress *p = load_ok();
	const char *answer;
	struct stat st;
	char *text;
	int matched;

	/* given */
	ck_assert(!progress_pending(p));
	ck_assert_int_eq(progress_mark_page(p, "race", 2), 0);
	ck_assert(progress_pending(p));
	ck_assert_int_eq(progress_mark_page(p, "race", 1), 0);
	ck_assert_int_eq(progress_record_prediction(
	                     p, "race", "counter", "1", 1, 1700000000),
	    0);
	ck_assert_int_eq(progress_record_win(p, "race", "lose-one", &w), 0);
	ck_assert_int_eq(progress_record_hint(p, "race", "h1", 2), 0);
	/* when */
	save_ok(p);
	ck_assert(!progress_pending(p));
	progress_free(p);
	p = load_ok();
	/* then */
	ck_assert(!progress_pending(p));
	ck_assert_int_eq(progress_page(p, "race"), 2);
	ck_assert_int_eq(progress_page(p, "deadlock"), -1);
	ck_assert(progress_prediction(p, "race", "counter", &answer, &matched));
	ck_assert_str_eq(answer, "1");
	ck_assert_int_eq(matched, 1);
	ck_assert(progress_won(p, "race", "lose-one", &got));
	ck_assert_int_eq(got.steps, 12);
	ck_assert_int_eq(got.hints, 1);
	ck_assert_int_eq(got.when, 1700000000);
	ck_assert(!progress_won(p, "race", "other", NULL));
	ck_assert_int_eq(progress_hints(p, "race", "h1"), 2);
	ck_assert_int_eq(progress_hints(p, "race", "h2"), 0);
	text = test_slurp(file);
	ck_assert_ptr_nonnull(text);
	ck_assert_str_eq(text,
	    "interleave-progress 1\n"
	    "page race 2\n"
	    "answer race counter 1 1700000000 1\n"
	    "win race lose-one 12 1 1700000000\n"
	    "hint race h1 2\n");
	free(text);
	ck_assert_int_eq(stat(progress_path(p), &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	*strrchr(file, '/') = '\0';
	ck_assert_int_eq(stat(file, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0700);
	progress_free(p);
}
END_TEST

START_TEST(test_better_records_win)
{
	struct progress_win slow = {30, 2, 100}, fast = {10, 0, 200}, got;
	struct progress *p = load_ok();
	const char *a;
	int m;

	progress_record_win(p, "race", "c", &fast);
	progress_record_win(p, "race", "c", &slow);
	ck_assert(progress_won(p, "race", "c", &got));
	ck_assert_int_eq(got.steps, 10);
	progress_record_prediction(p, "race", "q", "2", 1, 10);
	progress_record_prediction(p, "race", "q", "3", 0, 20);
	ck_assert(progress_prediction(p, "race", "q", &a, &m));
	ck_assert_str_eq(a, "2");
	progress_record_hint(p, "race", "h", 3);
	progress_record_hint(p, "race", "h", 1);
	ck_assert_int_eq(progress_hints(p, "race", "h"), 3);
	progress_free(p);
}
END_TEST

START_TEST(test_lesson_done)
{
	const char *const ch[] = {"a", "b"};
	struct progress_win w = {1, 0, 1};
	struct progress *p = progress_new(file);

	ck_assert(!progress_lesson_done(p, "race", 3, ch, 2));
	progress_mark_page(p, "race", 2);
	progress_record_win(p, "race", "a", &w);
	ck_assert(!progress_lesson_done(p, "race", 3, ch, 2));
	progress_record_win(p, "race", "b", &w);
	ck_assert(progress_lesson_done(p, "race", 3, ch, 2));
	ck_assert(!progress_lesson_done(p, "race", 4, ch, 2));
	progress_free(p);
}
END_TEST

/* Ids a lesson file may choose: each must come back as it went in. */
static const char *const odd_ids[] = {
    "with space",
    "back\\slash",
    "new\nline",
    "tab\there",
    "\\e",
    "\\x41",
    "-",
    "caf\xc3\xa9 \xe2\x80\xae",
    "\x1b[2J",
    "0123456789012345678901234567890123456789012345678901234567890123",
};

START_TEST(test_odd_ids)
{
	const char *id = odd_ids[_i], *a;
	struct progress_win w = {1, 2, 3};
	struct progress *p = load_ok();
	char *text, *line;
	int m, lines = 0;

	ck_assert_int_eq(progress_mark_page(p, id, 4), 0);
	ck_assert_int_eq(progress_record_prediction(p, id, id, id, 0, 5), 0);
	ck_assert_int_eq(progress_record_win(p, id, id, &w), 0);
	ck_assert_int_eq(
	    progress_record_prediction(p, "race", id, "", 1, 5), 0);
	save_ok(p);
	progress_free(p);
	p = load_ok();
	ck_assert_int_eq(progress_page(p, id), 4);
	ck_assert(progress_prediction(p, id, id, &a, &m));
	ck_assert_str_eq(a, id);
	ck_assert(progress_won(p, id, id, NULL));
	ck_assert(progress_prediction(p, "race", id, &a, &m));
	ck_assert_str_eq(a, "");
	progress_free(p);
	/* one line a record, nothing but printable ASCII */
	text = test_slurp(file);
	for (line = text; *line != '\0'; line++) {
		ck_assert(*line == '\n' || (*line >= ' ' && *line <= '~'));
		lines += *line == '\n';
	}
	ck_assert_int_eq(lines, 5);
	free(text);
}
END_TEST

START_TEST(test_refused_ids)
{
	struct progress *p = progress_new(file);
	char big[PROGRESS_ANSWER_MAX + 2];
	struct progress_win w = {-1, 0, 0};

	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	ck_assert_int_eq(progress_mark_page(p, "", 1), -1);
	ck_assert_int_eq(progress_mark_page(p, NULL, 1), -1);
	ck_assert_int_eq(progress_mark_page(p, "race", -1), -1);
	big[PROGRESS_ID_MAX + 1] = '\0';
	ck_assert_int_eq(progress_mark_page(p, big, 1), -1);
	big[PROGRESS_ID_MAX + 1] = 'x';
	ck_assert_int_eq(progress_record_hint(p, "race", "", 1), -1);
	ck_assert_int_eq(
	    progress_record_prediction(p, "race", "q", big, 0, 1), -1);
	ck_assert_int_eq(progress_record_win(p, "race", "c", &w), -1);
	ck_assert_int_eq(progress_page(p, "race"), -1);
	progress_free(p);
}
END_TEST

static const char old_text[] = "interleave-progress 1\npage race 1\n";

START_TEST(test_failed_write_keeps_old)
{
	struct progress *p;
	char msg[512], *text;

	put_file(old_text, strlen(old_text));
	p = load_ok();
	progress_mark_page(p, "race", 5);
	progress_set_fault(p, PROGRESS_FAULT_WRITE);
	ck_assert_int_eq(progress_save(p, msg, sizeof msg), -1);
	ck_assert_msg(strstr(msg, "cannot save progress") != NULL, "%s", msg);
	text = test_slurp(file);
	ck_assert_str_eq(text, old_text);
	free(text);
	ck_assert_int_eq(count_entries(".progress.", NULL, 0), 0);
	/* the record is still there to save */
	progress_set_fault(p, PROGRESS_FAULT_NONE);
	save_then_find_page(p, 5);
}
END_TEST

START_TEST(test_crash_before_rename_keeps_old)
{
	struct progress *p;
	char *text;
	pid_t pid;
	int status;

	put_file(old_text, strlen(old_text));
	/* given: a process that dies between the write and the rename */
	if ((pid = fork()) == 0) {
		p = load_ok();
		progress_mark_page(p, "race", 5);
		progress_set_fault(p, PROGRESS_FAULT_CRASH);
		save_ok(p);
		_exit(0);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 3);
	/* then: the old file is whole, and the next instance goes on */
	text = test_slurp(file);
	ck_assert_str_eq(text, old_text);
	free(text);
	ck_assert_int_eq(count_entries(".progress.", NULL, 0), 1);
	p = load_ok();
	ck_assert_int_eq(progress_page(p, "race"), 1);
	progress_mark_page(p, "race", 2);
	save_ok(p);
	progress_free(p);
	/* and the dead save's temporary file is cleared away */
	ck_assert_int_eq(count_entries(".progress.", NULL, 0), 0);
}
END_TEST

/* Files that are not progress files: each is set aside. */
static const struct bad_case {
	const char *what;
	const char *text;
	size_t len;
	const char *why;
} bad_cases[] = {
#define BAD(w, s, why)                                                         \
	{                                                                      \
		w, s, sizeof(s) - 1, why                                       \
	}
    BAD("foreign", "hello\nworld\n", "does not start with"),
    BAD("newer version", "interleave-progress 2\npage race 1\n",
        "does not start with"),
    BAD("empty", "", "it is empty"),
    BAD("bad number", "interleave-progress 1\npage race x\n",
        "line 2 is not a record"),
    BAD("too few fields", "interleave-progress 1\nwin race c 1 2\n",
        "line 2 is not a record"),
    BAD("bad escape", "interleave-progress 1\npage r\\q 1\n",
        "line 2 is not a record"),
    BAD("escaped NUL", "interleave-progress 1\npage r\\x00 1\n",
        "line 2 is not a record"),
    BAD("blank line", "interleave-progress 1\n\npage race 1\n",
        "line 2 is not a record"),
    BAD("cut short", "interleave-progress 1\npage race 1", "cut short"),
    BAD("binary",
        "\x7f"
        "ELF\x02\x01\x01\x00\x00\x00\xff\xfe",
        "binary"),
    BAD("high bytes", "interleave-progress 1\nzap \xff\xfe\n",
        "line 2 is not a record"),
#undef BAD
};

START_TEST(test_bad_file_set_aside)
{
	const struct bad_case *c = &bad_cases[_i];
	struct progress *p;
	char msg[1024], aside[PATH_MAX], *text;

	/* given */
	put_file(c->text, c->len);
	/* when */
	p = progress_new(file);
	ck_assert_int_eq(progress_load(p, msg, sizeof msg), PROGRESS_SET_ASIDE);
	/* then: one sentence saying what and where; the file is kept */
	ck_assert_msg(strstr(msg, c->why) != NULL, "%s: %s", c->what, msg);
	ck_assert_msg(strstr(msg, "moved to") != NULL, "%s", msg);
	ck_assert_ptr_null(strchr(msg, '\n'));
	ck_assert_int_eq(
	    count_entries("progress.corrupt-", aside, sizeof aside), 1);
	ck_assert_msg(strstr(msg, aside) != NULL, "%s", msg);
	if (c->len > 0) {
		text = test_slurp(aside);
		ck_assert_int_eq(memcmp(text, c->text, c->len), 0);
		free(text);
	}
	ck_assert_int_eq(access(file, F_OK), -1);
	ck_assert_int_eq(progress_page(p, "race"), -1);
	/* and the program goes on */
	progress_mark_page(p, "race", 3);
	save_then_find_page(p, 3);
}
END_TEST

START_TEST(test_directory_in_place)
{
	struct progress *p = progress_new(file);
	char msg[1024], aside[PATH_MAX];
	struct stat st;

	put_file("", 0);
	ck_assert_int_eq(unlink(file), 0);
	ck_assert_int_eq(mkdir(file, 0700), 0);
	ck_assert_int_eq(progress_load(p, msg, sizeof msg), PROGRESS_SET_ASIDE);
	ck_assert_msg(strstr(msg, "a directory") != NULL, "%s", msg);
	ck_assert_int_eq(
	    count_entries("progress.corrupt-", aside, sizeof aside), 1);
	ck_assert_int_eq(stat(aside, &st), 0);
	ck_assert(S_ISDIR(st.st_mode));
	progress_mark_page(p, "race", 1);
	save_ok(p);
	ck_assert_int_eq(stat(file, &st), 0);
	ck_assert(S_ISREG(st.st_mode));
	progress_free(p);
}
END_TEST

START_TEST(test_unknown_kinds_kept)
{
	static const char text[] = "interleave-progress 1\n"
	                           "streak race 5 \\x20x\n"
	                           "win race c1 3 0 100\n"
	                           "badge\n";
	struct progress_win w = {4, 0, 200};
	struct progress *p;
	char *out;

	put_file(text, strlen(text));
	p = load_ok();
	ck_assert(progress_won(p, "race", "c1", NULL));
	progress_record_win(p, "race", "c2", &w);
	save_ok(p);
	progress_free(p);
	out = test_slurp(file);
	ck_assert_ptr_nonnull(strstr(out, "\nstreak race 5 \\x20x\n"));
	ck_assert_ptr_nonnull(strstr(out, "\nbadge\n"));
	ck_assert_ptr_nonnull(strstr(out, "\nwin race c2 4 0 200\n"));
	free(out);
}
END_TEST

START_TEST(test_two_objects_merge)
{
	struct progress_win w = {1, 0, 1};
	struct progress *a = load_ok(), *b = load_ok();

	/* given two instances that loaded the same (empty) file */
	progress_record_win(a, "race", "from-a", &w);
	progress_mark_page(a, "race", 3);
	progress_record_win(b, "race", "from-b", &w);
	progress_mark_page(b, "race", 1);
	/* when both save */
	save_ok(a);
	save_ok(b);
	/* then b has a's records too, and nothing was lost */
	ck_assert(progress_won(b, "race", "from-a", NULL));
	ck_assert_int_eq(progress_page(b, "race"), 3);
	progress_free(a);
	progress_free(b);
	a = load_ok();
	ck_assert(progress_won(a, "race", "from-a", NULL));
	ck_assert(progress_won(a, "race", "from-b", NULL));
	ck_assert_int_eq(progress_page(a, "race"), 3);
	progress_free(a);
}
END_TEST

#define CONC_PROCS  4
#define CONC_ROUNDS 25

/* One instance: win its own challenges one by one, saving each time,
 * with one object kept (even procs) or a new one each round (odd). */
static void
concurrent_child(int k)
{
	struct progress *p = NULL;
	char id[32], msg[512];
	int i;

	for (i = 0; i < CONC_ROUNDS; i++) {
		struct progress_win w = {i, k, i};

		if (p == NULL) {
			p = progress_new(file);
			if (progress_load(p, msg, sizeof msg) != PROGRESS_OK)
				_exit(1);
		}
		snprintf(id, sizeof id, "c-%d-%d", k, i);
		progress_record_win(p, "race", id, &w);
		progress_mark_page(p, "race", k * 100 + i);
		if (progress_save(p, msg, sizeof msg) != 0 || msg[0] != '\0')
			_exit(2);
		if (k % 2 == 1) {
			progress_free(p);
			p = NULL;
		}
	}
	progress_free(p);
	_exit(0);
}

START_TEST(test_concurrent_instances)
{
	pid_t pids[CONC_PROCS];
	struct progress *p;
	char id[32];
	int k, i, status;

	for (k = 0; k < CONC_PROCS; k++)
		if ((pids[k] = fork()) == 0)
			concurrent_child(k);
	for (k = 0; k < CONC_PROCS; k++) {
		ck_assert_int_eq(waitpid(pids[k], &status, 0), pids[k]);
		ck_assert(WIFEXITED(status));
		ck_assert_int_eq(WEXITSTATUS(status), 0);
	}
	p = load_ok();
	for (k = 0; k < CONC_PROCS; k++)
		for (i = 0; i < CONC_ROUNDS; i++) {
			snprintf(id, sizeof id, "c-%d-%d", k, i);
			ck_assert_msg(
			    progress_won(p, "race", id, NULL), "%s lost", id);
		}
	ck_assert_int_eq(
	    progress_page(p, "race"), (CONC_PROCS - 1) * 100 + CONC_ROUNDS - 1);
	progress_free(p);
	ck_assert_int_eq(count_entries(".progress.", NULL, 0), 0);
}
END_TEST

START_TEST(test_reset)
{
	struct progress *p = progress_new(file);
	char msg[512];

	/* no folder at all: nothing to clear, and nothing made */
	ck_assert_int_eq(progress_reset(file, msg, sizeof msg), 0);
	ck_assert_int_eq(access(top, F_OK), 0);
	progress_mark_page(p, "race", 1);
	save_ok(p);
	ck_assert_int_eq(progress_reset(file, msg, sizeof msg), 1);
	ck_assert_int_eq(access(file, F_OK), -1);
	ck_assert_int_eq(progress_reset(file, msg, sizeof msg), 0);
	ck_assert_int_eq(mkdir(file, 0700), 0);
	ck_assert_int_eq(progress_reset(file, msg, sizeof msg), -1);
	ck_assert_ptr_nonnull(strstr(msg, "a directory"));
	progress_free(p);
}
END_TEST

/* The state folder from the environment: XDG_STATE_HOME when it is an
 * absolute path, else ~/.local/state. */
static const struct xdg_case {
	const char *xdg; /* NULL: unset */
	const char *home;
	const char *want; /* NULL: none */
} xdg_cases[] = {
    {NULL, "/home/ada", "/home/ada/.local/state/interleave/progress"},
    {"/srv/state", "/home/ada", "/srv/state/interleave/progress"},
    {"relative", "/home/ada", "/home/ada/.local/state/interleave/progress"},
    {"", "/home/ada", "/home/ada/.local/state/interleave/progress"},
    {NULL, "", NULL},
};

START_TEST(test_state_folder)
{
	const struct xdg_case *c = &xdg_cases[_i];
	char buf[PATH_MAX];
	int rc;

	if (c->xdg == NULL)
		unsetenv("XDG_STATE_HOME");
	else
		setenv("XDG_STATE_HOME", c->xdg, 1);
	setenv("HOME", c->home, 1);
	rc = paths_progress_file(buf, sizeof buf);
	if (c->want == NULL)
		ck_assert_int_eq(rc, -1);
	else {
		ck_assert_int_eq(rc, 0);
		ck_assert_str_eq(buf, c->want);
	}
}
END_TEST

Suite *
make_progress_suite(void)
{
	Suite *s = suite_create("progress");
	TCase *tc = tcase_create("store");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_round_trip);
	tcase_add_test(tc, test_better_records_win);
	tcase_add_test(tc, test_lesson_done);
	tcase_add_loop_test(tc, test_odd_ids, 0, IL_ARRAY_LEN(odd_ids));
	tcase_add_test(tc, test_refused_ids);
	tcase_add_test(tc, test_failed_write_keeps_old);
	tcase_add_test(tc, test_crash_before_rename_keeps_old);
	tcase_add_loop_test(
	    tc, test_bad_file_set_aside, 0, IL_ARRAY_LEN(bad_cases));
	tcase_add_test(tc, test_directory_in_place);
	tcase_add_test(tc, test_unknown_kinds_kept);
	tcase_add_test(tc, test_two_objects_merge);
	tcase_add_test(tc, test_concurrent_instances);
	tcase_add_test(tc, test_reset);
	tcase_add_loop_test(tc, test_state_folder, 0, IL_ARRAY_LEN(xdg_cases));
	suite_add_tcase(s, tc);
	return s;
}
