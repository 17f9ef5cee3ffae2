/*
 * Lesson files: loading, and the walk over the parsed document that takes
 * the title, the ```lesson metadata block and the narration pages. The
 * raw bytes and the tree are checked first (lesson_check.c) so that every
 * problem is reported at its exact line; the blocks are rendered to text
 * by lesson_render.c into the buffer of lesson_out.c; the metadata block
 * is read by lesson_meta.c and placeholders by lesson_placeholder.c;
 * the interactive blocks (```predict and the rest) by lesson_blocks.c,
 * with goals in lesson_goal.c and each module's result keys in
 * lesson_keys.c. The format is documented in doc/lesson-format.md.
 */
#include "lesson.h"

#include <cmark.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lesson_int.h"
#include "paths.h"
#include "sanitize.h"
#include "util.h"

/* Write "NAME:LINE: message" into the caller's error buffer. */
void
lesson_error(struct lesson_parse *p, int line, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (p->err == NULL || p->errlen == 0)
		return;
	n = snprintf(p->err, p->errlen, "%s:%d: ", p->name, line);
	if (n < 0 || (size_t)n >= p->errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
	va_end(ap);
}

/* Report text that grew past the lesson's limit, if it did. */
static int
lesson_check_full(struct lesson_parse *p, const struct lesson_out *o)
{
	if (o->full_line == 0)
		return 0;
	lesson_error(p, o->full_line,
	    "the text grows past %zu bytes here once laid out; the limit is "
	    "twice the file's size plus 65536 bytes, and quote marks, list "
	    "indents and link addresses count each time they are shown",
	    LESSON_TEXT_LIMIT(p->len));
	return -1;
}

/* A heading's text on one line, sanitized, into *text (caller frees). A
 * page's may hold placeholders; the lesson's title, shown in the menu,
 * may not. */
static int
lesson_heading_text(
    struct lesson_parse *p, cmark_node *heading, int page, char **text)
{
	int line = cmark_node_get_start_line(heading);
	struct lesson_out o;
	cmark_node *c;

	lesson_out_init(&o, p->text_left, 1);
	lesson_out_line(&o, line);
	for (c = cmark_node_first_child(heading); c != NULL;
	     c = cmark_node_next(c))
		lesson_out_node(&o, c);
	if (lesson_check_full(p, &o) != 0 ||
	    (page ? lesson_check_placeholders(p, &o, 0)
	          : lesson_check_no_placeholder(p, o.s != NULL ? o.s : "",
	                o.len, line, "title")) != 0) {
		lesson_out_free(&o);
		return -1;
	}
	*text = lesson_out_finish(&o);
	lesson_out_free(&o);
	p->text_left -= strlen(*text);
	return 0;
}

/* Take the level-1 heading as the title. */
static int
lesson_title(struct lesson_parse *p, cmark_node *n)
{
	int line = cmark_node_get_start_line(n);

	if (p->title_line != 0) {
		lesson_error(p, line,
		    "a second title (level-1 heading); the "
		    "title is on line %d, and pages start with '##'",
		    p->title_line);
		return -1;
	}
	if (p->page_line != 0) {
		lesson_error(p, line,
		    "the title (level-1 heading) must come "
		    "before the first page (line %d)",
		    p->page_line);
		return -1;
	}
	p->title_line = line;
	if (lesson_heading_text(p, n, 0, &p->l->title) != 0)
		return -1;
	if (p->l->title[0] == '\0') {
		lesson_error(p, line, "the title is empty");
		return -1;
	}
	return 0;
}

/* Finish the page being collected and add it to the lesson. */
static int
lesson_page_end(struct lesson_parse *p)
{
	struct lesson *l = p->l;
	struct lesson_page *pg;
	char *text;

	if (p->page_line == 0)
		return 0;
	text = lesson_out_finish(&p->page);
	lesson_out_free(&p->page);
	p->text_left -= strlen(text);
	if (text[0] == '\0') {
		free(text);
		lesson_error(p, p->page_line, "the page '%s' has no text",
		    p->page_title);
		return -1;
	}
	l->pages = xrealloc(l->pages, (l->npages + 1) * sizeof *l->pages);
	pg = &l->pages[l->npages++];
	pg->title = p->page_title;
	pg->text = text;
	pg->line = p->page_line;
	pg->show = p->page_show;
	p->page_title = NULL;
	p->page_line = 0;
	return 0;
}

/* Start a page at a level-2 heading. */
static int
lesson_page_start(struct lesson_parse *p, cmark_node *n)
{
	int line = cmark_node_get_start_line(n);

	if (lesson_page_end(p) != 0 ||
	    lesson_heading_text(p, n, 1, &p->page_title) != 0)
		return -1;
	p->page_line = line;
	memset(&p->page_show, 0, sizeof p->page_show);
	if (p->page_title[0] == '\0') {
		lesson_error(p, line, "the page heading is empty");
		return -1;
	}
	lesson_out_init(&p->page, p->text_left, 0);
	return 0;
}

/* A name for a block in messages. */
static const char *
lesson_block_name(cmark_node *n)
{
	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_PARAGRAPH:
		return "text";
	case CMARK_NODE_LIST:
		return "a list";
	case CMARK_NODE_BLOCK_QUOTE:
		return "a block quote";
	case CMARK_NODE_CODE_BLOCK:
		return "a code block";
	case CMARK_NODE_HTML_BLOCK:
		return "HTML";
	case CMARK_NODE_THEMATIC_BREAK:
		return "a horizontal rule";
	case CMARK_NODE_HEADING:
		return "a heading";
	default:
		return "something";
	}
}

