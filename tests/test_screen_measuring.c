/* The measuring panel: what the kernel saw of each lane, per mode.
 * Part of the screen suite (test_screen.c). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lessons/iovscpu.h"
#include "names.h"
#include "sampler.h"
#include "screen.h"
#include "suites.h"
#include "test_screen.h"

/* The row of text that contains needle, or NULL. */
const char *
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
int
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
void
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
	measure_plan(&f->ms, f->l->module, &f->l->module->plans[0],
	    f->l->module->plans[0].all_value);
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

/* Add the measuring panel's tests to tc. */
void
screen_add_measuring_tests(TCase *tc)
{
	tcase_add_test(tc, test_measuring);
	tcase_add_test(tc, test_measuring_pids);
	tcase_add_test(tc, test_measuring_io_not_on_cpu);
	tcase_add_test(tc, test_measuring_event_loop);
	tcase_add_test(tc, test_measuring_no_kernel);
}
