/*
 * Recordings of a lesson session (--record, --replay): the lesson, each
 * start of its run (seed, parameters, free or stepped) and every step,
 * undo and redo, in a small versioned text format (see interleave(1)):
 *
 *   interleave-recording 1
 *   lesson race
 *   start seed=1 free=0 threads=2 iterations=1
 *   step 1
 *   auto 2
 *   undo
 *   redo
 *   end 5
 *
 * Threads are 1-based in the file and 0-based in memory; "end N" counts
 * the lines between the header and itself, so a cut file is noticed. No
 * curses: the player (tui_demo.c) and the tests use it alike.
 */
#ifndef IL_RECORDING_H
#define IL_RECORDING_H

#include <stddef.h>
#include <stdint.h>

#include "lesson.h"

#define RECORDING_VERSION  1
#define RECORDING_NAME_MAX 64

struct session;

enum rec_kind { REC_START, REC_STEP, REC_AUTO, REC_UNDO, REC_REDO };

struct rec_event {
	enum rec_kind kind;
	int thread; /* STEP, AUTO: 0-based */
	int line;   /* where it was read, 0 if not read */
	/* START: the run's settings; params are all of the module's */
	uint64_t seed;
	int free_run;
	long params[MODULE_MAX_PARAMS];
	/* START as read, until recording_bind() resolves the names */
	char pname[MODULE_MAX_PARAMS][RECORDING_NAME_MAX];
	long pval[MODULE_MAX_PARAMS];
	size_t np;
};

struct recording {
	char lesson[RECORDING_NAME_MAX]; /* the lesson's id */
	char *path;                      /* the file read, for messages */
	struct rec_event *ev;
	size_t n, cap;
};

/* An empty recording of the lesson with this id. */
void recording_init(struct recording *, const char *lesson_id);
void recording_free(struct recording *);

/* Room for one more event at the end, zeroed. */
struct rec_event *recording_push(struct recording *);

/* Note what just happened to s: a START takes its seed, parameters and
 * mode, a STEP or AUTO the thread of its last step. */
void recording_add(struct recording *, enum rec_kind, const struct session *s);

/* Write rec for lesson l to path: a temporary file beside it renamed
 * into place, so path holds the old file or the whole new one. 0, or -1
 * with why in err. */
int recording_save(const struct recording *rec, const struct lesson *l,
    const char *path, char *err, size_t errlen);

/* Read path into rec (the names of parameters left unresolved). 0, or -1
 * with "FILE:LINE: message" in err. */
int recording_load(
    const char *path, struct recording *rec, char *err, size_t errlen);

/* Check rec against its lesson l: every parameter is one of l's module,
 * every thread one of the run's. 0, or -1 with "FILE:LINE: message". */
int recording_bind(
    struct recording *rec, const struct lesson *l, char *err, size_t errlen);

/* Do event e to session s. 0 with what happened in msg, or -1 with why
 * not (the replay cannot go on). */
int recording_apply(
    struct session *s, const struct rec_event *e, char *msg, size_t msglen);

#endif
