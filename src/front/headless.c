#include "headless.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "evq.h"
#include "exit.h"
#include "names.h"
#include "paths.h"
#include "run.h"
#include "schedule.h"
#include "screen.h"
#include "session.h"
#include "trace_file.h"
#include "util.h"
#include "view_timeline.h"

#define HEADLESS_MAX_NOTES  16
#define HEADLESS_MARK_NOTES 10
#define PROGRESS_AFTER_NS   (1000ull * 1000 * 1000)
#define PROGRESS_EVERY_NS   (500ull * 1000 * 1000)
#define LONG_RUN_MS         60000 /* warn before a run this long */

void
headless_render(FILE *f, const struct model *m,
    const struct headless_report *rep, int ascii)
{
	struct screen_report sr = {
	    rep->heading, rep->run_line, rep->notes, rep->nnotes, rep->kernel};
	struct screen scr;

	memset(&scr, 0, sizeof scr);
	scr.model = m;
	scr.glyphs = ascii ? &glyphs_ascii : &glyphs_utf8;
	scr.kernel = rep->kernel;
	scr.report = &sr;
	screen_print(f, &scr, HEADLESS_WIDTH, ascii);
	fprintf(f, "result: %s\n", rep->result);
}

/* ---- progress and warnings on stderr ---- */

void
headless_progress_tick(
    struct headless_progress *p, struct run *r, const char *what)
{
	const struct lesson_module *mod = r->cfg.module;
	uint64_t now = clock_now_ns(), done = 0, total = 0;
	char took[32], left[48] = "";

	if (p->start_ns == 0) {
		p->start_ns = now;
		p->next_ns = now + PROGRESS_AFTER_NS;
	}
	if (now < p->next_ns || !isatty(STDERR_FILENO))
		return;
	p->next_ns = now + PROGRESS_EVERY_NS;
	screen_duration((now - p->start_ns) / 1000000, took, sizeof took);
	if (mod->progress != NULL)
		mod->progress(r, &done, &total);
	if (total > 0 && done > 0 && done < total) {
		char eta[32];

		screen_duration(
		    (uint64_t)((double)(now - p->start_ns) *
		        (double)(total - done) / (double)done / 1e6),
		    eta, sizeof eta);
		snprintf(left, sizeof left, ", about %s to go", eta);
	}
	if (total > 0)
		fprintf(stderr,
		    "\rinterleave: %s: %llu%% done after %s%s\033[K", what,
		    (unsigned long long)(done * 100 / total), took, left);
	else
		fprintf(stderr, "\rinterleave: %s: running for %s\033[K", what,
		    took);
	fflush(stderr);
	p->shown = 1;
}

void
headless_progress_end(struct headless_progress *p)
{
	if (p->shown) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
	}
	p->shown = 0;
}

void
headless_warn_long(
    const struct lesson_module *mod, const long *params, int controlled)
{
	uint64_t ms;
	char took[32];

	if (mod->estimate_ms == NULL ||
	    (ms = mod->estimate_ms(params, controlled)) < LONG_RUN_MS)
		return;
	screen_duration(ms, took, sizeof took);
	fprintf(stderr,
	    "interleave: this run will take about %s (timed from a shorter "
	    "run with the same settings); Ctrl-C stops it\n",
	    took);
}

/* ---- notes ---- */

/* One note per lost update the model saw, oldest first, then how many
 * more there were, and both counts named. */
