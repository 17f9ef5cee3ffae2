/* --explore on stdout (see explore_text.h). */
#include "explore_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exit.h"
#include "glyphs.h"
#include "result.h"
#include "say.h"
#include "screen_explore.h"
#include "util.h"

#define EXPLORE_BAR_WIDTH 30
#define PROGRESS_AFTER_NS 1000000000ULL
#define PROGRESS_EVERY_NS 500000000ULL

void
explore_result_line(const struct explore *x, char *buf, size_t len)
{
	enum explore_strategy s = x->cfg.strategy;
	size_t off = 0;
	int i;

#define PUT(...)                                                               \
	do {                                                                   \
		if (off < len)                                                 \
			off += (size_t)snprintf(                               \
			    buf + off, len - off, __VA_ARGS__);                \
	} while (0)
	PUT("strategy=%s", explore_strategy_name(s));
	if (s == EXPLORE_DPOR)
		PUT(" runs=%llu blocked=%llu", (unsigned long long)x->runs,
		    (unsigned long long)x->blocked);
	PUT(" schedules=%llu", (unsigned long long)x->schedules);
	if (s == EXPLORE_ALL)
		PUT(" shared=%llu", (unsigned long long)x->shared);
	PUT(" classes=%llu", (unsigned long long)x->classes);
	PUT(" complete=%s", x->complete ? "yes" : "no");
	if (!x->complete && (s == EXPLORE_ALL || s == EXPLORE_DPOR))
		PUT(" estimate=%.0f", x->estimate);
	if (x->cut > 0)
		PUT(" cut=%llu", (unsigned long long)x->cut);
	if (x->cfg.max_preemptions >= 0)
		PUT(" max_preemptions=%ld", x->cfg.max_preemptions);
	if (s == EXPLORE_RANDOM || s == EXPLORE_PCT)
		PUT(" seed=%llu", (unsigned long long)x->cfg.seed);
	if (s == EXPLORE_PCT)
		PUT(" depth=%d", x->cfg.depth);
	for (i = 0; i < x->nout; i++)
		PUT(" outcome.%s.%s=%llu", x->out[i].o.key, x->out[i].o.value,
		    (unsigned long long)x->out[i].schedules);
	for (i = 0; i < x->nout; i++)
		PUT(" classes.%s.%s=%llu", x->out[i].o.key, x->out[i].o.value,
		    (unsigned long long)x->out[i].classes);
	if (x->first_failure > 0)
		PUT(" first_failure=%llu",
		    (unsigned long long)x->first_failure);
	else
		PUT(" first_failure=none");
#undef PUT
}

/* The histogram: a bar per outcome, by schedules, with its classes. */
static void
explore_histogram(FILE *f, const struct explore *x, const struct glyphs *g)
{
	uint64_t most = 1;
	int i, k, n;

	for (i = 0; i < x->nout; i++)
		if (x->out[i].schedules > most)
			most = x->out[i].schedules;
	for (i = 0; i < x->nout; i++) {
		const struct explore_outcome *e = &x->out[i];
		char label[2 * OUTCOME_WORD_MAX + 2];

		snprintf(label, sizeof label, "%s=%s", e->o.key, e->o.value);
		n = (int)((e->schedules * EXPLORE_BAR_WIDTH + most - 1) / most);
		fprintf(f, "  %-14s %9llu %-9s ", label,
		    (unsigned long long)e->schedules,
		    e->schedules == 1 ? "schedule" : "schedules");
		for (k = 0; k < n; k++)
			fputs(g->bar, f);
		fprintf(f, "%*s %llu class%s%s\n", EXPLORE_BAR_WIDTH - n, "",
		    (unsigned long long)e->classes, e->classes == 1 ? "" : "es",
		    e->failure ? "  (failure)" : "");
	}
}

/* What was explored, in a sentence. */
static void
explore_summary(FILE *f, const struct explore *x)
{
	switch (x->cfg.strategy) {
	case EXPLORE_ALL:
		fprintf(f,
		    "%s: %llu schedules, %llu shared-access orders, %llu "
		    "classes\n",
		    x->complete ? "every schedule" : "schedules so far",
		    (unsigned long long)x->schedules,
		    (unsigned long long)x->shared,
		    (unsigned long long)x->classes);
		break;
	case EXPLORE_DPOR:
		fprintf(f,
		    "partial-order reduction: %llu runs, one for each of %llu "
		    "classes, and %llu cut short by a sleep set\n",
		    (unsigned long long)x->runs, (unsigned long long)x->classes,
		    (unsigned long long)x->blocked);
		break;
	default:
		fprintf(f,
		    "%s: %llu schedules, %llu distinct classes among them\n",
		    explore_strategy_name(x->cfg.strategy),
		    (unsigned long long)x->schedules,
		    (unsigned long long)x->classes);
		break;
	}
	if (!x->complete &&
	    (x->cfg.strategy == EXPLORE_ALL ||
	        x->cfg.strategy == EXPLORE_DPOR)) {
		double rate = x->elapsed_ns > 0
		    ? (double)x->runs * 1e9 / (double)x->elapsed_ns
		    : 0;
		double left = x->estimate > (double)x->runs
		    ? x->estimate - (double)x->runs
		    : 0;

		fprintf(f,
		    "stopped before the end: about %.0f runs in all, about "
		    "%.1f s more at this speed\n",
		    x->estimate, rate > 0 ? left / rate : 0);
	}
	if (x->cut > 0)
		fprintf(f, "%llu runs were cut at %ld steps\n",
		    (unsigned long long)x->cut, x->cfg.max_steps);
}

