/*
 * The curses front end. One thread (the caller of tui_main) owns curses,
 * the run and the model; workers only push events. The loop sleeps in
 * poll() on the terminal, a self-pipe for signals and, during a free run,
 * the event queue's wake descriptor. While events flow it redraws at most
 * 30 times a second; when nothing can change it sets no timer at all.
 */
#include "config.h"

#include "tui.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <term.h>
#include <termios.h>
#include <unistd.h>

#include "conductor.h"
#include "evq.h"
#include "grid.h"
#include "names.h"
#include "run.h"
#include "sampler.h"
#include "screen.h"
#include "session.h"
#include "util.h"

#define FRAME_NS      (1000000000ull / 30)
#define CLOCK_TICK_NS (100000000ull) /* free-run clock redraw */
#define PUMP_BUDGET   200000         /* events moved per loop turn */
#define LONG_RUN_MS   60000          /* say so before a run this long */

static const int speeds[] = {1, 2, 5, 10, 20, 50, 100, 500};
#define SPEED_DEFAULT 2 /* index: 5 steps a second */

/* ---- signals and terminal restore (async-signal-safe parts) ---- */

static int sig_pipe[2] = {-1, -1};
/* SIGCONTs seen, and how many had been seen when SIGTSTP came: a SIGCONT
 * after the SIGTSTP means the job was resumed before the loop got round
 * to stopping, so it must not stop any more. */
static volatile sig_atomic_t conts;
static volatile sig_atomic_t conts_at_tstp;
static struct termios saved_tio;
static int saved_tio_ok;
static char restore_bytes[256];
static size_t restore_len;

static void
on_signal(int sig)
{
	unsigned char b = (unsigned char)sig;
	int saved = errno;

	if (sig == SIGCONT)
		conts++;
	else if (sig == SIGTSTP)
		conts_at_tstp = conts;
	if (write(sig_pipe[1], &b, 1) < 0) {
		/* the pipe is full: a wake-up is already pending */
	}
	errno = saved;
}

/* A crash: put the terminal back with bytes prepared at start-up, then let
 * the default action (a core dump) happen. */
static void
on_crash(int sig)
{
	if (restore_len > 0 &&
	    write(STDOUT_FILENO, restore_bytes, restore_len) < 0) {
		/* nothing more can be done */
	}
	if (saved_tio_ok)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved_tio);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void
add_restore(const char *cap)
{
	char *s = tigetstr(cap);
	size_t n;

	if (s == NULL || s == (char *)-1)
		return;
	n = strlen(s);
	if (restore_len + n < sizeof restore_bytes) {
		memcpy(restore_bytes + restore_len, s, n);
		restore_len += n;
	}
}

static const int quit_signals[] = {SIGINT, SIGTERM, SIGHUP};
static const int crash_signals[] = {SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL};

static int
signals_install(void)
{
	struct sigaction sa;
	size_t i;

	if (pipe(sig_pipe) != 0)
		return -1;
	for (i = 0; i < 2; i++) {
		fcntl(sig_pipe[i], F_SETFL,
		    fcntl(sig_pipe[i], F_GETFL) | O_NONBLOCK);
		fcntl(sig_pipe[i], F_SETFD, FD_CLOEXEC);
	}
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART;
	for (i = 0; i < IL_ARRAY_LEN(quit_signals); i++)
		sigaction(quit_signals[i], &sa, NULL);
	sigaction(SIGTSTP, &sa, NULL);
	sigaction(SIGWINCH, &sa, NULL);
	sigaction(SIGCONT, &sa, NULL);
	sa.sa_handler = on_crash;
	sa.sa_flags = SA_RESETHAND;
	for (i = 0; i < IL_ARRAY_LEN(crash_signals); i++)
		sigaction(crash_signals[i], &sa, NULL);
	return 0;
}

static void
signals_default(void)
{
	size_t i;

	for (i = 0; i < IL_ARRAY_LEN(quit_signals); i++)
		signal(quit_signals[i], SIG_DFL);
	signal(SIGTSTP, SIG_DFL);
	signal(SIGWINCH, SIG_DFL);
	signal(SIGCONT, SIG_DFL);
	for (i = 0; i < IL_ARRAY_LEN(crash_signals); i++)
		signal(crash_signals[i], SIG_DFL);
}

