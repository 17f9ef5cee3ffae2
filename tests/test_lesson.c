/* Tests for the lesson file loader: good files, bad files, limits. How
 * pages render is tested in test_lesson_render.c, and 1 MiB files in
 * test_lesson_limits.c, in the same suite. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lesson.h"
#include "suites.h"
#include "test_lesson.h"
#include "util.h"

/* A path under the source tree (caller frees). */
static char *
lesson_test_path(const char *rel)
{
	const char *dir = test_srcdir();
	size_t n = strlen(dir) + strlen(rel) + 2;
	char *p = xmalloc(n);

	snprintf(p, n, "%s/%s", dir, rel);
	return p;
}

static const struct good_case {
	const char *file;
	const char *id;
	const char *title;
	const char *schedule; /* NULL if none */
	long order;
	long threads, iterations, fuzz;
	size_t min_pages;
} good_cases[] = {
    {"lessons/race.md", "race", "The race condition: the lost update",
        "lost-update", 10, 2, 1, 0, 4},
    {"tests/data/lessons/good-minimal.md", "good-minimal", "Minimal lesson",
        NULL, 0, 2, 1, 0, 1},
    {"tests/data/lessons/good-full.md", "good-full",
        "A title written Setext style", "three-way-lost", -5, 3, 1000, 25, 2},
    {"tests/data/lessons/good-blocks.md", "good-blocks",
        "Every interactive block", NULL, 0, 2, 3, 0, 2},
};

/* Check what a page's text promises: no control byte but '\n' and, when
 * styled, the markers; the markers balanced, a style never inside itself. */
void
lesson_test_check_text(const char *s, int styled)
{
	int open[3] = {0, 0, 0}, k;
	const char *p;

	for (p = s; *p != '\0'; p++) {
		if (*p == '\n' || (unsigned char)*p >= 0x20)
			continue;
		ck_assert_msg(
		    styled && *p >= LESSON_CODE_ON && *p <= LESSON_STRONG_OFF,
		    "control byte 0x%02x at %zu in \"%s\"", *p, (size_t)(p - s),
		    s);
		k = (*p - 1) / 2;
		ck_assert_msg(open[k] == (*p - 1) % 2,
		    "marker 0x%02x at %zu in \"%s\"", *p, (size_t)(p - s), s);
		open[k] = !open[k];
	}
	ck_assert_msg(
	    open[0] + open[1] + open[2] == 0, "unbalanced: \"%s\"", s);
}

START_TEST(test_lesson_good)
{
	const struct good_case *c = &good_cases[_i];
	char err[512], *path = lesson_test_path(c->file);
	struct lesson *l;
	size_t i;

	/* when */
	l = lesson_load(path, err, sizeof err);

	/* then */
	ck_assert_msg(l != NULL, "%s: %s", c->file, err);
	ck_assert_str_eq(l->id, c->id);
	ck_assert_str_eq(l->path, path);
	ck_assert_str_eq(l->title, c->title);
	ck_assert_str_eq(l->module->id, "race");
	ck_assert_ptr_nonnull(l->summary);
	ck_assert_uint_gt(strlen(l->summary), 0);
	ck_assert_ptr_null(strchr(l->summary, '\n'));
	if (c->schedule == NULL)
		ck_assert_ptr_null(l->schedule);
	else
		ck_assert_str_eq(l->schedule, c->schedule);
	ck_assert_int_eq(l->order, c->order);
	if (strcmp(c->id, "race") == 0)
		ck_assert_str_eq(l->chapter, "Races and locks");
	ck_assert_int_eq(l->params[0], c->threads);
	ck_assert_int_eq(l->params[1], c->iterations);
	ck_assert_int_eq(l->params[2], c->fuzz);
	ck_assert_uint_ge(l->npages, c->min_pages);
	lesson_test_check_text(l->title, 0);
	lesson_test_check_text(l->summary, 0);
	for (i = 0; i < l->npages; i++) {
		ck_assert_uint_gt(strlen(l->pages[i].title), 0);
		ck_assert_uint_gt(strlen(l->pages[i].text), 0);
		lesson_test_check_text(l->pages[i].title, 0);
		lesson_test_check_text(l->pages[i].text, 1);
		ck_assert_int_gt(l->pages[i].line, 0);
		if (i > 0)
			ck_assert_int_gt(
			    l->pages[i].line, l->pages[i - 1].line);
	}
	lesson_free(l);
	free(path);
}
END_TEST

