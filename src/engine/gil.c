/* The simulated GIL. */
#include "gil.h"

#include <time.h>

#include "util.h"
#include "worker.h"

void
gil_init(struct gil *g, struct il_lock *lk, uint64_t switch_ns, int line)
{
	pthread_mutex_init(&g->m, NULL);
	pthread_cond_init(&g->cv, NULL);
	g->holder = -1;
	g->waiting = 0;
	g->takes = 0;
	g->lk = lk;
	g->switch_ns = switch_ns;
	g->line = line;
}

void
gil_destroy(struct gil *g)
{
	pthread_mutex_destroy(&g->m);
	pthread_cond_destroy(&g->cv);
}

/* Wait on the GIL's condition for at most ms (so cancel is noticed);
 * called with g->m held. */
static void
gil_wait(struct gil *g, long ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += ms * 1000 * 1000;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_cond_timedwait(&g->cv, &g->m, &ts);
}

int
gil_take(struct gil *g, struct il_worker *w)
{
	int waited = 0;

	pthread_mutex_lock(&g->m);
	if (g->holder != -1) {
		waited = 1;
		il_lock_report(w, g->lk, IL_LOCK_REQUESTED, g->line);
		il_lock_report(w, g->lk, IL_LOCK_WAITING, g->line);
	}
	g->waiting++;
	while (g->holder != -1 && !il_cancelled(w))
		gil_wait(g, 50);
	g->waiting--;
	if (il_cancelled(w)) {
		pthread_mutex_unlock(&g->m);
		return -1;
	}
	g->holder = w->id;
	g->takes++;
	pthread_cond_broadcast(&g->cv); /* a forced switch waits on takes */
	pthread_mutex_unlock(&g->m);
	/* Reported after taking it and before letting go (gil_drop), so the
	 * event stream's holding intervals lie inside the real ones. */
	if (!waited)
		il_lock_report(w, g->lk, IL_LOCK_REQUESTED, g->line);
	il_lock_report(w, g->lk, IL_LOCK_TAKEN, g->line);
	il_state(w, w->id, TS_RUNNING, g->line);
	return 0;
}

void
gil_drop(struct gil *g, struct il_worker *w)
{
	il_lock_report(w, g->lk, IL_LOCK_RELEASED, g->line);
	pthread_mutex_lock(&g->m);
	g->holder = -1;
	pthread_cond_broadcast(&g->cv);
	pthread_mutex_unlock(&g->m);
}

int
gil_maybe_switch(
    struct gil *g, struct il_worker *w, uint64_t *held_since, uint64_t now)
{
	uint64_t takes;
	int want;

	if (now - *held_since < g->switch_ns)
		return 0;
	pthread_mutex_lock(&g->m);
	want = g->waiting > 0;
	pthread_mutex_unlock(&g->m);
	if (!want) {
		*held_since = now;
		return 0;
	}
	il_lock_report(w, g->lk, IL_LOCK_RELEASED, g->line);
	pthread_mutex_lock(&g->m);
	g->holder = -1;
	takes = g->takes;
	pthread_cond_broadcast(&g->cv);
	while (g->takes == takes && g->waiting > 0 && !il_cancelled(w))
		gil_wait(g, 20);
	pthread_mutex_unlock(&g->m);
	if (gil_take(g, w) != 0)
		return -1;
	*held_since = clock_now_ns();
	return 0;
}
