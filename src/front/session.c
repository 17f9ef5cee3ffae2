#include "session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conductor.h"
#include "names.h"
#include "trace_file.h"
#include "util.h"

#define SESSION_MAX_HIST 1000000

void
session_init(struct session *s, const struct lesson *l, const long *params,
    int free_run, uint64_t seed)
{
	memset(s, 0, sizeof *s);
	s->lesson = l;
	memcpy(
	    s->params, params != NULL ? params : l->params, sizeof s->params);
	s->free_run = free_run;
	s->seed = seed;
	s->max_hist = SESSION_MAX_HIST;
	s->measuring =
	    free_run && module_plan_for(l->module, s->params) != NULL;
}

static void
session_stop(struct session *s)
{
	if (s->run != NULL) {
		run_free(s->run); /* cancels and joins every worker */
		s->run = NULL;
	}
}

/* Forget the plan's earlier run. */
static void
session_drop_prev(struct session *s)
{
	run_free(s->prev);
	s->prev = NULL;
}

/* --trace: the plan's earlier run, if kept, and the run on screen, as
 * far as it went (a free run still going is stopped here). */
static void
session_trace(struct session *s)
{
	int cur = s->done ? s->meas.n - 1 : s->meas.n;

	if (s->trace == NULL)
		return;
	if (s->measuring && s->prev != NULL)
		trace_file_add(s->trace, s->lesson, s->prev,
		    measure_mode_name(&s->meas, s->prev_index));
	if (s->run == NULL)
		return;
	run_finish(s->run);
	trace_file_add(s->trace, s->lesson, s->run,
	    s->measuring && cur >= 0 && cur < s->meas.nmodes
	        ? measure_mode_name(&s->meas, cur)
	        : s->free_run ? "free"
	                      : "step");
}

void
session_close(struct session *s)
{
	session_trace(s);
	session_stop(s);
	session_drop_prev(s);
	free(s->hist);
	s->hist = NULL;
	s->nhist = s->caphist = 0;
	free(s->redo);
	s->redo = NULL;
	s->nredo = s->capredo = 0;
}

static int session_launch(
    struct session *, const long *params, char *msg, size_t msglen);

int
session_check_done(struct session *s)
{
	long next[MODULE_MAX_PARAMS];
	char msg[256];

	if (s->done || s->run == NULL)
		return s->done;
	if (s->free_run ? !run_over(s->run) : !conductor_all_done(s->run->c))
		return 0;
	run_finish(s->run);
	run_verdict(s->run, s->verdict, sizeof s->verdict);
	s->words[0] = '\0';
	if (s->lesson->module->result_words != NULL)
		s->lesson->module->result_words(
		    s->run, s->words, sizeof s->words);
	if (s->measuring) {
		measure_record(&s->meas, s->run);
		if (measure_next(&s->meas, s->params, next) == 0) {
			/* the finished run stays on to be shown */
			session_drop_prev(s);
			s->prev = s->run;
			s->prev_index = s->meas.n - 1;
			s->run = NULL;
			if (session_launch(s, next, msg, sizeof msg) == 0)
				return s->done;
			snprintf(s->verdict, sizeof s->verdict,
			    "cannot start the next run: %s", msg);
		}
	}
	s->done = 1;
	return 1;
}

int
session_start(struct session *s, char *msg, size_t msglen)
{
	long params[MODULE_MAX_PARAMS];
	const struct lesson_module *mod = s->lesson->module;

	session_drop_prev(s);
	/* a plan of runs times real runs: they run free */
	s->measuring = measure_plan_for(&s->meas, mod, s->params) == 0;
	if (s->measuring)
		s->free_run = 1;
	if (!s->measuring)
		return session_launch(s, s->params, msg, msglen);
	measure_next(&s->meas, s->params, params);
	return session_launch(s, params, msg, msglen);
}

uint64_t
session_estimate_ms(const struct session *s)
{
	const struct lesson_module *mod = s->lesson->module;
	struct measure_set ms;

	if (mod->estimate_ms == NULL)
		return 0;
	if (!s->free_run && module_plan_for(mod, s->params) == NULL)
		return 0;
	if (measure_plan_for(&ms, mod, s->params) != 0)
		return mod->estimate_ms(s->params, 0);
	return measure_estimate_ms(&ms, s->params);
}

/* Start a run with params. */
static int
session_launch(struct session *s, const long *params, char *msg, size_t msglen)
{
	struct run_config cfg;

	session_stop(s);
	s->generation++;
	run_config_for(&cfg, s->lesson->module, params,
	    s->free_run ? POLICY_FREE : POLICY_RANDOM, s->seed);
	cfg.trace = s->trace != NULL;
	s->done = 0;
	s->verdict[0] = '\0';
	s->words[0] = '\0';
	s->nhist = 0;
	s->nredo = 0;
	s->overflow = 0;
	if ((s->run = run_new(&cfg, msg, msglen)) == NULL)
		return -1;
	if (run_start(s->run) != 0) {
		snprintf(msg, msglen, "cannot start the worker threads");
		session_stop(s);
		return -1;
	}
	session_check_done(s);
	return 0;
}

/* Put a step on the redo stack. */
static void
redo_push(struct session *s, struct session_step st)
{
	if (s->nredo == s->capredo) {
		s->capredo = s->capredo ? s->capredo * 2 : 64;
		s->redo = xrealloc(s->redo, s->capredo * sizeof *s->redo);
	}
	s->redo[s->nredo++] = st;
}

