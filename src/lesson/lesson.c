/*
 * Lesson files. The raw bytes are checked first (size, line length, UTF-8,
 * control and bidirectional characters) so that every problem is reported
 * at its exact line; then cmark parses the Markdown and this file walks the
 * tree: the title, the ```lesson metadata block and the narration pages.
 * The format is documented in doc/lesson-format.md.
 */
#include "lesson.h"

#include <cmark.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "paths.h"
#include "sanitize.h"
#include "util.h"

/* Slots for the metadata keys, to catch duplicates: the fixed keys, then
 * one per module parameter. */
enum { KEY_MODULE, KEY_SUMMARY, KEY_SCHEDULE, KEY_ORDER, KEY_PARAM0 };

static const char *const lesson_fixed_keys[] = {
    "module", "summary", "schedule", "order"};

/* The styles of a page's text; style k starts with the marker byte
 * 2k + 1 and ends with 2k + 2 (LESSON_CODE_ON and so on). */
enum { LESSON_CODE, LESSON_EMPH, LESSON_STRONG, LESSON_NSTYLES };

/* Quoted user text in messages is cut to this many bytes. */
#define LESSON_QUOTE_MAX 60

/* Plain text being rendered from Markdown, with the prefix that starts
 * each new line inside list items and block quotes. */
struct lesson_out {
	char *s;
	size_t len;
	size_t cap;
	size_t max;    /* len may not grow past this */
	int line;      /* the source line being rendered */
	int full_line; /* where the text grew past max; 0 while it has not */
	/* Where each source line starts in the text, for messages about
	 * what the text holds: marks[i].line from offset marks[i].off on. */
	struct lesson_mark {
		uint32_t off; /* below LESSON_TEXT_LIMIT(LESSON_MAX_SIZE) */
		int line;
	} * marks;
	size_t nmarks;
	size_t mcap;
	char *prefix;
	size_t plen;
	size_t pcap;
	int at_line_start; /* the next text must write the prefix first */
	int inline_only;   /* a heading: plain text on one line */
	size_t link_start; /* offset of the current link's text */

	/* Styles: how many nodes of each are open around the text being
	 * written, and which markers are open in the output, innermost
	 * last. A marker opens just before the text it applies to, after
	 * any line prefix, and closes before each newline, so prefixes
	 * stay plain; a style still open then opens again on the next
	 * line. */
	int style_depth[LESSON_NSTYLES];
	int open[LESSON_NSTYLES];
	int nopen;

	/* One frame per open list, item or block quote. */
	struct lesson_frame {
		size_t plen; /* prefix length to restore on exit */
		long number; /* a list's next item number */
	} * frames;
	size_t nframes;
	size_t fcap;
};

/* One line of the ```lesson block, split into key and value. */
struct lesson_kv {
	const char *key;
	size_t klen;
	const char *value;
	size_t vlen;
	int line;
};

/* The state of one parse. */
struct lesson_parse {
	char *name; /* sanitized, for messages */
	const char *buf;
	size_t len;
	uint32_t *lines; /* byte offset where each line starts; line 1 first */
	size_t nlines;
	char *err;
	size_t errlen;
	struct lesson *l;
	int title_line;
	int block_line; /* the ```lesson block, 0 until seen */
	int key_line[KEY_PARAM0 + MODULE_MAX_PARAMS];
	size_t text_left; /* of LESSON_TEXT_LIMIT, for the titles and pages */

	/* The page being collected, if page_line != 0. */
	int page_line;
	char *page_title;
	struct lesson_out page;
};

static void lesson_error(struct lesson_parse *, int, const char *, ...)
    __attribute__((format(printf, 3, 4)));

/* Write "NAME:LINE: message" into the caller's error buffer. */
static void
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

/* Length of s for quoting in a message. */
static int
lesson_quote_len(size_t len)
{
	return (int)(len > LESSON_QUOTE_MAX ? LESSON_QUOTE_MAX : len);
}

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
static int
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
static size_t
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
static int
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

