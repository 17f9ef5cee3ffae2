/* The course menu: chapters, lessons with their marks and challenges,
 * scrolling at 80x24, the room at 200x60, the progress notice; and the
 * course's order of chapters (course.c). In the screen test case, whose
 * fixture loads the race lesson. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "course.h"
#include "helper.h"
#include "screen.h"
#include "test_screen.h"

#define MENU_MAX 24

/* A menu of n copies of the race lesson, two to a chapter ("Chapter 1",
 * "Chapter 2", ...); item 0 started with its first challenge won in 6
 * steps, item 1 done with both won. */
struct menu_fixture {
	struct screen_menu_item items[MENU_MAX];
	char chapters[MENU_MAX][32];
	int won[MENU_MAX][2];
	long steps[MENU_MAX][2];
	struct screen_menu m;
};

static void
menu_fixture(struct menu_fixture *f, size_t n, size_t sel, int ascii)
{
	size_t i;

	memset(f, 0, sizeof *f);
	ck_assert_uint_eq(race->nchallenges, 2);
	for (i = 0; i < n; i++) {
		snprintf(f->chapters[i], sizeof f->chapters[i], "Chapter %zu",
		    i / 2 + 1);
		f->items[i].lesson = race;
		f->items[i].chapter = f->chapters[i];
		f->items[i].won = f->won[i];
		f->items[i].steps = f->steps[i];
	}
	f->won[0][0] = 1;
	f->steps[0][0] = 6;
	f->items[0].started = 1;
	f->won[1][0] = f->won[1][1] = 1;
	f->steps[1][0] = 1;
	f->steps[1][1] = 0; /* a free run's win: no steps */
	f->items[1].started = f->items[1].done = 1;
	f->m.items = f->items;
	f->m.n = n;
	f->m.sel = sel;
	f->m.ascii = ascii;
}

/* The terminal row holding needle, or -1. */
static int
menu_row_of(const char *text, const char *needle)
{
	const char *p = strstr(text, needle), *q;
	int y = 0;

	if (p == NULL)
		return -1;
	for (q = text; q < p; q++)
		y += *q == '\n';
	return y;
}

static const struct menu_golden {
	const char *name;
	int w, h, ascii;
	size_t n, sel;
	const char *notice;
} menu_goldens[] = {
    {"screen-menu-80x24.utf8", 80, 24, 0, 3, 1, NULL},
    {"screen-menu-80x24.ascii", 80, 24, 1, 3, 0, NULL},
    {"screen-menu-notice-80x24.utf8", 80, 24, 0, 2, 0,
        "The progress file /home/s/.local/state/interleave/progress could "
        "not be read (line 2 is not a record); it was set aside as "
        "progress.corrupt-1767225600 and progress starts afresh."},
    {"screen-menu-scrolled-80x24.utf8", 80, 24, 0, 8, 6, NULL},
    {"screen-menu-200x60.utf8", 200, 60, 0, 8, 7, NULL},
};

START_TEST(test_menu_golden)
{
	const struct menu_golden *c = &menu_goldens[_i];
	struct menu_fixture f;
	struct grid *g = grid_new(c->w, c->h);
	char *text;

	menu_fixture(&f, c->n, c->sel, c->ascii);
	f.m.notice = c->notice;
	screen_draw_menu(g, &f.m);
	text = grid_text(g, c->ascii);
	test_check_golden(c->name, text);
	free(text);
	grid_free(g);
}
END_TEST

