/*
 * The screens, drawn into a cell grid. The lesson screen, top to bottom:
 *
 *   title bar
 *   narration (page title rule, wrapped text)
 *   threads rule | shared rule
 *   lanes, ruler, legend | variables, locks, result
 *   code rule
 *   one code row per thread
 *   status line
 *   key bar
 *
 * Lanes come first when rows are short, then code rows, and what is left
 * goes to the narration.
 */
#include "config.h"

#include "screen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "util.h"

#define SHARED_W      26 /* shared panel at 80 columns */
#define SHARED_W_WIDE 34 /* from 120 columns */
#define NARR_MIN      3  /* narration text rows at least */
#define SHARED_MAX    24 /* rows of shared-panel content kept */

static const char *const mode_names[] = {
    [SCREEN_STEP] = "STEP",
    [SCREEN_AUTO] = "AUTO",
    [SCREEN_PAUSED] = "PAUSED",
    [SCREEN_FREE] = "FREE",
    [SCREEN_DONE] = "DONE",
};

const char *
screen_mode_name(enum screen_mode m)
{
	if ((unsigned)m >= IL_ARRAY_LEN(mode_names))
		return "?";
	return mode_names[m];
}

/* Box-drawing pieces for each glyph set. */
struct rules {
	uint32_t h, v, down, up, right_t, tl, tr, bl, br;
	const char *ellipsis;
	const char *left, *right, *marker;
};

static const struct rules rules_utf8 = {
    .h = 0x2500,
    .v = 0x2502,
    .down = 0x252c,
    .up = 0x2534,
    .right_t = 0x251c,
    .tl = 0x250c,
    .tr = 0x2510,
    .bl = 0x2514,
    .br = 0x2518,
    .ellipsis = "\xe2\x80\xa6",
    .left = "\xe2\x86\x90",
    .right = "\xe2\x86\x92",
    .marker = "\xe2\x97\x80",
};
static const struct rules rules_ascii = {
    .h = '-',
    .v = '|',
    .down = '+',
    .up = '+',
    .right_t = '+',
    .tl = '+',
    .tr = '+',
    .bl = '+',
    .br = '+',
    .ellipsis = "...",
    .left = "<",
    .right = ">",
    .marker = "<",
};

static const struct rules *
rules_for(const struct glyphs *gl)
{
	return gl == &glyphs_ascii ? &rules_ascii : &rules_utf8;
}

/* ---- text measuring and wrapping ---- */

/* Decode one UTF-8 character at p (n bytes left); returns its length
 * (at least 1) and its display width in *cw (0 for invalid bytes, which
 * sanitized text does not have). */
static size_t
next_char(const char *p, size_t n, int *cw)
{
	mbstate_t st;
	wchar_t wc;
	size_t len;
	int w;

	memset(&st, 0, sizeof st);
	len = mbrtowc(&wc, p, n, &st);
	if (len == (size_t)-1 || len == (size_t)-2 || len == 0) {
		*cw = 1;
		return 1;
	}
	w = wcwidth(wc);
	*cw = w < 0 ? 1 : w;
	return len;
}

/* Display width of the first n bytes of s. */
static int
text_width(const char *s, size_t n)
{
	int w = 0, cw;

	while (n > 0) {
		size_t len = next_char(s, n, &cw);

		w += cw;
		s += len;
		n -= len;
	}
	return w;
}

/* How many bytes of the line at p fit into w columns, breaking after a
 * space when the line is longer; stops at a newline. *next is where the
 * following line starts. */
static size_t
wrap_line(const char *p, int w, const char **next)
{
	size_t n = strcspn(p, "\n"), i = 0, brk = 0;
	int col = 0, cw;

	while (i < n) {
		size_t len = next_char(p + i, n - i, &cw);

		if (col + cw > w)
			break;
		col += cw;
		i += len;
		if (p[i - 1] == ' ')
			brk = i;
	}
	if (i < n && brk > 0)
		i = brk; /* break after the last space that fits */
	*next = p + i;
	while (**next == ' ')
		(*next)++;
	if (**next == '\n' && i >= n)
		(*next)++;
	/* trailing spaces do not count */
	while (i > 0 && p[i - 1] == ' ')
		i--;
	return i;
}

/* Print n bytes of text at x, y, clipped to maxw columns. */
static int
print_n(struct grid *g, int x, int y, int maxw, enum role role, const char *s,
    size_t n)
{
	char buf[1024];

	if (n >= sizeof buf)
		n = sizeof buf - 1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return grid_print(g, x, y, maxw, role, buf);
}