/* Interpret one top-level block. */
static int
lesson_block(struct lesson_parse *p, cmark_node *n)
{
	cmark_node_type type = cmark_node_get_type(n);
	const char *word = "";
	size_t wlen = 0, from;

	if (type == CMARK_NODE_HEADING && cmark_node_get_heading_level(n) == 1)
		return lesson_title(p, n);
	if (type == CMARK_NODE_HEADING && cmark_node_get_heading_level(n) == 2)
		return lesson_page_start(p, n);
	if (type == CMARK_NODE_CODE_BLOCK) {
		wlen = lesson_info_word(n, &word);
		if (wlen == 6 && memcmp(word, "lesson", 6) == 0)
			return lesson_meta(p, n);
	}
	if (p->page_line == 0) {
		lesson_error(p, cmark_node_get_start_line(n),
		    "%s before the first page; only the title and the "
		    "```lesson block may come before it (start a page with "
		    "'## Heading')",
		    lesson_block_name(n));
		return -1;
	}
	/* The interactive blocks are for the screen, not the page's text. */
	if (type == CMARK_NODE_CODE_BLOCK && lesson_is_block(word, wlen))
		return lesson_blocks(p, n, word, wlen);
	from = p->page.len;
	p->page.nmarks = 0; /* only this block's text is checked */
	lesson_out_node(&p->page, n);
	if (lesson_check_full(p, &p->page) != 0 ||
	    lesson_check_placeholders(p, &p->page, from) != 0)
		return -1;
	return 0;
}

/* Walk the document's top-level blocks, then check nothing is missing. */
static int
lesson_walk(struct lesson_parse *p, cmark_node *doc)
{
	cmark_node *n;

	for (n = cmark_node_first_child(doc); n != NULL;
	     n = cmark_node_next(n)) {
		if (lesson_block(p, n) != 0)
			return -1;
	}
	if (lesson_page_end(p) != 0 || lesson_demo_resolve(p) != 0)
		return -1;
	if (p->title_line == 0) {
		lesson_error(p, 1,
		    "the lesson has no title; start the file "
		    "with a level-1 heading such as '# The lost "
		    "update'");
		return -1;
	}
	if (p->block_line == 0) {
		lesson_error(p, 1,
		    "the lesson has no ```lesson block; add one "
		    "with at least 'module:' and 'summary:'");
		return -1;
	}
	if (p->l->npages == 0) {
		lesson_error(p, (int)p->nlines,
		    "the lesson has no pages; the "
		    "file ends here, but each page starts with a level-2 "
		    "heading ('## Page title')");
		return -1;
	}
	return 0;
}

/* A new, empty lesson named after name: its id is the base name without
 * ".md". */
static struct lesson *
lesson_new(const char *name)
{
	struct lesson *l = xcalloc(1, sizeof *l);
	const char *base = strrchr(name, '/');
	size_t len;

	base = base != NULL ? base + 1 : name;
	len = strlen(base);
	if (len > 3 && strcmp(base + len - 3, ".md") == 0)
		len -= 3;
	l->path = sanitize_text(name, strlen(name), 0);
	l->id = sanitize_text(base, len, 0);
	return l;
}

