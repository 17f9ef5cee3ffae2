/*
 * The model: applies events to per-thread state, timelines, shared
 * variables and locks, and detects lost updates (see model.h).
 *
 * Events come from other threads and, later, from child processes, so
 * every id in an event is checked before it is used: an event naming a
 * thread, variable, lock, kind or state that does not exist is dropped
 * whole and changes nothing. The kernel's view (EV_OS_SAMPLE,
 * EV_OS_IDENTITY) is kept by model_os.c.
 */
#include "model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model_int.h"
#include "util.h"

struct model *
model_new(int nthreads, enum model_clock clock, size_t max_spans)
{
	struct model *m = xcalloc(1, sizeof *m);
	int i;

	if (nthreads < 0)
		nthreads = 0;
	m->clock = clock;
	m->nthreads = nthreads;
	m->max_spans = max_spans < 16 ? 16 : max_spans;
	m->threads = xcalloc((size_t)nthreads, sizeof *m->threads);
	for (i = 0; i < nthreads; i++) {
		m->threads[i].state = TS_NONE;
		m->threads[i].blocked_lock = -1;
		timeline_init(&m->threads[i].tl, max_spans);
		timeline_init(&m->threads[i].os_tl, max_spans);
		m->threads[i].os_cpu = -1;
		m->threads[i].os_leader = i;
		m->threads[i].os_members = 1;
	}
	return m;
}

void
model_free(struct model *m)
{
	int i;

	if (m == NULL)
		return;
	for (i = 0; i < m->nthreads; i++) {
		timeline_free(&m->threads[i].tl);
		timeline_free(&m->threads[i].os_tl);
	}
	free(m->threads);
	for (i = 0; i < m->ncpus; i++)
		free(m->cpus[i].spans);
	tracelog_free(m->log);
	free(m);
}

int
model_add_var(struct model *m, const char *name, int64_t initial, int counter)
{
	struct model_var *v;

	if (m->nvars >= MODEL_MAX_VARS)
		return -1;
	v = &m->vars[m->nvars];
	memset(v, 0, sizeof *v);
	snprintf(v->name, sizeof v->name, "%s", name != NULL ? name : "");
	v->value = initial;
	v->expected = initial;
	v->counter = counter != 0;
	v->last_store_thread = -1;
	return m->nvars++;
}

int
model_add_lock(struct model *m, const char *name)
{
	struct model_lock *l;

	if (m->nlocks >= MODEL_MAX_LOCKS)
		return -1;
	l = &m->locks[m->nlocks];
	memset(l, 0, sizeof *l);
	snprintf(l->name, sizeof l->name, "%s", name != NULL ? name : "");
	l->owner = -1;
	return m->nlocks++;
}

/* Whether id names one of the first n entries. */
static int
model_id_ok(int64_t id, int n)
{
	return id >= 0 && id < n;
}

/* Whether every id the event carries names something that exists. */
static int
model_event_ok(const struct model *m, const struct event *ev)
{
	if (ev->thread >= m->nthreads || ev->kind >= EV_KIND_COUNT)
		return 0;
	switch (ev->kind) {
	case EV_STATE:
		return model_id_ok(ev->a, TS_COUNT);
	case EV_LOAD:
		return model_id_ok(ev->a, m->nvars);
	case EV_STORE:
		return (ev->a & ~(EV_STORE_OVERWROTE | 0xffffffff)) == 0 &&
		    model_id_ok(EV_STORE_VAR(ev->a), m->nvars);
	case EV_LOCK_REQ:
	case EV_LOCK_ACQ:
	case EV_LOCK_REL:
		return model_id_ok(ev->a, m->nlocks);
	case EV_OS_IDENTITY:
		return ev->a >= 0 && ev->a <= INT32_MAX && ev->b >= 0 &&
		    ev->b <= INT32_MAX;
	case EV_TALLY:
		return ev->a >= 0 && EV_TALLY_COUNT(ev->a) <= INT32_MAX &&
		    model_id_ok(EV_TALLY_VAR(ev->a), m->nvars);
	case EV_MARK:
		return ev->a != MARK_OVERWROTE ||
		    (model_id_ok(ev->line, m->nvars) && ev->b >= 0);
	default:
		return 1;
	}
}

