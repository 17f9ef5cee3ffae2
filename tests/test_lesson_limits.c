/* Tests for the lesson loader's limits on whole files of 1 MiB: nesting
 * depth and the size of the laid-out text, with memory bounded. Part of
 * the lesson suite (see make_lesson_suite() in test_lesson.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "lesson.h"
#include "suites.h"
#include "test_lesson.h"
#include "util.h"

/* Address and thread sanitizers reserve terabytes of address space for
 * their shadow memory, so a limit on it cannot be used under them. */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define LESSON_TEST_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) ||     \
    __has_feature(memory_sanitizer)
#define LESSON_TEST_SANITIZED 1
#endif
#endif

/* Lower the soft limit on the address space to 1 GiB, so that a parser that
 * uses memory without bound fails the test instead of filling the machine;
 * returns the old limit for lesson_test_unlimit(). */
static struct rlimit
lesson_test_limit_memory(void)
{
	struct rlimit old, lim;

	ck_assert_int_eq(getrlimit(RLIMIT_AS, &old), 0);
	lim = old;
#ifndef LESSON_TEST_SANITIZED
	if (lim.rlim_cur == RLIM_INFINITY || lim.rlim_cur > (1ul << 30))
		lim.rlim_cur = 1ul << 30;
	if (lim.rlim_max != RLIM_INFINITY && lim.rlim_cur > lim.rlim_max)
		lim.rlim_cur = lim.rlim_max;
#endif
	ck_assert_int_eq(setrlimit(RLIMIT_AS, &lim), 0);
	return old;
}

/* Give back the address space, for runs with CK_FORK=no. */
static void
lesson_test_unlimit(struct rlimit old)
{
	ck_assert_int_eq(setrlimit(RLIMIT_AS, &old), 0);
}

/* A lesson as big as allowed: one page whose text starts with open, and
 * then as many lines of more as fit under LESSON_MAX_SIZE (caller frees). */
static char *
lesson_test_fill(const char *open, const char *more, size_t *len)
{
	static const char head[] = HEAD "## P\n\n";
	size_t n = strlen(head), olen = strlen(open), mlen = strlen(more);
	char *buf = xmalloc(LESSON_MAX_SIZE);

	memcpy(buf, head, n);
	memcpy(buf + n, open, olen);
	for (n += olen; n + mlen <= LESSON_MAX_SIZE; n += mlen)
		memcpy(buf + n, more, mlen);
	*len = n;
	return buf;
}

/* Deep nesting followed by lines that continue its paragraph lazily and
 * end in a hard break, each of which repeated the whole quote or list
 * prefix: a file just under 1 MiB took 50 s and 5.5 GB to load. */
static const struct deep_case {
	const char *what;
	const char *unit; /* opens nesting levels */
	int levels;       /* that unit opens */
	int units;        /* how many units the file opens */
} deep_cases[] = {
    {"block quotes", ">", 1, 4000},
    {"lists", "- ", 1, 2000},
    {"ordered lists", "1. ", 1, 1300},
    {"quotes in lists", "- >", 2, 1300},
};

START_TEST(test_lesson_deep_nesting)
{
	const struct deep_case *c = &deep_cases[_i];
	size_t ulen = strlen(c->unit), len;
	char err[512], *open = xmalloc(ulen * (size_t)c->units + 8), *buf;
	struct lesson *l;
	struct rlimit old;
	int i;

	/* given 4000 '>' (or such) and then "a\" lines up to the size limit */
	for (i = 0; i < c->units; i++)
		memcpy(open + (size_t)i * ulen, c->unit, ulen);
	strcpy(open + (size_t)c->units * ulen, " a\\\n");
	buf = lesson_test_fill(open, "a\\\n", &len);
	ck_assert_uint_gt(len, LESSON_MAX_SIZE - 3);

	/* when it is loaded with 1 GiB of address space */
	old = lesson_test_limit_memory();
	l = lesson_parse("deep.md", buf, len, err, sizeof err);
	lesson_test_unlimit(old);

	/* then it is refused where the 17th level opens */
	ck_assert_msg(l == NULL, "%s loaded", c->what);
	ck_assert_str_eq(err,
	    "deep.md:8: block quotes and lists nest 17 levels deep here; the "
	    "limit is 16 levels");
	free(buf);

	/* given 16 levels and a few lines: fine */
	strcpy(open + (size_t)(LESSON_MAX_DEPTH / c->levels) * ulen,
	    " a\\\na\\\na\n");
	buf = xmalloc(strlen(HEAD "## P\n") + strlen(open) + 1);
	strcpy(buf, HEAD "## P\n");
	strcat(buf, open);
	l = lesson_parse("deep.md", buf, strlen(buf), err, sizeof err);
	ck_assert_msg(l != NULL, "%s: %s", c->what, err);
	lesson_free(l);
	free(buf);
	free(open);
}
END_TEST

/* Nesting that is allowed can still repeat a 32-byte prefix on every short
 * line: the text may grow to LESSON_TEXT_LIMIT, and no further. */
START_TEST(test_lesson_text_limit)
{
	static const char quote[] = "> > > > > > > > > > > > > > > > a\\\n";
	char err[512], want[512], *buf;
	struct lesson *l;
	struct rlimit old;
	size_t len, limit, line;

	buf = lesson_test_fill(quote, "a\\\n", &len);
	old = lesson_test_limit_memory();
	l = lesson_parse("wide.md", buf, len, err, sizeof err);
	lesson_test_unlimit(old);
	ck_assert_ptr_null(l);

	/* Each line from line 8 on is the 32-byte prefix, "a" and a newline,
	 * after the titles "T" and "P": the first line that does not fit. */
	limit = LESSON_TEXT_LIMIT(len);
	line = 8 + (limit - 2) / 34;
	snprintf(want, sizeof want,
	    "wide.md:%zu: the text grows past %zu bytes here once laid out",
	    line, limit);
	ck_assert_msg(strncmp(err, want, strlen(want)) == 0,
	    "got \"%s\", want \"%s...\"", err, want);

	/* The same lines with no prefix fit easily. */
	free(buf);
	buf = lesson_test_fill("a\\\n", "a\\\n", &len);
	l = lesson_parse("narrow.md", buf, len, err, sizeof err);
	ck_assert_msg(l != NULL, "%s", err);
	lesson_free(l);
	free(buf);
}
END_TEST

TCase *
make_lesson_limits_tcase(void)
{
	/* Whole files of 1 MiB: slower under sanitizers and on a busy
	 * machine, so with time to spare. */
	TCase *tc = tcase_create("limits");

	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(
	    tc, test_lesson_deep_nesting, 0, (int)IL_ARRAY_LEN(deep_cases));
	tcase_add_test(tc, test_lesson_text_limit);
	return tc;
}
