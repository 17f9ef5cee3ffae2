#include "view_timeline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "names.h"
#include "text.h"
#include "util.h"

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

	text_thousands(v / unit, whole, sizeof whole);
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
			text_thousands(val, label, sizeof label);
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

/* Put a mark in each column of each lane where a store overwrote another
 * thread's update: the counts come from the lane's timeline, exact at
 * any zoom and through any merge of old history, in free runs too
 * (there the worker sees the overwrite in real memory). A free run
 * overwrites so often that every column would be marked, hiding when
 * the lane waited for a CPU, so there a mark goes only on the columns
 * drawn running: a store is made while running. */
static void
view_timeline_marks(struct grid *g, int x, int y, int lane_w,
    const struct model *m, const struct timeline_view *v)
{
	int lw = view_timeline_label_w(v->pids), t, col;

	for (t = 0; t < m->nthreads; t++) {
		const struct timeline *tl = &m->threads[t].tl;

		if (tl->nmarks == 0 && tl->nbins == 0)
			continue;
		for (col = 0; col < lane_w; col++) {
			uint64_t t0 = view_timeline_col_time(v, col);
			uint64_t t1 = v->cell_w > 1 ? t0 + 1 : t0 + v->per_col;

			if (t0 > m->now)
				break;
			if (v->cell_w > 1 && col % v->cell_w != 0)
				continue; /* a step's mark goes in its first cell */
			if (m->clock == MODEL_CLOCK_NS &&
			    g->cells[(size_t)(y + t) * (size_t)g->w +
			         (size_t)(x + lw + col)]
			            .ch != v->glyphs->state[TS_RUNNING])
				continue;
			if (timeline_bucket_marks(tl, t0, t1) > 0)
				grid_put(g, x + lw + col, y + t,
				    v->glyphs->lost, ROLE_LOST);
		}
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

/* The state that filled most of f other than running (ties: the one a
 * student most needs to see), or ready if nothing else did. */
static enum thread_state
view_timeline_not_running(const uint64_t f[TS_COUNT])
{
	static const enum thread_state order[] = {
	    TS_LOCK_WAIT, TS_COND_WAIT, TS_IO, TS_READY, TS_DONE};
	enum thread_state best = TS_READY;
	uint64_t most = 0;
	size_t i;

	for (i = 0; i < sizeof order / sizeof order[0]; i++) {
		if (f[order[i]] > most) {
			most = f[order[i]];
			best = order[i];
		}
	}
	return best;
}

/*
 * The state each lane shows in [t0, t1), into st[]. Lanes that are tasks
 * of one OS thread (an event loop's) take turns on it: in each column the
 * one that held it longest is drawn running and the others in whatever
 * filled the rest of their time, so one task runs at a time at any zoom,
 * as on the thread itself.
 */
static void
view_timeline_column(const struct model *m, uint64_t t0, uint64_t t1,
    enum thread_state *st, uint64_t *ran, int *holder)
{
	uint64_t f[TS_COUNT];
	int t, lead;

	for (t = 0; t < m->nthreads; t++) {
		timeline_bucket_fractions(&m->threads[t].tl, t0, t1, m->now, f);
		st[t] = timeline_dominant(f);
		ran[t] = f[TS_RUNNING];
		holder[t] = -1;
	}
	for (t = 0; t < m->nthreads; t++) {
		if (model_lane_group(m, t) < 2 || ran[t] == 0)
			continue;
		lead = model_lane_leader(m, t);
		if (holder[lead] < 0 || ran[t] > ran[holder[lead]])
			holder[lead] = t;
	}
	for (t = 0; t < m->nthreads; t++) {
		if (model_lane_group(m, t) < 2)
			continue;
		lead = model_lane_leader(m, t);
		if (holder[lead] == t) {
			st[t] = TS_RUNNING;
		} else if (st[t] == TS_RUNNING) {
			timeline_bucket_fractions(
			    &m->threads[t].tl, t0, t1, m->now, f);
			st[t] = view_timeline_not_running(f);
		}
	}
}

/* In the lane of each thread in a deadlock's cycle (lanes from row y,
 * columns from x), a mark where the cycle closed: from there on, those
 * threads wait for ever. */
static void
view_timeline_deadlock(struct grid *g, int x, int y, int lane_w,
    const struct model *m, const struct timeline_view *v)
{
	int64_t col;
	int i;

	if (m->deadlock.n == 0 ||
	    (col = view_timeline_col_of(v, m->deadlock.at)) < 0 ||
	    col >= lane_w)
		return;
	for (i = 0; i < m->deadlock.n; i++)
		grid_put(g, x + (int)col, y + m->deadlock.threads[i],
		    v->glyphs->deadlock, ROLE_LOST);
}

int
view_timeline_draw(struct grid *g, int x, int y, int w, const struct model *m,
    const struct timeline_view *v)
{
	int lw = view_timeline_label_w(v->pids), lane_w = w - lw, t, col;
	int n = m->nthreads;
	enum thread_state *st = xcalloc((size_t)n + 1, sizeof *st);
	uint64_t *ran = xcalloc((size_t)n + 1, sizeof *ran);
	int *holder = xcalloc((size_t)n + 1, sizeof *holder);
	double *owed = xcalloc((size_t)n + 1, sizeof *owed);

	for (t = 0; t < n; t++) {
		if (v->pids != NULL && v->pids[t] > 0)
			grid_printf(g, x, y + t, lw, ROLE_LABEL,
			    "%2d %c pid %d", t + 1, thread_letter(t),
			    v->pids[t]);
		else
			grid_printf(g, x, y + t, lw, ROLE_LABEL, "%2d %c",
			    t + 1, thread_letter(t));
	}
	for (col = 0; col < lane_w; col++) {
		uint64_t t0 = view_timeline_col_time(v, col);
		uint64_t t1 = v->cell_w > 1 ? t0 + 1 : t0 + v->per_col;

		if (t0 >= m->now)
			break;
		view_timeline_column(m, t0, t1, st, ran, holder);
		for (t = 0; t < n; t++) {
			const struct model_thread *th = &m->threads[t];
			enum thread_state s = st[t];

			/* owed: waiting-for-a-CPU columns not yet drawn */
			if (v->kernel && s == TS_RUNNING && th->os_samples > 0)
				s = kernel_state(th, t0, t1, m->now, &owed[t]);
			grid_put(g, x + lw + col, y + t, v->glyphs->state[s],
			    glyphs_state_role(s));
		}
	}
	free(st);
	free(ran);
	free(holder);
	free(owed);
	view_timeline_marks(g, x, y, lane_w, m, v);
	view_timeline_ruler(
	    g, x, y + m->nthreads, w, m, v, v->glyphs == &glyphs_ascii);
	view_timeline_deadlock(g, x + lw, y, lane_w, m, v);
	return m->nthreads + 1;
}

void
view_timeline_kernel_shares(
    const struct model *m, int t, double *run, double *wait, double *blocked)
{
	const struct model_thread *th = &m->threads[t];
	double tot =
	    (double)(th->os_run_ns + th->os_wait_ns + th->os_blocked_ns);
	uint64_t f[TS_COUNT], lived;

	*run = *wait = *blocked = 0;
	if (tot <= 0)
		return;
	*run = (double)th->os_run_ns / tot;
	if (model_lane_group(m, t) < 2) {
		*wait = (double)th->os_wait_ns / tot;
		*blocked = (double)th->os_blocked_ns / tot;
		return;
	}
	/* a task of a shared thread: its share of the thread's running,
	 * blocked while it awaited I/O (its own report), and waiting
	 * (its turn, or the thread's for a CPU) the rest */
	timeline_bucket_fractions(&th->tl, 0, m->now, m->now, f);
	lived = f[TS_RUNNING] + f[TS_READY] + f[TS_IO] + f[TS_LOCK_WAIT] +
	    f[TS_COND_WAIT];
	if (lived > 0)
		*blocked = (double)f[TS_IO] / (double)lived;
	if (*run + *blocked > 1)
		*blocked = 1 - *run;
	*wait = 1 - *run - *blocked;
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
				    (uint32_t)thread_letter(who), ROLE_RUNNING);
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

/* The deadlock's item: the ruler's mark where the cycle closed. */
static struct legend_item
legend_deadlock(const struct glyphs *gl)
{
	struct legend_item it = {
	    gl->deadlock, ROLE_LOST, "the deadlock closed"};

	return it;
}

int
view_timeline_legend(
    struct grid *g, int x, int y, int w, const struct glyphs *gl, int extras)
{
	static const enum thread_state order[] = {
	    TS_RUNNING, TS_READY, TS_IO, TS_LOCK_WAIT, TS_DONE};
	struct legend_item it[7];
	size_t i, n = 0;

	for (i = 0; i < 5; i++, n++) {
		it[n].ch = gl->state[order[i]];
		it[n].role = glyphs_state_role(order[i]);
		it[n].words = glyphs_state_words(order[i]);
	}
	if (extras & LEGEND_LOST) {
		it[n].ch = gl->lost;
		it[n].role = ROLE_LOST;
		it[n++].words = "overwriting store";
	}
	if (extras & LEGEND_DEADLOCK)
		it[n++] = legend_deadlock(gl);
	return legend_draw(g, x, y, w, it, n);
}

int
view_timeline_legend_kernel(struct grid *g, int x, int y, int w,
    const struct glyphs *gl, const char *ready_words, int extras)
{
	struct legend_item it[] = {
	    {gl->state[TS_RUNNING], glyphs_state_role(TS_RUNNING), "running"},
	    {gl->state[TS_READY], glyphs_state_role(TS_READY), ready_words},
	    {gl->state[TS_IO], glyphs_state_role(TS_IO), "blocked on I/O"},
	    {gl->state[TS_LOCK_WAIT], glyphs_state_role(TS_LOCK_WAIT),
	        "waiting for a lock"},
	    {gl->state[TS_DONE], glyphs_state_role(TS_DONE), "done"},
	    {'A', ROLE_RUNNING, "cpuN: worker on that CPU"},
	    {0, ROLE_DEFAULT, NULL},
	};
	size_t n = 5;

	if (extras & LEGEND_CORES)
		n++;
	if (extras & LEGEND_DEADLOCK)
		it[n++] = legend_deadlock(gl);
	return legend_draw(g, x, y, w, it, n);
}