/* The model time of an event; the first event fixes the ns origin. */
static uint64_t
model_time(struct model *m, const struct event *ev)
{
	if (m->clock == MODEL_CLOCK_STEPS)
		return ev->step;
	uint64_t ts = ev->ts_ns, cut = 0;
	int i;

	if (m->events == 0)
		m->t0_ns = ts;
	for (i = 0; i < m->nskips; i++) {
		if (ts >= m->skip_from[i] + m->skip_len[i])
			cut += m->skip_len[i];
		else if (ts > m->skip_from[i])
			cut += ts - m->skip_from[i]; /* inside the gap */
	}
	ts = ts > cut ? ts - cut : 0;
	return ts > m->t0_ns ? ts - m->t0_ns : 0;
}

void
model_skip(struct model *m, uint64_t from_ns, uint64_t len_ns)
{
	if (m->clock != MODEL_CLOCK_NS || len_ns == 0)
		return;
	if (m->nskips == MODEL_MAX_SKIPS) {
		/* fold the oldest two gaps: times between them shift by
		 * at most the first gap's length */
		m->skip_len[1] += m->skip_len[0];
		m->skip_from[1] = m->skip_from[0];
		memmove(m->skip_from, m->skip_from + 1,
		    (MODEL_MAX_SKIPS - 1) * sizeof m->skip_from[0]);
		memmove(m->skip_len, m->skip_len + 1,
		    (MODEL_MAX_SKIPS - 1) * sizeof m->skip_len[0]);
		m->nskips--;
	}
	m->skip_from[m->nskips] = from_ns;
	m->skip_len[m->nskips] = len_ns;
	m->nskips++;
}

/* Put thread th into state s from time t on. */
static void
model_set_state(struct model_thread *th, uint64_t t, enum thread_state s)
{
	th->state = s;
	if (s != TS_LOCK_WAIT)
		th->blocked_lock = -1;
	timeline_set_state(&th->tl, t, s);
}

/* A thread read var: remember where on the chain it read. */
static void
model_load(
    struct model_thread *th, const struct model_var *v, int var, uint32_t step)
{
	th->load_depth[var] = v->depth;
	th->load_kept[var] = v->depth;
	th->load_step[var] = step;
	th->loaded[var] = 1;
}

/* Record a lost-update mark: in detail if it is among the first or is
 * the latest, and always in the storing thread's timeline. */
static void
model_add_mark(struct model *m, const struct lost_mark *mk)
{
	if (m->nmarks < MODEL_FIRST_MARKS)
		m->first_marks[m->nmarks] = *mk;
	m->last_mark = *mk;
	m->nmarks++;
	timeline_add_mark(&m->threads[mk->thread].tl, mk->t);
}

/* A lost-update mark for a store that the worker found overwrote another
 * thread's update. In a controlled run the model's own bookkeeping is
 * exact and says whose update and how many; in a free run the queue's
 * order is only close to the real one, so those stay unknown. */
static void
model_overwrite(struct model *m, int thread, int var, const struct event *ev,
    uint64_t t, uint64_t kept)
{
	const struct model_thread *th = &m->threads[thread];
	const struct model_var *v = &m->vars[var];
	struct lost_mark mk = {
	    .t = t,
	    .step = ev->step,
	    .thread = thread,
	    .victim = -1,
	    .var = var,
	    .value = ev->b,
	};

	if (m->clock == MODEL_CLOCK_STEPS) {
		mk.load_step = th->loaded[var] ? th->load_step[var] : 0;
		mk.victim_step = v->last_store_step;
		mk.victim = v->last_store_thread;
		mk.overwritten = v->depth > kept ? v->depth - kept : 0;
	}
	model_add_mark(m, &mk);
}

/*
 * A thread wrote var. Its value builds on the store it loaded (or, blind,
 * on the current value), so the new chain is that store's chain plus this
 * one. Of the old chain, the part beyond what the two share is cut off:
 * those updates are lost. A store the worker flagged as overwriting is a
 * mark.
 *
 * What the chains share: each pending load keeps in load_kept how much of
 * its chain is still on the current one. A store keeps min(that, the
 * storer's) for every other pending load, which is exact unless both
 * loads left the chain at the same point on one branch (then it can count
 * one branch too few as shared, and a later mark's overwritten too high).
 */
