#include "coach.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conductor.h"
#include "explore.h"
#include "result.h"

void
coach_init(struct coach *c, const struct lesson *l)
{
	size_t i;

	memset(c, 0, sizeof *c);
	c->lesson = l;
	c->active = -1;
	for (i = 0; i < LESSON_MAX_BLOCKS; i++)
		c->quiz_pick[i] = -1;
}

const struct lesson_challenge *
coach_challenge(const struct coach *c)
{
	if (c->active < 0 || (size_t)c->active >= c->lesson->nchallenges)
		return NULL;
	return &c->lesson->challenges[c->active];
}

int
coach_start(
    struct coach *c, struct session *s, size_t i, char *msg, size_t msglen)
{
	const struct lesson_challenge *ch;

	if (i >= c->lesson->nchallenges) {
		snprintf(msg, msglen, "this lesson has no such challenge");
		return -1;
	}
	ch = &c->lesson->challenges[i];
	/* the challenge's parameters already hold the lesson's under its
	 * own */
	memcpy(s->params, ch->params, sizeof s->params);
	if (ch->policy == LESSON_POLICY_STEP)
		s->free_run = 0;
	else if (ch->policy == LESSON_POLICY_FREE)
		s->free_run = 1;
	c->active = (int)i;
	c->won = 0;
	c->gave_up = 0;
	c->won_steps = 0;
	c->checked = 0;
	if (session_start(s, msg, msglen) != 0) {
		c->active = -1;
		return -1;
	}
	return 0;
}

void
coach_stop(struct coach *c)
{
	c->active = -1;
	c->won = 0;
	c->gave_up = 0;
}

/* The active challenge while it is still to be won. */
static const struct lesson_challenge *
coach_going(const struct coach *c)
{
	return c->won || c->gave_up ? NULL : coach_challenge(c);
}

int
coach_allow_key(const struct coach *c, int ch, char *msg, size_t msglen)
{
	const struct lesson_challenge *cc = coach_going(c);
	size_t i, n = 0;

	if (cc == NULL || cc->keys[0] == '\0')
		return 0;
	if (ch == 0x12) /* Ctrl-R redoes what u undid */
		ch = 'u';
	if (ch > 0 && ch < 0x80 && strchr(cc->keys, ch) != NULL)
		return 0;
	n = (size_t)snprintf(msg, msglen, "this challenge allows only");
	for (i = 0; cc->keys[i] != '\0' && n + 2 < msglen; i++) {
		msg[n++] = ' ';
		msg[n++] = cc->keys[i];
	}
	if (n < msglen)
		msg[n] = '\0';
	return -1;
}

int
coach_may_step(
    const struct coach *c, const struct session *s, char *msg, size_t msglen)
{
	const struct lesson_challenge *cc = coach_going(c);

	if (cc == NULL || cc->max_steps <= 0 || s->free_run)
		return 0;
	if ((long)s->nhist < cc->max_steps)
		return 0;
	snprintf(msg, msglen, "out of steps: u undoes, r starts again");
	return -1;
}

int
coach_stuck(const struct session *s)
{
	if (s->run == NULL || s->free_run || s->done)
		return 0;
	return !conductor_all_done(s->run->c) &&
	    conductor_lowest_runnable(s->run->c) < 0;
}

int
coach_result(const struct session *s, struct result *res)
{
	int stuck = coach_stuck(s);

	if (s->run == NULL || (!s->done && !stuck))
		return -1;
	/* A stuck stepped run is parked at its step points: its model
	 * and variables stay as they are, so the result can be read. */
	run_result(s->run, res);
	if (stuck && result_find(res, "deadlock") == NULL)
		result_word(res, "deadlock", "yes");
	return 0;
}

/* Whether answer and the result's value of key are the same: numbers
 * as numbers, words as words. */
static int
coach_same(const struct result_field *f, const char *answer)
{
	char text[64], *end;
	double v;

	result_field_text(f, text, sizeof text);
	if (f->type != RESULT_WORD) {
		v = strtod(answer, &end);
		if (end == answer || *end != '\0')
			return 0;
		return f->type == RESULT_INT ? v == (double)f->i : v == f->r;
	}
	return strcmp(f->word, answer) == 0;
}

/* Compare the answered predictions with the run that just ended. */
static void
coach_compare(struct coach *c, const struct result *res)
{
	const struct result_field *f;
	size_t i;

	for (i = 0; i < c->lesson->npredicts && i < LESSON_MAX_BLOCKS; i++) {
		struct coach_prediction *p = &c->pred[i];

		if (!p->answered ||
		    (f = result_find(res, c->lesson->predicts[i].key)) == NULL)
			continue;
		p->compared = 1;
		p->matched = coach_same(f, p->answer);
		result_field_text(f, p->actual, sizeof p->actual);
	}
}

