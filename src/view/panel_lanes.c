/*
 * The timeline lanes: one lane per thread (or process, or event-loop
 * task), the ruler, the cores view of a sampled run and the legend; and
 * their zoom and scroll, kept in s->zoom across frames.
 */
#include "config.h"

#include "view.h"

/* Model time covered by the lane width at this zoom. */
static uint64_t
zoom_span(const struct screen_zoom *z, int lane_w)
{
	int cw = z->cell_w < 1 ? 1 : z->cell_w;
	uint64_t per = z->per_col ? z->per_col : 1;

	return cw > 1 ? (uint64_t)(lane_w / cw) : (uint64_t)lane_w * per;
}

/* The widest a step (or time unit) may be drawn: a big screen's lanes
 * are tall, and their steps wide to match. */
static int
lanes_cell_max(const struct screen *s)
{
	return s->big ? 8 : 4;
}

/* Work out the view for this frame from the zoom state. */
static void
zoom_view(struct screen *s, struct timeline_view *v, int lane_w)
{
	const struct model *m = s->model;
	struct screen_zoom *z = &s->zoom;
	uint64_t span;

	v->glyphs = s->glyphs;
	if (z->fit || z->per_col == 0) {
		view_timeline_fit(v, m, lane_w, lanes_cell_max(s));
		z->fit = 1;
		z->per_col = v->per_col;
		z->cell_w = v->cell_w;
		z->t0 = v->t0;
		return;
	}
	v->per_col = z->per_col;
	v->cell_w = z->cell_w < 1 ? 1 : z->cell_w;
	span = zoom_span(z, lane_w);
	if (z->follow)
		z->t0 = m->now > span ? m->now - span + v->per_col : 0;
	if (z->t0 > m->now)
		z->t0 = m->now;
	v->t0 = z->t0;
}

void
lanes_view(struct screen *s, struct timeline_view *v, int lane_w)
{
	zoom_view(s, v, lane_w);
	v->kernel = s->kernel > 0;
	v->pids = s->pids;
}

/* A big screen (LANES_BIG_W x LANES_BIG_H or more) draws each lane two
 * rows tall, so the bars read from the back of a room: for a run of up to
 * LANES_BIG_MAX lanes that is not measured (a measuring lesson's panels
 * need those rows), when every lane fits so. */
#define LANES_BIG_W   132
#define LANES_BIG_H   40
#define LANES_BIG_MAX 8

static int
lanes_big(const struct screen *s, int w, int h)
{
	return s->report == NULL && w >= LANES_BIG_W && h >= LANES_BIG_H &&
	    lanes_count(s) <= LANES_BIG_MAX && !screen_measuring(s);
}

/* Whether glyph ch is a state drawn as a solid bar (running, waiting
 * for a lock, I/O, a condition), which the second row of a tall lane
 * repeats; thin glyphs and marks stay on the first row alone. */
static int
lanes_solid(const struct glyphs *gl, uint32_t ch)
{
	return ch != 0 &&
	    (ch == gl->state[TS_RUNNING] || ch == gl->state[TS_LOCK_WAIT] ||
	        ch == gl->state[TS_IO] || ch == gl->state[TS_COND_WAIT]);
}

/* Lanes two rows tall: each lane's row of tmp, then under it its solid
 * bars again (under a mark, the state it marks: an overwriting store is
 * a step the thread runs, the closing of a cycle a wait for a lock),
 * then the ruler. */
static void
lanes_draw_tall(struct grid *g, struct rect rc, const struct grid *tmp, int n,
    int lw, const struct glyphs *gl)
{
	int t, x;

	for (t = 0; t < n; t++) {
		grid_blit_rows(g, rc.x, rc.y + 2 * t, tmp, t, 1);
		for (x = lw; x < rc.w && x < tmp->w; x++) {
			const struct cell *c = &tmp->cells[t * tmp->w + x];

			if (lanes_solid(gl, c->ch))
				grid_put(g, rc.x + x, rc.y + 2 * t + 1, c->ch,
				    (enum role)c->role);
			else if (c->ch == gl->lost) /* a store: running */
				grid_put(g, rc.x + x, rc.y + 2 * t + 1,
				    gl->state[TS_RUNNING],
				    glyphs_state_role(TS_RUNNING));
			else if (c->ch == gl->deadlock) /* it waits */
				grid_put(g, rc.x + x, rc.y + 2 * t + 1,
				    gl->state[TS_LOCK_WAIT],
				    glyphs_state_role(TS_LOCK_WAIT));
		}
	}
	grid_blit_rows(g, rc.x, rc.y + 2 * n, tmp, n, 1); /* the ruler */
}

/* The lanes and the ruler in rc; when not every lane fits, the last
 * lane's row says how many more there are. */
