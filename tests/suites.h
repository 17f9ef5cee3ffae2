/* Every module's Check suite, collected by tests/main.c. */
#ifndef IL_TEST_SUITES_H
#define IL_TEST_SUITES_H

#include <check.h>

Suite *make_evq_suite(void);
Suite *make_conductor_suite(void);
Suite *make_worker_suite(void);
Suite *make_timeline_suite(void);
Suite *make_model_suite(void);
Suite *make_lesson_suite(void);
Suite *make_sanitize_suite(void);
Suite *make_schedule_suite(void);
Suite *make_headless_suite(void);
Suite *make_screen_suite(void);
Suite *make_session_suite(void);
Suite *make_sampler_suite(void);
Suite *make_iovscpu_suite(void);
Suite *make_pageserver_suite(void);
Suite *make_verify_suite(void);
Suite *make_names_suite(void);

/* The source tree's top directory (from the test environment), for data. */
const char *test_srcdir(void);

struct lesson;

/* Load lessons/ID.md from the source tree; fails the test if it cannot. */
struct lesson *test_lesson(const char *id);

/* Read a whole file into a new string, or NULL. */
char *test_slurp(const char *path);

/* Compare text with tests/data/golden/NAME; UPDATE_GOLDEN=1 rewrites it. */
void test_check_golden(const char *name, const char *text);

#endif
