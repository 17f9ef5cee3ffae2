/*
 * The curses front end's explorer screen: e explores the lesson on
 * screen with its parameters, every schedule up to a bound, on a thread
 * of its own; the UI thread draws its progress at the frame rate, then
 * the histogram of outcomes. Enter steps through the picked outcome's
 * witness on the lesson's screen; w saves it as a named schedule.
 *
 * Threads: the explorer thread runs explore_run and nothing else. It
 * writes ex->rc and ex->err, and the explorer's totals and outcomes,
 * then sets ex->finished (release); the UI thread reads none of those
 * before it has seen finished set (acquire) and joined the thread.
 * Meanwhile the UI reads only the explorer's progress atomics. Leaving
 * the screen cancels a running exploration and joins its thread.
 */
#include "config.h"

#include <curses.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explore.h"
#include "paths.h"
#include "schedule.h"
#include "screen_explore.h"
#include "text.h"
#include "tui_impl.h"
#include "util.h"

/* Schedules explored at most: a few seconds' worth at the least; a
 * bigger lesson says how many it would need. */
#define EXPLORE_TUI_MAX 200000

struct tui_explore {
	struct explore x;
	pthread_t thread;
	int joined; /* UI thread only */
	/* 1 once explore_run has returned: the explorer thread stores it
	 * (release) last; the UI thread loads it (acquire). */
	_Atomic int finished;
	int rc;        /* explore_run's, for the UI once finished */
	char err[256]; /* its message */
	long params[MODULE_MAX_PARAMS];
	char params_text[512];
	char status[6144]; /* a path and a command */
	uint64_t t0;
	struct screen_explore scr;
};

/* The explorer thread's body. */
static void *
explorer_thread(void *arg)
{
	struct tui_explore *ex = arg;

	ex->rc = explore_run(&ex->x, ex->err, sizeof ex->err);
	atomic_store_explicit(&ex->finished, 1, memory_order_release);
	return NULL;
}

/* Start the explorer thread, with every signal blocked in it (and so
 * in the workers it starts): signals are the UI thread's. 0 or -1. */
static int
explorer_start(struct tui_explore *ex)
{
	sigset_t all, old;
	int rc;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	rc = pthread_create(&ex->thread, NULL, explorer_thread, ex);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return rc == 0 ? 0 : -1;
}

/* The parameters to explore: the run's, or the lesson's own while a
 * plan is measured (its runs are free, with the plan's settings). */
static void
explorer_params(const struct tui *ui, long *params)
{
	memcpy(params, ui->ses.measuring ? ui->lesson->params : ui->ses.params,
	    sizeof ui->ses.params);
}

void
explorer_open(struct tui *ui)
{
	const struct lesson_module *mod = ui->lesson->module;
	struct explore_config cfg;
	struct tui_explore *ex;
	char err[256];

	if (mod->outcome == NULL) {
		set_status(ui,
		    "this lesson has no steps to explore: its runs "
		    "are free, the operating system schedules them");
		return;
	}
	ex = xcalloc(1, sizeof *ex);
	memset(&cfg, 0, sizeof cfg);
	cfg.module = mod;
	explorer_params(ui, cfg.params);
	cfg.strategy = EXPLORE_ALL;
	cfg.max_preemptions = -1;
	cfg.max_schedules = EXPLORE_TUI_MAX;
	if (explore_init(&ex->x, &cfg, err, sizeof err) != 0) {
		explore_free(&ex->x);
		free(ex);
		set_status(ui, "cannot explore: %s", err);
		return;
	}
	memcpy(ex->params, cfg.params, sizeof ex->params);
	screen_params_text(
	    mod, ex->params, ex->params_text, sizeof ex->params_text);
	ex->t0 = clock_now_ns();
	if (explorer_start(ex) != 0) {
		explore_free(&ex->x);
		free(ex);
		set_status(ui, "cannot explore: no thread for the explorer");
		return;
	}
	if (ui->mode == SCREEN_AUTO)
		ui->mode = SCREEN_PAUSED;
	ui->ex = ex;
	ui->dirty = 1;
}

