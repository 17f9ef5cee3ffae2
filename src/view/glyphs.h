/*
 * Glyphs for thread states and marks, in a UTF-8 set and an ASCII set.
 * Every state has its own glyph and its own colour role, so states stay
 * distinct in monochrome and in ASCII.
 */
#ifndef IL_GLYPHS_H
#define IL_GLYPHS_H

#include <stdint.h>

#include "event.h"
#include "grid.h"

struct glyphs {
	uint32_t state[TS_COUNT];
	uint32_t lost;
	uint32_t deadlock; /* a lane's mark where a deadlock's cycle closed */
	const char *arrow; /* between the nodes of a cycle: "T1 -> B" */
	const char *bar;   /* one cell of a histogram's bar */
	/* The menu's marks: a challenge won and not yet won; a lesson done
	 * and started. */
	const char *won, *unwon, *done, *started;
};

extern const struct glyphs glyphs_utf8;
extern const struct glyphs glyphs_ascii;

/* The words for a state in the legend ("waiting for a lock"). */
const char *glyphs_state_words(enum thread_state);

/* The colour role of a thread state. */
enum role glyphs_state_role(enum thread_state);

#endif
