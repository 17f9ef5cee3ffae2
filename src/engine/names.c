/* Thread and policy names; see names.h. */
#include "names.h"

#include <string.h>

#include "util.h"

_Static_assert(THREAD_NAMES_MAX >= CONDUCTOR_MAX_THREADS,
    "every thread the conductor runs has a name");

/* A constant table, so that any thread may read it without a lock. */
static const char *const thread_names[THREAD_NAMES_MAX] = {"A", "B", "C", "D",
    "E", "F", "G", "H", "I", "J", "K", "L", "M", "N", "O", "P", "Q", "R", "S",
    "T", "U", "V", "W", "X", "Y", "Z", "AA", "AB", "AC", "AD", "AE", "AF", "AG",
    "AH", "AI", "AJ", "AK", "AL", "AM", "AN", "AO", "AP", "AQ", "AR", "AS",
    "AT", "AU", "AV", "AW", "AX", "AY", "AZ", "BA", "BB", "BC", "BD", "BE",
    "BF", "BG", "BH", "BI", "BJ", "BK", "BL"};

/* The same threads by number. */
static const char *const thread_numbers[THREAD_NAMES_MAX] = {"T1", "T2", "T3",
    "T4", "T5", "T6", "T7", "T8", "T9", "T10", "T11", "T12", "T13", "T14",
    "T15", "T16", "T17", "T18", "T19", "T20", "T21", "T22", "T23", "T24", "T25",
    "T26", "T27", "T28", "T29", "T30", "T31", "T32", "T33", "T34", "T35", "T36",
    "T37", "T38", "T39", "T40", "T41", "T42", "T43", "T44", "T45", "T46", "T47",
    "T48", "T49", "T50", "T51", "T52", "T53", "T54", "T55", "T56", "T57", "T58",
    "T59", "T60", "T61", "T62", "T63", "T64"};

const char *
thread_name_as(enum thread_naming naming, int t)
{
	if (naming != NAMING_NUMBERS)
		return thread_name(t);
	if (t < 0 || t >= (int)IL_ARRAY_LEN(thread_numbers))
		return "?";
	return thread_numbers[t];
}

const char *
thread_name(int t)
{
	if (t < 0 || t >= (int)IL_ARRAY_LEN(thread_names))
		return "?";
	return thread_names[t];
}

char
thread_letter(int t)
{
	if (t < 0)
		return '?';
	return t < 26 ? (char)('A' + t) : (char)('a' + (t - 26) % 26);
}

int
thread_of_letter(int ch)
{
	return ch >= 'A' && ch <= 'Z' ? ch - 'A' : -1;
}

/* Indexed by enum policy. */
static const char *const policy_names[] = {
    [POLICY_FREE] = "free",
    [POLICY_STEP] = "step",
    [POLICY_RANDOM] = "random",
    [POLICY_REPLAY] = "replay",
};

const char *
policy_name(enum policy p)
{
	if ((int)p < 0 || (size_t)p >= IL_ARRAY_LEN(policy_names))
		return "?";
	return policy_names[p];
}

int
policy_from_name(const char *s)
{
	size_t i;

	for (i = 0; i < IL_ARRAY_LEN(policy_names); i++) {
		if (strcmp(s, policy_names[i]) == 0)
			return (int)i;
	}
	return -1;
}