/* Append bytes to the output. Past its limit the output stays as it is
 * and remembers the line, for the message. */
static void
lesson_out_raw(struct lesson_out *o, const char *s, size_t n)
{
	if (n == 0 || o->full_line != 0)
		return;
	if (n > o->max - o->len) {
		o->full_line = o->line > 0 ? o->line : 1;
		return;
	}
	if (o->len + n + 1 > o->cap) {
		o->cap = o->cap == 0 ? 256 : o->cap;
		while (o->len + n + 1 > o->cap)
			o->cap *= 2;
		o->s = xrealloc(o->s, o->cap);
	}
	memcpy(o->s + o->len, s, n);
	o->len += n;
	o->s[o->len] = '\0';
}

/* Whether c is one of the style markers. */
static int
lesson_is_marker(char c)
{
	return c >= LESSON_CODE_ON && c <= LESSON_STRONG_OFF;
}

/* Remove the style markers. */
size_t
lesson_strip_styles(char *s)
{
	size_t i, n = 0;

	for (i = 0; s[i] != '\0'; i++) {
		if (!lesson_is_marker(s[i]))
			s[n++] = s[i];
	}
	s[n] = '\0';
	return n;
}

/* Write the markers that open the styles around the text but not yet in
 * the output. */
static void
lesson_out_style_open(struct lesson_out *o)
{
	char marker;
	int k, i;

	for (k = 0; k < LESSON_NSTYLES; k++) {
		if (o->style_depth[k] == 0)
			continue;
		for (i = 0; i < o->nopen && o->open[i] != k; i++)
			;
		if (i < o->nopen)
			continue;
		marker = (char)(2 * k + 1);
		lesson_out_raw(o, &marker, 1);
		o->open[o->nopen++] = k;
	}
}

/* Close style k in the output if it is open there, with the styles opened
 * after it; those that still apply open again before the next text. */
static void
lesson_out_style_close(struct lesson_out *o, int k)
{
	char marker;
	int i;

	for (i = 0; i < o->nopen && o->open[i] != k; i++)
		;
	while (o->nopen > i) {
		marker = (char)(2 * o->open[--o->nopen] + 2);
		lesson_out_raw(o, &marker, 1);
	}
}

/* Enter (+1) or leave (-1) a node of style k. */
static void
lesson_out_style(struct lesson_out *o, int k, int delta)
{
	if (o->inline_only)
		return;
	o->style_depth[k] += delta;
	if (o->style_depth[k] == 0)
		lesson_out_style_close(o, k);
}

/* Append safe text: the program's own, or the file's once sanitized.
 * Each new line starts with the prefix, and the text with its styles. */
static void
lesson_out_text(struct lesson_out *o, const char *s, size_t n)
{
	size_t i = 0, k;

	while (i < n) {
		if (s[i] == '\n') {
			if (o->nopen > 0)
				lesson_out_style_close(o, o->open[0]);
			lesson_out_raw(o, "\n", 1);
			o->at_line_start = 1;
			i++;
			continue;
		}
		if (o->at_line_start) {
			lesson_out_raw(o, o->prefix, o->plen);
			o->at_line_start = 0;
		}
		lesson_out_style_open(o);
		for (k = i; k < n && s[k] != '\n'; k++)
			;
		lesson_out_raw(o, s + i, k - i);
		i = k;
	}
}

/* Append text from the file, sanitized on its way in: nothing in it can
 * be taken for a marker. A heading shows a newline as an escape. */
static void
lesson_out_safe(struct lesson_out *o, const char *s, size_t n)
{
	char *t = sanitize_text(s, n, !o->inline_only);

	lesson_out_text(o, t, strlen(t));
	free(t);
}

/* Append a NUL-terminated string as text. */
static void
lesson_out_str(struct lesson_out *o, const char *s)
{
	lesson_out_text(o, s, strlen(s));
}

