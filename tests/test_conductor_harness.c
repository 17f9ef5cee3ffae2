/* The conductor tests' harness: worker bodies, threads under a
 * conductor, and the drained event stream. */
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conductor.h"
#include "event.h"
#include "evq.h"
#include "names.h"
#include "test_conductor.h"
#include "util.h"
#include "worker.h"

static struct harness *
h_of(struct il_worker *w)
{
	return w->lesson;
}

/* The race: tmp = counter; tmp = tmp + 1; counter = tmp. */
void
race_body(struct il_worker *w)
{
	struct harness *h = h_of(w);
	int64_t tmp;

	tmp = il_load(w, &h->var, 1);
	il_local(w, 0, tmp);
	il_line(w, 2);
	il_store(w, &h->var, tmp + 1, 3);
}

/* lock m; a line; unlock m. */
void
lock_body(struct il_worker *w)
{
	struct harness *h = h_of(w);

	h->lock_rc[w->id][0] = il_lock(w, &h->lock[0], 1);
	if (h->lock_rc[w->id][0] != 0)
		return;
	il_line(w, 2);
	il_unlock(w, &h->lock[0], 3);
}

/* A takes m then n, B takes n then m. */
void
deadlock_body(struct il_worker *w)
{
	struct harness *h = h_of(w);
	struct il_lock *first = &h->lock[w->id], *second = &h->lock[!w->id];

	h->lock_rc[w->id][0] = il_lock(w, first, 1);
	if (h->lock_rc[w->id][0] != 0)
		return;
	if (conductor_policy(w->conductor) == POLICY_FREE)
		pthread_barrier_wait(&h->barrier);
	h->lock_rc[w->id][1] = il_lock(w, second, 2);
	if (h->lock_rc[w->id][1] == 0)
		il_unlock(w, second, 3);
	il_unlock(w, first, 4);
}

/* Many unlocked increments. */
void
increment_body(struct il_worker *w)
{
	struct harness *h = h_of(w);
	int64_t v;
	int i;

	for (i = 0; i < FREE_ITERATIONS && !il_cancelled(w); i++) {
		v = il_load(w, &h->var, 1);
		il_store(w, &h->var, v + 1, 2);
	}
}

/* A CPU step that only cancel can end. */
void
endless_cpu_body(struct il_worker *w)
{
	il_cpu(w, LONG_MAX, 1);
}

/* An I/O step of a thousand seconds. */
void
long_io_body(struct il_worker *w)
{
	il_io(w, 1000 * 1000, 1);
	il_cpu(w, 3, 2);
}

static void *
h_thread(void *arg)
{
	struct il_worker *w = arg;

	conductor_thread_begin(w->conductor, w->id);
	h_of(w)->body(w);
	conductor_thread_end(w->conductor, w->id);
	return NULL;
}

/* Move every queued event into h->ev. */
size_t
h_drain(struct harness *h)
{
	size_t n, total = 0;

	for (;;) {
		if (h->cap - h->nev < 256) {
			h->cap = h->cap ? h->cap * 2 : 4096;
			h->ev = xrealloc(h->ev, h->cap * sizeof *h->ev);
		}
		n = evq_pop(h->q, h->ev + h->nev, h->cap - h->nev);
		if (n == 0)
			return total;
		h->nev += n;
		total += n;
	}
}

/* Set up a run of n threads with two locks "m" and "n". */
void
h_init(struct harness *h, int n, enum policy policy, uint64_t seed,
    void (*body)(struct il_worker *))
{
	int i;

	memset(h, 0, sizeof *h);
	h->q = evq_new(H_QUEUE);
	ck_assert_ptr_nonnull(h->q);
	evq_set_push_timeout(h->q, LONG_PUSH_NS);
	h->c = conductor_new(n, policy, seed, h->q);
	ck_assert_ptr_nonnull(h->c);
	h->nthreads = n;
	h->body = body;
	il_var_init(&h->var, 0, "counter", 0);
	il_lock_init(&h->lock[0], conductor_lock_add(h->c, "m"), "m");
	il_lock_init(&h->lock[1], conductor_lock_add(h->c, "n"), "n");
	h->nlocks = 2;
	pthread_barrier_init(&h->barrier, NULL, (unsigned)n);
	for (i = 0; i < n; i++) {
		h->w[i].id = i;
		h->w[i].conductor = h->c;
		h->w[i].lesson = h;
	}
}

