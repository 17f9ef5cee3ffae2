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
		model_cycle_long(m, &m->deadlock, s->glyphs->arrow, body, bl);
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

/* How many bytes of the text at p go on a line of w columns: a cycle
 * breaks only after an arrow, so that "A (held by T1)" stays whole;
 * other text, or a part too long for the line, where text_wrap breaks
 * it. *next is where the next line starts. */
static size_t
alert_wrap(const char *p, int w, const char *arrow, const char **next)
{
	size_t alen = strlen(arrow), best = 0;
	const char *q;

	if (text_width(p, strlen(p)) <= w) {
		*next = p + strlen(p);
		return strlen(p);
	}
	for (q = strstr(p, arrow); q != NULL; q = strstr(q + alen, arrow)) {
		size_t end = (size_t)(q - p) + alen;

		if (text_width(p, end) > w)
			break;
		best = end;
	}
	if (best == 0)
		return text_wrap(p, w, next);
	*next = p + best + (p[best] == ' ');
	return best;
}

/* The alert's lines at width w, drawn from row y of g when g is not
 * NULL (at most rows of them); the count. */
static int
alert_lines(
    const struct screen *s, struct grid *g, int x, int y, int w, int rows)
{
	const struct rules *r = text_rules_for(s->glyphs);
	char head[160], body[512];
	const char *p, *next;
	int n = 0;

	if (!alert_text(s, head, sizeof head, body, sizeof body))
		return 0;
	if (g != NULL)
		text_print_fit(g, x, y, w, ROLE_LOST, head, r);
	n++;
	for (p = body; *p != '\0' && n < rows; p = next) {
		size_t k = alert_wrap(p, w, s->glyphs->arrow, &next);

		if (g != NULL)
			grid_printf(
			    g, x, y + n, w, ROLE_LOCK_WAIT, "%.*s", (int)k, p);
		n++;
		if (next == p)
			break;
	}
	return n;
}

static void
alert_draw(struct grid *g, struct rect rc, struct screen *s)
{
	alert_lines(s, g, rc.x + 1, rc.y, rc.w - 2, rc.h);
}

/* Rows: the headline and the text wrapped, all of them first. */
static void
alert_rows(struct screen *s, int w, int h, struct view_size *z)
{
	(void)h;
	z->want = alert_lines(s, NULL, 0, 0, w - 2, 64);
	z->min = z->more = z->want;
}

const struct view view_alert = {
    "alert", VIEW_TOP, 1, NULL, alert_rows, alert_draw, NULL};