/* Extend the line prefix. */
static void
lesson_out_push_prefix(struct lesson_out *o, const char *s, size_t n)
{
	if (o->plen + n + 1 > o->pcap) {
		o->pcap = (o->plen + n + 1) * 2;
		o->prefix = xrealloc(o->prefix, o->pcap);
	}
	memcpy(o->prefix + o->plen, s, n);
	o->plen += n;
	o->prefix[o->plen] = '\0';
}

/* End the current line, if one is open. */
static void
lesson_out_cr(struct lesson_out *o)
{
	if (o->len > 0 && o->s[o->len - 1] != '\n')
		lesson_out_text(o, "\n", 1);
}

/* Leave a blank line before the next block, unless nothing is written yet.
 * Inside a block quote the blank line keeps the quote marks. */
static void
lesson_out_blank(struct lesson_out *o)
{
	size_t n = o->plen;

	if (o->len == 0)
		return;
	lesson_out_cr(o);
	if (o->len >= 2 && o->s[o->len - 2] == '\n')
		return;
	while (n > 0 && o->prefix[n - 1] == ' ')
		n--;
	lesson_out_raw(o, o->prefix, n);
	lesson_out_raw(o, "\n", 1);
	o->at_line_start = 1;
}

/* Free the output's buffers. */
static void
lesson_out_free(struct lesson_out *o)
{
	free(o->s);
	free(o->prefix);
	free(o->frames);
	free(o->marks);
	memset(o, 0, sizeof *o);
}

/* Open a list, item or block quote frame. */
static struct lesson_frame *
lesson_out_push(struct lesson_out *o, long number)
{
	struct lesson_frame *f;

	if (o->nframes == o->fcap) {
		o->fcap = o->fcap == 0 ? 16 : o->fcap * 2;
		o->frames = xrealloc(o->frames, o->fcap * sizeof *o->frames);
	}
	f = &o->frames[o->nframes++];
	f->plen = o->plen;
	f->number = number;
	return f;
}

/* Close the innermost frame and restore the prefix. */
static void
lesson_out_pop(struct lesson_out *o)
{
	if (o->nframes == 0)
		return;
	o->plen = o->frames[--o->nframes].plen;
	if (o->prefix != NULL)
		o->prefix[o->plen] = '\0';
}

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

/* Go on rendering source line line. */
static void
lesson_out_line(struct lesson_out *o, int line)
{
	struct lesson_mark *last =
	    o->nmarks > 0 ? &o->marks[o->nmarks - 1] : NULL;

	o->line = line;
	if (last != NULL && last->line == line)
		return;
	if (last != NULL && last->off == o->len) {
		last->line = line;
		return;
	}
	if (o->nmarks == o->mcap) {
		o->mcap = o->mcap == 0 ? 64 : o->mcap * 2;
		o->marks = xrealloc(o->marks, o->mcap * sizeof *o->marks);
	}
	o->marks[o->nmarks].off = (uint32_t)o->len;
	o->marks[o->nmarks++].line = line;
}

/* The source line the text at offset off came from. */
static int
lesson_out_line_at(const struct lesson_out *o, size_t off)
{
	size_t lo = 0, hi = o->nmarks, mid;

	if (o->nmarks == 0)
		return o->line;
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (o->marks[mid].off <= off)
			lo = mid;
		else
			hi = mid;
	}
	return o->marks[lo].line;
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

