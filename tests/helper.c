/* What many test files need: data, golden files and whole runs. */
#include "helper.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "lesson.h"
#include "module.h"
#include "result.h"
#include "run.h"

const char *
test_srcdir(void)
{
	const char *d = getenv("top_srcdir");

	return d != NULL && *d != '\0' ? d : ".";
}

/* Read a whole file into a new string, or NULL. */
char *
test_slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	if (fread(buf, 1, (size_t)n, f) != (size_t)n)
		n = 0;
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* Compare text with tests/data/golden/NAME; UPDATE_GOLDEN=1 rewrites it. */
void
test_check_golden(const char *name, const char *text)
{
	char path[4096];
	char *want;

	snprintf(
	    path, sizeof path, "%s/tests/data/golden/%s", test_srcdir(), name);
	if (getenv("UPDATE_GOLDEN") != NULL) {
		FILE *f = fopen(path, "wb");
		ck_assert_ptr_nonnull(f);
		fputs(text, f);
		fclose(f);
	}
	want = test_slurp(path);
	ck_assert_msg(want != NULL, "missing golden file %s", path);
	ck_assert_msg(strcmp(want, text) == 0,
	    "%s differs:\n--- got\n%s--- want\n%s", name, text, want);
	free(want);
}

struct lesson *
test_lesson(const char *id)
{
	char path[4096], err[512];
	struct lesson *l;

	snprintf(path, sizeof path, "%s/lessons/%s.md", test_srcdir(), id);
	l = lesson_load(path, err, sizeof err);
	ck_assert_msg(l != NULL, "%s", err);
	return l;
}

const struct lesson_module *
th_module(const char *id)
{
	const struct lesson_module *mod = module_find(id);

	ck_assert_msg(mod != NULL, "no module %s", id);
	return mod;
}

/* Set one "name=value" pair (len bytes at s) of mod's parameters. */
static void
th_param(
    const struct lesson_module *mod, long *params, const char *s, size_t len)
{
	const char *eq = memchr(s, '=', len);
	char name[64];
	int i;

	ck_assert_msg(eq != NULL && (size_t)(eq - s) < sizeof name,
	    "not name=value: %.*s", (int)len, s);
	memcpy(name, s, (size_t)(eq - s));
	name[eq - s] = '\0';
	i = module_param_index(mod, name);
	ck_assert_msg(i >= 0, "%s has no parameter %s", mod->id, name);
	ck_assert_msg(module_param_parse(&mod->params[i], eq + 1,
	                  len - (size_t)(eq - s) - 1, &params[i]) == 0,
	    "bad value: %.*s", (int)len, s);
}

void
th_config(struct run_config *cfg, const struct lesson_module *mod,
    const char *params, enum policy policy)
{
	size_t i, n;

	memset(cfg, 0, sizeof *cfg);
	cfg->module = mod;
	cfg->policy = policy;
	for (i = 0; i < mod->nparams; i++)
		cfg->params[i] = mod->params[i].def;
	while (params != NULL && *params != '\0') {
		params += strspn(params, " ");
		if ((n = strcspn(params, " ")) > 0)
			th_param(mod, cfg->params, params, n);
		params += n;
	}
}

struct run *
th_start(const struct run_config *cfg)
{
	struct run *r;
	char err[256];

	r = run_new(cfg, err, sizeof err);
	ck_assert_msg(r != NULL, "%s", err);
	ck_assert_int_eq(run_start(r), 0);
	return r;
}

struct run *
th_run(const char *lesson, const char *params, const char *schedule)
{
	struct run_config cfg;
	struct run *r;
	char why[256], *end;
	long t;

	th_config(&cfg, th_module(lesson), params,
	    schedule == NULL ? POLICY_FREE : POLICY_STEP);
	r = th_start(&cfg);
	while (schedule != NULL && *schedule != '\0') {
		t = strtol(schedule, &end, 10);
		ck_assert_msg(end != schedule, "bad schedule at %s", schedule);
		ck_assert_msg(run_step(r, (int)t - 1, why, sizeof why) == 0,
		    "step %ld: %s", t, why);
		schedule = end + (*end == ',');
	}
	return r;
}

void
th_wait_done(struct run *r)
{
	char why[256];
	int t;

	if (r->cfg.policy == POLICY_FREE)
		run_wait_free(r);
	while (r->cfg.policy != POLICY_FREE && !conductor_all_done(r->c) &&
	    (t = conductor_lowest_runnable(r->c)) >= 0)
		ck_assert_msg(run_step(r, t, why, sizeof why) == 0, "%s", why);
	run_finish(r);
}

const char *
th_result(struct run *r, char *buf, size_t len)
{
	ck_assert_msg(r->joined, "the run has not finished");
	run_verdict(r, buf, len);
	return buf;
}

/* The field called key of the run's structured result; fails the test
 * if there is none. */
static struct result_field
th_field(struct run *r, const char *key)
{
	const struct result_field *f;
	struct result res;

	ck_assert_msg(r->joined, "the run has not finished");
	run_result(r, &res);
	f = result_find(&res, key);
	ck_assert_msg(f != NULL, "no %s in the result", key);
	return *f;
}

const char *
th_result_text(struct run *r, const char *key, char *buf, size_t len)
{
	struct result_field f = th_field(r, key);

	result_field_text(&f, buf, len);
	return buf;
}

long long
th_verdict_value(struct run *r, const char *key)
{
	struct result_field f = th_field(r, key);

	ck_assert_msg(f.type == RESULT_INT, "%s is not a whole number", key);
	return (long long)f.i;
}
