/*
 * The curses front end's keys: the lesson screen's (the common keys, the
 * lesson's own from its module's table, the step keys) and the menu's,
 * and what they do to the session.
 */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "names.h"
#include "tui_impl.h"
#include "util.h"

/* "name=value" for parameter k into buf. */
static const char *
param_text(
    const struct lesson_module *mod, size_t k, long v, char *buf, size_t len)
{
	const char *word = module_param_name(&mod->params[k], v);

	if (word != NULL)
		snprintf(buf, len, "%s=%s", mod->params[k].name, word);
	else
		snprintf(buf, len, "%s=%ld", mod->params[k].name, v);
	return buf;
}

/* Set parameter i to value (then let the key adjust the others) and run
 * again, saying so. */
static void
rerun_with(struct tui *ui, int i, long value, void (*then)(long *params))
{
	const struct lesson_module *mod = ui->lesson->module;
	long *p = ui->ses.params, before[MODULE_MAX_PARAMS];
	char also[160] = "", one[48], set[48];
	size_t k, off = 0;

	memcpy(before, p, sizeof before);
	p[i] = value;
	if (then != NULL)
		then(p);
	/* the other parameters the key changed, to say so */
	for (k = 0; k < mod->nparams && off < sizeof also; k++) {
		if ((int)k == i || p[k] == before[k])
			continue;
		off += (size_t)snprintf(also + off, sizeof also - off, "%s%s",
		    off > 0 ? ", " : " (",
		    param_text(mod, k, p[k], one, sizeof one));
	}
	if (off > 0 && off < sizeof also - 1)
		snprintf(also + off, sizeof also - off, ")");
	if (restart(ui) != 0)
		return;
	status_after_restart(ui, "%s again with %s%s",
	    ui->ses.measuring ? "measuring" : "running",
	    param_text(mod, (size_t)i, value, set, sizeof set), also);
}

/* f: a free run of the lesson, or back to stepping it. */
static void
key_free_step(struct tui *ui)
{
	const struct lesson *l = ui->lesson;
	char keys[32];

	if (module_free_only(l->module)) {
		set_status(ui,
		    "%s measures real time: it runs free only (r runs it "
		    "again)",
		    l->id);
		return;
	}
	if (!ui->ses.free_run) {
		ui->ses.free_run = 1;
		if (restart(ui) == 0)
			status_after_restart(ui,
			    "a free run: the operating system schedules the "
			    "threads (f: step them again)");
		return;
	}
	/* a plan's keys set up its runs: stepping starts from the lesson's
	 * own settings again */
	if (ui->ses.measuring)
		memcpy(ui->ses.params, l->params, sizeof ui->ses.params);
	ui->ses.free_run = 0;
	ui->mode = SCREEN_STEP;
	if (restart(ui) != 0)
		return;
	screen_step_keys(ui->ses.run->nthreads, keys, sizeof keys);
	status_after_restart(ui,
	    "stepping again: press %s to let a thread take one step (f: a "
	    "free run)",
	    keys);
}

/* One of the lesson's own keys (its module's table): 1 if ch is one. */
static int
key_lesson_own(struct tui *ui, int ch)
{
	const struct lesson_module *mod = ui->lesson->module;
	const struct lesson_key *k = module_key(mod, ch);
	long value;
	int i;

	if (k == NULL)
		return 0;
	/* a lesson that runs free only changes it only while measuring */
	if (module_free_only(mod) && !ui->ses.measuring)
		return 1;
	if (k->enabled != NULL && !k->enabled(ui->ses.params)) {
		set_status(ui, "%s", k->why_not);
		return 1;
	}
	if ((value = module_key_value(mod, k, ui->ses.params, &i)) >= 0)
		rerun_with(ui, i, value, k->then);
	return 1;
}

static void
user_step(struct tui *ui, int t)
{
	char msg[256];

	if (ui->mode == SCREEN_AUTO)
		ui->mode = SCREEN_PAUSED;
	tui_coach_before(ui);
	if (session_step(&ui->ses, t, msg, sizeof msg) == 0) {
		log_add(ui, msg);
		tui_record(ui, REC_STEP);
	}
	set_status(ui, "%s", msg);
	tui_coach_stepped(ui);
}

