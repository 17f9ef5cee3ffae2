/*
 * The curses front end's terminal: the signal handlers and the bytes
 * that restore the terminal if the program dies (async-signal-safe), the
 * check that the terminal can show the screen, and the colours and the
 * cell grid written through curses.
 */
#include "config.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <term.h>
#include <termios.h>
#include <unistd.h>

#include "tui_impl.h"
#include "util.h"

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

void
tui_add_restore(const char *cap)
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

int
tui_signals_install(void)
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

void
tui_signals_default(void)
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

/* ---- colours and the grid on the terminal ---- */

/* Okabe-Ito colours in the xterm 256-colour cube, then 8-colour fallbacks;
 * the attribute without colour, and the one added to the colour. */
struct role_colour {
	short c256;
	short c8;
	attr_t mono;
	attr_t extra;
};

#define C8_DEFAULT (-1)
#define C8_RED     COLOR_RED
#define C8_GREEN   COLOR_GREEN
#define C8_YELLOW  COLOR_YELLOW
#define C8_BLUE    COLOR_BLUE
#define C8_CYAN    COLOR_CYAN
#define STATE_THEME(                                                           \
    st, utf8, ascii, role, legend, name, rank, c256, c8, mono, extra)          \
	[ROLE_##role] = {c256, C8_##c8, A_##mono, A_##extra},

static const struct role_colour role_colours[ROLE_COUNT] = {
    [ROLE_DEFAULT] = {-1, -1, A_NORMAL, A_NORMAL},
    [ROLE_TITLE] = {-1, -1, A_REVERSE | A_BOLD, A_REVERSE | A_BOLD},
    [ROLE_LABEL] = {-1, -1, A_BOLD, A_BOLD},
    [ROLE_RULER] = {-1, -1, A_NORMAL, A_NORMAL},
    [ROLE_LOST] = {175, COLOR_MAGENTA, A_REVERSE | A_BOLD,
        A_BOLD},                                          /* reddish purple */
    [ROLE_WARNING] = {214, COLOR_YELLOW, A_BOLD, A_BOLD}, /* orange */
    [ROLE_CODE] = {74, COLOR_CYAN, A_BOLD, A_NORMAL},     /* sky blue */
    [ROLE_EMPH] = {-1, -1, A_ITALIC, A_ITALIC},
    [ROLE_STRONG] = {-1, -1, A_BOLD, A_BOLD},
    [ROLE_WON] = {220, COLOR_YELLOW, A_BOLD, A_BOLD},       /* gold */
    [ROLE_LESSON_DONE] = {36, COLOR_GREEN, A_BOLD, A_BOLD}, /* bluish green */
    THREAD_STATES(STATE_THEME)};

void
tui_colours_init(struct tui *ui)
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

void
tui_flush_grid(struct tui *ui)
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

int
tui_signal_fd(void)
{
	return sig_pipe[0];
}

int
tui_resumed(void)
{
	return conts != conts_at_tstp;
}

void
tui_save_terminal(void)
{
	saved_tio_ok = tcgetattr(STDIN_FILENO, &saved_tio) == 0;
}

void
tui_add_restore_bytes(const char *bytes, size_t n)
{
	if (restore_len + n + 8 < sizeof restore_bytes) {
		memcpy(restore_bytes + restore_len, bytes, n);
		restore_len += n;
	}
}
