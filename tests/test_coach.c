/* The coach: challenges, predictions, quizzes and hints over real runs of
 * the real lesson files. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coach.h"
#include "lesson.h"
#include "result.h"
#include "session.h"
#include "suites.h"
#include "test_screen.h"

static struct lesson *les;
static struct session ses;
static struct coach co;
static char msg[256];

/* Open lesson id in a stepped session with its coach. */
static void
open_lesson(const char *id)
{
	les = test_lesson(id);
	session_init(&ses, les, NULL, 0, 1);
	ck_assert_int_eq(session_start(&ses, msg, sizeof msg), 0);
	coach_init(&co, les);
}

static void
close_lesson(void)
{
	session_close(&ses);
	lesson_free(les);
	les = NULL;
}

/* The challenge with this id. */
static size_t
challenge(const char *id)
{
	size_t i;

	for (i = 0; i < les->nchallenges; i++)
		if (strcmp(les->challenges[i].id, id) == 0)
			return i;
	ck_abort_msg("no challenge %s", id);
	return 0;
}

/* Take the steps of "1,2,1" as the TUI would: keys and max-steps first,
 * then the step, then the coach's look at the run. Returns the steps
 * taken; won is set when a step won. */
static size_t
play(const char *keys, int *won)
{
	size_t n = 0;
	const char *k;

	*won = 0;
	for (k = keys; *k != '\0'; k++) {
		if (*k == ',')
			continue;
		if (coach_allow_key(&co, *k, msg, sizeof msg) != 0 ||
		    coach_may_step(&co, &ses, msg, sizeof msg) != 0)
			break;
		if (session_step(&ses, *k - '1', msg, sizeof msg) != 0)
			break;
		n++;
		if (coach_update(&co, &ses))
			*won = 1;
	}
	return n;
}

START_TEST(test_race_win)
{
	int won;

	open_lesson("race");
	ck_assert_int_eq(coach_start(&co, &ses, challenge("lose-an-update"),
	                     msg, sizeof msg),
	    0);
	ck_assert_int_eq(ses.free_run, 0);
	ck_assert_uint_eq(play("1,2,1,2,1,2", &won), 6);
	ck_assert_int_eq(won, 1);
	ck_assert_int_eq(co.won, 1);
	ck_assert_uint_eq(co.won_steps, 6);
	/* a win is told once */
	ck_assert_int_eq(coach_update(&co, &ses), 0);
	close_lesson();
}
END_TEST

START_TEST(test_race_no_win)
{
	int won;

	open_lesson("race");
	coach_start(&co, &ses, challenge("lose-an-update"), msg, sizeof msg);
	ck_assert_uint_eq(play("1,1,1,2,2,2", &won), 6);
	ck_assert_int_eq(ses.done, 1);
	ck_assert_int_eq(won, 0);
	ck_assert_int_eq(co.won, 0);
	close_lesson();
}
END_TEST

/* Six steps allowed: a seventh is refused, undo gives one back. */
START_TEST(test_max_steps)
{
	const struct lesson_challenge *c;
	int won;

	open_lesson("race");
	coach_start(
	    &co, &ses, challenge("three-each-two-counted"), msg, sizeof msg);
	c = coach_challenge(&co);
	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(c->max_steps, 0); /* this one has no limit */
	coach_start(&co, &ses, challenge("lose-an-update"), msg, sizeof msg);
	ck_assert_int_eq(coach_challenge(&co)->max_steps, 6);
	ck_assert_uint_eq(play("1,1,1,2,2", &won), 5);
	ck_assert_int_eq(coach_may_step(&co, &ses, msg, sizeof msg), 0);
	ck_assert_uint_eq(play("2", &won), 1);
	ck_assert_int_eq(coach_may_step(&co, &ses, msg, sizeof msg), -1);
	ck_assert_str_eq(msg, "out of steps: u undoes, r starts again");
	ck_assert_int_eq(session_undo(&ses, msg, sizeof msg), 0);
	ck_assert_int_eq(coach_may_step(&co, &ses, msg, sizeof msg), 0);
	close_lesson();
}
END_TEST

