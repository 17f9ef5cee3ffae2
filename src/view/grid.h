/*
 * The cell grid: what a view draws, as characters plus colour roles. The
 * curses front end flushes it to the terminal; --headless prints it as
 * plain text. Views never touch the terminal themselves.
 */
#ifndef IL_GRID_H
#define IL_GRID_H

#include <stdint.h>
#include <stdio.h>

#include "states.h"

/* Colour roles: a theme maps each to a colour, monochrome to attributes.
 * Each thread state has a role of its own, from states.h. */
#define ROLE_OF_STATE(st, utf8, ascii, role, ...) ROLE_##role,
enum role {
	ROLE_DEFAULT,
	ROLE_TITLE,
	ROLE_LABEL,
	ROLE_RULER,
	ROLE_LOST,
	ROLE_WARNING,
	ROLE_CODE,        /* narration: a code span or block */
	ROLE_EMPH,        /* narration: emphasis */
	ROLE_STRONG,      /* narration: strong emphasis */
	ROLE_WON,         /* the menu: a challenge won */
	ROLE_LESSON_DONE, /* the menu: a lesson done */
	THREAD_STATES(ROLE_OF_STATE) ROLE_COUNT
};

/* One cell. ch == 0 marks the right half of a double-width character. */
struct cell {
	uint32_t ch;
	uint8_t role;
};

struct grid {
	int w;
	int h;
	struct cell *cells;
};

struct grid *grid_new(int w, int h);
void grid_free(struct grid *);
void grid_clear(struct grid *);

/* Put one character (code point) at x, y; ignored outside the grid. */
void grid_put(struct grid *, int x, int y, uint32_t ch, enum role);

/* Draw UTF-8 text (already sanitized) from x, y, clipped to maxw columns;
 * returns the columns used. Wide characters take two cells. */
int grid_print(
    struct grid *, int x, int y, int maxw, enum role, const char *utf8);

/* printf-style grid_print. */
int grid_printf(struct grid *, int x, int y, int maxw, enum role,
    const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* Copy rows sy.. of src into g at x, y (as many as fit). */
void grid_blit_rows(
    struct grid *g, int x, int y, const struct grid *src, int sy, int rows);

/* Write the grid as text: UTF-8, or ASCII with anything else escaped as
 * \uXXXX. Trailing blanks on each line are not written. */
void grid_write_text(const struct grid *, FILE *, int ascii);

#endif
