/*
 * The title bar: the lesson, and what the run is doing (its mode, step
 * and seed, or a free run's time and progress).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "util.h"
#include "view.h"

static const char *const mode_names[] = {
    [SCREEN_STEP] = "STEP",
    [SCREEN_AUTO] = "AUTO",
    [SCREEN_PAUSED] = "PAUSED",
    [SCREEN_FREE] = "FREE",
    [SCREEN_DONE] = "DONE",
};

const char *
screen_mode_name(enum screen_mode m)
{
	if ((unsigned)m >= IL_ARRAY_LEN(mode_names))
		return "?";
	return mode_names[m];
}

/* The right end of the title bar: " STEP  step 7  seed 1 ". */
static void
title_state(const struct screen *s, char *right, size_t len)
{
	const struct model *m = s->model;
	/* a deadlock is what the run is doing now, whatever the mode */
	const char *mode = m != NULL && m->deadlock.n > 0
	    ? "DEADLOCK"
	    : screen_mode_name(s->mode);
	char when[32];

	if (s->free_run) {
		char pct[16] = "";

		screen_duration(s->elapsed_ms, when, sizeof when);
		if (s->progress_total > 0 && s->mode != SCREEN_DONE)
			snprintf(pct, sizeof pct, "  %llu%%",
			    (unsigned long long)(s->progress_done * 100 /
			        s->progress_total));
		snprintf(right, len, " %s  %s%s ", mode, when, pct);
	} else {
		snprintf(right, len, " %s  step %u  seed %llu ", mode,
		    m != NULL ? (unsigned)m->step : 0,
		    (unsigned long long)s->seed);
	}
}

/* Draw the title bar into the first row of rc. */
static void
title_draw(struct grid *g, struct rect rc, struct screen *s)
{
	const struct rules *r = text_rules_for(s->glyphs);
	char right[160], left[512];
	int rw, x;

	for (x = 0; x < rc.w; x++)
		grid_put(g, rc.x + x, rc.y, ' ', ROLE_TITLE);
	title_state(s, right, sizeof right);
	rw = (int)strlen(right);
	snprintf(left, sizeof left, " interleave: %s: %s", s->lesson->id,
	    s->lesson->title);
	text_print_fit(g, rc.x, rc.y, rc.w - rw - 1, ROLE_TITLE, left, r);
	grid_print(g, rc.x + rc.w - rw, rc.y, rw, ROLE_TITLE, right);
}

const struct view view_title = {
    "title", VIEW_TOP, 0, NULL, NULL, title_draw, NULL};