/* Print text clipped to maxw columns with an ellipsis if it is cut. */
static int
print_fit(struct grid *g, int x, int y, int maxw, enum role role, const char *s,
    const struct rules *r)
{
	int w = text_width(s, strlen(s)), ew;
	const char *next;
	size_t n;

	if (w <= maxw)
		return grid_print(g, x, y, maxw, role, s);
	ew = text_width(r->ellipsis, strlen(r->ellipsis));
	if (maxw <= ew)
		return grid_print(g, x, y, maxw, role, s);
	n = wrap_line(s, maxw - ew, &next);
	(void)next;
	w = print_n(g, x, y, maxw - ew, role, s, n);
	return w + grid_print(g, x + w, y, ew, role, r->ellipsis);
}

static void
hrule(struct grid *g, int x, int y, int w, const struct rules *r,
    const char *label)
{
	int i;

	for (i = 0; i < w; i++)
		grid_put(g, x + i, y, r->h, ROLE_RULER);
	if (label != NULL && w > 4) {
		int lw = print_fit(g, x + 2, y, w - 4, ROLE_LABEL, label, r);

		grid_put(g, x + 1, y, ' ', ROLE_RULER);
		grid_put(g, x + 2 + lw, y, ' ', ROLE_RULER);
	}
}

/* ---- panels ---- */

static void
draw_title(struct grid *g, const struct screen *s, const struct rules *r)
{
	char right[128], left[512];
	const struct model *m = s->model;
	int rw, x;

	for (x = 0; x < g->w; x++)
		grid_put(g, x, 0, ' ', ROLE_TITLE);
	if (m != NULL && m->clock == MODEL_CLOCK_NS)
		snprintf(right, sizeof right, " %s  %llu.%llu s  seed %llu ",
		    screen_mode_name(s->mode),
		    (unsigned long long)(s->elapsed_ms / 1000),
		    (unsigned long long)(s->elapsed_ms % 1000 / 100),
		    (unsigned long long)s->seed);
	else
		snprintf(right, sizeof right, " %s  step %u  seed %llu ",
		    screen_mode_name(s->mode),
		    m != NULL ? (unsigned)m->step : 0,
		    (unsigned long long)s->seed);
	rw = (int)strlen(right);
	snprintf(left, sizeof left, " interleave: %s: %s", s->lesson->id,
	    s->lesson->title);
	print_fit(g, 0, 0, g->w - rw - 1, ROLE_TITLE, left, r);
	grid_print(g, g->w - rw, 0, rw, ROLE_TITLE, right);
}

static const struct lesson_page *
current_page(const struct screen *s)
{
	const struct lesson *l = s->lesson;
	int page = s->page;

	if (l->npages == 0)
		return NULL;
	if (page < 0)
		page = 0;
	if ((size_t)page >= l->npages)
		page = (int)l->npages - 1;
	return &l->pages[page];
}

/* Rows the current page's text takes when wrapped to w columns. */
static int
narration_rows(const struct screen *s, int w)
{
	const struct lesson_page *pg = current_page(s);
	const char *p, *next;
	int rows = 0;

	if (pg == NULL)
		return 0;
	for (p = pg->text; *p != '\0'; p = next) {
		wrap_line(p, w, &next);
		rows++;
		if (next == p)
			break;
	}
	return rows;
}

/* The narration: page title in the rule, then wrapped text in rows. */
static void
draw_narration(struct grid *g, int y, int rows, const struct screen *s,
    const struct rules *r)
{
	const struct lesson *l = s->lesson;
	const struct lesson_page *pg;
	char label[256];
	const char *p, *next;
	int page = s->page, row;

	if (l->npages == 0) {
		hrule(g, 0, y, g->w, r, l->title);
		return;
	}
	if (page < 0)
		page = 0;
	if ((size_t)page >= l->npages)
		page = (int)l->npages - 1;
	pg = &l->pages[page];
	snprintf(label, sizeof label, "%s (page %d/%zu)", pg->title, page + 1,
	    l->npages);
	hrule(g, 0, y, g->w, r, label);
	p = pg->text;
	for (row = 0; row < rows && *p != '\0'; row++) {
		size_t n = wrap_line(p + 0, g->w - 2, &next);

		if (row == rows - 1 && *next != '\0') {
			/* the last row and more text: end with an ellipsis */
			char buf[1024];
			size_t k = n < sizeof buf - 1 ? n : sizeof buf - 1;

			memcpy(buf, p, k);
			buf[k] = '\0';
			if (text_width(buf, k) + 2 > g->w - 2) {
				const char *dummy;

				k = wrap_line(p, g->w - 4, &dummy);
				buf[k] = '\0';
			}
			snprintf(buf + k, sizeof buf - k, " %s", r->ellipsis);
			grid_print(
			    g, 1, y + 1 + row, g->w - 2, ROLE_DEFAULT, buf);
			break;
		}
		print_n(g, 1, y + 1 + row, g->w - 2, ROLE_DEFAULT, p, n);
		p = next;
	}
}