/* Every page of the real lesson is short enough to read on an 80x24
 * screen: at most about six wrapped lines of 76 columns (the screen
 * tests check that each page fits the rows it gets). */
START_TEST(test_lesson_race_pages_are_short)
{
	char err[512], *path = lesson_test_path("lessons/race.md");
	struct lesson *l = lesson_load(path, err, sizeof err);
	size_t i;

	ck_assert_msg(l != NULL, "%s", err);
	ck_assert_uint_ge(l->npages, 4);
	for (i = 0; i < l->npages; i++)
		ck_assert_msg(strlen(l->pages[i].text) <= 6 * 76,
		    "page %zu is %zu bytes", i, strlen(l->pages[i].text));
	lesson_free(l);
	free(path);
}
END_TEST

/* The complete example in doc/lesson-format.md loads. */
START_TEST(test_lesson_doc_example)
{
	static const char fence_open[] = "````markdown\n",
	                  fence_close[] = "\n````\n";
	char err[512], *path = lesson_test_path("doc/lesson-format.md");
	char *doc = NULL, *start, *end, *text;
	struct lesson *l;
	size_t len = 0;
	FILE *f = fopen(path, "r");

	ck_assert_msg(f != NULL, "%s", path);
	ck_assert_int_ne(getdelim(&doc, &len, '\0', f), -1);
	fclose(f);
	start = strstr(doc, fence_open);
	ck_assert_ptr_nonnull(start);
	start += strlen(fence_open);
	end = strstr(start, fence_close);
	ck_assert_ptr_nonnull(end);

	l = lesson_parse("lost-update-3.md", start, (size_t)(end - start) + 1,
	    err, sizeof err);
	ck_assert_msg(l != NULL, "%s", err);
	ck_assert_str_eq(l->id, "lost-update-3");
	ck_assert_int_eq(l->params[0], 3);
	ck_assert_uint_eq(l->npages, 3);
	text = lesson_expand(l, l->pages[1].text, NULL);
	ck_assert_msg(
	    strstr(text, "each of the 3 threads load") != NULL, "%s", text);
	free(text);
	lesson_free(l);
	free(doc);
	free(path);
}
END_TEST