/* What each lesson and challenge shows, and in which role. */
START_TEST(test_menu_marks)
{
	struct menu_fixture f;
	struct grid *g = grid_new(80, 24);
	char *text, row[256];
	int y, x;

	menu_fixture(&f, 3, 2, 0);
	screen_draw_menu(g, &f.m);
	text = grid_text(g, 0);
	ck_assert_int_eq(menu_row_of(text, "Chapter 1"), 2);
	ck_assert_int_gt(menu_row_of(text, "Chapter 2"), 2);
	ck_assert_ptr_nonnull(row_with(text, " 1  race", row, sizeof row));
	ck_assert_ptr_nonnull(strstr(row, "started"));
	ck_assert_ptr_nonnull(row_with(text, " 2  race", row, sizeof row));
	ck_assert_ptr_nonnull(strstr(row, "\xe2\x9c\x93 done"));
	ck_assert_ptr_nonnull(row_with(text, " 3  race", row, sizeof row));
	ck_assert_ptr_null(strstr(row, "started"));
	ck_assert_ptr_null(strstr(row, "done"));
	ck_assert_ptr_nonnull(
	    strstr(text, "\xe2\x98\x85 Lose an update  best: 6 steps"));
	ck_assert_ptr_nonnull(
	    strstr(text, "\xe2\x98\x85 Lose an update  best: 1 step\n"));
	ck_assert_ptr_nonnull(
	    strstr(text, "\xe2\x98\x85 Three each, two counted  won"));
	ck_assert_int_eq(count_char(text, "\xe2\x98\x85"), 3);
	ck_assert_int_eq(count_char(text, "\xe2\x98\x86"), 3);
	/* a won star is drawn as won, an open one is not */
	y = menu_row_of(text, "\xe2\x98\x85 Lose an update  best: 6");
	for (x = 0; x < g->w && g->cells[y * g->w + x].ch != 0x2605; x++)
		;
	ck_assert_int_lt(x, g->w);
	ck_assert_int_eq(g->cells[y * g->w + x].role, ROLE_WON);
	y = menu_row_of(text, "\xe2\x98\x86 Three each");
	for (x = 0; x < g->w && g->cells[y * g->w + x].ch != 0x2606; x++)
		;
	ck_assert_int_eq(g->cells[y * g->w + x].role, ROLE_DEFAULT);
	/* the selected lesson's row is highlighted */
	y = menu_row_of(text, " 3  race");
	ck_assert_int_eq(g->cells[y * g->w + 4].role, ROLE_TITLE);
	ck_assert_int_eq(g->cells[y * g->w + 77].role, ROLE_TITLE);
	ck_assert_int_eq(g->cells[y * g->w + 78].role, ROLE_DEFAULT);
	free(text);
	grid_free(g);
}
END_TEST

/* A long list scrolls to keep the selection in view at 80x24, never over
 * the key bar, and the rows it does not show are marked; at 200x60 the
 * same list fits whole. */
START_TEST(test_menu_scroll)
{
	struct menu_fixture f;
	struct grid *g = grid_new(80, 24);
	char *text, want[32];
	size_t sel;
	int y;

	menu_fixture(&f, MENU_MAX, 0, 0);
	for (sel = 0; sel < MENU_MAX; sel++) {
		f.m.sel = sel;
		grid_clear(g);
		screen_draw_menu(g, &f.m);
		text = grid_text(g, 0);
		snprintf(want, sizeof want, " %zu  race", sel + 1);
		ck_assert_msg(menu_row_of(text, want) >= 2 &&
		        menu_row_of(text, want) + 3 <= 21,
		    "lesson %zu at row %d", sel + 1, menu_row_of(text, want));
		ck_assert_int_eq(menu_row_of(text, "Enter: open"), 23);
		/* the key bar's arrows, and one for the rows above */
		ck_assert_int_eq(
		    count_char(text, "\xe2\x86\x91"), 1 + (f.m.top > 0));
		ck_assert_int_eq(
		    count_char(text, "\xe2\x86\x93"), 1 + (sel + 1 < MENU_MAX));
		free(text);
	}
	ck_assert_int_gt(f.m.top, 0);
	/* back up: the list scrolls back, showing each selected lesson's
	 * chapter heading too */
	for (sel = MENU_MAX; sel-- > 0;) {
		f.m.sel = sel;
		grid_clear(g);
		screen_draw_menu(g, &f.m);
		text = grid_text(g, 0);
		/* the heading, alone or with the arrow for the rows above */
		snprintf(want, sizeof want, "Chapter %zu\n", sel / 2 + 1);
		y = menu_row_of(text, want);
		snprintf(want, sizeof want, "Chapter %zu ", sel / 2 + 1);
		if (y < 0)
			y = menu_row_of(text, want);
		ck_assert_msg(y >= 2, "no heading over lesson %zu", sel + 1);
		free(text);
	}
	ck_assert_int_eq(f.m.top, 0);
	grid_free(g);

	g = grid_new(200, 60);
	menu_fixture(&f, 10, 9, 0);
	screen_draw_menu(g, &f.m);
	text = grid_text(g, 0);
	ck_assert_int_eq(f.m.top, 0);
	ck_assert_int_ge(menu_row_of(text, " 1  race"), 2);
	ck_assert_int_gt(menu_row_of(text, " 10  race"), 0);
	ck_assert_ptr_nonnull(strstr(text, race->summary));
	ck_assert_ptr_nonnull(strstr(text, race->title));
	free(text);
	grid_free(g);
}
END_TEST

