/* Thread names: the message name and the timeline letter of each index. */
#include <check.h>

#include "conductor.h"
#include "names.h"
#include "suites.h"
#include "util.h"

static const struct {
	int t;
	const char *name;
	char letter;
} names_cases[] = {
    {0, "A", 'A'},
    {1, "B", 'B'},
    {25, "Z", 'Z'},
    {26, "AA", 'a'},
    {27, "AB", 'b'},
    {51, "AZ", 'z'},
    {52, "BA", 'a'},
    {63, "BL", 'l'},
};

START_TEST(test_names_table)
{
	/* given */
	int t = names_cases[_i].t;

	/* then */
	ck_assert_str_eq(thread_name(t), names_cases[_i].name);
	ck_assert_int_eq(thread_letter(t), names_cases[_i].letter);
}
END_TEST

START_TEST(test_names_out_of_range)
{
	ck_assert_str_eq(thread_name(-1), "?");
	ck_assert_str_eq(thread_name(THREAD_NAMES_MAX), "?");
	ck_assert_int_eq(thread_letter(-1), '?');
}
END_TEST

START_TEST(test_names_every_conductor_thread)
{
	int t;

	for (t = 0; t < CONDUCTOR_MAX_THREADS; t++)
		ck_assert_str_ne(thread_name(t), "?");
}
END_TEST

Suite *
make_names_suite(void)
{
	Suite *s = suite_create("names");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(
	    tc, test_names_table, 0, (int)IL_ARRAY_LEN(names_cases));
	tcase_add_test(tc, test_names_out_of_range);
	tcase_add_test(tc, test_names_every_conductor_thread);
	suite_add_tcase(s, tc);
	return s;
}
