/* What the screen tests (test_screen.c, test_screen_measuring.c,
 * test_screen_panels.c) share. */
#ifndef IL_TEST_SCREEN_H
#define IL_TEST_SCREEN_H

#include <check.h>
#include <stddef.h>

#include "grid.h"
#include "lesson.h"
#include "model.h"
#include "screen.h"
#include "session.h"

/* The race lesson, loaded by the screen case's fixture. */
extern struct lesson *race;

/* The grid as text, as grid_write_text() writes it. */
char *grid_text(const struct grid *g, int ascii);

/* A controlled run of the race lesson after the given steps (1-based
 * thread numbers as a string, "121212"); deterministic. */
void race_session(struct session *s, long threads, const char *steps);

/* A screen of the race lesson showing session s. */
void screen_for(struct screen *scr, const struct session *s, int ascii);

/* The row of text that contains needle, or NULL. */
const char *row_with(
    const char *text, const char *needle, char *row, size_t len);

/* Occurrences of the UTF-8 character c in s. */
int count_char(const char *s, const char *c);

/* Every lane of m running from 1 s on, in the workers' view, and in the
 * kernel's running half of each of samples 10 ms samples and waiting
 * for a CPU the other half, on CPU 0 or 1. */
void half_waiting(struct model *m, int samples);

/* Add the measuring panel's tests (test_screen_measuring.c) to tc. */
void screen_add_measuring_tests(TCase *tc);

/* Add the layout and panel tests (test_screen_panels.c) to tc. */
void screen_add_panel_tests(TCase *tc);

/* Add the explorer's screen tests (test_screen_explore.c) to tc. */
void screen_add_explore_tests(TCase *tc);

/* Add the course menu's tests (test_screen_menu.c) to tc. */
void screen_add_menu_tests(TCase *tc);

#endif