/* Whether the exploration is still going. */
static int
explorer_running(const struct tui_explore *ex)
{
	return !ex->joined;
}

int
explorer_busy(const struct tui *ui)
{
	return ui->ex != NULL && explorer_running(ui->ex);
}

void
explorer_close(struct tui *ui)
{
	struct tui_explore *ex = ui->ex;

	if (ex == NULL)
		return;
	if (!ex->joined) {
		char done[32], total[32];

		explore_cancel(&ex->x);
		pthread_join(ex->thread, NULL);
		text_thousands(ex->x.runs, done, sizeof done);
		text_thousands(
		    (uint64_t)(ex->x.estimate + 0.5), total, sizeof total);
		set_status(ui,
		    "the explorer stopped after %s runs, of about %s (e "
		    "explores again)",
		    done, total);
	}
	explore_free(&ex->x);
	free(ex);
	ui->ex = NULL;
	ui->dirty = 1;
}

int
explorer_poll(struct tui *ui)
{
	struct tui_explore *ex = ui->ex;

	if (ex == NULL || !explorer_running(ex))
		return 0;
	if (atomic_load_explicit(&ex->finished, memory_order_acquire)) {
		pthread_join(ex->thread, NULL);
		ex->joined = 1;
		if (ex->rc == 0 && ex->x.nout > 0)
			snprintf(ex->status, sizeof ex->status,
			    "explored: pick an outcome, Enter steps through "
			    "its witness, w saves it");
	}
	ui->dirty = 1; /* the progress moves: a frame each frame time */
	return 1;
}

void
explorer_draw(struct tui *ui, struct grid *g)
{
	struct tui_explore *ex = ui->ex;
	struct screen_explore *s = &ex->scr;

	s->lesson = ui->lesson;
	s->glyphs = ui->glyphs;
	s->params = ex->params_text;
	s->bound = ex->x.cfg.max_schedules;
	s->status = ex->status[0] != '\0' ? ex->status : NULL;
	s->x = NULL;
	s->error = NULL;
	if (explorer_running(ex)) {
		s->done =
		    atomic_load_explicit(&ex->x.done_now, memory_order_relaxed);
		s->total = atomic_load_explicit(
		    &ex->x.total_now, memory_order_relaxed);
		s->elapsed_s = (double)(clock_now_ns() - ex->t0) / 1e9;
	} else {
		s->elapsed_s = (double)ex->x.elapsed_ns / 1e9;
		if (ex->rc != 0)
			s->error = ex->err;
		else
			s->x = &ex->x;
	}
	screen_explore_draw(g, s);
}

/* Open the picked outcome's witness in step mode: a fresh stepped run
 * with the explored parameters that has taken every step of it. */
static void
explorer_open_witness(struct tui *ui)
{
	struct tui_explore *ex = ui->ex;
	const struct explore_outcome *o = &ex->x.out[ex->scr.sel];
	char label[2 * OUTCOME_WORD_MAX + 2], msg[256];
	size_t n = o->nwitness, i;
	int *w = xmalloc((n ? n : 1) * sizeof *w);

	memcpy(w, o->witness, n * sizeof *w);
	snprintf(label, sizeof label, "%s=%s", o->o.key, o->o.value);
	memcpy(ui->ses.params, ex->params, sizeof ui->ses.params);
	explorer_close(ui);
	ui->ses.free_run = 0;
	ui->mode = SCREEN_STEP;
	if (restart(ui) != 0) {
		free(w);
		return; /* the status says why */
	}
	for (i = 0; i < n; i++) {
		if (session_step(&ui->ses, w[i], msg, sizeof msg) != 0)
			break;
		log_add(ui, msg);
	}
	free(w);
	if (i < n)
		set_status(ui, "the witness for %s went astray at step %zu: %s",
		    label, i + 1, msg);
	else
		status_after_restart(ui,
		    "witness for %s: %zu step%s, from the explorer (u undoes a "
		    "step)",
		    label, n, n == 1 ? "" : "s");
}

