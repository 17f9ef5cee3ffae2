/*
 * The one list of thread states. Each line gives a state's
 *   enum value, UTF-8 glyph, ASCII glyph, colour role (its own role,
 *   ROLE_<token> in grid.h), legend words, event and trace name, its
 *   tie-break rank when several states share a timeline column (higher
 *   wins), and how the curses theme draws the role: its xterm 256-colour
 *   number and 8-colour fallback (-1 and DEFAULT: the terminal's own),
 *   its attribute on a terminal without colour, and the attribute added
 *   to the colour (curses A_<token>: NORMAL, BOLD, DIM, UNDERLINE,
 *   REVERSE),
 * and every per-state table (event.h's enum, event_names.c, glyphs.c,
 * grid.h's roles, timeline.c, the theme in tui_term.c) expands it.
 * Adding a state is one line here. New states go at the end, so the
 * numbers in traces stay put. The colours are Okabe-Ito's, which stay
 * apart for colour-blind readers.
 */
#ifndef IL_STATES_H
#define IL_STATES_H

/* X(state, utf8, ascii, role, legend, name, rank,
 *   c256, c8, mono, extra) */
#define THREAD_STATES(X)                                                       \
	X(TS_NONE, ' ', ' ', NONE, "not started", "none", 0, -1, DEFAULT,      \
	    NORMAL, NORMAL)                                                    \
	X(TS_RUNNING, 0x2588 /* █ */, '#', RUNNING, "running", "running", 3,   \
	    36 /* bluish green */, GREEN, BOLD, BOLD)                          \
	X(TS_READY, 0x00b7 /* · */, '.', READY, "ready", "ready", 2,           \
	    227 /* yellow */, YELLOW, NORMAL, NORMAL)                          \
	X(TS_IO, 0x2248 /* ≈ */, '~', IO, "blocked on I/O", "io", 4,           \
	    74 /* sky blue */, CYAN, UNDERLINE, NORMAL)                        \
	X(TS_LOCK_WAIT, 0x2592 /* ▒ */, 'L', LOCK_WAIT, "waiting for a lock",  \
	    "lock-wait", 6, 166 /* vermillion */, RED, REVERSE, BOLD)          \
	X(TS_DONE, 0x2500 /* ─ */, '_', DONE, "done", "done", 1, -1, DEFAULT,  \
	    NORMAL, NORMAL)                                                    \
	X(TS_COND_WAIT, 0x2591 /* ░ */, 'w', COND_WAIT,                        \
	    "waiting on a condition", "cond-wait", 5, 32 /* blue */, BLUE,     \
	    DIM, NORMAL)

#endif
