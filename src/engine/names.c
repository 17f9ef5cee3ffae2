/* Thread names for messages and timeline labels; see names.h. */
#include "names.h"

#include "conductor.h"
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