static void
model_store(
    struct model *m, int thread, int var, const struct event *ev, uint64_t t)
{
	struct model_thread *th = &m->threads[thread];
	struct model_var *v = &m->vars[var];
	uint64_t depth, kept;
	int u;

	if (th->loaded[var]) {
		depth = th->load_depth[var] + 1;
		kept = th->load_kept[var];
	} else {
		depth = v->depth + 1; /* blind: builds on the current value */
		kept = v->depth;
	}
	if (ev->a & EV_STORE_OVERWROTE) {
		model_overwrite(m, thread, var, ev, t, kept);
		v->stale++;
	}
	th->loaded[var] = 0;
	for (u = 0; u < m->nthreads; u++)
		if (m->threads[u].loaded[var] &&
		    m->threads[u].load_kept[var] > kept)
			m->threads[u].load_kept[var] = kept;
	v->stores++;
	v->depth = depth;
	v->lost = v->stores - v->depth;
	v->value = ev->b;
	if (v->counter)
		v->expected++;
	v->last_store_thread = thread;
	v->last_store_step = ev->step;
}

int
model_lock_queue(const struct model *m, int l, int *out, int max)
{
	uint64_t waiters = m->locks[l].waiters;
	int t, n = 0, k;

	for (t = 0; t < m->nthreads && t < MODEL_WAITER_BITS; t++) {
		if (!(waiters >> t & 1) || n >= max)
			continue;
		/* insertion by the time each asked: a handful of threads */
		for (k = n; k > 0 &&
		     m->threads[out[k - 1]].lock_asked >
		         m->threads[t].lock_asked;
		     k--)
			out[k] = out[k - 1];
		out[k] = t;
		n++;
	}
	return n;
}

/* Start cycle c at its lowest-numbered thread, so that a ring reads
 * the same whichever thread closed it. */
static void
model_cycle_rotate(struct model_cycle *c)
{
	struct model_cycle was = *c;
	int i, low = 0;

	for (i = 1; i < c->n; i++)
		if (c->threads[i] < c->threads[low])
			low = i;
	for (i = 0; i < c->n; i++) {
		c->threads[i] = was.threads[(low + i) % c->n];
		c->locks[i] = was.locks[(low + i) % c->n];
	}
}

int
model_find_cycle(const struct model *m, int t, struct model_cycle *out)
{
	int u = t, n = 0, l;

	memset(out, 0, sizeof *out);
	/* follow thread -> the lock it waits for -> that lock's owner: at
	 * most one way out of each node, so a walk finds the cycle or its
	 * end within as many steps as there are locks */
	while (n < MODEL_MAX_LOCKS) {
		if (u < 0 || u >= m->nthreads ||
		    m->threads[u].state != TS_LOCK_WAIT)
			return 0;
		l = m->threads[u].blocked_lock;
		if (l < 0 || l >= m->nlocks || m->locks[l].owner < 0)
			return 0;
		out->threads[n] = u;
		out->locks[n] = l;
		n++;
		u = m->locks[l].owner;
		if (u == t) {
			out->n = n;
			model_cycle_rotate(out);
			return 1;
		}
	}
	/* a cycle that does not pass through t */
	memset(out, 0, sizeof *out);
	return 0;
}

void
model_cycle_short(
    const struct model *m, const struct model_cycle *c, char *buf, size_t len)
{
	size_t off = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < c->n && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "T%d>%s>",
		    c->threads[i] + 1, m->locks[c->locks[i]].name);
	if (c->n > 0 && off < len)
		snprintf(buf + off, len - off, "T%d", c->threads[0] + 1);
}

void
model_cycle_long(const struct model *m, const struct model_cycle *c,
    const char *arrow, char *buf, size_t len)
{
	size_t off = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < c->n && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off,
		    "T%d %s %s (held by T%d) %s ", c->threads[i] + 1, arrow,
		    m->locks[c->locks[i]].name, c->threads[(i + 1) % c->n] + 1,
		    arrow);
	if (c->n > 0 && off < len)
		snprintf(buf + off, len - off, "T%d", c->threads[0] + 1);
}

