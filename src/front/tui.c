/*
 * The curses front end. One thread (the caller of tui_main) owns curses,
 * the run and the model; workers only push events. The loop sleeps in
 * poll() on the terminal, a self-pipe for signals and, during a free run,
 * the event queue's wake descriptor. While events flow it redraws at most
 * 30 times a second; when nothing can change it sets no timer at all.
 */
#include "config.h"

#include "exit.h"
#include "tui.h"
#include "tui_impl.h"

#include <curses.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <term.h>
#include <unistd.h>

#include "conductor.h"
#include "evq.h"
#include "grid.h"
#include "run.h"
#include "sampler.h"
#include "screen.h"
#include "session.h"
#include "trace_file.h"
#include "util.h"

#define FRAME_NS      (1000000000ull / 30)
#define CLOCK_TICK_NS (100000000ull) /* free-run clock redraw */
#define PUMP_BUDGET   200000         /* events moved per loop turn */
#define LONG_RUN_MS   60000          /* say so before a run this long */

const int tui_speeds[] = {1, 2, 5, 10, 20, 50, 100, 500};
const size_t tui_nspeeds = IL_ARRAY_LEN(tui_speeds);
#define SPEED_DEFAULT 2 /* index: 5 steps a second */

/* ---- drawing ---- */

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

/* The plan's earlier run, to compare, on the screen struct. */
static void
screen_fill_prev(struct tui *ui)
{
	struct screen *s = &ui->scr;
	const struct measured *pm;
	char took[32];

	s->prev = NULL;
	if (ui->ses.prev == NULL)
		return;
	pm = &ui->ses.meas.res[ui->ses.prev_index];
	screen_duration((uint64_t)pm->wall_ms, took, sizeof took);
	snprintf(
	    ui->prev_title, sizeof ui->prev_title, "%s, %s", pm->name, took);
	s->prev = ui->ses.prev->m;
	s->prev_title = ui->prev_title;
	s->prev_pids =
	    run_lane_pids(ui->ses.prev, ui->prev_pids) ? ui->prev_pids : NULL;
}

/* Tell the screen what to draw: the lesson, its run and the status. */
static void
screen_fill(struct tui *ui)
{
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
	s->result =
	    ui->ses.done && ui->ses.words[0] != '\0' ? ui->ses.words : NULL;
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
		s->ncpus = s->model->ncpus > sampler_cpus() ? s->model->ncpus
		                                            : sampler_cpus();
		s->pids = lane_pids(ui);
	}
	screen_fill_prev(ui);
	if (run != NULL && ui->ses.free_run &&
	    ui->lesson->module->progress != NULL)
		ui->lesson->module->progress(
		    run, &s->progress_done, &s->progress_total);
	s->speed = tui_speeds[ui->speed];
	ui->alert[0] = '\0';
	if (run != NULL && ui->lesson->module->alert != NULL &&
	    ui->lesson->module->alert(run, ui->alert, sizeof ui->alert) == 0)
		ui->alert[0] = '\0';
	s->alert = ui->alert;
	tui_coach_fill(ui);
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
	if (ui->ex != NULL) {
		explorer_draw(ui, ui->g);
	} else if (ui->lesson == NULL) {
		tui_course_draw(ui, ui->g);
	} else {
		screen_fill(ui);
		if (ui->scr.model != NULL) {
			screen_draw(ui->g, &ui->scr);
			tui_course_page_seen(ui);
		}
	}
	tui_flush_grid(ui);
	ui->dirty = 0;
	ui->next_frame = clock_now_ns() + FRAME_NS;
}

/* ---- the run ---- */

void
set_status(struct tui *ui, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ui->status, sizeof ui->status, fmt, ap);
	va_end(ap);
	ui->dirty = 1;
}

/* Keep a step's message for the log panel. */
void
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
int
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
	tui_record(ui, REC_START);
	if (ui->mode == SCREEN_AUTO)
		ui->mode = SCREEN_PAUSED;
	/* a plan of runs runs free, whatever ran before it */
	if (ui->ses.free_run)
		ui->mode = SCREEN_FREE;
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

/* Set the status line after a restart, keeping what it said of a run
 * that will take minutes. */
