/* Tests for how a lesson's Markdown renders to page text: styles, lists,
 * code, links, titles, and placeholders expanded. Part of the lesson
 * suite (see make_lesson_suite() in test_lesson.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lesson.h"
#include "suites.h"
#include "test_lesson.h"
#include "util.h"

/* How page Markdown becomes plain text. */
static const struct render_case {
	const char *what;
	const char *md;
	const char *text;
} render_cases[] = {
    {"emphasis and strong", "Some *emphasis* and **strong** text.",
        "Some " EON "emphasis" EOFF " and " SON "strong" SOFF " text."},
    {"code span without backticks", "Run `counter = counter + 1` now.",
        "Run " CON "counter = counter + 1" COFF " now."},
    {"code span with a backtick", "`` a`b ``", CON "a`b" COFF},
    {"emphasis in emphasis is one", "*a _b_ c*", EON "a b c" EOFF},
    {"strong in emphasis", "*a **b** c*", EON "a " SON "b" SOFF " c" EOFF},
    {"both end together", "**a *b***", SON "a " EON "b" EOFF SOFF},
    {"code in emphasis", "*see `x = 1`*", EON "see " CON "x = 1" COFF EOFF},
    {"emphasis over a soft break", "*one\ntwo*", EON "one two" EOFF},
    {"emphasis over a hard break", "*one\\\ntwo*",
        EON "one" EOFF "\n" EON "two" EOFF},
    {"quote marks stay plain", "> *one\\\ntwo*",
        "> " EON "one" EOFF "\n> " EON "two" EOFF},
    {"styled sub heading", "### *Note*\n\nText.", EON "Note" EOFF "\n\nText."},
    {"link with styled text", "[the *docs*](https://x.org)",
        "the " EON "docs" EOFF " (https://x.org)"},
    {"styled autolink", "*<https://x.org>*", EON "https://x.org" EOFF},
    {"lines of a paragraph join", "one\ntwo\nthree", "one two three"},
    {"hard break", "one\\\ntwo", "one\ntwo"},
    {"paragraphs", "First.\n\nSecond.", "First.\n\nSecond."},
    {"bullet list", "- a\n- b", "- a\n- b"},
    {"star bullets", "* a\n* b", "- a\n- b"},
    {"ordered list", "1. load\n2. add\n3. store", "1. load\n2. add\n3. store"},
    {"ordered list from 3", "3) x\n4) y", "3) x\n4) y"},
    {"nested list", "- a\n  - b\n  - c\n- d", "- a\n  - b\n  - c\n- d"},
    {"list item on two lines", "- long\n  item", "- long item"},
    {"list then paragraph", "- a\n- b\n\nAfter.", "- a\n- b\n\nAfter."},
    {"loose list", "- a\n\n- b", "- a\n\n- b"},
    {"code block", "Code:\n\n```c\nint x;\n\tx++;\n```",
        "Code:\n\n  " CON "int x;" COFF "\n  " CON "    x++;" COFF},
    {"indented code that looks like a fence", "Code:\n\n    ```  \n    x",
        "Code:\n\n  " CON "```  " COFF "\n  " CON "x" COFF},
    {"step block kept as code", "```step\nQ?\n```", "  " CON "Q?" COFF},
    {"code block in a list", "- x\n\n  ```\n  a\n\n  b\n  ```",
        "- x\n\n    " CON "a" COFF "\n\n    " CON "b" COFF},
    {"blanks end the page before the marker", "```\nx  \n```",
        "  " CON "x" COFF},
    {"block quote", "> quoted\n> text", "> quoted text"},
    {"16 levels of quotes", ">>>>>>>>>>>>>>>> deep\\\nlazy",
        "> > > > > > > > > > > > > > > > deep\n"
        "> > > > > > > > > > > > > > > > lazy"},
    {"link", "See [the docs](https://x.org/d).",
        "See the docs (https://x.org/d)."},
    {"autolink", "<https://x.org>", "https://x.org"},
    {"sub heading", "### Note\n\nText.", "Note\n\nText."},
    {"entity decoded", "a &amp; b &lt; c", "a & b < c"},
    /* Defence in depth: the raw check cannot see these, they are made
	 * by cmark from character references. */
    {"escape from a reference", "x&#27;[2Jy", "x\\x1b[2Jy"},
    {"bidi from a reference", "a&#x202E;b", "a\\u202eb"},
    {"tab from a reference", "a&#9;b", "a b"},
    {"placeholders stay for lesson_expand()",
        "{{threads}} threads, `{{fuzz}}` ms",
        "{{threads}} threads, " CON "{{fuzz}}" COFF " ms"},
    {"single braces are text", "{a} {x}} }}", "{a} {x}} }}"},
    {"markers from references", "&#1;&#2;*&#3;&#4;*&#5;&#6;`&#1;`",
        "\\x01\\x02" EON "\\x03\\x04" EOFF "\\x05\\x06" CON "&#1;" COFF},
};

