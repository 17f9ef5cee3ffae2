/*
 * The kernel's view of a run, from EV_OS_SAMPLE and EV_OS_IDENTITY: what
 * each lane's OS thread did in each sampler interval, shared among the
 * lanes that run in one OS thread, and who ran on which CPU. model.c
 * hands those events here.
 */
#include "model.h"

#include "model_int.h"
#include "sampler.h"
#include "util.h"

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
	/* lanes past the first 64 are not told apart on a CPU */
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

		if (b <= a || sp->thread < 0 ||
		    sp->thread >= (int)IL_ARRAY_LEN(ran) || sp->t1 <= sp->t0)
			continue;
		/* its running time, spread over the span */
		ran[sp->thread] +=
		    (uint64_t)sp->run_ns * (b - a) / (sp->t1 - sp->t0);
	}
	for (t = 0; t < (int)IL_ARRAY_LEN(ran); t++) {
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
void
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
void
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