/* Render one node on entry. */
static void
lesson_out_enter(struct lesson_out *o, cmark_node *n)
{
	if (cmark_node_get_start_line(n) > 0 &&
	    cmark_node_get_type(n) < CMARK_NODE_FIRST_INLINE)
		lesson_out_line(o, cmark_node_get_start_line(n));
	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_BLOCK_QUOTE:
		lesson_out_separate(o, n);
		lesson_out_push(o, 0);
		if (!o->at_line_start)
			lesson_out_raw(o, "> ", 2);
		lesson_out_push_prefix(o, "> ", 2);
		break;
	case CMARK_NODE_LIST:
		lesson_out_separate(o, n);
		lesson_out_push(o, cmark_node_get_list_start(n));
		break;
	case CMARK_NODE_ITEM:
		lesson_out_separate(o, n);
		lesson_out_item(o, n);
		break;
	case CMARK_NODE_CODE_BLOCK:
		lesson_out_separate(o, n);
		lesson_out_code(o, n);
		break;
	case CMARK_NODE_HTML_BLOCK:
		lesson_out_separate(o, n);
		lesson_out_literal(o, n);
		break;
	case CMARK_NODE_THEMATIC_BREAK:
		lesson_out_separate(o, n);
		lesson_out_str(o, "---");
		break;
	case CMARK_NODE_PARAGRAPH:
	case CMARK_NODE_HEADING:
		lesson_out_separate(o, n);
		break;
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
static void
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

/* The output without surrounding white space (caller frees). */
static char *
lesson_out_finish(struct lesson_out *o)
{
	const char *s = o->s != NULL ? o->s : "";
	size_t len = o->len, end, n = 0, i;
	char *t;

	while (len > 0 && *s == '\n') {
		s++;
		len--;
	}
	/* Blanks before the closing markers at the end go too; a style
	 * left with no text goes with them. */
	for (end = len; end > 0 &&
	     (s[end - 1] == ' ' || s[end - 1] == '\n' ||
	         lesson_is_marker(s[end - 1]));
	     end--)
		;
	t = xmalloc(len + 1);
	memcpy(t, s, end);
	for (n = end, i = end; i < len; i++) {
		if (!lesson_is_marker(s[i]))
			continue;
		if (n > end && (s[i] & 1) == 0 && t[n - 1] == s[i] - 1)
			n--;
		else
			t[n++] = s[i];
	}
	t[n] = '\0';
	return t;
}

/* Start an output that may hold at most max bytes. */
static void
lesson_out_init(struct lesson_out *o, size_t max, int inline_only)
{
	memset(o, 0, sizeof *o);
	o->max = max;
	o->inline_only = inline_only;
}

/* Strip blanks from both ends of [*s, *s + *len). */
static void
lesson_trim(const char **s, size_t *len)
{
	while (*len > 0 && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 &&
	    ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t' ||
	        (*s)[*len - 1] == '\r'))
		(*len)--;
}

/* Parse a decimal integer: 0, -1 if it is not one, -2 if it overflows. */
static int
lesson_parse_long(const char *s, size_t len, long *out)
{
	char buf[32];
	size_t i = 0;

	if (len > 0 && (s[0] == '+' || s[0] == '-'))
		i++;
	if (i == len)
		return -1;
	for (; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
	}
	if (len >= sizeof buf)
		return -2;
	memcpy(buf, s, len);
	buf[len] = '\0';
	errno = 0;
	*out = strtol(buf, NULL, 10);
	return errno == ERANGE ? -2 : 0;
}

/* Split one line of the ```lesson block; 1 if it is a key: value line, 0
 * for a comment or blank line, -1 on a syntax error. */
static int
lesson_meta_split(struct lesson_parse *p, const char *s, size_t len, int line,
    struct lesson_kv *kv)
{
	const char *colon;

	lesson_trim(&s, &len);
	if (len == 0 || s[0] == '#')
		return 0;
	colon = memchr(s, ':', len);
	if (colon == NULL) {
		lesson_error(p, line,
		    "expected 'key: value', but there is no ':' in '%.*s'",
		    lesson_quote_len(len), s);
		return -1;
	}
	kv->key = s;
	kv->klen = (size_t)(colon - s);
	kv->value = colon + 1;
	kv->vlen = len - kv->klen - 1;
	kv->line = line;
	lesson_trim(&kv->key, &kv->klen);
	lesson_trim(&kv->value, &kv->vlen);
	if (kv->klen == 0) {
		lesson_error(p, line,
		    "expected 'key: value', but the key "
		    "before ':' is missing");
		return -1;
	}
	return 1;
}

