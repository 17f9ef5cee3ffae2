/* The module table and its parameters (src/lesson/module.c), and what
 * every module in the table promises: defaults within range, its code,
 * and a run of at least one thread. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "model.h"
#include "module.h"
#include "run.h"
#include "suites.h"
#include "util.h"

static const char *const kind_names[] = {"io", "cpu", NULL};
static const char *const three_names[] = {"a", "b", "c", NULL};
static const char *const one_name[] = {"only", NULL};

static const struct param_def numeric = {"n", 0, -5, 10, "a number", NULL};
static const struct param_def named = {"kind", 0, 0, 1, "a kind", kind_names};

/* How many modules the table has. */
static int
table_len(void)
{
	int n = 0;

	while (module_table[n] != NULL)
		n++;
	return n;
}

START_TEST(test_find)
{
	const struct lesson_module *race = module_find("race");

	ck_assert_ptr_nonnull(race);
	ck_assert_str_eq(race->id, "race");
	ck_assert_str_eq(module_find("io-vs-cpu")->id, "io-vs-cpu");
	ck_assert_ptr_null(module_find(""));
	ck_assert_ptr_null(module_find("Race"));
	ck_assert_ptr_null(module_find("race "));
	ck_assert_ptr_null(module_find("no-such-module"));
}
END_TEST

/* Every module in the table is found by its id, and no two share one. */
START_TEST(test_table_ids)
{
	const struct lesson_module *m = module_table[_i];
	int j;

	ck_assert_ptr_nonnull(m->id);
	ck_assert_ptr_eq(module_find(m->id), m);
	for (j = 0; module_table[j] != NULL; j++)
		if (j != _i)
			ck_assert_str_ne(module_table[j]->id, m->id);
}
END_TEST

START_TEST(test_param_index)
{
	const struct lesson_module *m = module_table[_i];
	size_t i;

	for (i = 0; i < m->nparams; i++)
		ck_assert_int_eq(
		    module_param_index(m, m->params[i].name), (int)i);
	ck_assert_int_eq(module_param_index(m, ""), -1);
	ck_assert_int_eq(module_param_index(m, "no-such-param"), -1);
}
END_TEST

/* module_param_parse: what it takes, and why it refuses the rest. */
static const struct parse_case {
	const struct param_def *d;
	const char *s;
	size_t len; /* 0: strlen(s) */
	int rc;
	long want;
} parse_cases[] = {
    {&numeric, "0", 0, 0, 0},
    {&numeric, "10", 0, 0, 10},
    {&numeric, "-5", 0, 0, -5},
    {&numeric, "+3", 0, 0, 3},
    {&numeric, "007", 0, 0, 7},
    {&numeric, "11", 0, -2, 0},
    {&numeric, "-6", 0, -2, 0},
    {&numeric, "99999999999999999999", 0, -2, 0},
    {&numeric, "1234567890123456789012345678901234567890", 0, -2, 0},
    {&numeric, "", 0, -1, 0},
    {&numeric, "abc", 0, -1, 0},
    {&numeric, "3x", 0, -1, 0},
    {&numeric, " 3", 0, -1, 0},
    {&numeric, "3 ", 0, -1, 0},
    {&numeric, "0x3", 0, -1, 0},
    {&numeric, "-", 0, -1, 0},
    {&named, "io", 0, 0, 0},
    {&named, "cpu", 0, 0, 1},
    {&named, "cpux", 3, 0, 1},
    {&named, "CPU", 0, -1, 0},
    {&named, "c", 0, -1, 0},
    {&named, "cpux", 0, -1, 0},
    {&named, "1", 0, -1, 0},
    {&named, "", 0, -1, 0},
};

START_TEST(test_param_parse)
{
	const struct parse_case *c = &parse_cases[_i];
	size_t len = c->len ? c->len : strlen(c->s);
	long out = 12345;
	int rc;

	rc = module_param_parse(c->d, c->s, len, &out);
	ck_assert_msg(
	    rc == c->rc, "\"%.*s\": %d, want %d", (int)len, c->s, rc, c->rc);
	/* out is untouched on a refusal */
	ck_assert_int_eq(out, c->rc == 0 ? c->want : 12345);
}
END_TEST

/* "12" of "123" is 12: out of range, so -2; with a wider range it is
 * 12, not 123. */
