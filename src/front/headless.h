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
#include "run.h"

#define HEADLESS_WIDTH 80

struct trace_file;

struct headless_args {
	const struct lesson *lesson;
	long params[MODULE_MAX_PARAMS];
	enum policy policy;
	uint64_t seed;
	const char *schedule; /* "1,2,1" or "@name", or NULL */
	int ascii;
	FILE *out;
	/* --trace: the finished run (each run of a plan) is added to it;
	 * NULL without --trace. */
	struct trace_file *trace;
};

/* What headless_render prints around the timelines. */
struct headless_report {
	const char *heading;  /* "race: The race condition ..." (sanitized) */
	const char *run_line; /* policy, schedule, threads, steps */
	const char *const *notes;
	int nnotes;
	const char *result; /* without the "result: " prefix */
	/* 1: the lanes are the kernel's view (a sampled free run), and
	 * its account of each lane follows the notes; -1: sampled but /proc
	 * could not be read (said after the notes); 0: the workers' view */
	int kernel;
};

/* Run the lesson; returns the exit status (0, 2 or 65), with messages for
 * 2 and 65 already printed on stderr. */
int headless_main(const struct headless_args *);

/* Print the report for a finished model: heading, lanes, ruler, legend,
 * notes and the result line. */
void headless_render(
    FILE *, const struct model *, const struct headless_report *, int ascii);

/* While a long run goes on: progress on stderr when stderr is a
 * terminal, from a second after start, twice a second. */
struct headless_progress {
	uint64_t start_ns, next_ns;
	int shown; /* a progress line is on stderr */
};
void headless_progress_tick(
    struct headless_progress *, struct run *, const char *what);
void headless_progress_end(struct headless_progress *);

/* Before a run: if the module estimates it takes a minute or more, say so
 * on stderr. */
void headless_warn_long(
    const struct lesson_module *, const long *params, int controlled);

#endif