/* A bad lesson: from a file under tests/data/lessons, or from memory. */
static const struct bad_case {
	const char *file; /* NULL for in-memory */
	const char *data;
	size_t len;
	int line;
	const char *message; /* a substring of the message */
} bad_cases[] = {
    {"bad-no-title.md", NULL, 0, 1, "has no title"},
    {"bad-two-titles.md", NULL, 0, 8, "second title"},
    {"bad-no-lesson-block.md", NULL, 0, 1, "no ```lesson block"},
    {"bad-block-after-page.md", NULL, 0, 7,
        "```lesson block must come before the first page (line 3)"},
    {"bad-second-block.md", NULL, 0, 8,
        "second ```lesson block; the first is on line 3"},
    {"bad-no-pages.md", NULL, 0, 6, "has no pages"},
    {"bad-empty-page.md", NULL, 0, 12, "'Nothing here' has no text"},
    {"bad-text-before-page.md", NULL, 0, 8, "text before the first page"},
    {"bad-unknown-key.md", NULL, 0, 6,
        "unknown key 'thread'; valid keys are: module, summary, "
        "schedule, order, chapter, threads, iterations, fuzz"},
    {"bad-unknown-module.md", NULL, 0, 5,
        "unknown module 'racing'; known modules: race"},
    {"bad-missing-module.md", NULL, 0, 3, "no 'module' key"},
    {"bad-missing-summary.md", NULL, 0, 3, "no 'summary' key"},
    {"bad-integer.md", NULL, 0, 6, "'threads' must be an integer, not 'two'"},
    {"bad-out-of-range.md", NULL, 0, 6,
        "'threads' is 17, out of range: it must be between 1 and 16"},
    {"bad-duplicate-key.md", NULL, 0, 7,
        "duplicate key 'threads'; it is already set on line 5"},
    {"bad-missing-colon.md", NULL, 0, 6, "no ':' in 'threads 2'"},
    {"bad-truncated.md", NULL, 0, 3, "the ```lesson block is never closed"},
    {"bad-unclosed-code.md", NULL, 0, 12, "the ```c block is never closed"},
    {"bad-schedule-name.md", NULL, 0, 6, "'schedule' must be the name"},
    {"bad-order.md", NULL, 0, 6, "'order' must be an integer"},

    {NULL, BYTES(""), 1, "file is empty"},
    {NULL, BYTES(HEAD "## P\nclear \x1b[2J screen\n"), 7,
        "escape character U+001B (ESC) at column 7"},
    {NULL, BYTES(HEAD "## P\nbell\a\n"), 7,
        "control character U+0007 (BEL) at column 5"},
    {NULL, BYTES(HEAD "## P\nrubout\x7f\n"), 7,
        "control character U+007F (DEL) at column 7"},
    {NULL, BYTES("# T\nnul\0here\n"), 2, "NUL byte at column 4"},
    {NULL, BYTES("# T\n\ncaf\xc3\xa9 \xff\n"), 3,
        "invalid UTF-8 (byte 0xff) at column 6"},
    {NULL, BYTES("# T\n\n\xc0\xaf\n"), 3,
        "invalid UTF-8 (byte 0xc0) at column 1"},
    {NULL, BYTES(HEAD "## P\ncut \xe4\xb8"), 7,
        "invalid UTF-8 (byte 0xe4) at column 5"},
    {NULL,
        BYTES("# T\nuser\xe2\x80\xae"
              "fdp.exe\n"),
        2, "bidirectional control character U+202E (RLO) at column 5"},
    {NULL, BYTES("# T\n\xe2\x81\xa6x\n"), 2,
        "bidirectional control character U+2066 (LRI) at column 1"},
    {NULL, BYTES("# T\n\n\nnext\xc2\x85line\n"), 4,
        "C1 control character U+0085 at column 5"},
    {NULL, BYTES("# T\n\xe2\x80\xa8\n"), 2,
        "line separator U+2028 at column 1"},
    /* Lone CRs end lines too, as they do for cmark. */
    {NULL, BYTES("# T\r\rx\a\r"), 3, "U+0007 (BEL) at column 2"},
    {NULL, BYTES("# T\r\n\r\nx\a\r\n"), 3, "U+0007 (BEL) at column 2"},
    {NULL, BYTES(HEAD "## P\n\n~~~~\ncode\n~~~\n"), 8,
        "the ~~~~ code block is never closed"},
    {NULL,
        BYTES("```lesson\nmodule: race\nsummary: s\n```\n"
              "# T\n## P\ntext\n# T2\n"),
        8, "second title"},
    {NULL, BYTES(HEAD "## P\n\n## Q\ntext\n"), 6, "the page 'P' has no text"},
    {NULL, BYTES(HEAD "## \n\ntext\n"), 6, "the page heading is empty"},
    {NULL, BYTES("```lesson\nmodule:\nsummary: s\n```\n# T\n## P\nx\n"), 2,
        "'module' has no value"},
    {NULL, BYTES("```lesson\nmodule: race\n: x\nsummary: s\n```\n"), 3,
        "the key before ':' is missing"},
    {NULL, BYTES("```lesson\nmodule: race\nsummary:\n```\n"), 3,
        "'summary' has no value"},
    {NULL,
        BYTES("```lesson\nmodule: race\nsummary: s\nmodule: race\n"
              "```\n"),
        4, "duplicate key 'module'; it is already set on line 2"},
    {NULL,
        BYTES("```lesson\nmodule: race\nsummary: s\n"
              "iterations: 99999999999999999999999\n```\n"),
        4, "'iterations' is 99999999999999999999999, out of range"},
    {NULL, BYTES("```lesson\nmodule: race\nsummary: s\nfuzz: -1\n```\n"), 4,
        "must be between 0 and 1000"},
    {NULL,
        BYTES("```lesson\nmodule: race\nsummary: s\nthreads: 0x2\n"
              "```\n"),
        4, "'threads' must be an integer, not '0x2'"},
    {NULL, BYTES("```lesson\nsummary: s\nmodule: race\norder: -\n```\n"), 4,
        "'order' must be an integer"},
    /* Nesting: quotes and lists count together, at the line of the 17th
     * level, even when a fence is left open later. */
    {NULL, BYTES(HEAD "## P\n>>>>>>>>>>>>>>>>> deep\n"), 7,
        "block quotes and lists nest 17 levels deep here; the limit is 16 "
        "levels"},
    {NULL, BYTES(HEAD "## P\n- - - - - - - - - - - - - - - - - deep\n"), 7,
        "nest 17 levels deep"},
    {NULL,
        BYTES(HEAD "## P\n> - > - > - > - > - > - > -\n"
                   "> - > - > - > - > - > - > - > - > - x\n"),
        8, "nest 17 levels deep"},
    {NULL,
        BYTES(HEAD "## P\n1. a\n   1. b\n      1. c\n"
                   "         > > > > > > > > > > > > > > deep\n"),
        10, "nest 17 levels deep"},
    {NULL, BYTES(HEAD "## P\n>>>>>>>>>>>>>>>>> deep\n\n```\nopen\n"), 9,
        "the ``` code block is never closed"},
    /* Placeholders: each one checked, at its own line. */
    {NULL, BYTES(HEAD "## P\nRun {{thread}} now.\n"), 7,
        "unknown parameter 'thread' in '{{thread}}'; module 'race' has: "
        "threads, iterations, fuzz"},
    {NULL, BYTES(HEAD_IO "## P\n\n{{task}} tasks\n"), 8,
        "unknown parameter 'task' in '{{task}}'; module 'io-vs-cpu' has: "
        "kind, io, mode, tasks, ms, workers, switch, sample, greedy"},
    {NULL, BYTES(HEAD "## Run {{x}}\ntext\n"), 6, "unknown parameter 'x'"},
    {NULL, BYTES(HEAD "Setext\n{{x}}\n---\ntext\n"), 7,
        "unknown parameter 'x'"},
    {NULL, BYTES(HEAD "## P\ntext\n\nmore {{}} here\n"), 9,
        "'{{}}' names no parameter; write one of module 'race' between "
        "the braces: threads, iterations, fuzz"},
    {NULL, BYTES(HEAD "## P\n{{threads\n"), 7,
        "'{{' is not closed by '}}' on its line"},
    /* A soft line break is a space. */
    {NULL, BYTES(HEAD "## P\na {{threads\nb}}\n"), 7,
        "unknown parameter 'threads b'"},
    {NULL, BYTES(HEAD "## P\na {{thr\\\neads}}\n"), 7, "is not closed"},
    {NULL, BYTES(HEAD "## P\n{{*threads*}}\n"), 7,
        "a style inside the braces of '{{threads}}'"},
    {NULL, BYTES(HEAD "## P\n`{{nope}}`\n"), 7, "unknown parameter 'nope'"},
    {NULL, BYTES(HEAD "## P\na\nb\nc {{nope}}\n"), 9,
        "unknown parameter 'nope'"},
    {NULL, BYTES(HEAD "## P\na\\\nb\\\n{{nope}}\n"), 9,
        "unknown parameter 'nope'"},
    {NULL, BYTES(HEAD "## P\n> a\n> {{nope}}\n"), 8, "unknown parameter"},
    {NULL, BYTES(HEAD "## P\n- a\n- b\n\n  {{nope}}\n"), 10,
        "unknown parameter"},
    {NULL, BYTES(HEAD "## P\n```\nx\ny {{nope}}\n```\n"), 9,
        "unknown parameter 'nope'"},
    {NULL, BYTES(HEAD "## P\ntext\n\n    a\n\n    {{nope}}\n"), 11,
        "unknown parameter 'nope'"},
    {NULL, BYTES(HEAD "## P\n<div>\na\n{{nope}}\n</div>\n"), 9,
        "unknown parameter"},
    {NULL, BYTES(HEAD "## P\n[a](http://x/{{nope}})\n"), 7,
        "unknown parameter 'nope'"},
    {NULL, BYTES(HEAD "## P\nfine {{threads}}\n\n## Q\nbad {{x}}\n"), 10,
        "unknown parameter 'x'"},
    {NULL,
        BYTES("# {{threads}} threads\n```lesson\nmodule: race\nsummary: s\n"
              "```\n## P\nx\n"),
        1,
        "'{{' in the title: placeholders work only in pages, since the "
        "title is also shown in the menu, where no parameters are set"},
    {NULL,
        BYTES("# T\n```lesson\nmodule: race\nsummary: {{threads}} of them\n"
              "```\n## P\nx\n"),
        4, "'{{' in the summary"},
    /* chapter: */
    {NULL, BYTES("# T\n```lesson\nmodule: race\nsummary: s\nchapter:\n```\n"),
        5, "'chapter' has no value"},
    {NULL,
        BYTES("# T\n```lesson\nmodule: race\nsummary: s\nchapter: "
              "0123456789012345678901234567890123456789012345678901234567890"
              "\n```\n## P\nx\n"),
        5, "'chapter' is 61 bytes long; the limit is 60 bytes"},
    {NULL,
        BYTES("# T\n```lesson\nmodule: race\nsummary: s\n"
              "chapter: {{threads}} threads\n```\n## P\nx\n"),
        5, "'{{' in the chapter"},
    {NULL,
        BYTES("# T\n```lesson\nmodule: race\nchapter: A\nsummary: s\n"
              "chapter: B\n```\n## P\nx\n"),
        6, "duplicate key 'chapter'; it is already set on line 4"},
};

