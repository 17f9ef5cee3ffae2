/* Tests for the text sanitizer and the UTF-8 decoder. */
#include <locale.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sanitize.h"
#include "suites.h"
#include "util.h"

/* Bytes in, with their length (they may hold NULs), and the text out. */
#define BYTES(s) s, sizeof(s) - 1

static const struct sanitize_case {
	const char *what;
	const char *in;
	size_t len;
	int keep_newlines;
	const char *out;
} sanitize_cases[] = {
    {"plain ASCII", BYTES("hello, world"), 0, "hello, world"},
    {"empty", BYTES(""), 0, ""},
    {"clear screen (ESC[2J)", BYTES("a\x1b[2Jb"), 0, "a\\x1b[2Jb"},
    {"OSC title ended by BEL", BYTES("\x1b]0;pwned\x07"), 0,
        "\\x1b]0;pwned\\x07"},
    {"OSC 8 hyperlink ended by ST", BYTES("\x1b]8;;http://x\x1b\\y"), 0,
        "\\x1b]8;;http://x\\x1b\\y"},
    {"NUL inside the text", BYTES("a\0b"), 0, "a\\x00b"},
    {"BEL", BYTES("ding\a"), 0, "ding\\x07"},
    {"backspace", BYTES("x\by"), 0, "x\\x08y"},
    {"tab becomes a space", BYTES("a\tb"), 0, "a b"},
    {"newline kept", BYTES("a\nb"), 1, "a\nb"},
    {"newline shown", BYTES("a\nb"), 0, "a\\nb"},
    {"carriage return", BYTES("a\r\nb"), 1, "a\\r\nb"},
    {"DEL", BYTES("a\x7f"), 0, "a\\x7f"},
    {"C1 NEL U+0085", BYTES("a\xc2\x85z"), 0, "a\\u0085z"},
    {"C1 CSI U+009B",
        BYTES("\xc2\x9b"
              "2J"),
        0, "\\u009b2J"},
    {"first C1 U+0080", BYTES("\xc2\x80"), 0, "\\u0080"},
    {"NBSP U+00A0 is fine", BYTES("\xc2\xa0"), 0, "\xc2\xa0"},
    {"RLO U+202E",
        BYTES("abc\xe2\x80\xae"
              "def"),
        0, "abc\\u202edef"},
    {"LRE U+202A", BYTES("\xe2\x80\xaa"), 0, "\\u202a"},
    {"LRI U+2066", BYTES("\xe2\x81\xa6"), 0, "\\u2066"},
    {"PDI U+2069", BYTES("\xe2\x81\xa9"), 0, "\\u2069"},
    {"line separator U+2028",
        BYTES("a\xe2\x80\xa8"
              "b"),
        1, "a\\u2028b"},
    {"paragraph separator U+2029", BYTES("\xe2\x80\xa9"), 1, "\\u2029"},
    {"U+2027 is fine", BYTES("\xe2\x80\xa7"), 0, "\xe2\x80\xa7"},
    {"U+202F is fine", BYTES("\xe2\x80\xaf"), 0, "\xe2\x80\xaf"},
    {"U+206A is fine", BYTES("\xe2\x81\xaa"), 0, "\xe2\x81\xaa"},
    {"invalid byte 0xff",
        BYTES("a\xff"
              "b"),
        0, "a\\xffb"},
    {"lone continuation byte", BYTES("\x80"), 0, "\\x80"},
    {"overlong slash", BYTES("\xc0\xaf"), 0, "\\xc0\\xaf"},
    {"surrogate U+D800", BYTES("\xed\xa0\x80"), 0, "\\xed\\xa0\\x80"},
    {"above U+10FFFF", BYTES("\xf4\x90\x80\x80"), 0, "\\xf4\\x90\\x80\\x80"},
    {"truncated 3-byte at end", BYTES("ok\xe4\xb8"), 0, "ok\\xe4\\xb8"},
    {"truncated 4-byte at end", BYTES("x\xf0\x9f\x98"), 0, "x\\xf0\\x9f\\x98"},
    {"truncated then valid",
        BYTES("\xe4\xb8"
              "a"),
        0, "\\xe4\\xb8a"},
    {"backslash stays", BYTES("C:\\dir\\x1b"), 0, "C:\\dir\\x1b"},
    {"accents, CJK and emoji unchanged",
        BYTES("caf\xc3\xa9 \xe4\xb8\xad\xe6\x96\x87 \xf0\x9f\x98\x80"), 0,
        "caf\xc3\xa9 \xe4\xb8\xad\xe6\x96\x87 \xf0\x9f\x98\x80"},
    {"combining accent unchanged", BYTES("e\xcc\x81"), 0, "e\xcc\x81"},
};