void
auto_step(struct tui *ui)
{
	char msg[256];

	if (ui->play.active)
		return; /* the player's own clock plays it */
	if (!tui_coach_may_step(ui)) {
		ui->mode = SCREEN_PAUSED;
		return;
	}
	tui_coach_before(ui);
	if (session_auto_step(&ui->ses, msg, sizeof msg) != 0) {
		ui->mode = SCREEN_PAUSED;
	} else {
		log_add(ui, msg);
		tui_record(ui, REC_AUTO);
	}
	set_status(ui, "%s", msg);
	tui_coach_stepped(ui);
}

void
lesson_open(struct tui *ui, size_t i, const long *params)
{
	int free_run;

	ui->lesson = ui->args->lessons[i];
	/* a measuring lesson runs free: it times real work */
	free_run = ui->args->policy == POLICY_FREE ||
	    module_free_only(ui->lesson->module);
	session_close(&ui->ses);
	session_init(&ui->ses, ui->lesson, params, free_run, ui->args->seed);
	ui->ses.trace = ui->args->trace;
	memset(&ui->scr, 0, sizeof ui->scr);
	tui_coach_open(ui);
	ui->status[0] = '\0';
	ui->mode = free_run                     ? SCREEN_FREE
	    : ui->args->policy == POLICY_RANDOM ? SCREEN_AUTO
	                                        : SCREEN_STEP;
	if (restart(ui) == 0 && ui->mode == SCREEN_STEP) {
		char keys[32];

		screen_step_keys(ui->ses.run->nthreads, keys, sizeof keys);
		status_after_restart(ui,
		    "press %s to let a thread take one step, space to run, ? "
		    "for help",
		    keys);
	}
	if (ui->args->policy == POLICY_RANDOM && !free_run)
		ui->mode = SCREEN_AUTO;
	ui->next_auto = clock_now_ns();
}

void
lesson_close(struct tui *ui)
{
	session_close(&ui->ses);
	ui->lesson = NULL;
}

/* ---- input ---- */

/* Space: auto-run a stepped run, or pause it. */
static void
key_run_pause(struct tui *ui)
{
	if (ui->ses.free_run) {
		set_status(ui,
		    "a free run cannot be paused: the "
		    "operating system schedules it");
	} else if (ui->mode == SCREEN_AUTO) {
		ui->mode = SCREEN_PAUSED;
		set_status(ui, "paused at step %zu", ui->ses.nhist);
	} else if (!ui->ses.done) {
		ui->mode = SCREEN_AUTO;
		ui->next_auto = clock_now_ns();
		set_status(ui,
		    "running: the seeded random policy picks "
		    "each step");
	}
}

/* [ and ]: slower or faster auto-run. */
static void
key_speed(struct tui *ui, int ch)
{
	if (ch == '[' && ui->speed > 0)
		ui->speed--;
	if (ch == ']' && ui->speed < (int)tui_nspeeds - 1)
		ui->speed++;
	set_status(ui, "speed: %d step%s a second", tui_speeds[ui->speed],
	    tui_speeds[ui->speed] == 1 ? "" : "s");
}

/* r: the same run again. */
static void
key_again(struct tui *ui)
{
	if (restart(ui) != 0)
		return; /* the status says why */
	if (ui->ses.measuring)
		status_after_restart(ui, "measuring again from the first run");
	else if (ui->ses.free_run)
		status_after_restart(ui, "running again");
	else
		status_after_restart(
		    ui, "reset: seed %llu", (unsigned long long)ui->ses.seed);
}

/* s: a stepped run again with a new seed. */
static void
key_new_seed(struct tui *ui)
{
	if (ui->ses.free_run) {
		set_status(ui,
		    "a free run has no seed: the operating system "
		    "schedules it (r runs it again)");
		return;
	}
	ui->ses.seed = (clock_now_ns() ^ (uint64_t)getpid()) % 1000000;
	if (restart(ui) == 0)
		status_after_restart(
		    ui, "new seed: %llu", (unsigned long long)ui->ses.seed);
}

/* The screen's code for a curses key (see enum screen_key), or ch. */
static int
screen_key_of(int ch)
{
	switch (ch) {
	case KEY_UP:
		return SCREEN_KEY_UP;
	case KEY_DOWN:
		return SCREEN_KEY_DOWN;
	case KEY_PPAGE:
		return SCREEN_KEY_PAGE_UP;
	case KEY_NPAGE:
		return SCREEN_KEY_PAGE_DOWN;
	case KEY_LEFT:
		return SCREEN_KEY_LEFT;
	case KEY_RIGHT:
		return SCREEN_KEY_RIGHT;
	case KEY_HOME:
		return SCREEN_KEY_HOME;
	case KEY_END:
		return SCREEN_KEY_END;
	default:
		return ch < 0x100 ? ch : -1;
	}
}

