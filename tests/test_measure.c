/* The plan of runs (measure.c), on a module of the test's own, so that
 * nothing here depends on a lesson. */
#include "config.h"

#include <string.h>

#include "measure.h"
#include "module.h"
#include "suites.h"

enum { P_WAY, P_OTHER };
enum { WAY_BASE, WAY_FAST, WAY_WIDE, WAY_ALL };

static const char *const way_names[] = {"base", "fast", "wide", "all", NULL};
static const long way_values[] = {WAY_BASE, WAY_FAST, WAY_WIDE, -1};
static const struct param_def plan_params[] = {
    {"way", WAY_FAST, 0, 3, "how", way_names},
    {"other", 7, 0, 100, "anything", NULL},
};

static const struct plan_column way_columns[] = {
    {"wall ms", 10, PLAN_COL_WALL, NULL, NULL, 1},
    {"speedup", 8, PLAN_COL_SPEEDUP, NULL, NULL, 0},
};

static const struct lesson_plan way_plan = {
    .param = P_WAY,
    .all_value = WAY_ALL,
    .baseline = WAY_BASE,
    .values = way_values,
    .cols = way_columns,
    .ncols = 2,
    .wall_ms = "wall",
    .cpu_ms = "cpu",
};

static const struct lesson_module plan_module = {
    .id = "plan-test",
    .params = plan_params,
    .nparams = 2,
    .plans = &way_plan,
    .nplans = 1,
};

static const struct {
	long chosen;
	int n;
	long modes[3];
} plans[] = {
    {WAY_FAST, 2, {WAY_BASE, WAY_FAST}},
    {WAY_BASE, 1, {WAY_BASE}},
    {WAY_ALL, 3, {WAY_BASE, WAY_FAST, WAY_WIDE}},
};

START_TEST(test_measure_plan_from_params)
{
	struct measure_set ms;
	int k;

	measure_plan(&ms, &plan_module, &way_plan, plans[_i].chosen);
	ck_assert_int_eq(ms.nmodes, plans[_i].n);
	for (k = 0; k < ms.nmodes; k++)
		ck_assert_int_eq(ms.modes[k], plans[_i].modes[k]);
}
END_TEST

START_TEST(test_measure_next_sets_param)
{
	struct measure_set ms;
	long params[MODULE_MAX_PARAMS] = {WAY_ALL, 42}, out[MODULE_MAX_PARAMS];

	measure_plan(&ms, &plan_module, &way_plan, WAY_ALL);
	ck_assert_int_eq(measure_next(&ms, params, out), 0);
	ck_assert_int_eq(out[P_WAY], WAY_BASE);
	ck_assert_int_eq(out[P_OTHER], 42);
	ck_assert_str_eq(measure_mode_name(&ms, 2), "wide");
	ms.n = 1;
	ck_assert_int_eq(measure_next(&ms, params, out), 0);
	ck_assert_int_eq(out[P_WAY], WAY_FAST);
	ms.n = 3;
	ck_assert_int_eq(measure_next(&ms, params, out), -1);
}
END_TEST

START_TEST(test_measure_speedup_and_cpu_use)
{
	struct measure_set ms;
	char row[128];

	/* given: the baseline took 100 ms, the fast way 25 ms with 50 ms of
	 * CPU on 4 cores */
	measure_plan(&ms, &plan_module, &way_plan, WAY_FAST);
	ms.cores = 4;
	ms.base_ms = 100;
	ms.res[0].wall_ms = 100;
	ms.res[1].wall_ms = 25;
	ms.res[1].cpu_ms = 50;
	ms.n = 2;
	/* then */
	ck_assert(measure_speedup(&ms, 1) == 4.0);
	ck_assert(measure_cpu_use(&ms, 1) == 0.5);
	ck_assert_int_eq(measure_bar(&ms, 1, 40), 10);
	ms.n = 1; /* not finished yet: unknown */
	ck_assert(measure_speedup(&ms, 1) == 0);
	measure_header(&ms, row, sizeof row);
	ck_assert_msg(strncmp(row, "way ", 4) == 0, "%s", row);
}
END_TEST

Suite *
make_measure_suite(void)
{
	Suite *s = suite_create("measure");
	TCase *tc = tcase_create("plan");

	tcase_add_loop_test(
	    tc, test_measure_plan_from_params, 0, sizeof plans / sizeof *plans);
	tcase_add_test(tc, test_measure_next_sets_param);
	tcase_add_test(tc, test_measure_speedup_and_cpu_use);
	suite_add_tcase(s, tc);
	return s;
}