int
tui_check_terminal(char *err, size_t errlen)
{
	const char *term = getenv("TERM");
	int e = 0;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		snprintf(err, errlen,
		    "the screen needs a terminal on standard input and "
		    "output; use --headless to print the run as text");
		return -1;
	}
	if (term == NULL || *term == '\0' || strcmp(term, "dumb") == 0) {
		snprintf(err, errlen,
		    "TERM is %s%s%s, which cannot draw the screen; use "
		    "--headless to print the run as text",
		    term == NULL || *term == '\0' ? "not set" : "'",
		    term == NULL || *term == '\0' ? "" : term,
		    term == NULL || *term == '\0' ? "" : "'");
		return -1;
	}
	if (setupterm(NULL, STDOUT_FILENO, &e) != OK) {
		snprintf(err, errlen,
		    "terminal type '%s' is unknown; use --headless to print "
		    "the run as text",
		    term);
		return -1;
	}
	del_curterm(cur_term);
	return 0;
}

/* ---- state ---- */

struct tui {
	const struct tui_args *args;
	SCREEN *sp;
	struct grid *g;
	const struct glyphs *glyphs;
	attr_t attrs[ROLE_COUNT];

	/* the lesson open now, or NULL in the menu */
	const struct lesson *lesson;
	struct session ses;
	int speed;
	enum screen_mode mode;
	char status[256];
	char long_note[160]; /* the last restart's warning of a long run */
	struct screen scr;

	/* free-run clock: suspended time (Ctrl-Z) does not count */
	uint64_t run_t0;
	uint64_t suspended_ns;
	uint64_t suspend_at;
	unsigned generation; /* the session's run this clock belongs to */
	unsigned summed_up;  /* the generation whose end the status told */
	int pids[CONDUCTOR_MAX_THREADS]; /* lane PIDs for the screen */
	int prev_pids[CONDUCTOR_MAX_THREADS];
	char prev_title[96];

	/* the last status lines of steps, for the log panel: log holds
	 * them in a ring from log_head, logp oldest first */
	char log[SCREEN_LOG_MAX][160];
	const char *logp[SCREEN_LOG_MAX];
	int nlog, log_head;

	size_t menu_sel;
	int dirty;
	int full_repaint;
	uint64_t next_frame;
	uint64_t next_auto;
	uint64_t next_tick;
	int quit;
	int quit_signal;
};

/* ---- colours ---- */

/* Okabe-Ito colours in the xterm 256-colour cube, then 8-colour fallbacks. */
struct role_colour {
	short c256;
	short c8;
	attr_t mono;
	attr_t extra;
};

static const struct role_colour role_colours[ROLE_COUNT] = {
    [ROLE_DEFAULT] = {-1, -1, A_NORMAL, A_NORMAL},
    [ROLE_TITLE] = {-1, -1, A_REVERSE | A_BOLD, A_REVERSE | A_BOLD},
    [ROLE_LABEL] = {-1, -1, A_BOLD, A_BOLD},
    [ROLE_RULER] = {-1, -1, A_NORMAL, A_NORMAL},
    [ROLE_RUNNING] = {36, COLOR_GREEN, A_BOLD, A_BOLD},     /* bluish green */
    [ROLE_READY] = {227, COLOR_YELLOW, A_NORMAL, A_NORMAL}, /* yellow */
    [ROLE_IO] = {74, COLOR_CYAN, A_UNDERLINE, A_NORMAL},    /* sky blue */
    [ROLE_LOCK_WAIT] = {166, COLOR_RED, A_REVERSE, A_BOLD}, /* vermillion */
    [ROLE_DONE] = {-1, -1, A_NORMAL, A_NORMAL},
    [ROLE_LOST] = {175, COLOR_MAGENTA, A_REVERSE | A_BOLD,
        A_BOLD},                                          /* reddish purple */
    [ROLE_WARNING] = {214, COLOR_YELLOW, A_BOLD, A_BOLD}, /* orange */
    [ROLE_CODE] = {74, COLOR_CYAN, A_BOLD, A_NORMAL},     /* sky blue */
    [ROLE_EMPH] = {-1, -1, A_ITALIC, A_ITALIC},
    [ROLE_STRONG] = {-1, -1, A_BOLD, A_BOLD},
    [ROLE_COND_WAIT] = {32, COLOR_BLUE, A_DIM, A_NORMAL}, /* blue */
};

