/*
 * The coach on the lesson screen: the keys of the lesson's predictions,
 * quizzes and challenges (Enter, c, h, v and the cards' own), the
 * checks a challenge puts on the other keys, and what the screen shows
 * of it all (struct screen_coach). The logic is coach.c's; this maps
 * keys to it, keeps the card open and records the student's progress.
 */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "names.h"
#include "progress.h"
#include "tui_impl.h"

static struct coach *
co(struct tui *ui)
{
	return &ui->tc.c;
}

void
tui_coach_open(struct tui *ui)
{
	memset(&ui->tc, 0, sizeof ui->tc);
	coach_init(co(ui), ui->lesson);
}

/* A key that takes a step: a lane's number or letter, space (auto-run)
 * and Ctrl-R (redo). */
static int
steps_key(int ch)
{
	return (ch >= '1' && ch <= '9') || thread_of_letter(ch) >= 0 ||
	    ch == ' ' || ch == TUI_KEY_REDO;
}

/* A key that acts on the run, which a challenge may refuse. */
static int
run_key(int ch)
{
	/* not r (a fresh start), the pages, zoom, speed, menu, help, quit */
	return ch == TUI_KEY_REDO ||
	    (ch > ' ' && ch < 0x7f && strchr("rqm?np+-[]", ch) == NULL) ||
	    ch == ' ';
}

static void
save(struct tui *ui)
{
	if (ui->progress != NULL)
		tui_progress_save(ui);
}

/* Record the challenge just won, and say so. */
static void
record_win(struct tui *ui)
{
	struct coach *c = co(ui);
	const struct lesson_challenge *cc = coach_challenge(c);
	struct progress_win w;

	ui->tc.card = SCREEN_CARD_WIN;
	set_status(ui, "challenge won: %s", cc->title);
	if (ui->progress == NULL)
		return;
	w.steps = (long)c->won_steps;
	w.hints = (long)c->hints[c->active];
	w.when = (int64_t)time(NULL);
	progress_record_win(ui->progress, ui->lesson->id, cc->id, &w);
	save(ui);
}

/* Record the predictions the run just compared. */
static void
record_predictions(struct tui *ui)
{
	struct coach *c = co(ui);
	char id[32];
	size_t i;

	for (i = 0; i < ui->lesson->npredicts && i < LESSON_MAX_BLOCKS; i++) {
		if (!c->pred[i].compared || ui->progress == NULL)
			continue;
		lesson_predict_id(i, id, sizeof id);
		progress_record_prediction(ui->progress, ui->lesson->id, id,
		    c->pred[i].answer, c->pred[i].matched, (int64_t)time(NULL));
		save(ui);
	}
}

/* Look at the run after a step or at a free run's end. */
static void
look(struct tui *ui)
{
	struct coach *c = co(ui);
	unsigned before = c->checked;

	if (coach_update(c, &ui->ses))
		record_win(ui);
	if (c->checked != before)
		record_predictions(ui);
}

/* Turn to a later page whose show event fired. */
static void
turn(struct tui *ui, int t, unsigned long long marks, int cyc)
{
	char was[sizeof ui->status];
	long p;

	p = coach_show_page(co(ui), &ui->ses, t, marks, cyc, ui->scr.page);
	if (p < 0)
		return;
	snprintf(was, sizeof was, "%s", ui->status);
	ui->scr.page = (int)p;
	ui->scr.narr_top = 0;
	/* what the step did comes first: it is what the student pressed
	 * for, and the page's title is in the narration's heading */
	if (was[0] != '\0')
		set_status(
		    ui, "%s (the run turned the page to %ld)", was, p + 1);
	else
		set_status(ui, "the run turned the page to %ld: %s", p + 1,
		    ui->lesson->pages[p].title);
}

void
tui_coach_before(struct tui *ui)
{
	const struct model *m = ui->ses.run != NULL ? ui->ses.run->m : NULL;

	ui->tc.marks = m != NULL ? m->nmarks : 0;
	ui->tc.cycle = m != NULL ? m->deadlock.n : 0;
}

void
tui_coach_stepped(struct tui *ui)
{
	int t = ui->ses.nhist > 0 ? ui->ses.hist[ui->ses.nhist - 1].thread : -1;

	look(ui);
	turn(ui, t, ui->tc.marks, ui->tc.cycle);
}