START_TEST(test_param_parse_len)
{
	struct param_def wide = {"w", 0, 0, 1000, "", NULL};
	long out = 0;

	ck_assert_int_eq(module_param_parse(&numeric, "123", 2, &out), -2);
	ck_assert_int_eq(module_param_parse(&wide, "123", 2, &out), 0);
	ck_assert_int_eq(out, 12);
}
END_TEST

START_TEST(test_param_accepts)
{
	struct param_def three = {"t", 0, 0, 2, "", three_names};
	struct param_def one = {"o", 0, 0, 0, "", one_name};
	char buf[64], tiny[5];

	module_param_accepts(&numeric, buf, sizeof buf);
	ck_assert_str_eq(buf, "-5 to 10");
	module_param_accepts(&named, buf, sizeof buf);
	ck_assert_str_eq(buf, "io or cpu");
	module_param_accepts(&three, buf, sizeof buf);
	ck_assert_str_eq(buf, "a, b or c");
	module_param_accepts(&one, buf, sizeof buf);
	ck_assert_str_eq(buf, "only");
	/* a short buffer is cut, never overrun */
	memset(tiny, 'x', sizeof tiny);
	module_param_accepts(&three, tiny, sizeof tiny);
	ck_assert_str_eq(tiny, "a, b");
}
END_TEST

START_TEST(test_param_name)
{
	ck_assert_str_eq(module_param_name(&named, 0), "io");
	ck_assert_str_eq(module_param_name(&named, 1), "cpu");
	ck_assert_ptr_null(module_param_name(&named, 2));
	ck_assert_ptr_null(module_param_name(&named, -1));
	ck_assert_ptr_null(module_param_name(&numeric, 0));
}
END_TEST

/* Write parameter d's default as a --set value would give it. */
static void
def_text(const struct param_def *d, char *buf, size_t len)
{
	if (d->names != NULL)
		snprintf(buf, len, "%s", module_param_name(d, d->def));
	else
		snprintf(buf, len, "%ld", d->def);
}

/* Every parameter of every module: a unique name, help, a default
 * within min..max that reads back as itself, and for a named one,
 * exactly one value per name. */
START_TEST(test_table_params)
{
	const struct lesson_module *m = module_table[_i];
	char text[64];
	size_t i, j, n;
	long back;

	ck_assert_uint_le(m->nparams, MODULE_MAX_PARAMS);
	for (i = 0; i < m->nparams; i++) {
		const struct param_def *d = &m->params[i];

		ck_assert_ptr_nonnull(d->name);
		ck_assert_ptr_nonnull(d->help);
		for (j = 0; j < i; j++)
			ck_assert_str_ne(m->params[j].name, d->name);
		ck_assert_msg(d->min <= d->def && d->def <= d->max,
		    "%s %s: default %ld not in %ld..%ld", m->id, d->name,
		    d->def, d->min, d->max);
		if (d->names != NULL) {
			for (n = 0; d->names[n] != NULL; n++)
				;
			ck_assert_int_eq(d->min, 0);
			ck_assert_int_eq(d->max, (long)n - 1);
		}
		def_text(d, text, sizeof text);
		ck_assert_int_eq(
		    module_param_parse(d, text, strlen(text), &back), 0);
		ck_assert_int_eq(back, d->def);
	}
}
END_TEST

/* Every module's code: at least one line, each a single line of text;
 * its locals' names fit the model. */
START_TEST(test_table_code)
{
	const struct lesson_module *m = module_table[_i];
	size_t i;

	ck_assert_uint_ge(m->ncode, 1);
	ck_assert_ptr_nonnull(m->code);
	for (i = 0; i < m->ncode; i++) {
		ck_assert_ptr_nonnull(m->code[i]);
		ck_assert_msg(
		    m->code[i][0] != '\0' && strchr(m->code[i], '\n') == NULL,
		    "%s line %zu: \"%s\"", m->id, i + 1, m->code[i]);
	}
	for (i = 0; m->locals != NULL && m->locals[i] != NULL; i++)
		;
	ck_assert_uint_le(i, MODEL_MAX_LOCALS);
}
END_TEST

/* Every module's hooks that a run needs are there; its defaults make a
 * free run of 1 to CONDUCTOR_MAX_THREADS threads that validate accepts;
 * a measuring module's modes are values of its mode parameter. */