static void
lanes_draw(struct grid *g, struct rect rc, struct screen *s)
{
	const struct model *m = s->model;
	struct timeline_view v;
	struct grid *tmp;
	int n = m->nthreads, first = 0, w = rc.w, y = rc.y;
	int lanes = rc.h - 1, lw = view_timeline_label_w(s->pids);

	lanes_view(s, &v, w - lw);
	tmp = grid_new(w, n + 1);
	view_timeline_draw(tmp, 0, 0, w, m, &v);
	s->layout.lane_h = 1;
	if (s->big && lanes >= 2 * n) {
		lanes_draw_tall(g, rc, tmp, n, lw, s->glyphs);
		s->layout.lane_h = 2;
		s->layout.nlanes = n;
	} else if (lanes < n) {
		/* show the first lanes-1 threads and say how many more */
		grid_blit_rows(g, rc.x, y, tmp, first, lanes - 1);
		grid_printf(g, rc.x, y + lanes - 1, w, ROLE_LABEL,
		    "   +%d more (a taller terminal shows them)",
		    n - (lanes - 1));
		s->layout.nlanes = lanes - 1;
	} else {
		grid_blit_rows(g, rc.x, y, tmp, 0, n);
		s->layout.nlanes = n;
	}
	if (s->layout.lane_h == 1)
		grid_blit_rows(g, rc.x, y + lanes, tmp, n, 1); /* the ruler */
	grid_free(tmp);
	s->layout.lanes_x = rc.x + lw;
	s->layout.lanes_y = y;
	s->layout.lanes_w = w - lw;
	s->layout.first_lane = first;
}

int
lanes_count(const struct screen *s)
{
	if (s->model != NULL)
		return s->model->nthreads;
	return s->lesson->module->threads(s->params);
}

/* Rows: the ruler, two lanes at least, then four, then every lane. */
static void
lanes_rows(struct screen *s, int w, int h, struct view_size *z)
{
	int n = lanes_count(s);

	s->big = lanes_big(s, w, h);
	z->fixed = 1;
	z->want = s->big ? 2 * n : n;
	z->min = n < 2 ? n : 2;
	z->more = n < 4 ? n : 4;
}

/* The lanes' words for the run on screen, from its lesson's module. */
static struct lane_words
lanes_words(const struct screen *s)
{
	struct lane_words w;

	module_lane_words(
	    s->lesson != NULL ? s->lesson->module : NULL, s->params, &w);
	return w;
}

/* The lanes' rule: what the lanes are. */
static const char *
lanes_title(const struct screen *s, char *buf, size_t len)
{
	(void)buf;
	(void)len;
	return lanes_words(s).lanes;
}

const char *
lanes_ready_words(const struct screen *s)
{
	return lanes_words(s).ready;
}

/* What the legend adds to the states on this screen: the lost-update
 * mark for a counter (or, before a run, a lesson that steps), the
 * deadlock's mark once there is one, the cores view's letters. */
static int
legend_extras(const struct screen *s)
{
	int lost = s->model != NULL ? model_has_counter(s->model)
	                            : !screen_measuring(s);
	int extras = s->kernel > 0 ? 0 : lost ? LEGEND_LOST : 0;

	if (s->model != NULL && s->model->deadlock.n > 0)
		extras |= LEGEND_DEADLOCK;
	if (s->kernel > 0 && s->layout.cores > 0)
		extras |= LEGEND_CORES;
	return extras;
}

/* The legend of the lanes' glyphs in rc. */
static void
legend_draw(struct grid *g, struct rect rc, struct screen *s)
{
	if (s->kernel > 0)
		view_timeline_legend_kernel(g, rc.x, rc.y, rc.w, s->glyphs,
		    lanes_ready_words(s), legend_extras(s));
	else
		view_timeline_legend(
		    g, rc.x, rc.y, rc.w, s->glyphs, legend_extras(s));
}

/* Legend rows at width w for a kernel's or a workers' view. */
static int
legend_rows(const struct glyphs *gl, int w, int kernel, int extras)
{
	struct grid *scratch = grid_new(w, 8);
	int rows = kernel ? view_timeline_legend_kernel(scratch, 0, 0, w, gl,
	                        "waiting for a CPU", extras)
	                  : view_timeline_legend(scratch, 0, 0, w, gl, extras);

	grid_free(scratch);
	return rows;
}

/* Rows: the legend's, at the lanes' width, for the kernel's view if
 * the run is sampled, with the cores item if the cores view shows. */
static void
legend_size(struct screen *s, int w, int h, struct view_size *z)
{
	(void)h;
	/* beside the shared panel, or the whole width of a report */
	if (s->report == NULL)
		w -= shared_width(w) + 1;
	z->fixed = legend_rows(s->glyphs, w, s->kernel > 0, legend_extras(s));
}

/* Make the zoom state the one on screen: a fit's own values when the
 * view fits the run (they may not have been drawn yet). */