START_TEST(test_key_refused)
{
	open_lesson("race");
	/* no challenge: every key */
	ck_assert_int_eq(coach_allow_key(&co, 's', msg, sizeof msg), 0);
	coach_start(&co, &ses, challenge("lose-an-update"), msg, sizeof msg);
	ck_assert_int_eq(coach_allow_key(&co, '1', msg, sizeof msg), 0);
	ck_assert_int_eq(coach_allow_key(&co, 'u', msg, sizeof msg), 0);
	ck_assert_int_eq(coach_allow_key(&co, 0x12, msg, sizeof msg), 0);
	ck_assert_int_eq(coach_allow_key(&co, '3', msg, sizeof msg), -1);
	ck_assert_str_eq(msg, "this challenge allows only 1 2 u");
	ck_assert_int_eq(coach_allow_key(&co, 's', msg, sizeof msg), -1);
	coach_stop(&co);
	ck_assert_int_eq(coach_allow_key(&co, 's', msg, sizeof msg), 0);
	close_lesson();
}
END_TEST

START_TEST(test_deadlock_win)
{
	int won;

	open_lesson("deadlock");
	ck_assert_int_eq(
	    coach_start(
	        &co, &ses, challenge("deadlock-both-threads"), msg, sizeof msg),
	    0);
	ck_assert_int_eq(coach_stuck(&ses), 0);
	play("1,2", &won);
	ck_assert_int_eq(coach_stuck(&ses), 1);
	ck_assert_int_eq(won, 1);
	close_lesson();
}
END_TEST

/* An order that never deadlocks ends, and does not win. */
START_TEST(test_deadlock_no_win)
{
	int won;

	open_lesson("deadlock");
	coach_start(
	    &co, &ses, challenge("deadlock-both-threads"), msg, sizeof msg);
	while (!ses.done && play("1", &won) == 1)
		ck_assert_int_eq(won, 0);
	while (!ses.done && play("2", &won) == 1)
		ck_assert_int_eq(won, 0);
	ck_assert_int_eq(ses.done, 1);
	ck_assert_int_eq(co.won, 0);
	close_lesson();
}
END_TEST

START_TEST(test_prediction)
{
	int won;

	open_lesson("race");
	ck_assert_uint_ge(les->npredicts, 1);
	ck_assert_str_eq(les->predicts[0].key, "counter");
	ck_assert_int_eq(coach_answer(&co, &ses, 0, "7", msg, sizeof msg), -1);
	ck_assert_int_eq(coach_answer(&co, &ses, 0, "1", msg, sizeof msg), 0);
	play("1,2,1,2,1,2", &won);
	ck_assert_int_eq(co.pred[0].compared, 1);
	ck_assert_int_eq(co.pred[0].matched, 1);
	ck_assert_str_eq(co.pred[0].actual, "1");
	/* the same answer against a run that counts both */
	session_start(&ses, msg, sizeof msg);
	play("1,1,1,2,2,2", &won);
	ck_assert_int_eq(co.pred[0].matched, 0);
	ck_assert_str_eq(co.pred[0].actual, "2");
	close_lesson();
}
END_TEST

START_TEST(test_prediction_word)
{
	int won;

	open_lesson("deadlock");
	ck_assert_int_eq(coach_answer(&co, &ses, 0, "no", msg, sizeof msg), 0);
	coach_start(
	    &co, &ses, challenge("deadlock-both-threads"), msg, sizeof msg);
	play("1,2", &won);
	ck_assert_int_eq(co.pred[0].compared, 1);
	ck_assert_int_eq(co.pred[0].matched, 0);
	ck_assert_str_eq(co.pred[0].actual, "yes");
	close_lesson();
}
END_TEST

START_TEST(test_quiz_and_hints)
{
	size_t i, n = 0;
	int kind, q;

	open_lesson("race");
	i = challenge("lose-an-update");
	q = coach_page_question(&co, les->quizzes[0].page, &kind);
	ck_assert_int_eq(q, 0);
	ck_assert_int_eq(kind, 1);
	ck_assert_int_eq(coach_quiz(&co, 0, les->quizzes[0].right), 1);
	ck_assert_int_eq(coach_quiz(&co, 0, les->quizzes[0].right ? 0 : 1), 0);
	ck_assert_int_eq(coach_quiz(&co, 0, 99), -1);
	ck_assert_int_eq(co.quiz_pick[0], les->quizzes[0].right ? 0 : 1);
	ck_assert_int_eq(
	    coach_page_challenge(&co, les->challenges[i].page), (int)i);
	while (coach_hint(&co, i) != NULL)
		n++;
	ck_assert_uint_eq(n, les->challenges[i].nhints);
	ck_assert_uint_eq(co.hints[i], n);
	close_lesson();
}
END_TEST

/* Giving up a stepped challenge steps through a schedule that meets its
 * goal. */
