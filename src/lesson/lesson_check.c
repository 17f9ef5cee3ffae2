/*
 * Checks on a lesson's raw bytes (size, line length, UTF-8, control and
 * bidirectional characters) and on its cmark tree (unclosed fences, too
 * deep nesting), made before anything is rendered, so that every problem
 * is reported at its exact line.
 */
#include <cmark.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lesson_int.h"
#include "sanitize.h"
#include "util.h"

/* Describe a character the raw check rejects in what, with advice in hint;
 * -1 if the character is fine. */
static int
lesson_describe_char(uint32_t cp, char *what, size_t len, const char **hint)
{
	static const char *const c0[] = {"NUL", "SOH", "STX", "ETX", "EOT",
	    "ENQ", "ACK", "BEL", "BS", "HT", "LF", "VT", "FF", "CR", "SO", "SI",
	    "DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB", "CAN", "EM",
	    "SUB", "ESC", "FS", "GS", "RS", "US"};
	static const char *const bidi[] = {"LRE", "RLE", "PDF", "LRO", "RLO"};
	static const char *const isolate[] = {"LRI", "RLI", "FSI", "PDI"};

	*hint = "";
	if (cp == 0)
		snprintf(what, len, "NUL byte");
	else if (cp == 0x1b) {
		snprintf(what, len, "escape character U+001B (ESC)");
		*hint = "; terminal escape sequences are not allowed";
	} else if (cp < 0x20 && cp != '\t')
		snprintf(what, len, "control character U+%04X (%s)",
		    (unsigned)cp, c0[cp]);
	else if (cp == 0x7f)
		snprintf(what, len, "control character U+007F (DEL)");
	else if (cp >= 0x80 && cp <= 0x9f)
		snprintf(
		    what, len, "C1 control character U+%04X", (unsigned)cp);
	else if ((cp >= 0x202a && cp <= 0x202e) ||
	    (cp >= 0x2066 && cp <= 0x2069)) {
		snprintf(what, len,
		    "bidirectional control character U+%04X (%s)", (unsigned)cp,
		    cp <= 0x202e ? bidi[cp - 0x202a] : isolate[cp - 0x2066]);
		*hint = "; it can make text show in a different order from "
		        "the one it is stored in";
	} else if (cp == 0x2028 || cp == 0x2029) {
		snprintf(what, len, "Unicode %s separator U+%04X",
		    cp == 0x2028 ? "line" : "paragraph", (unsigned)cp);
		*hint = "; use a normal line break";
	} else
		return -1;
	return 0;
}

/* Record the start of a line. */
static void
lesson_add_line(struct lesson_parse *p, size_t off, size_t *cap)
{
	if (p->nlines == *cap) {
		*cap = *cap == 0 ? 256 : *cap * 2;
		p->lines = xrealloc(p->lines, *cap * sizeof *p->lines);
	}
	p->lines[p->nlines++] = (uint32_t)off;
}

/* Check a line's length when it ends. */
static int
lesson_check_line_len(struct lesson_parse *p, size_t n)
{
	if (n <= LESSON_MAX_LINE)
		return 0;
	lesson_error(p, (int)p->nlines,
	    "line is %zu bytes long; the limit is %d", n, LESSON_MAX_LINE);
	return -1;
}

/* Check the raw bytes and index the lines. Lines end at LF, CR or CRLF, as
 * they do for cmark, so the line numbers agree. */
int
lesson_check_raw(struct lesson_parse *p)
{
	const unsigned char *u = (const unsigned char *)p->buf;
	size_t off = 0, start = 0, cap = 0, n;
	uint32_t cp;
	char what[128];
	const char *hint;
	int col = 1;

	if (p->len == 0) {
		lesson_error(p, 1, "file is empty");
		return -1;
	}
	if (p->len > LESSON_MAX_SIZE) {
		lesson_error(p, 1, "file is %zu bytes; the limit is %d bytes",
		    p->len, LESSON_MAX_SIZE);
		return -1;
	}
	lesson_add_line(p, 0, &cap);
	while (off < p->len) {
		if (u[off] == '\n' || u[off] == '\r') {
			if (lesson_check_line_len(p, off - start) != 0)
				return -1;
			off += u[off] == '\r' && off + 1 < p->len &&
			        u[off + 1] == '\n'
			    ? 2
			    : 1;
			if (off < p->len)
				lesson_add_line(p, off, &cap);
			start = off;
			col = 1;
			continue;
		}
		n = utf8_decode(p->buf + off, p->len - off, &cp);
		if (n == 0) {
			lesson_error(p, (int)p->nlines,
			    "invalid UTF-8 (byte 0x%02x) at column %d; save "
			    "the "
			    "file as UTF-8",
			    u[off], col);
			return -1;
		}
		if (lesson_describe_char(cp, what, sizeof what, &hint) == 0) {
			lesson_error(p, (int)p->nlines, "%s at column %d%s",
			    what, col, hint);
			return -1;
		}
		off += n;
		col++;
	}
	return lesson_check_line_len(p, off - start);
}