/* One line of the shared panel. */
struct shared_line {
	char text[96];
	enum role role;
	uint32_t mark; /* a glyph after the text, or 0 */
};

static int
shared_lines(
    const struct screen *s, struct shared_line *out, int max, int width)
{
	const struct model *m = s->model;
	int n = 0, i, t;

#define ADD(role_, mark_, ...)                                                 \
	do {                                                                   \
		if (n < max) {                                                 \
			snprintf(                                              \
			    out[n].text, sizeof out[n].text, __VA_ARGS__);     \
			out[n].role = (role_);                                 \
			out[n].mark = (mark_);                                 \
			n++;                                                   \
		}                                                              \
	} while (0)

	if (s->meas != NULL) {
		const struct measure_set *ms = s->meas;

		if (s->kernel < 0)
			ADD(ROLE_WARNING, 0, "kernel data unavailable");
		else if (s->kernel > 0)
			ADD(ROLE_LABEL, 0, "kernel's view: /proc");
		if (ms->n < ms->nmodes)
			ADD(ROLE_LABEL, 0, "run %d of %d: %s", ms->n + 1,
			    ms->nmodes, measure_mode_name(ms, ms->n));
		else
			ADD(ROLE_LABEL, 0, "%d runs done", ms->n);
	}
	for (i = 0; i < m->nvars; i++) {
		const struct model_var *v = &m->vars[i];

		ADD(ROLE_DEFAULT, 0, "%-9s %lld", v->name, (long long)v->value);
		if (v->counter) {
			/* Lost updates of a counter are exactly the increments
			 * missing from it; in a free run the model's event
			 * order is only close to the real one, so count them
			 * from the values rather than the marks. */
			uint64_t lost = v->expected > v->value
			    ? (uint64_t)(v->expected - v->value)
			    : 0;

			ADD(ROLE_DEFAULT, 0, "%-9s %lld", "expected",
			    (long long)v->expected);
			if (lost > 0)
				ADD(ROLE_LOST, s->glyphs->lost, "%-9s %llu",
				    "lost", (unsigned long long)lost);
		}
	}
	for (i = 0; i < m->nlocks; i++) {
		const struct model_lock *lk = &m->locks[i];
		char who[80] = "";
		size_t off = 0;

		if (lk->owner >= 0)
			ADD(ROLE_DEFAULT, 0, "lock %-4s held by %c", lk->name,
			    view_timeline_thread_letter(lk->owner));
		else
			ADD(ROLE_DEFAULT, 0, "lock %-4s free", lk->name);
		for (t = 0; t < m->nthreads && t < 64; t++) {
			if ((lk->waiters >> t & 1) && off + 3 < sizeof who) {
				who[off++] = ' ';
				who[off++] = view_timeline_thread_letter(t);
				who[off] = '\0';
			}
		}
		if (off > 0)
			ADD(ROLE_LOCK_WAIT, 0, "  waiting:%s", who);
	}
	if (s->dropped > 0)
		ADD(ROLE_WARNING, 0, "%-9s %llu", "dropped",
		    (unsigned long long)s->dropped);
	if (s->meas != NULL && s->params != NULL) {
		const struct lesson_module *mod = s->lesson->module;

		for (i = 0; i < (int)mod->nparams; i++) {
			const struct param_def *pd = &mod->params[i];
			const char *name = module_param_name(pd, s->params[i]);

			if (name != NULL)
				ADD(ROLE_DEFAULT, 0, "%-8s %s", pd->name, name);
			else
				ADD(ROLE_DEFAULT, 0, "%-8s %ld", pd->name,
				    s->params[i]);
		}
	}
	if (s->verdict != NULL && s->meas == NULL) {
		const char *p = s->verdict, *next;

		ADD(ROLE_LABEL, 0, "result:");
		while (*p != '\0' && n < max) {
			size_t k = wrap_line(p, width - 2, &next);

			if (k == 0)
				break;
			ADD(ROLE_DEFAULT, 0, " %.*s", (int)k, p);
			p = next;
		}
	}
#undef ADD
	return n;
}

static void
draw_shared(struct grid *g, int x, int y, int w, int rows,
    const struct shared_line *sl, int n)
{
	int i;

	for (i = 0; i < n && i < rows; i++) {
		int used = grid_print(g, x, y + i, w, sl[i].role, sl[i].text);

		if (sl[i].mark != 0 && used + 2 < w)
			grid_put(g, x + used + 1, y + i, sl[i].mark, ROLE_LOST);
	}
}