/* The keys that move around the screen (pages, scrolling, zoom: the
 * panels take them) and the mouse; 0 if ch is none of them. */
static int
key_view(struct tui *ui, int ch)
{
	struct screen *s = &ui->scr;

	if (screen_key(s, screen_key_of(ch)))
		return 1;
	switch (ch) {
	case KEY_MOUSE: {
		MEVENT me;
		int t;

		/* A click is its press: the release that follows is
		 * not another step (curses is told not to pair them). */
		if (getmouse(&me) == OK && (me.bstate & BUTTON1_PRESSED) &&
		    (t = screen_lane_at(s, me.y)) >= 0)
			user_step(ui, t);
		break;
	}
	default:
		return 0;
	}
	return 1;
}

/* The keys of the lesson screen: the common ones, the lesson's own (its
 * module's table), and the step keys. */
void
key_lesson(struct tui *ui, int ch)
{
	struct screen *s = &ui->scr;

	if (tui_demo_key(ui, ch)) {
		ui->dirty = 1;
		return;
	}
	if (s->help) {
		/* any key closes the help; q still quits */
		s->help = 0;
		ui->dirty = 1;
		if (ch == 'q')
			ui->quit = 1;
		return;
	}
	if (tui_coach_key(ui, ch)) {
		ui->dirty = 1;
		return;
	}
	switch (ch) {
	case 'q':
		ui->quit = 1;
		return;
	case 'm':
		lesson_close(ui);
		break;
	case '?':
	case KEY_F(1):
		s->help = 1;
		break;
	case 27:
		break; /* Escape: only closes the help */
	case ' ':
		key_run_pause(ui);
		break;
	case '[':
	case ']':
		key_speed(ui, ch);
		break;
	case 'r':
		key_again(ui);
		break;
	case 's':
		key_new_seed(ui);
		break;
	case 'f':
		key_free_step(ui);
		break;
	case 'e':
		explorer_open(ui);
		break;
	case 'u':
		if (ui->mode == SCREEN_AUTO)
			ui->mode = SCREEN_PAUSED;
		if (session_undo(&ui->ses, ui->status, sizeof ui->status) == 0)
			tui_record(ui, REC_UNDO);
		break;
	case TUI_KEY_REDO:
		if (ui->mode == SCREEN_AUTO)
			ui->mode = SCREEN_PAUSED;
		tui_coach_before(ui);
		if (session_redo(&ui->ses, ui->status, sizeof ui->status) == 0)
			tui_record(ui, REC_REDO);
		tui_coach_stepped(ui);
		break;
	default:
		if (key_view(ui, ch) || key_lesson_own(ui, ch))
			break;
		/* every lane has a key: its number, or its letter with
		 * Shift (commands are all lower case) */
		if (ch >= '1' && ch <= '9')
			user_step(ui, ch - '1');
		else if (thread_of_letter(ch) >= 0)
			user_step(ui, thread_of_letter(ch));
		break;
	}
	ui->dirty = 1;
}

void
key_menu(struct tui *ui, int ch)
{
	size_t n = tui_course_count(ui);

	ui->notice[0] = '\0'; /* the notice stays until a key is pressed */
	switch (ch) {
	case 'q':
		ui->quit = 1;
		return;
	case KEY_UP:
	case 'k':
		if (ui->menu_sel > 0)
			ui->menu_sel--;
		break;
	case KEY_DOWN:
	case 'j':
		if (ui->menu_sel + 1 < n)
			ui->menu_sel++;
		break;
	case '\n':
	case '\r':
	case KEY_ENTER:
		if (ui->menu_sel < n)
			lesson_open(
			    ui, tui_course_lesson(ui, ui->menu_sel), NULL);
		break;
	default:
		if (ch >= '1' && ch <= '9' && (size_t)(ch - '1') < n) {
			ui->menu_sel = (size_t)(ch - '1');
			lesson_open(
			    ui, tui_course_lesson(ui, ui->menu_sel), NULL);
		}
		break;
	}
	ui->dirty = 1;
}