START_TEST(test_sanitize_text)
{
	const struct sanitize_case *c = &sanitize_cases[_i];
	char *out;

	/* when */
	out = sanitize_text(c->in, c->len, c->keep_newlines);

	/* then */
	ck_assert_msg(strcmp(out, c->out) == 0, "%s: got \"%s\", want \"%s\"",
	    c->what, out, c->out);
	free(out);
}
END_TEST

static const struct width_case {
	const char *s;
	int width;
} width_cases[] = {
    {"", 0}, {"abc", 3}, {"caf\xc3\xa9", 4},
    {"\xe4\xb8\xad\xe6\x96\x87", 4}, /* two CJK characters */
    {"a\xe4\xb8\xad"
     "b",
        4},                  /* a, CJK, b */
    {"\xef\xbc\xa1", 2},     /* fullwidth A */
    {"\xf0\x9f\x98\x80", 2}, /* emoji */
    {"e\xcc\x81", 1},        /* e + combining acute */
    {"\\x1b[2J", 7},         /* a sanitized escape */
    {"\x01", 1},             /* wcwidth -1 counts as 1 */
    {"a\xff", 2},            /* invalid byte counts as 1 */
};

/* wcwidth() only knows wide characters in a UTF-8 locale. */
static void
sanitize_setup_locale(void)
{
	ck_assert_ptr_nonnull(setlocale(LC_ALL, "C.UTF-8"));
}

START_TEST(test_sanitize_width)
{
	const struct width_case *c = &width_cases[_i];

	ck_assert_msg(sanitize_width(c->s) == c->width,
	    "width of \"%s\": got %d, want %d", c->s, sanitize_width(c->s),
	    c->width);
}
END_TEST

static const struct utf8_case {
	const char *what;
	const char *s;
	size_t len;
	int rc;
	size_t bad_off;
} utf8_cases[] = {
    {"ASCII", BYTES("hello"), 0, 0},
    {"empty", BYTES(""), 0, 0},
    {"NUL is valid UTF-8", BYTES("a\0b"), 0, 0},
    {"2, 3 and 4 bytes", BYTES("\xc3\xa9\xe4\xb8\xad\xf0\x9f\x98\x80"), 0, 0},
    {"U+FFFF", BYTES("\xef\xbf\xbf"), 0, 0},
    {"U+10FFFF", BYTES("\xf4\x8f\xbf\xbf"), 0, 0},
    {"U+D7FF", BYTES("\xed\x9f\xbf"), 0, 0},
    {"overlong NUL", BYTES("\xc0\x80"), -1, 0},
    {"overlong 3-byte", BYTES("ab\xe0\x80\x80"), -1, 2},
    {"overlong 4-byte", BYTES("\xf0\x8f\xbf\xbf"), -1, 0},
    {"surrogate U+DFFF", BYTES("x\xed\xbf\xbf"), -1, 1},
    {"U+110000", BYTES("\xf4\x90\x80\x80"), -1, 0},
    {"byte 0xf5", BYTES("\xf5\x80\x80\x80"), -1, 0},
    {"byte 0xff", BYTES("abc\xff"), -1, 3},
    {"lone continuation", BYTES("a\x80"), -1, 1},
    {"bad continuation", BYTES("\xe4\x41\x41"), -1, 0},
    {"truncated at end", BYTES("abc\xe4\xb8"), -1, 3},
};