static int
headless_mark_notes(const struct run *r, char **notes, int max)
{
	const struct model *m = r->m;
	size_t i, kept = model_marks_kept(m);
	int n = 0, v;

	for (i = 0; i < kept && i < HEADLESS_MARK_NOTES && n < max - 2; i++) {
		const struct lost_mark *mk = model_mark(m, i);
		const char *var = m->vars[mk->var].name;
		char buf[256], lost[96];

		if (mk->overwritten > 1)
			snprintf(lost, sizeof lost,
			    "%llu updates, the last %c's from step %u",
			    (unsigned long long)mk->overwritten,
			    thread_letter(mk->victim), mk->victim_step + 1);
		else
			snprintf(lost, sizeof lost, "%c's update from step %u",
			    thread_letter(mk->victim), mk->victim_step + 1);
		snprintf(buf, sizeof buf,
		    "lost update at step %u: %c stored %s=%lld, overwriting "
		    "%s (%c loaded %s at step %u)",
		    mk->step + 1, thread_letter(mk->thread), var,
		    (long long)mk->value, lost, thread_letter(mk->thread), var,
		    mk->load_step + 1);
		notes[n++] = xstrdup(buf);
	}
	if (m->nmarks > i) {
		char buf[128];

		snprintf(buf, sizeof buf,
		    "... and %llu more stores that overwrote an update",
		    (unsigned long long)(m->nmarks - i));
		notes[n++] = xstrdup(buf);
	}
	for (v = 0; v < m->nvars && n < max; v++) {
		const struct model_var *mv = &m->vars[v];
		char buf[256];
		long long lost = mv->expected - mv->value;

		if (!mv->counter || mv->stale < 2)
			continue;
		snprintf(buf, sizeof buf,
		    "%s: %llu stores overwrote an update (each is a mark), and "
		    "%lld increment%s are missing from %s: a store can "
		    "overwrite several updates, or put back one it had "
		    "overwritten.",
		    mv->name, (unsigned long long)mv->stale, lost,
		    lost == 1 ? "" : "s", mv->name);
		notes[n++] = xstrdup(buf);
	}
	return n;
}

/* ---- reading steps ---- */

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
	int interactive; /* --policy step at a terminal: ask for each step */
	size_t asked;    /* steps given at the prompt */
	size_t fallback; /* steps given to the lowest runnable thread */
	int deadlock;
	char *notes[HEADLESS_MAX_NOTES];
	int nnotes;
	struct headless_progress prog;
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

	if (a->policy == POLICY_STEP && isatty(STDIN_FILENO)) {
		hs->interactive = 1;
		return 0;
	}
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
			return EXIT_USAGE;
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
		return e == SCHEDULE_NOT_FOUND ? EXIT_USAGE : EXIT_DATAERR;
	}
	hs->have_sched = 1;
	return 0;
}

/* --policy step at a terminal: ask which thread takes each step and say
 * what it did, until every thread is done or the input ends (q, or
 * Ctrl-D: the rest goes to the lowest-numbered runnable thread). */
static void
headless_ask(struct headless_state *hs)
{
	struct run *r = hs->run;
	int n = r->nthreads;
	char line[64], why[256], msg[256];

	fprintf(stderr,
	    "Type the number of the thread that takes the next step (1-%d), "
	    "then Enter;\nq or Ctrl-D lets the lowest-numbered thread that can "
	    "move take the rest.\n",
	    n);
	while (!conductor_all_done(r->c)) {
		uint64_t marks = r->m->nmarks;
		char *end;
		long t;

		fprintf(stderr,
		    "step %u, thread (1-%d): ", conductor_steps(r->c) + 1, n);
		fflush(stderr);
		if (fgets(line, sizeof line, stdin) == NULL ||
		    line[strspn(line, " \t")] == 'q') {
			fputc('\n', stderr);
			return;
		}
		t = strtol(line, &end, 10);
		if (end == line || t < 1 || t > n) {
			fprintf(
			    stderr, "  (a thread number from 1 to %d)\n", n);
			continue;
		}
		if (run_step(r, (int)t - 1, why, sizeof why) != 0) {
			fprintf(stderr, "  %s\n", why);
			continue;
		}
		hs->asked++;
		session_describe(
		    r->cfg.module, r->m, (int)t - 1, marks, msg, sizeof msg);
		fprintf(stderr, "  %s\n", msg);
	}
}

/* The deadlock the model found, as notes: the cycle and when it closed,
 * then why each thread in it cannot run. Returns the notes added (at
 * most max). */