/* Copy rows of src into g at x, y. */
static void
blit_rows(
    struct grid *g, int x, int y, const struct grid *src, int sy, int rows)
{
	int r, c;

	for (r = 0; r < rows; r++) {
		if (sy + r >= src->h || y + r >= g->h)
			break;
		for (c = 0; c < src->w && x + c < g->w; c++) {
			const struct cell *cell =
			    &src->cells[(sy + r) * src->w + c];

			if (cell->ch != 0)
				grid_put(g, x + c, y + r, cell->ch,
				    (enum role)cell->role);
			else
				g->cells[(y + r) * g->w + x + c] = *cell;
		}
	}
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
		view_timeline_fit(v, m, lane_w, 4);
		z->fit = 1;
		z->per_col = v->per_col;
		z->cell_w = v->cell_w;
		z->t0 = v->t0;
		return;
	}
	v->per_col = z->per_col;
	v->cell_w = z->cell_w < 1 ? 1 : z->cell_w;
	span = v->cell_w > 1 ? (uint64_t)(lane_w / v->cell_w)
	                     : (uint64_t)lane_w * v->per_col;
	if (z->follow)
		z->t0 = m->now > span ? m->now - span + v->per_col : 0;
	if (z->t0 > m->now)
		z->t0 = m->now;
	v->t0 = z->t0;
}

static void
draw_timelines(
    struct grid *g, int y, int w, int lanes, int cores, struct screen *s)
{
	const struct model *m = s->model;
	struct timeline_view v;
	struct grid *tmp;
	int n = m->nthreads, first = 0;
	int lw = view_timeline_label_w(s->pids);

	zoom_view(s, &v, w - lw);
	v.kernel = s->meas != NULL && s->kernel > 0;
	v.pids = s->pids;
	tmp = grid_new(w, n + 1 + cores);
	view_timeline_draw(tmp, 0, 0, w, m, &v);
	view_timeline_cores(tmp, 0, n + 1, w, m, &v, cores);
	if (lanes < n) {
		/* show the first lanes-1 threads and say how many more */
		blit_rows(g, 0, y, tmp, first, lanes - 1);
		grid_printf(g, 0, y + lanes - 1, w, ROLE_LABEL,
		    "   +%d more threads (a taller terminal shows them)",
		    n - (lanes - 1));
		s->layout.nlanes = lanes - 1;
	} else {
		blit_rows(g, 0, y, tmp, 0, n);
		s->layout.nlanes = n;
	}
	blit_rows(g, 0, y + lanes, tmp, n, 1 + cores); /* ruler, cores */
	grid_free(tmp);
	s->layout.lanes_x = lw;
	s->layout.lanes_y = y;
	s->layout.lanes_w = w - lw;
	s->layout.first_lane = first;
}

/* The code each thread runs, its current line marked, and its locals. */
static void
draw_code(struct grid *g, int y, int rows, const struct screen *s,
    const struct rules *r)
{
	const struct model *m = s->model;
	const struct lesson_module *mod = s->lesson->module;
	int t, total = 4, locals_w = 0;
	size_t i;

	for (i = 0; i < mod->ncode; i++)
		total += text_width(mod->code[i], strlen(mod->code[i])) + 4;
	if (mod->locals != NULL)
		for (i = 0; mod->locals[i] != NULL && i < MODEL_MAX_LOCALS; i++)
			locals_w += (int)strlen(mod->locals[i]) + 8;
	for (t = 0; t < m->nthreads && t < rows; t++) {
		const struct model_thread *th = &m->threads[t];
		int x = 0, line = th->line;

		if (rows < m->nthreads && t == rows - 1) {
			grid_printf(g, 0, y + t, g->w, ROLE_LABEL,
			    "   +%d more threads", m->nthreads - t);
			break;
		}
		grid_printf(g, 0, y + t, 4, ROLE_LABEL, "%2d %c", t + 1,
		    view_timeline_thread_letter(t));
		x = 5;
		if (th->state == TS_DONE) {
			grid_print(g, x, y + t, g->w - x, ROLE_DONE, "done");
			continue;
		}
		if (total + locals_w <= g->w) {
			for (i = 0; i < mod->ncode; i++) {
				int cur = (int)i + 1 == line;
				int used = grid_print(g, x, y + t, g->w - x,
				    cur ? ROLE_RUNNING : ROLE_DEFAULT,
				    mod->code[i]);

				if (cur)
					grid_print(g, x + used + 1, y + t, 2,
					    ROLE_RUNNING, r->marker);
				x += used + 4;
			}
		} else if (line > 0 && (size_t)line <= mod->ncode) {
			x += grid_printf(g, x, y + t, g->w - x - locals_w,
			    ROLE_RUNNING, "%d: %s", line, mod->code[line - 1]);
			x += 1;
			grid_print(g, x, y + t, 2, ROLE_RUNNING, r->marker);
			x += 3;
		}
		if (mod->locals != NULL) {
			int lx = g->w - locals_w > x ? g->w - locals_w : x;

			for (i = 0;
			     mod->locals[i] != NULL && i < MODEL_MAX_LOCALS;
			     i++) {
				if (!(th->local_set >> i & 1))
					continue;
				lx += grid_printf(g, lx, y + t, g->w - lx,
				    ROLE_LABEL, "%s=%lld", mod->locals[i],
				    (long long)th->locals[i]);
				lx += 2;
			}
		}
	}
}

