/* Measuring layouts at many sizes, pages, narration, durations, titles,
 * code numbers. Part of the screen suite (test_screen.c). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lesson.h"
#include "screen.h"
#include "session.h"
#include "suites.h"
#include "test_model.h"
#include "test_screen.h"

/* A measuring screen at w x h: io-vs-cpu with every mode measured, ten
 * lanes the kernel saw half running, half waiting, on two CPUs. */
static char *
measured_screen(struct lesson *l, struct screen *scr, struct measure_set *ms,
    struct model **mp, int w, int h)
{
	static const char *const names[] = {
	    "sequential", "threads", "gil", "processes", "eventloop"};
	static const char *const log[] = {"sequential took 5000 ms",
	    "threads took 2500 ms", "gil took 1667 ms",
	    "processes took 1250 ms"};
	struct model *m = model_new(10, MODEL_CLOCK_NS, 4096);
	struct grid *g = grid_new(w, h);
	char *text;
	int k;

	half_waiting(m, 50);
	measure_plan(
	    ms, l->module, &l->module->plans[0], l->module->plans[0].all_value);
	ms->cores = 2;
	for (k = 0; k < 5; k++) {
		snprintf(
		    ms->res[k].name, sizeof ms->res[k].name, "%s", names[k]);
		ms->res[k].wall_ms = 5000.0 / (k + 1);
		ms->res[k].cpu_ms = 100;
		ms->res[k].workers = k == 0 ? 1 : 10;
		ms->res[k].ideal = k == 0 ? 1 : 10;
	}
	ms->n = 5;
	ms->base_ms = 5000;
	memset(scr, 0, sizeof *scr);
	scr->lesson = l;
	scr->model = m;
	scr->glyphs = &glyphs_utf8;
	scr->mode = SCREEN_DONE;
	scr->free_run = 1;
	scr->zoom.fit = scr->zoom.follow = 1;
	scr->meas = ms;
	scr->params = l->params;
	scr->kernel = 1;
	scr->ncpus = 2;
	/* as the front end gives them: the log, and the run before */
	scr->log = log;
	scr->nlog = 4;
	scr->prev = m;
	scr->prev_title = "processes, 1,250 ms";
	screen_draw(g, scr);
	text = grid_text(g, 0);
	grid_free(g);
	*mp = m;
	return text;
}

/* Blank rows in text. */
static int
blank_rows(const char *text)
{
	int n = 0;

	for (; *text != '\0'; text = strchr(text, '\n') + 1) {
		if (*text == '\n')
			n++;
		if (strchr(text, '\n') == NULL)
			break;
	}
	return n;
}

/* cond, or say on stderr what text lacks. */
static int
check_text(const char *text, int cond, const char *what)
{
	(void)text;
	if (!cond)
		fprintf(stderr, "no %s\n", what);
	return cond;
}

static const int layout_sizes[][2] = {
    {80, 24}, {100, 30}, {132, 40}, {200, 60}};

/* The results table keeps every row at the smallest size, the shared
 * panel is never cut, and a large terminal's rows go to more lanes and
 * panels rather than blank space. */
