#include "headless.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paths.h"
#include "run.h"
#include "schedule.h"
#include "util.h"
#include "view_timeline.h"

#define HEADLESS_MAX_NOTES  16
#define HEADLESS_MARK_NOTES 10

static const char *const policy_names[] = {
    [POLICY_FREE] = "free",
    [POLICY_STEP] = "step",
    [POLICY_RANDOM] = "random",
    [POLICY_REPLAY] = "replay",
};

/* Print text wrapped at word boundaries to width columns, starting at row
 * y; returns the rows used. */
static int
headless_wrap(struct grid *g, int y, const char *text, enum role role)
{
	char line[HEADLESS_WIDTH + 1];
	const char *p = text;
	int rows = 0;

	while (*p != '\0') {
		size_t n = strlen(p), cut = n;

		if (n > HEADLESS_WIDTH) {
			cut = HEADLESS_WIDTH;
			while (cut > 0 && p[cut] != ' ')
				cut--;
			if (cut == 0)
				cut = HEADLESS_WIDTH;
		}
		memcpy(line, p, cut);
		line[cut] = '\0';
		grid_print(g, 0, y + rows, HEADLESS_WIDTH, role, line);
		rows++;
		p += cut;
		while (*p == ' ')
			p++;
	}
	return rows;
}

void
headless_render(FILE *f, const struct model *m,
    const struct headless_report *rep, int ascii)
{
	const struct glyphs *gl = ascii ? &glyphs_ascii : &glyphs_utf8;
	struct timeline_view v;
	struct grid *g;
	int y = 0, i;

	g = grid_new(HEADLESS_WIDTH, m->nthreads + 16 + 4 * rep->nnotes);
	y += headless_wrap(g, y, rep->heading, ROLE_TITLE);
	y += headless_wrap(g, y, rep->run_line, ROLE_DEFAULT);
	y++;
	view_timeline_fit(&v, m, HEADLESS_WIDTH - VIEW_TIMELINE_LABEL, 4);
	v.glyphs = gl;
	y += view_timeline_draw(g, 0, y, HEADLESS_WIDTH, m, &v);
	y++;
	y += view_timeline_legend(g, 0, y, HEADLESS_WIDTH, gl);
	if (rep->nnotes > 0)
		y++;
	for (i = 0; i < rep->nnotes; i++)
		y += headless_wrap(g, y, rep->notes[i], ROLE_DEFAULT);
	g->h = y;
	grid_write_text(g, f, ascii);
	grid_free(g);
	fprintf(f, "result: %s\n", rep->result);
}

/* One note per lost update the model saw, oldest first. */
static int
headless_mark_notes(const struct run *r, char **notes, int max)
{
	const struct model *m = r->m;
	size_t i, kept = model_marks_kept(m);
	int n = 0;

	for (i = 0; i < kept && n < max; i++) {
		const struct lost_mark *mk = model_mark(m, i);
		const char *var = m->vars[mk->var].name;
		char buf[256], lost[96];

		if (i == HEADLESS_MARK_NOTES &&
		    kept > HEADLESS_MARK_NOTES + 1) {
			snprintf(buf, sizeof buf,
			    "... and %llu more stores that overwrote updates",
			    (unsigned long long)(m->nmarks - i));
			notes[n++] = xstrdup(buf);
			break;
		}
		if (mk->overwritten > 1)
			snprintf(lost, sizeof lost,
			    "%llu updates, the last %c's from step %u",
			    (unsigned long long)mk->overwritten,
			    view_timeline_thread_letter(mk->victim),
			    mk->victim_step + 1);
		else
			snprintf(lost, sizeof lost, "%c's update from step %u",
			    view_timeline_thread_letter(mk->victim),
			    mk->victim_step + 1);
		snprintf(buf, sizeof buf,
		    "lost update at step %u: %c stored %s=%lld, overwriting "
		    "%s (%c loaded %s at step %u)",
		    mk->step + 1, view_timeline_thread_letter(mk->thread), var,
		    (long long)mk->value, lost,
		    view_timeline_thread_letter(mk->thread), var,
		    mk->load_step + 1);
		notes[n++] = xstrdup(buf);
	}
	return n;
}

/* Read the whole of stdin as a schedule for --policy step. */
static char *
headless_read_stdin(void)
{
	size_t len = 0, cap = 4096, n;
	char *buf = xmalloc(cap);

	while ((n = fread(buf + len, 1, cap - len - 1, stdin)) > 0) {
		len += n;
		if (len + 1 == cap)
			buf = xrealloc(buf, cap *= 2);
	}
	buf[len] = '\0';
	return buf;
}

struct headless_state {
	const struct headless_args *args;
	struct run *run;
	struct schedule sched;
	int have_sched;
	size_t fallback; /* steps given to the lowest runnable thread */
	int deadlock;
	char *notes[HEADLESS_MAX_NOTES];
	int nnotes;
};

/* Resolve the schedule the run follows, if any. Returns 0 or an exit code. */
static int
headless_schedule(struct headless_state *hs)
{
	const struct headless_args *a = hs->args;
	char err[512], spec[128];
	const char *text = a->schedule;
	char *input = NULL;
	enum schedule_error e;

	if (a->policy == POLICY_STEP) {
		input = headless_read_stdin();
		if (strspn(input, " \t\r\n") == strlen(input)) {
			free(input);
			return 0; /* no input: every step to the lowest */
		}
		text = input;
	} else if (a->policy == POLICY_REPLAY && text == NULL) {
		if (a->lesson->schedule == NULL) {
			fprintf(stderr,
			    "interleave: --policy replay needs --schedule "
			    "(lesson %s names no schedule)\n",
			    a->lesson->id);
			return 2;
		}
		snprintf(spec, sizeof spec, "@%s", a->lesson->schedule);
		text = spec;
	}
	if (text == NULL)
		return 0;
	e = schedule_load(
	    text, paths_schedules_dir(), &hs->sched, err, sizeof err);
	free(input);
	if (e != SCHEDULE_OK) {
		fprintf(stderr, "interleave: %s\n", err);
		return e == SCHEDULE_NOT_FOUND ? 2 : 65;
	}
	hs->have_sched = 1;
	return 0;
}

