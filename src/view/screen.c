/*
 * The screens, drawn into a cell grid. The lesson screen, top to bottom:
 *
 *   title bar
 *   narration (page title rule, wrapped text that scrolls)
 *   threads rule | shared rule
 *   lanes, ruler, cores, legend | variables, locks, result
 *   code (or results) rule
 *   one code row per thread, or the results table
 *   on a tall terminal: the log of steps, or the kernel's view
 *   status line
 *   key bar
 *
 * Each of them is a panel (view.h), in its own file. This file lists the
 * panels a screen wants with their priorities, has the layout (layout.c)
 * give them their rows, and puts them in place.
 */
#include "config.h"

#include "screen.h"

#include <stdio.h>
#include <string.h>

#include "layout.h"
#include "util.h"

/* The panels of the lesson screen in screen order. Those every screen
 * has carry their priority (lower numbers get their rows first); a
 * lesson's own (lesson >= 0) take theirs from its module, and appear
 * only if the module asks for them. */
struct panel_slot {
	const struct view *view;
	int prio;
	int lesson; /* enum lesson_panel, or -1: on every screen */
};

static const struct panel_slot panels[] = {
    {&view_title, 0, -1},
    {&view_narration, 40, -1},
    {&view_coach, 30, -1},
    {&view_alert, 5, -1},
    {&view_lanes, 20, -1},
    {&view_cores, 10, -1},
    {&view_legend, 0, -1},
    {&view_shared, 0, LESSON_PANEL_SHARED},
    {&view_code, 0, LESSON_PANEL_CODE},
    {&view_results, 0, LESSON_PANEL_RESULTS},
    {&view_kernel, 0, LESSON_PANEL_KERNEL},
    {&view_log, 0, LESSON_PANEL_LOG},
    {&view_prev, 0, LESSON_PANEL_PREV},
    {&view_status, 0, -1},
    {&view_keybar, 0, -1},
};

int
screen_measuring(const struct screen *s)
{
	if (s->model == NULL)
		return results_always(s->lesson->module);
	return s->meas != NULL;
}

/* The panels this screen has and their priorities: every screen's, and
 * those the lesson's module asks for. */
static void
screen_panels(const struct screen *s, struct layout *lo)
{
	const struct lesson_module *mod = s->lesson->module;
	size_t i;
	int prio;

	memset(lo, 0, sizeof *lo);
	for (i = 0; i < IL_ARRAY_LEN(panels); i++) {
		prio = panels[i].lesson < 0
		    ? panels[i].prio
		    : module_panel_prio(
		          mod, (enum lesson_panel)panels[i].lesson);
		/* A results table has nothing to show without a plan
		 * being measured: the code takes its place. */
		if (panels[i].lesson == LESSON_PANEL_CODE && prio < 0 &&
		    !screen_measuring(s))
			prio = module_panel_prio(mod, LESSON_PANEL_RESULTS);
		if (panels[i].lesson == LESSON_PANEL_RESULTS &&
		    !screen_measuring(s))
			prio = -1;
		/* While a plan measures, its table takes the code's place. */
		if (panels[i].lesson == LESSON_PANEL_CODE &&
		    screen_measuring(s) &&
		    module_panel_prio(mod, LESSON_PANEL_RESULTS) >= 0)
			prio = -1;
		/* the alert panel is there only with something to say */
		if (panels[i].view == &view_alert && !alert_shown(s))
			prio = -1;
		if (panels[i].view == &view_coach && !coach_shown(s))
			prio = -1;
		if (prio >= 0)
			layout_add(lo, panels[i].view, prio);
	}
}

int
screen_key(struct screen *s, int k)
{
	size_t i;

	for (i = 0; i < IL_ARRAY_LEN(panels); i++)
		if (panels[i].view->key != NULL &&
		    panels[i].view->key(s, k) == 0)
			return 1;
	return 0;
}

/* Ask each panel for its rows at w x h, and lay them out. */
static void
screen_sizes(struct layout *lo, struct screen *s, int w, int h)
{
	int i;

	for (i = 0; i < lo->n; i++) {
		struct layout_panel *p = &lo->p[i];

		memset(&p->size, 0, sizeof p->size);
		if (p->view->rows != NULL)
			p->view->rows(s, w, h, &p->size);
		else
			p->size.fixed = 1;
	}
	layout_rows(lo, h);
}

/* Lay the screen out at w x h. A sampled run has a cores view, which
 * also adds an item to the legend: if there is no room for the view,
 * there is none for the item either. s->layout.cores holds the rows the
 * cores view is offered, then the rows it got. */
static void
screen_layout(struct layout *lo, struct screen *s, int w, int h)
{
	struct layout_panel *cores;

	screen_panels(s, lo);
	s->layout.cores = s->kernel > 0 ? s->ncpus : 0;
	screen_sizes(lo, s, w, h);
	cores = layout_find(lo, &view_cores);
	if (cores != NULL && cores->size.want > 0 && cores->rows == 0) {
		s->layout.cores = 0;
		screen_sizes(lo, s, w, h);
	}
	s->layout.cores = cores != NULL ? cores->rows : 0;
}

int
screen_narration_rows(const struct lesson *l, const long *params, int w, int h)
{
	struct screen s;
	struct layout lo;
	struct layout_panel *narr;

	/* the screen before the run starts: no model yet */
	memset(&s, 0, sizeof s);
	s.lesson = l;
	s.params = params;
	s.glyphs = &glyphs_utf8;
	s.kernel = results_always(l->module);
	screen_layout(&lo, &s, w, h);
	narr = layout_find(&lo, &view_narration);
	return narr != NULL ? narr->rows : 0;
}

