/*
 * The lesson menu: one entry per lesson with its number, title and
 * summary, the selected one highlighted.
 */
#include "config.h"

#include <stdio.h>

#include "view.h"

void
screen_draw_menu(struct grid *g, struct lesson *const *lessons, size_t n,
    size_t sel, int ascii)
{
	const struct rules *r =
	    text_rules_for(ascii ? &glyphs_ascii : &glyphs_utf8);
	size_t i;
	int x, y = 2;

	if (g->w < SCREEN_MIN_W || g->h < SCREEN_MIN_H) {
		screen_draw_too_small(g);
		return;
	}
	for (x = 0; x < g->w; x++)
		grid_put(g, x, 0, ' ', ROLE_TITLE);
	grid_print(g, 1, 0, g->w - 2, ROLE_TITLE,
	    "interleave: watch real threads being scheduled");
	grid_print(g, 2, y++, g->w - 4, ROLE_LABEL, "Lessons");
	y++;
	for (i = 0; i < n && y + 2 < g->h - 2; i++) {
		enum role role = i == sel ? ROLE_TITLE : ROLE_DEFAULT;
		char head[256];

		snprintf(head, sizeof head, " %zu  %-10s %s ", i + 1,
		    lessons[i]->id, lessons[i]->title);
		if (i == sel)
			for (x = 2; x < g->w - 2; x++)
				grid_put(g, x, y, ' ', ROLE_TITLE);
		text_print_fit(g, 2, y, g->w - 4, role, head, r);
		if (lessons[i]->summary != NULL)
			text_print_fit(g, 7, y + 1, g->w - 9, ROLE_DEFAULT,
			    lessons[i]->summary, r);
		y += 3;
	}
	text_print_fit(g, 1, g->h - 1, g->w - 2, ROLE_LABEL,
	    ascii ? "up/down or j k: move   Enter: open   1-9: open that "
	            "lesson   q: quit"
	          : "\xe2\x86\x91\xe2\x86\x93 or j k: move   Enter: open   "
	            "1-9: open that lesson   q: quit",
	    r);
}
