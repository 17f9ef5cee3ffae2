/* The screens drawn into the cell grid: golden text for fixed states at
 * 80x24 and 132x40, UTF-8 and ASCII, plus direct checks of the layout.
 * The measuring panel's tests are in test_screen_measuring.c, those of
 * the measuring layouts, pages and lesson panels in test_screen_panels.c;
 * all are in the one screen test case. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout.h"
#include "lesson.h"
#include "screen.h"
#include "session.h"
#include "suites.h"
#include "test_screen.h"

/* The race lesson, loaded by the screen case's fixture. */
struct lesson *race;

static void
setup(void)
{
	race = test_lesson("race");
}

static void
teardown(void)
{
	lesson_free(race);
	race = NULL;
}

/* The grid as text, as grid_write_text() writes it. */
char *
grid_text(const struct grid *g, int ascii)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	grid_write_text(g, f, ascii);
	fclose(f);
	return buf;
}

/* A controlled run of the race lesson after the given steps (1-based
 * thread numbers as a string, "121212"); deterministic. */
void
race_session(struct session *s, long threads, const char *steps)
{
	long params[MODULE_MAX_PARAMS];
	char msg[256];
	const char *p;

	memcpy(params, race->params, sizeof params);
	params[module_param_index(race->module, "threads")] = threads;
	session_init(s, race, params, 0, 1);
	ck_assert_int_eq(session_start(s, msg, sizeof msg), 0);
	for (p = steps; *p != '\0'; p++)
		ck_assert_msg(
		    session_step(s, *p - '1', msg, sizeof msg) == 0, "%s", msg);
}

/* A screen of the race lesson showing session s. */
void
screen_for(struct screen *scr, const struct session *s, int ascii)
{
	memset(scr, 0, sizeof *scr);
	scr->lesson = race;
	scr->model = s->run->m;
	scr->glyphs = ascii ? &glyphs_ascii : &glyphs_utf8;
	scr->mode = s->done ? SCREEN_DONE : SCREEN_STEP;
	scr->seed = 1;
	scr->speed = 5;
	scr->result = s->done && s->words[0] ? s->words : NULL;
	scr->params = s->run->cfg.params;
	scr->zoom.fit = 1;
	scr->zoom.follow = 1;
}

struct golden_case {
	const char *name;
	long threads;
	const char *steps;
	int w, h;
	int ascii;
	int help;
	int page;
};

static const struct golden_case golden_cases[] = {
    {"screen-lost-update-80x24.utf8", 2, "121212", 80, 24, 0, 0, 0},
    {"screen-lost-update-80x24.ascii", 2, "121212", 80, 24, 1, 0, 0},
    {"screen-lost-update-132x40.utf8", 2, "121212", 132, 40, 0, 0, 2},
    {"screen-step5-80x24.utf8", 2, "12121", 80, 24, 0, 0, 0},
    {"screen-three-132x40.ascii", 3, "1231231", 132, 40, 1, 0, 1},
    {"screen-sixteen-80x24.utf8", 16, "1234567890", 80, 24, 0, 0, 0},
    {"screen-help-80x24.utf8", 2, "1", 80, 24, 0, 1, 0},
    {"screen-help-80x24.ascii", 2, "1", 80, 24, 1, 1, 0},
};

START_TEST(test_golden)
{
	const struct golden_case *c = &golden_cases[_i];
	struct session s;
	struct screen scr;
	struct grid *g = grid_new(c->w, c->h);
	char steps[32];
	char *text;
	size_t i;

	/* '0' in a case's steps means thread 10 */
	snprintf(steps, sizeof steps, "%s", c->steps);
	for (i = 0; steps[i] != '\0'; i++)
		if (steps[i] == '0')
			steps[i] = (char)('1' + 9);
	race_session(&s, c->threads, steps);
	screen_for(&scr, &s, c->ascii);
	scr.help = c->help;
	scr.page = c->page;
	scr.status = "status line";
	screen_draw(g, &scr);
	ck_assert(!scr.layout.too_small);
	text = grid_text(g, c->ascii);
	test_check_golden(c->name, text);
	free(text);
	grid_free(g);
	session_close(&s);
}
END_TEST

