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

#include "evq.h"
#include "grid.h"
#include "run.h"
#include "sampler.h"
#include "util.h"
#include "view_timeline.h"

#define MEASURE_MAX_MODES 8
#define BAR_W             40

struct measured {
	long mode;
	char verdict[512];
	double wall_ms;
	double cpu_ms;
	int workers;
	int ideal;
	uint64_t dropped;
};

/* The number after "key=" in a verdict, or -1. */
static double
verdict_number(const char *v, const char *key)
{
	char pat[64];
	const char *p;

	snprintf(pat, sizeof pat, " %s=", key);
	if (strncmp(v, pat + 1, strlen(pat + 1)) == 0)
		p = v + strlen(pat + 1);
	else if ((p = strstr(v, pat)) != NULL)
		p += strlen(pat);
	else
		return -1;
	return strtod(p, NULL);
}

/* The mode word of a verdict ("threads"). */
static void
mode_word(const char *verdict, char *buf, size_t len)
{
	const char *p = strstr(verdict, "mode=");
	size_t n;

	if (p == NULL) {
		snprintf(buf, len, "?");
		return;
	}
	p += 5;
	n = strcspn(p, " ");
	snprintf(buf, len, "%.*s", (int)n, p);
}

/* Print the kernel's view of each worker of a finished run. */
static void
print_kernel_view(FILE *f, const struct run *r)
{
	const struct model *m = r->m;
	int t, any = 0;

	for (t = 0; t < m->nthreads; t++)
		any |= m->threads[t].os_samples > 0;
	if (!any) {
		fprintf(f,
		    "kernel data unavailable: /proc/self/task could not "
		    "be read; the lanes show the workers' own "
		    "reports\n");
		return;
	}
	fprintf(f, "the kernel's view (/proc/PID/task/TID/schedstat):\n");
	for (t = 0; t < m->nthreads; t++) {
		const struct model_thread *th = &m->threads[t];
		uint64_t tot =
		    th->os_run_ns + th->os_wait_ns + th->os_blocked_ns;
		char who[32];
		int pid;

		if (tot == 0) {
			fprintf(f,
			    "  %2d %c  no samples (it ended within one "
			    "interval)\n",
			    t + 1, view_timeline_thread_letter(t));
			continue;
		}
		pid = atomic_load(&r->workers[t].os_pid);
		if (pid != 0)
			snprintf(who, sizeof who, "pid %d", pid);
		else
			snprintf(who, sizeof who, "thread");
		fprintf(f,
		    "  %2d %c  %-9s running %3.0f%%  waiting for a CPU %3.0f%% "
		    " "
		    "blocked %3.0f%%  last CPU %d\n",
		    t + 1, view_timeline_thread_letter(t), who,
		    100.0 * (double)th->os_run_ns / (double)tot,
		    100.0 * (double)th->os_wait_ns / (double)tot,
		    100.0 * (double)th->os_blocked_ns / (double)tot,
		    th->os_cpu);
	}
}

/* The chosen run's lanes: the workers' own reports. */
static void
print_lanes(FILE *f, const struct run *r, int ascii)
{
	const struct glyphs *gl = ascii ? &glyphs_ascii : &glyphs_utf8;
	struct timeline_view v;
	struct grid *g = grid_new(80, r->m->nthreads + 4);
	int y;

	view_timeline_fit(&v, r->m, 80 - VIEW_TIMELINE_LABEL, 1);
	v.glyphs = gl;
	y = view_timeline_draw(g, 0, 0, 80, r->m, &v);
	y += view_timeline_legend(g, 0, y, 80, gl);
	g->h = y;
	grid_write_text(g, f, ascii);
	grid_free(g);
}

static void
print_table(FILE *f, const struct measured *ms, int n, double base, int cores,
    int ascii)
{
	double most = 0;
	int i, j;

	fprintf(f, "\n%-11s %7s %10s %8s %6s %8s\n", "mode", "workers",
	    "wall ms", "speedup", "ideal", "CPU use");
	for (i = 0; i < n; i++) {
		char mode[32];

		mode_word(ms[i].verdict, mode, sizeof mode);
		fprintf(f, "%-11s %7d %10.1f %7.2fx %5dx %7.0f%%\n", mode,
		    ms[i].workers, ms[i].wall_ms,
		    ms[i].wall_ms > 0 ? base / ms[i].wall_ms : 0, ms[i].ideal,
		    ms[i].wall_ms > 0
		        ? 100.0 * ms[i].cpu_ms / (ms[i].wall_ms * cores)
		        : 0);
		if (ms[i].wall_ms > most)
			most = ms[i].wall_ms;
	}
	fputc('\n', f);
	for (i = 0; i < n; i++) {
		char mode[32];
		int w =
		    most > 0 ? (int)(BAR_W * ms[i].wall_ms / most + 0.5) : 0;

		mode_word(ms[i].verdict, mode, sizeof mode);
		fprintf(f, "%-11s ", mode);
		for (j = 0; j < w; j++)
			fputs(ascii ? "#" : "\xe2\x96\x88", f);
		fprintf(f, "%s%.0f ms\n", w > 0 ? " " : "", ms[i].wall_ms);
	}
}

