/*
 * Text for the panels: measuring, wrapping and printing UTF-8 text with
 * the narration's style markers, rules with labels, and the formats of
 * durations and step keys.
 */
#include "config.h"

#include "text.h"

#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "lesson.h"
#include "names.h"
#include "screen.h"
#include "view_timeline.h"

/* Style markers in narration text (see lesson.h): zero columns wide. */
enum {
	MARK_CODE_ON = LESSON_CODE_ON,
	MARK_CODE_OFF = LESSON_CODE_OFF,
	MARK_EMPH_ON = LESSON_EMPH_ON,
	MARK_EMPH_OFF = LESSON_EMPH_OFF,
	MARK_STRONG_ON = LESSON_STRONG_ON,
	MARK_STRONG_OFF = LESSON_STRONG_OFF
};
enum { STYLE_CODE = 1, STYLE_EMPH = 2, STYLE_STRONG = 4 };

static const struct rules rules_utf8 = {
    .h = 0x2500,
    .v = 0x2502,
    .down = 0x252c,
    .up = 0x2534,
    .right_t = 0x251c,
    .tl = 0x250c,
    .tr = 0x2510,
    .bl = 0x2514,
    .br = 0x2518,
    .ellipsis = "\xe2\x80\xa6",
    .left = "\xe2\x86\x90",
    .right = "\xe2\x86\x92",
    .up_arrow = "\xe2\x86\x91",
    .down_arrow = "\xe2\x86\x93",
    .marker = "\xe2\x97\x80",
};
static const struct rules rules_ascii = {
    .h = '-',
    .v = '|',
    .down = '+',
    .up = '+',
    .right_t = '+',
    .tl = '+',
    .tr = '+',
    .bl = '+',
    .br = '+',
    .ellipsis = "...",
    .left = "<",
    .right = ">",
    .up_arrow = "^",
    .down_arrow = "v",
    .marker = "<",
};

const struct rules *
text_rules_for(const struct glyphs *gl)
{
	return gl == &glyphs_ascii ? &rules_ascii : &rules_utf8;
}

/* ---- text measuring and wrapping ---- */

int
text_is_marker(unsigned char c)
{
	return c >= MARK_CODE_ON && c <= MARK_STRONG_OFF;
}

/* Decode one UTF-8 character at p (n bytes left); returns its length
 * (at least 1) and its display width in *cw (0 for a style marker, 1
 * for invalid bytes, which sanitized text does not have). */
static size_t
next_char(const char *p, size_t n, int *cw)
{
	mbstate_t st;
	wchar_t wc;
	size_t len;
	int w;

	if (text_is_marker((unsigned char)*p)) {
		*cw = 0;
		return 1;
	}
	memset(&st, 0, sizeof st);
	len = mbrtowc(&wc, p, n, &st);
	if (len == (size_t)-1 || len == (size_t)-2 || len == 0) {
		*cw = 1;
		return 1;
	}
	w = wcwidth(wc);
	*cw = w < 0 ? 1 : w;
	return len;
}

/* Display width of the first n bytes of s. */
int
text_width(const char *s, size_t n)
{
	int w = 0, cw;

	while (n > 0) {
		size_t len = next_char(s, n, &cw);

		w += cw;
		s += len;
		n -= len;
	}
	return w;
}

/* How many bytes of the line at p fit into w columns, breaking after a
 * space when the line is longer; stops at a newline. *next is where the
 * following line starts. */
size_t
text_wrap(const char *p, int w, const char **next)
{
	size_t n = strcspn(p, "\n"), i = 0, brk = 0;
	int col = 0, cw;

	while (i < n) {
		size_t len = next_char(p + i, n - i, &cw);

		if (col + cw > w)
			break;
		col += cw;
		i += len;
		if (p[i - 1] == ' ')
			brk = i;
	}
	/* markers right after the last character that fits stay with it */
	while (i < n && text_is_marker((unsigned char)p[i]))
		i++;
	if (i < n && brk > 0)
		i = brk; /* break after the last space that fits */
	*next = p + i;
	while (**next == ' ')
		(*next)++;
	if (**next == '\n' && i >= n)
		(*next)++;
	/* trailing spaces do not count */
	while (i > 0 && p[i - 1] == ' ')
		i--;
	return i;
}

/* Print n bytes of text at x, y, clipped to maxw columns. */
int
text_print_n(struct grid *g, int x, int y, int maxw, enum role role,
    const char *s, size_t n)
{
	char buf[TEXT_LINE_MAX];

	if (n >= sizeof buf)
		n = sizeof buf - 1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return grid_print(g, x, y, maxw, role, buf);
}

