/*
 * The screens, drawn into a cell grid. The lesson screen, top to bottom:
 *
 *   title bar
 *   narration (page title rule, wrapped text that scrolls)
 *   threads rule | shared rule
 *   lanes, ruler, cores, legend | variables, locks, result
 *   code (or results) rule
 *   one code row per thread, or the results table
 *   on a tall terminal: the log of steps, or the kernel's view
 *   status line
 *   key bar
 *
 * screen_layout_rows() gives the panels their rows, so that nothing a
 * panel must show is cut at 80x24 and a large terminal's rows go to more
 * lanes, more narration and more panels. The narration's height is the
 * one its longest page needs, so the panels below stay still as pages
 * turn; a page longer than that scrolls.
 */
#include "config.h"

#include "screen.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "names.h"
#include "util.h"

#define SHARED_W      26 /* shared panel at 80 columns */
#define SHARED_W_WIDE 34 /* from 120 columns */
#define NARR_MIN      3  /* narration text rows at least */
#define SHARED_MAX    32 /* lines of shared-panel content kept */
#define EXTRA_MIN     2  /* an extra panel needs this many rows to show */
#define LINE_MAX_B    1024

/* Style markers in narration text (see lesson.h): zero columns wide. */
enum {
	MARK_CODE_ON = LESSON_CODE_ON,
	MARK_CODE_OFF = LESSON_CODE_OFF,
	MARK_EMPH_ON = LESSON_EMPH_ON,
	MARK_EMPH_OFF = LESSON_EMPH_OFF,
	MARK_STRONG_ON = LESSON_STRONG_ON,
	MARK_STRONG_OFF = LESSON_STRONG_OFF
};
enum { STYLE_CODE = 1, STYLE_EMPH = 2, STYLE_STRONG = 4 };

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
	const char *left, *right, *up_arrow, *down_arrow, *marker;
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
    .up_arrow = "\xe2\x86\x91",
    .down_arrow = "\xe2\x86\x93",
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
    .up_arrow = "^",
    .down_arrow = "v",
    .marker = "<",
};

static const struct rules *
rules_for(const struct glyphs *gl)
{
	return gl == &glyphs_ascii ? &rules_ascii : &rules_utf8;
}

/* ---- text measuring and wrapping ---- */

static int
is_style_marker(unsigned char c)
{
	return c >= MARK_CODE_ON && c <= MARK_STRONG_OFF;
}

/* Decode one UTF-8 character at p (n bytes left); returns its length
 * (at least 1) and its display width in *cw (0 for a style marker, 1
 * for invalid bytes, which sanitized text does not have). */