/* The bytes of line number line (1-based), without its line ending. */
static const char *
lesson_raw_line(struct lesson_parse *p, int line, size_t *len)
{
	const char *s;
	size_t n = 0, max;

	if (line < 1 || (size_t)line > p->nlines) {
		*len = 0;
		return "";
	}
	s = p->buf + p->lines[line - 1];
	max = p->len - p->lines[line - 1];
	while (n < max && s[n] != '\n' && s[n] != '\r')
		n++;
	*len = n;
	return s;
}

/* Whether a code block was written with a fence; *fence and *flen get the
 * fence character and length. An indented code block whose first line
 * happens to look like a fence is told apart by its content: a fenced
 * block's content never starts with its own opening line. */
static int
lesson_fence_of(
    struct lesson_parse *p, cmark_node *n, char *fence, size_t *flen)
{
	const char *line, *lit = cmark_node_get_literal(n);
	size_t len, col = (size_t)cmark_node_get_start_column(n), k = 0;
	size_t rest;

	line = lesson_raw_line(p, cmark_node_get_start_line(n), &len);
	if (col < 1 || col > len)
		return 0;
	line += col - 1;
	len -= col - 1;
	if (line[0] != '`' && line[0] != '~')
		return 0;
	while (k < len && line[k] == line[0])
		k++;
	if (k < 3)
		return 0;
	if (lit == NULL)
		lit = "";
	rest = strcspn(lit, "\n");
	while (rest > 0 && (lit[rest - 1] == ' ' || lit[rest - 1] == '\t'))
		rest--;
	while (len > 0 && (line[len - 1] == ' ' || line[len - 1] == '\t'))
		len--;
	if (rest == len && memcmp(lit, line, len) == 0)
		return 0;
	*fence = line[0];
	*flen = k;
	return 1;
}

/* Whether a fenced code block ends with a closing fence line in the raw
 * text; an unclosed fence swallows the rest of the file. */
static int
lesson_fence_closed(
    struct lesson_parse *p, cmark_node *n, char fence, size_t flen)
{
	int first = cmark_node_get_start_line(n);
	int last = cmark_node_get_end_line(n);
	const char *line;
	size_t len, i = 0, k = 0;

	if (last <= first || (size_t)last > p->nlines)
		return 0;
	line = lesson_raw_line(p, last, &len);
	while (i < len && (line[i] == ' ' || line[i] == '\t' || line[i] == '>'))
		i++;
	while (i < len && line[i] == fence) {
		i++;
		k++;
	}
	if (k < flen)
		return 0;
	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	return i == len;
}

/* The first word of a code block's info string. */
size_t
lesson_info_word(cmark_node *n, const char **word)
{
	const char *info = cmark_node_get_fence_info(n);

	if (info == NULL)
		info = "";
	*word = info;
	return strcspn(info, " \t");
}

/* Report n if it is a fenced code block that is never closed: that is
 * what a truncated file looks like. */
static int
lesson_check_fence(struct lesson_parse *p, cmark_node *n)
{
	const char *word;
	size_t flen, wlen;
	char fence, marks[11];

	if (cmark_node_get_type(n) != CMARK_NODE_CODE_BLOCK ||
	    !lesson_fence_of(p, n, &fence, &flen) ||
	    lesson_fence_closed(p, n, fence, flen))
		return 0;
	wlen = lesson_info_word(n, &word);
	if (flen > sizeof marks - 1)
		flen = sizeof marks - 1;
	memset(marks, fence, flen);
	marks[flen] = '\0';
	lesson_error(p, cmark_node_get_start_line(n),
	    "the %s%.*s%s block is never closed (the file ends inside "
	    "it); add a line with %s after it",
	    marks, lesson_quote_len(wlen), word, wlen == 0 ? " code" : "",
	    marks);
	return -1;
}

/* Check the whole tree before anything is rendered. The first fenced code
 * block that is never closed is reported first, wherever it is, since it
 * swallows the rest of the file; else the first block quote or list that
 * nests deeper than LESSON_MAX_DEPTH. */
int
lesson_check_tree(struct lesson_parse *p, cmark_node *doc)
{
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	cmark_node *n;
	cmark_node_type type;
	int depth = 0, deep_line = 0, rc = 0;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		n = cmark_iter_get_node(it);
		type = cmark_node_get_type(n);
		if (type == CMARK_NODE_BLOCK_QUOTE || type == CMARK_NODE_LIST)
			depth += ev == CMARK_EVENT_ENTER ? 1 : -1;
		if (ev != CMARK_EVENT_ENTER)
			continue;
		if (depth > LESSON_MAX_DEPTH && deep_line == 0)
			deep_line = cmark_node_get_start_line(n);
		if ((rc = lesson_check_fence(p, n)) != 0)
			break;
	}
	cmark_iter_free(it);
	if (rc == 0 && deep_line != 0) {
		lesson_error(p, deep_line,
		    "block quotes and lists nest %d levels deep here; the "
		    "limit is %d levels",
		    LESSON_MAX_DEPTH + 1, LESSON_MAX_DEPTH);
		rc = -1;
	}
	return rc;
}