/* Start the threads; in a controlled run one at a time, as run.c does. */
void
h_start(struct harness *h)
{
	int i;

	for (i = 0; i < h->nthreads; i++) {
		ck_assert_int_eq(
		    pthread_create(&h->tid[i], NULL, h_thread, &h->w[i]), 0);
		h->started++;
		if (conductor_policy(h->c) != POLICY_FREE)
			ck_assert_int_eq(conductor_wait_parked(h->c, i), 0);
	}
}

int
h_grant(struct harness *h, int t)
{
	int rc = conductor_grant(h->c, t);

	h_drain(h);
	return rc;
}

/* Grant a schedule of 1-based thread numbers; each must succeed. */
void
h_schedule(struct harness *h, const int *sched, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		ck_assert_msg(h_grant(h, sched[i] - 1) == 0,
		    "schedule item %zu (thread %d) refused", i + 1, sched[i]);
}

/* Join every thread (cancelling first if any is unfinished). */
static void
h_join(struct harness *h)
{
	int i;

	if (!conductor_all_done(h->c))
		conductor_cancel(h->c);
	for (i = 0; i < h->started; i++)
		pthread_join(h->tid[i], NULL);
	h->started = 0;
	h_drain(h);
}

/* Join, then free everything but the drained events. */
void
h_finish(struct harness *h)
{
	int i;

	h_join(h);
	for (i = 0; i < h->nlocks; i++)
		il_lock_destroy(&h->lock[i]);
	pthread_barrier_destroy(&h->barrier);
	ck_assert_uint_eq(evq_dropped(h->q), 0);
	conductor_free(h->c);
	evq_free(h->q);
	h->c = NULL;
	h->q = NULL;
}

void
h_free(struct harness *h)
{
	free(h->ev);
	h->ev = NULL;
}

/* Events of kind (and, for EV_STATE, state) from thread t; t < 0: any. */
size_t
h_count(const struct harness *h, int t, enum ev_kind kind, int64_t state)
{
	size_t i, n = 0;

	for (i = 0; i < h->nev; i++)
		if ((t < 0 || h->ev[i].thread == t) && h->ev[i].kind == kind &&
		    (kind != EV_STATE || h->ev[i].a == state))
			n++;
	return n;
}

/* Two streams are equal in every field but the time stamp and the OS
 * thread id of EV_THREAD_START. */
int
streams_equal(
    const struct event *a, size_t na, const struct event *b, size_t nb)
{
	size_t i;

	if (na != nb)
		return 0;
	for (i = 0; i < na; i++) {
		if (a[i].kind != b[i].kind || a[i].thread != b[i].thread ||
		    a[i].step != b[i].step || a[i].line != b[i].line ||
		    a[i].b != b[i].b)
			return 0;
		if (a[i].kind != EV_THREAD_START && a[i].a != b[i].a)
			return 0;
	}
	return 1;
}

/* One token per event, e.g. "AL0=0" (A loaded 0 in step 0). */
static void
trace_event(const struct event *e, char *buf, size_t len)
{
	static const char state_code[TS_COUNT] = {'N', 'R', 'r', 'I', 'W', 'D'};
	static const char kind_code[EV_KIND_COUNT] = {
	    's', 'e', '?', 'l', 'L', 'S', 'q', 'a', 'x', 'o', 'm', 'i'};
	const char *name = thread_name(e->thread);
	char code = kind_code[e->kind];

	if (e->kind == EV_STATE)
		code = e->a >= 0 && e->a < TS_COUNT ? state_code[e->a] : '?';
	if (e->kind == EV_LOAD || e->kind == EV_STORE)
		snprintf(buf, len, "%s%c%u=%lld", name, code, e->step,
		    (long long)e->b);
	else
		snprintf(buf, len, "%s%c%u", name, code, e->step);
}

/* The whole stream as space-separated tokens. */
void
trace(const struct harness *h, char *out, size_t len)
{
	char tok[64];
	size_t i, off = 0;

	out[0] = '\0';
	for (i = 0; i < h->nev && off < len; i++) {
		trace_event(&h->ev[i], tok, sizeof tok);
		off += (size_t)snprintf(
		    out + off, len - off, "%s%s", i ? " " : "", tok);
	}
}