void
model_wait_reason(const struct model *m, int t, char *buf, size_t len)
{
	const struct model_thread *th = &m->threads[t];
	const struct model_lock *l;

	buf[0] = '\0';
	if (th->state != TS_LOCK_WAIT || th->blocked_lock < 0 ||
	    th->blocked_lock >= m->nlocks)
		return;
	l = &m->locks[th->blocked_lock];
	if (l->owner >= 0)
		snprintf(buf, len, "waiting for %s, held by %s", l->name,
		    thread_name_as(m->naming, l->owner));
	else
		snprintf(buf, len, "waiting for %s", l->name);
}

/* A thread's new state: waiting for a lock puts it in the lock's queue
 * (if it is not there yet); any other state takes it out of every
 * queue (a lock released in a stepped run makes its waiters ready). */
static void
model_lock_wait(struct model *m, int thread, const struct event *ev)
{
	struct model_thread *th = &m->threads[thread];
	uint64_t bit = thread < MODEL_WAITER_BITS ? (uint64_t)1 << thread : 0;
	int l;

	if (ev->a != TS_LOCK_WAIT) {
		for (l = 0; l < m->nlocks; l++)
			m->locks[l].waiters &= ~bit;
		return;
	}
	th->blocked_lock = model_id_ok(ev->b, m->nlocks) ? (int)ev->b : -1;
	if (th->blocked_lock < 0)
		return;
	if (!(m->locks[th->blocked_lock].waiters & bit))
		th->lock_asked = m->events;
	m->locks[th->blocked_lock].waiters |= bit;
	/* a new wait is the only edge that can close a cycle */
	if (m->deadlock.n == 0 && model_find_cycle(m, thread, &m->deadlock)) {
		m->deadlock.at = m->now;
		m->deadlock.step = ev->step;
	}
}

/* Lock bookkeeping for one request, acquisition or release. */
static void
model_lock_event(struct model *m, int thread, const struct event *ev)
{
	struct model_lock *l = &m->locks[ev->a];
	uint64_t bit = thread < MODEL_WAITER_BITS ? (uint64_t)1 << thread : 0;

	switch (ev->kind) {
	case EV_LOCK_REQ:
		if (!(l->waiters & bit))
			m->threads[thread].lock_asked = m->events;
		l->waiters |= bit;
		break;
	case EV_LOCK_ACQ:
		l->owner = thread;
		l->waiters &= ~bit;
		m->threads[thread].blocked_lock = -1;
		break;
	case EV_LOCK_REL:
		/* In a free run the next owner's ACQ can reach the queue
		 * before this REL, so only the owner frees the lock. */
		if (l->owner == thread)
			l->owner = -1;
		break;
	}
}

/*
 * A hot loop's summary: count more updates, then the value read. A tally
 * older than the one that set the value (by its timestamp; see
 * EV_TALLY_STORES) counts but leaves the value alone, so the last read
 * wins whatever order the queue gives.
 *
 * A store tally (EV_TALLY_STORES) stands for that many of the thread's
 * stores, each load before them already used: the thread has no pending
 * load. The chain is not known for them, so for a counter the net loss
 * comes from the values, lost = expected - value, as the run's result
 * says it; elsewhere each store is taken to build on the last.
 */
static void
model_tally(struct model *m, struct model_thread *th, const struct event *ev)
{
	int var = EV_TALLY_VAR(ev->a);
	struct model_var *v = &m->vars[var];
	uint64_t n = (uint64_t)EV_TALLY_COUNT(ev->a);

	if (v->counter)
		v->expected += (int64_t)n;
	if (ev->ts_ns >= v->value_ts) {
		v->value = ev->b;
		v->value_ts = ev->ts_ns;
	}
	if (!(ev->a & EV_TALLY_STORES))
		return;
	th->loaded[var] = 0;
	v->stores += n;
	v->last_store_thread = ev->thread;
	v->last_store_step = ev->step;
	if (v->counter)
		v->lost = v->expected > v->value
		    ? (uint64_t)(v->expected - v->value)
		    : 0;
	if (v->lost > v->stores)
		v->lost = v->stores;
	v->depth = v->stores - v->lost;
}

/* A summary's overwriting stores: n marks at time t, by thread, on var,
 * as many as the stores themselves would have made. Who was overwritten
 * is unknown in a free run; the value is the variable's latest. */