void
tui_coach_poll(struct tui *ui)
{
	if (!ui->ses.done || ui->tc.polled == ui->ses.generation + 1)
		return;
	ui->tc.polled = ui->ses.generation + 1;
	look(ui);
	turn(ui, -1, 0, 0);
}

int
tui_coach_may_step(struct tui *ui)
{
	return coach_may_step(
	           co(ui), &ui->ses, ui->status, sizeof ui->status) == 0;
}

/* Enter: the page's question on a card. */
static void
ask(struct tui *ui)
{
	int kind, i = coach_page_question(co(ui), (size_t)ui->scr.page, &kind);

	if (i < 0) {
		set_status(ui, "this page asks nothing (c: a challenge)");
		return;
	}
	ui->tc.card = kind ? SCREEN_CARD_QUIZ : SCREEN_CARD_PREDICT;
	ui->tc.index = i;
	ui->tc.sel = 0;
	ui->tc.typed[0] = '\0';
	ui->tc.picked = -1;
}

/* c: take on the page's challenge. */
static void
take_on(struct tui *ui)
{
	int i = coach_page_challenge(co(ui), (size_t)ui->scr.page);
	const struct lesson_challenge *cc;
	char msg[256];

	if (i < 0) {
		set_status(ui, "this lesson has no challenge");
		return;
	}
	cc = &ui->lesson->challenges[i];
	if (coach_start(co(ui), &ui->ses, (size_t)i, msg, sizeof msg) != 0) {
		set_status(ui, "%s", msg);
		return;
	}
	ui->mode = ui->ses.free_run ? SCREEN_FREE : SCREEN_STEP;
	ui->generation = ui->ses.generation;
	set_status(ui, "challenge: %s (h: a hint, v: give up)", cc->goal_text);
}

/* h: the next hint. */
static void
hint(struct tui *ui)
{
	struct coach *c = co(ui);
	int i = c->active >= 0 ? c->active
	                       : coach_page_challenge(c, (size_t)ui->scr.page);
	const char *h;

	if (i < 0 || ui->lesson->challenges[i].nhints == 0) {
		set_status(ui, "no hint here");
		return;
	}
	if ((h = coach_hint(c, (size_t)i)) == NULL) {
		set_status(ui, "no more hints: v gives up");
		return;
	}
	set_status(ui, "hint %zu/%zu: %s", c->hints[i],
	    ui->lesson->challenges[i].nhints, h);
	log_add(ui, ui->status);
	if (ui->progress != NULL) {
		progress_record_hint(ui->progress, ui->lesson->id,
		    ui->lesson->challenges[i].id, (long)c->hints[i]);
		save(ui);
	}
}

/* v: give up the challenge. */
static void
give_up(struct tui *ui)
{
	struct coach *c = co(ui);
	const struct lesson_challenge *cc = coach_challenge(c);
	char msg[256];
	size_t i;
	int rc;

	if (cc == NULL || c->won || c->gave_up) {
		set_status(ui, "no challenge is going on (c takes one on)");
		return;
	}
	ui->mode = SCREEN_STEP;
	rc = coach_give_up(c, &ui->ses, msg, sizeof msg);
	ui->generation = ui->ses.generation;
	ui->tc.polled = ui->ses.generation + 1;
	if (rc == 1)
		for (i = 0; i < cc->nhints; i++)
			log_add(ui, cc->hints[i]);
	else if (rc == 0)
		log_add(ui, msg);
	set_status(ui, "%s", msg);
}