static int
headless_cycle_notes(const struct model *m, int ascii, char **notes, int max)
{
	const struct model_cycle *c = &m->deadlock;
	char buf[768], cycle[512], when[32];
	int n = 0, i;

	if (c->n == 0 || max < 1)
		return 0;
	model_cycle_long(m, c, (ascii ? &glyphs_ascii : &glyphs_utf8)->arrow,
	    cycle, sizeof cycle);
	if (m->clock == MODEL_CLOCK_NS)
		snprintf(when, sizeof when, "after %llu ms",
		    (unsigned long long)(c->at / 1000000));
	else
		snprintf(when, sizeof when, "at step %u", (unsigned)c->step);
	snprintf(buf, sizeof buf, "DEADLOCK %s: %s", when, cycle);
	notes[n++] = xstrdup(buf);
	for (i = 0; i < c->n && n < max; i++) {
		char why[128];

		model_wait_reason(m, c->threads[i], why, sizeof why);
		snprintf(buf, sizeof buf, "  %s cannot run: %s",
		    thread_name_as(m->naming, c->threads[i]), why);
		notes[n++] = xstrdup(buf);
	}
	return n;
}

/* Drive a controlled run to its end. Returns 0 or 65 (bad schedule). */
static int
headless_drive(struct headless_state *hs)
{
	struct run *r = hs->run;
	char why[256];
	size_t i;
	int t;

	if (hs->have_sched) {
		i = run_replay(
		    r, hs->sched.items, hs->sched.n, why, sizeof why);
		if (i < hs->sched.n) {
			fprintf(stderr, "interleave: schedule item %zu: %s\n",
			    i + 1, why);
			return EXIT_DATAERR;
		}
	}
	if (hs->interactive)
		headless_ask(hs);
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
		if ((conductor_steps(r->c) & 1023) == 0)
			headless_progress_tick(&hs->prog, r, "stepping");
	}
	headless_progress_end(&hs->prog);
	return 0;
}

/* A free run: wait for the workers, moving events into the model and
 * showing progress. */
static void
headless_wait_free(struct headless_state *hs)
{
	struct run *r = hs->run;

	while (!run_over(r)) {
		if (run_pump(r) == 0)
			evq_wait(r->q, 20);
		headless_progress_tick(&hs->prog, r, "running");
	}
	run_pump(r);
	headless_progress_end(&hs->prog);
}

/* The run line: policy, seed, schedule, parameters, length. */
static void
headless_run_line(struct headless_state *hs, char *buf, size_t len)
{
	const struct headless_args *a = hs->args;
	struct run *r = hs->run;
	size_t off;
	int i;

	off = (size_t)snprintf(buf, len, "policy %s", policy_name(a->policy));
	if (a->policy == POLICY_RANDOM)
		off += (size_t)snprintf(buf + off, len - off, ", seed %llu",
		    (unsigned long long)a->seed);
	if (hs->have_sched)
		off += (size_t)snprintf(buf + off, len - off,
		    ", schedule %s%s%s%s", hs->sched.text,
		    hs->sched.name ? " (" : "",
		    hs->sched.name ? hs->sched.name : "",
		    hs->sched.name ? ")" : "");
	for (i = 0; i < (int)a->lesson->module->nparams && off < len; i++) {
		const struct param_def *pd = &a->lesson->module->params[i];
		const char *word = module_param_name(pd, a->params[i]);

		if (word != NULL)
			off += (size_t)snprintf(
			    buf + off, len - off, ", %s=%s", pd->name, word);
		else
			off += (size_t)snprintf(buf + off, len - off,
			    ", %s=%ld", pd->name, a->params[i]);
	}
	if (off >= len)
		return;
	if (a->policy == POLICY_FREE)
		snprintf(buf + off, len - off, ", %.1f ms",
		    (double)(r->end_ns - r->start_ns) / 1e6);
	else
		snprintf(
		    buf + off, len - off, ", %u steps", conductor_steps(r->c));
}