START_TEST(test_layout_measuring)
{
	struct lesson *l = test_lesson("io-vs-cpu");
	int w = layout_sizes[_i][0], h = layout_sizes[_i][1], ok = 1;
	struct measure_set ms;
	struct screen scr;
	struct model *m;
	char *text, row[1024];
	int k;

	text = measured_screen(l, &scr, &ms, &m, w, h);
	for (k = 0; k < 5; k++)
		ok &= check_text(text,
		    row_with(text, ms.res[k].name, row, sizeof row) != NULL &&
		        strstr(row, " ms") != NULL,
		    ms.res[k].name);
	/* the shared panel is whole: its last parameter is there */
	ok &= check_text(text, strstr(text, "greedy 0") != NULL, "greedy 0");
	if (h >= 40) { /* every lane, the cores view, the kernel's view */
		ok &= check_text(text,
		    row_with(text, "10 J ", row, sizeof row) != NULL, "J");
		ok &= check_text(text,
		    row_with(text, "cpu1 ", row, sizeof row) != NULL, "cpu1");
		ok &= check_text(text,
		    strstr(text, "kernel's view of each lane") != NULL,
		    "kernel's view");
	}
	if (h >= 60) { /* and the log, and the run before to compare */
		ok &= check_text(text,
		    strstr(text, "processes took 1250 ms") != NULL, "log");
		ok &= check_text(text,
		    strstr(text, "the run before: processes") != NULL, "prev");
	}
	ok &= check_text(text, blank_rows(text) <= 5, "blank rows");
	if (!ok)
		fprintf(stderr, "%dx%d:\n%s", w, h, text);
	ck_assert_msg(ok, "%dx%d: see the screen above", w, h);
	free(text);
	model_free(m);
	lesson_free(l);
}
END_TEST

/* At 80x24 every page of the shipped lessons fits with their own
 * parameters (and race's first page with 4 threads), and the panels
 * under the narration stay on the same rows as the pages turn. */
START_TEST(test_layout_pages)
{
	static const char *const ids[] = {"race", "io-vs-cpu"};
	struct lesson *l = test_lesson(ids[_i]);
	long params[MODULE_MAX_PARAMS];
	int have = screen_narration_rows(l, l->params, 80, 24), lanes_y = -1;
	size_t p;

	for (p = 0; p < l->npages; p++) {
		int need = screen_page_rows(l, l->params, p, 80);

		ck_assert_msg(need <= have, "%s page %zu needs %d rows, %d fit",
		    l->id, p + 1, need, have);
	}
	lesson_free(l);
	if (_i != 0)
		return;
	/* race, also with 4 threads; and on the screen, page by page */
	memcpy(params, race->params, sizeof params);
	params[module_param_index(race->module, "threads")] = 4;
	ck_assert_int_ge(screen_narration_rows(race, params, 80, 24),
	    screen_page_rows(race, params, 0, 80));
	for (p = 0; p < race->npages; p++) {
		struct session s;
		struct screen scr;
		struct grid *g = grid_new(80, 24);

		race_session(&s, 4, "12");
		screen_for(&scr, &s, 0);
		scr.page = (int)p;
		screen_draw(g, &scr);
		if (lanes_y < 0)
			lanes_y = scr.layout.lanes_y;
		ck_assert_int_eq(scr.layout.lanes_y, lanes_y);
		ck_assert_int_le(scr.layout.narr_need, scr.layout.narr_rows);
		ck_assert_int_eq(scr.layout.nlanes, 4);
		session_close(&s);
		grid_free(g);
	}
}
END_TEST

