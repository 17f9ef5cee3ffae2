/*
 * The explorer (see explore.h): a stateless search that runs the lesson
 * again for every schedule, on one set of worker threads (run_reset), with
 * a direct handoff (conductor_run_chosen): the thread that ends its step
 * calls ex_pick, which replays the fixed prefix of the schedule and then
 * chooses, so a run costs one handoff per step.
 *
 * Steps. Each step is recorded with what it touches: a read or a write of
 * one object (a variable, a lock; conditions and semaphores count as one
 * object touched by all of them), or nothing (a local step). Two steps are
 * dependent when they touch the same object and one of them writes.
 *
 * Search. Frames hold, for each state on the current path, the runnable
 * threads, each thread's pending step, the choice made and what is left
 * to try. After a run, the deepest frame with something left is chosen
 * again and the run before it replayed. all tries every allowed thread;
 * dpor only the threads its backtrack sets name: at each new state, for
 * every thread's pending step, the last earlier dependent step of another
 * thread that does not happen before it (vector clocks) is a race, and
 * the racing thread (or, if it was not runnable there, every runnable
 * thread) is added to the backtrack set of the state before that step.
 * Sleep sets keep dpor from running two schedules of one class.
 *
 * Classes. A run's class is hashed from, for each object, the order of
 * its writes and, between two writes, the set of reads (unordered: reads
 * commute), each step named by its thread and its index in the thread.
 */
#include "explore.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conductor.h"
#include "run.h"
#include "util.h"

#define EX_OBJECTS   (EV_MAX_VARS + EV_MAX_LOCKS + 1)
#define EX_OBJ_SYNC  (EX_OBJECTS - 1) /* conditions and semaphores */
#define EX_PCT_DEPTH 3

enum ex_access { ACC_LOCAL, ACC_READ, ACC_WRITE };

enum ex_end {
	END_NONE,
	END_DONE,    /* every thread finished */
	END_STUCK,   /* no thread can move, some have not finished */
	END_BLOCKED, /* dpor: every runnable thread is in the sleep set */
	END_CUT,     /* max_steps reached */
	END_ERROR    /* the replay did not find the state it recorded */
};

struct ex_op {
	uint8_t acc; /* enum ex_access */
	uint8_t obj;
};

struct ex_step {
	uint8_t thread;
	struct ex_op op;
	uint32_t local; /* index of the step in its thread */
};

/* One state on the current path; masks are sets of threads. */
struct ex_frame {
	uint32_t enabled; /* runnable here */
	uint32_t allowed; /* of those, what the preemption bound lets run */
	uint32_t backtrack, done, sleep;
	int chosen;
	int preempt; /* preemptions before this state */
	struct ex_op pend[EXPLORE_MAX_THREADS];
};

/* A set of 128-bit keys (open addressing; 0,0 marks an empty slot). */
struct ex_set {
	uint64_t (*k)[2];
	size_t cap, n;
};

struct ex_priv {
	struct run *run;
	int nthreads;
	long max_steps;
	struct ex_frame *fr;
	size_t nfr;    /* frames on the path */
	size_t replay; /* frames [0, replay) are followed as recorded */
	struct ex_step *steps;
	size_t nsteps;
	uint32_t local[EXPLORE_MAX_THREADS];
	/* vector clocks: each thread's, and each object's last write and
	 * the reads since */
	uint32_t tclock[EXPLORE_MAX_THREADS][EXPLORE_MAX_THREADS];
	uint32_t wclock[EX_OBJECTS][EXPLORE_MAX_THREADS];
	uint32_t rclock[EX_OBJECTS][EXPLORE_MAX_THREADS];
	enum ex_end end;
	double covered; /* share of the search tree the ended runs cover */
	struct ex_set classes, shared;
	/* random and pct */
	uint64_t rng;
	int prio[EXPLORE_MAX_THREADS];
	long change[EX_PCT_DEPTH * 4];
	int nchange;
	long pct_k; /* steps in the longest run so far */
	int prev;   /* the thread of the last step, or -1 */
};