void
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
	const char *hint;

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
		hint = ms->plan->hint;
		set_status(ui, "measured %d runs: see the table; %s%sr: again",
		    ms->n, hint != NULL ? hint : "", hint != NULL ? ", " : "");
	}
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
		if (ui->ex != NULL)
			explorer_key(ui, ch);
		else if (ui->lesson != NULL)
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

	if (tui_resumed()) {
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
	if (!tui_resumed())
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

	while ((n = read(tui_signal_fd(), buf, sizeof buf)) > 0) {
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

/* Move the session on by what is due at now: pump the run's events in
 * free run, take an automatic step, draw a frame when one is due. */
static void
loop_advance(struct tui *ui, uint64_t now)
{
	struct run *run = ui->lesson != NULL ? ui->ses.run : NULL;
	int live = run != NULL && !ui->ses.done;

	if (live && ui->ses.free_run) {
		if (session_pump(&ui->ses, PUMP_BUDGET) > 0 || ui->ses.done)
			ui->dirty = 1;
		tui_coach_poll(ui);
		if (ui->ses.measuring)
			measured_progress(ui);
		else if (ui->ses.done && ui->ses.run != NULL &&
		    ui->ses.run->timed_out)
			set_status(ui,
			    "the run was stopped by its timeout: it could not "
			    "finish (r runs it again)");
		if (now >= ui->next_tick) {
			ui->dirty = 1; /* the clock moves */
			ui->next_tick = now + CLOCK_TICK_NS;
		}
	}
	tui_demo_advance(ui, now);
	if (live && ui->mode == SCREEN_AUTO && !ui->ses.free_run &&
	    now >= ui->next_auto) {
		auto_step(ui);
		ui->next_auto = now + 1000000000ull / tui_speeds[ui->speed];
	}
	explorer_poll(ui);
	if (ui->dirty && now >= ui->next_frame)
		draw(ui);
}

/* Sleep in poll() until a key, a signal, the next frame, automatic step
 * or clock tick, or (in free run) the run's next event: 0, or -1 if
 * poll() failed. */
static int
loop_wait(struct tui *ui, uint64_t now)
{
	struct pollfd fds[3];
	nfds_t nfds = 2;
	int timeout = -1, armed = 0;
	struct run *run = ui->lesson != NULL ? ui->ses.run : NULL;
	int live = run != NULL && !ui->ses.done;

	fds[0].fd = STDIN_FILENO;
	fds[0].events = POLLIN;
	fds[1].fd = tui_signal_fd();
	fds[1].events = POLLIN;
	if (ui->dirty || explorer_busy(ui))
		timeout = ms_until(ui->next_frame, now);
	if (live && ui->mode == SCREEN_AUTO && !ui->ses.free_run) {
		int t = ms_until(ui->next_auto, now);

		timeout = timeout < 0 || t < timeout ? t : timeout;
	}
	if (live && ui->ses.free_run) {
		int t = ms_until(ui->next_tick, now);

		/* With a frame already due, new events wait for it in the
		 * queue (producers wait, never drop, while it is full), so a
		 * busy run wakes this thread about once a frame rather than
		 * once per burst of events. */
		if (ui->dirty) {
			/* the frame's timeout above */
		} else if (evq_arm(run->q)) {
			timeout = 0; /* events already waiting */
		} else {
			armed = 1;
			fds[2].fd = evq_wake_fd(run->q);
			fds[2].events = POLLIN;
			nfds = 3;
		}
		timeout = timeout < 0 || t < timeout ? t : timeout;
	}
	timeout = tui_demo_timeout(ui, now, timeout);
	if (poll(fds, nfds, timeout) < 0 && errno != EINTR)
		return -1;
	if (armed)
		evq_disarm(run->q);
	return 0;
}

/* Run the screen until the user or a signal quits. */
static void
loop(struct tui *ui)
{
	while (!ui->quit) {
		uint64_t now = clock_now_ns();

		loop_advance(ui, now);
		if (loop_wait(ui, now) != 0)
			break;
		read_signals(ui);
		if (!ui->quit)
			read_keys(ui);
	}
}

/* Put the terminal in the screen's modes, and note how to undo them
 * should the program die. */
static void
curses_setup(struct tui *ui)
{
	set_term(ui->sp);
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	tui_colours_init(ui);
	if (ui->args->mouse) {
		mousemask(BUTTON1_PRESSED | BUTTON1_RELEASED, NULL);
		mouseinterval(0); /* report presses at once, never as clicks */
	}
	tui_add_restore("sgr0");
	tui_add_restore("cnorm");
	tui_add_restore("rmkx");
	tui_add_restore("rmcup");
	if (ui->args->mouse)
		tui_add_restore_bytes("\033[?1000l", 8);
}

int
tui_main(const struct tui_args *args)
{
	struct tui ui;
	FILE *out;
	size_t i;
	int rc;

	memset(&ui, 0, sizeof ui);
	ui.args = args;
	ui.speed = SPEED_DEFAULT;
	/* --speed: the fastest speed not above it */
	for (i = 0; args->speed > 0 && i < tui_nspeeds; i++)
		if (tui_speeds[i] <= args->speed)
			ui.speed = (int)i;
	ui.glyphs = args->ascii ? &glyphs_ascii : &glyphs_utf8;

	tui_save_terminal();
	/* Our handlers go in first, so curses leaves these signals to us. */
	if (tui_signals_install() != 0) {
		fprintf(stderr, "interleave: cannot create a pipe: %s\n",
		    strerror(errno));
		return EXIT_SOFTWARE;
	}
	out = fdopen(dup(STDOUT_FILENO), "w");
	if (out == NULL || (ui.sp = newterm(NULL, out, stdin)) == NULL) {
		tui_signals_default();
		fprintf(stderr,
		    "interleave: cannot start the screen on this "
		    "terminal; use --headless\n");
		if (out != NULL)
			fclose(out);
		return EXIT_USAGE;
	}
	curses_setup(&ui);
	tui_progress_open(&ui);
	tui_course_open(&ui);

	if (args->record != NULL && args->start >= 0) {
		recording_init(&ui.rec, args->lessons[args->start]->id);
		ui.rec_on = 1;
	}
	if (args->start >= 0)
		lesson_open(&ui, (size_t)args->start, args->params);
	if (args->start >= 0 && (args->demo || args->replay != NULL))
		tui_demo_open(&ui);
	ui.dirty = 1;
	loop(&ui);

	explorer_close(&ui);
	session_close(&ui.ses);
	tui_course_close(&ui);
	tui_progress_close(&ui);
	endwin();
	delscreen(ui.sp);
	fclose(out);
	grid_free(ui.g);
	tui_signals_default();
	rc = ui.quit_signal == 0 ? tui_record_save(&ui) : 0;
	tui_demo_close(&ui);
	if (ui.quit_signal != 0) {
		sigset_t set;

		/* a signal ends the program: no trace file */
		trace_file_discard(args->trace);
		sigemptyset(&set);
		sigaddset(&set, ui.quit_signal);
		pthread_sigmask(SIG_UNBLOCK, &set, NULL);
		raise(ui.quit_signal);
	}
	return rc;
}
