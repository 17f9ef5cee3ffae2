/*
 * --explore: run the explorer on a lesson and print what it found: the
 * counts, the histogram of outcomes, a witness schedule for each, and a
 * line starting "result:". With strategy compare, every strategy in turn
 * and a table that sets them side by side.
 */
#ifndef IL_EXPLORE_TEXT_H
#define IL_EXPLORE_TEXT_H

#include <stdio.h>

#include "explore.h"
#include "lesson.h"

#define EXPLORE_COMPARE EXPLORE_STRATEGIES /* every strategy in turn */

struct explore_args {
	const struct lesson *lesson;
	long params[MODULE_MAX_PARAMS];
	int strategy; /* enum explore_strategy, or EXPLORE_COMPARE */
	long max_preemptions;
	uint64_t max_schedules;
	uint64_t seed;
	int depth;
	int ascii;
	FILE *out;
};

/* Returns the exit status (0, 2 or 70), messages already said. */
int explore_main(const struct explore_args *);

/* The result line's text (no "result: " prefix) for a finished
 * exploration, into buf. */
void explore_result_line(const struct explore *, char *buf, size_t len);

#endif
