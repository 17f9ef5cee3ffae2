/*
 * The demo and replay player: --demo plays the lesson's ```demo block
 * (its steps, pausing at its stops), --replay a --record file, through
 * the same events (recording.h) and the same keys: space pauses and
 * goes on, the right arrow takes one event, the left one takes it back.
 * At the end the student has the stepped lesson as usual. And --record:
 * what the keys did to the session, saved at the end.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exit.h"
#include "paths.h"
#include "schedule.h"
#include "tui_impl.h"
#include "util.h"

static const char *
player_what(const struct tui_player *p)
{
	return p->demo != NULL ? "demo" : "replay";
}

/* The player is done: the lesson is the student's again. */
static void
player_finish(struct tui *ui)
{
	struct tui_player *p = &ui->play;

	p->active = p->playing = 0;
	ui->mode = SCREEN_STEP;
	set_status(ui,
	    "%s finished at step %zu: the lesson is yours now (1-9 step, "
	    "u undo, r again)",
	    player_what(p), ui->ses.nhist);
}

/* Do event e: 0, or -1 with why in msg. */
static int
player_apply(struct tui *ui, const struct rec_event *e, char *msg, size_t len)
{
	if (e->kind == REC_START) {
		ui->ses.seed = e->seed;
		ui->ses.free_run = e->free_run;
		memcpy(ui->ses.params, e->params, sizeof ui->ses.params);
		if (restart(ui) != 0) {
			snprintf(msg, len, "%s", ui->status);
			return -1;
		}
		snprintf(msg, len, "started with seed %llu",
		    (unsigned long long)e->seed);
		return 0;
	}
	if (recording_apply(&ui->ses, e, msg, len) != 0)
		return -1;
	if (e->kind == REC_STEP || e->kind == REC_AUTO)
		log_add(ui, msg);
	return 0;
}

/* The demo's stop at the step the session is at, or NULL. */
static const struct lesson_stop *
player_stop(const struct tui *ui)
{
	const struct lesson_demo *d = ui->play.demo;
	size_t i;

	for (i = 0; d != NULL && i < d->nstops; i++)
		if (d->stops[i].step == (long)ui->ses.nhist)
			return &d->stops[i];
	return NULL;
}

/* Turn to a stop's page; while playing, pause there. */
static void
player_at_stop(struct tui *ui, const struct lesson_stop *st)
{
	ui->scr.page = (int)st->page;
	ui->scr.narr_top = 0;
	if (!ui->play.playing)
		return;
	ui->play.playing = 0;
	ui->mode = SCREEN_PAUSED;
	set_status(ui,
	    "demo paused at step %zu: %s (space goes on, -> steps, <- steps "
	    "back)",
	    ui->ses.nhist, ui->lesson->pages[st->page].title);
}

/* Play the next event; the end finishes the player. */
static void
player_forward(struct tui *ui)
{
	struct tui_player *p = &ui->play;
	const struct lesson_stop *st;
	char msg[256];

	if (p->pos == p->rec.n) {
		player_finish(ui);
		return;
	}
	if (player_apply(ui, &p->rec.ev[p->pos], msg, sizeof msg) != 0) {
		p->active = p->playing = 0;
		ui->mode = SCREEN_STEP;
		set_status(ui, "the %s stopped at its event %zu: %s",
		    player_what(p), p->pos + 1, msg);
		return;
	}
	p->pos++;
	set_status(ui, "%s, step %zu: %s%s", player_what(p), ui->ses.nhist, msg,
	    p->playing ? "" : " (paused: space plays)");
	if ((st = player_stop(ui)) != NULL)
		player_at_stop(ui, st);
	else if (p->pos == p->rec.n && p->playing)
		player_finish(ui);
}

/* Take back the last event played: a step with undo, anything else by
 * playing again from the start before it. */
static void
player_back(struct tui *ui)
{
	struct tui_player *p = &ui->play;
	const struct rec_event *e;
	const struct lesson_stop *st;
	char msg[256];
	size_t from, i;

	if (p->pos <= 1) {
		set_status(ui, "at the start of the %s", player_what(p));
		return;
	}
	e = &p->rec.ev[p->pos - 1];
	if (e->kind == REC_STEP || e->kind == REC_AUTO) {
		if (session_undo(&ui->ses, msg, sizeof msg) != 0) {
			set_status(ui, "%s", msg);
			return;
		}
	} else {
		for (from = p->pos - 2; from > 0; from--)
			if (p->rec.ev[from].kind == REC_START)
				break;
		for (i = from; i < p->pos - 1; i++)
			if (player_apply(ui, &p->rec.ev[i], msg, sizeof msg) !=
			    0) {
				set_status(ui, "%s", msg);
				return;
			}
	}
	p->pos--;
	set_status(ui, "%s, back to step %zu (-> steps again, space plays)",
	    player_what(p), ui->ses.nhist);
	if ((st = player_stop(ui)) != NULL)
		player_at_stop(ui, st);
}

