#include "bench_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
