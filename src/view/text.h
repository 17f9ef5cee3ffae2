/*
 * Text for the panels: measuring, wrapping and printing UTF-8 text with
 * the narration's style markers, the box-drawing pieces of each glyph
 * set, horizontal rules with labels, and the few formats people read.
 */
#ifndef IL_TEXT_H
#define IL_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "glyphs.h"
#include "grid.h"

#define TEXT_LINE_MAX 1024 /* bytes of one printed line at most */

/* Box-drawing pieces for each glyph set. */
struct rules {
	uint32_t h, v, down, up, right_t, tl, tr, bl, br;
	const char *ellipsis;
	const char *left, *right, *up_arrow, *down_arrow, *marker;
};

/* The pieces for a glyph set: ASCII for glyphs_ascii, else UTF-8. */
const struct rules *text_rules_for(const struct glyphs *);

/* Whether c is a narration style marker (zero columns wide). */
int text_is_marker(unsigned char c);

/* Display width of the first n bytes of s. */
int text_width(const char *s, size_t n);

/* How many bytes of the line at p fit into w columns, breaking after a
 * space when the line is longer; stops at a newline. *next is where the
 * following line starts. */
size_t text_wrap(const char *p, int w, const char **next);

/* Rows text takes when wrapped to w columns. */
int text_rows(const char *text, int w);

/* Print n bytes of text at x, y, clipped to maxw columns. */
int text_print_n(
    struct grid *, int x, int y, int maxw, enum role, const char *s, size_t n);

/* Print text clipped to maxw columns with an ellipsis if it is cut. */
int text_print_fit(struct grid *, int x, int y, int maxw, enum role,
    const char *s, const struct rules *);

/* The styles after marker c (style is a set of STYLE_ bits, private). */
int text_style_apply(int style, unsigned char c);

/* Print n bytes of styled text at x, y within maxw columns: each run of
 * characters in the role of its styles; *style carries across calls. */
int text_print_styled(
    struct grid *, int x, int y, int maxw, const char *s, size_t n, int *style);

/* A horizontal rule at x, y, w wide, with label near its left end. */
void text_rule(struct grid *, int x, int y, int w, const struct rules *,
    const char *label);

/* Put label at the right end of a rule drawn at x..x+w. */
void text_rule_right(struct grid *, int x, int y, int w, const char *label);

/* n with a comma between each group of three digits: "12,500". */
void text_thousands(uint64_t n, char *buf, size_t len);

#endif