static void
colours_init(struct tui *ui)
{
	int use = ui->args->color && has_colors();
	short i;

	if (use && start_color() != OK)
		use = 0;
	if (use)
		use_default_colors();
	for (i = 0; i < ROLE_COUNT; i++) {
		const struct role_colour *rc = &role_colours[i];
		short fg = COLORS >= 256 ? rc->c256 : rc->c8;

		if (!use) {
			ui->attrs[i] = rc->mono;
			continue;
		}
		ui->attrs[i] = rc->extra;
		if (fg >= 0 && init_pair((short)(i + 1), fg, -1) == OK)
			ui->attrs[i] |= COLOR_PAIR(i + 1);
		else if (rc->c256 >= 0)
			ui->attrs[i] = rc->mono; /* no colour to be had */
	}
}

/* ---- drawing ---- */

/* Characters an ASCII terminal cannot show, replaced by look-alikes. */
static uint32_t
ascii_fallback(uint32_t ch)
{
	switch (ch) {
	case 0x2018:
	case 0x2019:
		return '\'';
	case 0x201c:
	case 0x201d:
		return '"';
	case 0x2013:
	case 0x2014:
	case 0x2212:
		return '-';
	case 0x00a0:
		return ' ';
	}
	return '?';
}

static void
flush_grid(struct tui *ui)
{
	const struct grid *g = ui->g;
	int x, y;

	if (ui->full_repaint) {
		clearok(curscr, TRUE);
		ui->full_repaint = 0;
	}
	for (y = 0; y < g->h; y++) {
		for (x = 0; x < g->w; x++) {
			const struct cell *c = &g->cells[y * g->w + x];
			wchar_t wc[2];
			cchar_t cc;
			attr_t attr;
			uint32_t ch = c->ch;

			if (ch == 0)
				continue; /* right half of a wide character */
			if (ui->args->ascii && ch > 0x7e)
				ch = ascii_fallback(ch);
			if (ch < 0x20)
				ch = '?';
			wc[0] = (wchar_t)ch;
			wc[1] = L'\0';
			attr = c->role < ROLE_COUNT ? ui->attrs[c->role]
			                            : A_NORMAL;
			/* setcchar takes the colour pair on its own: given
			 * 0 there, it would clear the pair in attr. */
			setcchar(&cc, wc, attr & ~A_COLOR,
			    (short)PAIR_NUMBER(attr), NULL);
			mvadd_wch(y, x, &cc);
		}
	}
	wnoutrefresh(stdscr);
	doupdate();
}

static uint64_t
elapsed_ms(const struct tui *ui)
{
	uint64_t end;

	if (ui->ses.run == NULL)
		return 0;
	end = ui->ses.done && ui->ses.run->end_ns ? ui->ses.run->end_ns
	                                          : clock_now_ns();
	if (ui->suspend_at != 0)
		end = ui->suspend_at;
	if (end < ui->run_t0 + ui->suspended_ns)
		return 0;
	return (end - ui->run_t0 - ui->suspended_ns) / 1000000;
}

/* Processes: each lane's PID (0 until its child is forked), or NULL
 * when the lanes are threads. */
static const int *
lane_pids(struct tui *ui)
{
	return run_lane_pids(ui->ses.run, ui->pids) ? ui->pids : NULL;
}

