/*
 * Frame render time: the lesson screen drawn into the cell grid for 16
 * lanes with a long history, at 200x60 and at 80x24, against the 33.3 ms
 * budget of a 30 fps frame. The curses flush is not included (it needs a
 * terminal); bench_tui.sh measures the whole program.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lesson.h"
#include "model.h"
#include "screen.h"

#define THREADS 16
#define EVENTS  200000
#define FRAMES  300

static double
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* A free-run-like history: threads switch states at pseudo-random times,
 * with loads and stores of a shared counter, some of them lost updates. */
static struct model *
busy_model(void)
{
	struct model *m = model_new(THREADS, MODEL_CLOCK_NS, 4096);
	uint64_t x = 88172645463325252ULL, ts = 1000000000ULL;
	int i;

	model_add_var(m, "counter", 0, 1);
	for (i = 0; i < EVENTS; i++) {
		struct event e;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		memset(&e, 0, sizeof e);
		ts += 1000 + x % 20000;
		e.ts_ns = ts;
		e.thread = (uint16_t)(x % THREADS);
		switch (x >> 20 & 3) {
		case 0:
			e.kind = EV_LOAD;
			e.a = 0;
			e.b = i / 3;
			break;
		case 1:
			/* about one store in four overwrote an update, as
			 * il_store would report it */
			e.kind = EV_STORE;
			e.a = (x >> 40 & 3) == 0 ? EV_STORE_OVERWROTE : 0;
			e.b = i / 3 + 1;
			break;
		default:
			e.kind = EV_STATE;
			e.a = (int64_t)(x >> 30 & 3) + TS_RUNNING;
			break;
		}
		model_apply(m, &e);
	}
	return m;
}

static void
measure(const struct lesson *l, const struct model *m, int w, int h)
{
	struct grid *g = grid_new(w, h);
	double t[FRAMES], sum = 0;
	struct screen s;
	int i;

	memset(&s, 0, sizeof s);
	s.lesson = l;
	s.model = m;
	s.glyphs = &glyphs_utf8;
	s.mode = SCREEN_FREE;
	s.elapsed_ms = 1234;
	s.zoom.fit = 1;
	s.zoom.follow = 1;
	for (i = 0; i < FRAMES; i++) {
		double t0 = now_us();

		grid_clear(g);
		screen_draw(g, &s);
		t[i] = now_us() - t0;
		sum += t[i];
	}
	qsort(t, FRAMES, sizeof t[0], cmp_double);
	printf("render %3dx%-3d %d lanes: mean %7.1f us  p99 %7.1f us  "
	       "= %5.2f%% of a 30 fps frame (33.3 ms)\n",
	    w, h, m->nthreads, sum / FRAMES, t[FRAMES * 99 / 100],
	    100.0 * (sum / FRAMES) / 33333.3);
	grid_free(g);
}

int
main(void)
{
	const char *top = getenv("top_srcdir");
	char path[4096], err[512];
	struct lesson *l;
	struct model *m;

	snprintf(
	    path, sizeof path, "%s/lessons/race.md", top != NULL ? top : ".");
	if ((l = lesson_load(path, err, sizeof err)) == NULL) {
		fprintf(stderr, "bench_render: %s\n", err);
		return 1;
	}
	m = busy_model();
	printf("model: %d threads, %d events, %llu ms of history\n",
	    m->nthreads, EVENTS, (unsigned long long)(m->now / 1000000));
	measure(l, m, 200, 60);
	measure(l, m, 80, 24);
	model_free(m);
	lesson_free(l);
	return 0;
}
