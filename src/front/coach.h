/*
 * The coach: what a lesson's interactive blocks (predictions, quizzes,
 * challenges and their hints, pages shown by an event) do over a
 * session. No curses, so it is unit-tested on real runs; the TUI maps
 * keys to these calls and the screen draws what they leave here.
 *
 * A challenge's steps are the session's steps (its history), so undo
 * gives a step back and a restart gives them all back.
 */
#ifndef IL_COACH_H
#define IL_COACH_H

#include <stddef.h>

#include "lesson.h"
#include "session.h"

/* What the student answered to a prediction, and how it compared. */
struct coach_prediction {
	int answered;
	char answer[LESSON_WORD_MAX];
	unsigned generation; /* the session's run when answered */
	int compared;        /* a run after the answer has ended */
	int matched;
	char actual[LESSON_WORD_MAX];
};

struct coach {
	const struct lesson *lesson;
	/* the challenge taken on (index into lesson->challenges), or -1 */
	int active;
	int won;     /* the active challenge's goal was met */
	int gave_up; /* the active challenge was given up */
	size_t won_steps;
	unsigned checked; /* the generation whose end was evaluated, + 1 */
	size_t hints[LESSON_MAX_BLOCKS];  /* hints shown, per challenge */
	int won_ever[LESSON_MAX_BLOCKS];  /* challenges won since loaded */
	int quiz_pick[LESSON_MAX_BLOCKS]; /* choice picked, or -1 */
	struct coach_prediction pred[LESSON_MAX_BLOCKS];
};

void coach_init(struct coach *, const struct lesson *);

/* Take on challenge i: the session gets its parameters and policy and
 * starts again. 0, or -1 with why in msg. */
int coach_start(
    struct coach *, struct session *, size_t i, char *msg, size_t msglen);
/* Leave the active challenge (if any). */
void coach_stop(struct coach *);
/* The active challenge, or NULL. */
const struct lesson_challenge *coach_challenge(const struct coach *);

/* Whether the active challenge lets the student press key ch (a key
 * that acts on the run): 0, or -1 with "this challenge allows only 1 2
 * u" in msg. Ctrl-R goes with u. */
int coach_allow_key(const struct coach *, int ch, char *msg, size_t msglen);
/* Whether another step may be taken (max-steps): 0, or -1 with why. */
int coach_may_step(
    const struct coach *, const struct session *, char *msg, size_t msglen);

/* 1 if a stepped run cannot go on though not every thread has finished
 * (each waits for a lock another holds). */
int coach_stuck(const struct session *);
/* The result of the session's run once it has ended (or is stuck: then
 * with deadlock=yes unless the module says); -1 if it has not. */
int coach_result(const struct session *, struct result *);

/* After each step, and each frame of a free run: once the run has ended,
 * compare the predictions and evaluate the active challenge's goal.
 * Returns 1 when this call won the challenge, else 0. */
int coach_update(struct coach *, struct session *);

/* Answer prediction i (a choice's value, or a typed whole number): 0,
 * or -1 with why in msg. */
int coach_answer(struct coach *, const struct session *, size_t i,
    const char *answer, char *msg, size_t msglen);
/* Pick choice k of quiz i: 1 if it is the right one, 0 if not, -1 if
 * there is no such choice. */
int coach_quiz(struct coach *, size_t i, size_t k);

/* The next hint of challenge i, counting it; NULL once all are shown. */
const char *coach_hint(struct coach *, size_t i);

/* Schedules the explorer may try for a witness when the student gives
 * up. */
#define COACH_EXPLORE_MAX 20000

/* Give up the active challenge. A stepped one: the session steps
 * through a schedule the explorer found that meets the goal (0, with
 * "a witness: 1,2,1" in msg; -1 if none was found). Any other: every
 * hint is counted as shown (1). */
int coach_give_up(struct coach *, struct session *, char *msg, size_t msglen);

/* Which challenge a page's c takes on and its h hints: the page's own,
 * else the lesson's first not yet won; -1 if the lesson has none. */
int coach_page_challenge(const struct coach *, size_t page);
/* The page's first prediction (*kind 0) or quiz (*kind 1) not yet
 * answered, then its first of either; -1 if it has none. */
int coach_page_question(const struct coach *, size_t page, int *kind);

/* A page after cur whose ```show event the step thread t just took
 * fired (marks_before, cycle_before: the model's lost-update marks and
 * deadlock cycle length before the step; t is -1 for a free run, which
 * is looked at once it has ended). Returns the page, or -1. */
long coach_show_page(const struct coach *, const struct session *, int t,
    unsigned long long marks_before, int cycle_before, size_t cur);

#endif