static void
draw(struct tui *ui)
{
	int h, w;

	getmaxyx(stdscr, h, w);
	if (ui->g == NULL || ui->g->w != w || ui->g->h != h) {
		grid_free(ui->g);
		ui->g = grid_new(w, h);
	}
	grid_clear(ui->g);
	if (ui->lesson == NULL) {
		screen_draw_menu(ui->g, ui->args->lessons, ui->args->nlessons,
		    ui->menu_sel, ui->args->ascii);
	} else {
		struct screen *s = &ui->scr;
		struct run *run = ui->ses.run;

		s->lesson = ui->lesson;
		s->model = run != NULL ? run->m : NULL;
		s->glyphs = ui->glyphs;
		s->mode = ui->ses.done ? SCREEN_DONE : ui->mode;
		s->free_run = ui->ses.free_run;
		s->seed = ui->ses.seed;
		s->elapsed_ms = elapsed_ms(ui);
		s->status = ui->status[0] != '\0' ? ui->status : NULL;
		s->result = ui->ses.done && ui->ses.words[0] != '\0'
		    ? ui->ses.words
		    : NULL;
		s->dropped = run != NULL ? evq_dropped(run->q) : 0;
		s->meas = ui->ses.measuring ? &ui->ses.meas : NULL;
		/* the parameters this run really uses */
		s->params = run != NULL ? run->cfg.params : ui->ses.params;
		s->kernel = 0;
		s->ncpus = 0;
		s->pids = NULL;
		s->progress_done = s->progress_total = 0;
		s->log = (const char *const *)ui->logp;
		s->nlog = ui->nlog;
		if (run != NULL && run->cfg.sample_ms > 0) {
			s->kernel = atomic_load(&run->os_unavailable) ? -1 : 1;
			s->ncpus = s->model->ncpus > sampler_cpus()
			    ? s->model->ncpus
			    : sampler_cpus();
			s->pids = lane_pids(ui);
		}
		s->prev = NULL;
		if (ui->ses.prev != NULL) {
			const struct measured *pm =
			    &ui->ses.meas.res[ui->ses.prev_index];
			char took[32];

			screen_duration(
			    (uint64_t)pm->wall_ms, took, sizeof took);
			snprintf(ui->prev_title, sizeof ui->prev_title,
			    "%s, %s", pm->name, took);
			s->prev = ui->ses.prev->m;
			s->prev_title = ui->prev_title;
			s->prev_pids =
			    run_lane_pids(ui->ses.prev, ui->prev_pids)
			    ? ui->prev_pids
			    : NULL;
		}
		if (run != NULL && ui->ses.free_run &&
		    ui->lesson->module->progress != NULL)
			ui->lesson->module->progress(
			    run, &s->progress_done, &s->progress_total);
		s->speed = speeds[ui->speed];
		if (s->model != NULL)
			screen_draw(ui->g, s);
	}
	flush_grid(ui);
	ui->dirty = 0;
	ui->next_frame = clock_now_ns() + FRAME_NS;
}

/* ---- the run ---- */

static void set_status(struct tui *ui, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
set_status(struct tui *ui, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ui->status, sizeof ui->status, fmt, ap);
	va_end(ap);
	ui->dirty = 1;
}

/* Keep a step's message for the log panel. */
static void
log_add(struct tui *ui, const char *msg)
{
	int i, k;

	if (ui->nlog == SCREEN_LOG_MAX)
		ui->log_head = (ui->log_head + 1) % SCREEN_LOG_MAX;
	else
		ui->nlog++;
	k = (ui->log_head + ui->nlog - 1) % SCREEN_LOG_MAX;
	snprintf(ui->log[k], sizeof ui->log[k], "%s", msg);
	for (i = 0; i < ui->nlog; i++)
		ui->logp[i] = ui->log[(ui->log_head + i) % SCREEN_LOG_MAX];
}

static void
log_clear(struct tui *ui)
{
	ui->nlog = ui->log_head = 0;
}

/* (Re)start the lesson's run: 0, or -1 if it could not start, and the
 * status line says why. A run that will take a minute or more says so
 * there (and in long_note, for the callers' own words). */
static int
restart(struct tui *ui)
{
	char msg[256];
	uint64_t est;

	ui->suspended_ns = 0;
	ui->run_t0 = clock_now_ns();
	ui->scr.zoom.fit = 1;
	ui->scr.zoom.follow = 1;
	ui->dirty = 1;
	log_clear(ui);
	est = session_estimate_ms(&ui->ses);
	if (session_start(&ui->ses, msg, sizeof msg) != 0) {
		set_status(ui, "cannot start the lesson: %s", msg);
		return -1;
	}
	ui->generation = ui->ses.generation;
	if (ui->mode == SCREEN_AUTO)
		ui->mode = SCREEN_PAUSED;
	ui->long_note[0] = '\0';
	if (est >= LONG_RUN_MS) {
		char took[32];

		screen_duration(est, took, sizeof took);
		snprintf(ui->long_note, sizeof ui->long_note,
		    "this will take about %s (timed from a shorter run), the "
		    "title shows how far it is; q quits",
		    took);
		set_status(ui, "%s", ui->long_note);
	}
	return 0;
}