/* What must be on the lesson screen, checked directly. */
START_TEST(test_contents)
{
	static const char *const legend[] = {"running", "ready",
	    "blocked on I/O", "waiting for a lock", "done",
	    "overwriting store"};
	struct session s;
	struct screen scr;
	struct grid *g = grid_new(80, 24);
	char *text;
	size_t i;

	race_session(&s, 2, "121212");
	screen_for(&scr, &s, 0);
	screen_draw(g, &scr);
	text = grid_text(g, 0);
	for (i = 0; i < sizeof legend / sizeof legend[0]; i++)
		ck_assert_msg(strstr(text, legend[i]) != NULL, "no '%s':\n%s",
		    legend[i], text);
	ck_assert(strstr(text, "DONE  step 6  seed 1") != NULL);
	ck_assert(strstr(text, "counter   1") != NULL);
	ck_assert(strstr(text, "expected  2") != NULL);
	ck_assert(strstr(text, "lost      1") != NULL);
	/* the overwriting stores, named apart from the increments lost */
	ck_assert(strstr(text, "overwrote 1 \xe2\x9c\x97") != NULL);
	/* the result in words, not as the headless pairs */
	ck_assert(strstr(text, "1 of 2 increments lost") != NULL);
	ck_assert(strstr(text, "counter=1") == NULL);
	ck_assert(strstr(text, "dropped") == NULL);
	/* the lost mark sits in B's lane */
	ck_assert_int_eq(screen_lane_at(&scr, scr.layout.lanes_y + 1), 1);
	ck_assert_int_eq(screen_lane_at(&scr, scr.layout.lanes_y), 0);
	ck_assert_int_eq(screen_lane_at(&scr, scr.layout.lanes_y + 2), -1);
	ck_assert_int_eq(screen_lane_at(&scr, 0), -1);
	ck_assert_int_eq(scr.layout.nlanes, 2);
	ck_assert(strstr(text, "? help") != NULL);
	ck_assert(strstr(text, "q quit") != NULL);
	free(text);
	grid_free(g);
	session_close(&s);
}
END_TEST

/* Every row fits the grid: no character beyond the width, any size. */
START_TEST(test_sizes)
{
	static const int sizes[][2] = {{80, 24}, {81, 25}, {100, 30}, {200, 60},
	    {132, 40}, {80, 50}, {300, 24}};
	struct session s;
	size_t i;

	race_session(&s, 16, "1234");
	for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		struct screen scr;
		struct grid *g = grid_new(sizes[i][0], sizes[i][1]);
		char *text, *line;
		int rows = 0;

		screen_for(&scr, &s, 1);
		scr.help = (int)(i % 2);
		screen_draw(g, &scr);
		text = grid_text(g, 1);
		for (line = strtok(text, "\n"); line != NULL;
		     line = strtok(NULL, "\n")) {
			ck_assert_int_le((int)strlen(line), sizes[i][0]);
			rows++;
		}
		ck_assert_int_le(rows, sizes[i][1]);
		ck_assert(scr.layout.nlanes >= 1);
		free(text);
		grid_free(g);
	}
	session_close(&s);
}
END_TEST

/* The layout gives rows by priority, whatever the panels' order on
 * screen: each its minimum, then up to "more", then all it wants; an
 * extra panel only if its minimum and its rule fit. */
static const struct view fake_top = {
    "top", VIEW_TOP, 1, NULL, NULL, NULL, NULL};
static const struct view fake_extra = {
    "extra", VIEW_EXTRA, 1, NULL, NULL, NULL, NULL};

static const struct layout_case {
	int h;
	int rows_a, rows_b, rows_x; /* a: prio 2, b: prio 1, x: extra */
} layout_cases[] = {
    {6, 1, 3, 0},   /* 4 rows after the rules: the minimums, then b */
    {10, 3, 5, 0},  /* 8: "more" for b, then a; then b's last ones */
    {14, 6, 6, 0},  /* 12: all of b, then a gets the rest */
    {20, 10, 6, 0}, /* 2 left: too few for the extra's 2 and its rule */
    {22, 10, 6, 3}, /* 4 left: the extra gets 3 under its rule */
    {26, 10, 6, 5}, /* 8 left: the extra gets all it wants */
};

