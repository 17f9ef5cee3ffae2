/*
 * The explorer's screen (see screen_explore.h), top to bottom:
 *
 *   title bar
 *   what is explored
 *   progress bar, and runs done of about how many, the time left
 *   the counts: schedules, shared-access orders, classes; complete or not
 *   outcomes rule, one bar per outcome (scrolls to keep the pick shown)
 *   the picked outcome's witness
 *   status line
 *   key bar
 */
#include "config.h"

#include "screen_explore.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "view.h"

#define BAR_MAX     100 /* columns of the longest bar at most */
#define HIST_MIN_W  10  /* columns of a bar at the least */
#define COUNT_LINES 4   /* rows of the counts */
#define STATUS_ROWS 2   /* rows of the status line */

/* The right end of the title bar: " EXPLORING  1.2 s ". */
static void
explore_title(struct grid *g, const struct screen_explore *e)
{
	const struct rules *r = text_rules_for(e->glyphs);
	const char *state = e->error != NULL ? "FAILED"
	    : e->x == NULL                   ? "EXPLORING"
	    : e->x->complete                 ? "EXPLORED"
	                                     : "STOPPED";
	char right[64], left[256], took[32];
	int x, rw;

	for (x = 0; x < g->w; x++)
		grid_put(g, x, 0, ' ', ROLE_TITLE);
	screen_duration((uint64_t)(e->elapsed_s * 1000), took, sizeof took);
	snprintf(right, sizeof right, " %s  %s ", state, took);
	rw = (int)strlen(right);
	snprintf(
	    left, sizeof left, " interleave: %s: the explorer", e->lesson->id);
	text_print_fit(g, 0, 0, g->w - rw - 1, ROLE_TITLE, left, r);
	grid_print(g, g->w - rw, 0, rw, ROLE_TITLE, right);
}

/* The runs the bar fills up to: the estimate, or the bound if lower. */
static uint64_t
explore_target(const struct screen_explore *e)
{
	uint64_t t = e->total;

	if (e->bound > 0 && (t == 0 || t > e->bound))
		t = e->bound;
	return t;
}

/* The progress bar at row y, and the line under it. */
static void
explore_progress(struct grid *g, int y, const struct screen_explore *e)
{
	uint64_t done = e->x != NULL ? e->x->runs : e->done;
	uint64_t target = e->x != NULL ? done : explore_target(e);
	int bw = g->w - 4, fill, i;
	char a[32], b[32], line[256], left[64] = "";

	if (target < done)
		target = done;
	fill = target > 0 ? (int)((double)done * bw / (double)target) : 0;
	if (e->x == NULL && fill >= bw && bw > 0)
		fill = bw - 1; /* not full before it ends */
	grid_put(g, 1, y, '[', ROLE_RULER);
	for (i = 0; i < bw; i++)
		grid_print(g, 2 + i, y, 1, i < fill ? ROLE_RUNNING : ROLE_RULER,
		    i < fill ? e->glyphs->bar : " ");
	grid_put(g, 2 + bw, y, ']', ROLE_RULER);
	text_thousands(done, a, sizeof a);
	if (e->x != NULL) {
		screen_duration(
		    (uint64_t)(e->elapsed_s * 1000), left, sizeof left);
		snprintf(line, sizeof line, "%s run%s in %s", a,
		    done == 1 ? "" : "s", left);
	} else if (target == 0) {
		snprintf(line, sizeof line, "%s runs so far", a);
	} else {
		text_thousands(target, b, sizeof b);
		if (done > 0 && e->elapsed_s > 0) {
			double rate = (double)done / e->elapsed_s;
			char took[32];

			screen_duration(
			    (uint64_t)((double)(target - done) / rate * 1000),
			    took, sizeof took);
			snprintf(left, sizeof left, ", about %s left", took);
		}
		snprintf(line, sizeof line, "%s of about %s runs (%d%%)%s", a,
		    b, (int)(done * 100 / target), left);
	}
	text_print_fit(g, 2, y + 1, g->w - 4, ROLE_DEFAULT, line,
	    text_rules_for(e->glyphs));
}

/* One count row: its name, the number right-aligned in nw columns,
 * what it means. */