static void status_after_restart(struct tui *ui, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Set the status line after a restart, keeping what it said of a run
 * that will take minutes. */
static void
status_after_restart(struct tui *ui, const char *fmt, ...)
{
	char buf[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (ui->long_note[0] != '\0')
		set_status(ui, "%s; %s", buf, ui->long_note);
	else
		set_status(ui, "%s", buf);
}

/* A measuring lesson's progress: when it has moved on to its next
 * planned run, a fresh clock and view for it; the status says where the
 * table stands, and once, at the end, that every run is measured. */
static void
measured_progress(struct tui *ui)
{
	const struct measure_set *ms = &ui->ses.meas;

	if (ui->ses.generation != ui->generation) {
		ui->generation = ui->ses.generation;
		ui->suspended_ns = 0;
		ui->run_t0 = clock_now_ns();
		ui->scr.zoom.fit = 1;
		ui->scr.zoom.follow = 1;
		if (ms->n > 0 && ms->n < ms->nmodes) {
			set_status(ui, "%s took %.0f ms; now %s (run %d of %d)",
			    ms->res[ms->n - 1].name, ms->res[ms->n - 1].wall_ms,
			    measure_mode_name(ms, ms->n), ms->n + 1,
			    ms->nmodes);
			log_add(ui, ui->status);
		}
	}
	if (ui->ses.done && ui->summed_up != ui->ses.generation) {
		ui->summed_up = ui->ses.generation;
		if (ms->n > 0)
			log_add(ui, "every run is measured: see the table");
		set_status(ui,
		    "measured %d runs: see the table; a: every mode, t: I/O "
		    "or CPU work, r: again",
		    ms->n);
	}
}

/* A measuring lesson: set a parameter and measure again. Turning greedy
 * on measures the event loop (the only mode it matters to) unless every
 * mode is planned. */
static void
remeasure(struct tui *ui, const char *param, long value)
{
	const struct lesson_module *mod = ui->lesson->module;
	const struct param_def *mp = &mod->params[mod->measure.mode_param];
	long *p = ui->ses.params, eventloop;
	int i = module_param_index(mod, param);
	const char *name;
	char num[32];

	if (i < 0)
		return;
	p[i] = value;
	if (strcmp(param, "greedy") == 0 && value &&
	    p[mod->measure.mode_param] != mod->measure.all_value &&
	    module_param_parse(mp, "eventloop", 9, &eventloop) == 0)
		p[mod->measure.mode_param] = eventloop;
	if ((name = module_param_name(&mod->params[i], value)) == NULL) {
		snprintf(num, sizeof num, "%ld", value);
		name = num;
	}
	if (restart(ui) != 0)
		return;
	if (i == mod->measure.mode_param)
		status_after_restart(
		    ui, "measuring again with %s=%s", param, name);
	else
		status_after_restart(ui, "measuring again with %s=%s (mode %s)",
		    param, name,
		    module_param_name(mp, p[mod->measure.mode_param]));
}

/* The same with a parameter that is 0 or 1 flipped (kind, io, greedy). */
static void
remeasure_flip(struct tui *ui, const char *param)
{
	int i = module_param_index(ui->lesson->module, param);

	if (i >= 0)
		remeasure(ui, param, !ui->ses.params[i]);
}

static void
user_step(struct tui *ui, int t)
{
	char msg[256];

	if (ui->mode == SCREEN_AUTO)
		ui->mode = SCREEN_PAUSED;
	if (session_step(&ui->ses, t, msg, sizeof msg) == 0)
		log_add(ui, msg);
	set_status(ui, "%s", msg);
}

static void
auto_step(struct tui *ui)
{
	char msg[256];

	if (session_auto_step(&ui->ses, msg, sizeof msg) != 0)
		ui->mode = SCREEN_PAUSED;
	else
		log_add(ui, msg);
	set_status(ui, "%s", msg);
}

static void
lesson_open(struct tui *ui, size_t i, const long *params)
{
	int free_run;

	ui->lesson = ui->args->lessons[i];
	/* a measuring lesson runs free: it times real work */
	free_run = ui->args->policy == POLICY_FREE ||
	    ui->lesson->module->measure.all != NULL;
	session_close(&ui->ses);
	session_init(&ui->ses, ui->lesson, params, free_run, ui->args->seed);
	memset(&ui->scr, 0, sizeof ui->scr);
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

static void
lesson_close(struct tui *ui)
{
	session_close(&ui->ses);
	ui->lesson = NULL;
}

/* ---- input ---- */

static void
key_lesson(struct tui *ui, int ch)
{
	struct screen *s = &ui->scr;

	if (s->help) {
		/* any key closes the help; q still quits */
		s->help = 0;
		ui->dirty = 1;
		if (ch == 'q')
			ui->quit = 1;
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
	case 'h':
	case KEY_F(1):
		s->help = 1;
		break;
	case 27:
		break; /* Escape: only closes the help */
	case ' ':
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
		break;
	case '[':
	case ']':
		if (ch == '[' && ui->speed > 0)
			ui->speed--;
		if (ch == ']' && ui->speed < (int)IL_ARRAY_LEN(speeds) - 1)
			ui->speed++;
		set_status(ui, "speed: %d step%s a second", speeds[ui->speed],
		    speeds[ui->speed] == 1 ? "" : "s");
		break;
	case 'r':
		if (restart(ui) != 0)
			break; /* the status says why */
		if (ui->ses.measuring)
			status_after_restart(
			    ui, "measuring again from the first run");
		else if (ui->ses.free_run)
			status_after_restart(ui, "running again");
		else
			status_after_restart(ui, "reset: seed %llu",
			    (unsigned long long)ui->ses.seed);
		break;
	case 'a':
		if (ui->ses.measuring)
			remeasure(
			    ui, "mode", ui->lesson->module->measure.all_value);
		break;
	case 't':
	case 'i':
	case 'g':
		if (ui->ses.measuring)
			remeasure_flip(ui,
			    ch == 't'       ? "kind"
			        : ch == 'i' ? "io"
			                    : "greedy");
		break;
	case 's':
		if (ui->ses.free_run) {
			set_status(ui,
			    "a free run has no seed: the operating system "
			    "schedules it (r runs it again)");
			break;
		}
		ui->ses.seed = (clock_now_ns() ^ (uint64_t)getpid()) % 1000000;
		if (restart(ui) == 0)
			status_after_restart(ui, "new seed: %llu",
			    (unsigned long long)ui->ses.seed);
		break;
	case 'u':
		if (ui->mode == SCREEN_AUTO)
			ui->mode = SCREEN_PAUSED;
		session_undo(&ui->ses, ui->status, sizeof ui->status);
		break;
	case 'n':
	case 'p':
		if (ch == 'n' && s->page + 1 < (int)ui->lesson->npages)
			s->page++, s->narr_top = 0;
		if (ch == 'p' && s->page > 0)
			s->page--, s->narr_top = 0;
		break;
	case KEY_UP:
	case KEY_DOWN:
		screen_narration_scroll(s, ch == KEY_UP ? -1 : 1);
		break;
	case KEY_PPAGE:
	case KEY_NPAGE: {
		int by = s->layout.narr_rows > 2 ? s->layout.narr_rows - 1 : 1;

		screen_narration_scroll(s, ch == KEY_PPAGE ? -by : by);
		break;
	}
	case '+':
	case '=':
		screen_zoom_in(s);
		break;
	case '-':
		screen_zoom_out(s);
		break;
	case KEY_LEFT:
		screen_scroll(s, -1);
		break;
	case KEY_RIGHT:
		screen_scroll(s, 1);
		break;
	case KEY_END:
		screen_follow(s);
		break;
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
	case KEY_HOME:
		screen_home(s);
		break;
	default:
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

static void
key_menu(struct tui *ui, int ch)
{
	size_t n = ui->args->nlessons;

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
		if (n > 0)
			lesson_open(ui, ui->menu_sel, NULL);
		break;
	default:
		if (ch >= '1' && ch <= '9' && (size_t)(ch - '1') < n) {
			ui->menu_sel = (size_t)(ch - '1');
			lesson_open(ui, ui->menu_sel, NULL);
		}
		break;
	}
	ui->dirty = 1;
}

/* The next character of input, waiting a little for it: the rest of
 * an escape sequence can come in a later read than its ESC. */
static int
getch_soon(void)
{
	struct pollfd pfd = {STDIN_FILENO, POLLIN, 0};
	int ch = getch();

	if (ch == ERR && poll(&pfd, 1, 30) > 0)
		ch = getch();
	return ch;
}

/*
 * After an ESC that curses did not turn into a key: read the rest of the
 * sequence whole, so that none of its characters is taken for a key of
 * its own (tmux's Home is ESC [ 1 ~ where TERM says otherwise, and its 1
 * would step thread A). Returns the key it stands for, 27 for a lone
 * Escape, or 0 for a sequence (or Alt and a key) that means nothing here.
 */
static int
read_escape(void)
{
	static const struct {
		const char *seq;
		int key;
	} known[] = {
	    {"[1~", KEY_HOME},
	    {"[7~", KEY_HOME},
	    {"[H", KEY_HOME},
	    {"OH", KEY_HOME},
	    {"[4~", KEY_END},
	    {"[8~", KEY_END},
	    {"[F", KEY_END},
	    {"OF", KEY_END},
	    {"[5~", KEY_PPAGE},
	    {"[6~", KEY_NPAGE},
	    {"[C", KEY_RIGHT},
	    {"[D", KEY_LEFT},
	    {"OC", KEY_RIGHT},
	    {"OD", KEY_LEFT},
	};
	char seq[32];
	size_t n = 0, i;
	int ch = getch_soon();

	if (ch == ERR)
		return 27;
	if (ch != '[' && ch != 'O')
		return 0; /* Alt and a key */
	seq[n++] = (char)ch;
	while (n < sizeof seq - 1 && (ch = getch_soon()) != ERR) {
		if (ch > 0xff)
			break; /* a key curses did know: not part of this */
		seq[n++] = (char)ch;
		/* CSI ends with a byte from @ to ~, SS3 after one byte */
		if ((ch >= 0x40 && ch <= 0x7e) || seq[0] == 'O')
			break;
	}
	seq[n] = '\0';
	for (i = 0; i < IL_ARRAY_LEN(known); i++)
		if (strcmp(seq, known[i].seq) == 0)
			return known[i].key;
	return 0;
}

static void
read_keys(struct tui *ui)
{
	int ch;

	while (!ui->quit && (ch = getch()) != ERR) {
		if (ch == 27 && (ch = read_escape()) == 0)
			continue;
		if (ch == KEY_RESIZE) {
			ui->dirty = 1;
			continue;
		}
		if (ui->lesson != NULL)
			key_lesson(ui, ch);
		else
			key_menu(ui, ch);
	}
}

/* ---- suspend, resize, signals ---- */

static void
resize(struct tui *ui)
{
	struct winsize ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 &&
	    ws.ws_col > 0)
		resize_term(ws.ws_row, ws.ws_col);
	ui->full_repaint = 1;
	ui->dirty = 1;
}

static void
suspend(struct tui *ui)
{
	struct sigaction sa, old;
	sigset_t set, oldset;
	uint64_t gap;

	if (conts != conts_at_tstp) {
		resize(ui); /* already resumed: just repaint */
		return;
	}
	ui->suspend_at = clock_now_ns();
	endwin();
	fflush(stdout);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTSTP, &sa, &old);
	sigemptyset(&set);
	sigaddset(&set, SIGTSTP);
	pthread_sigmask(SIG_UNBLOCK, &set, &oldset);
	/* Resumed while the screen was being put away? Then do not stop:
	 * the window left is a few instructions long. */
	if (conts == conts_at_tstp)
		raise(SIGTSTP); /* stops here until fg */
	pthread_sigmask(SIG_SETMASK, &oldset, NULL);
	sigaction(SIGTSTP, &old, NULL);
	gap = clock_now_ns() - ui->suspend_at;
	ui->suspended_ns += gap;
	if (ui->ses.run != NULL && !ui->ses.done)
		model_skip(ui->ses.run->m, ui->suspend_at, gap);
	ui->suspend_at = 0;
	resize(ui); /* the size may have changed meanwhile */
	reset_prog_mode();
}

static void
read_signals(struct tui *ui)
{
	unsigned char buf[64];
	ssize_t n, i;

	while ((n = read(sig_pipe[0], buf, sizeof buf)) > 0) {
		for (i = 0; i < n; i++) {
			switch (buf[i]) {
			case SIGINT:
			case SIGTERM:
			case SIGHUP:
				ui->quit = 1;
				ui->quit_signal = buf[i];
				break;
			case SIGTSTP:
				suspend(ui);
				break;
			case SIGWINCH:
			case SIGCONT:
				resize(ui);
				break;
			}
		}
	}
}

/* ---- the loop ---- */

static int
ms_until(uint64_t when, uint64_t now)
{
	if (when <= now)
		return 0;
	return (int)((when - now + 999999) / 1000000);
}

static void
loop(struct tui *ui)
{
	while (!ui->quit) {
		struct pollfd fds[3];
		nfds_t nfds = 2;
		int timeout = -1, armed = 0;
		uint64_t now = clock_now_ns();
		struct run *run = ui->lesson != NULL ? ui->ses.run : NULL;
		int live = run != NULL && !ui->ses.done;

		if (live && ui->ses.free_run) {
			if (session_pump(&ui->ses, PUMP_BUDGET) > 0 ||
			    ui->ses.done)
				ui->dirty = 1;
			if (ui->ses.measuring)
				measured_progress(ui);
			if (now >= ui->next_tick) {
				ui->dirty = 1; /* the clock moves */
				ui->next_tick = now + CLOCK_TICK_NS;
			}
		}
		if (live && ui->mode == SCREEN_AUTO && !ui->ses.free_run &&
		    now >= ui->next_auto) {
			auto_step(ui);
			ui->next_auto = now + 1000000000ull / speeds[ui->speed];
		}
		if (ui->dirty && now >= ui->next_frame)
			draw(ui);

		fds[0].fd = STDIN_FILENO;
		fds[0].events = POLLIN;
		fds[1].fd = sig_pipe[0];
		fds[1].events = POLLIN;
		run = ui->lesson != NULL ? ui->ses.run : NULL;
		live = run != NULL && !ui->ses.done;
		if (ui->dirty)
			timeout = ms_until(ui->next_frame, now);
		if (live && ui->mode == SCREEN_AUTO && !ui->ses.free_run) {
			int t = ms_until(ui->next_auto, now);

			timeout = timeout < 0 || t < timeout ? t : timeout;
		}
		if (live && ui->ses.free_run) {
			int t = ms_until(ui->next_tick, now);

			if (evq_arm(run->q)) {
				timeout = 0; /* events already waiting */
			} else {
				armed = 1;
				fds[2].fd = evq_wake_fd(run->q);
				fds[2].events = POLLIN;
				nfds = 3;
			}
			timeout = timeout < 0 || t < timeout ? t : timeout;
		}
		if (poll(fds, nfds, timeout) < 0 && errno != EINTR)
			break;
		if (armed)
			evq_disarm(run->q);
		read_signals(ui);
		if (!ui->quit)
			read_keys(ui);
	}
}

int
tui_main(const struct tui_args *args)
{
	struct tui ui;
	FILE *out;

	memset(&ui, 0, sizeof ui);
	ui.args = args;
	ui.speed = SPEED_DEFAULT;
	ui.glyphs = args->ascii ? &glyphs_ascii : &glyphs_utf8;

	saved_tio_ok = tcgetattr(STDIN_FILENO, &saved_tio) == 0;
	/* Our handlers go in first, so curses leaves these signals to us. */
	if (signals_install() != 0) {
		fprintf(stderr, "interleave: cannot create a pipe: %s\n",
		    strerror(errno));
		return 70;
	}
	out = fdopen(dup(STDOUT_FILENO), "w");
	if (out == NULL || (ui.sp = newterm(NULL, out, stdin)) == NULL) {
		signals_default();
		fprintf(stderr,
		    "interleave: cannot start the screen on this "
		    "terminal; use --headless\n");
		if (out != NULL)
			fclose(out);
		return 2;
	}
	set_term(ui.sp);
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	colours_init(&ui);
	if (args->mouse) {
		mousemask(BUTTON1_PRESSED | BUTTON1_RELEASED, NULL);
		mouseinterval(0); /* report presses at once, never as clicks */
	}
	add_restore("sgr0");
	add_restore("cnorm");
	add_restore("rmkx");
	add_restore("rmcup");
	if (args->mouse && restore_len + 16 < sizeof restore_bytes) {
		memcpy(restore_bytes + restore_len, "\033[?1000l", 8);
		restore_len += 8;
	}

	if (args->start >= 0)
		lesson_open(&ui, (size_t)args->start, args->params);
	ui.dirty = 1;
	loop(&ui);

	session_close(&ui.ses);
	endwin();
	delscreen(ui.sp);
	fclose(out);
	grid_free(ui.g);
	signals_default();
	if (ui.quit_signal != 0) {
		sigset_t set;

		sigemptyset(&set);
		sigaddset(&set, ui.quit_signal);
		pthread_sigmask(SIG_UNBLOCK, &set, NULL);
		raise(ui.quit_signal);
	}
	return 0;
}