/* The keys of the card open now; 1 if it took ch. */
static int
card_key(struct tui *ui, int ch)
{
	struct tui_coach *t = &ui->tc;
	char msg[256];
	size_t n;

	if (t->card == SCREEN_CARD_WIN) {
		if (ch == '\n' || ch == '\r' || ch == KEY_ENTER || ch == 27)
			t->card = SCREEN_CARD_NONE;
		return 1;
	}
	if (ch == 27) {
		t->card = SCREEN_CARD_NONE;
		return 1;
	}
	if (t->card == SCREEN_CARD_QUIZ) {
		const struct lesson_quiz *q = &ui->lesson->quizzes[t->index];
		char id[32];
		int right;

		n = q->nchoices;
		if (t->picked >= 0) {
			/* the explanation is shown: any key closes it */
			t->card = SCREEN_CARD_NONE;
			return 1;
		}
		if (ch == KEY_UP && t->sel > 0)
			t->sel--;
		else if (ch == KEY_DOWN && (size_t)t->sel + 1 < n)
			t->sel++;
		else if (ch >= '1' && ch <= '9' && (size_t)(ch - '1') < n)
			t->sel = ch - '1';
		if (ch != '\n' && ch != '\r' && ch != KEY_ENTER &&
		    !(ch >= '1' && ch <= '9'))
			return 1;
		right = coach_quiz(co(ui), (size_t)t->index, (size_t)t->sel);
		t->picked = t->sel;
		if (ui->progress != NULL) {
			lesson_quiz_id((size_t)t->index, id, sizeof id);
			progress_record_prediction(ui->progress, ui->lesson->id,
			    id, q->choices[t->sel].text, right,
			    (int64_t)time(NULL));
			save(ui);
		}
		return 1;
	}
	/* a prediction */
	{
		const struct lesson_predict *p =
		    &ui->lesson->predicts[t->index];
		const char *answer = t->typed;
		size_t len = strlen(t->typed);

		n = p->nchoices;
		if (n > 0 && ch == KEY_LEFT && t->sel > 0)
			t->sel--;
		else if (n > 0 && ch == KEY_RIGHT && (size_t)t->sel + 1 < n)
			t->sel++;
		else if (n > 0 && ch >= '1' && ch <= '9' &&
		    (size_t)(ch - '1') < n)
			t->sel = ch - '1';
		else if (n == 0 &&
		    ((ch >= '0' && ch <= '9') || (ch == '-' && len == 0)) &&
		    len + 1 < sizeof t->typed) {
			t->typed[len] = (char)ch;
			t->typed[len + 1] = '\0';
		} else if (n == 0 &&
		    (ch == KEY_BACKSPACE || ch == 127 || ch == 8) && len > 0) {
			t->typed[len - 1] = '\0';
		}
		if (ch != '\n' && ch != '\r' && ch != KEY_ENTER)
			return 1;
		if (n > 0)
			answer = p->choices[t->sel];
		if (coach_answer(co(ui), &ui->ses, (size_t)t->index, answer,
		        msg, sizeof msg) == 0)
			t->card = SCREEN_CARD_NONE;
		set_status(ui, "%s", msg);
		return 1;
	}
}

int
tui_coach_key(struct tui *ui, int ch)
{
	struct coach *c = co(ui);

	if (ui->tc.card != SCREEN_CARD_NONE)
		return card_key(ui, ch);
	switch (ch) {
	case '\n':
	case '\r':
	case KEY_ENTER:
		ask(ui);
		return 1;
	case 'c':
		take_on(ui);
		return 1;
	case 'h':
		hint(ui);
		return 1;
	case 'v':
		give_up(ui);
		return 1;
	}
	if (run_key(ch) &&
	    coach_allow_key(c, ch, ui->status, sizeof ui->status) != 0)
		return 1;
	if (steps_key(ch) && ch != TUI_KEY_REDO && !tui_coach_may_step(ui))
		return 1;
	return 0;
}