/* Walk the lines of the ```lesson block: call fn on each key: value line
 * until it fails. */
static int
lesson_meta_each(struct lesson_parse *p, cmark_node *block,
    int (*fn)(struct lesson_parse *, struct lesson_kv *))
{
	const char *lit = cmark_node_get_literal(block), *nl;
	int line = cmark_node_get_start_line(block) + 1, r;
	struct lesson_kv kv;
	size_t len;

	if (lit == NULL)
		return 0;
	for (; *lit != '\0'; line++) {
		nl = strchr(lit, '\n');
		len = nl != NULL ? (size_t)(nl - lit) : strlen(lit);
		r = lesson_meta_split(p, lit, len, line, &kv);
		if (r < 0 || (r > 0 && fn(p, &kv) != 0))
			return -1;
		lit += len + (nl != NULL);
	}
	return 0;
}

/* Add name to a list of names for a message, after ", " unless it is the
 * first. */
static void
lesson_list_add(char *buf, size_t size, const char *name)
{
	if (buf[0] != '\0')
		strncat(buf, ", ", size - strlen(buf) - 1);
	strncat(buf, name, size - strlen(buf) - 1);
}

/* Add the names of a module's parameters to a list. */
static void
lesson_list_params(const struct lesson_module *m, char *buf, size_t size)
{
	size_t i;

	for (i = 0; i < m->nparams && i < MODULE_MAX_PARAMS; i++)
		lesson_list_add(buf, size, m->params[i].name);
}

/* Find the module a lesson names, or report it unknown. */
static int
lesson_meta_module(struct lesson_parse *p, const struct lesson_kv *kv)
{
	char id[64], known[256] = "";
	size_t i;

	if (kv->vlen == 0) {
		lesson_error(p, kv->line, "'module' has no value");
		return -1;
	}
	if (kv->vlen < sizeof id) {
		memcpy(id, kv->value, kv->vlen);
		id[kv->vlen] = '\0';
		p->l->module = module_find(id);
		if (p->l->module != NULL)
			return 0;
	}
	for (i = 0; module_table[i] != NULL; i++)
		lesson_list_add(known, sizeof known, module_table[i]->id);
	lesson_error(p, kv->line, "unknown module '%.*s'; known modules: %s",
	    lesson_quote_len(kv->vlen), kv->value, known);
	return -1;
}

/* First pass: syntax only, and find the module. */
static int
lesson_meta_find_module(struct lesson_parse *p, struct lesson_kv *kv)
{
	if (kv->klen != 6 || memcmp(kv->key, "module", 6) != 0)
		return 0;
	if (p->key_line[KEY_MODULE] != 0) {
		lesson_error(p, kv->line,
		    "duplicate key 'module'; it is "
		    "already set on line %d",
		    p->key_line[KEY_MODULE]);
		return -1;
	}
	p->key_line[KEY_MODULE] = kv->line;
	return lesson_meta_module(p, kv);
}

/* The slot of a key for the lesson's module, or -1 if it is unknown. */
static int
lesson_key_slot(struct lesson_parse *p, const struct lesson_kv *kv)
{
	char key[64];
	size_t i;
	int idx;

	if (kv->klen >= sizeof key)
		return -1;
	memcpy(key, kv->key, kv->klen);
	key[kv->klen] = '\0';
	for (i = 0; i < IL_ARRAY_LEN(lesson_fixed_keys); i++) {
		if (strcmp(key, lesson_fixed_keys[i]) == 0)
			return (int)i;
	}
	idx = module_param_index(p->l->module, key);
	if (idx < 0 || idx >= MODULE_MAX_PARAMS)
		return -1;
	return KEY_PARAM0 + idx;
}