/* The chapter key: its value, sanitized and trimmed; none without it. */
static const struct chapter_case {
	const char *data;
	size_t len;
	const char *chapter; /* NULL: none */
} chapter_cases[] = {
    {BYTES(HEAD "## P\nx\n"), NULL},
    {BYTES("# T\n```lesson\nmodule: race\nsummary: s\n"
           "chapter: Races and locks\n```\n## P\nx\n"),
        "Races and locks"},
    {BYTES("# T\n```lesson\nmodule: race\nsummary: s\n"
           "chapter: \t  Caf\xc3\xa9 *not* styled  \n```\n## P\nx\n"),
        "Caf\xc3\xa9 *not* styled"},
    {BYTES("# T\n```lesson\nmodule: race\nsummary: s\nchapter: "
           "012345678901234567890123456789012345678901234567890123456789"
           "\n```\n## P\nx\n"),
        "012345678901234567890123456789012345678901234567890123456789"},
};

START_TEST(test_lesson_chapter)
{
	const struct chapter_case *c = &chapter_cases[_i];
	char err[512];
	struct lesson *l;

	/* when */
	l = lesson_parse("c.md", c->data, c->len, err, sizeof err);

	/* then */
	ck_assert_msg(l != NULL, "case %d: %s", _i, err);
	if (c->chapter == NULL)
		ck_assert_ptr_null(l->chapter);
	else
		ck_assert_str_eq(l->chapter, c->chapter);
	lesson_free(l);
}
END_TEST

