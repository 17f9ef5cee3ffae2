/*
 * The status line and the key bar at the bottom of the lesson screen.
 */
#include "config.h"

#include <string.h>

#include "keys.h"
#include "view.h"

/* The status line: what just happened, clipped to the width. */
static void
status_draw(struct grid *g, struct rect rc, struct screen *s)
{
	if (s->status != NULL)
		text_print_fit(g, rc.x + 1, rc.y, rc.w - 2, ROLE_DEFAULT,
		    s->status, text_rules_for(s->glyphs));
}

/* Columns a key-bar item takes: "keys words" and two spaces. */
static int
keybar_need(const struct key_help *k, const struct screen *s)
{
	char buf[32];
	const char *keys = key_keys(k, s, buf, sizeof buf);

	return text_width(keys, strlen(keys)) + 1 + (int)strlen(k->bar) + 2;
}

/* The key bar: every item that fits, in order, but always those marked
 * must (step, help, quit). */
static void
keybar_draw(struct grid *g, struct rect rc, struct screen *s)
{
	int x = rc.x + 1, reserve = 0, y = rc.y, end = rc.x + rc.w;
	char buf[32];
	struct key_row tmp;
	const struct key_help *k;
	size_t i;

	for (i = 0; i < keys_total(s); i++)
		if ((k = key_at(s, i, &tmp))->bar != NULL && k->must &&
		    key_shown(k, s))
			reserve += keybar_need(k, s);
	for (i = 0; i < keys_total(s); i++) {
		int need;

		k = key_at(s, i, &tmp);
		if (k->bar == NULL || !key_shown(k, s))
			continue;
		need = keybar_need(k, s);
		if (k->must)
			reserve -= need;
		else if (x + need + reserve > end)
			continue;
		x += grid_print(g, x, y, end - x, ROLE_LABEL,
		    key_keys(k, s, buf, sizeof buf));
		x += 1;
		x += grid_print(g, x, y, end - x, ROLE_DEFAULT, k->bar);
		x += 2;
	}
}

const struct view view_status = {
    "status", VIEW_FOOT, 0, NULL, NULL, status_draw, NULL};
const struct view view_keybar = {
    "keys", VIEW_FOOT, 0, NULL, NULL, keybar_draw, NULL};
