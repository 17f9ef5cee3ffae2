#include "bench_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

void
bench_defaults(const struct lesson_module *mod, long *params)
{
	size_t i;

	memset(params, 0, MODULE_MAX_PARAMS * sizeof *params);
	for (i = 0; i < mod->nparams; i++)
		params[i] = mod->params[i].def;
}

struct run *
bench_free_run(const struct run_config *cfg, const char *who)
{
	struct run *r;
	char err[256];

	if ((r = run_new(cfg, err, sizeof err)) == NULL) {
		fprintf(stderr, "%s: %s\n", who, err);
		exit(1);
	}
	if (run_start(r) != 0) {
		fprintf(stderr, "%s: cannot start the threads\n", who);
		exit(1);
	}
	run_wait_free(r);
	run_finish(r);
	return r;
}

double
bench_now_ms(void)
{
	return (double)clock_now_ns() / 1e6;
}

static int
bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

double
bench_median(const double *v, int n)
{
	double *s, m;

	if (n <= 0)
		return 0;
	s = xmalloc((size_t)n * sizeof *s);
	memcpy(s, v, (size_t)n * sizeof *s);
	qsort(s, (size_t)n, sizeof *s, bench_cmp_double);
	m = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
	free(s);
	return m;
}

int
bench_param(const struct lesson_module *mod, const char *who, const char *name)
{
	int i = module_param_index(mod, name);

	if (i < 0) {
		fprintf(stderr, "%s: %s has no %s\n", who, mod->id, name);
		exit(1);
	}
	return i;
}

long
bench_value(
    const struct lesson_module *mod, const char *who, int i, const char *name)
{
	long v;

	if (module_param_parse(&mod->params[i], name, strlen(name), &v) != 0) {
		fprintf(stderr, "%s: %s has no value %s\n", who,
		    mod->params[i].name, name);
		exit(1);
	}
	return v;
}

const char *
bench_verdict(int ok)
{
	return ok ? "PASS" : "FAIL";
}
