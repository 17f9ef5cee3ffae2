/*
 * The code panel: a row per thread with the code it runs, its current
 * line marked, and its locals.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "names.h"
#include "view.h"

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

/* The locals' column: as wide as the widest of them and two spaces. */
static int
code_locals_w(const struct lesson_module *mod, const struct model *m)
{
	char loc[128];
	int t, locals_w = 0;

	for (t = 0; t < m->nthreads; t++) {
		int lw;

		locals_text(mod, &m->threads[t], loc, sizeof loc);
		lw = (int)strlen(loc);
		if (lw > 0 && lw + 2 > locals_w)
			locals_w = lw + 2;
	}
	return locals_w;
}

/* The lines of code this run's threads run, in order. */
struct code_listing {
	int line[64];
	size_t n;
	int total; /* columns for all of them in a row */
};

static void
code_listing(const struct screen *s, int t, struct code_listing *cl)
{
	const struct lesson_module *mod = s->lesson->module;
	size_t i;

	cl->n = module_listing(mod, s->params, t, cl->line, 64);
	cl->total = 5;
	for (i = 0; i < cl->n; i++) {
		const char *c = mod->code[cl->line[i] - 1];

		cl->total += text_width(c, strlen(c)) + 4;
	}
}

/* Thread th's code from x on row y: every line if they all fit, else
 * the current one; the current line is marked. Returns where the locals
 * may start. */
static int
code_lines(struct grid *g, struct rect rc, int x, int y,
    const struct model_thread *th, const struct lesson_module *mod,
    const struct code_listing *cl, int locals_w, int reason_w,
    const struct rules *r)
{
	int line = th->line, end = rc.x + rc.w;
	/* a thread that waits for a lock is not running its line */
	enum role role =
	    th->state == TS_LOCK_WAIT ? ROLE_LOCK_WAIT : ROLE_RUNNING;
	size_t i;

	/* every line, if the reason a waiting thread cannot run still fits
	 * after them: the reason comes first */
	if (cl->total + locals_w + reason_w <= rc.w) {
		for (i = 0; i < cl->n; i++) {
			int cur = cl->line[i] == line;
			int used = grid_print(g, x, y, end - x,
			    cur ? role : ROLE_DEFAULT,
			    mod->code[cl->line[i] - 1]);

			if (cur)
				grid_print(
				    g, x + used + 1, y, 2, role, r->marker);
			x += used + 4;
		}
	} else if (line > 0 && (size_t)line <= mod->ncode) {
		x += text_print_fit(g, x, y, end - x - locals_w - 3, role,
		    mod->code[line - 1], r);
		x += 1;
		grid_print(g, x, y, 2, role, r->marker);
		x += 3;
	}
	return x;
}

/* Why thread t cannot run its line, after it from x if it fits before
 * the locals: "waiting for m, held by A". Returns where the locals may
 * start. */
static int
code_reason(struct grid *g, struct rect rc, int x, int y, const struct model *m,
    int t, int locals_w)
{
	char why[64];
	int w;

	model_wait_reason(m, t, why, sizeof why);
	w = (int)strlen(why);
	if (w == 0 || x + w > rc.x + rc.w - locals_w)
		return x;
	grid_print(g, x, y, w, ROLE_LOCK_WAIT, why);
	return x + w + 2;
}

/* Thread th's locals at the right, from column x at the earliest. */
static void
code_locals(struct grid *g, struct rect rc, int x, int y,
    const struct model_thread *th, const struct lesson_module *mod,
    int locals_w)
{
	int end = rc.x + rc.w, lx;
	char loc[128];

	locals_text(mod, th, loc, sizeof loc);
	if (loc[0] == '\0')
		return;
	lx = end - locals_w > x ? end - locals_w : x;
	if (lx + (int)strlen(loc) <= end)
		grid_print(g, lx, y, end - lx, ROLE_LABEL, loc);
	else
		grid_print(
		    g, lx, y, end - lx, ROLE_LABEL, "(locals do not fit)");
}

/* The code each thread runs, its current line marked, and its locals in
 * a column as wide as the widest of them: a number is never cut. */
static void
code_draw(struct grid *g, struct rect rc, struct screen *s)
{
	const struct rules *r = text_rules_for(s->glyphs);
	const struct model *m = s->model;
	const struct lesson_module *mod = s->lesson->module;
	int t, locals_w = code_locals_w(mod, m), rows = rc.h;
	struct code_listing cl;
	char why[64];

	for (t = 0; t < m->nthreads && t < rows; t++) {
		const struct model_thread *th = &m->threads[t];
		int x, y = rc.y + t;

		if (rows < m->nthreads && t == rows - 1) {
			grid_printf(g, rc.x, y, rc.w, ROLE_LABEL,
			    "   +%d more threads", m->nthreads - t);
			break;
		}
		grid_printf(g, rc.x, y, 4, ROLE_LABEL, "%2d %c", t + 1,
		    thread_letter(t));
		x = rc.x + 5;
		if (th->state == TS_DONE) {
			grid_print(g, x, y, rc.w - 5, ROLE_DONE, "done");
			continue;
		}
		code_listing(s, t, &cl);
		model_wait_reason(m, t, why, sizeof why);
		x = code_lines(g, rc, x, y, th, mod, &cl, locals_w,
		    why[0] != '\0' ? (int)strlen(why) + 2 : 0, r);
		x = code_reason(g, rc, x, y, m, t, locals_w);
		code_locals(g, rc, x, y, th, mod, locals_w);
	}
}

/* Rows: one per thread, two at least, then four, then all. */
static void
code_rows(struct screen *s, int w, int h, struct view_size *z)
{
	int n = lanes_count(s);

	(void)w;
	(void)h;
	z->want = n;
	z->min = n < 2 ? n : 2;
	z->more = n < 4 ? n : 4;
}

const struct view view_code = {
    "code", VIEW_TOP, 1, NULL, code_rows, code_draw, NULL};