static void
zoom_current(struct screen *s)
{
	struct screen_zoom *z = &s->zoom;

	if (z->fit && s->model != NULL && s->layout.lanes_w > 0) {
		struct timeline_view v;

		view_timeline_fit(
		    &v, s->model, s->layout.lanes_w, lanes_cell_max(s));
		z->per_col = v.per_col;
		z->cell_w = v.cell_w;
		z->t0 = 0;
	}
	if (z->per_col == 0)
		z->per_col = 1;
	if (z->cell_w < 1)
		z->cell_w = 1;
}

/* Set the zoom to per_col / cell_w. Following a run that goes on keeps
 * its live end in view; otherwise the time in the middle of the lanes
 * stays there. */
static void
zoom_to(struct screen *s, uint64_t per_col, int cell_w)
{
	struct screen_zoom *z = &s->zoom;
	uint64_t now = s->model != NULL ? s->model->now : 0;
	int w = s->layout.lanes_w > 0 ? s->layout.lanes_w : 1;
	uint64_t span = zoom_span(z, w), mid, half;

	if (span >= now)
		mid = now / 2; /* the whole run is in view */
	else if (z->follow)
		mid = now - span / 2;
	else
		mid = z->t0 + span / 2 < now ? z->t0 + span / 2 : now;
	if (s->mode == SCREEN_DONE)
		z->follow = 0;
	z->fit = 0;
	z->per_col = per_col;
	z->cell_w = cell_w;
	if (z->follow)
		return;
	half = zoom_span(z, w) / 2;
	z->t0 = mid > half ? mid - half : 0;
}

void
screen_zoom_in(struct screen *s)
{
	struct screen_zoom *z = &s->zoom;

	zoom_current(s);
	if (z->per_col > 1)
		zoom_to(s, z->per_col / 2, 1);
	else if (z->cell_w < lanes_cell_max(s))
		zoom_to(s, 1, z->cell_w + 1);
	else
		z->fit = 0;
}

void
screen_zoom_out(struct screen *s)
{
	struct screen_zoom *z = &s->zoom;
	uint64_t now = s->model != NULL ? s->model->now : 0;
	int w = s->layout.lanes_w > 0 ? s->layout.lanes_w : 1;

	zoom_current(s);
	if (z->cell_w > 1)
		zoom_to(s, 1, z->cell_w - 1);
	else if (z->per_col * (uint64_t)w < now) /* no further than fits */
		zoom_to(s, z->per_col * 2, 1);
	else
		z->fit = 1;
}

void
screen_scroll(struct screen *s, int dir)
{
	struct screen_zoom *z = &s->zoom;
	uint64_t now = s->model != NULL ? s->model->now : 0;
	int w = s->layout.lanes_w > 0 ? s->layout.lanes_w : 4;
	uint64_t step;

	if (z->per_col == 0)
		z->per_col = 1;
	if (z->cell_w < 1)
		z->cell_w = 1;
	step = zoom_span(z, w) / 4;
	if (step == 0)
		step = 1;
	z->fit = 0;
	z->follow = 0;
	if (dir < 0)
		z->t0 = z->t0 > step ? z->t0 - step : 0;
	else
		z->t0 = z->t0 + step < now ? z->t0 + step : now;
}

void
screen_home(struct screen *s)
{
	if (s->zoom.per_col == 0)
		s->zoom.per_col = 1;
	s->zoom.fit = 0;
	s->zoom.follow = 0;
	s->zoom.t0 = 0;
}

void
screen_follow(struct screen *s)
{
	s->zoom.follow = 1;
}

int
screen_lane_at(const struct screen *s, int y)
{
	const struct screen_layout *l = &s->layout;

	int h = l->lane_h > 1 ? l->lane_h : 1;

	if (l->too_small || y < l->lanes_y || y >= l->lanes_y + l->nlanes * h)
		return -1;
	return l->first_lane + (y - l->lanes_y) / h;
}

/* Zoom and scroll the timelines: + and - zoom, the arrows scroll, Home
 * goes to the start and End follows the run live again. */
static int
lanes_key(struct screen *s, int k)
{
	switch (k) {
	case '+':
	case '=':
		screen_zoom_in(s);
		return 0;
	case '-':
		screen_zoom_out(s);
		return 0;
	case SCREEN_KEY_LEFT:
	case SCREEN_KEY_RIGHT:
		screen_scroll(s, k == SCREEN_KEY_LEFT ? -1 : 1);
		return 0;
	case SCREEN_KEY_HOME:
		screen_home(s);
		return 0;
	case SCREEN_KEY_END:
		screen_follow(s);
		return 0;
	default:
		return -1;
	}
}

const struct view view_lanes = {
    "lanes", VIEW_LEFT, 1, lanes_title, lanes_rows, lanes_draw, lanes_key};
const struct view view_legend = {
    "legend", VIEW_LEFT_FOOT, 0, NULL, legend_size, legend_draw, NULL};