/* Parse and validate a lesson from memory. */
struct lesson *
lesson_parse(
    const char *name, const char *buf, size_t len, char *err, size_t errlen)
{
	struct lesson_parse p;
	cmark_node *doc = NULL;
	int rc = -1;
	size_t i;

	if (name == NULL)
		name = "(lesson)";
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	memset(&p, 0, sizeof p);
	p.name = sanitize_text(name, strlen(name), 0);
	p.buf = buf;
	p.len = len;
	p.err = err;
	p.errlen = errlen;
	p.text_left = LESSON_TEXT_LIMIT(len);
	if (lesson_check_raw(&p) != 0)
		goto out;
	p.l = lesson_new(name);
	doc = cmark_parse_document(buf, len, CMARK_OPT_VALIDATE_UTF8);
	if (lesson_check_tree(&p, doc) != 0 || lesson_walk(&p, doc) != 0)
		goto out;
	rc = 0;
out:
	if (doc != NULL)
		cmark_node_free(doc);
	lesson_out_free(&p.page);
	free(p.page_title);
	for (i = 0; i < LESSON_MAX_STOPS; i++)
		free(p.stop_page[i]);
	free(p.lines);
	free(p.name);
	if (rc != 0) {
		lesson_free(p.l);
		return NULL;
	}
	return p.l;
}

/* Read a whole file of at most LESSON_MAX_SIZE bytes (one more tells that
 * it is too big); NULL with errno set on failure. */
static char *
lesson_read(FILE *f, size_t *len)
{
	size_t cap = 65536, n = 0, r;
	char *buf = xmalloc(cap);

	while (n <= LESSON_MAX_SIZE) {
		if (n == cap) {
			cap *= 2;
			buf = xrealloc(buf, cap);
		}
		r = fread(buf + n, 1, cap - n, f);
		n += r;
		if (r == 0)
			break;
	}
	if (ferror(f)) {
		free(buf);
		return NULL;
	}
	*len = n;
	return buf;
}

/* Load and validate a lesson file. It is opened without waiting on a
 * FIFO or a device, and refused unless it is a regular file. */
struct lesson *
lesson_load(const char *path, char *err, size_t errlen)
{
	struct lesson_parse p;
	struct lesson *l = NULL;
	struct stat st;
	char why[256];
	FILE *f;
	char *buf;
	size_t len;

	memset(&p, 0, sizeof p);
	p.name = sanitize_text(path, strlen(path), 0);
	p.err = err;
	p.errlen = errlen;
	switch (paths_open_data(path, &f, why, sizeof why)) {
	case PATHS_OPEN_MISSING:
		lesson_error(&p, 1, "cannot open: %s", why);
		goto out;
	case PATHS_OPEN_UNUSABLE:
		lesson_error(&p, 1, "%s", why);
		goto out;
	case PATHS_OPEN_OK:
		break;
	}
	if (fstat(fileno(f), &st) == 0 && st.st_size > LESSON_MAX_SIZE) {
		lesson_error(&p, 1, "file is %lld bytes; the limit is %d bytes",
		    (long long)st.st_size, LESSON_MAX_SIZE);
		fclose(f);
		goto out;
	}
	buf = lesson_read(f, &len);
	if (buf == NULL) {
		lesson_error(&p, 1, "cannot read: %s", strerror(errno));
		fclose(f);
		goto out;
	}
	fclose(f);
	if (len > LESSON_MAX_SIZE) {
		/* It grew while it was read. */
		lesson_error(&p, 1,
		    "file is more than %d bytes; the limit is %d bytes",
		    LESSON_MAX_SIZE, LESSON_MAX_SIZE);
		free(buf);
		goto out;
	}
	l = lesson_parse(path, buf, len, err, errlen);
	free(buf);
out:
	free(p.name);
	return l;
}

/* Free a lesson. */
void
lesson_free(struct lesson *l)
{
	size_t i;

	if (l == NULL)
		return;
	for (i = 0; i < l->npages; i++) {
		free(l->pages[i].title);
		free(l->pages[i].text);
	}
	free(l->pages);
	lesson_blocks_free(l);
	free(l->path);
	free(l->id);
	free(l->title);
	free(l->summary);
	free(l->schedule);
	free(l->chapter);
	free(l);
}
