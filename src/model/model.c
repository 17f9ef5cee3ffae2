/*
 * The model: applies events to per-thread state, timelines, shared
 * variables and locks, and detects lost updates (see model.h).
 *
 * Events come from other threads and, later, from child processes, so
 * every id in an event is checked before it is used: an event naming a
 * thread, variable, lock, kind or state that does not exist is dropped
 * whole and changes nothing.
 */
#include "model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sampler.h"
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

/* Lock bookkeeping for one request, acquisition or release. */
static void
model_lock_event(struct model *m, int thread, const struct event *ev)
{
	struct model_lock *l = &m->locks[ev->a];
	uint64_t bit = thread < MODEL_WAITER_BITS ? (uint64_t)1 << thread : 0;

	switch (ev->kind) {
	case EV_LOCK_REQ:
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

/* A lesson mark: MARK_LOCAL sets one of the thread's locals. */
static void
model_mark_event(struct model_thread *th, const struct event *ev)
{
	if (ev->a != MARK_LOCAL || !model_id_ok(ev->line, MODEL_MAX_LOCALS))
		return;
	th->locals[ev->line] = ev->b;
	th->local_set |= (uint8_t)(1u << ev->line);
}

/* Note that thread ran run ns on cpu within [t0, t1). When a lane is
 * full, its older half merges pairwise (keeping the longer runner). */
static void
model_cpu_add(struct model *m, int cpu, int thread, uint64_t t0, uint64_t t1,
    uint64_t run)
{
	struct cpu_lane *cl;
	struct cpu_span *sp;

	if (cpu < 0 || cpu >= MODEL_MAX_CPUS || run == 0)
		return;
	if (cpu >= m->ncpus)
		m->ncpus = cpu + 1;
	cl = &m->cpus[cpu];
	if (cl->n == cl->cap && cl->cap >= m->max_spans) {
		size_t half = cl->n / 2, i, k = 0;

		for (i = 0; i + 1 < half; i += 2) {
			struct cpu_span a = cl->spans[i], b = cl->spans[i + 1];
			struct cpu_span *keep = a.run_ns >= b.run_ns ? &a : &b;

			keep->t0 = a.t0 < b.t0 ? a.t0 : b.t0;
			keep->t1 = a.t1 > b.t1 ? a.t1 : b.t1;
			cl->spans[k++] = *keep;
		}
		for (; i < cl->n; i++)
			cl->spans[k++] = cl->spans[i];
		cl->n = k;
	}
	if (cl->n == cl->cap) {
		cl->cap = cl->cap ? cl->cap * 2 : 16;
		cl->spans = xrealloc(cl->spans, cl->cap * sizeof *cl->spans);
	}
	sp = &cl->spans[cl->n++];
	sp->t0 = t0;
	sp->t1 = t1;
	sp->run_ns = run > UINT32_MAX ? UINT32_MAX : (uint32_t)run;
	sp->thread = thread;
}

int
model_cpu_who(
    const struct model *m, int cpu, uint64_t t0, uint64_t t1, uint64_t *ran_ns)
{
	uint64_t most = 0, ran[64] = {0};
	const struct cpu_lane *cl;
	size_t lo = 0, hi, i;
	int who = -1, t;

	if (ran_ns != NULL)
		*ran_ns = 0;
	if (cpu < 0 || cpu >= m->ncpus || t1 <= t0)
		return -1;
	cl = &m->cpus[cpu];
	hi = cl->n;
	while (lo < hi) { /* the first span ending after t0 */
		size_t mid = lo + (hi - lo) / 2;

		if (cl->spans[mid].t1 <= t0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (i = lo; i < cl->n && cl->spans[i].t0 < t1; i++) {
		const struct cpu_span *sp = &cl->spans[i];
		uint64_t a = sp->t0 > t0 ? sp->t0 : t0;
		uint64_t b = sp->t1 < t1 ? sp->t1 : t1;

		if (b <= a || sp->thread < 0 || sp->thread >= 64 ||
		    sp->t1 <= sp->t0)
			continue;
		/* its running time, spread over the span */
		ran[sp->thread] +=
		    (uint64_t)sp->run_ns * (b - a) / (sp->t1 - sp->t0);
	}
	for (t = 0; t < 64; t++) {
		if (ran[t] > most) {
			most = ran[t];
			who = t;
		}
	}
	if (ran_ns != NULL)
		*ran_ns = most;
	return who;
}

/* Lane thread now runs in thread tid of process pid: regroup the lanes
 * that share an OS thread. */
static void
model_identity(struct model *m, int thread, int pid, int tid)
{
	int t, u;

	m->threads[thread].os_pid = pid;
	m->threads[thread].os_tid = tid;
	for (t = 0; t < m->nthreads; t++) {
		struct model_thread *th = &m->threads[t];

		th->os_leader = t;
		th->os_members = 0;
		for (u = 0; u < m->nthreads; u++) {
			const struct model_thread *o = &m->threads[u];

			if (u != t &&
			    (th->os_tid == 0 || o->os_tid != th->os_tid ||
			        o->os_pid != th->os_pid))
				continue;
			if (th->os_members++ == 0)
				th->os_leader = u; /* the lowest comes first */
		}
	}
}

int
model_lane_leader(const struct model *m, int t)
{
	return t >= 0 && t < m->nthreads ? m->threads[t].os_leader : -1;
}

int
model_lane_group(const struct model *m, int t)
{
	return t >= 0 && t < m->nthreads ? m->threads[t].os_members : 0;
}

/* One sampler interval, unpacked. */
struct os_share {
	uint64_t iv, run, wait, slices;
	int cpu;
};

/* Credit lane thread with its share of an OS thread's interval [t0, t). */
static void
model_os_credit(struct model *m, int thread, const struct os_share *sh,
    uint64_t t0, uint64_t t)
{
	struct model_thread *th = &m->threads[thread];
	uint64_t rest = sh->iv - sh->run - sh->wait;

	th->os_run_ns += sh->run;
	th->os_wait_ns += sh->wait;
	th->os_blocked_ns += rest;
	th->os_samples++;
	th->os_slices += sh->slices;
	th->os_cpu = sh->cpu;
	if (sh->run > 0)
		timeline_set_state(&th->os_tl, t0, TS_RUNNING);
	if (sh->wait > 0)
		timeline_set_state(&th->os_tl, t0 + sh->run, TS_READY);
	if (rest > 0)
		timeline_set_state(&th->os_tl, t0 + sh->run + sh->wait, TS_IO);
	model_cpu_add(m, sh->cpu, thread, t0, t, sh->run);
}

/* Of v shared in proportion, the next part: the share of the first num
 * of den, less the *given parts before it (which it adds to), so that the
 * parts add up to v. */
static uint64_t
model_part(uint64_t v, uint64_t num, uint64_t den, uint64_t *given)
{
	uint64_t upto = num >= den
	    ? v
	    : (uint64_t)((long double)v * (long double)num / (long double)den);
	uint64_t part = upto - *given;

	*given = upto;
	return part;
}

/* Lane u's running time in [t0, t), by its own reports. */
static uint64_t
model_ran(const struct model *m, int u, uint64_t t0, uint64_t t)
{
	uint64_t f[TS_COUNT];

	timeline_bucket_fractions(&m->threads[u].tl, t0, t, m->now, f);
	return f[TS_RUNNING];
}

/*
 * Share one interval of an OS thread among the lanes of its group: each
 * gets the part of its running, waiting and slices that its own running
 * time in [t0, t) is of the group's (all of it to the leader if no lane
 * ran), rounded so that the parts add up to the whole; the rest of the
 * interval it was blocked, as far as the kernel could tell.
 */
static void
model_os_share(struct model *m, int thread, const struct os_share *all,
    uint64_t t0, uint64_t t)
{
	int leader = m->threads[thread].os_leader, u;
	uint64_t total = 0, sum = 0, run = 0, wait = 0, slices = 0;
	struct os_share sh = *all;

	for (u = leader; u < m->nthreads; u++)
		if (m->threads[u].os_leader == leader)
			total += model_ran(m, u, t0, t);
	for (u = leader; u < m->nthreads; u++) {
		if (m->threads[u].os_leader != leader)
			continue;
		if (total > 0)
			sum += model_ran(m, u, t0, t);
		else
			sum = 1; /* nobody ran: all to the leader */
		sh.run = model_part(all->run, sum, total ? total : 1, &run);
		sh.wait = model_part(all->wait, sum, total ? total : 1, &wait);
		sh.slices =
		    model_part(all->slices, sum, total ? total : 1, &slices);
		model_os_credit(m, u, &sh, t0, t);
	}
}

/* One sampler interval ending at model time t (ns clock), as
 * sample_pack() put it in the event. The sample is of lane thread's OS
 * thread, which its group shares. */
static void
model_os_sample(struct model *m, int thread, const struct event *ev, uint64_t t)
{
	struct sample sm;
	struct os_share sh;

	sample_unpack(ev->a, ev->b, &sm);
	if (sm.run_pm > 1000 || sm.wait_pm > 1000 - sm.run_pm)
		return; /* not a sample the sampler could have made */
	sh.iv = sm.interval_ns;
	sh.run = sh.iv * (uint64_t)sm.run_pm / 1000;
	sh.wait = sh.iv * (uint64_t)sm.wait_pm / 1000;
	sh.slices = sm.slices;
	sh.cpu = sm.cpu;
	if (m->threads[thread].os_members > 1)
		model_os_share(m, thread, &sh, t > sh.iv ? t - sh.iv : 0, t);
	else
		model_os_credit(m, thread, &sh, t > sh.iv ? t - sh.iv : 0, t);
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
	if (ev->line > 0 && !(ev->kind == EV_MARK && ev->a == MARK_LOCAL))
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
		if (ev->a == TS_LOCK_WAIT)
			th->blocked_lock =
			    model_id_ok(ev->b, m->nlocks) ? (int)ev->b : -1;
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
		model_mark_event(th, ev);
		break;
	case EV_OS_SAMPLE:
		model_os_sample(m, thread, ev, t);
		break;
	case EV_OS_IDENTITY:
		model_identity(m, thread, (int)ev->a, (int)ev->b);
		break;
	default:
		break;
	}
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