/* Report an unknown key, listing the valid ones. */
static void
lesson_unknown_key(struct lesson_parse *p, const struct lesson_kv *kv)
{
	char valid[512] = "";
	size_t i;

	for (i = 0; i < IL_ARRAY_LEN(lesson_fixed_keys); i++)
		lesson_list_add(valid, sizeof valid, lesson_fixed_keys[i]);
	lesson_list_params(p->l->module, valid, sizeof valid);
	lesson_error(p, kv->line, "unknown key '%.*s'; valid keys are: %s",
	    lesson_quote_len(kv->klen), kv->key, valid);
}

/* A placeholder in text: "{{" at start, then the name's offset and
 * length, and the offset after the closing "}}". One that is not closed
 * on its line has closed 0 and ends after its "{{". */
struct lesson_placeholder {
	size_t start;
	size_t name;
	size_t nlen;
	size_t end;
	int closed;
};

/* Find the first placeholder in s[from, len): 1 with *ph filled in, or 0
 * if there is none. */
static int
lesson_find_placeholder(
    const char *s, size_t len, size_t from, struct lesson_placeholder *ph)
{
	size_t i;

	for (i = from; i + 1 < len && !(s[i] == '{' && s[i + 1] == '{'); i++)
		;
	if (i + 1 >= len)
		return 0;
	ph->start = i;
	ph->name = ph->end = i + 2;
	ph->nlen = 0;
	ph->closed = 0;
	for (i = ph->name; i + 1 < len && s[i] != '\n'; i++) {
		if (s[i] == '}' && s[i + 1] == '}') {
			ph->nlen = i - ph->name;
			ph->end = i + 2;
			ph->closed = 1;
			break;
		}
	}
	return 1;
}

/* The index of the parameter of m that the n bytes at s name, or -1. */
static int
lesson_param_named(const struct lesson_module *m, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < m->nparams && i < MODULE_MAX_PARAMS; i++) {
		if (strlen(m->params[i].name) == n &&
		    memcmp(m->params[i].name, s, n) == 0)
			return (int)i;
	}
	return -1;
}

/* Report what is wrong with a placeholder at line, if anything. */
static int
lesson_check_placeholder(struct lesson_parse *p, const char *s,
    const struct lesson_placeholder *ph, int line)
{
	const struct lesson_module *m = p->l->module;
	char names[512] = "", quoted[LESSON_QUOTE_MAX + 1];
	size_t n = ph->nlen < LESSON_QUOTE_MAX ? ph->nlen : LESSON_QUOTE_MAX;

	if (ph->closed && ph->nlen > 0 &&
	    lesson_param_named(m, s + ph->name, ph->nlen) >= 0)
		return 0;
	lesson_list_params(m, names, sizeof names);
	if (names[0] == '\0')
		snprintf(names, sizeof names, "none");
	memcpy(quoted, s + ph->name, n);
	quoted[n] = '\0';
	if (!ph->closed)
		lesson_error(p, line,
		    "'{{' is not closed by '}}' on its line; a placeholder is "
		    "a parameter of module '%s' in double braces: %s",
		    m->id, names);
	else if (ph->nlen == 0)
		lesson_error(p, line,
		    "'{{}}' names no parameter; write one of module '%s' "
		    "between the braces: %s",
		    m->id, names);
	else if (lesson_strip_styles(quoted) != n)
		lesson_error(p, line,
		    "a style inside the braces of '{{%s}}'; style the whole "
		    "placeholder instead, as in *{{%s}}*",
		    quoted, quoted);
	else
		lesson_error(p, line,
		    "unknown parameter '%s' in '{{%s}}'; module '%s' has: %s",
		    quoted, quoted, m->id, names);
	return -1;
}

/* Check the placeholders in the text o rendered from offset from on. A
 * page comes after the ```lesson block, or that is reported later, so
 * without a module there is nothing to check them against yet. */
