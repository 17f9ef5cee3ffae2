/* The screens drawn into the cell grid: golden text for fixed states at
 * 80x24 and 132x40, UTF-8 and ASCII, plus direct checks of the layout. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout.h"
#include "lesson.h"
#include "lessons/iovscpu.h"
#include "names.h"
#include "sampler.h"
#include "screen.h"
#include "session.h"
#include "suites.h"

static struct lesson *race;

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

static char *
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
static void
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

static void
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

/* The row of text that contains needle, or NULL. */
static const char *
row_with(const char *text, const char *needle, char *row, size_t len)
{
	const char *p = strstr(text, needle), *start, *end;

	if (p == NULL)
		return NULL;
	for (start = p; start > text && start[-1] != '\n'; start--)
		;
	end = strchr(p, '\n');
	if (end == NULL)
		end = p + strlen(p);
	snprintf(row, len, "%.*s", (int)(end - start), start);
	return row;
}

/* Occurrences of the UTF-8 character c in s. */
static int
count_char(const char *s, const char *c)
{
	int n = 0;

	for (s = strstr(s, c); s != NULL; s = strstr(s + 1, c))
		n++;
	return n;
}

/* Every lane of m running from 1 s on, in the workers' view, and in the
 * kernel's running half of each of samples 10 ms samples and waiting
 * for a CPU the other half, on CPU 0 or 1. */
static void
half_waiting(struct model *m, int samples)
{
	struct event e;
	int t, k;

	memset(&e, 0, sizeof e);
	for (t = 0; t < m->nthreads; t++) {
		e.kind = EV_STATE;
		e.thread = (uint16_t)t;
		e.a = TS_RUNNING;
		e.ts_ns = 1000000000;
		model_apply(m, &e);
	}
	for (k = 1; k <= samples; k++) {
		for (t = 0; t < m->nthreads; t++) {
			e.kind = EV_OS_SAMPLE;
			e.thread = (uint16_t)t;
			e.ts_ns = 1000000000 + (uint64_t)k * 10000000;
			sample_pack(&(struct sample){10000000, 500, 500, 0, 'R',
			                t % 2, 0},
			    &e.a, &e.b);
			model_apply(m, &e);
		}
	}
}

/* A measuring lesson's screen: 4 CPU-bound workers that the kernel saw
 * running half of each 10 ms sample and waiting for a CPU the other
 * half, on CPUs 0 and 1; three runs measured, one going, one waiting. */
struct measuring {
	struct lesson *l;
	struct model *m;
	struct measure_set ms;
	struct screen scr;
	struct grid *g;
};

static const char *const measuring_names[] = {"sequential", "threads", "gil"};

static void
measuring_init(struct measuring *f)
{
	static const double wall[] = {800, 400, 820};
	int k;

	f->l = test_lesson("io-vs-cpu");
	f->m = model_new(4, MODEL_CLOCK_NS, 4096);
	f->g = grid_new(100, 30);
	half_waiting(f->m, 100);
	measure_plan(&f->ms, f->l->module, f->l->module->plan.all_value);
	ck_assert_int_eq(f->ms.nmodes, 5);
	f->ms.cores = 2;
	for (k = 0; k < 3; k++) {
		snprintf(f->ms.res[k].name, sizeof f->ms.res[k].name, "%s",
		    measuring_names[k]);
		f->ms.res[k].wall_ms = wall[k];
		f->ms.res[k].cpu_ms = 800;
		f->ms.res[k].workers = k == 0 ? 1 : 2;
		f->ms.res[k].ideal = k == 0 ? 1 : 2;
	}
	f->ms.n = 3;
	f->ms.base_ms = wall[0];
	memset(&f->scr, 0, sizeof f->scr);
	f->scr.lesson = f->l;
	f->scr.model = f->m;
	f->scr.glyphs = &glyphs_utf8;
	f->scr.mode = SCREEN_FREE;
	f->scr.free_run = 1;
	f->scr.zoom.fit = f->scr.zoom.follow = 1;
	f->scr.meas = &f->ms;
	f->scr.params = f->l->params;
	f->scr.kernel = 1;
	f->scr.ncpus = 2;
}

/* The measuring screen drawn afresh, as text (caller frees). */
static char *
measuring_text(struct measuring *f)
{
	grid_clear(f->g);
	screen_draw(f->g, &f->scr);
	return grid_text(f->g, 0);
}

static void
measuring_free(struct measuring *f)
{
	grid_free(f->g);
	model_free(f->m);
	lesson_free(f->l);
}

