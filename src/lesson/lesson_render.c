/*
 * Rendering of a cmark tree into a lesson's plain, styled text: blocks,
 * list items, code, links and inline styles, written through the buffer
 * in lesson_out.c.
 */
#include <cmark.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lesson_int.h"
#include "sanitize.h"
#include "util.h"

/* Whether a node is laid out tightly: an item of a tight list, or a block
 * inside such an item. */
static int
lesson_is_tight(cmark_node *n)
{
	cmark_node *parent = cmark_node_parent(n);

	if (parent == NULL)
		return 0;
	if (cmark_node_get_type(n) == CMARK_NODE_ITEM)
		return cmark_node_get_list_tight(parent);
	if (cmark_node_get_type(parent) == CMARK_NODE_ITEM &&
	    cmark_node_parent(parent) != NULL)
		return cmark_node_get_list_tight(cmark_node_parent(parent));
	return 0;
}

/* Separate a block from what came before it. */
static void
lesson_out_separate(struct lesson_out *o, cmark_node *n)
{
	cmark_node *parent = cmark_node_parent(n);

	/* The first block of an item or quote follows its marker. */
	if (parent != NULL && cmark_node_previous(n) == NULL &&
	    (cmark_node_get_type(parent) == CMARK_NODE_ITEM ||
	        cmark_node_get_type(parent) == CMARK_NODE_BLOCK_QUOTE))
		return;
	if (lesson_is_tight(n))
		lesson_out_cr(o);
	else
		lesson_out_blank(o);
}

/* Start a list item: write its marker and indent what follows under it. */
static void
lesson_out_item(struct lesson_out *o, cmark_node *n)
{
	cmark_node *list = cmark_node_parent(n);
	char marker[32];
	long number = 0;
	size_t mlen, i;

	if (o->nframes > 0)
		number = o->frames[o->nframes - 1].number++;
	if (list != NULL &&
	    cmark_node_get_list_type(list) == CMARK_ORDERED_LIST)
		snprintf(marker, sizeof marker, "%ld%c ", number,
		    cmark_node_get_list_delim(list) == CMARK_PAREN_DELIM ? ')'
		                                                         : '.');
	else
		snprintf(marker, sizeof marker, "- ");
	mlen = strlen(marker);
	if (o->at_line_start) {
		lesson_out_raw(o, o->prefix, o->plen);
		o->at_line_start = 0;
	}
	lesson_out_raw(o, marker, mlen);
	lesson_out_push(o, 0);
	for (i = 0; i < mlen; i++)
		lesson_out_push_prefix(o, " ", 1);
}

/* Append text from the file that may span lines, counting them. */
static void
lesson_out_lines(struct lesson_out *o, const char *s, size_t n)
{
	const char *nl;
	size_t k;

	while (n > 0) {
		nl = memchr(s, '\n', n);
		k = nl != NULL ? (size_t)(nl - s) + 1 : n;
		lesson_out_safe(o, s, k);
		if (nl != NULL)
			lesson_out_line(o, o->line + 1);
		s += k;
		n -= k;
	}
}

/* A code block's literal with tabs expanded to stops every four columns
 * (the sanitizer would turn a tab into one space) and without the final
 * newlines; *len gets its length (caller frees). */
static char *
lesson_code_expand(const char *lit, size_t *len)
{
	size_t n = strlen(lit), tabs = 0, i, k = 0, col = 0;
	char *s;

	while (n > 0 && lit[n - 1] == '\n')
		n--;
	for (i = 0; i < n; i++)
		tabs += lit[i] == '\t';
	s = xmalloc(n + 3 * tabs + 1);
	for (i = 0; i < n; i++) {
		if (lit[i] == '\t') {
			do
				s[k++] = ' ';
			while (++col % 4 != 0);
			continue;
		}
		s[k++] = lit[i];
		if (lit[i] == '\n')
			col = 0;
		else if (((unsigned char)lit[i] & 0xc0) != 0x80)
			col++;
	}
	s[k] = '\0';
	*len = k;
	return s;
}

/* The line a code block's text starts on: a fenced block's text follows
 * its opening fence; an indented block has one line of text per line. */
static int
lesson_code_first_line(cmark_node *n, const char *lit)
{
	int first = cmark_node_get_start_line(n), lines = 0;

	for (; *lit != '\0'; lit++)
		lines += *lit == '\n';
	return lines == cmark_node_get_end_line(n) - first + 1 ? first
	                                                       : first + 1;
}

/* Write a code block's text indented by two spaces. */
static void
lesson_out_code(struct lesson_out *o, cmark_node *n)
{
	const char *lit = cmark_node_get_literal(n);
	size_t plen = o->plen, len;
	char *code;

	if (lit == NULL)
		return;
	lesson_out_line(o, lesson_code_first_line(n, lit));
	code = lesson_code_expand(lit, &len);
	lesson_out_push_prefix(o, "  ", 2);
	if (!o->at_line_start)
		lesson_out_raw(o, "  ", 2);
	lesson_out_style(o, LESSON_CODE, 1);
	lesson_out_lines(o, code, len);
	lesson_out_style(o, LESSON_CODE, -1);
	free(code);
	o->plen = plen;
	o->prefix[plen] = '\0';
}

/* Write the text of a node with only a literal (code, HTML). */
static void
lesson_out_literal(struct lesson_out *o, cmark_node *n)
{
	const char *lit = cmark_node_get_literal(n);
	size_t len;

	if (lit == NULL)
		return;
	len = strlen(lit);
	while (len > 0 && lit[len - 1] == '\n')
		len--;
	lesson_out_lines(o, lit, len);
}