static void
history_push(struct session *s, int t, int autopick)
{
	if (s->nhist == s->caphist) {
		if (s->caphist >= s->max_hist) {
			/* Undo replays from the start, so a history cut
			 * short cannot be undone; stop recording. */
			s->overflow = 1;
			return;
		} else {
			s->caphist = s->caphist ? s->caphist * 2 : 256;
			s->hist =
			    xrealloc(s->hist, s->caphist * sizeof *s->hist);
		}
	}
	s->hist[s->nhist].thread = t;
	s->hist[s->nhist].autopick = autopick;
	s->nhist++;
}

void
session_describe(const struct lesson_module *mod, const struct model *m, int t,
    uint64_t marks_before, char *msg, size_t msglen)
{
	int line = m->threads[t].line;

	if (m->nmarks > marks_before) {
		const struct lost_mark *k = model_last_mark(m);

		snprintf(msg, msglen,
		    "step %u: %s stored %s=%lld, overwriting %s's update: "
		    "a lost update",
		    (unsigned)m->step, thread_name_as(m->naming, t),
		    m->vars[k->var].name, (long long)k->value,
		    thread_name_as(m->naming, k->victim));
	} else if (m->threads[t].state == TS_DONE) {
		snprintf(msg, msglen, "step %u: %s has finished",
		    (unsigned)m->step, thread_name_as(m->naming, t));
	} else if (line > 0 && (size_t)line <= mod->ncode) {
		snprintf(msg, msglen, "step %u: %s moved; its next line is %s",
		    (unsigned)m->step, thread_name_as(m->naming, t),
		    mod->code[line - 1]);
	} else {
		snprintf(msg, msglen, "step %u: %s moved", (unsigned)m->step,
		    thread_name_as(m->naming, t));
	}
}

static int
step(struct session *s, int t, int autopick, char *msg, size_t msglen)
{
	uint64_t marks;

	if (s->run == NULL) {
		snprintf(msg, msglen, "the lesson is not running");
		return -1;
	}
	if (s->free_run) {
		snprintf(msg, msglen,
		    "this is a free run: the operating system schedules the "
		    "threads (r runs it again)");
		return -1;
	}
	if (s->done) {
		snprintf(msg, msglen,
		    "every thread has finished: u undoes the last step, r "
		    "runs the lesson again");
		return -1;
	}
	if (t < 0 || t >= s->run->nthreads) {
		snprintf(msg, msglen, "thread %d does not exist (%d threads)",
		    t + 1, s->run->nthreads);
		return -1;
	}
	marks = s->run->m->nmarks;
	if (run_step(s->run, t, msg, msglen) != 0)
		return -1;
	history_push(s, t, autopick);
	if (!s->redoing)
		s->nredo = 0;
	session_describe(s->lesson->module, s->run->m, t, marks, msg, msglen);
	session_check_done(s);
	return 0;
}

int
session_step(struct session *s, int t, char *msg, size_t msglen)
{
	return step(s, t, 0, msg, msglen);
}

int
session_auto_step(struct session *s, char *msg, size_t msglen)
{
	int t;

	if (s->run == NULL || s->free_run || s->done)
		return step(s, 0, 1, msg, msglen); /* says why not */
	if ((t = conductor_pick_random(s->run->c)) < 0) {
		snprintf(msg, msglen,
		    "no thread can move: each waits for a lock another "
		    "holds (a deadlock)");
		return -1;
	}
	return step(s, t, 1, msg, msglen);
}

int
session_undo(struct session *s, char *msg, size_t msglen)
{
	struct session_step *h;
	size_t n, i, keep;
	char why[256];

	if (s->free_run) {
		snprintf(msg, msglen, "a free run cannot be undone");
		return -1;
	}
	if (s->overflow) {
		snprintf(msg, msglen,
		    "undo works for the first %zu steps only; r runs the "
		    "lesson again",
		    s->max_hist);
		return -1;
	}
	if (s->nhist == 0) {
		snprintf(msg, msglen, "nothing to undo");
		return -1;
	}
	n = s->nhist - 1;
	h = xmalloc((n + 1) * sizeof *h);
	memcpy(h, s->hist, (n + 1) * sizeof *h);
	keep = s->nredo;
	if (session_start(s, msg, msglen) != 0) {
		free(h);
		return -1;
	}
	s->nredo = keep; /* the start cleared it; the steps are still there */
	redo_push(s, h[n]);
	for (i = 0; i < n; i++) {
		int t = h[i].thread;

		/* Controlled runs are deterministic, so the random policy
		 * picks the same thread again; check it anyway. */
		if (h[i].autopick && conductor_pick_random(s->run->c) != t)
			break;
		if (run_step(s->run, t, why, sizeof why) != 0)
			break;
		history_push(s, t, h[i].autopick);
	}
	free(h);
	session_check_done(s);
	if (i < n) {
		snprintf(msg, msglen, "undo could not replay step %zu", i + 1);
		return -1;
	}
	snprintf(msg, msglen, "undid step %zu; back at step %zu (^R redoes it)",
	    n + 1, n);
	return 0;
}

int
session_redo(struct session *s, char *msg, size_t msglen)
{
	struct session_step st;
	int rc;

	if (s->nredo == 0) {
		snprintf(msg, msglen, "nothing to redo");
		return -1;
	}
	st = s->redo[s->nredo - 1];
	s->redoing = 1;
	/* The random policy picks this thread again from the same state. */
	rc = st.autopick ? session_auto_step(s, msg, msglen)
	                 : session_step(s, st.thread, msg, msglen);
	s->redoing = 0;
	if (rc == 0)
		s->nredo--;
	return rc;
}

size_t
session_pump(struct session *s, size_t max)
{
	size_t n;

	if (s->run == NULL || s->done)
		return 0;
	n = run_pump_max(s->run, max);
	session_check_done(s);
	return n;
}