START_TEST(test_utf8_validate)
{
	const struct utf8_case *c = &utf8_cases[_i];
	size_t off = 12345;
	int rc;

	rc = utf8_validate(c->s, c->len, &off);
	ck_assert_msg(rc == c->rc, "%s: rc %d, want %d", c->what, rc, c->rc);
	if (c->rc != 0)
		ck_assert_msg(off == c->bad_off, "%s: offset %zu, want %zu",
		    c->what, off, c->bad_off);
}
END_TEST

/* A small deterministic generator, so a failure can be reproduced. */
static uint32_t
sanitize_test_rand(uint32_t *state)
{
	*state = *state * 1103515245u + 12345u;
	return *state >> 8;
}

/* Whether a decoded character of sanitized output is safe to draw. */
static int
sanitize_test_safe(uint32_t cp)
{
	if (cp == '\n')
		return 1;
	return cp >= 0x20 && !(cp >= 0x7f && cp <= 0x9f) &&
	    !(cp >= 0x2028 && cp <= 0x202e) && !(cp >= 0x2066 && cp <= 0x2069);
}

/* Whatever the input, the output is valid UTF-8 with no control character
 * but newlines, and no bidirectional control. */
START_TEST(test_sanitize_random_bytes)
{
	uint32_t state = 42, cp;
	char in[256], *out;
	size_t i, len, off, n, olen;
	long bad = -1;
	int round;

	for (round = 0; round < 2000; round++) {
		len = sanitize_test_rand(&state) % sizeof in;
		for (i = 0; i < len; i++)
			in[i] = (char)(sanitize_test_rand(&state) & 0xff);
		out = sanitize_text(in, len, 1);
		olen = strlen(out);
		ck_assert_int_eq(utf8_validate(out, olen, NULL), 0);
		/* One check per round: ck_assert is slow in a loop. */
		for (off = 0; off < olen && bad < 0; off += n) {
			n = utf8_decode(out + off, olen - off, &cp);
			if (n == 0 || !sanitize_test_safe(cp)) {
				bad = (long)off;
				break;
			}
		}
		ck_assert_msg(bad < 0, "round %d: U+%04X at %ld", round,
		    (unsigned)cp, bad);
		free(out);
	}
}
END_TEST

/* Every input byte shows up: ASCII bytes as themselves, others as part of a
 * character or an escape, so the output is never shorter than the input. */
START_TEST(test_sanitize_keeps_everything)
{
	char in[256], *out;
	size_t i;

	for (i = 0; i < sizeof in; i++)
		in[i] = (char)i;
	out = sanitize_text(in, sizeof in, 0);
	ck_assert_uint_ge(strlen(out), sizeof in);
	ck_assert_ptr_nonnull(strstr(out, "\\x00\\x01"));
	ck_assert_ptr_nonnull(strstr(out, "\\x1e\\x1f !\"#"));
	ck_assert_ptr_nonnull(strstr(out, "}~\\x7f\\x80\\x81"));
	ck_assert_ptr_nonnull(strstr(out, "\\xfe\\xff"));
	free(out);
}
END_TEST

Suite *
make_sanitize_suite(void)
{
	Suite *s = suite_create("sanitize");
	TCase *tc;

	tc = tcase_create("text");
	tcase_add_loop_test(
	    tc, test_sanitize_text, 0, (int)IL_ARRAY_LEN(sanitize_cases));
	tcase_add_test(tc, test_sanitize_random_bytes);
	tcase_add_test(tc, test_sanitize_keeps_everything);
	suite_add_tcase(s, tc);

	tc = tcase_create("width");
	tcase_add_checked_fixture(tc, sanitize_setup_locale, NULL);
	tcase_add_loop_test(
	    tc, test_sanitize_width, 0, (int)IL_ARRAY_LEN(width_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("utf8");
	tcase_add_loop_test(
	    tc, test_utf8_validate, 0, (int)IL_ARRAY_LEN(utf8_cases));
	suite_add_tcase(s, tc);
	return s;
}
