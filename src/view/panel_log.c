/*
 * The log: the last status lines of a stepped run, newest at the bottom,
 * on a tall terminal.
 */
#include "config.h"

#include <string.h>

#include "view.h"

/* The lines the log panel shows: every status line kept but one that is
 * on the status line now. */
static int
log_lines(const struct screen *s)
{
	if (s->log == NULL || s->nlog == 0)
		return 0;
	if (s->status != NULL && strcmp(s->log[s->nlog - 1], s->status) == 0)
		return s->nlog - 1;
	return s->nlog;
}

/* The last status lines before the one on the status line, newest at
 * the bottom. */
static void
log_draw(struct grid *g, struct rect rc, struct screen *s)
{
	const struct rules *r = text_rules_for(s->glyphs);
	int y = rc.y, rows = rc.h;
	int n = log_lines(s), i, first = n > rows ? n - rows : 0;

	for (i = first; i < n; i++)
		text_print_fit(g, rc.x + 1, y + i - first, rc.w - 2,
		    ROLE_DEFAULT, s->log[i], r);
}

/* Rows: every line kept, two at least. */
static void
log_rows(struct screen *s, int w, int h, struct view_size *z)
{
	(void)w;
	(void)h;
	z->want = log_lines(s);
	z->min = 2;
}

const struct view view_log = {
    "log", VIEW_EXTRA, 1, NULL, log_rows, log_draw, NULL};