/* One free run with params; fills out. 0, or 65 with a message. */
static int
measure_run(const struct headless_args *a, const long *params,
    struct measured *out, struct run **keep)
{
	const struct lesson_module *mod = a->lesson->module;
	struct run_config cfg;
	struct run *r;
	char err[256];
	int cores = sampler_cpus(), tasks;

	memset(&cfg, 0, sizeof cfg);
	cfg.module = mod;
	memcpy(cfg.params, params, sizeof cfg.params);
	cfg.policy = POLICY_FREE;
	cfg.seed = a->seed;
	cfg.sample_ms = mod->sample_ms != NULL ? mod->sample_ms(params) : 0;
	if ((r = run_new(&cfg, err, sizeof err)) == NULL) {
		fprintf(stderr, "interleave: %s\n", err);
		return 65;
	}
	if (run_start(r) != 0) {
		fprintf(
		    stderr, "interleave: cannot start the worker threads\n");
		run_free(r);
		return 1;
	}
	run_wait_free(r);
	run_finish(r);
	memset(out, 0, sizeof *out);
	out->mode = params[mod->measure.mode_param];
	mod->verdict(r, out->verdict, sizeof out->verdict);
	out->wall_ms = verdict_number(out->verdict, "wall_ms");
	out->cpu_ms = verdict_number(out->verdict, "cpu_ms");
	out->workers = r->nthreads;
	out->dropped = evq_dropped(r->q);
	tasks = (int)verdict_number(out->verdict, "tasks");
	out->ideal = out->workers < tasks ? out->workers : tasks;
	if (strstr(out->verdict, "kind=cpu") != NULL && out->ideal > cores)
		out->ideal = cores;
	if (out->mode == mod->measure.baseline)
		out->ideal = 1;
	if (keep != NULL && *keep == NULL)
		*keep = r;
	else
		run_free(r);
	return 0;
}

/* The result line: the module's pairs with the comparison after
 * wall_ms, and dropped last. */
static void
print_result(FILE *f, const struct measured *m, double base, int cores)
{
	const char *w = strstr(m->verdict, "wall_ms=");
	size_t head = w != NULL
	    ? (size_t)(strchr(w, ' ') != NULL ? strchr(w, ' ') - m->verdict
	                                      : (long)strlen(m->verdict))
	    : strlen(m->verdict);

	fprintf(f,
	    "result: %.*s sequential_ms=%.1f speedup=%.2f ideal=%d "
	    "cores=%d cpu_util=%.2f%s dropped=%llu\n",
	    (int)head, m->verdict, base, m->wall_ms > 0 ? base / m->wall_ms : 0,
	    m->ideal, cores,
	    m->wall_ms > 0 ? m->cpu_ms / (m->wall_ms * cores) : 0,
	    m->verdict + head, (unsigned long long)m->dropped);
}

int
measure_main(const struct headless_args *a)
{
	const struct lesson_module *mod = a->lesson->module;
	struct measured ms[MEASURE_MAX_MODES];
	long modes[MEASURE_MAX_MODES], params[MODULE_MAX_PARAMS];
	long chosen = a->params[mod->measure.mode_param];
	struct run *shown = NULL;
	int n = 0, i, rc, cores = sampler_cpus();
	double base = 0;
	FILE *f = a->out;

	if (a->policy != POLICY_FREE && a->policy != POLICY_RANDOM) {
		fprintf(stderr,
		    "interleave: %s measures real time, so it runs "
		    "with --policy free only\n",
		    a->lesson->id);
		return 2;
	}
	if (a->schedule != NULL) {
		fprintf(stderr,
		    "interleave: %s takes no schedule: the "
		    "operating system schedules it\n",
		    a->lesson->id);
		return 2;
	}
	if (chosen == mod->measure.all_value) {
		for (i = 0; mod->measure.all[i] >= 0 && n < MEASURE_MAX_MODES;
		     i++)
			modes[n++] = mod->measure.all[i];
	} else {
		if (chosen != mod->measure.baseline)
			modes[n++] = mod->measure.baseline;
		modes[n++] = chosen;
	}
	for (i = 0; i < n; i++) {
		memcpy(params, a->params, sizeof params);
		params[mod->measure.mode_param] = modes[i];
		/* the chosen mode's run (the last) is the one drawn */
		if ((rc = measure_run(
		         a, params, &ms[i], i == n - 1 ? &shown : NULL)) != 0) {
			run_free(shown);
			return rc;
		}
		if (modes[i] == mod->measure.baseline)
			base = ms[i].wall_ms;
	}
	fprintf(f, "%s: %s\n", a->lesson->id, a->lesson->title);
	if (shown != NULL) {
		char mode[32];

		mode_word(ms[n - 1].verdict, mode, sizeof mode);
		fprintf(f, "\n%s with %d workers, as the workers report it:\n",
		    mode, ms[n - 1].workers);
		print_lanes(f, shown, a->ascii);
		fputc('\n', f);
		print_kernel_view(f, shown);
		run_free(shown);
	}
	print_table(f, ms, n, base, cores, a->ascii);
	fputc('\n', f);
	for (i = 0; i < n; i++)
		if (chosen == mod->measure.all_value || i == n - 1)
			print_result(f, &ms[i], base, cores);
	return 0;
}
