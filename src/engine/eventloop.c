/* The cooperative event loop. */
#include "eventloop.h"

#include <poll.h>
#include <sched.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "util.h"
#include "worker.h"

#define EVENTLOOP_POLL_MS 50 /* longest sleep, to notice a cancel */

void
eventloop_init(struct eventloop *el, struct il_worker *lanes, int ntasks,
    const struct eventloop_ops *ops, void *arg)
{
	el->lanes = lanes;
	el->ntasks = ntasks;
	el->ops = ops;
	el->arg = arg;
	pthread_mutex_init(&el->m, NULL);
	pthread_cond_init(&el->cv, NULL);
	atomic_init(&el->lanes_in, 0);
	atomic_init(&el->done, 0);
}

void
eventloop_destroy(struct eventloop *el)
{
	pthread_mutex_destroy(&el->m);
	pthread_cond_destroy(&el->cv);
}

static void
eventloop_push(struct eventloop *el, int k)
{
	el->queue[(el->head + el->len) % el->ntasks] = k;
	el->len++;
}

static int
eventloop_pop(struct eventloop *el)
{
	int k = el->queue[el->head];

	el->head = (el->head + 1) % el->ntasks;
	el->len--;
	return k;
}

void
eventloop_await_timer(struct eventloop *el, int k, uint64_t deadline)
{
	el->deadline[k] = deadline;
}

void
eventloop_await_fd(struct eventloop *el, int k, int fd)
{
	el->fd[k] = fd;
}

/* A task's lane (not the loop's): its work happens in the loop thread,
 * so this one sleeps until the loop ends (looking at the cancel flag now
 * and then). */
static void
eventloop_park(struct eventloop *el, struct il_worker *w)
{
	pthread_mutex_lock(&el->m);
	while (!atomic_load(&el->done) && !il_cancelled(w)) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += EVENTLOOP_POLL_MS * 1000 * 1000;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&el->cv, &el->m, &ts);
	}
	pthread_mutex_unlock(&el->m);
}

/* Wait for every lane to start, so no lane's start-up event comes later
 * than the loop's reports for it, and have the sampler watch the loop's
 * thread for all of them. */
static void
eventloop_gather(struct eventloop *el, struct il_worker *w)
{
	int k, tid;

	while (atomic_load(&el->lanes_in) < el->ntasks && !il_cancelled(w))
		sched_yield();
	tid = atomic_load(&w->os_tid);
	for (k = 1; k < el->ntasks; k++)
		il_os_identity(&el->lanes[k], 0, tid); /* all in one thread */
}

/* The sockets a task awaits, for poll(): their count. The soonest timer
 * goes to *soonest. */
static int
eventloop_fds(struct eventloop *el, uint64_t *soonest)
{
	int k, np = 0;

	*soonest = UINT64_MAX;
	for (k = 0; k < el->ntasks; k++) {
		if (el->deadline[k] != 0 && el->deadline[k] < *soonest)
			*soonest = el->deadline[k];
		if (el->fd[k] >= 0) {
			el->pfd[np].fd = el->fd[k];
			el->pfd[np].events = POLLIN;
			el->pfd[np].revents = 0;
			el->who[np++] = k;
		}
	}
	return np;
}

/* Nothing is ready: sleep in poll() on the awaited sockets until one has
 * data or the first timer is due (at most EVENTLOOP_POLL_MS, to notice a
 * cancel), then queue every task whose wait is over. */
static void
eventloop_wait(struct eventloop *el)
{
	uint64_t now = clock_now_ns(), soonest;
	int k, np = eventloop_fds(el, &soonest), ms = EVENTLOOP_POLL_MS, i;

	if (soonest <= now)
		ms = 0;
	else if (soonest - now < EVENTLOOP_POLL_MS * 1000000ull)
		ms = (int)((soonest - now + 999999) / 1000000);
	if (poll(el->pfd, (nfds_t)np, ms) > 0) {
		for (i = 0; i < np; i++) {
			k = el->who[i];
			if (el->pfd[i].revents == 0 ||
			    el->ops->readable(el->arg, k, el->fd[k]) == 0)
				continue; /* more to come */
			close(el->fd[k]);
			el->fd[k] = -1;
			eventloop_push(el, k); /* resumes */
		}
	}
	now = clock_now_ns();
	for (k = 0; k < el->ntasks; k++) {
		if (el->deadline[k] != 0 && el->deadline[k] <= now) {
			el->deadline[k] = 0;
			eventloop_push(el, k); /* resumes */
		}
	}
}

/* Run every task to its end, or until the run is cancelled. */
static void
eventloop_run(struct eventloop *el, struct il_worker *w)
{
	int left = el->ntasks, k;

	for (k = 0; k < el->ntasks; k++) {
		el->fd[k] = -1;
		eventloop_push(el, k);
		il_state(w, k, TS_READY, el->ops->line);
	}
	while (left > 0 && !il_cancelled(w)) {
		if (el->len == 0) {
			eventloop_wait(el);
			continue;
		}
		k = eventloop_pop(el);
		if (el->ops->step(el->arg, el, k)) {
			il_state(w, k, TS_DONE, el->ops->line);
			el->ops->ended(el->arg, k);
			left--;
		} else if (el->deadline[k] == 0 && el->fd[k] < 0) {
			eventloop_push(el, k); /* yielded */
		}
	}
	for (k = 0; k < el->ntasks; k++)
		if (el->fd[k] >= 0)
			close(el->fd[k]); /* cancelled mid-request */
}

void
eventloop_lane(struct eventloop *el, struct il_worker *w)
{
	size_t n = (size_t)el->ntasks;

	atomic_fetch_add(&el->lanes_in, 1);
	if (w->id != 0) {
		eventloop_park(el, w);
		return;
	}
	eventloop_gather(el, w);
	el->deadline = xcalloc(n, sizeof *el->deadline);
	el->fd = xcalloc(n, sizeof *el->fd);
	el->queue = xcalloc(n, sizeof *el->queue);
	el->pfd = xcalloc(n, sizeof *el->pfd);
	el->who = xcalloc(n, sizeof *el->who);
	el->head = el->len = 0;
	eventloop_run(el, w);
	free(el->deadline);
	free(el->fd);
	free(el->queue);
	free(el->pfd);
	free(el->who);
	pthread_mutex_lock(&el->m);
	atomic_store(&el->done, 1);
	pthread_cond_broadcast(&el->cv); /* the lanes may end */
	pthread_mutex_unlock(&el->m);
}
