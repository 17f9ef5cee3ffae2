/* The trace log: see tracelog.h. */
#include <stdlib.h>

#include "tracelog.h"
#include "util.h"

struct tracelog *
tracelog_new(void)
{
	return xcalloc(1, sizeof(struct tracelog));
}

void
tracelog_free(struct tracelog *lg)
{
	if (lg == NULL)
		return;
	free(lg->recs);
	free(lg);
}

/* 1 if a trace draws ev: a state, a lock handed on, a lost update. */
static int
tracelog_wanted(const struct event *ev)
{
	switch (ev->kind) {
	case EV_THREAD_START:
	case EV_THREAD_END:
	case EV_STATE:
	case EV_LOCK_ACQ:
	case EV_LOCK_REL:
		return 1;
	case EV_STORE:
		return (ev->a & EV_STORE_OVERWROTE) != 0;
	case EV_MARK:
		return ev->a == MARK_OVERWROTE && ev->b > 0;
	default:
		return 0;
	}
}

void
tracelog_add(struct tracelog *lg, const struct event *ev, uint64_t t)
{
	if (!tracelog_wanted(ev))
		return;
	if (lg->n == TRACELOG_MAX) {
		lg->dropped++;
		return;
	}
	if (lg->n == lg->cap) {
		lg->cap = lg->cap ? lg->cap * 2 : 256;
		lg->recs = xrealloc(lg->recs, lg->cap * sizeof *lg->recs);
	}
	lg->recs[lg->n].t = t;
	lg->recs[lg->n].ev = *ev;
	lg->n++;
}
