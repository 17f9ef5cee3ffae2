/*
 * Playing a recording on a session (see player.h).
 */
#include "config.h"

#include "player.h"

#include <stdio.h>
#include <string.h>

#include "schedule.h"
#include "session.h"

int
player_from_demo(struct player *p, const struct lesson *l,
    const struct session *s, const char *const *dirs, char *err, size_t errlen)
{
	struct schedule sch;
	size_t i;

	memset(p, 0, sizeof *p);
	if (lesson_demo_load(l, dirs, &sch, err, errlen) != SCHEDULE_OK)
		return -1;
	recording_init(&p->rec, l->id);
	recording_add(&p->rec, REC_START, s);
	for (i = 0; i < sch.n; i++) {
		struct rec_event *e = recording_push(&p->rec);

		e->kind = REC_STEP;
		e->thread = sch.items[i];
	}
	schedule_free(&sch);
	p->demo = &l->demo;
	return 0;
}

void
player_from_recording(struct player *p, const struct recording *rec)
{
	size_t i;

	memset(p, 0, sizeof *p);
	recording_init(&p->rec, rec->lesson);
	for (i = 0; i < rec->n; i++)
		*recording_push(&p->rec) = rec->ev[i];
}

void
player_free(struct player *p)
{
	recording_free(&p->rec);
	memset(p, 0, sizeof *p);
}

int
player_at_end(const struct player *p)
{
	return p->pos >= p->rec.n;
}

/* Do event e. */
static int
player_do(struct session *s, const struct player_hooks *h,
    const struct rec_event *e, char *msg, size_t msglen)
{
	if (e->kind == REC_START && h != NULL && h->start != NULL)
		return h->start(h->ctx, e, msg, msglen);
	if (recording_apply(s, e, msg, msglen) != 0)
		return -1;
	if ((e->kind == REC_STEP || e->kind == REC_AUTO) && h != NULL &&
	    h->stepped != NULL)
		h->stepped(h->ctx, msg);
	return 0;
}

int
player_forward(struct player *p, struct session *s,
    const struct player_hooks *h, char *msg, size_t msglen)
{
	if (player_at_end(p)) {
		snprintf(msg, msglen, "at the end");
		return -1;
	}
	if (player_do(s, h, &p->rec.ev[p->pos], msg, msglen) != 0)
		return -1;
	p->pos++;
	return 0;
}

int
player_back(struct player *p, struct session *s, const struct player_hooks *h,
    char *msg, size_t msglen)
{
	const struct rec_event *e;
	size_t from, i;

	if (p->pos <= 1) {
		snprintf(msg, msglen, "at the start");
		return -1;
	}
	e = &p->rec.ev[p->pos - 1];
	if (e->kind == REC_STEP || e->kind == REC_AUTO) {
		if (session_undo(s, msg, msglen) != 0)
			return -1;
	} else {
		/* an undo or redo is not undone by its opposite: the redo
		 * list may hold other steps by now */
		for (from = p->pos - 2; from > 0; from--)
			if (p->rec.ev[from].kind == REC_START)
				break;
		for (i = from; i < p->pos - 1; i++)
			if (player_do(s, h, &p->rec.ev[i], msg, msglen) != 0)
				return -1;
	}
	p->pos--;
	return 0;
}

const struct lesson_stop *
player_stop(const struct player *p, const struct session *s)
{
	const struct lesson_demo *d = p->demo;
	size_t i;

	for (i = 0; d != NULL && i < d->nstops; i++)
		if (d->stops[i].step == (long)s->nhist)
			return &d->stops[i];
	return NULL;
}