static int
lesson_check_placeholders(
    struct lesson_parse *p, const struct lesson_out *o, size_t from)
{
	struct lesson_placeholder ph;

	if (p->l->module == NULL || o->s == NULL)
		return 0;
	for (; lesson_find_placeholder(o->s, o->len, from, &ph);
	     from = ph.end) {
		if (lesson_check_placeholder(
		        p, o->s, &ph, lesson_out_line_at(o, ph.start)) != 0)
			return -1;
	}
	return 0;
}

/* Refuse "{{" in text shown in the menu, where no run sets parameters. */
static int
lesson_check_no_placeholder(struct lesson_parse *p, const char *s, size_t len,
    int line, const char *what)
{
	struct lesson_placeholder ph;

	if (!lesson_find_placeholder(s, len, 0, &ph))
		return 0;
	lesson_error(p, line,
	    "'{{' in the %s: placeholders work only in pages, since the %s "
	    "is also shown in the menu, where no parameters are set",
	    what, what);
	return -1;
}

/* Expand the placeholders that name parameters; the rest of the text,
 * markers and all, is copied as it is. */
char *
lesson_expand(const struct lesson *l, const char *text, const long *params)
{
	const struct lesson_module *m = l != NULL ? l->module : NULL;
	const struct param_def *d;
	struct lesson_placeholder ph;
	struct lesson_out o;
	size_t len = strlen(text), off = 0;
	const char *word;
	char num[32], *out;
	int idx;

	if (params == NULL && l != NULL)
		params = l->params;
	lesson_out_init(&o, SIZE_MAX, 1);
	for (; lesson_find_placeholder(text, len, off, &ph); off = ph.end) {
		lesson_out_raw(&o, text + off, ph.start - off);
		idx = m != NULL && ph.closed
		    ? lesson_param_named(m, text + ph.name, ph.nlen)
		    : -1;
		if (idx < 0) {
			lesson_out_raw(&o, text + ph.start, ph.end - ph.start);
			continue;
		}
		d = &m->params[idx];
		word =
		    d->names != NULL ? module_param_name(d, params[idx]) : NULL;
		if (word == NULL) {
			snprintf(num, sizeof num, "%ld", params[idx]);
			word = num;
		}
		lesson_out_raw(&o, word, strlen(word));
	}
	lesson_out_raw(&o, text + off, len - off);
	out = o.s != NULL ? o.s : xstrdup("");
	o.s = NULL;
	lesson_out_free(&o);
	return out;
}

/* Set a module parameter from its value. */
static int
lesson_meta_param(struct lesson_parse *p, struct lesson_kv *kv, int idx)
{
	const struct param_def *d = &p->l->module->params[idx];
	char accepts[256];
	long v;
	int r = module_param_parse(d, kv->value, kv->vlen, &v);

	if (r == 0) {
		p->l->params[idx] = v;
		return 0;
	}
	module_param_accepts(d, accepts, sizeof accepts);
	if (d->names != NULL)
		lesson_error(p, kv->line, "'%s' must be %s, not '%.*s'",
		    d->name, accepts, lesson_quote_len(kv->vlen), kv->value);
	else if (r == -1)
		lesson_error(p, kv->line, "'%s' must be an integer, not '%.*s'",
		    d->name, lesson_quote_len(kv->vlen), kv->value);
	else
		lesson_error(p, kv->line,
		    "'%s' is %.*s, out of range: it must be between %ld and "
		    "%ld",
		    d->name, lesson_quote_len(kv->vlen), kv->value, d->min,
		    d->max);
	return -1;
}

/* Whether s is a schedule name: letters, digits, '-' and '_'. */
static int
lesson_schedule_name_ok(const char *s, size_t len)
{
	size_t i;

	if (len == 0)
		return 0;
	for (i = 0; i < len; i++) {
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		        (s[i] >= 'A' && s[i] <= 'Z') ||
		        (s[i] >= '0' && s[i] <= '9') || s[i] == '-' ||
		        s[i] == '_'))
			return 0;
	}
	return 1;
}

