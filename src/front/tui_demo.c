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
#include "tui_impl.h"
#include "util.h"

static const char *
player_what(const struct tui_player *p)
{
	return p->pl.demo != NULL ? "demo" : "replay";
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

/* A start event: the run restarted as the screen restarts it. */
static int
hook_start(void *ctx, const struct rec_event *e, char *msg, size_t len)
{
	struct tui *ui = ctx;

	ui->ses.seed = e->seed;
	ui->ses.free_run = e->free_run;
	memcpy(ui->ses.params, e->params, sizeof ui->ses.params);
	if (restart(ui) != 0) {
		snprintf(msg, len, "%s", ui->status);
		return -1;
	}
	snprintf(
	    msg, len, "started with seed %llu", (unsigned long long)e->seed);
	return 0;
}

static void
hook_stepped(void *ctx, const char *msg)
{
	log_add(ctx, msg);
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
	/* the page's title is the narration's heading: the status keeps
	 * to the keys, so that it fits 80 columns */
	set_status(ui,
	    "demo paused at step %zu (space goes on, -> steps, <- steps "
	    "back)",
	    ui->ses.nhist);
}

/* Play the next event; the end finishes the player. */
static void
player_next(struct tui *ui)
{
	struct tui_player *p = &ui->play;
	struct player_hooks h = {hook_start, hook_stepped, ui};
	const struct lesson_stop *st;
	char msg[256];

	if (player_at_end(&p->pl)) {
		player_finish(ui);
		return;
	}
	if (player_forward(&p->pl, &ui->ses, &h, msg, sizeof msg) != 0) {
		p->active = p->playing = 0;
		ui->mode = SCREEN_STEP;
		set_status(ui, "the %s stopped at its event %zu: %s",
		    player_what(p), p->pl.pos + 1, msg);
		return;
	}
	set_status(ui, "%s, step %zu: %s%s", player_what(p), ui->ses.nhist, msg,
	    p->playing ? "" : " (paused: space plays)");
	if ((st = player_stop(&p->pl, &ui->ses)) != NULL)
		player_at_stop(ui, st);
	else if (player_at_end(&p->pl) && p->playing)
		player_finish(ui);
}

/* Take back the last event played. */
static void
player_prev(struct tui *ui)
{
	struct tui_player *p = &ui->play;
	struct player_hooks h = {hook_start, hook_stepped, ui};
	const struct lesson_stop *st;
	char msg[256];

	if (player_back(&p->pl, &ui->ses, &h, msg, sizeof msg) != 0) {
		set_status(ui, "%s: %s", player_what(p), msg);
		return;
	}
	set_status(ui, "%s, back to step %zu (-> steps again, space plays)",
	    player_what(p), ui->ses.nhist);
	if ((st = player_stop(&p->pl, &ui->ses)) != NULL)
		player_at_stop(ui, st);
}

int
tui_demo_open(struct tui *ui)
{
	struct tui_player *p = &ui->play;
	char err[1024];

	memset(p, 0, sizeof *p);
	if (ui->lesson == NULL || ui->ses.run == NULL)
		return -1;
	if (ui->args->replay != NULL) {
		player_from_recording(&p->pl, ui->args->replay);
	} else if (player_from_demo(&p->pl, ui->lesson, &ui->ses,
	               paths_schedule_dirs(), err, sizeof err) != 0) {
		set_status(ui, "%s", err);
		return -1;
	}
	if (p->pl.rec.n == 0)
		return -1;
	p->active = p->playing = 1;
	ui->mode = SCREEN_AUTO;
	player_next(ui); /* the start */
	p->next = clock_now_ns() + 1000000000ull / tui_speeds[ui->speed];
	return 0;
}

void
tui_demo_advance(struct tui *ui, uint64_t now)
{
	struct tui_player *p = &ui->play;

	if (!p->active || !p->playing || now < p->next)
		return;
	player_next(ui);
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
		if (player_at_end(&p->pl)) {
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
		player_next(ui);
		return 1;
	case KEY_LEFT:
		p->playing = 0;
		ui->mode = SCREEN_PAUSED;
		player_prev(ui);
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
	player_free(&ui->play.pl);
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