/* The label of panel v's rule. */
static const char *
rule_label(const struct view *v, const struct screen *s, char *buf, size_t len)
{
	return v->title != NULL ? v->title(s, buf, len) : v->name;
}

/* Draw panel p into the rectangle x, y, w and its rows. */
static void
place(const struct layout_panel *p, struct grid *g, struct screen *s, int x,
    int y, int w)
{
	struct rect rc = {x, y, w, p->size.fixed + p->rows};

	p->view->draw(g, rc, s);
}

/* Rows a panel takes beside its rule. */
static int
panel_h(const struct layout_panel *p)
{
	return p->size.fixed + p->rows;
}

/* The block at row y: the rule of its two columns, the left column's
 * panels down from the top and those of its foot at the bottom, a line
 * between the columns, and the right column's panels. */
static void
screen_block(struct layout *lo, struct grid *g, struct screen *s, int y,
    const struct rules *r)
{
	int sw = shared_width(g->w), lw = g->w - sw - 1, i;
	int ly = y + 1, ry = y + 1, fy = y + 1 + lo->block, left = 0;
	char buf[128];

	for (i = 0; i < lo->n; i++) {
		const struct layout_panel *p = &lo->p[i];

		if (p->view->place == VIEW_LEFT_FOOT)
			fy -= panel_h(p);
		else if (p->view->place == VIEW_LEFT && !left++)
			text_rule(g, 0, y, lw, r,
			    rule_label(p->view, s, buf, sizeof buf));
		else if (p->view->place == VIEW_RIGHT)
			text_rule(g, lw + 1, y, sw, r,
			    rule_label(p->view, s, buf, sizeof buf));
	}
	grid_put(g, lw, y, r->down, ROLE_RULER);
	for (i = 0; i < lo->n; i++) {
		const struct layout_panel *p = &lo->p[i];
		int *at = p->view->place == VIEW_LEFT  ? &ly
		    : p->view->place == VIEW_LEFT_FOOT ? &fy
		                                       : &ry;

		if (p->view->place == VIEW_RIGHT)
			place(p, g, s, lw + 2, *at, sw - 2);
		else if (p->view->place == VIEW_LEFT ||
		    p->view->place == VIEW_LEFT_FOOT)
			place(p, g, s, 0, *at, lw);
		else
			continue;
		*at += panel_h(p);
	}
	for (i = 0; i < lo->block; i++)
		grid_put(g, lw, y + 1 + i, r->v, ROLE_RULER);
}

/* Put each panel in its place: the full-width ones down from the top,
 * each under its rule (joined to the line of a block just above), the
 * block where its first panel is, the foot's panels at the bottom. */
static void
screen_place(
    struct layout *lo, struct grid *g, struct screen *s, const struct rules *r)
{
	int y = 0, foot = g->h, i, block = 0;
	int lw = g->w - shared_width(g->w) - 1;
	char buf[128];

	for (i = 0; i < lo->n; i++)
		if (lo->p[i].view->place == VIEW_FOOT)
			foot -= panel_h(&lo->p[i]);
	for (i = 0; i < lo->n; i++) {
		const struct layout_panel *p = &lo->p[i];
		const struct view *v = p->view;

		if (v->place == VIEW_FOOT) {
			place(p, g, s, 0, foot, g->w);
			foot += panel_h(p);
			continue;
		}
		if (v->place != VIEW_TOP && v->place != VIEW_EXTRA) {
			if (block == 0)
				screen_block(lo, g, s, y, r);
			if (block == 0)
				y += 1 + lo->block;
			block = 1;
			continue;
		}
		if (v->place == VIEW_EXTRA && p->rows == 0)
			continue;
		if (v->rule) {
			text_rule(g, 0, y, g->w, r,
			    rule_label(v, s, buf, sizeof buf));
			if (block == 1)
				grid_put(g, lw, y, r->up, ROLE_RULER);
			y++;
		}
		block = block ? 2 : 0;
		place(p, g, s, 0, y, g->w);
		y += panel_h(p);
	}
}

void
screen_draw(struct grid *g, struct screen *s)
{
	struct layout lo;

	memset(&s->layout, 0, sizeof s->layout);
	if (g->w < SCREEN_MIN_W || g->h < SCREEN_MIN_H) {
		s->layout.too_small = 1;
		screen_draw_too_small(g);
		return;
	}
	screen_layout(&lo, s, g->w, g->h);
	screen_place(&lo, g, s, text_rules_for(s->glyphs));
	coach_card_draw(g, s);
	if (s->help) {
		struct rect all = {0, 0, g->w, g->h};

		view_help.draw(g, all, s);
	}
}
/* The notice instead of a screen below the smallest size. */
void
screen_draw_too_small(struct grid *g)
{
	char msg[96];
	const char *p = msg, *next;
	int y;

	snprintf(msg, sizeof msg, "terminal too small: need %dx%d, have %dx%d",
	    SCREEN_MIN_W, SCREEN_MIN_H, g->w, g->h);
	for (y = g->h / 2 > 0 ? g->h / 2 - 1 : 0; *p != '\0' && y < g->h; y++) {
		size_t n = text_wrap(p, g->w, &next);
		int w = text_width(p, n);

		if (n == 0)
			break;
		text_print_n(g, (g->w - w) / 2, y, g->w, ROLE_WARNING, p, n);
		p = next;
	}
}
