/*
 * The text buffer a lesson's Markdown is rendered into: bytes under a
 * size limit, line prefixes for quotes and lists, style markers kept
 * balanced across lines, list frames, and marks that map text offsets back
 * to source lines.
 */
#include <cmark.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lesson_int.h"
#include "sanitize.h"
#include "util.h"

/* Append bytes to the output. Past its limit the output stays as it is
 * and remembers the line, for the message. */
void
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
void
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
void
lesson_out_safe(struct lesson_out *o, const char *s, size_t n)
{
	char *t = sanitize_text(s, n, !o->inline_only);

	lesson_out_text(o, t, strlen(t));
	free(t);
}

/* Append a NUL-terminated string as text. */
void
lesson_out_str(struct lesson_out *o, const char *s)
{
	lesson_out_text(o, s, strlen(s));
}

/* Extend the line prefix. */
void
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
void
lesson_out_cr(struct lesson_out *o)
{
	if (o->len > 0 && o->s[o->len - 1] != '\n')
		lesson_out_text(o, "\n", 1);
}

/* Leave a blank line before the next block, unless nothing is written yet.
 * Inside a block quote the blank line keeps the quote marks. */
void
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
void
lesson_out_free(struct lesson_out *o)
{
	free(o->s);
	free(o->prefix);
	free(o->frames);
	free(o->marks);
	memset(o, 0, sizeof *o);
}

/* Open a list, item or block quote frame. */
struct lesson_frame *
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
void
lesson_out_pop(struct lesson_out *o)
{
	if (o->nframes == 0)
		return;
	o->plen = o->frames[--o->nframes].plen;
	if (o->prefix != NULL)
		o->prefix[o->plen] = '\0';
}

/* Go on rendering source line line. */
void
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
int
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

/* The output without surrounding white space (caller frees). */
char *
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
void
lesson_out_init(struct lesson_out *o, size_t max, int inline_only)
{
	memset(o, 0, sizeof *o);
	o->max = max;
	o->inline_only = inline_only;
}
