/* The single Check runner: every module's suite. */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "lesson.h"
#include "suites.h"

const char *
test_srcdir(void)
{
	const char *d = getenv("top_srcdir");

	return d != NULL && *d != '\0' ? d : ".";
}

/* Read a whole file into a new string, or NULL. */
char *
test_slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	if (fread(buf, 1, (size_t)n, f) != (size_t)n)
		n = 0;
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* Compare text with tests/data/golden/NAME; UPDATE_GOLDEN=1 rewrites it. */
void
test_check_golden(const char *name, const char *text)
{
	char path[4096];
	char *want;

	snprintf(
	    path, sizeof path, "%s/tests/data/golden/%s", test_srcdir(), name);
	if (getenv("UPDATE_GOLDEN") != NULL) {
		FILE *f = fopen(path, "wb");
		ck_assert_ptr_nonnull(f);
		fputs(text, f);
		fclose(f);
	}
	want = test_slurp(path);
	ck_assert_msg(want != NULL, "missing golden file %s", path);
	ck_assert_msg(strcmp(want, text) == 0,
	    "%s differs:\n--- got\n%s--- want\n%s", name, text, want);
	free(want);
}

struct lesson *
test_lesson(const char *id)
{
	char path[4096], err[512];
	struct lesson *l;

	snprintf(path, sizeof path, "%s/lessons/%s.md", test_srcdir(), id);
	l = lesson_load(path, err, sizeof err);
	ck_assert_msg(l != NULL, "%s", err);
	return l;
}

int
main(void)
{
	SRunner *sr;
	int failed;

	setlocale(LC_ALL, "C.UTF-8");
	sr = srunner_create(make_evq_suite());
	srunner_add_suite(sr, make_conductor_suite());
	srunner_add_suite(sr, make_worker_suite());
	srunner_add_suite(sr, make_timeline_suite());
	srunner_add_suite(sr, make_model_suite());
	srunner_add_suite(sr, make_lesson_suite());
	srunner_add_suite(sr, make_sanitize_suite());
	srunner_add_suite(sr, make_schedule_suite());
	srunner_add_suite(sr, make_headless_suite());
	srunner_add_suite(sr, make_screen_suite());
	srunner_add_suite(sr, make_session_suite());
	srunner_add_suite(sr, make_sampler_suite());
	srunner_add_suite(sr, make_iovscpu_suite());
	srunner_add_suite(sr, make_pageserver_suite());
	srunner_add_suite(sr, make_verify_suite());
	srunner_add_suite(sr, make_names_suite());
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
