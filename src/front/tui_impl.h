/*
 * What the curses front end's files share: the front end's state and the
 * calls between the loop (tui.c) and the key handling (tui_keys.c). Only
 * the thread that runs tui_main touches any of it.
 */
#ifndef IL_TUI_IMPL_H
#define IL_TUI_IMPL_H

/* Ctrl-R: redo the step undo took back. */
#define TUI_KEY_REDO 0x12

#include <curses.h>
#include <stddef.h>
#include <stdint.h>

#include "coach.h"
#include "conductor.h"
#include "player.h"
#include "recording.h"
#include "screen.h"
#include "session.h"
#include "tui.h"

struct progress;
struct tui_course;
struct tui_explore;

/* The demo and replay player on the screen (tui_demo.c). */
struct tui_player {
	int active;  /* playing or paused; 0 once it ends */
	int playing; /* 0: paused (by the student or at a stop) */
	struct player pl;
	uint64_t next; /* when the next event is due while playing */
};

/* The coach on the lesson screen (tui_coach.c). */
struct tui_coach {
	struct coach c;
	enum screen_card card; /* the card open, if any */
	int index;             /* the prediction or quiz on it */
	int sel;
	int picked; /* a quiz: the choice picked, or -1 */
	char typed[LESSON_WORD_MAX];
	const char *choices[LESSON_MAX_CHOICES];
	unsigned long long marks; /* before the step: lost-update marks */
	int cycle;                /* and the deadlock cycle's length */
	unsigned polled;          /* a free run's end looked at, + 1 */
	char text[SCREEN_COACH_LINES][256];
	char title[256];
	struct screen_coach view;
};

/* The front end's state. */
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
	char alert[256];     /* the lesson's alert for the run on screen */
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

	/* The student's progress (loaded at the start, saved as it grows),
	 * or NULL if its folder cannot be used; notice holds what the
	 * student must be told about it ("" if nothing). */
	struct progress *progress;
	char notice[512];

	struct tui_coach tc;

	/* the explorer's screen, over the lesson's, or NULL */
	struct tui_explore *ex;

	struct tui_player play;
	/* --record: what the session did so far (rec_on: recording) */
	struct recording rec;
	int rec_on;

	struct tui_course *course; /* the menu's lessons, in course order */
	size_t menu_sel;           /* a place in the course */
	int dirty;
	int full_repaint;
	uint64_t next_frame;
	uint64_t next_auto;
	uint64_t next_tick;
	int quit;
	int quit_signal;
};

/* Auto-run speeds in steps a second; ui->speed indexes them. */
extern const int tui_speeds[];
extern const size_t tui_nspeeds;

/* tui.c: the status line and the log panel. */
void set_status(struct tui *, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void log_add(struct tui *, const char *msg);
/* Start the session's run again; 0, or -1 with why in the status. */
int restart(struct tui *);
/* The status after a restart (keeping its long-run warning). */
void status_after_restart(struct tui *, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* tui_term.c: signals, terminal restore, colours, the grid. */
/* Install the handlers and the self-pipe; 0, or -1 (errno set). */
int tui_signals_install(void);
void tui_signals_default(void);
/* The self-pipe's read end: each caught signal is one byte. */
int tui_signal_fd(void);
/* 1 if a SIGCONT came after the last SIGTSTP (already resumed). */
int tui_resumed(void);
/* Remember the terminal's modes, to restore on a crash. */
void tui_save_terminal(void);
/* Add terminfo capability cap (or raw bytes) to what a crash writes. */
void tui_add_restore(const char *cap);
void tui_add_restore_bytes(const char *bytes, size_t n);
void tui_colours_init(struct tui *);
/* Write the grid to the curses screen. */
void tui_flush_grid(struct tui *);

/* tui_keys.c: open and close a lesson, step, and the keys. */
void lesson_open(struct tui *, size_t i, const long *params);
void lesson_close(struct tui *);
void auto_step(struct tui *);
void key_lesson(struct tui *, int ch);
void key_menu(struct tui *, int ch);

/* tui_demo.c: --demo and --replay, and --record. */
/* Open the player on the lesson on screen (args->demo or args->replay);
 * 0, or -1 with why in the status line. */
int tui_demo_open(struct tui *);
/* Play the next event when one is due at now. */
void tui_demo_advance(struct tui *, uint64_t now);
/* timeout (ms, -1: none) shortened to the player's next event. */
int tui_demo_timeout(const struct tui *, uint64_t now, int timeout);
/* The player's keys while it runs: 1 if it took ch. */
int tui_demo_key(struct tui *, int ch);
void tui_demo_close(struct tui *);
/* --record: note what just happened to the session (no-op without). */
void tui_record(struct tui *, enum rec_kind);
/* --record: write the file at the end; 0, or the exit status. */
int tui_record_save(struct tui *);

/* tui_progress.c: the student's progress. */
/* Load it (a file set aside or unusable puts a sentence in notice). */
void tui_progress_open(struct tui *);
/* Save what was recorded since the last save; a failure is said in the
 * status line (and the records are kept, for the next save). */
void tui_progress_save(struct tui *);
void tui_progress_close(struct tui *);

/* tui_course.c: the course menu. */
/* Put the lessons in course order (once, after tui_progress_open). */
void tui_course_open(struct tui *);
void tui_course_close(struct tui *);
/* The lessons in the course, and the lesson index of place i. */
size_t tui_course_count(const struct tui *);
size_t tui_course_lesson(const struct tui *, size_t i);
/* Draw the menu with what the progress says now. */
void tui_course_draw(struct tui *, struct grid *);
/* Record the lesson page on screen as seen, and save, if it is further
 * than any seen before. */
void tui_course_page_seen(struct tui *);
/* tui_coach.c: predictions, quizzes, challenges and hints. */
void tui_coach_open(struct tui *);
/* The coach's keys (a card's, Enter, c, h, v) and its checks on the
 * run's keys: 1 if it took ch (or refused it, saying why). */
int tui_coach_key(struct tui *, int ch);
/* Whether a challenge lets another step be taken (else the status
 * says why). */
int tui_coach_may_step(struct tui *);
/* Around each step: before it, and after it (a win, a page to turn). */
void tui_coach_before(struct tui *);
void tui_coach_stepped(struct tui *);
/* Each loop of a free run: its end, once. */
void tui_coach_poll(struct tui *);
/* Fill ui->scr.coach for the frame. */
void tui_coach_fill(struct tui *);

/* tui_explore.c: the explorer's screen. */
/* e: explore the lesson on screen (or say why it cannot be). */
void explorer_open(struct tui *);
/* Leave the explorer's screen: cancel it if it runs, join, free. */
void explorer_close(struct tui *);
/* Notice the end of the exploration; 1 while it runs (so a frame is due
 * each frame time). */
int explorer_poll(struct tui *);
/* 1 while an exploration runs: the loop then wakes each frame time. */
int explorer_busy(const struct tui *);
void explorer_draw(struct tui *, struct grid *);
void explorer_key(struct tui *, int ch);

#endif