START_TEST(test_lesson_render)
{
	const struct render_case *c = &render_cases[_i];
	char err[512], buf[1024];
	struct lesson *l;

	snprintf(buf, sizeof buf, HEAD "## P\n%s\n", c->md);
	l = lesson_parse("r.md", buf, strlen(buf), err, sizeof err);
	ck_assert_msg(l != NULL, "%s: %s", c->what, err);
	ck_assert_uint_eq(l->npages, 1);
	ck_assert_msg(strcmp(l->pages[0].text, c->text) == 0,
	    "%s: got \"%s\", want \"%s\"", c->what, l->pages[0].text, c->text);
	lesson_test_check_text(l->pages[0].text, 1);
	lesson_free(l);
}
END_TEST

/* Titles and the summary: sanitized and plain, with no style markers. */
static const struct title_case {
	const char *md;
	const char *title, *summary, *page_title;
} title_cases[] = {
    {"# Hi &#27;]0;x&#7; *there*\n"
     "```lesson\nmodule: race\nsummary: a &#27; b\n```\n"
     "## Page &#x2066;\ntext\n",
        /* The summary is copied as written: metadata is not Markdown. */
        "Hi \\x1b]0;x\\x07 there", "a &#27; b", "Page \\u2066"},
    /* Code spans keep their backticks. */
    {"# The `x` *race*\n"
     "```lesson\nmodule: race\nsummary: *s* `t`\n```\n"
     "## Run **`x = 1`** _now_\ntext\n",
        "The `x` race", "*s* `t`", "Run `x = 1` now"},
};

START_TEST(test_lesson_titles)
{
	const struct title_case *c = &title_cases[_i];
	char err[512];
	struct lesson *l =
	    lesson_parse("dir/sub/t.md", c->md, strlen(c->md), err, sizeof err);

	ck_assert_msg(l != NULL, "%s", err);
	ck_assert_str_eq(l->id, "t");
	ck_assert_str_eq(l->title, c->title);
	ck_assert_str_eq(l->summary, c->summary);
	ck_assert_str_eq(l->pages[0].title, c->page_title);
	lesson_free(l);
}
END_TEST

/* lesson_expand() puts each parameter's value in this run in place of
 * its placeholder. */
static const struct expand_case {
	const char *head; /* HEAD or HEAD_IO */
	const char *text;
	const char *name[2]; /* parameters set for the run, or NULL */
	long value[2];
	const char *out;
} expand_cases[] = {
    {HEAD, "{{threads}} threads", {"threads"}, {6}, "6 threads"},
    {HEAD, "{{threads}} threads", {NULL}, {0}, "2 threads"},
    {HEAD, "No placeholder.", {"threads"}, {6}, "No placeholder."},
    {HEAD, "", {NULL}, {0}, ""},
    {HEAD, CON "{{threads}}" COFF " and " EON "{{iterations}}" EOFF,
        {"threads", "iterations"}, {3, 1000},
        CON "3" COFF " and " EON "1000" EOFF},
    {HEAD, "{{threads}}{{threads}}", {"threads"}, {16}, "1616"},
    {HEAD, "}}{{threads}}{{", {"threads"}, {6}, "}}6{{"},
    {HEAD, "{{fuzz}}", {"fuzz"}, {-1}, "-1"},
    {HEAD, "{{nope}} {{}} {{{threads}}} {{*x*}}", {"threads"}, {6},
        "{{nope}} {{}} {{{threads}}} {{*x*}}"},
    {HEAD, "{{threads\n}} {{threads", {"threads"}, {6},
        "{{threads\n}} {{threads"},
    {HEAD_IO, "{{tasks}} tasks", {"tasks"}, {6}, "6 tasks"},
    {HEAD_IO, "{{kind}} tasks, mode={{mode}}", {"kind", "mode"}, {1, 4},
        "cpu tasks, mode=eventloop"},
    {HEAD_IO, "{{kind}}", {"kind"}, {7}, "7"},
};