static size_t
next_char(const char *p, size_t n, int *cw)
{
	mbstate_t st;
	wchar_t wc;
	size_t len;
	int w;

	if (is_style_marker((unsigned char)*p)) {
		*cw = 0;
		return 1;
	}
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
	/* markers right after the last character that fits stay with it */
	while (i < n && is_style_marker((unsigned char)p[i]))
		i++;
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
	char buf[LINE_MAX_B];

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

/* The role of narration text in these styles. */
static enum role
style_role(int style)
{
	if (style & STYLE_CODE)
		return ROLE_CODE;
	if (style & STYLE_STRONG)
		return ROLE_STRONG;
	if (style & STYLE_EMPH)
		return ROLE_EMPH;
	return ROLE_DEFAULT;
}

/* The styles after marker c. */
static int
style_apply(int style, unsigned char c)
{
	switch (c) {
	case MARK_CODE_ON:
		return style | STYLE_CODE;
	case MARK_CODE_OFF:
		return style & ~STYLE_CODE;
	case MARK_EMPH_ON:
		return style | STYLE_EMPH;
	case MARK_EMPH_OFF:
		return style & ~STYLE_EMPH;
	case MARK_STRONG_ON:
		return style | STYLE_STRONG;
	case MARK_STRONG_OFF:
		return style & ~STYLE_STRONG;
	}
	return style;
}

/* Print n bytes of styled text at x, y within maxw columns: each run of
 * characters in the role of its styles; *style carries across calls. */
static int
print_styled(
    struct grid *g, int x, int y, int maxw, const char *s, size_t n, int *style)
{
	size_t i = 0, start = 0;
	int used = 0;

	while (i <= n) {
		if (i == n || is_style_marker((unsigned char)s[i])) {
			if (i > start)
				used += print_n(g, x + used, y, maxw - used,
				    style_role(*style), s + start, i - start);
			if (i == n)
				break;
			*style = style_apply(*style, (unsigned char)s[i]);
			start = i + 1;
		}
		i++;
	}
	return used;
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

/* Put label at the right end of a rule drawn at x..x+w. */
static void
hrule_right(struct grid *g, int x, int y, int w, const char *label)
{
	int lw = text_width(label, strlen(label));

	if (lw + 6 > w)
		return;
	grid_put(g, x + w - lw - 3, y, ' ', ROLE_RULER);
	grid_print(g, x + w - lw - 2, y, lw, ROLE_LABEL, label);
	grid_put(g, x + w - 2, y, ' ', ROLE_RULER);
}

/* ---- formatting ---- */

void
screen_duration(uint64_t ms, char *buf, size_t len)
{
	if (ms < 1000)
		snprintf(buf, len, "%llu ms", (unsigned long long)ms);
	else if (ms < 60000)
		snprintf(buf, len, "%llu.%llu s",
		    (unsigned long long)(ms / 1000),
		    (unsigned long long)(ms % 1000 / 100));
	else
		snprintf(buf, len, "%llu min %02llu s",
		    (unsigned long long)(ms / 60000),
		    (unsigned long long)(ms % 60000 / 1000));
}

void
screen_step_keys(int n, char *buf, size_t len)
{
	if (n <= 1)
		snprintf(buf, len, "1");
	else if (n <= 9)
		snprintf(buf, len, "1-%d", n);
	else
		snprintf(
		    buf, len, "1-9 A-%c", thread_letter(n <= 26 ? n - 1 : 25));
}

/* ---- the title bar ---- */

static void
draw_title(struct grid *g, const struct screen *s, const struct rules *r)
{
	char right[160], left[512], when[32];
	const struct model *m = s->model;
	int rw, x;

	for (x = 0; x < g->w; x++)
		grid_put(g, x, 0, ' ', ROLE_TITLE);
	if (s->free_run) {
		char pct[16] = "";

		screen_duration(s->elapsed_ms, when, sizeof when);
		if (s->progress_total > 0 && s->mode != SCREEN_DONE)
			snprintf(pct, sizeof pct, "  %llu%%",
			    (unsigned long long)(s->progress_done * 100 /
			        s->progress_total));
		snprintf(right, sizeof right, " %s  %s%s ",
		    screen_mode_name(s->mode), when, pct);
	} else {
		snprintf(right, sizeof right, " %s  step %u  seed %llu ",
		    screen_mode_name(s->mode),
		    m != NULL ? (unsigned)m->step : 0,
		    (unsigned long long)s->seed);
	}
	rw = (int)strlen(right);
	snprintf(left, sizeof left, " interleave: %s: %s", s->lesson->id,
	    s->lesson->title);
	print_fit(g, 0, 0, g->w - rw - 1, ROLE_TITLE, left, r);
	grid_print(g, g->w - rw, 0, rw, ROLE_TITLE, right);
}

/* ---- narration ---- */

static size_t
page_index(const struct screen *s)
{
	const struct lesson *l = s->lesson;

	if (s->page < 0)
		return 0;
	if ((size_t)s->page >= l->npages)
		return l->npages - 1;
	return (size_t)s->page;
}

/* A page's text with its placeholders filled in from params (caller
 * frees). */
static char *
page_text(const struct lesson *l, size_t page, const long *params)
{
	return lesson_expand(l, l->pages[page].text, params);
}

/* Rows text takes when wrapped to w columns. */
static int
text_rows(const char *text, int w)
{
	const char *p, *next;
	int rows = 0;

	for (p = text; *p != '\0'; p = next) {
		wrap_line(p, w, &next);
		rows++;
		if (next == p)
			break;
	}
	return rows;
}

int
screen_page_rows(const struct lesson *l, const long *params, size_t page, int w)
{
	char *text;
	int rows;

	if (page >= l->npages)
		return 0;
	text = page_text(l, page, params);
	rows = text_rows(text, w - 2);
	free(text);
	return rows;
}

/* A cheap fingerprint of the parameters, for the narration cache. */
static uint64_t
params_key(const long *params)
{
	uint64_t h = 1469598103934665603ull;
	int i;

	for (i = 0; params != NULL && i < MODULE_MAX_PARAMS; i++)
		h = (h ^ (uint64_t)params[i]) * 1099511628211ull;
	return h;
}

/* Rows the lesson's longest page needs at width w. */
static int
narration_need(struct screen *s, int w)
{
	const struct lesson *l = s->lesson;
	uint64_t key = params_key(s->params);
	int need = 0, rows;
	size_t i;

	if (s->narr_cache_lesson == l && s->narr_cache_w == w &&
	    s->narr_cache_key == key)
		return s->narr_cache_need;
	for (i = 0; i < l->npages; i++) {
		rows = screen_page_rows(l, s->params, i, w);
		if (rows > need)
			need = rows;
	}
	s->narr_cache_lesson = l;
	s->narr_cache_w = w;
	s->narr_cache_key = key;
	s->narr_cache_need = need;
	return need;
}

/* The narration: the page title in the rule, then its rows from
 * s->narr_top; the rule says where the page goes on when it scrolls. */
static void
draw_narration(
    struct grid *g, int y, int rows, struct screen *s, const struct rules *r)
{
	const struct lesson *l = s->lesson;
	size_t pi = page_index(s);
	char label[256], more[96], *text, *title;
	const char *p, *next;
	int row = 0, style = 0, need;

	title = lesson_expand(l, l->pages[pi].title, s->params);
	snprintf(
	    label, sizeof label, "%s (page %zu/%zu)", title, pi + 1, l->npages);
	free(title);
	hrule(g, 0, y, g->w, r, label);
	text = page_text(l, pi, s->params);
	need = text_rows(text, g->w - 2);
	if (s->narr_top > need - rows)
		s->narr_top = need - rows > 0 ? need - rows : 0;
	if (s->narr_top < 0)
		s->narr_top = 0;
	for (p = text; *p != '\0' && row < s->narr_top + rows; p = next) {
		size_t n = wrap_line(p, g->w - 2, &next);

		if (row >= s->narr_top) {
			print_styled(g, 1, y + 1 + row - s->narr_top, g->w - 2,
			    p, n, &style);
		} else {
			size_t k;

			for (k = 0; k < (size_t)(next - p); k++)
				style = style_apply(style, (unsigned char)p[k]);
		}
		row++;
		if (next == p)
			break;
	}
	if (need > rows) {
		snprintf(more, sizeof more, "%s%s rows %d-%d of %d",
		    s->narr_top > 0 ? r->up_arrow : "",
		    s->narr_top + rows < need ? r->down_arrow : "",
		    s->narr_top + 1, s->narr_top + rows, need);
		hrule_right(g, 0, y, g->w, more);
	}
	s->layout.narr_rows = rows;
	s->layout.narr_need = need;
	free(text);
}

int
screen_narration_scroll(struct screen *s, int rows)
{
	int before = s->narr_top;
	int max = s->layout.narr_need - s->layout.narr_rows;

	s->narr_top += rows;
	if (s->narr_top > max)
		s->narr_top = max;
	if (s->narr_top < 0)
		s->narr_top = 0;
	return s->narr_top != before ? 0 : -1;
}

/* ---- the shared panel ---- */

/* One line of the shared panel. */
struct shared_line {
	char text[96];
	enum role role;
	uint32_t mark; /* a glyph after the text, or 0 */
};

struct shared_out {
	struct shared_line *l;
	int n, max;
};

static void shared_add(struct shared_out *, enum role, uint32_t mark,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
shared_add(
    struct shared_out *o, enum role role, uint32_t mark, const char *fmt, ...)
{
	va_list ap;

	if (o->n >= o->max)
		return;
	va_start(ap, fmt);
	vsnprintf(o->l[o->n].text, sizeof o->l[o->n].text, fmt, ap);
	va_end(ap);
	o->l[o->n].role = role;
	o->l[o->n].mark = mark;
	o->n++;
}

/* Words wrapped into lines of at most width columns. */
static void
shared_words(struct shared_out *o, enum role role, const char *text, int width)
{
	const char *p = text, *next;

	while (*p != '\0' && o->n < o->max) {
		size_t k = wrap_line(p, width, &next);

		if (k == 0 && next == p)
			break;
		shared_add(o, role, 0, "%.*s", (int)k, p);
		p = next;
	}
}

/* The shared variables: a counter with what it should be, the updates
 * missing from it, and the stores that overwrote another's update. */
static void
shared_vars(struct shared_out *o, const struct screen *s)
{
	const struct model *m = s->model;
	int i;

	for (i = 0; i < m->nvars; i++) {
		const struct model_var *v = &m->vars[i];
		uint64_t lost;

		shared_add(o, ROLE_DEFAULT, 0, "%-9s %lld", v->name,
		    (long long)v->value);
		if (!v->counter)
			continue;
		/* Increments missing from the counter: in a free run the
		 * model's order of events is only close to the real one,
		 * so they are counted from the values. */
		lost = v->expected > v->value
		    ? (uint64_t)(v->expected - v->value)
		    : 0;
		shared_add(o, ROLE_DEFAULT, 0, "%-9s %lld", "expected",
		    (long long)v->expected);
		shared_add(o, lost > 0 ? ROLE_LOST : ROLE_DEFAULT, 0,
		    "%-9s %llu", "lost", (unsigned long long)lost);
		if (v->stale > 0)
			shared_add(o, ROLE_LOST, s->glyphs->lost, "%-9s %llu",
			    "overwrote", (unsigned long long)v->stale);
	}
}

/* Each lock: its owner and who waits for it, in order. */
static void
shared_locks(struct shared_out *o, const struct screen *s)
{
	const struct model *m = s->model;
	int i, t;

	for (i = 0; i < m->nlocks; i++) {
		const struct model_lock *lk = &m->locks[i];
		char who[80] = "";
		size_t off = 0;

		if (lk->owner >= 0)
			shared_add(o, ROLE_DEFAULT, 0, "lock %-4s held by %c",
			    lk->name, thread_letter(lk->owner));
		else
			shared_add(
			    o, ROLE_DEFAULT, 0, "lock %-4s free", lk->name);
		for (t = 0; t < m->nthreads && t < MODEL_WAITER_BITS; t++) {
			if ((lk->waiters >> t & 1) && off + 3 < sizeof who) {
				who[off++] = ' ';
				who[off++] = thread_letter(t);
				who[off] = '\0';
			}
		}
		if (off > 0)
			shared_add(o, ROLE_LOCK_WAIT, 0, "  waiting:%s", who);
	}
}

/* The parameters, several to a line of at most width columns. */
static void
shared_params(struct shared_out *o, const struct lesson_module *mod,
    const long *params, int width)
{
	char line[96] = "";
	size_t i;

	for (i = 0; params != NULL && i < mod->nparams; i++) {
		const struct param_def *pd = &mod->params[i];
		const char *name = module_param_name(pd, params[i]);
		char item[48];

		if (name != NULL)
			snprintf(item, sizeof item, "%s %s", pd->name, name);
		else
			snprintf(
			    item, sizeof item, "%s %ld", pd->name, params[i]);
		if (line[0] != '\0' &&
		    (int)(strlen(line) + 2 + strlen(item)) > width) {
			shared_add(o, ROLE_DEFAULT, 0, "%s", line);
			line[0] = '\0';
		}
		snprintf(line + strlen(line), sizeof line - strlen(line),
		    "%s%s", line[0] != '\0' ? "  " : "", item);
	}
	if (line[0] != '\0')
		shared_add(o, ROLE_DEFAULT, 0, "%s", line);
}

/* A measuring lesson: where the plan stands and this run's parameters. */
static void
shared_measuring(struct shared_out *o, const struct screen *s, int width)
{
	const struct measure_set *ms = s->meas;

	if (s->kernel < 0)
		shared_add(o, ROLE_WARNING, 0, "kernel data unavailable");
	else if (s->kernel > 0)
		shared_add(o, ROLE_LABEL, 0, "kernel's view: /proc");
	if (ms->n < ms->nmodes)
		shared_add(o, ROLE_LABEL, 0, "run %d of %d: %s", ms->n + 1,
		    ms->nmodes, measure_mode_name(ms, ms->n));
	else
		shared_add(o, ROLE_LABEL, 0, "%d runs done", ms->n);
	shared_params(o, s->lesson->module, s->params, width);
}

static int
shared_lines(
    const struct screen *s, struct shared_line *out, int max, int width)
{
	struct shared_out o = {out, 0, max};

	if (s->meas != NULL)
		shared_measuring(&o, s, width);
	else if (s->kernel < 0)
		shared_add(&o, ROLE_WARNING, 0, "kernel data unavailable");
	shared_vars(&o, s);
	shared_locks(&o, s);
	if (s->dropped > 0)
		shared_add(&o, ROLE_WARNING, 0, "%-9s %llu", "dropped",
		    (unsigned long long)s->dropped);
	if (s->result != NULL && s->meas == NULL) {
		shared_add(&o, ROLE_LABEL, 0, "result:");
		shared_words(&o, ROLE_DEFAULT, s->result, width);
	}
	return o.n;
}

static void
draw_shared(struct grid *g, int x, int y, int w, int rows,
    const struct shared_line *sl, int n, const struct rules *r)
{
	int i;

	for (i = 0; i < n && i < rows; i++) {
		int used;

		if (i == rows - 1 && n > rows) {
			grid_printf(g, x, y + i, w, ROLE_LABEL, "%s %d more",
			    r->ellipsis, n - i);
			break;
		}
		used = grid_print(g, x, y + i, w, sl[i].role, sl[i].text);
		if (sl[i].mark != 0 && used + 2 < w)
			grid_put(g, x + used + 1, y + i, sl[i].mark, ROLE_LOST);
	}
}

/* ---- the lanes ---- */

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

/* Model time covered by the lane width at this zoom. */
static uint64_t
zoom_span(const struct screen_zoom *z, int lane_w)
{
	int cw = z->cell_w < 1 ? 1 : z->cell_w;
	uint64_t per = z->per_col ? z->per_col : 1;

	return cw > 1 ? (uint64_t)(lane_w / cw) : (uint64_t)lane_w * per;
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
	span = zoom_span(z, lane_w);
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
	v.kernel = s->kernel > 0;
	v.pids = s->pids;
	tmp = grid_new(w, n + 1 + cores);
	view_timeline_draw(tmp, 0, 0, w, m, &v);
	view_timeline_cores(tmp, 0, n + 1, w, m, &v, cores);
	if (lanes < n) {
		/* show the first lanes-1 threads and say how many more */
		blit_rows(g, 0, y, tmp, first, lanes - 1);
		grid_printf(g, 0, y + lanes - 1, w, ROLE_LABEL,
		    "   +%d more (a taller terminal shows them)",
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

enum lanes_kind { LANES_THREADS, LANES_PROCESSES, LANES_LOOP_TASKS };

/* What the lanes are: threads, child processes (they have PIDs), or
 * tasks that take turns on one OS thread (an event loop's). */
static enum lanes_kind
lanes_kind(const struct screen *s)
{
	if (s->pids != NULL)
		return LANES_PROCESSES;
	if (s->model != NULL && s->model->nthreads > 1 &&
	    model_lane_group(s->model, 0) == s->model->nthreads)
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

static const char *
ready_words(const struct screen *s)
{
	return lanes_kind(s) == LANES_LOOP_TASKS
	    ? "waiting for its turn in the loop"
	    : "waiting for a CPU";
}

static int
draw_legend(
    struct grid *g, int x, int y, int w, const struct screen *s, int cores)
{
	if (s->kernel > 0)
		return view_timeline_legend_kernel(
		    g, x, y, w, s->glyphs, ready_words(s), cores);
	return view_timeline_legend(
	    g, x, y, w, s->glyphs, model_has_counter(s->model));
}

/* ---- the code panel ---- */

/* Thread t's locals as "tmp=1  x=2" (empty if none is set yet). */
static void
locals_text(const struct lesson_module *mod, const struct model_thread *th,
    char *buf, size_t len)
{
	size_t i, off = 0;

	buf[0] = '\0';
	for (i = 0; mod->locals != NULL && mod->locals[i] != NULL &&
	     i < MODEL_MAX_LOCALS;
	     i++) {
		int k;

		if (!(th->local_set >> i & 1))
			continue;
		k = snprintf(buf + off, len - off, "%s%s=%lld",
		    off > 0 ? "  " : "", mod->locals[i],
		    (long long)th->locals[i]);
		if (k < 0 || (size_t)k >= len - off)
			break;
		off += (size_t)k;
	}
}

/* The code each thread runs, its current line marked, and its locals in
 * a column as wide as the widest of them: a number is never cut. */
static void
draw_code(struct grid *g, int y, int rows, const struct screen *s,
    const struct rules *r)
{
	const struct model *m = s->model;
	const struct lesson_module *mod = s->lesson->module;
	int t, total = 5, locals_w = 0;
	char loc[128];
	size_t i;

	for (i = 0; i < mod->ncode; i++)
		total += text_width(mod->code[i], strlen(mod->code[i])) + 4;
	for (t = 0; t < m->nthreads; t++) {
		int lw;

		locals_text(mod, &m->threads[t], loc, sizeof loc);
		lw = (int)strlen(loc);
		if (lw > 0 && lw + 2 > locals_w)
			locals_w = lw + 2;
	}
	for (t = 0; t < m->nthreads && t < rows; t++) {
		const struct model_thread *th = &m->threads[t];
		int x = 0, line = th->line;

		if (rows < m->nthreads && t == rows - 1) {
			grid_printf(g, 0, y + t, g->w, ROLE_LABEL,
			    "   +%d more threads", m->nthreads - t);
			break;
		}
		grid_printf(g, 0, y + t, 4, ROLE_LABEL, "%2d %c", t + 1,
		    thread_letter(t));
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
			x += print_fit(g, x, y + t, g->w - x - locals_w - 3,
			    ROLE_RUNNING, mod->code[line - 1], r);
			x += 1;
			grid_print(g, x, y + t, 2, ROLE_RUNNING, r->marker);
			x += 3;
		}
		locals_text(mod, th, loc, sizeof loc);
		if (loc[0] != '\0') {
			int lx = g->w - locals_w > x ? g->w - locals_w : x;

			if (lx + (int)strlen(loc) <= g->w)
				grid_print(
				    g, lx, y + t, g->w - lx, ROLE_LABEL, loc);
			else
				grid_print(g, lx, y + t, g->w - lx, ROLE_LABEL,
				    "(locals do not fit)");
		}
	}
}

/* ---- the results table ---- */

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

/* Rows the results table can ever take: its header and a row for each
 * mode of the largest plan, so planning every mode moves nothing. */
static int
results_rows(const struct lesson_module *mod)
{
	int n = 0;

	while (mod->measure.all != NULL && mod->measure.all[n] >= 0 &&
	    n < MEASURE_MAX_MODES)
		n++;
	return 1 + (n > 2 ? n : 2);
}

/* ---- the extra panels of a tall terminal ---- */

/* Rows of the kernel's view: a row per lane that has samples. */
static int
kernel_rows(const struct screen *s)
{
	int t, n = 0;

	if (s->kernel <= 0)
		return 0;
	for (t = 0; t < s->model->nthreads; t++)
		n += s->model->threads[t].os_samples > 0;
	return n > 0 ? n : 0;
}

/* The words for a lane that could run but does not. */
static const char *ready_words(const struct screen *);

/* The kernel's account of each lane so far: shares of running, waiting
 * for a CPU and blocked, the time slices and the last CPU. */
static void
draw_kernel(struct grid *g, int y, int rows, const struct screen *s)
{
	const struct model *m = s->model;
	int t, row = 0, n = kernel_rows(s);

	for (t = 0; t < m->nthreads && row < rows; t++) {
		const struct model_thread *th = &m->threads[t];
		uint64_t tot =
		    th->os_run_ns + th->os_wait_ns + th->os_blocked_ns;
		double run, wait, blocked;

		if (th->os_samples == 0 || tot == 0)
			continue;
		if (row == rows - 1 && n > rows) {
			grid_printf(g, 0, y + row, g->w, ROLE_LABEL,
			    "   +%d more (a taller terminal shows them)",
			    n - row);
			break;
		}
		view_timeline_kernel_shares(m, t, &run, &wait, &blocked);
		grid_printf(g, 0, y + row, g->w, ROLE_DEFAULT,
		    "%2d %c  running %3.0f%%  %s %3.0f%%  blocked %3.0f%%  "
		    "%6llu slices  last on cpu%d",
		    t + 1, thread_letter(t), 100.0 * run, ready_words(s),
		    100.0 * wait, 100.0 * blocked,
		    (unsigned long long)th->os_slices, th->os_cpu);
		row++;
	}
}

/* The lines the log panel shows: every status line kept but one that is
 * on the status line now. */
static int
log_lines(const struct screen *s)
{
	if (s->log == NULL || s->nlog == 0)
		return 0;
	if (s->status != NULL && strcmp(s->log[s->nlog - 1], s->status) == 0)
		return s->nlog - 1;
	return s->nlog;
}

/* The last status lines before the one on the status line, newest at
 * the bottom. */
static void
draw_log(struct grid *g, int y, int rows, const struct screen *s,
    const struct rules *r)
{
	int n = log_lines(s), i, first = n > rows ? n - rows : 0;

	for (i = first; i < n; i++)
		print_fit(
		    g, 1, y + i - first, g->w - 2, ROLE_DEFAULT, s->log[i], r);
}

/* The extra panels' titles. */
static const char *const extra_titles[SCREEN_EXTRAS] = {
    [SCREEN_EXTRA_KERNEL] = "the kernel's view of each lane (/proc)",
    [SCREEN_EXTRA_LOG] = "log",
    [SCREEN_EXTRA_PREV] = "the run before",
};

/* The run before this one, its lanes and ruler fitted to the width. */
static void
draw_prev(struct grid *g, int y, int rows, const struct screen *s)
{
	const struct model *m = s->prev;
	struct timeline_view v;
	struct grid *tmp;
	int lw = view_timeline_label_w(s->prev_pids);

	view_timeline_fit(&v, m, g->w - lw, 4);
	v.glyphs = s->glyphs;
	v.pids = s->prev_pids;
	tmp = grid_new(g->w, m->nthreads + 1);
	view_timeline_draw(tmp, 0, 0, g->w, m, &v);
	if (rows < m->nthreads + 1) {
		blit_rows(g, 0, y, tmp, 0, rows - 2);
		grid_printf(g, 0, y + rows - 2, g->w, ROLE_LABEL,
		    "   +%d more (a taller terminal shows them)",
		    m->nthreads - (rows - 2));
		blit_rows(g, 0, y + rows - 1, tmp, m->nthreads, 1);
	} else {
		blit_rows(g, 0, y, tmp, 0, m->nthreads + 1);
	}
	grid_free(tmp);
}

/* The rows each extra panel could fill: the kernel's view while a
 * sampled run has samples, the log of earlier status lines. */
static void
extra_want(const struct screen *s, int *want)
{
	want[SCREEN_EXTRA_KERNEL] = kernel_rows(s);
	want[SCREEN_EXTRA_LOG] = log_lines(s);
	want[SCREEN_EXTRA_PREV] = s->prev != NULL ? s->prev->nthreads + 1 : 0;
}

/* ---- keys ---- */

struct key_help {
	const char *keys_utf8, *keys_ascii; /* NULL: the step keys */
	const char *bar; /* short words for the key bar, or NULL */
	const char *help;
	int must; /* always on the key bar */
	int when; /* KEYS_... */
};

enum { KEYS_ALL, KEYS_STEP, KEYS_MEASURE, KEYS_FREE };

static const struct key_help key_list[] = {
    {NULL, NULL, "step", "step that thread (its number, or Shift+letter)", 1,
        KEYS_STEP},
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
    {"\xe2\x86\x91 \xe2\x86\x93", "up down", "read",
        "scroll a long page (PgUp PgDn: a screenful)", 0, KEYS_ALL},
    {"r", "r", "reset", "run again with the same seed", 0, KEYS_STEP},
    {"r", "r", "again", "measure again from the first run", 0, KEYS_MEASURE},
    {"r", "r", "again", "run again", 0, KEYS_FREE},
    {"+ -", "+ -", "zoom", "zoom the timelines in / out", 0, KEYS_ALL},
    {"[ ]", "[ ]", "speed", "slower / faster auto-run", 0, KEYS_STEP},
    {"s", "s", "seed", "run again with a new seed", 0, KEYS_STEP},
    {"\xe2\x86\x90 \xe2\x86\x92", "<- ->", "scroll",
        "scroll the timelines (Home: the start, End: live)", 0, KEYS_ALL},
    {"m", "m", NULL, "the lesson menu", 0, KEYS_ALL},
    {"?", "?", "help", "this help (? h F1; any key closes it)", 1, KEYS_ALL},
    {"q", "q", "quit", "quit", 1, KEYS_ALL},
};

/* Whether a key applies to the lesson on screen. */
static int
key_shown(const struct key_help *k, const struct screen *s)
{
	switch (k->when) {
	case KEYS_STEP:
		return !s->free_run;
	case KEYS_MEASURE:
		return s->meas != NULL;
	case KEYS_FREE:
		return s->free_run && s->meas == NULL;
	}
	return 1;
}

/* The keys of an entry as drawn. */
static const char *
key_keys(
    const struct key_help *k, const struct screen *s, char *buf, size_t len)
{
	if (k->keys_utf8 == NULL) {
		screen_step_keys(
		    s->model != NULL ? s->model->nthreads : 9, buf, len);
		return buf;
	}
	return s->glyphs == &glyphs_ascii ? k->keys_ascii : k->keys_utf8;
}

/* Columns a key-bar item takes: "keys words" and two spaces. */
static int
keybar_need(const struct key_help *k, const struct screen *s)
{
	char buf[32];
	const char *keys = key_keys(k, s, buf, sizeof buf);

	return text_width(keys, strlen(keys)) + 1 + (int)strlen(k->bar) + 2;
}

/* The key bar: every item that fits, in order, but always those marked
 * must (step, help, quit). */
static void
draw_keybar(struct grid *g, int y, const struct screen *s)
{
	int x = 1, reserve = 0;
	char buf[32];
	size_t i;

	for (i = 0; i < IL_ARRAY_LEN(key_list); i++)
		if (key_list[i].bar != NULL && key_list[i].must &&
		    key_shown(&key_list[i], s))
			reserve += keybar_need(&key_list[i], s);
	for (i = 0; i < IL_ARRAY_LEN(key_list); i++) {
		const struct key_help *k = &key_list[i];
		int need;

		if (k->bar == NULL || !key_shown(k, s))
			continue;
		need = keybar_need(k, s);
		if (k->must)
			reserve -= need;
		else if (x + need + reserve > g->w)
			continue;
		x += grid_print(g, x, y, g->w - x, ROLE_LABEL,
		    key_keys(k, s, buf, sizeof buf));
		x += 1;
		x += grid_print(g, x, y, g->w - x, ROLE_DEFAULT, k->bar);
		x += 2;
	}
}

static void
draw_help(struct grid *g, const struct screen *s, const struct rules *r)
{
	int bw = 66, bh = 5, bx, by, i, j, row = 0;
	char buf[80];

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
		    key_keys(k, s, buf, sizeof buf));
		grid_print(
		    g, bx + 14, by + 2 + row, bw - 16, ROLE_DEFAULT, k->help);
		row++;
	}
	if (s->meas != NULL)
		snprintf(buf, sizeof buf,
		    "runs are free: the operating system schedules them");
	else if (s->free_run)
		snprintf(buf, sizeof buf,
		    "a free run: the operating system schedules it");
	else
		snprintf(buf, sizeof buf, "auto-run speed: %d step%s a second",
		    s->speed, s->speed == 1 ? "" : "s");
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

/* ---- layout ---- */

/* Take up to want rows from *left into *have. */
static void
take(int *have, int want, int *left)
{
	int n = want - *have;

	if (n > *left)
		n = *left;
	if (n > 0) {
		*have += n;
		*left -= n;
	}
}

/* Rows of the block beside the shared panel: the lanes, ruler, cores and
 * legend, or the shared panel's lines if they are more. */
static int
block_rows(const struct screen_rows *o, int shared)
{
	int base = o->lanes + 1 + o->cores + o->legend;

	return base > shared ? base : shared;
}

/* Grow *part (lanes or cores) to want, paying only for the rows the
 * block grows by: rows the shared panel already holds are free. */
static void
take_in_block(struct screen_rows *o, int *part, int want, int shared, int *left)
{
	while (*part < want) {
		int before = block_rows(o, shared), cost;

		(*part)++;
		cost = block_rows(o, shared) - before;
		if (cost > *left) {
			(*part)--;
			break;
		}
		*left -= cost;
	}
}

void
screen_layout_rows(const struct screen_needs *nd, int h, struct screen_rows *o)
{
	/* title, status, keys; the rules of narration, lanes and bottom;
	 * the ruler and the legend */
	int left = h - 3 - 3 - 1 - nd->legend;
	int lanes_min = nd->nthreads < 2 ? nd->nthreads : 2;
	int bottom_min = nd->bottom_all || nd->bottom < 2 ? nd->bottom : 2;
	int narr_first = nd->narr_need < NARR_MIN ? nd->narr_need : NARR_MIN;
	int third = (h - 3) / 3, shared = 0, i;

	memset(o, 0, sizeof *o);
	o->legend = nd->legend;
	if (narr_first < 1)
		narr_first = 1;
	/* what every screen must show, the whole results table first */
	take(&o->bottom, bottom_min, &left);
	take(&o->lanes, lanes_min, &left);
	take(&o->narr, narr_first, &left);
	/* the shared panel's lines, beside the lanes, ruler and legend */
	shared = block_rows(o, 0);
	take(&shared, nd->shared, &left);
	/* a few more lanes and code rows, narration up to a third of the
	 * screen, the cores, then every lane and code row, and the
	 * narration's longest page */
	take_in_block(
	    o, &o->lanes, nd->nthreads < 4 ? nd->nthreads : 4, shared, &left);
	take(&o->bottom, nd->bottom < 4 ? nd->bottom : 4, &left);
	take(&o->narr, nd->narr_need < third ? nd->narr_need : third, &left);
	take_in_block(o, &o->cores, nd->cores, shared, &left);
	take_in_block(o, &o->lanes, nd->nthreads, shared, &left);
	take(&o->bottom, nd->bottom, &left);
	take(&o->narr, nd->narr_need, &left);
	o->block = block_rows(o, shared);
	/* what is left goes to the extra panels, each under its rule */
	for (i = 0; i < SCREEN_EXTRAS; i++) {
		int min = i == SCREEN_EXTRA_PREV ? 3 : EXTRA_MIN;

		if (nd->extra[i] > 0 && left >= min + 1) {
			o->extra[i] =
			    nd->extra[i] < left - 1 ? nd->extra[i] : left - 1;
			left -= o->extra[i] + 1;
		}
	}
	if (o->narr < 1)
		o->narr = 1;
}

/* Legend rows at width w for a kernel's or a workers' view. */
static int
legend_rows(const struct glyphs *gl, int w, int kernel, int cores, int lost)
{
	struct grid *scratch = grid_new(w, 8);
	int rows = kernel ? view_timeline_legend_kernel(scratch, 0, 0, w, gl,
	                        "waiting for a CPU", cores)
	                  : view_timeline_legend(scratch, 0, 0, w, gl, lost);

	grid_free(scratch);
	return rows;
}

static int
shared_width(int w)
{
	return w >= 120 ? SHARED_W_WIDE : SHARED_W;
}

int
screen_narration_rows(const struct lesson *l, const long *params, int w, int h)
{
	const struct lesson_module *mod = l->module;
	struct screen_needs nd;
	struct screen_rows rows;
	int measuring = mod->measure.all != NULL;
	size_t i;

	memset(&nd, 0, sizeof nd);
	nd.nthreads = mod->threads(params);
	nd.bottom = measuring ? results_rows(mod) : nd.nthreads;
	nd.bottom_all = measuring;
	nd.legend = legend_rows(
	    &glyphs_utf8, w - shared_width(w) - 1, measuring, 0, !measuring);
	if (measuring) {
		/* the plan's two lines, then the parameters */
		struct shared_line sl[SHARED_MAX];
		struct shared_out o = {sl, 2, SHARED_MAX};

		shared_params(&o, mod, params, shared_width(w) - 2);
		nd.shared = o.n;
	}
	for (i = 0; i < l->npages; i++) {
		int r = screen_page_rows(l, params, i, w);

		if (r > nd.narr_need)
			nd.narr_need = r;
	}
	screen_layout_rows(&nd, h, &rows);
	return rows.narr;
}

void
screen_draw(struct grid *g, struct screen *s)
{
	const struct rules *r = rules_for(s->glyphs);
	const struct model *m = s->model;
	struct shared_line sl[SHARED_MAX];
	struct screen_needs nd;
	struct screen_rows rows;
	int sw, lw, y, i;

	memset(&s->layout, 0, sizeof s->layout);
	if (g->w < SCREEN_MIN_W || g->h < SCREEN_MIN_H) {
		s->layout.too_small = 1;
		draw_too_small(g);
		return;
	}
	sw = shared_width(g->w);
	lw = g->w - sw - 1;
	memset(&nd, 0, sizeof nd);
	nd.nthreads = m->nthreads;
	nd.shared = shared_lines(s, sl, SHARED_MAX, sw - 2);
	/* a sampled run has a cores view, from the kernel's samples */
	nd.cores = s->kernel > 0 ? s->ncpus : 0;
	nd.legend = legend_rows(
	    s->glyphs, lw, s->kernel > 0, nd.cores > 0, model_has_counter(m));
	if (s->meas != NULL) {
		nd.bottom = results_rows(s->lesson->module);
		nd.bottom_all = 1;
	} else {
		nd.bottom = m->nthreads;
	}
	nd.narr_need = narration_need(s, g->w);
	extra_want(s, nd.extra);
	screen_layout_rows(&nd, g->h, &rows);
	if (nd.cores > 0 && rows.cores == 0) {
		/* no room for the cores view: nor for its legend item */
		nd.cores = 0;
		nd.legend = legend_rows(
		    s->glyphs, lw, s->kernel > 0, 0, model_has_counter(m));
		screen_layout_rows(&nd, g->h, &rows);
	}
	s->layout.cores = rows.cores;

	draw_title(g, s, r);
	y = 1;
	draw_narration(g, y, rows.narr, s, r);
	y += 1 + rows.narr;
	hrule(g, 0, y, lw, r, lanes_title(s));
	grid_put(g, lw, y, r->down, ROLE_RULER);
	hrule(g, lw + 1, y, sw, r, "shared");
	y++;
	draw_timelines(g, y, lw, rows.lanes, rows.cores, s);
	draw_legend(g, 0, y + rows.block - rows.legend, lw, s, rows.cores > 0);
	for (i = 0; i < rows.block; i++)
		grid_put(g, lw, y + i, r->v, ROLE_RULER);
	draw_shared(g, lw + 2, y, sw - 2, rows.block, sl, nd.shared, r);
	y += rows.block;
	hrule(g, 0, y, g->w, r, s->meas != NULL ? "results" : "code");
	grid_put(g, lw, y, r->up, ROLE_RULER);
	y++;
	if (s->meas != NULL)
		draw_results(g, y, rows.bottom, s, r);
	else
		draw_code(g, y, rows.bottom, s, r);
	y += rows.bottom;
	for (i = 0; i < SCREEN_EXTRAS; i++) {
		if (rows.extra[i] == 0)
			continue;
		if (i == SCREEN_EXTRA_PREV && s->prev_title != NULL) {
			char t[128];

			snprintf(t, sizeof t, "%s: %s", extra_titles[i],
			    s->prev_title);
			hrule(g, 0, y, g->w, r, t);
		} else {
			hrule(g, 0, y, g->w, r, extra_titles[i]);
		}
		if (i == SCREEN_EXTRA_KERNEL)
			draw_kernel(g, y + 1, rows.extra[i], s);
		else if (i == SCREEN_EXTRA_LOG)
			draw_log(g, y + 1, rows.extra[i], s, r);
		else
			draw_prev(g, y + 1, rows.extra[i], s);
		y += 1 + rows.extra[i];
	}
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

/* Make the zoom state the one on screen: a fit's own values when the
 * view fits the run (they may not have been drawn yet). */
static void
zoom_current(struct screen *s)
{
	struct screen_zoom *z = &s->zoom;

	if (z->fit && s->model != NULL && s->layout.lanes_w > 0) {
		struct timeline_view v;

		view_timeline_fit(&v, s->model, s->layout.lanes_w, 4);
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
	else if (z->cell_w < 4)
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

	if (l->too_small || y < l->lanes_y || y >= l->lanes_y + l->nlanes)
		return -1;
	return l->first_lane + (y - l->lanes_y);
}