/* Drive a controlled run to its end. Returns 0 or 65 (bad schedule). */
static int
headless_drive(struct headless_state *hs)
{
	struct run *r = hs->run;
	char why[256];
	size_t i;
	int t;

	for (i = 0; hs->have_sched && i < hs->sched.n; i++) {
		t = hs->sched.items[i];
		if (run_step(r, t, why, sizeof why) != 0) {
			fprintf(stderr, "interleave: schedule item %zu: %s\n",
			    i + 1, why);
			return 65;
		}
	}
	while (!conductor_all_done(r->c)) {
		if (hs->args->policy == POLICY_RANDOM)
			t = conductor_pick_random(r->c);
		else
			t = conductor_lowest_runnable(r->c);
		if (t < 0) {
			hs->deadlock = 1;
			break;
		}
		if (run_step(r, t, why, sizeof why) != 0)
			break;
		if (hs->args->policy != POLICY_RANDOM)
			hs->fallback++;
	}
	return 0;
}

/* Build the notes and the report, and print it. */
static void
headless_report_run(struct headless_state *hs, const char *title)
{
	const struct headless_args *a = hs->args;
	struct run *r = hs->run;
	struct headless_report rep;
	char heading[512], run_line[512], result[512], buf[256];
	size_t off;
	int i;

	snprintf(heading, sizeof heading, "%s: %s", a->lesson->id, title);
	off = (size_t)snprintf(
	    run_line, sizeof run_line, "policy %s", policy_names[a->policy]);
	if (a->policy == POLICY_RANDOM)
		off += (size_t)snprintf(run_line + off, sizeof run_line - off,
		    ", seed %llu", (unsigned long long)a->seed);
	if (hs->have_sched)
		off += (size_t)snprintf(run_line + off, sizeof run_line - off,
		    ", schedule %s%s%s%s", hs->sched.text,
		    hs->sched.name ? " (" : "",
		    hs->sched.name ? hs->sched.name : "",
		    hs->sched.name ? ")" : "");
	for (i = 0; i < (int)a->lesson->module->nparams; i++)
		off += (size_t)snprintf(run_line + off, sizeof run_line - off,
		    ", %s=%ld", a->lesson->module->params[i].name,
		    a->params[i]);
	if (a->policy == POLICY_FREE)
		snprintf(run_line + off, sizeof run_line - off, ", %.1f ms",
		    (double)(r->end_ns - r->start_ns) / 1e6);
	else
		snprintf(run_line + off, sizeof run_line - off, ", %u steps",
		    conductor_steps(r->c));

	if (a->policy != POLICY_FREE) {
		hs->nnotes += headless_mark_notes(
		    r, hs->notes + hs->nnotes, HEADLESS_MAX_NOTES - 4);
	} else {
		hs->notes[hs->nnotes++] = xstrdup(
		    "free run: the OS scheduled the threads; counter is the "
		    "real shared memory read after every thread was joined, "
		    "and lost = expected - counter.");
	}
	if (hs->fallback > 0) {
		snprintf(buf, sizeof buf,
		    "note: the schedule ended after %zu steps; the remaining "
		    "%zu steps went to the lowest-numbered runnable thread.",
		    hs->have_sched ? hs->sched.n : (size_t)0, hs->fallback);
		hs->notes[hs->nnotes++] = xstrdup(buf);
	}
	if (hs->deadlock)
		hs->notes[hs->nnotes++] = xstrdup(
		    "deadlock: no thread can take a step, and not every thread "
		    "has finished.");

	run_verdict(r, result, sizeof result);
	if (hs->deadlock) {
		off = strlen(result);
		snprintf(result + off, sizeof result - off, " deadlock=yes");
	}
	rep.heading = heading;
	rep.run_line = run_line;
	rep.notes = (const char *const *)hs->notes;
	rep.nnotes = hs->nnotes;
	rep.result = result;
	headless_render(a->out, r->m, &rep, a->ascii);
}

int
headless_main(const struct headless_args *a)
{
	struct headless_state hs;
	struct run_config cfg;
	char err[512];
	int rc, i;

	memset(&hs, 0, sizeof hs);
	hs.args = a;
	if ((rc = headless_schedule(&hs)) != 0)
		return rc;

	memset(&cfg, 0, sizeof cfg);
	cfg.module = a->lesson->module;
	memcpy(cfg.params, a->params, sizeof cfg.params);
	cfg.policy = a->policy;
	cfg.seed = a->seed;
	hs.run = run_new(&cfg, err, sizeof err);
	if (hs.run == NULL) {
		fprintf(stderr, "interleave: %s\n", err);
		schedule_free(&hs.sched);
		return 65;
	}
	rc = 0;
	if (run_start(hs.run) != 0) {
		fprintf(
		    stderr, "interleave: cannot start the worker threads\n");
		rc = 70;
	} else if (a->policy == POLICY_FREE) {
		run_wait_free(hs.run);
	} else {
		rc = headless_drive(&hs);
	}
	run_finish(hs.run);
	if (rc == 0)
		headless_report_run(&hs, a->lesson->title);
	for (i = 0; i < hs.nnotes; i++)
		free(hs.notes[i]);
	run_free(hs.run);
	schedule_free(&hs.sched);
	return rc;
}