enum lanes_kind { LANES_THREADS, LANES_PROCESSES, LANES_LOOP_TASKS };

/* What the lanes are: threads, or for a measuring lesson whatever the
 * run on screen uses. */
static enum lanes_kind
lanes_kind(const struct screen *s)
{
	const struct measure_set *ms = s->meas;
	const char *mode;

	if (ms == NULL || ms->nmodes == 0)
		return LANES_THREADS;
	mode = measure_mode_name(ms, ms->n < ms->nmodes ? ms->n : ms->n - 1);
	if (strcmp(mode, "processes") == 0)
		return LANES_PROCESSES;
	if (strcmp(mode, "eventloop") == 0)
		return LANES_LOOP_TASKS;
	return LANES_THREADS;
}

static const char *
lanes_title(const struct screen *s)
{
	static const char *const titles[] = {
	    [LANES_THREADS] = "threads",
	    [LANES_PROCESSES] = "processes",
	    [LANES_LOOP_TASKS] = "tasks, all in one event-loop thread",
	};

	return titles[lanes_kind(s)];
}

static int
draw_legend(struct grid *g, int x, int y, int w, const struct screen *s)
{
	if (s->meas != NULL && s->kernel > 0)
		return view_timeline_legend_kernel(g, x, y, w, s->glyphs,
		    lanes_kind(s) == LANES_LOOP_TASKS
		        ? "waiting for its turn in the loop"
		        : "waiting for a CPU");
	return view_timeline_legend(g, x, y, w, s->glyphs);
}

/* Measuring lessons: the results table, filled in as runs end, with a
 * bar of each wall time after its row. */
static void
draw_results(struct grid *g, int y, int rows, const struct screen *s,
    const struct rules *r)
{
	const struct measure_set *ms = s->meas;
	int ascii = s->glyphs == &glyphs_ascii, i, k, tw, bar_x, bar_w;
	char row[128];

	measure_header(row, sizeof row);
	tw = (int)strlen(row);
	grid_print(g, 1, y, g->w - 2, ROLE_LABEL, row);
	bar_x = 1 + tw + 2;
	bar_w = g->w - bar_x - 10; /* and " 12345 ms" after the bar */
	for (i = 0; i < ms->nmodes && i + 1 < rows; i++) {
		int ry = y + 1 + i;

		if (i < ms->n) {
			int w = bar_w > 0 ? measure_bar(ms, i, bar_w) : 0;

			measure_row(ms, i, row, sizeof row);
			grid_print(g, 1, ry, tw, ROLE_DEFAULT, row);
			for (k = 0; k < w; k++)
				grid_put(g, bar_x + k, ry, ascii ? '#' : 0x2588,
				    ROLE_RUNNING);
			if (bar_w > 0)
				grid_printf(g, bar_x + w + 1, ry,
				    g->w - bar_x - w - 1, ROLE_DEFAULT,
				    "%.0f ms", ms->res[i].wall_ms);
		} else if (i == ms->n) {
			grid_printf(g, 1, ry, g->w - 2, ROLE_READY,
			    "%-11s running%s", measure_mode_name(ms, i),
			    r->ellipsis);
		} else {
			grid_printf(g, 1, ry, g->w - 2, ROLE_LABEL,
			    "%-11s waiting its turn", measure_mode_name(ms, i));
		}
	}
}

struct key_help {
	const char *keys_utf8, *keys_ascii;
	const char *bar; /* short words for the key bar, or NULL */
	const char *help;
	int must; /* always on the key bar */
	int when; /* KEYS_... */
};

enum { KEYS_ALL, KEYS_STEP, KEYS_MEASURE };