START_TEST(test_layout_priority)
{
	const struct layout_case *c = &layout_cases[_i];
	struct layout lo;

	/* given: a wants 10 (min 1, more 3), b wants 6 (min 2, more 4) */
	memset(&lo, 0, sizeof lo);
	layout_add(&lo, &fake_top, 2);
	layout_add(&lo, &fake_top, 1);
	layout_add(&lo, &fake_extra, 3);
	lo.p[0].size = (struct view_size){0, 1, 3, 10, 0};
	lo.p[1].size = (struct view_size){0, 2, 4, 6, 0};
	lo.p[2].size = (struct view_size){0, 2, 2, 5, 0};
	/* when */
	layout_rows(&lo, c->h);
	/* then */
	ck_assert_int_eq(lo.p[0].rows, c->rows_a);
	ck_assert_int_eq(lo.p[1].rows, c->rows_b);
	ck_assert_int_eq(lo.p[2].rows, c->rows_x);
}
END_TEST

START_TEST(test_too_small)
{
	struct session s;
	struct screen scr;
	struct grid *g = grid_new(60, 20);
	char *text;

	race_session(&s, 2, "1");
	screen_for(&scr, &s, 0);
	screen_draw(g, &scr);
	ck_assert(scr.layout.too_small);
	ck_assert_int_eq(screen_lane_at(&scr, 5), -1);
	text = grid_text(g, 0);
	ck_assert_msg(
	    strstr(text, "terminal too small: need 80x24, have 60x20") != NULL,
	    "%s", text);
	test_check_golden("screen-too-small-60x20.utf8", text);
	free(text);
	grid_free(g);
	/* narrower than the message: it wraps */
	g = grid_new(20, 6);
	screen_draw(g, &scr);
	text = grid_text(g, 0);
	ck_assert(strstr(text, "terminal too small") != NULL);
	ck_assert(strstr(text, "20x6") != NULL);
	free(text);
	grid_free(g);
	session_close(&s);
}
END_TEST

/* Zoom and scroll move through the run and come back to follow it. */
START_TEST(test_zoom_scroll)
{
	struct session s;
	struct screen scr;
	struct grid *g = grid_new(80, 24);
	char msg[256];
	int i;

	race_session(&s, 4, "");
	for (i = 0; i < 12; i++)
		ck_assert_int_eq(session_auto_step(&s, msg, sizeof msg), 0);
	screen_for(&scr, &s, 0);
	screen_draw(g, &scr);
	ck_assert(scr.zoom.fit);
	ck_assert_int_eq(scr.zoom.cell_w, 3); /* 12 steps in 47 columns */
	screen_zoom_out(&scr);
	ck_assert(!scr.zoom.fit);
	ck_assert_int_eq(scr.zoom.cell_w, 2);
	screen_zoom_in(&scr);
	screen_zoom_in(&scr);
	screen_zoom_in(&scr);
	ck_assert_int_eq(scr.zoom.cell_w, 4); /* at most 4 columns a step */
	while (scr.zoom.cell_w > 1)
		screen_zoom_out(&scr);
	screen_zoom_out(&scr); /* the whole run fits: back to fit */
	ck_assert(scr.zoom.fit);
	screen_zoom_in(&scr);
	screen_draw(g, &scr);
	screen_scroll(&scr, 1);
	ck_assert(!scr.zoom.follow);
	ck_assert_uint_le(scr.zoom.t0, s.run->m->now);
	screen_scroll(&scr, -1);
	screen_scroll(&scr, -1);
	ck_assert_uint_eq(scr.zoom.t0, 0);
	screen_follow(&scr);
	ck_assert(scr.zoom.follow);
	screen_draw(g, &scr);
	ck_assert_str_eq(screen_mode_name(SCREEN_PAUSED), "PAUSED");
	ck_assert_str_eq(screen_mode_name(SCREEN_FREE), "FREE");
	grid_free(g);
	session_close(&s);
}
END_TEST