static void
explore_count(struct grid *g, int y, uint64_t n, int nw, const char *name,
    const char *means, const struct rules *r)
{
	char num[32];
	int x = 2 + 22;

	text_thousands(n, num, sizeof num);
	grid_print(g, 2, y, 22, ROLE_LABEL, name);
	grid_print(g, x + nw - (int)strlen(num), y, nw, ROLE_DEFAULT, num);
	x += nw + 3;
	text_print_fit(g, x, y, g->w - x - 1, ROLE_DEFAULT, means, r);
}

/* The counts from row y, and whether they are all of them. */
static void
explore_counts(struct grid *g, int y, const struct screen_explore *e)
{
	const struct explore *x = e->x;
	const struct rules *r = text_rules_for(e->glyphs);
	char line[256], a[32], b[32];
	int nw;

	/* schedules is the largest count */
	text_thousands(x->schedules, a, sizeof a);
	nw = (int)strlen(a);
	explore_count(g, y, x->schedules, nw, "schedules",
	    "every interleaving of the threads' steps", r);
	explore_count(g, y + 1, x->shared, nw, "shared-access orders",
	    "orders of the steps on shared data and locks", r);
	explore_count(g, y + 2, x->classes, nw, "classes",
	    "differ only in the order of independent steps", r);
	text_thousands((uint64_t)(x->estimate + 0.5), b, sizeof b);
	if (x->complete)
		snprintf(
		    line, sizeof line, "complete: every schedule was explored");
	else
		snprintf(line, sizeof line,
		    "stopped at %s of about %s schedules: not complete", a, b);
	text_print_fit(g, 2, y + 3, g->w - 4,
	    x->complete ? ROLE_DEFAULT : ROLE_WARNING, line, r);
}

/* Columns of the widest outcome label and count. */
static void
explore_widths(const struct explore *x, int *lw, int *nw, int *cw)
{
	char buf[2 * OUTCOME_WORD_MAX + 2];
	int i, n;

	*lw = 8;
	*nw = 1;
	*cw = 1;
	for (i = 0; i < x->nout; i++) {
		n = snprintf(buf, sizeof buf, "%s=%s", x->out[i].o.key,
		    x->out[i].o.value);
		if (n > *lw)
			*lw = n;
		text_thousands(x->out[i].schedules, buf, sizeof buf);
		if ((int)strlen(buf) > *nw)
			*nw = (int)strlen(buf);
		text_thousands(x->out[i].classes, buf, sizeof buf);
		if ((int)strlen(buf) > *cw)
			*cw = (int)strlen(buf);
	}
}

/* Outcome i as a row at y: the pick's marker, its label, its schedules,
 * its bar (by schedules, the most filling bw), its classes, and the word
 * failure for the lesson's failure. */
static void
explore_bar(struct grid *g, int y, const struct screen_explore *e, int i,
    int bw, const int w[3], uint64_t most)
{
	const struct rules *r = text_rules_for(e->glyphs);
	const struct explore_outcome *o = &e->x->out[i];
	enum role bar = o->failure ? ROLE_LOST : ROLE_RUNNING;
	char label[2 * OUTCOME_WORD_MAX + 2], num[32];
	int x = 1, k, fill, picked = i == e->sel;

	fill = (int)((o->schedules * (uint64_t)bw + most - 1) / most);
	if (picked)
		for (k = 1; k < 4 + w[0]; k++)
			grid_put(g, k, y, ' ', ROLE_TITLE);
	grid_print(g, x, y, 2, picked ? ROLE_TITLE : ROLE_DEFAULT,
	    picked ? r->right : " ");
	snprintf(label, sizeof label, "%s=%s", o->o.key, o->o.value);
	grid_print(g, x + 2, y, w[0], picked ? ROLE_TITLE : ROLE_LABEL, label);
	x += 4 + w[0];
	text_thousands(o->schedules, num, sizeof num);
	grid_print(g, x + w[1] - (int)strlen(num), y, w[1], ROLE_DEFAULT, num);
	x += w[1] + 1;
	for (k = 0; k < fill; k++)
		grid_print(g, x + k, y, 1, bar, e->glyphs->bar);
	x += bw + 1;
	text_thousands(o->classes, num, sizeof num);
	grid_printf(g, x, y, g->w - x, ROLE_DEFAULT, "%*s class%s", w[2], num,
	    o->classes == 1 ? "  " : "es");
	x += w[2] + 10;
	if (o->failure)
		grid_print(g, x, y, g->w - x, ROLE_LOST, "failure");
}

