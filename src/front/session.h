/*
 * A lesson session: the run on screen, the steps taken so far, and what
 * the keys do to it (step, auto-step, undo, reset). No curses, so it is
 * unit-tested directly; tui.c only maps keys to these calls.
 *
 * Undo replays every step but the last on fresh threads with the same
 * seed. Steps the random policy chose are chosen by it again, so its
 * generator ends where it would have been had the step never been taken.
 */
#ifndef IL_SESSION_H
#define IL_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include "lesson.h"
#include "measure.h"
#include "run.h"

struct trace_file;

struct session_step {
	int thread;
	int autopick; /* chosen by the random policy */
};

struct session {
	const struct lesson *lesson;
	long params[MODULE_MAX_PARAMS];
	int free_run;
	uint64_t seed;
	struct run *run; /* NULL if the last start failed */
	int done;        /* every worker finished and was joined */
	char verdict[512];
	char words[256]; /* the result in words, or "" */
	struct session_step *hist;
	size_t nhist, caphist;
	size_t max_hist; /* steps recorded for undo */
	/* Steps taken back with undo, the last undone last: redo takes
	 * them again, a new step forgets them, and so does a fresh start
	 * (other than undo's own). */
	struct session_step *redo;
	size_t nredo, capredo;
	int redoing;  /* a step redo takes (which keeps the rest) */
	int overflow; /* more steps than that: undo is off */
	/* A measuring lesson (free runs only) runs its planned modes one
	 * after another; meas holds the results so far. */
	int measuring;
	struct measure_set meas;
	/* The plan's run before the one going now, kept (joined, its
	 * model whole) so a tall screen can show it; NULL if none. */
	struct run *prev;
	int prev_index;      /* its place in the plan */
	unsigned generation; /* counts runs started, so a new one is seen */
	/* --trace, or NULL: session_close adds the run on screen (and a
	 * plan's run before it) to it. Set after session_init. */
	struct trace_file *trace;
};

/* Set up s for a lesson (no run yet). */
void session_init(struct session *, const struct lesson *, const long *params,
    int free_run, uint64_t seed);
/* End the run (cancel, join) and free everything. */
void session_close(struct session *);

/* Start the run afresh with s->seed (a measuring lesson: its first
 * planned mode, with the results cleared). 0, or -1 with a message in
 * msg. */
int session_start(struct session *, char *msg, size_t msglen);

/* About how long a free run (or a measuring lesson's whole plan) with
 * the session's parameters takes, in ms; 0 if unknown or stepped. */
uint64_t session_estimate_ms(const struct session *);

/* Let thread t take one step. 0 with what happened in msg, or -1 with why
 * it could not ("B has finished", "B is waiting for lock m, held by A"). */
int session_step(struct session *, int t, char *msg, size_t msglen);
/* The same with the thread the seeded random policy picks. */
int session_auto_step(struct session *, char *msg, size_t msglen);
/* Take back the last step. 0, or -1 with why in msg. */
int session_undo(struct session *, char *msg, size_t msglen);
/* Take again the last step undo took back. 0, or -1 with why in msg. */
int session_redo(struct session *, char *msg, size_t msglen);

/* Free runs: move queued events into the model (at most max) and notice
 * the end of the run. Returns the events moved. */
size_t session_pump(struct session *, size_t max);

/* Say what thread t's step just did ("step 6: B stored counter=1,
 * overwriting A's update: a lost update"); marks_before is the model's
 * mark count before the step. */
void session_describe(const struct lesson_module *, const struct model *, int t,
    uint64_t marks_before, char *msg, size_t msglen);

/* Notice that every worker has finished: join them, compute the verdict.
 * A measuring lesson records the result and starts its next planned run,
 * if any. Returns s->done. */
int session_check_done(struct session *);

#endif