/* A page longer than the narration scrolls, and the rule says where. */
START_TEST(test_narration_scroll)
{
	static const char page[] =
	    "# Long\n\n```lesson\nmodule: race\nsummary: s\n```\n\n"
	    "## One long page\n\n"
	    "line 1\n\nline 2\n\nline 3\n\nline 4\n\nline 5\n\n"
	    "line 6\n\nline 7\n\nline 8 is the last\n";
	struct lesson *l;
	struct session s;
	struct screen scr;
	struct grid *g = grid_new(80, 24);
	char err[256], msg[256], *text;

	l = lesson_parse("long.md", page, sizeof page - 1, err, sizeof err);
	ck_assert_msg(l != NULL, "%s", err);
	session_init(&s, l, NULL, 0, 1);
	ck_assert_int_eq(session_start(&s, msg, sizeof msg), 0);
	screen_for(&scr, &s, 0);
	scr.lesson = l;
	screen_draw(g, &scr);
	ck_assert_int_lt(scr.layout.narr_rows, scr.layout.narr_need);
	text = grid_text(g, 0);
	ck_assert_msg(strstr(text, "\xe2\x86\x93 rows 1-") != NULL, "%s", text);
	ck_assert(strstr(text, "line 8 is the last") == NULL);
	free(text);
	/* scroll down a screenful: the end is in view, the rule says so */
	screen_narration_scroll(&scr, scr.layout.narr_rows);
	grid_clear(g);
	screen_draw(g, &scr);
	text = grid_text(g, 0);
	ck_assert_msg(strstr(text, "line 8 is the last") != NULL, "%s", text);
	ck_assert(strstr(text, "\xe2\x86\x91 rows ") != NULL);
	ck_assert(strstr(text, "\xe2\x86\x93 rows") == NULL);
	free(text);
	/* no further than the end, and back to the top */
	ck_assert_int_eq(screen_narration_scroll(&scr, 1), -1);
	ck_assert_int_eq(screen_narration_scroll(&scr, -100), 0);
	ck_assert_int_eq(scr.narr_top, 0);
	/* the narration panel takes the scroll keys itself */
	ck_assert_int_eq(screen_key(&scr, SCREEN_KEY_DOWN), 1);
	ck_assert_int_eq(scr.narr_top, 1);
	ck_assert_int_eq(screen_key(&scr, SCREEN_KEY_PAGE_DOWN), 1);
	ck_assert_int_gt(scr.narr_top, 1);
	ck_assert_int_eq(screen_key(&scr, SCREEN_KEY_PAGE_UP), 1);
	ck_assert_int_eq(screen_key(&scr, SCREEN_KEY_UP), 1);
	ck_assert_int_eq(scr.narr_top, 0);
	/* the lanes panel takes the zoom keys; nobody takes 'x' */
	scr.zoom.fit = 1;
	ck_assert_int_eq(screen_key(&scr, '+'), 1);
	ck_assert_int_eq(scr.zoom.fit, 0);
	ck_assert_int_eq(screen_key(&scr, 'x'), 0);
	grid_free(g);
	session_close(&s);
	lesson_free(l);
}
END_TEST

/* Durations for people: short runs in ms, not "0.0 s"; long in minutes. */
static const struct {
	uint64_t ms;
	const char *text;
} durations[] = {
    {0, "0 ms"},
    {50, "50 ms"},
    {999, "999 ms"},
    {1000, "1.0 s"},
    {1234, "1.2 s"},
    {59999, "59.9 s"},
    {60000, "1 min 00 s"},
    {125000, "2 min 05 s"},
};

START_TEST(test_duration)
{
	char buf[32];

	screen_duration(durations[_i].ms, buf, sizeof buf);
	ck_assert_str_eq(buf, durations[_i].text);
}
END_TEST

/* A 50 ms free run's title says 50 ms; the narration shows the run's
 * own parameters where the page has placeholders. */
START_TEST(test_title_and_placeholders)
{
	struct lesson *l = test_lesson("io-vs-cpu");
	int k = module_param_index(l->module, "tasks");
	struct measure_set ms;
	struct screen scr;
	struct model *m;
	char *text;

	l->params[k] = 6;
	text = measured_screen(l, &scr, &ms, &m, 80, 24);
	ck_assert_msg(strstr(text, "6 tasks. Each waits") != NULL, "%s", text);
	ck_assert(strstr(text, "Ten tasks") == NULL);
	free(text);
	model_free(m);
	scr.elapsed_ms = 50;
	{
		struct grid *g = grid_new(80, 24);

		m = model_new(2, MODEL_CLOCK_NS, 64);
		scr.model = m;
		scr.meas = NULL;
		scr.prev = NULL;
		scr.kernel = 0;
		screen_draw(g, &scr);
		text = grid_text(g, 0);
		ck_assert_msg(strstr(text, "DONE  50 ms") != NULL, "%s", text);
		ck_assert(
		    strstr(text, "seed") == NULL); /* free runs have none */
		free(text);
		grid_free(g);
		model_free(m);
	}
	lesson_free(l);
}
END_TEST

/* The code panel never cuts a number: its locals column is as wide as
 * the widest value. */