/* The histogram in rows y.. y + rows - 1 at most, scrolled to show
 * the pick; returns the rows it took. */
static int
explore_histogram(struct grid *g, int y, int rows, struct screen_explore *e)
{
	const struct explore *x = e->x;
	const struct rules *r = text_rules_for(e->glyphs);
	uint64_t most = 1;
	int w[3], bw, i;

	text_rule(g, 0, y++, g->w, r, "outcomes, by schedules");
	rows--;
	if (x->nout == 0) {
		grid_print(g, 2, y, g->w - 4, ROLE_DEFAULT,
		    "no run ended: every one was cut short");
		return 2;
	}
	explore_widths(x, &w[0], &w[1], &w[2]);
	for (i = 0; i < x->nout; i++)
		if (x->out[i].schedules > most)
			most = x->out[i].schedules;
	/* label, count, bar, classes, "failure" */
	bw = g->w - (5 + w[0] + w[1] + 1 + 1 + w[2] + 10 + 8);
	if (bw > BAR_MAX)
		bw = BAR_MAX;
	if (bw < HIST_MIN_W)
		bw = HIST_MIN_W;
	if (e->sel < e->top)
		e->top = e->sel;
	if (e->sel >= e->top + rows)
		e->top = e->sel - rows + 1;
	if (e->top > x->nout - rows)
		e->top = x->nout - rows > 0 ? x->nout - rows : 0;
	for (i = e->top; i < x->nout && i < e->top + rows; i++)
		explore_bar(g, y + i - e->top, e, i, bw, w, most);
	if (e->top > 0)
		grid_print(g, g->w - 2, y, 1, ROLE_LABEL, r->up_arrow);
	if (e->top + rows < x->nout)
		grid_print(
		    g, g->w - 2, y + rows - 1, 1, ROLE_LABEL, r->down_arrow);
	return 1 + (x->nout - e->top < rows ? x->nout - e->top : rows);
}

/* The picked outcome's witness on row y: as many of its steps as fit,
 * cut between two of them. */
static void
explore_witness(struct grid *g, int y, const struct screen_explore *e)
{
	const struct rules *r = text_rules_for(e->glyphs);
	const struct explore_outcome *o;
	char head[128], *w;
	int x, room, ew = text_width(r->ellipsis, strlen(r->ellipsis));
	size_t n;

	if (e->x->nout == 0)
		return;
	o = &e->x->out[e->sel];
	snprintf(head, sizeof head, "witness for %s=%s, %zu step%s:", o->o.key,
	    o->o.value, o->nwitness, o->nwitness == 1 ? "" : "s");
	x = 2 + grid_print(g, 2, y, g->w - 4, ROLE_LABEL, head) + 1;
	room = g->w - x - 1;
	w = explore_witness_text(e->x, e->sel);
	n = strlen(w); /* digits and commas: a byte a column */
	if ((int)n > room) {
		n = room - ew - 1 > 0 ? (size_t)(room - ew - 1) : 0;
		while (n > 0 && w[n] != ',')
			n--;
		if (n > 0)
			n++; /* keep the comma */
		text_print_n(g, x, y, room, ROLE_CODE, w, n);
		grid_print(g, x + (int)n, y, ew, ROLE_CODE, r->ellipsis);
	} else {
		text_print_n(g, x, y, room, ROLE_CODE, w, n);
	}
	free(w);
}

