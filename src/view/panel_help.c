/*
 * The help overlay: every key of the lesson screen that applies, from the
 * same table as the key bar.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "keys.h"
#include "view.h"

/* The help overlay: a box in the middle of rc listing every key that
 * applies, and how the run is scheduled. */
static void
help_draw(struct grid *g, struct rect rc, struct screen *s)
{
	const struct rules *r = text_rules_for(s->glyphs);
	int bw = 66, bh = 5, bx, by, i, j, row = 0, gap = 1;
	char buf[80];
	struct key_row tmp;

	/* as wide as the longest help needs, within the screen; as tall as
	 * the keys, without the blank rows around them if need be */
	for (i = 0; i < (int)keys_total(s); i++) {
		const struct key_help *k = key_at(s, (size_t)i, &tmp);

		if (!key_shown(k, s))
			continue;
		bh++;
		if (16 + text_width(k->help, strlen(k->help)) > bw)
			bw = 16 + text_width(k->help, strlen(k->help));
	}
	if (bw > rc.w)
		bw = rc.w;
	if (bh > rc.h) {
		bh -= 2;
		gap = 0;
	}
	bx = rc.x + (rc.w - bw) / 2;
	by = rc.y + (rc.h - bh) / 2;

	if (by < rc.y)
		by = rc.y;
	for (j = 0; j < bh; j++)
		for (i = 0; i < bw; i++)
			grid_put(g, bx + i, by + j, ' ', ROLE_DEFAULT);
	for (i = 0; i < bw; i++) {
		grid_put(g, bx + i, by, r->h, ROLE_RULER);
		grid_put(g, bx + i, by + bh - 1, r->h, ROLE_RULER);
	}
	for (j = 0; j < bh; j++) {
		grid_put(g, bx, by + j, r->v, ROLE_RULER);
		grid_put(g, bx + bw - 1, by + j, r->v, ROLE_RULER);
	}
	grid_put(g, bx, by, r->tl, ROLE_RULER);
	grid_put(g, bx + bw - 1, by, r->tr, ROLE_RULER);
	grid_put(g, bx, by + bh - 1, r->bl, ROLE_RULER);
	grid_put(g, bx + bw - 1, by + bh - 1, r->br, ROLE_RULER);
	grid_print(g, bx + 2, by, bw - 4, ROLE_LABEL, " keys ");
	for (i = 0; i < (int)keys_total(s); i++) {
		const struct key_help *k = key_at(s, (size_t)i, &tmp);

		if (!key_shown(k, s))
			continue;
		grid_print(g, bx + 3, by + 1 + gap + row, 10, ROLE_LABEL,
		    key_keys(k, s, buf, sizeof buf));
		grid_print(g, bx + 14, by + 1 + gap + row, bw - 16,
		    ROLE_DEFAULT, k->help);
		row++;
	}
	if (s->meas != NULL)
		snprintf(buf, sizeof buf,
		    "runs are free: the operating system schedules them");
	else if (s->free_run)
		snprintf(buf, sizeof buf,
		    "a free run: the operating system schedules it");
	else
		snprintf(buf, sizeof buf, "auto-run speed: %d step%s a second",
		    s->speed, s->speed == 1 ? "" : "s");
	grid_print(g, bx + 3, by + bh - 2, bw - 6, ROLE_DEFAULT, buf);
}

const struct view view_help = {
    "help", VIEW_OVERLAY, 0, NULL, NULL, help_draw, NULL};