static const char *const ex_names[] = {"all", "dpor", "random", "pct"};

const char *
explore_strategy_name(enum explore_strategy s)
{
	return s < EXPLORE_STRATEGIES ? ex_names[s] : "?";
}

int
explore_strategy_by_name(const char *name)
{
	int i;

	for (i = 0; i < EXPLORE_STRATEGIES; i++)
		if (strcmp(name, ex_names[i]) == 0)
			return i;
	return -1;
}

/* ---- small tools ---- */

static uint64_t
ex_mix(uint64_t z)
{
	z += 0x9e3779b97f4a7c15ULL;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t
ex_random(uint64_t *state)
{
	*state += 0x9e3779b97f4a7c15ULL;
	return ex_mix(*state);
}

static int
ex_lowest(uint32_t mask)
{
	return mask == 0 ? -1 : __builtin_ctz(mask);
}

static int
ex_count(uint32_t mask)
{
	return __builtin_popcount(mask);
}

/* The n-th (0-based) member of mask. */
static int
ex_nth(uint32_t mask, int n)
{
	while (n-- > 0)
		mask &= mask - 1;
	return ex_lowest(mask);
}

/* Add key k; 1 if it was new. */
static int
ex_set_add(struct ex_set *s, const uint64_t k[2])
{
	size_t i, j;

	if (s->n * 2 >= s->cap) {
		struct ex_set g = {NULL, s->cap ? s->cap * 2 : 1024, 0};

		g.k = xcalloc(g.cap, sizeof *g.k);
		for (i = 0; i < s->cap; i++)
			if (s->k[i][0] != 0 || s->k[i][1] != 0)
				(void)ex_set_add(&g, s->k[i]);
		free(s->k);
		*s = g;
	}
	for (i = k[0] & (s->cap - 1);; i = (i + 1) & (s->cap - 1)) {
		if (s->k[i][0] == 0 && s->k[i][1] == 0)
			break;
		if (s->k[i][0] == k[0] && s->k[i][1] == k[1])
			return 0;
	}
	j = i;
	s->k[j][0] = k[0];
	s->k[j][1] = k[1];
	s->n++;
	return 1;
}

/* What thread t's pending step touches. */
static struct ex_op
ex_pending(struct conductor *c, int t)
{
	struct ex_op op = {ACC_LOCAL, 0};
	int64_t arg;

	switch (conductor_pending(c, t, &arg, NULL)) {
	case OP_LOAD:
		op.acc = ACC_READ;
		op.obj = (uint8_t)(arg & (EV_MAX_VARS - 1));
		break;
	case OP_STORE:
	case OP_FETCH_ADD:
		op.acc = ACC_WRITE;
		op.obj = (uint8_t)(arg & (EV_MAX_VARS - 1));
		break;
	case OP_LOCK:
	case OP_UNLOCK:
	case OP_TRYLOCK:
		op.acc = ACC_WRITE;
		op.obj = (uint8_t)(EV_MAX_VARS + (arg & (EV_MAX_LOCKS - 1)));
		break;
	case OP_COND_WAIT:
	case OP_COND_SIGNAL:
	case OP_COND_BROADCAST:
	case OP_SEM_WAIT:
	case OP_SEM_POST:
		op.acc = ACC_WRITE;
		op.obj = EX_OBJ_SYNC;
		break;
	default:
		break;
	}
	return op;
}

static int
ex_dependent(struct ex_op a, struct ex_op b)
{
	return a.acc != ACC_LOCAL && b.acc != ACC_LOCAL && a.obj == b.obj &&
	    (a.acc == ACC_WRITE || b.acc == ACC_WRITE);
}

static void
ex_join(uint32_t *into, const uint32_t *from, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (from[i] > into[i])
			into[i] = from[i];
}

/* ---- one run ---- */

/* Record step: thread t does op; the clocks follow. */
static void
ex_record(struct ex_priv *p, int t, struct ex_op op)
{
	struct ex_step *s = &p->steps[p->nsteps++];
	uint32_t *c = p->tclock[t];
	int n = p->nthreads;

	s->thread = (uint8_t)t;
	s->op = op;
	s->local = p->local[t]++;
	if (op.acc != ACC_LOCAL) {
		ex_join(c, p->wclock[op.obj], n);
		if (op.acc == ACC_WRITE)
			ex_join(c, p->rclock[op.obj], n);
	}
	c[t] = s->local + 1;
	if (op.acc == ACC_WRITE) {
		memcpy(p->wclock[op.obj], c, sizeof p->wclock[op.obj]);
		memset(p->rclock[op.obj], 0, sizeof p->rclock[op.obj]);
	} else if (op.acc == ACC_READ) {
		ex_join(p->rclock[op.obj], c, n);
	}
}

/* dpor, at a new state: find each pending step's race and widen the
 * backtrack set of the state before the racing step. */
static void
ex_races(struct ex_priv *p, const struct ex_frame *f)
{
	size_t i;
	int q;

	for (q = 0; q < p->nthreads; q++) {
		if (f->pend[q].acc == ACC_LOCAL)
			continue;
		for (i = p->nsteps; i-- > 0;) {
			const struct ex_step *s = &p->steps[i];
			struct ex_frame *at = &p->fr[i];

			if (s->thread == q || !ex_dependent(s->op, f->pend[q]))
				continue;
			if (p->tclock[q][s->thread] > s->local)
				break; /* it happens before q's step: no race */
			if (at->enabled & 1u << q)
				at->backtrack |= 1u << q;
			else
				at->backtrack |= at->enabled;
			break;
		}
	}
}

/* The sleep set of a new state after frame f chose f->chosen. */
static uint32_t
ex_sleep_after(const struct ex_frame *f)
{
	uint32_t from = (f->sleep | f->done) & ~(1u << f->chosen), out = 0;
	int q;

	for (q = ex_lowest(from); q >= 0; q = ex_lowest(from)) {
		from &= from - 1;
		if (!ex_dependent(f->pend[q], f->pend[f->chosen]))
			out |= 1u << q;
	}
	return out;
}

/* pct: the runnable thread with the highest priority. */
static int
ex_pct_pick(struct ex_priv *p, uint32_t allowed)
{
	int best = -1, t;

	for (t = 0; t < p->nthreads; t++)
		if ((allowed & 1u << t) &&
		    (best < 0 || p->prio[t] > p->prio[best]))
			best = t;
	return best;
}

/* Choose at new state f (depth d); -1 if the sleep set blocks it. */
static int
ex_choose(struct explore *x, struct ex_priv *p, struct ex_frame *f, size_t d)
{
	uint32_t cand = f->allowed;
	int t, i;

	switch (x->cfg.strategy) {
	case EXPLORE_DPOR:
		cand &= ~f->sleep;
		t = ex_lowest(cand);
		if (t >= 0)
			f->backtrack = 1u << t;
		return t;
	case EXPLORE_RANDOM:
		return ex_nth(
		    cand, (int)(ex_random(&p->rng) % (uint64_t)ex_count(cand)));
	case EXPLORE_PCT:
		t = ex_pct_pick(p, cand);
		for (i = 0; i < p->nchange; i++)
			if (p->change[i] == (long)d) {
				p->prio[t] =
				    i + 1; /* below every start priority */
				t = ex_pct_pick(p, cand);
			}
		return t;
	default:
		return ex_lowest(cand);
	}
}

/* Fill frame f for the state the run is in now. */
static void
ex_frame_fill(struct explore *x, struct ex_priv *p, struct ex_frame *f,
    struct conductor *c, size_t d)
{
	int t;

	f->enabled = 0;
	for (t = 0; t < p->nthreads; t++) {
		if (conductor_runnable(c, t, NULL, 0))
			f->enabled |= 1u << t;
		f->pend[t] = ex_pending(c, t);
	}
	/* f->preempt was set when the step before it was chosen */
	f->allowed = f->enabled;
	if (x->cfg.max_preemptions >= 0 &&
	    f->preempt >= x->cfg.max_preemptions && p->prev >= 0 &&
	    (f->enabled & 1u << p->prev))
		f->allowed = 1u << p->prev;
	f->backtrack = f->done = 0;
	f->sleep = d == 0 || x->cfg.strategy != EXPLORE_DPOR
	    ? 0
	    : ex_sleep_after(&p->fr[d - 1]);
}

/* The chooser: called by whoever holds the baton (conductor.h). */
static int
ex_pick(void *ctx, struct conductor *c)
{
	struct explore *x = ctx;
	struct ex_priv *p = x->priv;
	size_t d = p->nsteps;
	struct ex_frame *f = &p->fr[d];
	uint32_t enabled = 0;
	int t;

	if (conductor_all_done(c)) {
		p->end = END_DONE;
		return -1;
	}
	if (d >= (size_t)p->max_steps) {
		p->end = END_CUT;
		return -1;
	}
	if (d < p->replay) {
		for (t = 0; t < p->nthreads; t++)
			if (conductor_runnable(c, t, NULL, 0))
				enabled |= 1u << t;
		if (enabled != f->enabled) {
			p->end = END_ERROR;
			return -1;
		}
		t = f->chosen;
	} else {
		ex_frame_fill(x, p, f, c, d);
		/* a stuck state's waiting steps race too */
		if (x->cfg.strategy == EXPLORE_DPOR)
			ex_races(p, f);
		if (f->enabled == 0) {
			p->end = END_STUCK;
			return -1;
		}
		t = ex_choose(x, p, f, d);
		if (t < 0) {
			p->end = END_BLOCKED;
			return -1;
		}
		f->chosen = t;
		p->nfr = d + 1;
	}
	/* a switch away from a thread that could go on is a preemption */
	if (d + 1 <= (size_t)p->max_steps)
		p->fr[d + 1].preempt = f->preempt +
		    (p->prev >= 0 && t != p->prev &&
		                (f->enabled & 1u << p->prev)
		            ? 1
		            : 0);
	ex_record(p, t, f->pend[t]);
	p->prev = t;
	return t;
}

/* ---- after a run ---- */

/* The class and the shared-access order of the run just ended. */
static void
ex_keys(const struct ex_priv *p, uint64_t cls[2], uint64_t sh[2])
{
	uint64_t obj[EX_OBJECTS][2], reads[EX_OBJECTS][2];
	size_t i;
	int o, h;

	memset(obj, 0, sizeof obj);
	memset(reads, 0, sizeof reads);
	sh[0] = 1;
	sh[1] = 2;
	for (i = 0; i < p->nsteps; i++) {
		const struct ex_step *s = &p->steps[i];
		uint64_t id = (uint64_t)s->thread << 32 | s->local;

		if (s->op.acc == ACC_LOCAL)
			continue;
		o = s->op.obj;
		for (h = 0; h < 2; h++) {
			uint64_t salt = h ? 0x5bd1e995u : 0;

			sh[h] = ex_mix(sh[h] ^ ex_mix(s->thread + 1 + salt));
			if (s->op.acc == ACC_READ) {
				reads[o][h] += ex_mix(id ^ salt);
			} else {
				obj[o][h] = ex_mix(obj[o][h] ^ reads[o][h]);
				obj[o][h] =
				    ex_mix(obj[o][h] ^ ex_mix(id + salt));
				reads[o][h] = 0;
			}
		}
	}
	cls[0] = 3;
	cls[1] = 4;
	for (o = 0; o < EX_OBJECTS; o++)
		for (h = 0; h < 2; h++)
			cls[h] = ex_mix(cls[h] ^
			    ex_mix(obj[o][h] ^ reads[o][h]) ^ (uint64_t)o);
	for (h = 0; h < 2; h++) {
		if (cls[h] == 0)
			cls[h] = 1;
		if (sh[h] == 0)
			sh[h] = 1;
	}
}

/* Count the outcome of the run just ended. */
static void
ex_tally(struct explore *x, struct ex_priv *p, int new_class)
{
	struct outcome o;
	struct explore_outcome *e = NULL;
	int failure, i;
	size_t k;

	memset(&o, 0, sizeof o);
	failure = x->cfg.module->outcome(p->run, p->end == END_STUCK, &o);
	for (i = 0; i < x->nout; i++)
		if (strcmp(x->out[i].o.key, o.key) == 0 &&
		    strcmp(x->out[i].o.value, o.value) == 0)
			e = &x->out[i];
	if (e == NULL && x->nout == EXPLORE_MAX_OUTCOMES) {
		x->overflow = 1;
		e = &x->out[EXPLORE_MAX_OUTCOMES - 1];
		snprintf(e->o.value, sizeof e->o.value, "other");
	}
	if (e == NULL) {
		e = &x->out[x->nout++];
		e->o = o;
		e->failure = failure;
		e->nwitness = p->nsteps;
		e->witness = xcalloc(p->nsteps + 1, sizeof *e->witness);
		for (k = 0; k < p->nsteps; k++)
			e->witness[k] = p->steps[k].thread;
	}
	e->schedules++;
	e->classes += (uint64_t)new_class;
	if (failure && x->first_failure == 0)
		x->first_failure = x->runs;
}

/* The share of the tree under the path just run: 1 / the product of the
 * choices along it. */
static double
ex_weight(const struct explore *x, const struct ex_priv *p)
{
	double w = 1;
	size_t d;

	for (d = 0; d < p->nfr; d++) {
		const struct ex_frame *f = &p->fr[d];
		uint32_t set = x->cfg.strategy == EXPLORE_DPOR
		    ? (f->backtrack | f->done) & f->allowed
		    : f->allowed;

		if (ex_count(set) > 1)
			w /= ex_count(set);
	}
	return w;
}

/* all and dpor: set up the next schedule; 0 if the search is over. */
static int
ex_backtrack(struct explore *x, struct ex_priv *p)
{
	while (p->nfr > 0) {
		struct ex_frame *f = &p->fr[p->nfr - 1];
		uint32_t cand;

		f->done |= 1u << f->chosen;
		cand = f->allowed & ~f->done & ~f->sleep;
		if (x->cfg.strategy == EXPLORE_DPOR)
			cand &= f->backtrack;
		if (cand != 0) {
			f->chosen = ex_lowest(cand);
			p->replay = p->nfr;
			return 1;
		}
		p->nfr--;
	}
	return 0;
}

/* pct: priorities and change points for the next run. */
static void
ex_pct_setup(struct explore *x, struct ex_priv *p)
{
	int depth = x->cfg.depth > 0 ? x->cfg.depth : EX_PCT_DEPTH;
	int t, j, tmp;

	if (depth > (int)IL_ARRAY_LEN(p->change) + 1)
		depth = (int)IL_ARRAY_LEN(p->change) + 1;
	for (t = 0; t < p->nthreads; t++)
		p->prio[t] = depth + t;
	for (t = p->nthreads - 1; t > 0; t--) {
		j = (int)(ex_random(&p->rng) % (uint64_t)(t + 1));
		tmp = p->prio[t];
		p->prio[t] = p->prio[j];
		p->prio[j] = tmp;
	}
	p->nchange = depth - 1;
	for (j = 0; j < p->nchange; j++)
		p->change[j] = p->pct_k > 1
		    ? 1 + (long)(ex_random(&p->rng) % (uint64_t)(p->pct_k - 1))
		    : 0;
}

static void
ex_begin_run(struct explore *x, struct ex_priv *p)
{
	p->nsteps = 0;
	p->end = END_NONE;
	p->prev = -1;
	memset(p->local, 0, sizeof p->local);
	memset(p->tclock, 0, sizeof p->tclock);
	memset(p->wclock, 0, sizeof p->wclock);
	memset(p->rclock, 0, sizeof p->rclock);
	if (x->cfg.strategy == EXPLORE_RANDOM ||
	    x->cfg.strategy == EXPLORE_PCT) {
		p->replay = 0;
		p->nfr = 0;
		p->rng = x->cfg.seed * 0x100000001b3ULL + x->runs;
		if (x->cfg.strategy == EXPLORE_PCT)
			ex_pct_setup(x, p);
	}
	p->fr[0].preempt = 0;
}

int
explore_init(struct explore *x, const struct explore_config *cfg, char *err,
    size_t errlen)
{
	struct ex_priv *p;
	int n;

	memset(x, 0, sizeof *x);
	x->cfg = *cfg;
	if (cfg->module->outcome == NULL) {
		snprintf(err, errlen,
		    "%s has no controlled steps to explore; --explore works "
		    "for lessons whose runs can be stepped",
		    cfg->module->id);
		return -1;
	}
	if (cfg->module->validate != NULL &&
	    cfg->module->validate(cfg->params, 1, err, errlen) != 0)
		return -1;
	n = cfg->module->threads(cfg->params);
	if (n < 1 || n > EXPLORE_MAX_THREADS) {
		snprintf(err, errlen,
		    "the explorer runs 1 to %d threads, not %d",
		    EXPLORE_MAX_THREADS, n);
		return -1;
	}
	if (x->cfg.max_steps <= 0)
		x->cfg.max_steps = EXPLORE_DEFAULT_STEPS;
	if ((x->cfg.strategy == EXPLORE_RANDOM ||
	        x->cfg.strategy == EXPLORE_PCT) &&
	    x->cfg.max_schedules == 0)
		x->cfg.max_schedules = EXPLORE_DEFAULT_RUNS;
	p = xcalloc(1, sizeof *p);
	p->nthreads = n;
	p->max_steps = x->cfg.max_steps;
	p->fr = xcalloc((size_t)p->max_steps + 1, sizeof *p->fr);
	p->steps = xcalloc((size_t)p->max_steps + 1, sizeof *p->steps);
	x->priv = p;
	return 0;
}

/* Build the run the exploration reuses. */
static int
ex_run_new(struct explore *x, struct ex_priv *p, char *err, size_t errlen)
{
	struct run_config rc;

	run_config_for(&rc, x->cfg.module, x->cfg.params, POLICY_REPLAY, 0);
	rc.quiet = 1;
	rc.reuse = 1;
	p->run = run_new(&rc, err, errlen);
	if (p->run == NULL)
		return -1;
	if (run_start(p->run) != 0) {
		snprintf(err, errlen, "cannot start the worker threads");
		return -1;
	}
	return 0;
}

/* Whether the bound on schedules stops the search now. */
static int
ex_bounded(const struct explore *x)
{
	return x->cfg.max_schedules > 0 && x->runs >= x->cfg.max_schedules;
}

/* Account for the run just ended; -1 on a replay that went astray. */
static int
ex_after_run(struct explore *x, struct ex_priv *p, char *err, size_t errlen)
{
	uint64_t cls[2], sh[2];
	int new_class = 0;

	x->runs++;
	switch (p->end) {
	case END_DONE:
	case END_STUCK:
		ex_keys(p, cls, sh);
		new_class = ex_set_add(&p->classes, cls);
		(void)ex_set_add(&p->shared, sh);
		x->schedules++;
		ex_tally(x, p, new_class);
		break;
	case END_BLOCKED:
		x->blocked++;
		break;
	case END_CUT:
		x->cut++;
		break;
	default:
		snprintf(err, errlen,
		    "%s did the same schedule two ways, so its runs cannot "
		    "be explored",
		    x->cfg.module->id);
		return -1;
	}
	if (p->nsteps > (size_t)p->pct_k)
		p->pct_k = (long)p->nsteps;
	p->covered += ex_weight(x, p);
	x->classes = p->classes.n;
	x->shared = p->shared.n;
	if (x->cfg.strategy == EXPLORE_ALL || x->cfg.strategy == EXPLORE_DPOR)
		x->estimate = p->covered > 0 ? (double)x->runs / p->covered : 0;
	else
		x->estimate = (double)x->cfg.max_schedules;
	atomic_store_explicit(&x->done_now, x->runs, memory_order_relaxed);
	atomic_store_explicit(
	    &x->total_now, (uint64_t)(x->estimate + 0.5), memory_order_relaxed);
	return 0;
}

/* Outcomes in order: by key, then by value, numbers as numbers. */
static int
ex_outcome_cmp(const void *pa, const void *pb)
{
	const struct explore_outcome *a = pa, *b = pb;
	char *ea, *eb;
	long long va, vb;
	int k = strcmp(a->o.key, b->o.key);

	if (k != 0)
		return k;
	va = strtoll(a->o.value, &ea, 10);
	vb = strtoll(b->o.value, &eb, 10);
	if (*ea == '\0' && *eb == '\0' && ea != a->o.value && eb != b->o.value)
		return (va > vb) - (va < vb);
	return strcmp(a->o.value, b->o.value);
}

int
explore_run(struct explore *x, char *err, size_t errlen)
{
	struct ex_priv *p = x->priv;
	uint64_t t0 = clock_now_ns();
	int rc = 0, more = 1;

	if (ex_run_new(x, p, err, errlen) != 0) {
		rc = -1;
		goto out;
	}
	while (more) {
		if (atomic_load_explicit(&x->stop, memory_order_acquire)) {
			x->cancelled = 1;
			break;
		}
		if (x->runs > 0 && run_reset(p->run, err, errlen) != 0) {
			if (atomic_load_explicit(
			        &x->stop, memory_order_acquire))
				x->cancelled = 1;
			else
				rc = -1;
			break;
		}
		ex_begin_run(x, p);
		if (conductor_run_chosen(p->run->c, ex_pick, x) != 0) {
			x->cancelled = 1;
			break;
		}
		if (ex_after_run(x, p, err, errlen) != 0) {
			rc = -1;
			break;
		}
		if (x->cfg.progress != NULL &&
		    x->runs % EXPLORE_PROGRESS_RUNS == 0) {
			x->elapsed_ns = clock_now_ns() - t0;
			x->cfg.progress(x->cfg.progress_ctx, x);
		}
		if (ex_bounded(x))
			break;
		if (x->cfg.strategy == EXPLORE_ALL ||
		    x->cfg.strategy == EXPLORE_DPOR) {
			more = ex_backtrack(x, p);
			x->complete = !more && x->cut == 0;
		}
	}
out:
	if (p->run != NULL) {
		run_free(p->run);
		p->run = NULL;
	}
	x->elapsed_ns = clock_now_ns() - t0;
	qsort(x->out, (size_t)x->nout, sizeof x->out[0], ex_outcome_cmp);
	return rc;
}

void
explore_cancel(struct explore *x)
{
	atomic_store_explicit(&x->stop, 1, memory_order_release);
}

void
explore_free(struct explore *x)
{
	struct ex_priv *p = x->priv;
	int i;

	for (i = 0; i < x->nout; i++)
		free(x->out[i].witness);
	if (p != NULL) {
		free(p->fr);
		free(p->steps);
		free(p->classes.k);
		free(p->shared.k);
		free(p);
	}
	x->priv = NULL;
}

char *
explore_witness_text(const struct explore *x, int i)
{
	const struct explore_outcome *e = &x->out[i];
	char *s = xcalloc(e->nwitness * 4 + 2, 1);
	size_t k, n = 0;

	for (k = 0; k < e->nwitness; k++)
		n += (size_t)sprintf(
		    s + n, "%s%d", k ? "," : "", e->witness[k] + 1);
	return s;
}
