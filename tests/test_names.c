/* Names: each thread index's message name and timeline letter, and the
 * policies' names. */
#include <check.h>
#include <string.h>

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
	if (t < 26)
		ck_assert_int_eq(thread_of_letter(thread_letter(t)), t);
}
END_TEST

START_TEST(test_names_out_of_range)
{
	ck_assert_str_eq(thread_name(-1), "?");
	ck_assert_str_eq(thread_name(THREAD_NAMES_MAX), "?");
	ck_assert_int_eq(thread_letter(-1), '?');
	ck_assert_int_eq(thread_of_letter('a'), -1);
	ck_assert_int_eq(thread_of_letter('1'), -1);
	ck_assert_int_eq(thread_of_letter('@'), -1);
}
END_TEST

START_TEST(test_names_every_conductor_thread)
{
	int t;

	for (t = 0; t < CONDUCTOR_MAX_THREADS; t++)
		ck_assert_str_ne(thread_name(t), "?");
}
END_TEST

/* Every policy's name leads back to it, and the message text lists them
 * all, in order. */
START_TEST(test_names_policies)
{
	char list[128] = "";
	int p;

	for (p = POLICY_FREE; p <= POLICY_REPLAY; p++) {
		ck_assert_int_eq(policy_from_name(policy_name(p)), p);
		if (p > POLICY_FREE)
			strcat(list, p == POLICY_REPLAY ? " or " : ", ");
		strcat(list, policy_name(p));
	}
	ck_assert_str_eq(list, POLICY_NAMES_TEXT);
	ck_assert_str_eq(policy_name(POLICY_STEP), "step");
	ck_assert_int_eq(policy_from_name("Free"), -1);
	ck_assert_int_eq(policy_from_name(""), -1);
	ck_assert_str_eq(policy_name((enum policy)99), "?");
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
	tcase_add_test(tc, test_names_policies);
	suite_add_tcase(s, tc);
	return s;
}
