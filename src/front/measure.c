/*
 * Headless runs of a measuring lesson (io-vs-cpu): the baseline mode and
 * the chosen one (or every mode) run one after the other in this process,
 * free, and the output compares them: the chosen run's timelines, the
 * kernel's view of each worker, a results table, a bar chart of the wall
 * times, then one result line per mode.
 */
#include "config.h"

#include "measure.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conductor.h"
#include "evq.h"
#include "exit.h"
#include "grid.h"
#include "result.h"
#include "run.h"
#include "sampler.h"
#include "screen.h"
#include "trace_file.h"
#include "util.h"
#include "view_timeline.h"

void
measure_plan(struct measure_set *ms, const struct lesson_module *mod,
    const struct lesson_plan *pl, long chosen)
{
	int i;

	memset(ms, 0, sizeof *ms);
	ms->mod = mod;
	ms->plan = pl;
	ms->cores = sampler_cpus();
	if (chosen == pl->all_value) {
		for (i = 0;
		     pl->values[i] >= 0 && ms->nmodes < MEASURE_MAX_MODES; i++)
			ms->modes[ms->nmodes++] = pl->values[i];
		return;
	}
	if (chosen != pl->baseline)
		ms->modes[ms->nmodes++] = pl->baseline;
	ms->modes[ms->nmodes++] = chosen;
}

int
measure_plan_for(
    struct measure_set *ms, const struct lesson_module *mod, const long *params)
{
	const struct lesson_plan *pl = module_plan_for(mod, params);

	if (pl == NULL)
		return -1;
	measure_plan(ms, mod, pl, params[pl->param]);
	return 0;
}

int
measure_next(const struct measure_set *ms, const long *params, long *out)
{
	if (ms->n >= ms->nmodes)
		return -1;
	memcpy(out, params, MODULE_MAX_PARAMS * sizeof *out);
	out[ms->plan->param] = ms->modes[ms->n];
	return 0;
}

const char *
measure_mode_name(const struct measure_set *ms, int i)
{
	const struct param_def *pd = &ms->mod->params[ms->plan->param];
	const char *name = module_param_name(pd, ms->modes[i]);

	return name != NULL ? name : "?";
}

/* The best speedup over the baseline that run r could have: the plan's
 * own ideal, or every task at once, but CPU-bound work only on the
 * cores. */
static int
measure_ideal(
    const struct measure_set *ms, const struct run *r, const struct measured *m)
{
	const struct lesson_plan *pl = ms->plan;
	const char *bound;
	int tasks, ideal;

	if (m->mode == pl->baseline)
		return 1;
	if (pl->ideal != NULL)
		return pl->ideal(r->cfg.params, ms->cores);
	if (pl->tasks == NULL)
		return 0;
	tasks = (int)result_number(&m->result, pl->tasks, -1);
	ideal = m->workers < tasks ? m->workers : tasks;
	bound = result_word_of(&m->result, pl->bound_key);
	if (bound != NULL && strcmp(bound, pl->bound_word) == 0 &&
	    ideal > ms->cores)
		ideal = ms->cores;
	return ideal;
}

void
measure_record(struct measure_set *ms, struct run *r)
{
	const struct lesson_plan *pl = ms->plan;
	struct measured *out;

	if (ms->n >= ms->nmodes)
		return;
	out = &ms->res[ms->n];
	memset(out, 0, sizeof *out);
	out->mode = ms->modes[ms->n];
	snprintf(
	    out->name, sizeof out->name, "%s", measure_mode_name(ms, ms->n));
	result_clear(&out->result);
	ms->mod->result(r, &out->result);
	out->wall_ms = result_number(&out->result, pl->wall_ms, -1);
	out->cpu_ms = pl->cpu_ms != NULL
	    ? result_number(&out->result, pl->cpu_ms, -1)
	    : -1;
	out->workers = r->nthreads;
	out->dropped = evq_dropped(r->q);
	out->ideal = measure_ideal(ms, r, out);
	out->ref_ms =
	    pl->reference_ms != NULL ? pl->reference_ms(r->cfg.params) : 0;
	if (out->mode == pl->baseline)
		ms->base_ms = out->wall_ms;
	ms->n++;
}

double
measure_speedup(const struct measure_set *ms, int i)
{
	if (i >= ms->n || ms->res[i].wall_ms <= 0 || ms->base_ms <= 0)
		return 0;
	return ms->base_ms / ms->res[i].wall_ms;
}

double
measure_cpu_use(const struct measure_set *ms, int i)
{
	if (i >= ms->n || ms->res[i].wall_ms <= 0)
		return 0;
	return ms->res[i].cpu_ms / (ms->res[i].wall_ms * ms->cores);
}

double
measure_vs_base(const struct measure_set *ms, int i, const char *key)
{
	double v, base = -1;
	int k;

	if (i >= ms->n)
		return 0;
	for (k = 0; k < ms->n; k++)
		if (ms->res[k].mode == ms->plan->baseline)
			base = result_number(&ms->res[k].result, key, -1);
	v = result_number(&ms->res[i].result, key, -1);
	return base > 0 && v >= 0 ? v / base : 0;
}

