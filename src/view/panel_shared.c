/*
 * The shared panel, beside the lanes: the shared variables and what they
 * should be, the locks and who waits for them, a measuring lesson's plan
 * and parameters, warnings, and the result once the run is done.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "names.h"
#include "view.h"

#define SHARED_W      26 /* shared panel at 80 columns */
#define SHARED_W_WIDE 34 /* from 120 columns */
#define SHARED_MAX    32 /* lines of shared-panel content kept */

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
		size_t k = text_wrap(p, width, &next);

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
	int queue[MODEL_WAITER_BITS];
	int i, t, n;

	for (i = 0; i < m->nlocks; i++) {
		const struct model_lock *lk = &m->locks[i];
		char who[80] = "";
		size_t off = 0;

		if (lk->owner >= 0)
			shared_add(o, ROLE_DEFAULT, 0, "lock %-4s held by %s",
			    lk->name, thread_name_as(m->naming, lk->owner));
		else
			shared_add(
			    o, ROLE_DEFAULT, 0, "lock %-4s free", lk->name);
		n = model_lock_queue(m, i, queue, MODEL_WAITER_BITS);
		for (t = 0; t < n && off + 5 < sizeof who; t++)
			off += (size_t)snprintf(who + off, sizeof who - off,
			    " %s", thread_name_as(m->naming, queue[t]));
		if (off > 0)
			shared_add(o, ROLE_LOCK_WAIT, 0, "  queue:%s", who);
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

/* The shared panel's lines at a text width. */
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

/* Draw the shared panel's lines into rc; the last row says how many
 * more there are when they do not fit. */
static void
shared_draw(struct grid *g, struct rect rc, struct screen *s)
{
	const struct rules *r = text_rules_for(s->glyphs);
	struct shared_line sl[SHARED_MAX];
	int n = shared_lines(s, sl, SHARED_MAX, rc.w), i;
	int x = rc.x, y = rc.y, w = rc.w, rows = rc.h;

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

int
shared_width(int w)
{
	return w >= 120 ? SHARED_W_WIDE : SHARED_W;
}

/* Rows: every line at the panel's text width; before a run, the plan's
 * two lines and the parameters of a measuring lesson. */
static void
shared_rows(struct screen *s, int w, int h, struct view_size *z)
{
	struct shared_line sl[SHARED_MAX];
	int width = shared_width(w) - 2;

	(void)h;
	if (s->model != NULL) {
		z->want = shared_lines(s, sl, SHARED_MAX, width);
	} else if (screen_measuring(s)) {
		struct shared_out o = {sl, 2, SHARED_MAX};

		shared_params(&o, s->lesson->module, s->params, width);
		z->want = o.n;
	}
	z->min = z->more = z->want;
}

const struct view view_shared = {
    "shared", VIEW_RIGHT, 0, NULL, shared_rows, shared_draw, NULL};