static const struct key_help key_list[] = {
    {"1-9", "1-9", "step", "let that thread take one step", 1, KEYS_STEP},
    {"click", "click", NULL, "clicking a lane steps that thread", 0, KEYS_STEP},
    {"space", "space", "run", "auto-run (seeded random) / pause", 0, KEYS_STEP},
    {"a", "a", "all modes", "run every mode in turn, into the table", 1,
        KEYS_MEASURE},
    {"t", "t", "io/cpu", "switch the tasks between I/O and CPU work", 1,
        KEYS_MEASURE},
    {"i", "i", "sleep/socket", "I/O: a timed sleep, or a slow page server", 0,
        KEYS_MEASURE},
    {"g", "g", "greedy", "event loop: a task that never yields, or not", 0,
        KEYS_MEASURE},
    {"u", "u", "undo", "undo one step", 0, KEYS_STEP},
    {"n p", "n p", "page", "next / previous narration page", 0, KEYS_ALL},
    {"r", "r", "reset", "run again with the same seed", 0, KEYS_STEP},
    {"r", "r", "again", "measure again from the first run", 0, KEYS_MEASURE},
    {"+ -", "+ -", "zoom", "zoom the timelines in / out", 0, KEYS_ALL},
    {"[ ]", "[ ]", "speed", "slower / faster auto-run", 0, KEYS_STEP},
    {"s", "s", "seed", "run again with a new seed", 0, KEYS_STEP},
    {"\xe2\x86\x90 \xe2\x86\x92", "<- ->", "scroll",
        "scroll the timelines (End: follow live)", 0, KEYS_ALL},
    {"m", "m", NULL, "back to the lesson menu", 0, KEYS_ALL},
    {"?", "?", "help", "this help (? h F1; any key closes it)", 1, KEYS_ALL},
    {"q", "q", "quit", "quit", 1, KEYS_ALL},
};

/* Whether a key applies to the lesson on screen. */
static int
key_shown(const struct key_help *k, const struct screen *s)
{
	if (k->when == KEYS_STEP)
		return s->meas == NULL;
	if (k->when == KEYS_MEASURE)
		return s->meas != NULL;
	return 1;
}

/* Columns a key-bar item takes: "keys words" and two spaces. */
static int
keybar_need(const struct key_help *k, int ascii)
{
	const char *keys = ascii ? k->keys_ascii : k->keys_utf8;

	return text_width(keys, strlen(keys)) + 1 + (int)strlen(k->bar) + 2;
}

/* The key bar: every item that fits, in order, but always those marked
 * must (step, help, quit). */
static void
draw_keybar(struct grid *g, int y, const struct screen *s)
{
	int ascii = s->glyphs == &glyphs_ascii, x = 1, reserve = 0;
	size_t i;

	for (i = 0; i < IL_ARRAY_LEN(key_list); i++)
		if (key_list[i].bar != NULL && key_list[i].must &&
		    key_shown(&key_list[i], s))
			reserve += keybar_need(&key_list[i], ascii);
	for (i = 0; i < IL_ARRAY_LEN(key_list); i++) {
		const struct key_help *k = &key_list[i];
		int need;

		if (k->bar == NULL || !key_shown(k, s))
			continue;
		need = keybar_need(k, ascii);
		if (k->must)
			reserve -= need;
		else if (x + need + reserve > g->w)
			continue;
		x += grid_print(g, x, y, g->w - x, ROLE_LABEL,
		    ascii ? k->keys_ascii : k->keys_utf8);
		x += 1;
		x += grid_print(g, x, y, g->w - x, ROLE_DEFAULT, k->bar);
		x += 2;
	}
}