/* The results table, its bars, the lanes and the cores view. */
START_TEST(test_measuring)
{
	const char *const *names = measuring_names;
	struct measuring f;
	struct measure_set *ms = &f.ms;
	char *text, row[256];
	int t, k, bars[3];

	measuring_init(&f);
	text = measuring_text(&f);
	ck_assert_msg(strstr(text, "results") != NULL, "%s", text);
	ck_assert(strstr(text,
	              "mode        workers    wall ms  speedup  "
	              "ideal  CPU use") != NULL);
	ck_assert_msg(row_with(text,
	                  " threads           2      400.0    "
	                  "2.00x     2x     100%",
	                  row, sizeof row) != NULL,
	    "%s", text);
	ck_assert(row_with(text, " gil               2      820.0    0.98x",
	              row, sizeof row) != NULL);
	ck_assert(
	    row_with(text, " processes   running", row, sizeof row) != NULL);
	ck_assert(row_with(text, " eventloop   waiting its turn", row,
	              sizeof row) != NULL);
	ck_assert(strstr(text, "run 4 of 5: processes") != NULL);
	ck_assert(strstr(text, "kernel's view: /proc") != NULL);
	ck_assert(strstr(text, "kind io") != NULL);
	/* the bars follow the wall times: the longest is the gil run's */
	for (k = 0; k < 3; k++) {
		char needle[40];

		snprintf(needle, sizeof needle, " %-11s", names[k]);
		ck_assert(row_with(text, needle, row, sizeof row) != NULL);
		bars[k] = count_char(row, "\xe2\x96\x88");
		ck_assert_int_eq(bars[k], measure_bar(ms, k, 100 - 58 - 10));
	}
	ck_assert_int_gt(bars[2], bars[1]);
	ck_assert_int_le(abs(2 * bars[1] - bars[0]), 1);
	/* the kernel's view: each lane about half running, half waiting for
	 * a CPU; the cores view names who ran where */
	for (t = 0; t < 4; t++) {
		char needle[8];
		int run, wait;

		snprintf(
		    needle, sizeof needle, "%2d %c  ", t + 1, thread_letter(t));
		ck_assert(row_with(text, needle, row, sizeof row) != NULL);
		run = count_char(row, "\xe2\x96\x88");
		wait = count_char(row, "\xc2\xb7");
		ck_assert_msg(run > 10 && wait > 10 && abs(run - wait) <= 2,
		    "lane %d: %d running, %d waiting: %s", t, run, wait, row);
	}
	ck_assert(row_with(text, "cpu0  AAAA", row, sizeof row) != NULL);
	ck_assert(row_with(text, "cpu1  BBBB", row, sizeof row) != NULL);
	ck_assert(strstr(text, "waiting for a CPU") != NULL);
	ck_assert(strstr(text, "a all modes") != NULL);
	ck_assert(strstr(text, "1-9 step") == NULL);
	free(text);
	measuring_free(&f);
}
END_TEST

/* Processes: every lane's label carries its PID. */
START_TEST(test_measuring_pids)
{
	static const int pids[] = {4101, 4102, 4103, 1234567};
	struct measuring f;
	char *text, row[256];
	long procs[MODULE_MAX_PARAMS];

	measuring_init(&f);
	memcpy(procs, f.l->params, sizeof procs);
	procs[IOVSCPU_MODE] = IOVSCPU_PROCESSES;
	f.scr.params = procs;
	f.scr.pids = pids;
	text = measuring_text(&f);
	ck_assert_msg(row_with(text, " 1 A pid 4101    \xe2\x96", row,
	                  sizeof row) != NULL ||
	        row_with(text, " 1 A pid 4101    \xc2\xb7", row, sizeof row) !=
	            NULL,
	    "%s", text);
	ck_assert(row_with(text, " 4 D pid 1234567 ", row, sizeof row) != NULL);
	ck_assert(
	    row_with(text, "cpu0             A", row, sizeof row) != NULL);
	ck_assert_int_eq(f.scr.layout.lanes_x, VIEW_TIMELINE_LABEL_PID);
	/* the processes mode's lanes are processes: so the lanes' rule
	 * says (the module's lane words) */
	ck_assert(strstr(text, "\xe2\x94\x80 processes \xe2\x94\x80") != NULL);
	free(text);
	measuring_free(&f);
}
END_TEST

