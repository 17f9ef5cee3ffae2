/*
 * What many test files need: the source tree's data, golden files, and
 * whole runs of a lesson module (configure, start, finish, read the
 * result). Every failure here fails the calling test.
 */
#ifndef IL_TEST_HELPER_H
#define IL_TEST_HELPER_H

#include <stddef.h>

#include "conductor.h"

struct lesson;
struct lesson_module;
struct run;
struct run_config;

/* The source tree's top directory (from the test environment), for data. */
const char *test_srcdir(void);

/* Load lessons/ID.md from the source tree; fails the test if it cannot. */
struct lesson *test_lesson(const char *id);

/* Read a whole file into a new string, or NULL. */
char *test_slurp(const char *path);

/* Compare text with tests/data/golden/NAME; UPDATE_GOLDEN=1 rewrites it. */
void test_check_golden(const char *name, const char *text);

/* The module with this id; fails the test if there is none. */
const struct lesson_module *th_module(const char *id);

/* A run configuration of module with every parameter at its default,
 * then the "name=value ..." pairs of params (NULL for none) over them,
 * under policy with seed 0. Fails on an unknown name or a bad value. */
void th_config(struct run_config *, const struct lesson_module *,
    const char *params, enum policy);

/* Build and start a run from cfg; fails the test if either fails. */
struct run *th_start(const struct run_config *);

/* A started run of the module called lesson with params (as th_config).
 * schedule NULL: a free run. Otherwise a stepped run that has taken
 * every step of schedule ("1,2,1": thread numbers from 1). */
struct run *th_run(
    const char *lesson, const char *params, const char *schedule);

/* Until every worker has finished (a stepped run gives each further step
 * to the lowest-numbered runnable thread; a deadlocked one is cancelled),
 * then join them all. */
void th_wait_done(struct run *);

/* The result of a finished run, as its result line: the module's
 * key=value pairs and dropped=N, for tests that check the line itself. */
const char *th_result(struct run *, char *buf, size_t len);

/* The text of key's value in the run's structured result (read from
 * its fields, not parsed from the line), into buf; fails the test if
 * the result has no such key. */
const char *th_result_text(
    struct run *, const char *key, char *buf, size_t len);

/* key's value in the run's structured result as a whole number; fails
 * the test if the result has no such key or it is not an INT field. */
long long th_verdict_value(struct run *, const char *key);

#endif