/* The name a bad case is loaded under, as it appears in messages (caller
 * frees). */
static char *
lesson_test_bad_name(const struct bad_case *c)
{
	char rel[256];

	if (c->file == NULL)
		return xstrdup("mem.md");
	snprintf(rel, sizeof rel, "tests/data/lessons/%s", c->file);
	return lesson_test_path(rel);
}

START_TEST(test_lesson_bad)
{
	const struct bad_case *c = &bad_cases[_i];
	char err[1024], want[512], *name = lesson_test_bad_name(c);
	struct lesson *l;

	/* when */
	if (c->file != NULL)
		l = lesson_load(name, err, sizeof err);
	else
		l = lesson_parse(name, c->data, c->len, err, sizeof err);

	/* then: exactly "NAME:LINE: message" */
	ck_assert_msg(l == NULL, "case %d loaded", _i);
	snprintf(want, sizeof want, "%s:%d: ", name, c->line);
	ck_assert_msg(strncmp(err, want, strlen(want)) == 0,
	    "case %d: got \"%s\", want prefix \"%s\"", _i, err, want);
	ck_assert_msg(strstr(err + strlen(want), c->message) != NULL,
	    "case %d: got \"%s\", want \"%s\"", _i, err, c->message);
	ck_assert_ptr_null(strchr(err, '\n'));
	free(name);
}
END_TEST

