/* The explorer's screen: a real exploration of race drawn at the
 * smallest and a large size, in UTF-8 and ASCII, and the progress while
 * one runs. Part of the screen suite (test_screen.c). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explore.h"
#include "screen_explore.h"
#include "suites.h"
#include "test_screen.h"

static const struct {
	int w, h, ascii;
} explore_sizes[] = {
    {80, 24, 0},
    {80, 24, 1},
    {200, 60, 0},
    {200, 60, 1},
};

/* Explore race with its own parameters into x. */
static void
explore_race(struct explore *x)
{
	struct explore_config cfg;
	char err[256];

	memset(&cfg, 0, sizeof cfg);
	cfg.module = race->module;
	memcpy(cfg.params, race->params, sizeof cfg.params);
	cfg.strategy = EXPLORE_ALL;
	cfg.max_preemptions = -1;
	ck_assert_msg(explore_init(x, &cfg, err, sizeof err) == 0, "%s", err);
	ck_assert_msg(explore_run(x, err, sizeof err) == 0, "%s", err);
}

/* The row of the grid that holds needle, or -1. */
static int
grid_row_with(const char *text, const char *needle)
{
	const char *at = strstr(text, needle), *p;
	int row = 0;

	if (at == NULL)
		return -1;
	for (p = text; p < at; p++)
		row += *p == '\n';
	return row;
}

/* given race explored, when drawn, then every count, bar and the
 * witness is on screen, whole, the failure's bar in its role */
START_TEST(test_explore_result)
{
	const int w = explore_sizes[_i].w, h = explore_sizes[_i].h;
	struct grid *g = grid_new(w, h);
	struct screen_explore e;
	struct explore x;
	char row[512], *text;
	int y, k, lost = 0;

	explore_race(&x);
	memset(&e, 0, sizeof e);
	e.lesson = race;
	e.glyphs = explore_sizes[_i].ascii ? &glyphs_ascii : &glyphs_utf8;
	e.params = "threads=2 iterations=1 fuzz=0";
	e.x = &x;
	e.status = "explored";
	screen_explore_draw(g, &e);
	text = grid_text(g, explore_sizes[_i].ascii);
	ck_assert_msg(strstr(text, "EXPLORED") != NULL, "%s", text);
	ck_assert_msg(row_with(text, "schedules ", row, sizeof row) != NULL &&
	        strstr(row, " 20 ") != NULL,
	    "%s", text);
	ck_assert_msg(
	    strstr(text, "complete: every schedule") != NULL, "%s", text);
	ck_assert_msg(row_with(text, "counter=1", row, sizeof row) != NULL &&
	        strstr(row, " 18 ") != NULL &&
	        strstr(row, "2 classes  failure") != NULL,
	    "%s", text);
	ck_assert_msg(row_with(text, "counter=2", row, sizeof row) != NULL &&
	        strstr(row, " 2 ") != NULL && strstr(row, "failure") == NULL,
	    "%s", text);
	ck_assert_msg(
	    strstr(text, "witness for counter=1, 6 steps: 1,1,2,1,2,2") != NULL,
	    "%s", text);
	if (explore_sizes[_i].ascii)
		ck_assert_msg(strstr(text, "\\u") == NULL, "%s", text);
	y = grid_row_with(text, "counter=1");
	for (k = 0; k < w; k++)
		lost += g->cells[y * w + k].role == ROLE_LOST;
	ck_assert_int_gt(lost, 10); /* the bar, and the word failure */
	y = grid_row_with(text, "counter=2");
	for (k = 0; k < w; k++)
		ck_assert_int_ne(g->cells[y * w + k].role, ROLE_LOST);
	free(text);
	explore_free(&x);
	grid_free(g);
}
END_TEST

/* given an exploration under way beyond its bound, then the bar, the
 * runs of the bound, the time left and the estimate are shown */
START_TEST(test_explore_progress)
{
	struct grid *g = grid_new(80, 24);
	struct screen_explore e;
	char *text;

	memset(&e, 0, sizeof e);
	e.lesson = race;
	e.glyphs = &glyphs_utf8;
	e.params = "threads=3 iterations=2 fuzz=0";
	e.done = 43121;
	e.total = 5398767;
	e.bound = 200000;
	e.elapsed_s = 2.5;
	screen_explore_draw(g, &e);
	text = grid_text(g, 0);
	ck_assert_msg(strstr(text, "EXPLORING") != NULL, "%s", text);
	ck_assert_msg(strstr(text,
	                  "43,121 of about 200,000 runs (21%), about "
	                  "9.0 s left") != NULL,
	    "%s", text);
	ck_assert_msg(strstr(text, "about 5,398,767 schedules in all") != NULL,
	    "%s", text);
	ck_assert_msg(strstr(text, "Esc stop and go back") != NULL, "%s", text);
	free(text);
	grid_free(g);
}
END_TEST

void
screen_add_explore_tests(TCase *tc)
{
	tcase_add_loop_test(tc, test_explore_result, 0,
	    (int)(sizeof explore_sizes / sizeof explore_sizes[0]));
	tcase_add_test(tc, test_explore_progress);
}