static void
draw_help(struct grid *g, const struct screen *s, const struct rules *r)
{
	int ascii = s->glyphs == &glyphs_ascii;
	int bw = 64, bh = 5, bx, by, i, j, row = 0;
	char buf[64];

	for (i = 0; i < (int)IL_ARRAY_LEN(key_list); i++)
		bh += key_shown(&key_list[i], s);
	bx = (g->w - bw) / 2;
	by = (g->h - bh) / 2;

	if (by < 0)
		by = 0;
	for (j = 0; j < bh; j++)
		for (i = 0; i < bw; i++)
			grid_put(g, bx + i, by + j, ' ', ROLE_DEFAULT);
	for (i = 0; i < bw; i++) {
		grid_put(g, bx + i, by, r->h, ROLE_RULER);
		grid_put(g, bx + i, by + bh - 1, r->h, ROLE_RULER);
	}
	for (j = 0; j < bh; j++) {
		grid_put(g, bx, by + j, r->v, ROLE_RULER);
		grid_put(g, bx + bw - 1, by + j, r->v, ROLE_RULER);
	}
	grid_put(g, bx, by, r->tl, ROLE_RULER);
	grid_put(g, bx + bw - 1, by, r->tr, ROLE_RULER);
	grid_put(g, bx, by + bh - 1, r->bl, ROLE_RULER);
	grid_put(g, bx + bw - 1, by + bh - 1, r->br, ROLE_RULER);
	grid_print(g, bx + 2, by, bw - 4, ROLE_LABEL, " keys ");
	for (i = 0; i < (int)IL_ARRAY_LEN(key_list); i++) {
		const struct key_help *k = &key_list[i];

		if (!key_shown(k, s))
			continue;
		grid_print(g, bx + 3, by + 2 + row, 10, ROLE_LABEL,
		    ascii ? k->keys_ascii : k->keys_utf8);
		grid_print(
		    g, bx + 14, by + 2 + row, bw - 16, ROLE_DEFAULT, k->help);
		row++;
	}
	if (s->meas != NULL)
		snprintf(buf, sizeof buf,
		    "runs are free: the operating system schedules them");
	else
		snprintf(buf, sizeof buf, "auto-run speed: %d steps a second",
		    s->speed);
	grid_print(g, bx + 3, by + bh - 2, bw - 6, ROLE_DEFAULT, buf);
}

static void
draw_too_small(struct grid *g)
{
	char msg[96];
	const char *p = msg, *next;
	int y;

	snprintf(msg, sizeof msg, "terminal too small: need %dx%d, have %dx%d",
	    SCREEN_MIN_W, SCREEN_MIN_H, g->w, g->h);
	for (y = g->h / 2 > 0 ? g->h / 2 - 1 : 0; *p != '\0' && y < g->h; y++) {
		size_t n = wrap_line(p, g->w, &next);
		int w = text_width(p, n);

		if (n == 0)
			break;
		print_n(g, (g->w - w) / 2, y, g->w, ROLE_WARNING, p, n);
		p = next;
	}
}

void
screen_draw(struct grid *g, struct screen *s)
{
	const struct rules *r = rules_for(s->glyphs);
	const struct model *m = s->model;
	struct shared_line sl[SHARED_MAX];
	struct grid *scratch;
	int sw, lw, avail, legend, nshared, fixed, rest, lanes, code, narr;
	int block, spare, need, gap, y, i, bottom, cores = 0;

	memset(&s->layout, 0, sizeof s->layout);
	if (g->w < SCREEN_MIN_W || g->h < SCREEN_MIN_H) {
		s->layout.too_small = 1;
		draw_too_small(g);
		return;
	}
	sw = g->w >= 120 ? SHARED_W_WIDE : SHARED_W;
	lw = g->w - sw - 1;
	nshared = shared_lines(s, sl, SHARED_MAX, sw - 1);
	scratch = grid_new(lw, 8);
	legend = draw_legend(scratch, 0, 0, lw, s);
	grid_free(scratch);

	/* rows: title, status and keys; then the rules of three panels */
	avail = g->h - 3;
	fixed = 3 + 1 + legend; /* rules, ruler, legend */
	bottom = m->nthreads;   /* a code row per thread */
	if (s->meas != NULL) {
		bottom = 1 + s->meas->nmodes; /* the results table */
		/* the cores view, from the kernel's samples only */
		cores = s->kernel > 0 ? (avail - fixed - NARR_MIN) / 4 : 0;
		if (cores > s->ncpus)
			cores = s->ncpus;
		if (cores < 0)
			cores = 0;
		fixed += cores;
	}
	rest = avail - fixed - NARR_MIN;
	if (m->nthreads + bottom <= rest) {
		lanes = m->nthreads;
		code = bottom;
	} else {
		/* lanes first, but a third of the rows for the code (the
		 * whole results table if it takes no more than half) */
		code = rest / 3 > 1 ? rest / 3 : 1;
		if (s->meas != NULL && code < bottom)
			code = bottom < rest / 2 ? bottom : rest / 2;
		lanes = rest - code > 1 ? rest - code : 1;
		if (lanes > m->nthreads)
			lanes = m->nthreads;
		code = rest - lanes;
		if (code > bottom)
			code = bottom;
		if (code < 1)
			code = 1;
	}
	block = lanes + 1 + cores + legend;
	spare = rest - lanes - code;
	if (block < nshared && spare > 0)
		block += nshared - block < spare ? nshared - block : spare;
	narr = avail - 3 - block - code;
	need = narration_rows(s, g->w - 2);
	if (need < NARR_MIN)
		need = NARR_MIN;
	gap = narr > need ? narr - need : 0;
	narr -= gap; /* the rest stays blank above the status line */

	draw_title(g, s, r);
	y = 1;
	draw_narration(g, y, narr, s, r);
	y += 1 + narr;
	hrule(g, 0, y, lw, r, lanes_title(s));
	grid_put(g, lw, y, r->down, ROLE_RULER);
	hrule(g, lw + 1, y, sw, r, "shared");
	y++;
	draw_timelines(g, y, lw, lanes, cores, s);
	draw_legend(g, 0, y + block - legend, lw, s);
	for (i = 0; i < block; i++)
		grid_put(g, lw, y + i, r->v, ROLE_RULER);
	draw_shared(g, lw + 2, y, sw - 2, block, sl, nshared);
	y += block;
	hrule(g, 0, y, g->w, r, s->meas != NULL ? "results" : "code");
	grid_put(g, lw, y, r->up, ROLE_RULER);
	y++;
	if (s->meas != NULL)
		draw_results(g, y, code, s, r);
	else
		draw_code(g, y, code, s, r);
	if (s->status != NULL)
		print_fit(g, 1, g->h - 2, g->w - 2, ROLE_DEFAULT, s->status, r);
	draw_keybar(g, g->h - 1, s);
	if (s->help)
		draw_help(g, s, r);
}