/* A valid lesson whose page holds one line of n bytes (caller frees). */
static char *
lesson_test_long_line(size_t n, size_t *len)
{
	size_t head = strlen(HEAD "## P\n");
	char *buf = xmalloc(head + n + 2);

	memcpy(buf, HEAD "## P\n", head);
	memset(buf + head, 'a', n);
	buf[head + n] = '\n';
	*len = head + n + 1;
	return buf;
}

START_TEST(test_lesson_line_limit)
{
	char err[512], *buf;
	struct lesson *l;
	size_t len;

	/* given a line of exactly the limit: fine */
	buf = lesson_test_long_line(LESSON_MAX_LINE, &len);
	l = lesson_parse("long.md", buf, len, err, sizeof err);
	ck_assert_msg(l != NULL, "%s", err);
	ck_assert_uint_eq(strlen(l->pages[0].text), LESSON_MAX_LINE);
	lesson_free(l);
	free(buf);

	/* given one byte more */
	buf = lesson_test_long_line(LESSON_MAX_LINE + 1, &len);
	l = lesson_parse("long.md", buf, len, err, sizeof err);
	ck_assert_ptr_null(l);
	ck_assert_str_eq(err,
	    "long.md:7: line is 4097 bytes long; the limit "
	    "is 4096");
	free(buf);

	/* given the long line at the very end, with no newline */
	buf = lesson_test_long_line(LESSON_MAX_LINE + 10, &len);
	l = lesson_parse("long.md", buf, len - 1, err, sizeof err);
	ck_assert_ptr_null(l);
	ck_assert_str_eq(err,
	    "long.md:7: line is 4106 bytes long; the limit "
	    "is 4096");
	free(buf);
}
END_TEST

START_TEST(test_lesson_size_limit)
{
	size_t len = LESSON_MAX_SIZE + 1, i;
	char err[512], *buf = xmalloc(len);
	struct lesson *l;

	/* given a valid lesson padded with short lines to one byte too many */
	memcpy(buf, HEAD "## P\n", strlen(HEAD "## P\n"));
	for (i = strlen(HEAD "## P\n"); i < len; i++)
		buf[i] = i % 64 == 63 ? '\n' : 'x';

	/* when, then */
	l = lesson_parse("big.md", buf, len, err, sizeof err);
	ck_assert_ptr_null(l);
	ck_assert_str_eq(err,
	    "big.md:1: file is 1048577 bytes; the limit is "
	    "1048576 bytes");

	/* one byte less is fine */
	l = lesson_parse("big.md", buf, len - 1, err, sizeof err);
	ck_assert_msg(l != NULL, "%s", err);
	lesson_free(l);
	free(buf);
}
END_TEST

START_TEST(test_lesson_load_oversized_file)
{
	char path[] = "/tmp/interleave-lesson-XXXXXX", err[512], want[600];
	int fd = mkstemp(path);
	FILE *f;
	struct lesson *l;

	ck_assert_int_ge(fd, 0);
	f = fdopen(fd, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fseek(f, LESSON_MAX_SIZE, SEEK_SET), 0);
	ck_assert_int_eq(fputc('\n', f), '\n');
	ck_assert_int_eq(fclose(f), 0);

	l = lesson_load(path, err, sizeof err);
	unlink(path);
	ck_assert_ptr_null(l);
	snprintf(want, sizeof want,
	    "%s:1: file is 1048577 bytes; the limit is 1048576 bytes", path);
	ck_assert_str_eq(err, want);
}
END_TEST

START_TEST(test_lesson_load_missing_file)
{
	char err[512];
	struct lesson *l;

	l = lesson_load("/nonexistent/dir/x.md", err, sizeof err);
	ck_assert_ptr_null(l);
	ck_assert_str_eq(err,
	    "/nonexistent/dir/x.md:1: cannot open: No such "
	    "file or directory");
}
END_TEST

