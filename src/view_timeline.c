#include "view_timeline.h"

#include <stdio.h>
#include <string.h>

#include "util.h"

char
view_timeline_thread_letter(int t)
{
	return t < 26 ? (char)('A' + t) : (char)('a' + (t - 26) % 26);
}

void
view_timeline_fit(
    struct timeline_view *v, const struct model *m, int cols, int max_cell_w)
{
	uint64_t per;

	if (cols < 1)
		cols = 1;
	v->t0 = 0;
	v->kernel = 0;
	v->pids = NULL;
	per = (m->now + (uint64_t)cols - 1) / (uint64_t)cols;
	v->per_col = per ? per : 1;
	v->cell_w = 1;
	if (v->per_col == 1 && m->now > 0) {
		uint64_t w = (uint64_t)cols / m->now;
		v->cell_w =
		    (int)(w > (uint64_t)max_cell_w ? (uint64_t)max_cell_w : w);
		if (v->cell_w < 1)
			v->cell_w = 1;
	}
}

int
view_timeline_label_w(const int *pids)
{
	return pids != NULL ? VIEW_TIMELINE_LABEL_PID : VIEW_TIMELINE_LABEL;
}

/* Model time at lane column col, and the span one column covers. */
static uint64_t
view_timeline_col_time(const struct timeline_view *v, int col)
{
	if (v->cell_w > 1)
		return v->t0 + (uint64_t)(col / v->cell_w);
	return v->t0 + (uint64_t)col * v->per_col;
}