/* The lines under the narration. */
static void
fill_lines(struct tui *ui, struct screen_coach *v)
{
	struct tui_coach *t = &ui->tc;
	struct coach *c = co(ui);
	const struct lesson_challenge *cc = coach_challenge(c);
	const char *ok = ui->args->ascii ? "(right)" : "\xe2\x9c\x93";
	const char *no = ui->args->ascii ? "(wrong)" : "\xe2\x9c\x97";
	size_t page = (size_t)ui->scr.page, i;
	int kind, q, n = 0;

	if (cc != NULL && !c->won) {
		char lim[32] = "";

		if (cc->max_steps > 0)
			snprintf(lim, sizeof lim, "/%ld", cc->max_steps);
		snprintf(t->text[n], sizeof t->text[n],
		    "%s: %s  steps %zu%s  hints %zu/%zu%s", cc->title,
		    cc->goal_text, ui->ses.nhist, lim, c->hints[c->active],
		    cc->nhints, c->gave_up ? "  (given up)" : "  v: give up");
		v->line_role[n++] = ROLE_WARNING;
	}
	for (i = 0; i < ui->lesson->npredicts && n < SCREEN_COACH_LINES; i++) {
		const struct coach_prediction *p = &c->pred[i];

		/* the comparison with the run on screen, on any page */
		if (!p->compared || c->checked != ui->ses.generation + 1)
			continue;
		snprintf(t->text[n], sizeof t->text[n],
		    "you predicted %s = %s; it is %s %s",
		    ui->lesson->predicts[i].key, p->answer, p->actual,
		    p->matched ? ok : no);
		v->line_role[n++] = p->matched ? ROLE_RUNNING : ROLE_LOST;
	}
	q = coach_page_question(c, page, &kind);
	if (n < SCREEN_COACH_LINES && q >= 0 &&
	    (kind || !c->pred[q].answered)) {
		snprintf(t->text[n], sizeof t->text[n],
		    "%s (Enter to answer): %s", kind ? "Quiz" : "Predict",
		    kind ? ui->lesson->quizzes[q].ask
		         : ui->lesson->predicts[q].ask);
		v->line_role[n++] = ROLE_LABEL;
	}
	for (i = 0; i < ui->lesson->nchallenges && n < SCREEN_COACH_LINES;
	     i++) {
		if (ui->lesson->challenges[i].page != page ||
		    (int)i == c->active)
			continue;
		snprintf(t->text[n], sizeof t->text[n],
		    "Challenge: %s %s c to take it on",
		    ui->lesson->challenges[i].title,
		    ui->args->ascii ? "--" : "\xe2\x80\x94");
		v->line_role[n++] = ROLE_LABEL;
		break;
	}
	for (i = 0; i < (size_t)n; i++)
		v->line[i] = t->text[i];
	v->nlines = n;
}

/* The card over the screen. */
static void
fill_card(struct tui *ui, struct screen_coach *v)
{
	struct tui_coach *t = &ui->tc;
	struct coach *c = co(ui);
	size_t i;

	v->card = t->card;
	v->sel = t->sel;
	v->picked = -1;
	if (t->card == SCREEN_CARD_WIN) {
		const struct lesson_challenge *cc = coach_challenge(c);

		const char *star = ui->args->ascii ? "*" : "\xe2\x98\x85";
		size_t h = c->hints[c->active];

		/* a free run takes no steps: the OS scheduled it */
		if (ui->ses.free_run)
			snprintf(t->title, sizeof t->title,
			    "%s Challenge won: %s, a free run, %zu hint%s",
			    star, cc->title, h, h == 1 ? "" : "s");
		else
			snprintf(t->title, sizeof t->title,
			    "%s Challenge won: %s in %zu step%s, %zu hint%s",
			    star, cc->title, c->won_steps,
			    c->won_steps == 1 ? "" : "s", h, h == 1 ? "" : "s");
		v->title = t->title;
		v->ask = cc->win != NULL ? cc->win : cc->goal_text;
		v->foot = "Enter or Esc: close";
	} else if (t->card == SCREEN_CARD_QUIZ) {
		const struct lesson_quiz *q = &ui->lesson->quizzes[t->index];

		for (i = 0; i < q->nchoices; i++)
			t->choices[i] = q->choices[i].text;
		v->title = "Quiz";
		v->ask = q->ask;
		v->choices = t->choices;
		v->nchoices = q->nchoices;
		v->picked = t->picked;
		v->right = t->picked >= 0 && (size_t)t->picked == q->right;
		v->why = t->picked >= 0 ? q->choices[t->picked].why : NULL;
		v->foot = t->picked >= 0 ? "any key: close"
		                         : "up/down or 1-9, Enter: pick  Esc: "
		                           "close";
	} else if (t->card == SCREEN_CARD_PREDICT) {
		const struct lesson_predict *p =
		    &ui->lesson->predicts[t->index];

		for (i = 0; i < p->nchoices; i++)
			t->choices[i] = p->choices[i];
		v->title = "Predict";
		v->ask = p->ask;
		v->choices = t->choices;
		v->nchoices = p->nchoices;
		v->typed = t->typed;
		v->foot = p->nchoices > 0 ? "left/right or 1-9, Enter: answer  "
		                            "Esc: close"
		                          : "type a number, Enter: answer  "
		                            "Esc: close";
	}
}

void
tui_coach_fill(struct tui *ui)
{
	struct screen_coach *v = &ui->tc.view;

	memset(v, 0, sizeof *v);
	fill_lines(ui, v);
	fill_card(ui, v);
	ui->scr.coach = v->nlines > 0 || v->card != SCREEN_CARD_NONE ? v : NULL;
}