static void
model_overwrites(
    struct model *m, int thread, const struct event *ev, uint64_t t)
{
	struct model_var *v = &m->vars[ev->line];
	struct lost_mark mk = {
	    .t = t,
	    .step = ev->step,
	    .thread = thread,
	    .victim = -1,
	    .var = ev->line,
	    .value = v->value,
	};
	uint64_t n = (uint64_t)ev->b, i;

	if (n == 0)
		return;
	for (i = 0; i < n && m->nmarks < MODEL_FIRST_MARKS; i++)
		m->first_marks[m->nmarks++] = mk;
	m->nmarks += n - i;
	m->last_mark = mk;
	v->stale += n;
	timeline_add_marks(&m->threads[thread].tl, t, n);
}

/* A lesson mark: MARK_LOCAL sets one of the thread's locals,
 * MARK_OVERWROTE adds a summary's lost-update marks. */
static void
model_mark_event(
    struct model *m, int thread, const struct event *ev, uint64_t t)
{
	struct model_thread *th = &m->threads[thread];

	if (ev->a == MARK_OVERWROTE) {
		model_overwrites(m, thread, ev, t);
		return;
	}
	if (ev->a != MARK_LOCAL || !model_id_ok(ev->line, MODEL_MAX_LOCALS))
		return;
	th->locals[ev->line] = ev->b;
	th->local_set |= (uint8_t)(1u << ev->line);
}

void
model_apply(struct model *m, const struct event *ev)
{
	struct model_thread *th;
	uint64_t t;
	int thread = ev->thread;

	if (!model_event_ok(m, ev))
		return;
	th = &m->threads[thread];
	t = model_time(m, ev);
	if (t > m->now)
		m->now = t;
	if (ev->step > m->step)
		m->step = ev->step;
	m->events++;
	th->events++;
	if (m->log != NULL)
		tracelog_add(m->log, ev, t);
	/* a mark's line is its own argument (a slot, a variable) */
	if (ev->line > 0 && ev->kind != EV_MARK)
		th->line = ev->line;
	switch (ev->kind) {
	case EV_THREAD_START:
		if (th->state == TS_NONE)
			model_set_state(th, t, TS_READY);
		break;
	case EV_THREAD_END:
		model_set_state(th, t, TS_DONE);
		break;
	case EV_STATE:
		model_set_state(th, t, (enum thread_state)ev->a);
		model_lock_wait(m, thread, ev);
		break;
	case EV_LINE:
		if (ev->line >= 0)
			th->line = ev->line;
		break;
	case EV_LOAD:
		model_load(th, &m->vars[ev->a], (int)ev->a, ev->step);
		break;
	case EV_STORE:
		model_store(m, thread, (int)EV_STORE_VAR(ev->a), ev, t);
		break;
	case EV_LOCK_REQ:
	case EV_LOCK_ACQ:
	case EV_LOCK_REL:
		model_lock_event(m, thread, ev);
		break;
	case EV_MARK:
		model_mark_event(m, thread, ev, t);
		break;
	case EV_OS_SAMPLE:
		model_os_sample(m, thread, ev, t);
		break;
	case EV_OS_IDENTITY:
		model_identity(m, thread, (int)ev->a, (int)ev->b);
		break;
	case EV_TALLY:
		model_tally(m, th, ev);
		break;
	default:
		break;
	}
}

void
model_trace_on(struct model *m)
{
	if (m->log == NULL)
		m->log = tracelog_new();
}

int
model_has_counter(const struct model *m)
{
	int i;

	for (i = 0; m != NULL && i < m->nvars; i++)
		if (m->vars[i].counter)
			return 1;
	return 0;
}

size_t
model_marks_kept(const struct model *m)
{
	return m->nmarks < MODEL_FIRST_MARKS ? (size_t)m->nmarks
	                                     : MODEL_FIRST_MARKS;
}

const struct lost_mark *
model_mark(const struct model *m, size_t i)
{
	return i < model_marks_kept(m) ? &m->first_marks[i] : NULL;
}

const struct lost_mark *
model_last_mark(const struct model *m)
{
	return m->nmarks > 0 ? &m->last_mark : NULL;
}
