/*
 * The narration: the page's title in its rule, then the page's text,
 * wrapped, styled and scrolled. Its height is the one the lesson's longest
 * page needs, so the panels below stay still as pages turn.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "view.h"

#define NARR_MIN 3 /* narration text rows at least */

/* The page on screen. */
static size_t
page_index(const struct screen *s)
{
	const struct lesson *l = s->lesson;

	if (s->page < 0)
		return 0;
	if ((size_t)s->page >= l->npages)
		return l->npages - 1;
	return (size_t)s->page;
}

/* A page's text with its placeholders filled in from params (caller
 * frees). */
static char *
page_text(const struct lesson *l, size_t page, const long *params)
{
	return lesson_expand(l, l->pages[page].text, params);
}

int
screen_page_rows(const struct lesson *l, const long *params, size_t page, int w)
{
	char *text;
	int rows;

	if (page >= l->npages)
		return 0;
	text = page_text(l, page, params);
	rows = text_rows(text, w - 2);
	free(text);
	return rows;
}

/* A cheap fingerprint of the parameters, for the narration cache. */
static uint64_t
params_key(const long *params)
{
	uint64_t h = 1469598103934665603ull;
	int i;

	for (i = 0; params != NULL && i < MODULE_MAX_PARAMS; i++)
		h = (h ^ (uint64_t)params[i]) * 1099511628211ull;
	return h;
}

/* Rows the lesson's longest page needs at width w. */
int
narration_need(struct screen *s, int w)
{
	const struct lesson *l = s->lesson;
	uint64_t key = params_key(s->params);
	int need = 0, rows;
	size_t i;

	if (s->narr_cache_lesson == l && s->narr_cache_w == w &&
	    s->narr_cache_key == key)
		return s->narr_cache_need;
	for (i = 0; i < l->npages; i++) {
		rows = screen_page_rows(l, s->params, i, w);
		if (rows > need)
			need = rows;
	}
	s->narr_cache_lesson = l;
	s->narr_cache_w = w;
	s->narr_cache_key = key;
	s->narr_cache_need = need;
	return need;
}

/* The narration: the page title in the rule, then its rows from
 * s->narr_top; the rule says where the page goes on when it scrolls. */
static void
narration_draw(struct grid *g, struct rect rc, struct screen *s)
{
	const struct rules *r = text_rules_for(s->glyphs);
	const struct lesson *l = s->lesson;
	int y = rc.y, rows = rc.h - 1;
	size_t pi = page_index(s);
	char label[256], more[96], *text, *title;
	const char *p, *next;
	int row = 0, style = 0, need;

	title = lesson_expand(l, l->pages[pi].title, s->params);
	snprintf(
	    label, sizeof label, "%s (page %zu/%zu)", title, pi + 1, l->npages);
	free(title);
	text_rule(g, rc.x, y, rc.w, r, label);
	text = page_text(l, pi, s->params);
	need = text_rows(text, rc.w - 2);
	if (s->narr_top > need - rows)
		s->narr_top = need - rows > 0 ? need - rows : 0;
	if (s->narr_top < 0)
		s->narr_top = 0;
	for (p = text; *p != '\0' && row < s->narr_top + rows; p = next) {
		size_t n = text_wrap(p, rc.w - 2, &next);

		if (row >= s->narr_top) {
			text_print_styled(g, rc.x + 1,
			    y + 1 + row - s->narr_top, rc.w - 2, p, n, &style);
		} else {
			size_t k;

			for (k = 0; k < (size_t)(next - p); k++)
				style = text_style_apply(
				    style, (unsigned char)p[k]);
		}
		row++;
		if (next == p)
			break;
	}
	if (need > rows) {
		snprintf(more, sizeof more, "%s%s rows %d-%d of %d",
		    s->narr_top > 0 ? r->up_arrow : "",
		    s->narr_top + rows < need ? r->down_arrow : "",
		    s->narr_top + 1, s->narr_top + rows, need);
		text_rule_right(g, rc.x, y, rc.w, more);
	}
	s->layout.narr_rows = rows;
	s->layout.narr_need = need;
	free(text);
}

int
screen_narration_scroll(struct screen *s, int rows)
{
	int before = s->narr_top;
	int max = s->layout.narr_need - s->layout.narr_rows;

	s->narr_top += rows;
	if (s->narr_top > max)
		s->narr_top = max;
	if (s->narr_top < 0)
		s->narr_top = 0;
	return s->narr_top != before ? 0 : -1;
}

/* Rows: the rule, then three at least, up to a third of the screen
 * before other panels get all theirs, and the longest page at most. */
static void
narration_rows(struct screen *s, int w, int h, struct view_size *z)
{
	int need = narration_need(s, w), third = (h - 3) / 3;

	z->fixed = 1;
	z->want = need > 1 ? need : 1;
	z->min = need < NARR_MIN ? need : NARR_MIN;
	if (z->min < 1)
		z->min = 1;
	z->more = need < third ? need : third;
	z->floor = 1;
}

/* Pages and scrolling: n and p turn the page, the arrows scroll a long
 * one by a row and the page keys by a screenful. */
static int
narration_key(struct screen *s, int k)
{
	int by = s->layout.narr_rows > 2 ? s->layout.narr_rows - 1 : 1;

	switch (k) {
	case 'n':
		if (s->lesson != NULL && s->page + 1 < (int)s->lesson->npages)
			s->page++, s->narr_top = 0;
		return 0;
	case 'p':
		if (s->page > 0)
			s->page--, s->narr_top = 0;
		return 0;
	case SCREEN_KEY_UP:
	case SCREEN_KEY_DOWN:
		screen_narration_scroll(s, k == SCREEN_KEY_UP ? -1 : 1);
		return 0;
	case SCREEN_KEY_PAGE_UP:
	case SCREEN_KEY_PAGE_DOWN:
		screen_narration_scroll(s, k == SCREEN_KEY_PAGE_UP ? -by : by);
		return 0;
	default:
		return -1;
	}
}

const struct view view_narration = {"narration", VIEW_TOP, 0, NULL,
    narration_rows, narration_draw, narration_key};