/* Second pass: check and store one key: value line. */
static int
lesson_meta_apply(struct lesson_parse *p, struct lesson_kv *kv)
{
	struct lesson *l = p->l;
	int slot = lesson_key_slot(p, kv), r;

	if (slot < 0) {
		lesson_unknown_key(p, kv);
		return -1;
	}
	if (p->key_line[slot] != 0 && p->key_line[slot] != kv->line) {
		lesson_error(p, kv->line,
		    "duplicate key '%.*s'; it is already set on line %d",
		    lesson_quote_len(kv->klen), kv->key, p->key_line[slot]);
		return -1;
	}
	p->key_line[slot] = kv->line;
	if (slot == KEY_SCHEDULE)
		l->schedule_line = kv->line;
	else if (slot >= KEY_PARAM0)
		l->param_line[slot - KEY_PARAM0] = kv->line;
	switch (slot) {
	case KEY_MODULE:
		return 0; /* done in the first pass */
	case KEY_SUMMARY:
		if (kv->vlen == 0) {
			lesson_error(p, kv->line, "'summary' has no value");
			return -1;
		}
		if (lesson_check_no_placeholder(
		        p, kv->value, kv->vlen, kv->line, "summary") != 0)
			return -1;
		l->summary = sanitize_text(kv->value, kv->vlen, 0);
		return 0;
	case KEY_SCHEDULE:
		if (!lesson_schedule_name_ok(kv->value, kv->vlen)) {
			lesson_error(p, kv->line,
			    "'schedule' must be the name of a schedule "
			    "(letters, digits, '-' and '_'), not '%.*s'",
			    lesson_quote_len(kv->vlen), kv->value);
			return -1;
		}
		l->schedule = sanitize_text(kv->value, kv->vlen, 0);
		return 0;
	case KEY_ORDER:
		r = lesson_parse_long(kv->value, kv->vlen, &l->order);
		if (r != 0) {
			lesson_error(p, kv->line,
			    "'order' must be %s, not '%.*s'",
			    r == -1 ? "an integer" : "a smaller integer",
			    lesson_quote_len(kv->vlen), kv->value);
			return -1;
		}
		return 0;
	default:
		return lesson_meta_param(p, kv, slot - KEY_PARAM0);
	}
}

/* Interpret the ```lesson block. */
static int
lesson_meta(struct lesson_parse *p, cmark_node *block)
{
	struct lesson *l = p->l;
	int line = cmark_node_get_start_line(block);
	size_t i;

	if (p->block_line != 0) {
		lesson_error(p, line,
		    "a second ```lesson block; the first is "
		    "on line %d",
		    p->block_line);
		return -1;
	}
	if (p->page_line != 0) {
		lesson_error(p, line,
		    "the ```lesson block must come before the "
		    "first page (line %d)",
		    p->page_line);
		return -1;
	}
	p->block_line = line;
	l->block_line = line;
	if (lesson_meta_each(p, block, lesson_meta_find_module) != 0)
		return -1;
	if (l->module == NULL) {
		lesson_error(p, line,
		    "the ```lesson block has no 'module' key; "
		    "add a line such as 'module: race'");
		return -1;
	}
	for (i = 0; i < l->module->nparams && i < MODULE_MAX_PARAMS; i++)
		l->params[i] = l->module->params[i].def;
	if (lesson_meta_each(p, block, lesson_meta_apply) != 0)
		return -1;
	if (l->summary == NULL) {
		lesson_error(p, line,
		    "the ```lesson block has no 'summary' "
		    "key; add a one-line 'summary: ...'");
		return -1;
	}
	return 0;
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
	const char *word;
	size_t wlen, from;

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
	if (lesson_page_end(p) != 0)
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
	free(l->path);
	free(l->id);
	free(l->title);
	free(l->summary);
	free(l->schedule);
	free(l);
}
