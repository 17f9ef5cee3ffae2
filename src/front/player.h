/*
 * Playing a recording on a session, for --demo and --replay: the events
 * done so far (pos), one more, or one taken back, and the demo's stop at
 * the session's step. No curses: tui_demo.c adds the clock, the keys and
 * the screen, and the tests drive it directly.
 */
#ifndef IL_PLAYER_H
#define IL_PLAYER_H

#include <stddef.h>

#include "recording.h"

struct session;

struct player {
	struct recording rec;
	size_t pos;                     /* events done */
	const struct lesson_demo *demo; /* its stops; NULL for a replay */
};

/* How the caller does what a session alone cannot: start (restart the
 * run with the event's settings; NULL: recording_apply) and stepped
 * (a step was taken, with what it did; may be NULL). */
struct player_hooks {
	int (*start)(void *ctx, const struct rec_event *e, char *msg, size_t);
	void (*stepped)(void *ctx, const char *msg);
	void *ctx;
};

/* The demo of lesson l as events: s's run as it is (its seed and
 * parameters), then each of the demo's steps, its schedule found in
 * dirs. 0, or -1 with why in err. */
int player_from_demo(struct player *, const struct lesson *l,
    const struct session *s, const char *const *dirs, char *err, size_t errlen);
/* A copy of recording rec to play. */
void player_from_recording(struct player *, const struct recording *rec);
void player_free(struct player *);

/* 1 once every event is done. */
int player_at_end(const struct player *);
/* Do the next event. 0 with what happened in msg, or -1 with why not. */
int player_forward(struct player *, struct session *,
    const struct player_hooks *, char *msg, size_t msglen);
/* Take back the last event done: a step with undo, anything else by
 * doing again every event since the start before it. 0, or -1 with why
 * not in msg (at the first event, nothing to take back). */
int player_back(struct player *, struct session *, const struct player_hooks *,
    char *msg, size_t msglen);
/* The demo's stop at the session's step, or NULL. */
const struct lesson_stop *player_stop(
    const struct player *, const struct session *);

#endif
