/*
 * The text panels of a printed report (headless output): the heading
 * and the line about the run, and the notes after the legend. Their
 * text is wrapped at a space before the panel's width.
 */
#include "config.h"

#include <string.h>

#include "view.h"

/* Print text wrapped at spaces to w columns from x, y (count only when g
 * is NULL); returns the rows it takes. A line is cut at the last space
 * at or before byte w, or at w if there is none. */
static int
report_wrap(
    struct grid *g, int x, int y, int w, const char *text, enum role role)
{
	const char *p = text;
	int rows = 0;

	while (*p != '\0') {
		size_t n = strlen(p), cut = n;

		if (n > (size_t)w) {
			cut = (size_t)w;
			while (cut > 0 && p[cut] != ' ')
				cut--;
			if (cut == 0)
				cut = (size_t)w;
		}
		if (g != NULL)
			text_print_n(g, x, y + rows, w, role, p, cut);
		rows++;
		p += cut;
		while (*p == ' ')
			p++;
	}
	return rows;
}

/* The heading, then the line about the run. */
static void
head_draw(struct grid *g, struct rect rc, struct screen *s)
{
	const struct screen_report *rep = s->report;
	int y = rc.y;

	y += report_wrap(g, rc.x, y, rc.w, rep->heading, ROLE_TITLE);
	report_wrap(g, rc.x, y, rc.w, rep->run_line, ROLE_DEFAULT);
}

/* Rows: the heading's and the run line's, wrapped. */
static void
head_rows(struct screen *s, int w, int h, struct view_size *z)
{
	const struct screen_report *rep = s->report;

	(void)h;
	z->fixed = report_wrap(NULL, 0, 0, w, rep->heading, ROLE_TITLE) +
	    report_wrap(NULL, 0, 0, w, rep->run_line, ROLE_DEFAULT);
}

/* Each note, wrapped, one after another. */
static void
notes_draw(struct grid *g, struct rect rc, struct screen *s)
{
	const struct screen_report *rep = s->report;
	int i, y = rc.y;

	for (i = 0; i < rep->nnotes; i++)
		y += report_wrap(g, rc.x, y, rc.w, rep->notes[i], ROLE_DEFAULT);
}

/* Rows: every note's, wrapped. */
static void
notes_rows(struct screen *s, int w, int h, struct view_size *z)
{
	const struct screen_report *rep = s->report;
	int i;

	(void)h;
	for (i = 0; i < rep->nnotes; i++)
		z->fixed +=
		    report_wrap(NULL, 0, 0, w, rep->notes[i], ROLE_DEFAULT);
}

const struct view view_report_head = {
    "heading", VIEW_TOP, 0, NULL, head_rows, head_draw, NULL};
const struct view view_report_notes = {
    "notes", VIEW_TOP, 0, NULL, notes_rows, notes_draw, NULL};