void
screen_draw_menu(struct grid *g, struct lesson *const *lessons, size_t n,
    size_t sel, int ascii)
{
	const struct rules *r = ascii ? &rules_ascii : &rules_utf8;
	size_t i;
	int x, y = 2;

	if (g->w < SCREEN_MIN_W || g->h < SCREEN_MIN_H) {
		draw_too_small(g);
		return;
	}
	for (x = 0; x < g->w; x++)
		grid_put(g, x, 0, ' ', ROLE_TITLE);
	grid_print(g, 1, 0, g->w - 2, ROLE_TITLE,
	    "interleave: watch real threads being scheduled");
	grid_print(g, 2, y++, g->w - 4, ROLE_LABEL, "Lessons");
	y++;
	for (i = 0; i < n && y + 2 < g->h - 2; i++) {
		enum role role = i == sel ? ROLE_TITLE : ROLE_DEFAULT;
		char head[256];

		snprintf(head, sizeof head, " %zu  %-10s %s ", i + 1,
		    lessons[i]->id, lessons[i]->title);
		if (i == sel)
			for (x = 2; x < g->w - 2; x++)
				grid_put(g, x, y, ' ', ROLE_TITLE);
		print_fit(g, 2, y, g->w - 4, role, head, r);
		if (lessons[i]->summary != NULL)
			print_fit(g, 7, y + 1, g->w - 9, ROLE_DEFAULT,
			    lessons[i]->summary, r);
		y += 3;
	}
	print_fit(g, 1, g->h - 1, g->w - 2, ROLE_LABEL,
	    ascii ? "up/down or j k: move   Enter: open   1-9: open that "
	            "lesson   q: quit"
	          : "\xe2\x86\x91\xe2\x86\x93 or j k: move   Enter: open   "
	            "1-9: open that lesson   q: quit",
	    r);
}

void
screen_zoom_in(struct screen *s)
{
	struct screen_zoom *z = &s->zoom;

	z->fit = 0;
	if (z->per_col == 0)
		z->per_col = 1;
	if (z->cell_w < 1)
		z->cell_w = 1;
	if (z->per_col > 1)
		z->per_col /= 2;
	else if (z->cell_w < 4)
		z->cell_w++;
}

void
screen_zoom_out(struct screen *s)
{
	struct screen_zoom *z = &s->zoom;
	uint64_t now = s->model != NULL ? s->model->now : 0;
	int w = s->layout.lanes_w > 0 ? s->layout.lanes_w : 1;

	z->fit = 0;
	if (z->per_col == 0)
		z->per_col = 1;
	if (z->cell_w > 1) {
		z->cell_w--;
		return;
	}
	z->cell_w = 1;
	/* no further than the zoom that fits the whole run */
	if (z->per_col * (uint64_t)w < now)
		z->per_col *= 2;
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
	step = z->cell_w > 1 ? (uint64_t)(w / 4 / z->cell_w)
	                     : (uint64_t)(w / 4) * z->per_col;
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
screen_follow(struct screen *s)
{
	s->zoom.follow = 1;
}

int
screen_lane_at(const struct screen *s, int y)
{
	const struct screen_layout *l = &s->layout;

	if (l->too_small || y < l->lanes_y || y >= l->lanes_y + l->nlanes)
		return -1;
	return l->first_lane + (y - l->lanes_y);
}