/* The notice comes above the list, whole, and the list below it. */
START_TEST(test_menu_notice)
{
	struct menu_fixture f;
	struct grid *g = grid_new(80, 24);
	char *text;

	menu_fixture(&f, 2, 0, 1);
	f.m.notice = "the progress file was set aside as progress.corrupt-17 "
	             "and progress starts afresh: nothing was lost but it";
	screen_draw_menu(g, &f.m);
	text = grid_text(g, 1);
	ck_assert_int_eq(menu_row_of(text, "! the progress file"), 2);
	ck_assert_int_eq(menu_row_of(text, "lost but it"), 3);
	ck_assert_int_eq(menu_row_of(text, "Chapter 1"), 5);
	ck_assert_int_eq(g->cells[2 * g->w + 2].role, ROLE_WARNING);
	free(text);
	grid_free(g);
}
END_TEST

/* The course's order: chapters where their first lesson is, lessons with
 * none after them, the user's own last. */
static const struct course_case {
	const char *chapters[6]; /* NULL: no chapter key */
	int own[6];
	size_t n;
	size_t want[6];
	const char *want_chapters[6];
} course_cases[] = {
    {{"A", "A", "B"}, {0}, 3, {0, 1, 2}, {"A", "A", "B"}},
    {{"A", "B", "A", NULL, "B"}, {0}, 5, {0, 2, 1, 4, 3},
        {"A", "A", "B", "B", COURSE_MORE}},
    {{"A", "B", "A", NULL, "B"}, {0, 1, 0, 0, 0}, 5, {0, 2, 4, 3, 1},
        {"A", "A", "B", COURSE_MORE, COURSE_YOURS}},
    {{NULL, "Z", NULL, "Z"}, {1, 0, 0, 1}, 4, {1, 2, 0, 3},
        {"Z", COURSE_MORE, COURSE_YOURS, COURSE_YOURS}},
    {{NULL}, {0}, 0, {0}, {NULL}},
};

START_TEST(test_course_order)
{
	const struct course_case *c = &course_cases[_i];
	struct lesson ls[6], *lp[6] = {NULL};
	struct course_entry out[6];
	size_t i;

	memset(ls, 0, sizeof ls);
	for (i = 0; i < c->n; i++) {
		ls[i].chapter = (char *)c->chapters[i];
		lp[i] = &ls[i];
	}
	course_order(lp, c->own, c->n, out);
	for (i = 0; i < c->n; i++) {
		ck_assert_uint_eq(out[i].lesson, c->want[i]);
		ck_assert_str_eq(out[i].chapter, c->want_chapters[i]);
	}
}
END_TEST

void
screen_add_menu_tests(TCase *tc)
{
	tcase_add_loop_test(tc, test_menu_golden, 0,
	    (int)(sizeof menu_goldens / sizeof menu_goldens[0]));
	tcase_add_test(tc, test_menu_marks);
	tcase_add_test(tc, test_menu_scroll);
	tcase_add_test(tc, test_menu_notice);
	tcase_add_loop_test(tc, test_course_order, 0,
	    (int)(sizeof course_cases / sizeof course_cases[0]));
}
