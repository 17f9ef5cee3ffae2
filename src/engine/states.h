/*
 * The one list of thread states. Each line gives a state's
 *   enum value, UTF-8 glyph, ASCII glyph, colour role (a token the view
 *   maps to ROLE_<token>; the theme gives each role its colours and its
 *   monochrome attribute), legend words, event and trace name, and its
 *   tie-break rank when several states share a timeline column (higher
 *   wins),
 * and every per-state table (event.h's enum, event_names.c, glyphs.c,
 * timeline.c) expands it. Adding a state is one line here; a state with
 * a role of its own also needs that role in grid.h and its colours in the
 * theme. New states go at the end, so the numbers in traces stay put.
 */
#ifndef IL_STATES_H
#define IL_STATES_H

/* X(state, utf8, ascii, role, legend, name, rank) */
#define THREAD_STATES(X)                                                       \
	X(TS_NONE, ' ', ' ', DEFAULT, "not started", "none", 0)                \
	X(TS_RUNNING, 0x2588 /* █ */, '#', RUNNING, "running", "running", 3)   \
	X(TS_READY, 0x00b7 /* · */, '.', READY, "ready", "ready", 2)           \
	X(TS_IO, 0x2248 /* ≈ */, '~', IO, "blocked on I/O", "io", 4)           \
	X(TS_LOCK_WAIT, 0x2592 /* ▒ */, 'L', LOCK_WAIT, "waiting for a lock",  \
	    "lock-wait", 6)                                                    \
	X(TS_DONE, 0x2500 /* ─ */, '_', DONE, "done", "done", 1)               \
	X(TS_COND_WAIT, 0x2591 /* ░ */, 'w', COND_WAIT,                        \
	    "waiting on a condition", "cond-wait", 5)

#endif
