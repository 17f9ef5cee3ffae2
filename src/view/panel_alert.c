/*
 * The alert panel, under the narration: a deadlock the model found (the
 * cycle of its wait-for graph, and when it closed), or what the lesson
 * says of its run as it goes (a livelock and how long it has lasted).
 * It is on the screen only while there is something to say.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "view.h"

/* The headline and its text: 1 if there is an alert. */
static int
alert_text(const struct screen *s, char *head, size_t hl, char *body, size_t bl)
{
	const struct model *m = s->model;
	const char *arrow = s->glyphs == &glyphs_ascii ? "->" : "\xe2\x86\x92";
	const char *colon;
	char when[32];

	if (m != NULL && m->deadlock.n > 0) {
		if (m->clock == MODEL_CLOCK_NS) {
			screen_duration(
			    m->deadlock.at / 1000000, when, sizeof when);
			snprintf(head, hl,
			    "DEADLOCK after %s: the threads wait for ever",
			    when);
		} else {
			snprintf(head, hl,
			    "DEADLOCK at step %u: no thread can move",
			    (unsigned)m->deadlock.step);
		}
		model_cycle_long(m, &m->deadlock, arrow, body, bl);
		return 1;
	}
	if (s->alert == NULL || s->alert[0] == '\0')
		return 0;
	colon = strchr(s->alert, ':');
	snprintf(head, hl, "%.*s",
	    colon != NULL ? (int)(colon - s->alert) : (int)strlen(s->alert),
	    s->alert);
	snprintf(
	    body, bl, "%s", colon != NULL ? colon + 1 + (colon[1] == ' ') : "");
	return 1;
}

int
alert_shown(const struct screen *s)
{
	char head[160], body[512];

	return alert_text(s, head, sizeof head, body, sizeof body);
}

static void
alert_draw(struct grid *g, struct rect rc, struct screen *s)
{
	const struct rules *r = text_rules_for(s->glyphs);
	char head[160], body[512];
	const char *p, *next;
	int y = rc.y;

	if (!alert_text(s, head, sizeof head, body, sizeof body))
		return;
	text_print_fit(g, rc.x + 1, y++, rc.w - 2, ROLE_LOST, head, r);
	for (p = body; *p != '\0' && y < rc.y + rc.h; p = next) {
		size_t n = text_wrap(p, rc.w - 2, &next);

		grid_printf(g, rc.x + 1, y++, rc.w - 2, ROLE_LOCK_WAIT, "%.*s",
		    (int)n, p);
		if (next == p)
			break;
	}
}

/* Rows: the headline and the text wrapped, all of them first. */
static void
alert_rows(struct screen *s, int w, int h, struct view_size *z)
{
	char head[160], body[512];

	(void)h;
	if (!alert_text(s, head, sizeof head, body, sizeof body))
		return;
	z->want = 1 + (body[0] != '\0' ? text_rows(body, w - 2) : 0);
	z->min = z->more = z->want;
}

const struct view view_alert = {
    "alert", VIEW_TOP, 1, NULL, alert_rows, alert_draw, NULL};