int
coach_update(struct coach *c, struct session *s)
{
	const struct lesson_challenge *cc;
	struct result res;

	if (s->run == NULL || c->checked == s->generation + 1)
		return 0;
	result_clear(&res);
	if (coach_result(s, &res) != 0)
		return 0;
	c->checked = s->generation + 1;
	coach_compare(c, &res);
	if ((cc = coach_going(c)) == NULL || !lesson_goal_met(&cc->goal, &res))
		return 0;
	if (cc->policy == LESSON_POLICY_STEP && s->free_run)
		return 0;
	c->won = 1;
	c->won_steps = s->nhist;
	if ((size_t)c->active < LESSON_MAX_BLOCKS)
		c->won_ever[c->active] = 1;
	return 1;
}

/* Whether s is a whole number (a sign, then digits). */
static int
coach_whole(const char *s)
{
	if (*s == '-' || *s == '+')
		s++;
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

int
coach_answer(struct coach *c, const struct session *s, size_t i,
    const char *answer, char *msg, size_t msglen)
{
	const struct lesson_predict *p;
	size_t k;

	if (i >= c->lesson->npredicts || i >= LESSON_MAX_BLOCKS) {
		snprintf(msg, msglen, "no such prediction");
		return -1;
	}
	p = &c->lesson->predicts[i];
	for (k = 0; k < p->nchoices; k++)
		if (strcmp(p->choices[k], answer) == 0)
			break;
	if (p->nchoices > 0 && k == p->nchoices) {
		snprintf(msg, msglen, "pick one of the choices");
		return -1;
	}
	if (p->nchoices == 0 &&
	    (!coach_whole(answer) || strlen(answer) >= LESSON_WORD_MAX)) {
		snprintf(msg, msglen, "type a whole number");
		return -1;
	}
	snprintf(c->pred[i].answer, sizeof c->pred[i].answer, "%s", answer);
	c->pred[i].answered = 1;
	c->pred[i].compared = 0;
	c->pred[i].generation = s->generation;
	snprintf(
	    msg, msglen, "you predict %s = %s; run it to see", p->key, answer);
	return 0;
}

int
coach_quiz(struct coach *c, size_t i, size_t k)
{
	const struct lesson_quiz *q;

	if (i >= c->lesson->nquizzes || i >= LESSON_MAX_BLOCKS)
		return -1;
	q = &c->lesson->quizzes[i];
	if (k >= q->nchoices)
		return -1;
	c->quiz_pick[i] = (int)k;
	return k == q->right;
}

const char *
coach_hint(struct coach *c, size_t i)
{
	const struct lesson_challenge *cc;

	if (i >= c->lesson->nchallenges || i >= LESSON_MAX_BLOCKS)
		return NULL;
	cc = &c->lesson->challenges[i];
	if (c->hints[i] >= cc->nhints)
		return NULL;
	return cc->hints[c->hints[i]++];
}

int
coach_page_challenge(const struct coach *c, size_t page)
{
	size_t i;

	for (i = 0; i < c->lesson->nchallenges; i++)
		if (c->lesson->challenges[i].page == page)
			return (int)i;
	for (i = 0; i < c->lesson->nchallenges && i < LESSON_MAX_BLOCKS; i++)
		if (!c->won_ever[i])
			return (int)i;
	return c->lesson->nchallenges > 0 ? 0 : -1;
}

int
coach_page_question(const struct coach *c, size_t page, int *kind)
{
	const struct lesson *l = c->lesson;
	int pass;
	size_t i;

	/* first what is still to answer, then anything to answer again */
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < l->npredicts && i < LESSON_MAX_BLOCKS; i++)
			if (l->predicts[i].page == page &&
			    (pass || !c->pred[i].answered)) {
				*kind = 0;
				return (int)i;
			}
		for (i = 0; i < l->nquizzes && i < LESSON_MAX_BLOCKS; i++)
			if (l->quizzes[i].page == page &&
			    (pass || c->quiz_pick[i] < 0)) {
				*kind = 1;
				return (int)i;
			}
	}
	return -1;
}

/* Whether thread t's last step loaded (store 0) or stored (store 1). */
static int
coach_step_did(const struct model *m, int t, int store)
{
	const struct model_thread *th = &m->threads[t];
	int v;

	for (v = 0; v < m->nvars; v++) {
		if (!store && (th->loaded[v] && th->load_step[v] == m->step))
			return 1;
		if (store && m->vars[v].last_store_thread == t &&
		    m->vars[v].last_store_step == m->step)
			return 1;
	}
	return 0;
}

