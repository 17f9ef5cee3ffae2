/*
 * The curses front end: the lesson menu and the live lesson screen. Only
 * the thread that calls tui_main ever calls curses.
 */
#ifndef IL_TUI_H
#define IL_TUI_H

#include <stddef.h>
#include <stdint.h>

#include "conductor.h"
#include "lesson.h"

struct recording;
struct trace_file;

struct tui_args {
	/* The lessons the menu offers (sorted); with start >= 0 the menu is
	 * skipped and that lesson opens at once. */
	struct lesson **lessons;
	size_t nlessons;
	int start;
	/* Parameters for the lesson opened at once (the lesson's own, with
	 * --set applied); other lessons use their file's defaults. */
	long params[MODULE_MAX_PARAMS];
	enum policy policy; /* POLICY_FREE, POLICY_STEP or POLICY_RANDOM */
	uint64_t seed;
	int ascii;
	int color;
	int mouse;
	/* --trace: each lesson's run on screen when it is left is added to
	 * it (main writes the file at the end); NULL without --trace. */
	struct trace_file *trace;
	/* --demo: play the lesson's demo (start >= 0); --replay: play this
	 * recording of it; --record FILE: write the session there at the
	 * end. speed: steps a second to play at, 0 for the default. */
	int demo;
	const struct recording *replay;
	const char *record;
	int speed;
};

/* 0 if stdin and stdout are a terminal curses can draw on; otherwise -1
 * with a one-line reason in err. */
int tui_check_terminal(char *err, size_t errlen);

/* Run the interactive front end; returns the exit status. A terminating
 * signal (SIGINT, SIGTERM, SIGHUP) restores the terminal and is then
 * raised again, so the caller does not return in that case. */
int tui_main(const struct tui_args *);

#endif