/* n with a comma between each group of three digits: "12,500". */
static void
view_timeline_thousands(uint64_t n, char *buf, size_t len)
{
	char digits[32];
	size_t nd, i, o = 0;

	snprintf(digits, sizeof digits, "%llu", (unsigned long long)n);
	nd = strlen(digits);
	for (i = 0; i < nd && o + 2 < len; i++) {
		if (i > 0 && (nd - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
}

/* The unit a time ruler labels in (ns per unit, and its name). */
struct ruler_unit {
	uint64_t ns;
	const char *utf8, *ascii;
};

static const struct ruler_unit ruler_units[] = {
    {1000, "\xc2\xb5s", "us"},
    {1000000, "ms", "ms"},
    {1000000000, "s", "s"},
};

/* A tick value v (model time) as a label in unit u, with as many
 * decimals as a tick interval of every needs. */
static void
view_timeline_tick_label(
    uint64_t v, uint64_t unit, uint64_t every, char *buf, size_t len)
{
	char whole[32];
	uint64_t frac = v % unit, scale = unit;
	int decimals = 0;

	view_timeline_thousands(v / unit, whole, sizeof whole);
	while (every % scale != 0 && decimals < 3) {
		scale /= 10;
		decimals++;
	}
	if (decimals == 0) {
		snprintf(buf, len, "%s", whole);
		return;
	}
	snprintf(buf, len, "%.24s.%0*u", whole, decimals,
	    (unsigned)(frac / scale % 1000));
}

/* The next round tick interval after x: 1, 2, 5, 10, 20, 50, ... */
static uint64_t
view_timeline_round_up(uint64_t x)
{
	uint64_t p = 1;

	for (;;) {
		if (x <= p)
			return p;
		if (x <= 2 * p)
			return 2 * p;
		if (x <= 5 * p)
			return 5 * p;
		if (p > UINT64_MAX / 20)
			return p * 10;
		p *= 10;
	}
}

/* Lane column of model time t, or -1 before the view. */
static int64_t
view_timeline_col_of(const struct timeline_view *v, uint64_t t)
{
	if (t < v->t0)
		return -1;
	if (v->cell_w > 1)
		return (int64_t)((t - v->t0) * (uint64_t)v->cell_w);
	return (int64_t)((t - v->t0) / v->per_col);
}

/* Draw the ruler: round tick values (steps counted from 1, or times in
 * the unit that suits the view), far enough apart to read, with the
 * unit in the label column. */
static void
view_timeline_ruler(struct grid *g, int x, int y, int w, const struct model *m,
    const struct timeline_view *v, int ascii)
{
	int lw = view_timeline_label_w(v->pids), lane_w = w - lw, next_free = 0;
	int steps = m->clock == MODEL_CLOCK_STEPS, widest;
	uint64_t span, every, unit = 1, k, t_end;
	const char *unit_name = "step";
	char label[48];
	size_t i;

	span = v->cell_w > 1 ? (uint64_t)(lane_w / v->cell_w)
	                     : (uint64_t)lane_w * v->per_col;
	t_end = v->t0 + span < m->now ? v->t0 + span : m->now;
	if (!steps) {
		/* the largest unit in which the view's end is at least 10 */
		for (i = 0; i < IL_ARRAY_LEN(ruler_units); i++) {
			if (i == 0 || t_end >= 10 * ruler_units[i].ns) {
				unit = ruler_units[i].ns;
				unit_name = ascii ? ruler_units[i].ascii
				                  : ruler_units[i].utf8;
			}
		}
	}
	/* ticks far enough apart for the widest label and a gap */
	view_timeline_tick_label(t_end + 1, unit, unit, label, sizeof label);
	widest = (int)strlen(label) + (steps ? 1 : 3);
	every = view_timeline_round_up(v->cell_w > 1
	        ? ((uint64_t)widest + (uint64_t)v->cell_w - 1) /
	            (uint64_t)v->cell_w
	        : (uint64_t)widest * v->per_col);
	if (!steps && every < unit / 1000)
		every = unit / 1000;
	grid_print(g, x, y, lw, ROLE_RULER, unit_name);
	for (k = v->t0 / every; k <= t_end / every + 1; k++) {
		uint64_t val = k * every,
		         t = steps ? (val > 0 ? val - 1 : 0) : val;
		int64_t col;
		int len;

		if (steps && val == 0) {
			if (v->t0 > 0)
				continue;
			val = 1; /* the first step is step 1 */
			t = 0;
		}
		if (t > m->now || (steps && t >= m->now))
			break;
		if ((col = view_timeline_col_of(v, t)) < 0 || col < next_free)
			continue;
		if (steps)
			view_timeline_thousands(val, label, sizeof label);
		else
			view_timeline_tick_label(
			    val, unit, every, label, sizeof label);
		len = (int)strlen(label);
		if (col + len > lane_w)
			break;
		grid_print(g, x + lw + (int)col, y, len, ROLE_RULER, label);
		next_free = (int)col + len + 1;
	}
}

/* Put the lost-update marks that fall inside the visible window. */
static void
view_timeline_marks(struct grid *g, int x, int y, int lane_w,
    const struct model *m, const struct timeline_view *v)
{
	size_t i, n = model_marks_kept(m);

	/*
	 * In a free run a worker's load and the event reporting it are not
	 * one atomic action, so the queue's order of loads and stores is only
	 * close to the real one and a mark could land on the wrong store.
	 * Marks are exact only in controlled runs, where one thread moves at
	 * a time; free runs report lost updates from real memory instead.
	 */
	if (m->clock != MODEL_CLOCK_STEPS)
		return;
	for (i = 0; i < n; i++) {
		const struct lost_mark *mk = model_mark(m, i);
		uint64_t col;

		if (mk->thread < 0 || mk->thread >= m->nthreads ||
		    mk->t < v->t0)
			continue;
		col = v->cell_w > 1 ? (mk->t - v->t0) * (uint64_t)v->cell_w
		                    : (mk->t - v->t0) / v->per_col;
		if (col >= (uint64_t)lane_w)
			continue;
		grid_put(g, x + view_timeline_label_w(v->pids) + (int)col,
		    y + mk->thread, v->glyphs->lost, ROLE_LOST);
	}
}

/* Where a worker says it runs, the kernel decides: running, or runnable
 * but waiting for a CPU. A column shows one of them; the share of
 * waiting columns follows the kernel's fractions (the remainder carries
 * to the next column), so a thread that waited half the time shows half
 * its columns waiting at any zoom. */
static enum thread_state
kernel_state(const struct model_thread *th, uint64_t t0, uint64_t t1,
    uint64_t now, double *owed)
{
	uint64_t f[TS_COUNT], busy;

	timeline_bucket_fractions(&th->os_tl, t0, t1, now, f);
	busy = f[TS_RUNNING] + f[TS_READY];
	if (busy == 0)
		return TS_RUNNING;
	*owed += (double)f[TS_READY] / (double)busy;
	if (*owed >= 0.5) {
		*owed -= 1.0;
		return TS_READY;
	}
	return TS_RUNNING;
}

int
view_timeline_draw(struct grid *g, int x, int y, int w, const struct model *m,
    const struct timeline_view *v)
{
	int lw = view_timeline_label_w(v->pids), lane_w = w - lw, t, col;

	for (t = 0; t < m->nthreads; t++) {
		const struct timeline *tl = &m->threads[t].tl;
		const struct model_thread *th = &m->threads[t];
		double owed = 0; /* waiting-for-a-CPU columns not yet drawn */

		if (v->pids != NULL && v->pids[t] > 0)
			grid_printf(g, x, y + t, lw, ROLE_LABEL,
			    "%2d %c pid %d", t + 1,
			    view_timeline_thread_letter(t), v->pids[t]);
		else
			grid_printf(g, x, y + t, lw, ROLE_LABEL, "%2d %c",
			    t + 1, view_timeline_thread_letter(t));
		for (col = 0; col < lane_w; col++) {
			uint64_t t0 = view_timeline_col_time(v, col);
			uint64_t t1 = v->cell_w > 1 ? t0 + 1 : t0 + v->per_col;
			enum thread_state s;

			if (t0 >= m->now)
				break;
			s = timeline_bucket_state(tl, t0, t1, m->now);
			if (v->kernel && s == TS_RUNNING && th->os_samples > 0)
				s = kernel_state(th, t0, t1, m->now, &owed);
			grid_put(g, x + lw + col, y + t, v->glyphs->state[s],
			    glyphs_state_role(s));
		}
	}
	view_timeline_marks(g, x, y, lane_w, m, v);
	view_timeline_ruler(
	    g, x, y + m->nthreads, w, m, v, v->glyphs == &glyphs_ascii);
	return m->nthreads + 1;
}

int
view_timeline_cores(struct grid *g, int x, int y, int w, const struct model *m,
    const struct timeline_view *v, int ncpus)
{
	int lw = view_timeline_label_w(v->pids), lane_w = w - lw, cpu, col;

	for (cpu = 0; cpu < ncpus; cpu++) {
		grid_printf(g, x, y + cpu, lw, ROLE_LABEL, "cpu%-2d", cpu);
		for (col = 0; col < lane_w; col++) {
			uint64_t t0 = view_timeline_col_time(v, col);
			uint64_t t1 = v->cell_w > 1 ? t0 + 1 : t0 + v->per_col;
			uint64_t ran, span;
			int who;

			if (t0 >= m->now)
				break;
			/* a worker that ran a quarter of the column or more
			 * (of what has happened of it so far) */
			span = (t1 < m->now ? t1 : m->now) - t0;
			who = model_cpu_who(m, cpu, t0, t1, &ran);
			if (who >= 0 && ran * 4 >= span)
				grid_put(g, x + lw + col, y + cpu,
				    (uint32_t)view_timeline_thread_letter(who),
				    ROLE_RUNNING);
		}
	}
	return ncpus;
}

/* One legend item per entry: a glyph, its role and its words. */
struct legend_item {
	uint32_t ch;
	enum role role;
	const char *words;
};

static int
legend_draw(
    struct grid *g, int x, int y, int w, const struct legend_item *it, size_t n)
{
	int col = 0, row = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		int need = 2 + (int)strlen(it[i].words) + (col ? 2 : 0);

		if (col && col + need > w) {
			row++;
			col = 0;
			need -= 2;
		}
		if (col)
			col += 2;
		grid_put(g, x + col, y + row, it[i].ch, it[i].role);
		grid_print(g, x + col + 2, y + row, w - col - 2, ROLE_DEFAULT,
		    it[i].words);
		col += 2 + (int)strlen(it[i].words);
	}
	return row + 1;
}

int
view_timeline_legend(
    struct grid *g, int x, int y, int w, const struct glyphs *gl, int lost)
{
	static const enum thread_state order[] = {
	    TS_RUNNING, TS_READY, TS_IO, TS_LOCK_WAIT, TS_DONE};
	struct legend_item it[6];
	size_t i;

	for (i = 0; i < 5; i++) {
		it[i].ch = gl->state[order[i]];
		it[i].role = glyphs_state_role(order[i]);
		it[i].words = glyphs_state_words(order[i]);
	}
	it[5].ch = gl->lost;
	it[5].role = ROLE_LOST;
	it[5].words = "overwriting store";
	return legend_draw(g, x, y, w, it, lost ? 6 : 5);
}

int
view_timeline_legend_kernel(struct grid *g, int x, int y, int w,
    const struct glyphs *gl, const char *ready_words, int cores)
{
	const struct legend_item it[] = {
	    {gl->state[TS_RUNNING], glyphs_state_role(TS_RUNNING), "running"},
	    {gl->state[TS_READY], glyphs_state_role(TS_READY), ready_words},
	    {gl->state[TS_IO], glyphs_state_role(TS_IO), "blocked on I/O"},
	    {gl->state[TS_LOCK_WAIT], glyphs_state_role(TS_LOCK_WAIT),
	        "waiting for a lock"},
	    {gl->state[TS_DONE], glyphs_state_role(TS_DONE), "done"},
	    {'A', ROLE_RUNNING, "cpuN: worker on that CPU"},
	};

	return legend_draw(
	    g, x, y, w, it, sizeof it / sizeof it[0] - (cores ? 0 : 1));
}