/* Result i's value in column c, as text of the column's width. */
static void
measure_cell(const struct measure_set *ms, int i, const struct plan_column *c,
    char *buf, size_t len)
{
	const struct result *res = &ms->res[i].result;
	double v, d;

	switch (c->kind) {
	case PLAN_COL_WALL:
		snprintf(buf, len, "%*.*f", c->width, c->decimals,
		    ms->res[i].wall_ms);
		return;
	case PLAN_COL_FIELD:
		snprintf(buf, len, "%*.*f", c->width, c->decimals,
		    result_number(res, c->field, 0));
		return;
	case PLAN_COL_OVER:
		v = result_number(res, c->field, -1);
		d = result_number(res, c->over, -1);
		snprintf(buf, len, "%*.2fx", c->width - 1,
		    v >= 0 && d > 0 ? v / d : 0);
		return;
	case PLAN_COL_VS_BASE:
		snprintf(buf, len, "%*.2fx", c->width - 1,
		    measure_vs_base(ms, i, c->field));
		return;
	case PLAN_COL_SPEEDUP:
		snprintf(
		    buf, len, "%*.2fx", c->width - 1, measure_speedup(ms, i));
		return;
	case PLAN_COL_IDEAL:
		snprintf(buf, len, "%*dx", c->width - 1, ms->res[i].ideal);
		return;
	case PLAN_COL_CPU_USE:
		snprintf(buf, len, "%*.0f%%", c->width - 1,
		    100.0 * measure_cpu_use(ms, i));
		return;
	case PLAN_COL_WORKERS:
		snprintf(buf, len, "%*d", c->width, ms->res[i].workers);
		return;
	case PLAN_COL_REF:
		snprintf(buf, len, "%*.*f", c->width, c->decimals,
		    ms->res[i].ref_ms);
		return;
	case PLAN_COL_VS_REF:
		d = ms->res[i].ref_ms;
		snprintf(buf, len, "%*.2fx", c->width - 1,
		    d > 0 ? ms->res[i].wall_ms / d : 0);
		return;
	}
	buf[0] = '\0';
}

void
measure_header(const struct measure_set *ms, char *buf, size_t len)
{
	const struct lesson_plan *pl = ms->plan;
	size_t k, off;

	snprintf(buf, len, "%-11s", ms->mod->params[pl->param].name);
	for (k = 0; k < pl->ncols; k++) {
		off = strlen(buf);
		snprintf(buf + off, len - off, " %*s", pl->cols[k].width,
		    pl->cols[k].head);
	}
}

void
measure_row(const struct measure_set *ms, int i, char *buf, size_t len)
{
	const struct lesson_plan *pl = ms->plan;
	char cell[64];
	size_t k, off;

	snprintf(buf, len, "%-11s", ms->res[i].name);
	for (k = 0; k < pl->ncols; k++) {
		measure_cell(ms, i, &pl->cols[k], cell, sizeof cell);
		off = strlen(buf);
		snprintf(buf + off, len - off, " %s", cell);
	}
}

int
measure_bar(const struct measure_set *ms, int i, int w)
{
	double most = 0;
	int k;

	for (k = 0; k < ms->n; k++)
		if (ms->res[k].wall_ms > most)
			most = ms->res[k].wall_ms;
	if (i >= ms->n || most <= 0)
		return 0;
	return (int)(w * ms->res[i].wall_ms / most + 0.5);
}

uint64_t
measure_estimate_ms(const struct measure_set *ms, const long *params)
{
	long p[MODULE_MAX_PARAMS];
	uint64_t total = 0;
	int i;

	if (ms->mod->estimate_ms == NULL)
		return 0;
	memcpy(p, params, sizeof p);
	for (i = 0; i < ms->nmodes; i++) {
		p[ms->plan->param] = ms->modes[i];
		total += ms->mod->estimate_ms(p, 0);
	}
	return total;
}

/* The report of a plan: the heading, the chosen run's lanes (the
 * workers' own reports) and the results table, through the same panels
 * and layout as the screen, and the kernel's view of that run. */
static void
print_report(FILE *f, const struct headless_args *a,
    const struct measure_set *ms, const struct run *shown)
{
	char heading[256], run_line[128];
	struct screen_report rep = {heading, run_line, NULL, 0, 0};
	int pids[CONDUCTOR_MAX_THREADS];
	struct screen scr;

	snprintf(
	    heading, sizeof heading, "%s: %s", a->lesson->id, a->lesson->title);
	snprintf(run_line, sizeof run_line,
	    "%s with %d workers, as the workers report it:",
	    ms->res[ms->n - 1].name, ms->res[ms->n - 1].workers);
	memset(&scr, 0, sizeof scr);
	scr.lesson = a->lesson;
	scr.params = a->params;
	scr.model = shown->m;
	scr.glyphs = a->ascii ? &glyphs_ascii : &glyphs_utf8;
	scr.pids = run_lane_pids(shown, pids) ? pids : NULL;
	scr.meas = ms;
	rep.kernel = atomic_load(&shown->os_unavailable) ? -1 : 1;
	scr.report = &rep;
	screen_print(f, &scr, HEADLESS_WIDTH, a->ascii);
}