/* The command that replays saved schedule name: the parameters that
 * differ from the lesson's own go with --set. */
static void
explorer_replay_command(const struct tui *ui, const struct tui_explore *ex,
    const char *name, char *buf, size_t len)
{
	const struct lesson_module *mod = ui->lesson->module;
	size_t off, k;

	off = (size_t)snprintf(
	    buf, len, "interleave %s --headless", ui->lesson->id);
	for (k = 0; k < mod->nparams && off < len; k++) {
		const char *word;

		if (ex->params[k] == ui->lesson->params[k])
			continue;
		word = module_param_name(&mod->params[k], ex->params[k]);
		if (word != NULL)
			off += (size_t)snprintf(buf + off, len - off,
			    " --set %s=%s", mod->params[k].name, word);
		else
			off += (size_t)snprintf(buf + off, len - off,
			    " --set %s=%ld", mod->params[k].name,
			    ex->params[k]);
	}
	if (off < len)
		snprintf(buf + off, len - off, " --schedule @%s", name);
}

/* Check that the schedule saved as name loads back as the witness. */
static int
explorer_saved_ok(const char *name, const struct explore_outcome *o)
{
	char spec[96], err[256];
	struct schedule s;
	int ok;

	snprintf(spec, sizeof spec, "@%s", name);
	if (schedule_load(spec, paths_schedule_dirs(), &s, err, sizeof err) !=
	    SCHEDULE_OK)
		return 0;
	ok = s.n == o->nwitness &&
	    memcmp(s.items, o->witness, s.n * sizeof *s.items) == 0;
	schedule_free(&s);
	return ok;
}

/* w: save the picked outcome's witness as a named schedule in the
 * user's schedule folder. */
static void
explorer_save(struct tui *ui)
{
	struct tui_explore *ex = ui->ex;
	const struct explore_outcome *o = &ex->x.out[ex->scr.sel];
	char dir[4096], path[4096], err[512], words[256], name[80];
	char comment[1024], cmd[1024];

	if (paths_user_schedules(dir, sizeof dir) != 0) {
		snprintf(ex->status, sizeof ex->status,
		    "cannot save: no folder for schedules (set HOME or "
		    "XDG_DATA_HOME)");
		return;
	}
	snprintf(words, sizeof words, "%s-%s-%s", ui->lesson->id, o->o.key,
	    o->o.value);
	schedule_name_from(words, name, sizeof name);
	snprintf(comment, sizeof comment, "%s %s: %s=%s, found by the explorer",
	    ui->lesson->id, ex->params_text, o->o.key, o->o.value);
	if (schedule_save(dir, name, comment, o->witness, o->nwitness, path,
	        sizeof path, err, sizeof err) != 0) {
		snprintf(ex->status, sizeof ex->status, "cannot save: %s", err);
		return;
	}
	if (!explorer_saved_ok(name, o)) {
		snprintf(ex->status, sizeof ex->status,
		    "saved %s, but @%s does not load back as this witness "
		    "(another folder has that name?)",
		    path, name);
		return;
	}
	explorer_replay_command(ui, ex, name, cmd, sizeof cmd);
	snprintf(ex->status, sizeof ex->status, "saved %s\n%s replays it", path,
	    cmd);
}

void
explorer_key(struct tui *ui, int ch)
{
	struct tui_explore *ex = ui->ex;
	int n = explorer_running(ex) || ex->rc != 0 ? 0 : ex->x.nout;

	switch (ch) {
	case 27:
	case 'q':
		explorer_close(ui);
		return;
	case KEY_UP:
	case 'k':
		if (ex->scr.sel > 0)
			ex->scr.sel--;
		break;
	case KEY_DOWN:
	case 'j':
		if (ex->scr.sel + 1 < n)
			ex->scr.sel++;
		break;
	case '\n':
	case '\r':
	case KEY_ENTER:
		if (n > 0)
			explorer_open_witness(ui);
		return;
	case SCREEN_EXPLORE_KEY_SAVE:
		if (n > 0)
			explorer_save(ui);
		break;
	}
	ui->dirty = 1;
}