/* Whether show fired at the step of t (or at the end of a free run). */
static int
coach_fired(const struct lesson_show *sh, const struct session *s, int t,
    unsigned long long marks_before, int cycle_before)
{
	const struct model *m = s->run->m;
	int ended = s->done || coach_stuck(s);

	switch (sh->event) {
	case LESSON_SHOW_AFTER_LOAD:
	case LESSON_SHOW_AFTER_STORE:
		return t >= 0 && t == sh->thread && t < m->nthreads &&
		    coach_step_did(m, t, sh->event == LESSON_SHOW_AFTER_STORE);
	case LESSON_SHOW_LOST_UPDATE:
		return m->nmarks > marks_before;
	case LESSON_SHOW_DEADLOCK:
		return m->deadlock.n > 0 && cycle_before == 0;
	case LESSON_SHOW_DONE:
		return ended;
	default:
		return 0;
	}
}

long
coach_show_page(const struct coach *c, const struct session *s, int t,
    unsigned long long marks_before, int cycle_before, size_t cur)
{
	size_t p;

	if (s->run == NULL || s->run->m == NULL)
		return -1;
	for (p = cur + 1; p < c->lesson->npages; p++)
		if (coach_fired(&c->lesson->pages[p].show, s, t, marks_before,
		        cycle_before))
			return (long)p;
	return -1;
}

/* Step the session through a witness w[0..n) from a fresh start: 0 if
 * every step was taken and the result meets goal. */
static int
coach_try_witness(
    struct session *s, const struct lesson_goal *goal, const int *w, size_t n)
{
	struct result res;
	char msg[256];
	size_t i;

	if (session_start(s, msg, sizeof msg) != 0)
		return -1;
	for (i = 0; i < n; i++)
		if (session_step(s, w[i], msg, sizeof msg) != 0)
			return -1;
	result_clear(&res);
	if (coach_result(s, &res) != 0 || !lesson_goal_met(goal, &res))
		return -1;
	return 0;
}

/* The witness as "1,2,1" into buf. */
static void
coach_witness_text(const int *w, size_t n, char *buf, size_t len)
{
	size_t i, k = 0;

	buf[0] = '\0';
	for (i = 0; i < n && k + 8 < len; i++)
		k += (size_t)snprintf(
		    buf + k, len - k, "%s%d", i ? "," : "", w[i] + 1);
	if (i < n)
		snprintf(buf + k, len - k, ",...");
}

int
coach_give_up(struct coach *c, struct session *s, char *msg, size_t msglen)
{
	const struct lesson_challenge *cc = coach_going(c);
	struct explore_config cfg;
	struct explore x;
	char err[256], text[160];
	int pass, i, found = -1;

	if (cc == NULL) {
		snprintf(msg, msglen, "no challenge is going on");
		return -1;
	}
	if (cc->policy != LESSON_POLICY_STEP) {
		c->hints[c->active] = cc->nhints;
		c->gave_up = 1;
		snprintf(msg, msglen, "given up: every hint is shown");
		return 1;
	}
	memset(&cfg, 0, sizeof cfg);
	cfg.module = c->lesson->module;
	memcpy(cfg.params, cc->params, sizeof cfg.params);
	cfg.strategy = EXPLORE_DPOR;
	cfg.max_preemptions = -1;
	cfg.max_schedules = COACH_EXPLORE_MAX;
	if (explore_init(&x, &cfg, err, sizeof err) != 0) {
		snprintf(msg, msglen, "no witness: %s", err);
		return -1;
	}
	if (explore_run(&x, err, sizeof err) != 0) {
		explore_free(&x);
		snprintf(msg, msglen, "no witness: %s", err);
		return -1;
	}
	memcpy(s->params, cc->params, sizeof s->params);
	s->free_run = 0;
	/* the lesson's failures first: a goal is most often one of them */
	for (pass = 0; pass < 2 && found < 0; pass++)
		for (i = 0; i < x.nout && found < 0; i++)
			if (x.out[i].failure == !pass &&
			    coach_try_witness(s, &cc->goal, x.out[i].witness,
			        x.out[i].nwitness) == 0)
				found = i;
	if (found < 0) {
		explore_free(&x);
		session_start(s, err, sizeof err);
		snprintf(msg, msglen,
		    "no witness: none of the %llu schedules explored meets "
		    "the goal",
		    (unsigned long long)x.schedules);
		return -1;
	}
	coach_witness_text(
	    x.out[found].witness, x.out[found].nwitness, text, sizeof text);
	explore_free(&x);
	c->gave_up = 1;
	c->checked = s->generation + 1; /* the witness does not win */
	snprintf(msg, msglen, "a witness: %s (u undoes a step)", text);
	return 0;
}