/* On a terminal, from a second after the start, twice a second: how far
 * the exploration has got, on stderr. */
struct explore_meter {
	uint64_t next_ns;
	int shown;
};

static void
explore_meter_tick(void *ctx, const struct explore *x)
{
	struct explore_meter *m = ctx;
	double rate, left;

	if (x->elapsed_ns < m->next_ns || !isatty(STDERR_FILENO))
		return;
	m->next_ns = x->elapsed_ns + PROGRESS_EVERY_NS;
	rate = (double)x->runs * 1e9 / (double)x->elapsed_ns;
	left =
	    x->estimate > (double)x->runs ? x->estimate - (double)x->runs : 0;
	fprintf(stderr,
	    "\rinterleave: exploring: %llu of about %.0f runs, about %.0f s "
	    "to go\033[K",
	    (unsigned long long)x->runs, x->estimate, left / rate);
	fflush(stderr);
	m->shown = 1;
}

/* Run one strategy and print it all; 0 or an exit status. */
static int
explore_one(
    const struct explore_args *a, int strategy, struct explore *x, int quiet)
{
	struct explore_config cfg;
	struct explore_meter meter = {PROGRESS_AFTER_NS, 0};
	const struct glyphs *g = a->ascii ? &glyphs_ascii : &glyphs_utf8;
	char err[512], line[4096];
	int i, rc;

	memset(&cfg, 0, sizeof cfg);
	cfg.module = a->lesson->module;
	memcpy(cfg.params, a->params, sizeof cfg.params);
	cfg.strategy = (enum explore_strategy)strategy;
	cfg.max_preemptions = a->max_preemptions;
	cfg.max_schedules = a->max_schedules;
	cfg.seed = a->seed;
	cfg.depth = a->depth > 0 ? a->depth : 3;
	if (explore_init(x, &cfg, err, sizeof err) != 0) {
		say("%s", err);
		explore_free(x);
		return EXIT_USAGE;
	}
	x->cfg.progress = explore_meter_tick;
	x->cfg.progress_ctx = &meter;
	rc = explore_run(x, err, sizeof err);
	if (meter.shown)
		fputs("\r\033[K", stderr);
	if (rc != 0) {
		say("%s", err);
		explore_free(x);
		return EXIT_SOFTWARE;
	}
	fprintf(stderr,
	    "interleave: explored %llu runs in %.3f s (%.0f runs/s)\n",
	    (unsigned long long)x->runs, (double)x->elapsed_ns / 1e9,
	    x->elapsed_ns > 0 ? (double)x->runs * 1e9 / (double)x->elapsed_ns
	                      : 0);
	if (quiet)
		return 0;
	explore_summary(a->out, x);
	fputc('\n', a->out);
	explore_histogram(a->out, x, g);
	fputc('\n', a->out);
	for (i = 0; i < x->nout; i++) {
		char *w = explore_witness_text(x, i);

		fprintf(a->out, "witness %s=%s: --schedule %s\n",
		    x->out[i].o.key, x->out[i].o.value, w);
		free(w);
	}
	if (x->first_failure > 0)
		fprintf(a->out, "first failure at run %llu\n",
		    (unsigned long long)x->first_failure);
	explore_result_line(x, line, sizeof line);
	fprintf(a->out, "result: %s\n", line);
	return 0;
}

/* Every strategy on the same lesson, side by side. */
static int
explore_compare(const struct explore_args *a)
{
	struct explore x[EXPLORE_STRATEGIES];
	char line[4096];
	int s, rc, n;

	for (s = 0; s < EXPLORE_STRATEGIES; s++)
		if ((rc = explore_one(a, s, &x[s], 1)) != 0) {
			while (s-- > 0)
				explore_free(&x[s]);
			return rc;
		}
	fprintf(a->out, "%-8s %10s %9s %9s  %s\n", "strategy", "runs",
	    "classes", "outcomes", "first failure");
	for (s = 0; s < EXPLORE_STRATEGIES; s++) {
		n = x[s].nout;
		if (x[s].first_failure > 0)
			snprintf(line, sizeof line, "at run %llu",
			    (unsigned long long)x[s].first_failure);
		else
			snprintf(line, sizeof line, "none found");
		fprintf(a->out, "%-8s %10llu %9llu %9d  %s\n",
		    explore_strategy_name((enum explore_strategy)s),
		    (unsigned long long)x[s].runs,
		    (unsigned long long)x[s].classes, n, line);
	}
	for (s = 0; s < EXPLORE_STRATEGIES; s++) {
		explore_result_line(&x[s], line, sizeof line);
		fprintf(a->out, "result: %s\n", line);
		explore_free(&x[s]);
	}
	return 0;
}

int
explore_main(const struct explore_args *a)
{
	struct explore x;
	char params[1024];
	int rc;

	screen_params_text(a->lesson->module, a->params, params, sizeof params);
	fprintf(a->out, "explore: %s (%s), strategy %s\n",
	    a->lesson->module->id, params,
	    a->strategy == EXPLORE_COMPARE
	        ? "compare"
	        : explore_strategy_name((enum explore_strategy)a->strategy));
	if (a->strategy == EXPLORE_COMPARE)
		return explore_compare(a);
	rc = explore_one(a, a->strategy, &x, 0);
	if (rc == 0)
		explore_free(&x);
	return rc;
}