/* Whether the n bytes of output at s, without their markers, are the
 * string str. */
static int
lesson_out_is(const char *s, size_t n, const char *str)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (lesson_is_marker(s[i]))
			continue;
		if (*str++ != s[i])
			return 0;
	}
	return *str == '\0';
}

/* After a link's text, show where it points unless the text is the URL. */
static void
lesson_out_link_end(struct lesson_out *o, cmark_node *n)
{
	const char *raw = cmark_node_get_url(n), *text;
	size_t tlen = o->len - o->link_start;
	char *url;

	if (raw == NULL || *raw == '\0')
		return;
	url = sanitize_text(raw, strlen(raw), 0);
	text = o->s != NULL ? o->s + o->link_start : "";
	if (!lesson_out_is(text, tlen, url) &&
	    !(strncmp(url, "mailto:", 7) == 0 &&
	        lesson_out_is(text, tlen, url + 7))) {
		lesson_out_str(o, " (");
		lesson_out_str(o, url);
		lesson_out_str(o, ")");
	}
	free(url);
}

/* Render a block node on entry: separate it from what came before and
 * open its frame or write its text. */
static void
lesson_out_enter_block(struct lesson_out *o, cmark_node *n)
{
	lesson_out_separate(o, n);
	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_BLOCK_QUOTE:
		lesson_out_push(o, 0);
		if (!o->at_line_start)
			lesson_out_raw(o, "> ", 2);
		lesson_out_push_prefix(o, "> ", 2);
		break;
	case CMARK_NODE_LIST:
		lesson_out_push(o, cmark_node_get_list_start(n));
		break;
	case CMARK_NODE_ITEM:
		lesson_out_item(o, n);
		break;
	case CMARK_NODE_CODE_BLOCK:
		lesson_out_code(o, n);
		break;
	case CMARK_NODE_HTML_BLOCK:
		lesson_out_literal(o, n);
		break;
	case CMARK_NODE_THEMATIC_BREAK:
		lesson_out_str(o, "---");
		break;
	default: /* a paragraph or heading: its inlines hold the text */
		break;
	}
}

/* Render an inline node on entry. */
static void
lesson_out_enter_inline(struct lesson_out *o, cmark_node *n)
{
	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_TEXT:
	case CMARK_NODE_HTML_INLINE:
		lesson_out_literal(o, n);
		break;
	case CMARK_NODE_CODE:
		if (o->inline_only)
			lesson_out_str(o, "`");
		lesson_out_style(o, LESSON_CODE, 1);
		lesson_out_literal(o, n);
		lesson_out_style(o, LESSON_CODE, -1);
		if (o->inline_only)
			lesson_out_str(o, "`");
		break;
	case CMARK_NODE_EMPH:
		lesson_out_style(o, LESSON_EMPH, 1);
		break;
	case CMARK_NODE_STRONG:
		lesson_out_style(o, LESSON_STRONG, 1);
		break;
	case CMARK_NODE_SOFTBREAK:
		lesson_out_str(o, " ");
		lesson_out_line(o, o->line + 1);
		break;
	case CMARK_NODE_LINEBREAK:
		lesson_out_str(o, o->inline_only ? " " : "\n");
		lesson_out_line(o, o->line + 1);
		break;
	case CMARK_NODE_LINK:
		o->link_start = o->len;
		break;
	default:
		break;
	}
}

/* Render one node on entry. */
static void
lesson_out_enter(struct lesson_out *o, cmark_node *n)
{
	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_BLOCK_QUOTE:
	case CMARK_NODE_LIST:
	case CMARK_NODE_ITEM:
	case CMARK_NODE_CODE_BLOCK:
	case CMARK_NODE_HTML_BLOCK:
	case CMARK_NODE_THEMATIC_BREAK:
	case CMARK_NODE_PARAGRAPH:
	case CMARK_NODE_HEADING:
		if (cmark_node_get_start_line(n) > 0)
			lesson_out_line(o, cmark_node_get_start_line(n));
		lesson_out_enter_block(o, n);
		break;
	default:
		if (cmark_node_get_start_line(n) > 0 &&
		    cmark_node_get_type(n) < CMARK_NODE_FIRST_INLINE)
			lesson_out_line(o, cmark_node_get_start_line(n));
		lesson_out_enter_inline(o, n);
		break;
	}
}

/* Render one node on exit. */
static void
lesson_out_exit(struct lesson_out *o, cmark_node *n)
{
	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_BLOCK_QUOTE:
	case CMARK_NODE_LIST:
	case CMARK_NODE_ITEM:
		lesson_out_pop(o);
		break;
	case CMARK_NODE_LINK:
		lesson_out_link_end(o, n);
		break;
	case CMARK_NODE_EMPH:
		lesson_out_style(o, LESSON_EMPH, -1);
		break;
	case CMARK_NODE_STRONG:
		lesson_out_style(o, LESSON_STRONG, -1);
		break;
	default:
		break;
	}
}

/* Render a node and everything under it as plain text. The iterator keeps
 * this free of recursion, however deeply the Markdown nests. */
void
lesson_out_node(struct lesson_out *o, cmark_node *root)
{
	cmark_iter *it = cmark_iter_new(root);
	cmark_event_type ev;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		if (ev == CMARK_EVENT_ENTER)
			lesson_out_enter(o, cmark_iter_get_node(it));
		else if (ev == CMARK_EVENT_EXIT)
			lesson_out_exit(o, cmark_iter_get_node(it));
	}
	cmark_iter_free(it);
}
