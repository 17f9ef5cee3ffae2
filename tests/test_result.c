/* The structured result: typed fields, lookups and the result line. */
#include "config.h"

#include <string.h>

#include "result.h"
#include "suites.h"

START_TEST(test_result_format_in_order)
{
	struct result res;
	char buf[128];

	/* given */
	result_clear(&res);
	result_word(&res, "kind", "cpu");
	result_int(&res, "tasks", 8);
	result_real(&res, "wall_ms", 41.25, 1);
	/* when */
	size_t n = result_format(&res, buf, sizeof buf);
	/* then */
	ck_assert_str_eq(buf, "kind=cpu tasks=8 wall_ms=41.2");
	ck_assert_uint_eq(n, strlen(buf));
}
END_TEST

START_TEST(test_result_replace_keeps_place)
{
	struct result res;
	char buf[64];

	result_clear(&res);
	result_int(&res, "a", 1);
	result_int(&res, "b", 2);
	result_int(&res, "a", 3);
	result_format(&res, buf, sizeof buf);
	ck_assert_str_eq(buf, "a=3 b=2");
	ck_assert_uint_eq(res.n, 2);
}
END_TEST

START_TEST(test_result_lookups)
{
	struct result res;

	result_clear(&res);
	result_int(&res, "counter", 2);
	result_real(&res, "cpu_ms", 3.5, 1);
	result_word(&res, "sums", "ok");
	ck_assert(result_number(&res, "counter", -1) == 2);
	ck_assert(result_number(&res, "cpu_ms", -1) == 3.5);
	ck_assert(result_number(&res, "sums", -1) == -1); /* a word */
	ck_assert(result_number(&res, "none", -7) == -7);
	ck_assert_str_eq(result_word_of(&res, "sums"), "ok");
	ck_assert_ptr_null(result_word_of(&res, "counter"));
	ck_assert_ptr_null(result_find(&res, "none"));
}
END_TEST

START_TEST(test_result_format_truncates_like_snprintf)
{
	struct result res;
	char buf[8];

	result_clear(&res);
	result_int(&res, "counter", 12345);
	ck_assert_uint_eq(result_format(&res, buf, sizeof buf), 13);
	ck_assert_str_eq(buf, "counter");
}
END_TEST

START_TEST(test_result_put_copies)
{
	struct result a, b;
	char buf[64];

	result_clear(&a);
	result_clear(&b);
	result_real(&a, "wall_ms", 2.0, 1);
	result_put(&b, result_find(&a, "wall_ms"));
	result_format(&b, buf, sizeof buf);
	ck_assert_str_eq(buf, "wall_ms=2.0");
}
END_TEST

Suite *
make_result_suite(void)
{
	Suite *s = suite_create("result");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_result_format_in_order);
	tcase_add_test(tc, test_result_replace_keeps_place);
	tcase_add_test(tc, test_result_lookups);
	tcase_add_test(tc, test_result_format_truncates_like_snprintf);
	tcase_add_test(tc, test_result_put_copies);
	suite_add_tcase(s, tc);
	return s;
}