START_TEST(test_code_numbers_whole)
{
	struct session s;
	struct screen scr;
	struct grid *g = grid_new(80, 24);
	char *text;

	race_session(&s, 2, "1");
	s.run->m->threads[0].locals[0] = 4484952123LL;
	s.run->m->threads[1].locals[0] = 7;
	s.run->m->threads[1].local_set = 1;
	screen_for(&scr, &s, 0);
	screen_draw(g, &scr);
	text = grid_text(g, 0);
	ck_assert_msg(strstr(text, "tmp=4484952123") != NULL, "%s", text);
	ck_assert(strstr(text, "tmp=7") != NULL);
	free(text);
	grid_free(g);
	session_close(&s);
}
END_TEST

/* Tasks of one event-loop thread take turns: each column shows one of
 * them running, at any zoom, where each task alone is mostly ready. */
START_TEST(test_loop_tasks_take_turns)
{
	struct model *m = model_new(3, MODEL_CLOCK_NS, 4096);
	struct timeline_view v;
	struct grid *g = grid_new(80, 4);
	int t, k, col, ran[3] = {0, 0, 0};
	struct event e;

	memset(&e, 0, sizeof e);
	for (t = 0; t < 3; t++) {
		e.kind = EV_OS_IDENTITY;
		e.thread = (uint16_t)t;
		e.b = 777;
		e.ts_ns = 1000000000ull;
		model_apply(m, &e);
	}
	/* 300 turns of 1 ms, in order A B C A B C ... */
	for (k = 0; k < 300; k++) {
		for (t = 0; t < 3; t++) {
			e.kind = EV_STATE;
			e.thread = (uint16_t)t;
			e.a = t == k % 3 ? TS_RUNNING : TS_READY;
			e.ts_ns = 1000000000ull + (uint64_t)k * 1000000;
			model_apply(m, &e);
		}
	}
	view_timeline_fit(&v, m, 80 - VIEW_TIMELINE_LABEL, 4);
	v.glyphs = &glyphs_ascii;
	view_timeline_draw(g, 0, 0, 80, m, &v);
	for (col = VIEW_TIMELINE_LABEL; col < 80; col++) {
		int running = 0;

		if (g->cells[col].ch == ' ')
			break;
		for (t = 0; t < 3; t++)
			if (g->cells[t * g->w + col].ch == '#') {
				running++;
				ran[t]++;
			}
		ck_assert_msg(
		    running == 1, "column %d: %d running", col, running);
	}
	for (t = 0; t < 3; t++)
		ck_assert_int_gt(ran[t], 10);
	grid_free(g);
	model_free(m);
}
END_TEST

/* Add the layout and panel tests to tc. */
/* A deadlock the model found: the alert panel gives the cycle under
 * its headline, the title says DEADLOCK, the ruler marks where it
 * closed and the legend says what the mark is; a lesson's own alert
 * shows in the same place, its headline before the colon. */
