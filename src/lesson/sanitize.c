/*
 * Making text from files safe to draw on a terminal, and UTF-8 decoding.
 * The decoder is written out here rather than using mbrtowc() so that the
 * result does not depend on the locale the program happens to run in.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* wcwidth */
#endif

#include "sanitize.h"

#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "util.h"

/* A growing output string. */
struct sanitize_buf {
	char *s;
	size_t len;
	size_t cap;
};

/* Decode one UTF-8 character at s. */
size_t
utf8_decode(const char *s, size_t len, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	uint32_t c, min;
	size_t n, i;

	if (len == 0)
		return 0;
	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	if (u[0] >= 0xc2 && u[0] <= 0xdf) {
		n = 2;
		c = u[0] & 0x1f;
		min = 0x80;
	} else if (u[0] >= 0xe0 && u[0] <= 0xef) {
		n = 3;
		c = u[0] & 0x0f;
		min = 0x800;
	} else if (u[0] >= 0xf0 && u[0] <= 0xf4) {
		n = 4;
		c = u[0] & 0x07;
		min = 0x10000;
	} else
		return 0; /* continuation byte, 0xc0/0xc1 overlong, or > 0xf4 */
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((u[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (u[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

/* Validate a whole buffer as UTF-8. */
int
utf8_validate(const char *s, size_t len, size_t *bad_off)
{
	size_t off = 0, n;
	uint32_t cp;

	while (off < len) {
		n = utf8_decode(s + off, len - off, &cp);
		if (n == 0) {
			if (bad_off != NULL)
				*bad_off = off;
			return -1;
		}
		off += n;
	}
	return 0;
}

/* Whether a code point must be shown as an escape: C0 controls, DEL, C1
 * controls, bidirectional embeddings, overrides and isolates, and the
 * Unicode line and paragraph separators. */
static int
sanitize_is_unsafe(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) ||
	    (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

/* Append n bytes to the buffer, growing it as needed. */
static void
sanitize_append(struct sanitize_buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		while (b->len + n + 1 > b->cap)
			b->cap = b->cap * 2;
		b->s = xrealloc(b->s, b->cap);
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

/* Make text safe to draw. */
char *
sanitize_text(const char *s, size_t len, int keep_newlines)
{
	struct sanitize_buf b;
	char esc[16];
	size_t off = 0, n;
	uint32_t cp;

	b.cap = len + 16;
	b.len = 0;
	b.s = xmalloc(b.cap);
	b.s[0] = '\0';
	while (off < len) {
		n = utf8_decode(s + off, len - off, &cp);
		if (n == 0) {
			/* One invalid byte; whatever follows is decoded
			 * afresh, so a truncated sequence shows each byte. */
			snprintf(esc, sizeof esc, "\\x%02x",
			    (unsigned)(unsigned char)s[off]);
			sanitize_append(&b, esc, strlen(esc));
			off++;
			continue;
		}
		if (!sanitize_is_unsafe(cp))
			sanitize_append(&b, s + off, n);
		else if (cp == '\t')
			sanitize_append(&b, " ", 1);
		else if (cp == '\n')
			sanitize_append(&b, keep_newlines ? "\n" : "\\n",
			    keep_newlines ? 1 : 2);
		else if (cp == '\r')
			sanitize_append(&b, "\\r", 2);
		else {
			if (cp < 0x80)
				snprintf(
				    esc, sizeof esc, "\\x%02x", (unsigned)cp);
			else
				snprintf(
				    esc, sizeof esc, "\\u%04x", (unsigned)cp);
			sanitize_append(&b, esc, strlen(esc));
		}
		off += n;
	}
	return b.s;
}

/* Display width of a UTF-8 string in terminal columns. */
int
sanitize_width(const char *s)
{
	size_t len = strlen(s), off = 0, n;
	uint32_t cp;
	int w, total = 0;

	while (off < len) {
		n = utf8_decode(s + off, len - off, &cp);
		if (n == 0) {
			total++;
			off++;
			continue;
		}
		w = wcwidth((wchar_t)cp);
		total += w < 0 ? 1 : w;
		off += n;
	}
	return total;
}