START_TEST(test_lesson_expand)
{
	const struct expand_case *c = &expand_cases[_i];
	char err[512], md[256], *out;
	long params[MODULE_MAX_PARAMS];
	const long *run = NULL;
	struct lesson *l;
	int i, idx;

	/* given a lesson of the module, and the run's parameters */
	snprintf(md, sizeof md, "%s## P\ntext\n", c->head);
	l = lesson_parse("x.md", md, strlen(md), err, sizeof err);
	ck_assert_msg(l != NULL, "%s", err);
	memcpy(params, l->params, sizeof params);
	for (i = 0; i < 2 && c->name[i] != NULL; i++) {
		idx = module_param_index(l->module, c->name[i]);
		ck_assert_int_ge(idx, 0);
		params[idx] = c->value[i];
		run = params;
	}

	/* when */
	out = lesson_expand(l, c->text, run);

	/* then */
	ck_assert_str_eq(out, c->out);
	free(out);
	lesson_free(l);
}
END_TEST

/* A page's placeholders come through loading as written, and expand. */
START_TEST(test_lesson_expand_page)
{
	static const char md[] =
	    HEAD_IO "## {{tasks}} tasks\n"
	            "**{{tasks}}** tasks of {{ms}} ms:\n\n    sleep({{ms}});\n";
	char err[512], *title, *text;
	struct lesson *l =
	    lesson_parse("x.md", md, strlen(md), err, sizeof err);
	long params[MODULE_MAX_PARAMS];

	ck_assert_msg(l != NULL, "%s", err);
	memcpy(params, l->params, sizeof params);
	params[module_param_index(l->module, "tasks")] = 6;
	title = lesson_expand(l, l->pages[0].title, params);
	text = lesson_expand(l, l->pages[0].text, params);
	ck_assert_str_eq(title, "6 tasks");
	ck_assert_str_eq(text,
	    SON "6" SOFF " tasks of 500 ms:\n\n  " CON "sleep(500);" COFF);
	free(title);
	free(text);
	lesson_free(l);
}
END_TEST

/* lesson_strip_styles() leaves the text a plain front end can print. */
static const struct strip_case {
	const char *in;
	const char *out;
} strip_cases[] = {
    {"", ""},
    {"plain\ntext", "plain\ntext"},
    {"Run " CON "x = 1" COFF " now.", "Run x = 1 now."},
    {EON "a " SON "b" SOFF EOFF "\n\n" CON "c" COFF, "a b\n\nc"},
    {CON COFF EON EOFF SON SOFF, ""},
    {"\\x01 stays", "\\x01 stays"},
};

START_TEST(test_lesson_strip_styles)
{
	const struct strip_case *c = &strip_cases[_i];
	char *s = xstrdup(c->in);

	ck_assert_uint_eq(lesson_strip_styles(s), strlen(c->out));
	ck_assert_str_eq(s, c->out);
	free(s);
}
END_TEST

/* The markers in the header are the bytes this file writes. */
START_TEST(test_lesson_marker_values)
{
	ck_assert_int_eq(LESSON_CODE_ON, CON[0]);
	ck_assert_int_eq(LESSON_CODE_OFF, COFF[0]);
	ck_assert_int_eq(LESSON_EMPH_ON, EON[0]);
	ck_assert_int_eq(LESSON_EMPH_OFF, EOFF[0]);
	ck_assert_int_eq(LESSON_STRONG_ON, SON[0]);
	ck_assert_int_eq(LESSON_STRONG_OFF, SOFF[0]);
}
END_TEST

TCase *
make_lesson_render_tcase(void)
{
	TCase *tc = tcase_create("render");

	tcase_add_loop_test(
	    tc, test_lesson_render, 0, (int)IL_ARRAY_LEN(render_cases));
	tcase_add_loop_test(
	    tc, test_lesson_strip_styles, 0, (int)IL_ARRAY_LEN(strip_cases));
	tcase_add_test(tc, test_lesson_marker_values);
	tcase_add_loop_test(
	    tc, test_lesson_expand, 0, (int)IL_ARRAY_LEN(expand_cases));
	tcase_add_test(tc, test_lesson_expand_page);
	tcase_add_loop_test(
	    tc, test_lesson_titles, 0, (int)IL_ARRAY_LEN(title_cases));
	return tc;
}