START_TEST(test_give_up)
{
	struct result res;

	open_lesson("race");
	coach_start(
	    &co, &ses, challenge("three-each-two-counted"), msg, sizeof msg);
	ck_assert_int_eq(coach_give_up(&co, &ses, msg, sizeof msg), 0);
	ck_assert_msg(strncmp(msg, "a witness: ", 11) == 0, "%s", msg);
	result_clear(&res);
	ck_assert_int_eq(coach_result(&ses, &res), 0);
	ck_assert(lesson_goal_met(&coach_challenge(&co)->goal, &res));
	ck_assert_uint_gt(ses.nhist, 0);
	/* undo works through it */
	ck_assert_int_eq(session_undo(&ses, msg, sizeof msg), 0);
	ck_assert_int_eq(co.won, 0);
	close_lesson();
}
END_TEST

/* Giving up the deadlock challenge: its witness ends with no thread
 * able to move; a given-up challenge refuses no key. */
START_TEST(test_give_up_deadlock)
{
	struct result res;

	open_lesson("deadlock");
	coach_start(
	    &co, &ses, challenge("deadlock-both-threads"), msg, sizeof msg);
	ck_assert_int_eq(coach_give_up(&co, &ses, msg, sizeof msg), 0);
	ck_assert_int_eq(coach_stuck(&ses), 1);
	result_clear(&res);
	ck_assert_int_eq(coach_result(&ses, &res), 0);
	ck_assert_str_eq(result_word_of(&res, "deadlock"), "yes");
	ck_assert_int_eq(coach_allow_key(&co, 's', msg, sizeof msg), 0);
	ck_assert_int_eq(coach_update(&co, &ses), 0); /* not a win */
	close_lesson();
}
END_TEST

/* The page after a lost update's ```show turns by itself. */
START_TEST(test_show_page)
{
	unsigned long long marks;
	size_t p, want = 0;
	long got = -1;
	int i, cyc;
	const int order[] = {0, 1, 0, 1, 0, 1};

	open_lesson("race");
	for (p = 0; p < les->npages; p++)
		if (les->pages[p].show.event == LESSON_SHOW_LOST_UPDATE)
			want = p;
	ck_assert_uint_gt(want, 0);
	for (i = 0; i < 6 && got < 0; i++) {
		marks = ses.run->m->nmarks;
		cyc = ses.run->m->deadlock.n;
		session_step(&ses, order[i], msg, sizeof msg);
		got = coach_show_page(&co, &ses, order[i], marks, cyc, 0);
		if (i < 5)
			ck_assert_msg(got < 0 || (size_t)got == want,
			    "step %d turned to page %ld", i, got);
	}
	ck_assert_int_eq(got, (long)want);
	/* not to a page before the one on screen */
	ck_assert_int_eq(
	    coach_show_page(&co, &ses, 1, 0, 0, les->npages - 1), -1);
	close_lesson();
}
END_TEST

/* Draw the lesson screen with coach view v at 80x24; the grid. */
static struct grid *
draw_coach(const struct screen_coach *v, struct model **m)
{
	struct grid *g = grid_new(80, 24);
	struct screen scr;

	*m = model_new(2, MODEL_CLOCK_STEPS, 64);
	memset(&scr, 0, sizeof scr);
	scr.lesson = les;
	scr.model = *m;
	scr.zoom.fit = scr.zoom.follow = 1;
	scr.glyphs = &glyphs_utf8;
	scr.mode = SCREEN_STEP;
	scr.params = les->params;
	scr.page = (int)les->predicts[0].page;
	scr.coach = v;
	screen_draw(g, &scr);
	return g;
}

/* The row of g that holds needle, or -1. */
static int
row_of(const char *text, const char *needle)
{
	const char *p = strstr(text, needle), *q;
	int row = 0;

	if (p == NULL)
		return -1;
	for (q = text; q < p; q++)
		row += *q == '\n';
	return row;
}

/* The role of the first cell of row y that is not blank, from column x. */
static int
role_at(const struct grid *g, int x, int y)
{
	for (; x < g->w; x++)
		if (g->cells[y * g->w + x].ch != ' ')
			return g->cells[y * g->w + x].role;
	return -1;
}