START_TEST(test_table_defaults_run)
{
	const struct lesson_module *m = module_table[_i];
	struct run_config cfg;
	const struct param_def *mode;
	char err[256];
	size_t p;
	int n, k;

	ck_assert(m->threads && m->setup && m->worker && m->result);
	th_config(&cfg, m, NULL, POLICY_FREE);
	n = m->threads(cfg.params);
	ck_assert_int_ge(n, 1);
	ck_assert_int_le(n, CONDUCTOR_MAX_THREADS);
	if (m->validate != NULL)
		ck_assert_msg(m->validate(cfg.params, 0, err, sizeof err) == 0,
		    "%s: %s", m->id, err);
	for (p = 0; p < m->nplans; p++) {
		const struct lesson_plan *pl = &m->plans[p];

		ck_assert_uint_lt((size_t)pl->param, m->nparams);
		mode = &m->params[pl->param];
		ck_assert(
		    pl->baseline >= mode->min && pl->baseline <= mode->max);
		ck_assert(
		    pl->all_value >= mode->min && pl->all_value <= mode->max);
		ck_assert_ptr_nonnull(pl->values);
		ck_assert_ptr_nonnull(pl->cols);
		ck_assert_ptr_nonnull(pl->wall_ms);
		for (k = 0; pl->values[k] != -1; k++)
			ck_assert(pl->values[k] >= mode->min &&
			    pl->values[k] < mode->max + 1 &&
			    pl->values[k] != pl->all_value);
		ck_assert_int_ge(k, 1);
	}
}
END_TEST

/* In a stepped run on its defaults, every step point a module's workers
 * reach names one of its code lines. */
START_TEST(test_table_lines_in_code)
{
	const struct lesson_module *m = module_table[_i];
	struct run_config cfg;
	struct run *r;
	char why[256];
	int t, line;

	th_config(&cfg, m, NULL, POLICY_STEP);
	if (m->validate != NULL && m->validate(cfg.params, 1, why, sizeof why))
		return; /* a module that only runs free */
	r = th_start(&cfg);
	while ((t = conductor_lowest_runnable(r->c)) >= 0) {
		conductor_pending(r->c, t, NULL, &line);
		ck_assert_msg(line >= 1 && (size_t)line <= m->ncode,
		    "%s: line %d of %zu", m->id, line, m->ncode);
		ck_assert_int_eq(run_step(r, t, why, sizeof why), 0);
	}
	th_wait_done(r);
	run_free(r);
}
END_TEST

/* Every module's panels are panels it may ask for, each once, and a
 * module without a list gets the code panel but no results table. */
START_TEST(test_table_panels)
{
	const struct lesson_module *m = module_table[_i];
	const struct lesson_panel_want *w;
	int seen[LESSON_PANEL_COUNT] = {0};
	size_t n, i;

	w = module_panels(m, &n);
	ck_assert_uint_gt(n, 0);
	for (i = 0; i < n; i++) {
		ck_assert_int_lt((int)w[i].panel, LESSON_PANEL_COUNT);
		ck_assert_int_ge(w[i].prio, 0);
		ck_assert_int_eq(seen[w[i].panel]++, 0);
		ck_assert_int_eq(module_panel_prio(m, w[i].panel), w[i].prio);
	}
	if (m->panels == NULL) {
		ck_assert_int_ge(module_panel_prio(m, LESSON_PANEL_CODE), 0);
		ck_assert_int_eq(
		    module_panel_prio(m, LESSON_PANEL_RESULTS), -1);
	}
	/* a lesson that measures a plan shows its results table */
	if (module_has_plan(m))
		ck_assert_int_ge(module_panel_prio(m, LESSON_PANEL_RESULTS), 0);
}
END_TEST

Suite *
make_module_suite(void)
{
	Suite *s = suite_create("module");
	TCase *tc = tcase_create("module");
	int n = table_len();

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_find);
	tcase_add_loop_test(tc, test_table_ids, 0, n);
	tcase_add_loop_test(tc, test_param_index, 0, n);
	tcase_add_loop_test(
	    tc, test_param_parse, 0, (int)IL_ARRAY_LEN(parse_cases));
	tcase_add_test(tc, test_param_parse_len);
	tcase_add_test(tc, test_param_accepts);
	tcase_add_test(tc, test_param_name);
	tcase_add_loop_test(tc, test_table_params, 0, n);
	tcase_add_loop_test(tc, test_table_code, 0, n);
	tcase_add_loop_test(tc, test_table_defaults_run, 0, n);
	tcase_add_loop_test(tc, test_table_lines_in_code, 0, n);
	tcase_add_loop_test(tc, test_table_panels, 0, n);
	suite_add_tcase(s, tc);
	return s;
}