/* Build the notes and the report, and print it. */
static void
headless_report_run(struct headless_state *hs, const char *title)
{
	const struct headless_args *a = hs->args;
	struct run *r = hs->run;
	struct headless_report rep;
	char heading[512], run_line[512], result[1024], buf[512];
	struct result res;
	int kernel = 0;

	snprintf(heading, sizeof heading, "%s: %s", a->lesson->id, title);
	headless_run_line(hs, run_line, sizeof run_line);
	if (a->policy != POLICY_FREE) {
		hs->nnotes += headless_mark_notes(
		    r, hs->notes + hs->nnotes, HEADLESS_MAX_NOTES - 4);
	} else {
		if (r->cfg.sample_ms > 0)
			kernel = atomic_load(&r->os_unavailable) ? -1 : 1;
	}
	if (a->policy == POLICY_FREE && model_has_counter(r->m)) {
		snprintf(buf, sizeof buf,
		    "free run: the OS scheduled the threads%s; counter is the "
		    "real shared memory read after every thread was joined, "
		    "lost = expected - counter, and %s marks a store that "
		    "replaced a value other than the one its thread loaded.",
		    kernel > 0 ? ", and the lanes show the kernel's view of "
		                 "each"
		               : "",
		    a->ascii ? "X" : "\xe2\x9c\x97");
		hs->notes[hs->nnotes++] = xstrdup(buf);
	}
	if (hs->fallback > 0) {
		size_t given = hs->have_sched ? hs->sched.n : hs->asked;

		snprintf(buf, sizeof buf,
		    "note: the %s ended after %zu step%s; the remaining "
		    "%zu step%s went to the lowest-numbered runnable thread.",
		    hs->interactive ? "input" : "schedule", given,
		    given == 1 ? "" : "s", hs->fallback,
		    hs->fallback == 1 ? "" : "s");
		hs->notes[hs->nnotes++] = xstrdup(buf);
	}
	if (hs->deadlock)
		hs->notes[hs->nnotes++] = xstrdup(
		    "deadlock: no thread can take a step, and not every thread "
		    "has finished.");
	hs->nnotes += headless_cycle_notes(r->m, a->ascii,
	    hs->notes + hs->nnotes, HEADLESS_MAX_NOTES - hs->nnotes);
	if (r->timed_out && hs->nnotes < HEADLESS_MAX_NOTES) {
		snprintf(buf, sizeof buf,
		    "timed out: the run could not finish, and was cancelled "
		    "after its timeout of %llu ms (every worker joined).",
		    (unsigned long long)((r->deadline_ns - r->start_ns) /
		        1000000));
		hs->notes[hs->nnotes++] = xstrdup(buf);
	}

	run_result(r, &res);
	/* a module that reports deadlocks itself says so in its own pairs */
	if (hs->deadlock && result_find(&res, "deadlock") == NULL)
		result_word(&res, "deadlock", "yes");
	result_format(&res, result, sizeof result);
	memset(&rep, 0, sizeof rep);
	rep.heading = heading;
	rep.run_line = run_line;
	rep.notes = (const char *const *)hs->notes;
	rep.nnotes = hs->nnotes;
	rep.result = result;
	rep.kernel = kernel;
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

	run_config_for(&cfg, a->lesson->module, a->params, a->policy, a->seed);
	cfg.trace = a->trace != NULL;
	hs.run = run_new(&cfg, err, sizeof err);
	if (hs.run == NULL) {
		fprintf(stderr, "interleave: %s\n", err);
		schedule_free(&hs.sched);
		return EXIT_SOFTWARE; /* the lesson was checked: the program failed */
	}
	if (!hs.interactive && !hs.have_sched)
		headless_warn_long(
		    cfg.module, cfg.params, a->policy != POLICY_FREE);
	rc = 0;
	if (run_start(hs.run) != 0) {
		fprintf(
		    stderr, "interleave: cannot start the worker threads\n");
		rc = EXIT_SOFTWARE;
	} else if (a->policy == POLICY_FREE) {
		headless_wait_free(&hs);
	} else {
		rc = headless_drive(&hs);
	}
	run_finish(hs.run);
	if (rc == 0) {
		headless_report_run(&hs, a->lesson->title);
		trace_file_add(
		    a->trace, a->lesson, hs.run, policy_name(a->policy));
	}
	for (i = 0; i < hs.nnotes; i++)
		free(hs.notes[i]);
	run_free(hs.run);
	schedule_free(&hs.sched);
	return rc;
}
