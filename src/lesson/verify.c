/*
 * Lesson verification: the checks that need more than the file itself,
 * the module's validate() hook and a replay of the named schedule on real
 * (parked) worker threads, as a run of the lesson would do them.
 */
#include "verify.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "measure.h"
#include "run.h"
#include "schedule.h"

static enum verify_result verify_error(const struct lesson *, int,
    enum verify_result, char *, size_t, const char *, ...)
    __attribute__((format(printf, 6, 7)));

/* Write "FILE:LINE: message" into err (line 0: the ```lesson block, or
 * line 1) and return rc. The message may quote a module's words, which
 * are ours; the lesson's path is sanitized already. */
static enum verify_result
verify_error(const struct lesson *l, int line, enum verify_result rc, char *err,
    size_t errlen, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (line <= 0)
		line = l->block_line > 0 ? l->block_line : 1;
	n = snprintf(err, errlen, "%s:%d: ", l->path, line);
	if (n >= 0 && (size_t)n < errlen) {
		va_start(ap, fmt);
		vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return rc;
}

/* The module's own defaults. */
static void
verify_defaults(const struct lesson_module *m, long *params)
{
	size_t i;

	memset(params, 0, MODULE_MAX_PARAMS * sizeof *params);
	for (i = 0; i < m->nparams; i++)
		params[i] = m->params[i].def;
}

int
verify_free_only(const struct lesson_module *m)
{
	long params[MODULE_MAX_PARAMS];
	char err[256];

	if (module_free_only(m))
		return 1;
	if (m->validate == NULL)
		return 0;
	verify_defaults(m, params);
	return m->validate(params, 1, err, sizeof err) != 0;
}

int
verify_params(const struct lesson_module *m, const long *params, int controlled,
    char *err, size_t errlen)
{
	long p[MODULE_MAX_PARAMS];
	struct measure_set ms;
	int i;

	if (m->validate == NULL)
		return 0;
	if (measure_plan_for(&ms, m, params) != 0)
		return m->validate(params, controlled, err, errlen) != 0 ? -1
		                                                         : 0;
	/* A plan runs each of its values free, one by one: the module
	 * checks the plan as asked for, then each run. */
	if (m->validate(params, 0, err, errlen) != 0)
		return -1;
	for (i = 0; i < ms.nmodes; i++) {
		memcpy(p, params, sizeof p);
		p[ms.plan->param] = ms.modes[i];
		if (m->validate(p, 0, err, errlen) != 0)
			return -1;
	}
	return 0;
}

/* The line to blame for parameters the module refuses: the first line
 * of the lesson that set a parameter the module accepts once it is back
 * at its default; 0 (the ```lesson block) if there is none. */
static int
verify_blame_line(const struct lesson *l, int controlled)
{
	const struct lesson_module *m = l->module;
	long p[MODULE_MAX_PARAMS];
	char err[256];
	size_t i;
	int line = 0;

	for (i = 0; i < m->nparams; i++) {
		if (l->param_line[i] == 0 ||
		    (line != 0 && l->param_line[i] > line))
			continue;
		memcpy(p, l->params, sizeof p);
		p[i] = m->params[i].def;
		if (verify_params(m, p, controlled, err, sizeof err) == 0)
			line = l->param_line[i];
	}
	return line;
}

enum verify_result
verify_lesson_params(
    const struct lesson *l, int controlled, char *err, size_t errlen)
{
	char msg[512];
	int c;

	if (verify_free_only(l->module))
		controlled = 0;
	for (c = 0; c <= controlled; c++) {
		if (verify_params(l->module, l->params, c, msg, sizeof msg) !=
		    0)
			return verify_error(l, verify_blame_line(l, c),
			    VERIFY_BAD_LESSON, err, errlen, "%s%s", msg,
			    c ? " (in a stepped run)" : "");
	}
	return VERIFY_OK;
}

/* Replay schedule s on the lesson's parameters: every item must name a
 * thread that can take its step then. */
static enum verify_result
verify_replay(const struct lesson *l, const struct schedule *s, int line,
    char *err, size_t errlen)
{
	struct run_config cfg;
	enum verify_result rc = VERIFY_OK;
	struct run *r;
	char why[256];
	size_t i;

	memset(&cfg, 0, sizeof cfg);
	cfg.module = l->module;
	memcpy(cfg.params, l->params, sizeof cfg.params);
	cfg.policy = POLICY_REPLAY;
	cfg.seed = 1;
	if ((r = run_new(&cfg, why, sizeof why)) == NULL)
		return verify_error(l, 0, VERIFY_BAD_LESSON, err, errlen,
		    "cannot set up a run: %s", why);
	if (run_start(r) != 0) {
		/* not the lesson's fault: no FILE:LINE */
		snprintf(err, errlen, "cannot start the worker threads");
		rc = VERIFY_INTERNAL;
	}
	for (i = 0; rc == VERIFY_OK && i < s->n; i++) {
		if (run_step(r, s->items[i], why, sizeof why) != 0)
			rc = verify_error(l, line, VERIFY_BAD_LESSON, err,
			    errlen, "schedule '%s', item %zu: %s",
			    s->name != NULL ? s->name : "of the demo", i + 1,
			    why);
	}
	run_finish(r);
	run_free(r);
	return rc;
}

/* The lesson's named schedule: it exists, it reads, and it replays. */
static enum verify_result
verify_schedule(
    const struct lesson *l, const char *const *dirs, char *err, size_t errlen)
{
	enum verify_result rc;
	struct schedule s;
	char spec[256], msg[1024];

	if (l->schedule == NULL)
		return VERIFY_OK;
	if (verify_free_only(l->module))
		return verify_error(l, l->schedule_line, VERIFY_BAD_LESSON, err,
		    errlen,
		    "module %s runs free only, so it cannot follow the "
		    "schedule '%s'",
		    l->module->id, l->schedule);
	snprintf(spec, sizeof spec, "@%s", l->schedule);
	if (schedule_load(spec, dirs, &s, msg, sizeof msg) != SCHEDULE_OK)
		return verify_error(l, l->schedule_line, VERIFY_BAD_LESSON, err,
		    errlen, "%s", msg);
	rc = verify_replay(l, &s, l->schedule_line, err, errlen);
	schedule_free(&s);
	return rc;
}

/* The lesson's demo: its steps load, and they replay. */
static enum verify_result
verify_demo(
    const struct lesson *l, const char *const *dirs, char *err, size_t errlen)
{
	enum verify_result rc;
	struct schedule s;

	if (l->demo.line == 0)
		return VERIFY_OK;
	if (verify_free_only(l->module))
		return verify_error(l, l->demo.line, VERIFY_BAD_LESSON, err,
		    errlen, "module %s runs free only, so it has no demo",
		    l->module->id);
	if (lesson_demo_load(l, dirs, &s, err, errlen) != SCHEDULE_OK)
		return VERIFY_BAD_LESSON;
	rc = verify_replay(l, &s, l->demo.schedule_line, err, errlen);
	schedule_free(&s);
	return rc;
}

enum verify_result
verify_lesson(
    const struct lesson *l, const char *const *dirs, char *err, size_t errlen)
{
	enum verify_result rc;

	if ((rc = verify_lesson_params(l, 1, err, errlen)) != VERIFY_OK ||
	    (rc = verify_schedule(l, dirs, err, errlen)) != VERIFY_OK)
		return rc;
	return verify_demo(l, dirs, err, errlen);
}
