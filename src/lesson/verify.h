/*
 * Lesson verification (--check-lesson): a lesson file that parses can
 * still name what does not work, such as a schedule that does not exist or
 * one for more threads than the lesson has. verify_lesson() checks a loaded
 * lesson against everything it names, so that a lesson that passes the
 * check also runs.
 */
#ifndef IL_VERIFY_H
#define IL_VERIFY_H

#include <stddef.h>

#include "lesson.h"
#include "module.h"

enum verify_result {
	VERIFY_OK = 0,
	VERIFY_BAD_LESSON = 1, /* the lesson's data does not work: exit 65 */
	VERIFY_INTERNAL = 2,   /* a run could not be started: exit 70 */
};

/* 1 if module m runs free only: it has a plan of runs, or its
 * validate() hook refuses a controlled run on the module's own defaults. */
int verify_free_only(const struct lesson_module *m);

/* Check parameters with the module's validate() hook (if it has one): for
 * a free run, or a controlled run when controlled is 1. A measuring
 * module is checked for every mode its plan runs (each mode of "all").
 * 0, or -1 with the module's message in err. */
int verify_params(const struct lesson_module *m, const long *params,
    int controlled, char *err, size_t errlen);

/* Check lesson l's own parameters for a free run and, when controlled is
 * 1 and the module does not run free only, a controlled one. Errors are
 * "FILE:LINE: message" at the first line that set a parameter the module
 * accepts once it is back at its default (else at the ```lesson block). */
enum verify_result verify_lesson_params(
    const struct lesson *l, int controlled, char *err, size_t errlen);

/* Check lesson l: its parameters for a free run and, unless the module
 * runs free only, a controlled one; and its named schedule, which must
 * exist in dirs (NULL-terminated, as paths_schedule_dirs() gives them)
 * and replay step by step on the lesson's own parameters. Errors are
 * "FILE:LINE: message" at the line that set what is wrong. */
enum verify_result verify_lesson(
    const struct lesson *l, const char *const *dirs, char *err, size_t errlen);

#endif