START_TEST(test_lesson_pages_and_lines)
{
	static const char md[] = HEAD "\n## One\n\nA.\n\n## Two\nB.\n";
	char err[512];
	struct lesson *l =
	    lesson_parse("p.md", md, strlen(md), err, sizeof err);

	ck_assert_msg(l != NULL, "%s", err);
	ck_assert_uint_eq(l->npages, 2);
	ck_assert_str_eq(l->pages[0].title, "One");
	ck_assert_str_eq(l->pages[0].text, "A.");
	ck_assert_int_eq(l->pages[0].line, 7);
	ck_assert_str_eq(l->pages[1].title, "Two");
	ck_assert_str_eq(l->pages[1].text, "B.");
	ck_assert_int_eq(l->pages[1].line, 11);
	lesson_free(l);
}
END_TEST

/* The same lesson with every kind of line ending, and a byte order mark. */
static const struct ending_case {
	const char *data;
	size_t len;
} ending_cases[] = {
    {BYTES("# T\n```lesson\nmodule: race\nsummary: s\n```\n## P\n"
           "a\nb\n\nc\n")},
    {BYTES("# T\r\n```lesson\r\nmodule: race\r\nsummary: s\r\n```\r\n"
           "## P\r\na\r\nb\r\n\r\nc")},
    {BYTES("# T\r```lesson\rmodule: race\rsummary: s\r```\r## P\ra\rb"
           "\r\rc\r")},
    {BYTES("\xef\xbb\xbf# T\n```lesson\nmodule: race\nsummary: s\n```\n"
           "## P\na\nb\n\nc\n")},
};

START_TEST(test_lesson_line_endings)
{
	const struct ending_case *c = &ending_cases[_i];
	char err[512];
	struct lesson *l;

	l = lesson_parse("e.md", c->data, c->len, err, sizeof err);
	ck_assert_msg(l != NULL, "%s", err);
	ck_assert_str_eq(l->title, "T");
	ck_assert_str_eq(l->summary, "s");
	ck_assert_uint_eq(l->npages, 1);
	ck_assert_int_eq(l->pages[0].line, 6);
	ck_assert_str_eq(l->pages[0].text, "a b\n\nc");
	lesson_free(l);
}
END_TEST

START_TEST(test_lesson_error_buffer)
{
	char small[12];
	struct lesson *l;

	/* A message longer than the buffer is cut, and still terminated. */
	memset(small, 'z', sizeof small);
	l = lesson_parse("a-long-name.md", "", 0, small, sizeof small);
	ck_assert_ptr_null(l);
	ck_assert_str_eq(small, "a-long-name");

	/* No buffer at all is allowed. */
	ck_assert_ptr_null(lesson_parse("x.md", "\x1b", 1, NULL, 0));
}
END_TEST

Suite *
make_lesson_suite(void)
{
	Suite *s = suite_create("lesson");
	TCase *tc;

	tc = tcase_create("good");
	tcase_add_loop_test(
	    tc, test_lesson_good, 0, (int)IL_ARRAY_LEN(good_cases));
	tcase_add_test(tc, test_lesson_race_pages_are_short);
	tcase_add_test(tc, test_lesson_doc_example);
	tcase_add_loop_test(
	    tc, test_lesson_chapter, 0, (int)IL_ARRAY_LEN(chapter_cases));
	tcase_add_test(tc, test_lesson_pages_and_lines);
	tcase_add_loop_test(
	    tc, test_lesson_line_endings, 0, (int)IL_ARRAY_LEN(ending_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("bad");
	tcase_add_loop_test(
	    tc, test_lesson_bad, 0, (int)IL_ARRAY_LEN(bad_cases));
	tcase_add_test(tc, test_lesson_line_limit);
	tcase_add_test(tc, test_lesson_size_limit);
	tcase_add_test(tc, test_lesson_load_oversized_file);
	tcase_add_test(tc, test_lesson_load_missing_file);
	tcase_add_test(tc, test_lesson_error_buffer);
	suite_add_tcase(s, tc);

	suite_add_tcase(s, make_lesson_limits_tcase());
	suite_add_tcase(s, make_lesson_blocks_tcase());
	suite_add_tcase(s, make_lesson_render_tcase());
	return s;
}