/* Print text clipped to maxw columns with an ellipsis if it is cut. */
int
text_print_fit(struct grid *g, int x, int y, int maxw, enum role role,
    const char *s, const struct rules *r)
{
	int w = text_width(s, strlen(s)), ew;
	const char *next;
	size_t n;

	if (w <= maxw)
		return grid_print(g, x, y, maxw, role, s);
	ew = text_width(r->ellipsis, strlen(r->ellipsis));
	if (maxw <= ew)
		return grid_print(g, x, y, maxw, role, s);
	n = text_wrap(s, maxw - ew, &next);
	(void)next;
	w = text_print_n(g, x, y, maxw - ew, role, s, n);
	return w + grid_print(g, x + w, y, ew, role, r->ellipsis);
}

/* The role of narration text in these styles. */
static enum role
style_role(int style)
{
	if (style & STYLE_CODE)
		return ROLE_CODE;
	if (style & STYLE_STRONG)
		return ROLE_STRONG;
	if (style & STYLE_EMPH)
		return ROLE_EMPH;
	return ROLE_DEFAULT;
}

/* The styles after marker c. */
int
text_style_apply(int style, unsigned char c)
{
	switch (c) {
	case MARK_CODE_ON:
		return style | STYLE_CODE;
	case MARK_CODE_OFF:
		return style & ~STYLE_CODE;
	case MARK_EMPH_ON:
		return style | STYLE_EMPH;
	case MARK_EMPH_OFF:
		return style & ~STYLE_EMPH;
	case MARK_STRONG_ON:
		return style | STYLE_STRONG;
	case MARK_STRONG_OFF:
		return style & ~STYLE_STRONG;
	}
	return style;
}

/* Print n bytes of styled text at x, y within maxw columns: each run of
 * characters in the role of its styles; *style carries across calls. */
int
text_print_styled(
    struct grid *g, int x, int y, int maxw, const char *s, size_t n, int *style)
{
	size_t i = 0, start = 0;
	int used = 0;

	while (i <= n) {
		if (i == n || text_is_marker((unsigned char)s[i])) {
			if (i > start)
				used += text_print_n(g, x + used, y,
				    maxw - used, style_role(*style), s + start,
				    i - start);
			if (i == n)
				break;
			*style = text_style_apply(*style, (unsigned char)s[i]);
			start = i + 1;
		}
		i++;
	}
	return used;
}

void
text_rule(struct grid *g, int x, int y, int w, const struct rules *r,
    const char *label)
{
	int i;

	for (i = 0; i < w; i++)
		grid_put(g, x + i, y, r->h, ROLE_RULER);
	if (label != NULL && w > 4) {
		int lw =
		    text_print_fit(g, x + 2, y, w - 4, ROLE_LABEL, label, r);

		grid_put(g, x + 1, y, ' ', ROLE_RULER);
		grid_put(g, x + 2 + lw, y, ' ', ROLE_RULER);
	}
}

/* Put label at the right end of a rule drawn at x..x+w. */
void
text_rule_right(struct grid *g, int x, int y, int w, const char *label)
{
	int lw = text_width(label, strlen(label));

	if (lw + 6 > w)
		return;
	grid_put(g, x + w - lw - 3, y, ' ', ROLE_RULER);
	grid_print(g, x + w - lw - 2, y, lw, ROLE_LABEL, label);
	grid_put(g, x + w - 2, y, ' ', ROLE_RULER);
}

/* Rows text takes when wrapped to w columns. */
int
text_rows(const char *text, int w)
{
	const char *p, *next;
	int rows = 0;

	for (p = text; *p != '\0'; p = next) {
		text_wrap(p, w, &next);
		rows++;
		if (next == p)
			break;
	}
	return rows;
}

/* ---- formatting ---- */

void
screen_duration(uint64_t ms, char *buf, size_t len)
{
	if (ms < 1000)
		snprintf(buf, len, "%llu ms", (unsigned long long)ms);
	else if (ms < 60000)
		snprintf(buf, len, "%llu.%llu s",
		    (unsigned long long)(ms / 1000),
		    (unsigned long long)(ms % 1000 / 100));
	else
		snprintf(buf, len, "%llu min %02llu s",
		    (unsigned long long)(ms / 60000),
		    (unsigned long long)(ms % 60000 / 1000));
}

void
screen_step_keys(int n, char *buf, size_t len)
{
	if (n <= 1)
		snprintf(buf, len, "1");
	else if (n <= 9)
		snprintf(buf, len, "1-%d", n);
	else
		snprintf(
		    buf, len, "1-9 A-%c", thread_letter(n <= 26 ? n - 1 : 25));
}

void
text_thousands(uint64_t n, char *buf, size_t len)
{
	char digits[32];
	size_t nd, i, o = 0;

	snprintf(digits, sizeof digits, "%llu", (unsigned long long)n);
	nd = strlen(digits);
	for (i = 0; i < nd && o + 2 < len; i++) {
		if (i > 0 && (nd - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
}