START_TEST(test_screen_card)
{
	const char *choices[] = {"0", "1", "2"};
	struct screen_coach v;
	struct model *m;
	struct grid *g;
	char *text;

	int y;

	les = test_lesson("race");
	memset(&v, 0, sizeof v);
	v.line[0] = "Predict (Enter to answer): what will counter be?";
	v.line_role[0] = ROLE_LABEL;
	v.nlines = 1;
	g = draw_coach(&v, &m);
	text = grid_text(g, 0);
	/* the line under the narration, in its role */
	ck_assert_int_ge(
	    (y = row_of(text, "Predict (Enter to answer): what will")), 0);
	ck_assert_int_eq(role_at(g, 0, y), ROLE_LABEL);
	free(text);
	grid_free(g);
	model_free(m);
	v.card = SCREEN_CARD_PREDICT;
	v.title = "Predict";
	v.ask = les->predicts[0].ask;
	v.choices = choices;
	v.nchoices = 3;
	v.sel = 1;
	v.picked = -1;
	v.foot = "left/right or 1-9, Enter: answer  Esc: close";
	g = draw_coach(&v, &m);
	text = grid_text(g, 0);
	ck_assert_msg(strstr(text, "\xe2\x94\x8c\xe2\x94\x80 Predict ") != NULL,
	    "%s", text);
	ck_assert_msg(strstr(text, " 1) 0   2) 1   3) 2 ") != NULL, "%s", text);
	ck_assert_msg(strstr(text, "Enter: answer") != NULL, "%s", text);
	/* the choice picked now is highlighted */
	{
		y = row_of(text, " 2) 1 ");
		const char *line = text, *p;
		int x = 0;

		ck_assert_int_ge(y, 0);
		for (int i = 0; i < y; i++)
			line = strchr(line, '\n') + 1;
		p = strstr(line, " 2) 1 ");
		ck_assert_ptr_nonnull(p);
		/* columns: every cell before is one byte or a box char */
		for (const char *q = line; q < p; q++)
			x += ((unsigned char)*q & 0xc0) != 0x80;
		ck_assert_int_eq(g->cells[y * g->w + x + 1].role, ROLE_TITLE);
	}
	free(text);
	grid_free(g);
	model_free(m);
	lesson_free(les);
}
END_TEST

START_TEST(test_screen_quiz_and_banner)
{
	const char *choices[] = {"a", "b"};
	struct screen_coach v;
	struct model *m;
	struct grid *g;
	char *text;
	int y;

	les = test_lesson("race");
	memset(&v, 0, sizeof v);
	v.card = SCREEN_CARD_QUIZ;
	v.title = "Quiz";
	v.ask = "Where did the other increment go?";
	v.choices = choices;
	v.nchoices = 2;
	v.picked = 0;
	v.right = 0;
	v.why = "No: both adds ran.";
	g = draw_coach(&v, &m);
	text = grid_text(g, 0);
	ck_assert_int_ge((y = row_of(text, "wrong: No: both adds ran.")), 0);
	ck_assert_int_eq(role_at(g, 12, y), ROLE_LOST);
	free(text);
	grid_free(g);
	model_free(m);

	memset(&v, 0, sizeof v);
	v.card = SCREEN_CARD_WIN;
	v.title = "\xe2\x98\x85 Challenge won: Lose an update in 6 steps, 0 "
	          "hints";
	v.ask = les->challenges[0].win;
	v.picked = -1;
	v.foot = "Enter or Esc: close";
	g = draw_coach(&v, &m);
	text = grid_text(g, 0);
	ck_assert_int_ge(
	    (y = row_of(text, "Challenge won: Lose an update in 6 steps")), 0);
	ck_assert_int_ge(row_of(text, les->challenges[0].win), y + 1);
	/* the banner's frame and text are in the winning role */
	ck_assert_int_eq(role_at(g, 4, y), ROLE_RUNNING);     /* the frame */
	ck_assert_int_eq(role_at(g, 6, y + 1), ROLE_RUNNING); /* the text */
	free(text);
	grid_free(g);
	model_free(m);
	lesson_free(les);
}
END_TEST

Suite *
make_coach_suite(void)
{
	Suite *s = suite_create("coach");
	TCase *tc = tcase_create("coach");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_race_win);
	tcase_add_test(tc, test_race_no_win);
	tcase_add_test(tc, test_max_steps);
	tcase_add_test(tc, test_key_refused);
	tcase_add_test(tc, test_deadlock_win);
	tcase_add_test(tc, test_deadlock_no_win);
	tcase_add_test(tc, test_prediction);
	tcase_add_test(tc, test_prediction_word);
	tcase_add_test(tc, test_quiz_and_hints);
	tcase_add_test(tc, test_give_up);
	tcase_add_test(tc, test_give_up_deadlock);
	tcase_add_test(tc, test_show_page);
	tcase_add_test(tc, test_screen_card);
	tcase_add_test(tc, test_screen_quiz_and_banner);
	suite_add_tcase(s, tc);
	return s;
}