/* The demo's steps as events: the run as it is, then each step. */
static int
player_demo_events(struct tui *ui)
{
	struct tui_player *p = &ui->play;
	struct schedule s;
	char err[1024];
	size_t i;

	if (lesson_demo_load(ui->lesson, paths_schedule_dirs(), &s, err,
	        sizeof err) != SCHEDULE_OK) {
		set_status(ui, "%s", err);
		return -1;
	}
	recording_init(&p->rec, ui->lesson->id);
	recording_add(&p->rec, REC_START, &ui->ses);
	for (i = 0; i < s.n; i++) {
		struct rec_event *e = recording_push(&p->rec);

		e->kind = REC_STEP;
		e->thread = s.items[i];
	}
	schedule_free(&s);
	p->demo = &ui->lesson->demo;
	return 0;
}

int
tui_demo_open(struct tui *ui)
{
	struct tui_player *p = &ui->play;
	const struct recording *src = ui->args->replay;

	memset(p, 0, sizeof *p);
	if (ui->lesson == NULL || ui->ses.run == NULL)
		return -1;
	if (src == NULL) {
		if (player_demo_events(ui) != 0)
			return -1;
	} else {
		recording_init(&p->rec, src->lesson);
		for (size_t i = 0; i < src->n; i++)
			*recording_push(&p->rec) = src->ev[i];
	}
	if (p->rec.n == 0)
		return -1;
	p->active = p->playing = 1;
	ui->mode = SCREEN_AUTO;
	player_forward(ui); /* the start */
	p->next = clock_now_ns() + 1000000000ull / tui_speeds[ui->speed];
	return 0;
}

void
tui_demo_advance(struct tui *ui, uint64_t now)
{
	struct tui_player *p = &ui->play;

	if (!p->active || !p->playing || now < p->next)
		return;
	player_forward(ui);
	p->next = now + 1000000000ull / tui_speeds[ui->speed];
	ui->dirty = 1;
}

int
tui_demo_timeout(const struct tui *ui, uint64_t now, int timeout)
{
	const struct tui_player *p = &ui->play;
	int t;

	if (!p->active || !p->playing)
		return timeout;
	t = p->next <= now ? 0 : (int)((p->next - now + 999999) / 1000000);
	return timeout < 0 || t < timeout ? t : timeout;
}

int
tui_demo_key(struct tui *ui, int ch)
{
	struct tui_player *p = &ui->play;

	if (!p->active || ui->scr.help)
		return 0;
	switch (ch) {
	case ' ':
		if (p->pos == p->rec.n) {
			player_finish(ui);
			return 1;
		}
		p->playing = !p->playing;
		ui->mode = p->playing ? SCREEN_AUTO : SCREEN_PAUSED;
		p->next = clock_now_ns();
		if (!p->playing)
			set_status(ui, "%s paused at step %zu (space plays)",
			    player_what(p), ui->ses.nhist);
		return 1;
	case KEY_RIGHT:
		p->playing = 0;
		ui->mode = SCREEN_PAUSED;
		player_forward(ui);
		return 1;
	case KEY_LEFT:
		p->playing = 0;
		ui->mode = SCREEN_PAUSED;
		player_back(ui);
		return 1;
	case 'q':
	case '?':
	case 'h':
	case 27:
	case '[':
	case ']':
	case KEY_F(1):
	case KEY_UP:
	case KEY_DOWN:
	case KEY_PPAGE:
	case KEY_NPAGE:
	case KEY_HOME:
	case KEY_END:
		return 0; /* as usual */
	default:
		set_status(ui,
		    "the %s is playing: space pauses or goes on, -> steps, "
		    "<- steps back; the other keys work at its end",
		    player_what(p));
		return 1;
	}
}

void
tui_demo_close(struct tui *ui)
{
	recording_free(&ui->play.rec);
	memset(&ui->play, 0, sizeof ui->play);
	recording_free(&ui->rec);
	ui->rec_on = 0;
}

void
tui_record(struct tui *ui, enum rec_kind k)
{
	if (ui->rec_on && ui->lesson != NULL &&
	    strcmp(ui->lesson->id, ui->rec.lesson) == 0)
		recording_add(&ui->rec, k, &ui->ses);
}

int
tui_record_save(struct tui *ui)
{
	const struct tui_args *a = ui->args;
	char err[4096 + 256];

	if (!ui->rec_on)
		return 0;
	if (recording_save(&ui->rec, a->lessons[a->start], a->record, err,
	        sizeof err) != 0) {
		fprintf(stderr, "interleave: %s\n", err);
		return EXIT_CANTCREAT;
	}
	return 0;
}