/* The key bar: what the keys do on this screen now. */
static void
explore_keys(struct grid *g, const struct screen_explore *e)
{
	const int ascii = e->glyphs == &glyphs_ascii;
	static const char save[] = {SCREEN_EXPLORE_KEY_SAVE, '\0'};
	static const char *const done_keys[][2] = {
	    {"\xe2\x86\x91\xe2\x86\x93", "pick"},
	    {"Enter", "step through it"},
	    {save, "save it"},
	    {"Esc", "back to the lesson"},
	};
	int x = 1, i, y = g->h - 1;

	if (e->x == NULL || e->x->nout == 0) {
		const char *what = e->x == NULL && e->error == NULL
		    ? "stop and go back to the lesson"
		    : "back to the lesson";

		x += grid_print(g, x, y, g->w - x, ROLE_LABEL, "Esc");
		grid_print(g, x + 1, y, g->w - x - 1, ROLE_DEFAULT, what);
		return;
	}
	for (i = 0; i < (int)IL_ARRAY_LEN(done_keys); i++) {
		const char *k = i == 0 && ascii ? "up/down" : done_keys[i][0];

		x += grid_print(g, x, y, g->w - x, ROLE_LABEL, k) + 1;
		x += grid_print(
		         g, x, y, g->w - x, ROLE_DEFAULT, done_keys[i][1]) +
		    2;
	}
}

/* text from row y, wrapped at spaces, in rows rows at most (the last
 * cut with an ellipsis if it is still too long). */
static void
explore_wrap(
    struct grid *g, int y, int rows, const char *text, const struct rules *r)
{
	const char *p = text, *next;
	int i;

	for (i = 0; i < rows && *p != '\0'; i++) {
		size_t n = text_wrap(p, g->w - 4, &next);

		if (i == rows - 1 && *next != '\0') {
			text_print_fit(
			    g, 2, y + i, g->w - 4, ROLE_DEFAULT, p, r);
			return;
		}
		text_print_n(g, 2, y + i, g->w - 4, ROLE_DEFAULT, p, n);
		p = next;
	}
}

/* The status line, over two rows: wrapped, and broken at a newline. */
static void
explore_status(struct grid *g, const struct screen_explore *e)
{
	const char *p = e->status, *next;
	int y;

	for (y = g->h - 1 - STATUS_ROWS;
	     p != NULL && *p != '\0' && y < g->h - 1; y++) {
		size_t n = text_wrap(p, g->w - 2, &next);

		text_print_n(g, 1, y, g->w - 2, ROLE_DEFAULT, p, n);
		p = next;
	}
}

void
screen_explore_draw(struct grid *g, struct screen_explore *e)
{
	const struct rules *r = text_rules_for(e->glyphs);
	char line[512];
	int y = 2, rows;

	if (g->w < SCREEN_MIN_W || g->h < SCREEN_MIN_H) {
		screen_draw_too_small(g);
		return;
	}
	explore_title(g, e);
	snprintf(line, sizeof line, "every schedule of %s with %s",
	    e->lesson->id, e->params);
	explore_wrap(g, y, 2, line, r);
	y += 2;
	explore_progress(g, y, e);
	y += 3;
	if (e->error != NULL) {
		text_print_fit(g, 2, y, g->w - 4, ROLE_WARNING, e->error, r);
	} else if (e->x == NULL && e->bound > 0 && e->total > e->bound) {
		char a[32], b[32];

		text_thousands(e->total, a, sizeof a);
		text_thousands(e->bound, b, sizeof b);
		snprintf(line, sizeof line,
		    "about %s schedules in all (an estimate that firms up as "
		    "it goes): the explorer stops at %s",
		    a, b);
		explore_wrap(g, y, 2, line, r);
	} else if (e->x != NULL) {
		explore_counts(g, y, e);
		y += COUNT_LINES + 1;
		/* the rule and the bars, a blank row, the witness */
		rows = g->h - STATUS_ROWS - 3 - y;
		y += explore_histogram(g, y, rows, e);
		explore_witness(g, y + 1, e);
	}
	explore_status(g, e);
	explore_keys(g, e);
}

void
screen_params_text(
    const struct lesson_module *m, const long *params, char *buf, size_t len)
{
	size_t i, off = 0;

	buf[0] = '\0';
	for (i = 0; i < m->nparams && off < len; i++) {
		const char *word = module_param_name(&m->params[i], params[i]);

		if (word != NULL)
			off += (size_t)snprintf(buf + off, len - off, "%s%s=%s",
			    i ? " " : "", m->params[i].name, word);
		else
			off +=
			    (size_t)snprintf(buf + off, len - off, "%s%s=%ld",
			        i ? " " : "", m->params[i].name, params[i]);
	}
}