/* A worker that barely ran (blocked on I/O) is not drawn on its CPU. */
START_TEST(test_measuring_io_not_on_cpu)
{
	struct measuring f;
	struct event e;
	char *text, row[256];
	int k;

	measuring_init(&f);
	memset(&e, 0, sizeof e);
	struct model *io = model_new(1, MODEL_CLOCK_NS, 4096);

	e.kind = EV_STATE;
	e.thread = 0;
	e.a = TS_IO;
	e.ts_ns = 1000000000;
	model_apply(io, &e);
	for (k = 1; k <= 100; k++) {
		e.kind = EV_OS_SAMPLE;
		e.ts_ns = 1000000000 + (uint64_t)k * 10000000;
		sample_pack(&(struct sample){10000000, 2, 0, 998, 'S', 0, 0},
		    &e.a, &e.b);
		model_apply(io, &e);
	}
	f.scr.model = io;
	f.scr.zoom.fit = 1;
	text = measuring_text(&f);
	ck_assert(row_with(text, "cpu0", row, sizeof row) != NULL);
	ck_assert_msg(strchr(row, 'A') == NULL, "%s", row);
	free(text);
	f.scr.model = f.m;
	model_free(io);

	measuring_free(&f);
}
END_TEST

/* The event loop's run: its lanes are tasks of one thread, and a task
 * that is ready waits for its turn in the loop, not for a CPU. */
START_TEST(test_measuring_event_loop)
{
	struct measuring f;
	struct event e;
	char *text;
	int t;
	long loop[MODULE_MAX_PARAMS];

	measuring_init(&f);
	memcpy(loop, f.l->params, sizeof loop);
	loop[IOVSCPU_MODE] = IOVSCPU_EVENTLOOP;
	f.scr.params = loop;
	memset(&e, 0, sizeof e);
	for (t = 0; t < 4; t++) {
		e.kind = EV_OS_IDENTITY;
		e.thread = (uint16_t)t;
		e.a = 0;
		e.b = 4242;
		model_apply(f.m, &e);
	}
	text = measuring_text(&f);
	ck_assert(strstr(text, "tasks, all in one event-loop thread") != NULL);
	ck_assert(strstr(text, "waiting for its turn in the loop") != NULL);
	ck_assert(strstr(text, "waiting for a CPU") == NULL);
	free(text);
	measuring_free(&f);
}
END_TEST

/* Without kernel data: said so, and no cores view. */
START_TEST(test_measuring_no_kernel)
{
	struct measuring f;
	char *text;

	measuring_init(&f);
	f.scr.kernel = -1;
	text = measuring_text(&f);
	ck_assert(strstr(text, "kernel data unavailable") != NULL);
	ck_assert(strstr(text, "cpu0") == NULL);
	free(text);
	measuring_free(&f);
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

START_TEST(test_menu)
{
	struct lesson *ls[2] = {race, race};
	struct grid *g = grid_new(80, 24);
	char *text;

	screen_draw_menu(g, ls, 2, 1, 0);
	text = grid_text(g, 0);
	test_check_golden("screen-menu-80x24.utf8", text);
	ck_assert(strstr(text, "1  race") != NULL);
	ck_assert(strstr(text, "2  race") != NULL);
	free(text);
	grid_clear(g);
	screen_draw_menu(g, ls, 1, 0, 1);
	text = grid_text(g, 1);
	test_check_golden("screen-menu-80x24.ascii", text);
	free(text);
	grid_free(g);
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
	measure_plan(ms, l->module, l->module->plan.all_value);
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
	tcase_add_test(tc, test_sizes);
	tcase_add_test(tc, test_too_small);
	tcase_add_loop_test(tc, test_layout_priority, 0,
	    (int)(sizeof layout_cases / sizeof layout_cases[0]));
	tcase_add_test(tc, test_menu);
	tcase_add_test(tc, test_zoom_scroll);
	tcase_add_test(tc, test_zoom_keeps_middle);
	tcase_add_loop_test(tc, test_layout_measuring, 0,
	    (int)(sizeof layout_sizes / sizeof layout_sizes[0]));
	tcase_add_loop_test(tc, test_layout_pages, 0, 2);
	tcase_add_test(tc, test_narration_scroll);
	tcase_add_loop_test(tc, test_duration, 0,
	    (int)(sizeof durations / sizeof durations[0]));
	tcase_add_test(tc, test_title_and_placeholders);
	tcase_add_test(tc, test_code_numbers_whole);
	tcase_add_test(tc, test_loop_tasks_take_turns);
	tcase_add_test(tc, test_measuring);
	tcase_add_test(tc, test_measuring_pids);
	tcase_add_test(tc, test_measuring_io_not_on_cpu);
	tcase_add_test(tc, test_measuring_event_loop);
	tcase_add_test(tc, test_measuring_no_kernel);
	suite_add_tcase(s, tc);
	return s;
}