/* One free run with params; kept in *keep if keep is not NULL, else
 * freed. 0, or an exit status with a message. */
static int
measure_run(const struct headless_args *a, struct measure_set *ms,
    const long *params, struct run **keep)
{
	const struct lesson_module *mod = a->lesson->module;
	struct run_config cfg;
	struct run *r;
	char err[256];

	run_config_for(&cfg, mod, params, POLICY_FREE, a->seed);
	cfg.trace = a->trace != NULL;
	if ((r = run_new(&cfg, err, sizeof err)) == NULL) {
		fprintf(stderr, "interleave: %s\n", err);
		return EXIT_SOFTWARE; /* the lesson was checked: the program failed */
	}
	if (run_start(r) != 0) {
		fprintf(
		    stderr, "interleave: cannot start the worker threads\n");
		run_free(r);
		return EXIT_SOFTWARE;
	}
	run_wait_free(r);
	run_finish(r);
	measure_record(ms, r);
	/* each run of the plan is one process of the trace */
	trace_file_add(
	    a->trace, a->lesson, r, measure_mode_name(ms, ms->n - 1));
	if (keep != NULL)
		*keep = r;
	else
		run_free(r);
	return 0;
}

/* The result line: the module's pairs with the comparison after the wall
 * time, and dropped last. */
static void
print_result(FILE *f, const struct measure_set *ms, int i)
{
	const struct measured *m = &ms->res[i];
	const struct lesson_plan *pl = ms->plan;
	struct result line;
	char base[RESULT_KEY_MAX + 8], text[1024];
	size_t k;

	snprintf(base, sizeof base, "%s_ms",
	    module_param_name(&ms->mod->params[pl->param], pl->baseline));
	result_clear(&line);
	for (k = 0; k < m->result.n; k++) {
		result_put(&line, &m->result.f[k]);
		if (!pl->compare_pairs ||
		    strcmp(m->result.f[k].key, pl->wall_ms) != 0)
			continue;
		result_real(&line, base, ms->base_ms, 1);
		result_real(&line, "speedup", measure_speedup(ms, i), 2);
		result_int(&line, "ideal", m->ideal);
		result_int(&line, "cores", ms->cores);
		result_real(&line, "cpu_util", measure_cpu_use(ms, i), 2);
	}
	result_int(&line, "dropped", (int64_t)m->dropped);
	result_format(&line, text, sizeof text);
	fprintf(f, "result: %s\n", text);
}

int
measure_main(const struct headless_args *a)
{
	const struct lesson_module *mod = a->lesson->module;
	struct measure_set ms;
	long params[MODULE_MAX_PARAMS];
	long chosen;
	char what[64];
	struct run *shown = NULL;
	int i, rc;
	FILE *f = a->out;

	if (measure_plan_for(&ms, mod, a->params) != 0)
		return headless_main(a); /* not a plan: one run */
	chosen = a->params[ms.plan->param];
	/* what measures: the lesson, or the plan's value */
	if (module_free_only(mod))
		snprintf(what, sizeof what, "%s", a->lesson->id);
	else
		snprintf(what, sizeof what, "%s=%s",
		    mod->params[ms.plan->param].name,
		    module_param_name(&mod->params[ms.plan->param], chosen));
	if (a->policy != POLICY_FREE && a->policy != POLICY_RANDOM) {
		fprintf(stderr,
		    "interleave: %s measures real time, so it runs "
		    "with --policy free only\n",
		    what);
		return EXIT_USAGE;
	}
	if (a->schedule != NULL) {
		fprintf(stderr,
		    "interleave: %s takes no schedule: the "
		    "operating system schedules it\n",
		    what);
		return EXIT_USAGE;
	}
	if (measure_estimate_ms(&ms, a->params) >= 60000) {
		char took[32];

		screen_duration(
		    measure_estimate_ms(&ms, a->params), took, sizeof took);
		fprintf(stderr,
		    "interleave: these runs will take about %s; Ctrl-C stops "
		    "them\n",
		    took);
	}
	while (measure_next(&ms, a->params, params) == 0) {
		/* the last run is the one drawn */
		run_free(shown);
		shown = NULL;
		if ((rc = measure_run(a, &ms, params,
		         ms.n == ms.nmodes - 1 ? &shown : NULL)) != 0)
			return rc;
	}
	/* every plan has a run, and the loop keeps the last */
	print_report(f, a, &ms, shown);
	run_free(shown);
	fputc('\n', f);
	for (i = 0; i < ms.n; i++)
		if (chosen == ms.plan->all_value || i == ms.n - 1)
			print_result(f, &ms, i);
	return 0;
}