/* Zooming in on a run that fits keeps the middle of the run in the middle
 * (it used to jump to step 1 once the view had been scrolled). */
START_TEST(test_zoom_keeps_middle)
{
	struct session s;
	struct screen scr;
	struct grid *g = grid_new(80, 24);
	long params[MODULE_MAX_PARAMS];
	char msg[256];
	uint64_t span, mid;

	memcpy(params, race->params, sizeof params);
	params[module_param_index(race->module, "iterations")] = 20;
	session_init(&s, race, params, 0, 1);
	ck_assert_int_eq(session_start(&s, msg, sizeof msg), 0);
	while (!s.done)
		ck_assert_int_eq(session_auto_step(&s, msg, sizeof msg), 0);
	screen_for(&scr, &s, 0);
	screen_draw(g, &scr);
	/* given: a scrolled view, zoomed back out until the run fits */
	screen_scroll(&scr, -1);
	while (!scr.zoom.fit)
		screen_zoom_out(&scr);
	screen_draw(g, &scr);
	/* when */
	screen_zoom_in(&scr);
	screen_draw(g, &scr);
	/* then: the middle of the view is the middle of the run */
	ck_assert(!scr.zoom.fit);
	span = scr.zoom.cell_w > 1
	    ? (uint64_t)(scr.layout.lanes_w / scr.zoom.cell_w)
	    : (uint64_t)scr.layout.lanes_w * scr.zoom.per_col;
	mid = scr.zoom.t0 + span / 2;
	ck_assert_uint_gt(scr.zoom.t0, 0);
	ck_assert_uint_le(mid, s.run->m->now / 2 + 1);
	ck_assert_uint_ge(mid + 1, s.run->m->now / 2);
	grid_free(g);
	session_close(&s);
}
END_TEST

/* At 132x40 and wider, a few lanes are two rows tall and their steps
 * wider; a click on either row picks its lane. At 100x30 they are not. */
START_TEST(test_big_lanes)
{
	static const int sizes[][2] = {{132, 40}, {200, 60}, {100, 30}};
	struct session s;
	struct screen scr;
	size_t k;

	race_session(&s, 2, "121212");
	for (k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
		struct grid *g = grid_new(sizes[k][0], sizes[k][1]);
		int big = sizes[k][0] >= 132, y;

		screen_for(&scr, &s, 0);
		screen_draw(g, &scr);
		y = scr.layout.lanes_y;
		ck_assert_int_eq(scr.layout.lane_h, big ? 2 : 1);
		ck_assert_int_eq(screen_lane_at(&scr, y), 0);
		ck_assert_int_eq(screen_lane_at(&scr, y + 1), big ? 0 : 1);
		ck_assert_int_eq(screen_lane_at(&scr, y + 2), big ? 1 : -1);
		ck_assert_int_eq(screen_lane_at(&scr, y + 3), big ? 1 : -1);
		ck_assert_int_eq(screen_lane_at(&scr, y + 4), -1);
		ck_assert_int_eq(scr.zoom.cell_w, big ? 8 : 4);
		grid_free(g);
	}
	session_close(&s);
}
END_TEST

Suite *
make_screen_suite(void)
{
	Suite *s = suite_create("screen");
	TCase *tc = tcase_create("screen");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_golden, 0,
	    (int)(sizeof golden_cases / sizeof golden_cases[0]));
	tcase_add_test(tc, test_contents);
	tcase_add_test(tc, test_big_lanes);
	tcase_add_test(tc, test_sizes);
	tcase_add_test(tc, test_too_small);
	tcase_add_loop_test(tc, test_layout_priority, 0,
	    (int)(sizeof layout_cases / sizeof layout_cases[0]));
	screen_add_menu_tests(tc);
	tcase_add_test(tc, test_zoom_scroll);
	tcase_add_test(tc, test_zoom_keeps_middle);
	screen_add_panel_tests(tc);
	screen_add_measuring_tests(tc);
	screen_add_explore_tests(tc);
	suite_add_tcase(s, tc);
	return s;
}
