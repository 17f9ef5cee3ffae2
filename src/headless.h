/*
 * --headless: run a lesson without curses and print the text timeline, any
 * notes, and the result line.
 */
#ifndef IL_HEADLESS_H
#define IL_HEADLESS_H

#include <stdint.h>
#include <stdio.h>

#include "conductor.h"
#include "lesson.h"
#include "model.h"

#define HEADLESS_WIDTH 80

struct headless_args {
	const struct lesson *lesson;
	long params[MODULE_MAX_PARAMS];
	enum policy policy;
	uint64_t seed;
	const char *schedule; /* "1,2,1" or "@name", or NULL */
	int ascii;
	FILE *out;
};

/* What headless_render prints around the timelines. */
struct headless_report {
	const char *heading;  /* "race: The race condition ..." (sanitized) */
	const char *run_line; /* policy, schedule, threads, steps */
	const char *const *notes;
	int nnotes;
	const char *result; /* without the "result: " prefix */
};

/* Run the lesson; returns the exit status (0, 2 or 65), with messages for
 * 2 and 65 already printed on stderr. */
int headless_main(const struct headless_args *);

/* Print the report for a finished model: heading, lanes, ruler, legend,
 * notes and the result line. */
void headless_render(
    FILE *, const struct model *, const struct headless_report *, int ascii);

#endif