START_TEST(test_alert_panel)
{
	struct lesson *l = test_lesson("race");
	struct model *m = model_new(2, MODEL_CLOCK_STEPS, 64);
	struct grid *g = grid_new(80, 24);
	struct screen scr;
	char *text;

	model_add_lock(m, "A");
	model_add_lock(m, "B");
	apply(m, EV_THREAD_START, 0, 0, 0, 0, 0);
	apply(m, EV_THREAD_START, 1, 0, 0, 0, 0);
	apply(m, EV_LOCK_ACQ, 0, 1, 1, 0, 0);
	apply(m, EV_LOCK_ACQ, 1, 2, 1, 1, 0);
	apply(m, EV_STATE, 0, 2, 2, TS_LOCK_WAIT, 1);
	apply(m, EV_STATE, 1, 2, 2, TS_LOCK_WAIT, 0);
	memset(&scr, 0, sizeof scr);
	scr.lesson = l;
	scr.model = m;
	scr.glyphs = &glyphs_utf8;
	scr.mode = SCREEN_STEP;
	scr.zoom.fit = scr.zoom.follow = 1;
	scr.params = l->params;
	screen_draw(g, &scr);
	text = grid_text(g, 0);
	ck_assert_msg(
	    strstr(text, "DEADLOCK at step 2: no thread can move") != NULL,
	    "%s", text);
	ck_assert_msg(
	    strstr(text,
	        "T1 \xe2\x86\x92 B (held by T2) \xe2\x86\x92 T2 "
	        "\xe2\x86\x92 A (held by T1) \xe2\x86\x92 T1") != NULL,
	    "%s", text);
	ck_assert_msg(strstr(text, " DEADLOCK  step 2") != NULL, "%s", text);
	ck_assert_msg(strstr(text, "\xe2\x96\xb2") != NULL, "%s", text);
	ck_assert_msg(strstr(text, "the deadlock closed") != NULL, "%s", text);
	free(text);
	/* no deadlock, but the lesson's alert */
	memset(&m->deadlock, 0, sizeof m->deadlock);
	scr.alert = "LIVELOCK for 1.2 s: every thread keeps trying";
	grid_free(g);
	g = grid_new(80, 24);
	screen_draw(g, &scr);
	text = grid_text(g, 0);
	ck_assert_msg(
	    strstr(text, " LIVELOCK for 1.2 s\n") != NULL, "%s", text);
	ck_assert_msg(
	    strstr(text, " every thread keeps trying") != NULL, "%s", text);
	ck_assert_msg(strstr(text, "DEADLOCK") == NULL, "%s", text);
	free(text);
	/* nothing to say: no alert panel */
	scr.alert = NULL;
	grid_free(g);
	g = grid_new(80, 24);
	screen_draw(g, &scr);
	text = grid_text(g, 0);
	ck_assert_msg(
	    strstr(text, "alert") == NULL && strstr(text, "LIVELOCK") == NULL,
	    "%s", text);
	free(text);
	grid_free(g);
	model_free(m);
	lesson_free(l);
}
END_TEST

/* A lesson with many keys of its own: at 80x24 the help box keeps its
 * border and every key's whole sentence. */
START_TEST(test_help_many_keys)
{
	struct lesson *l = test_lesson("deadlock");
	struct model *m = model_new(2, MODEL_CLOCK_STEPS, 64);
	struct grid *g = grid_new(80, 24);
	struct screen scr;
	char *text;

	memset(&scr, 0, sizeof scr);
	scr.lesson = l;
	scr.model = m;
	scr.zoom.fit = scr.zoom.follow = 1;
	scr.glyphs = &glyphs_utf8;
	scr.mode = SCREEN_STEP;
	scr.params = l->params;
	scr.help = 1;
	screen_draw(g, &scr);
	text = grid_text(g, 0);
	ck_assert_msg(strstr(text,
	                  "the lock order: opposite or the same for "
	                  "every thread") != NULL,
	    "%s", text);
	ck_assert_msg(strstr(text, "\xe2\x94\x94") != NULL, "%s", text);
	ck_assert_msg(strstr(text, "auto-run speed") != NULL, "%s", text);
	free(text);
	grid_free(g);
	model_free(m);
	lesson_free(l);
}
END_TEST

void
screen_add_panel_tests(TCase *tc)
{
	tcase_add_test(tc, test_help_many_keys);
	tcase_add_test(tc, test_alert_panel);
	tcase_add_loop_test(tc, test_layout_measuring, 0,
	    (int)(sizeof layout_sizes / sizeof layout_sizes[0]));
	tcase_add_loop_test(tc, test_layout_pages, 0, 2);
	tcase_add_test(tc, test_narration_scroll);
	tcase_add_loop_test(tc, test_duration, 0,
	    (int)(sizeof durations / sizeof durations[0]));
	tcase_add_test(tc, test_title_and_placeholders);
	tcase_add_test(tc, test_code_numbers_whole);
	tcase_add_test(tc, test_loop_tasks_take_turns);
}
