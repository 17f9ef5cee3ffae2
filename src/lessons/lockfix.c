/*
 * The lock-fix lesson: the race's counter = counter + 1, fixed two ways.
 * fix=mutex takes a lock around the load, add and store (five steps);
 * fix=atomic adds in one indivisible step; fix=none is the race again.
 * Every iteration also waits io_ms for I/O: scope=tight holds the lock
 * only around the increment, scope=wide also across the wait, so that
 * the threads take turns and the program becomes sequential.
 *
 * Controlled runs step through the il_* calls and the conductor's
 * teaching lock. Free runs with io_ms=0 are the measured hot loop: a
 * real pthread_mutex_t, a real atomic add or a real unlocked load and
 * store, with no event per step, so that what the cost table shows is
 * what the fix costs. The loop reports a tally of its increments every
 * LOCKFIX_BATCH, and each wait for the mutex as a state on its lane,
 * both outside the lock; the mutex's owner changes millions of times a
 * second, so it is not reported (the shared panel lists no lock).
 */
#include "conductor.h"
#include "estimate.h"
#include "module.h"
#include "result.h"
#include "run.h"
#include "util.h"
#include "worker.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

enum { P_THREADS, P_ITERATIONS, P_FIX, P_SCOPE, P_IO_MS };
enum { FIX_MUTEX, FIX_ATOMIC, FIX_NONE, FIX_ALL };
enum { SCOPE_TIGHT, SCOPE_WIDE, SCOPE_BOTH };

extern const struct lesson_module lockfix_module;

static const char *const fix_names[] = {"mutex", "atomic", "none", "all", NULL};
static const char *const scope_names[] = {"tight", "wide", "both", NULL};

static const struct param_def lockfix_params[] = {
    [P_THREADS] = {"threads", 2, 1, 16, "threads incrementing", NULL},
    [P_ITERATIONS] = {"iterations", 1, 1, 100000000, "increments per thread",
        NULL},
    [P_FIX] = {"fix", FIX_MUTEX, 0, FIX_ALL,
        "how the increment is protected: a mutex, one atomic step, or "
        "nothing (all: time each, free)",
        fix_names},
    [P_SCOPE] = {"scope", SCOPE_TIGHT, 0, SCOPE_BOTH,
        "mutex: hold the lock around the increment only, or across the "
        "I/O wait too (both: time each, free)",
        scope_names},
    [P_IO_MS] = {"io_ms", 20, 0, 10000,
        "the I/O wait after each increment, in ms (a stepped run: one "
        "step); 0 for none",
        NULL},
};

enum { L_LOCK = 1, L_LOAD, L_ADD, L_STORE, L_UNLOCK, L_FETCH_ADD, L_IO };

static const char *const lockfix_code[] = {
    [L_LOCK - 1] = "lock(m)",
    [L_LOAD - 1] = "tmp = counter",
    [L_ADD - 1] = "tmp = tmp + 1",
    [L_STORE - 1] = "counter = tmp",
    [L_UNLOCK - 1] = "unlock(m)",
    [L_FETCH_ADD - 1] = "fetch_add(&counter, 1)",
    [L_IO - 1] = "wait_for_io()",
};

static const char *const lockfix_locals[] = {"tmp", NULL};

/* How often a hot loop publishes its progress and looks for a cancel. */
#define LOCKFIX_BATCH 1024

/* One worker's count, on a cache line of its own: the hot loop writes
 * it (relaxed) every LOCKFIX_BATCH increments, the controller reads it
 * for progress and, after the join, for the result. */
struct lockfix_lane {
	_Alignas(64) _Atomic long done;
};

struct lockfix {
	struct il_var *counter;
	struct il_lock *m; /* the teaching lock: fix=mutex, not hot */
	/* The hot loop's mutex (fix=mutex, free, io_ms=0): any worker
	 * takes it around its load and store of counter. */
	pthread_mutex_t hot_mu;
	int hot;
	long iterations;
	long io_ms;
	int fix;
	int scope;
	int nthreads;
	struct lockfix_lane *lane;
	/* When the last worker finished (ns): each worker raises it as it
	 * ends, the result reads it after the join. */
	_Atomic uint64_t end_ns;
	/* The start gate of a hot loop: every worker waits under gate_mu
	 * until all of them have arrived (arrived counts them), so that the
	 * loops run together and the time is the loops', not the threads'
	 * creation. The last to arrive sets start_ns (0: not yet) and
	 * broadcasts gate_open. */
	pthread_mutex_t gate_mu;
	pthread_cond_t gate_open;
	int arrived;
	uint64_t start_ns;
};

static int
lockfix_threads(const long *params)
{
	return (int)params[P_THREADS];
}

static int
lockfix_validate(const long *params, int controlled, char *err, size_t errlen)
{
	if (params[P_FIX] == FIX_ALL && params[P_SCOPE] == SCOPE_BOTH) {
		snprintf(err, errlen,
		    "fix=all and scope=both are two plans of timed runs: "
		    "choose one");
		return -1;
	}
	if (controlled &&
	    (params[P_FIX] == FIX_ALL || params[P_SCOPE] == SCOPE_BOTH)) {
		snprintf(err, errlen,
		    "%s times real runs, so it runs with --policy free only",
		    params[P_FIX] == FIX_ALL ? "fix=all" : "scope=both");
		return -1;
	}
	return 0;
}

static int
lockfix_setup(struct run *r, const long *params, char *err, size_t errlen)
{
	struct lockfix *st = xcalloc(1, sizeof *st);
	void *lanes;

	st->counter = run_add_var(r, "counter", 0, 1);
	st->fix = (int)params[P_FIX];
	st->hot = r->cfg.policy == POLICY_FREE && params[P_IO_MS] == 0;
	if (st->fix == FIX_MUTEX && !st->hot)
		st->m = run_add_lock(r, "m");
	if (st->counter == NULL ||
	    (st->fix == FIX_MUTEX && !st->hot && st->m == NULL)) {
		snprintf(err, errlen, "lock-fix: cannot declare the counter");
		free(st);
		return -1;
	}
	st->iterations = params[P_ITERATIONS];
	st->io_ms = params[P_IO_MS];
	st->scope = (int)params[P_SCOPE];
	st->nthreads = r->nthreads;
	if (posix_memalign(
	        &lanes, 64, (size_t)r->nthreads * sizeof *st->lane)) {
		snprintf(err, errlen, "lock-fix: out of memory");
		free(st);
		return -1;
	}
	st->lane = lanes;
	for (int i = 0; i < r->nthreads; i++)
		atomic_init(&st->lane[i].done, 0);
	atomic_init(&st->end_ns, 0);
	pthread_mutex_init(&st->gate_mu, NULL);
	pthread_mutex_init(&st->hot_mu, NULL);
	pthread_cond_init(&st->gate_open, NULL);
	r->lesson = st;
	return 0;
}

/* The lines a run with these parameters runs, in order: the same for
 * every thread. */
static size_t
lockfix_listing(const long *params, int t, int *out, size_t max)
{
	int io = params[P_IO_MS] > 0, wide = params[P_SCOPE] == SCOPE_WIDE;
	size_t n = 0;

	(void)t;
	if (max < 6)
		return 0;
	switch (params[P_FIX]) {
	case FIX_ATOMIC:
		out[n++] = L_FETCH_ADD;
		break;
	case FIX_NONE:
		out[n++] = L_LOAD;
		out[n++] = L_ADD;
		out[n++] = L_STORE;
		break;
	default:
		out[n++] = L_LOCK;
		out[n++] = L_LOAD;
		out[n++] = L_ADD;
		out[n++] = L_STORE;
		if (io && wide)
			out[n++] = L_IO;
		out[n++] = L_UNLOCK;
		if (io && !wide)
			out[n++] = L_IO;
		return n;
	}
	if (io)
		out[n++] = L_IO;
	return n;
}

/* load, add, store: the three steps of the race */
static void
lockfix_increment(struct il_worker *w, struct lockfix *st)
{
	int64_t tmp = il_load(w, st->counter, L_LOAD);

	il_local(w, 0, tmp);
	il_line(w, L_ADD);
	tmp = tmp + 1;
	il_local(w, 0, tmp);
	il_store(w, st->counter, tmp, L_STORE);
}

/* One iteration through the step points: 0, or -1 once cancelled. */
static int
lockfix_step(struct il_worker *w, struct lockfix *st)
{
	int wide = st->scope == SCOPE_WIDE;

	switch (st->fix) {
	case FIX_MUTEX:
		if (il_lock(w, st->m, L_LOCK) != 0)
			return -1;
		lockfix_increment(w, st);
		if (wide && st->io_ms > 0)
			il_io(w, st->io_ms, L_IO);
		il_unlock(w, st->m, L_UNLOCK);
		if (!wide && st->io_ms > 0)
			il_io(w, st->io_ms, L_IO);
		break;
	case FIX_ATOMIC:
		il_fetch_add(w, st->counter, 1, L_FETCH_ADD);
		if (st->io_ms > 0)
			il_io(w, st->io_ms, L_IO);
		break;
	default:
		lockfix_increment(w, st);
		if (st->io_ms > 0)
			il_io(w, st->io_ms, L_IO);
		break;
	}
	return il_cancelled(w) ? -1 : 0;
}

/* The real mutex, as a hot loop takes it: 1 if it had to wait, which
 * its lane shows (the run has no lock declared, so the wait names none);
 * an uncontended lock reports nothing. */
static int
lockfix_hot_lock(struct il_worker *w, pthread_mutex_t *mu)
{
	if (pthread_mutex_trylock(mu) == 0)
		return 0;
	il_state(w, w->id, TS_LOCK_WAIT, L_LOCK);
	pthread_mutex_lock(mu);
	return 1;
}

/* Free runs with no I/O: n increments with the real primitives. */
static void
lockfix_hot(struct il_worker *w, struct lockfix *st, long n)
{
	_Atomic int64_t *c = &st->counter->value;
	long i;

	switch (st->fix) {
	case FIX_MUTEX:
		for (i = 0; i < n; i++) {
			int waited = lockfix_hot_lock(w, &st->hot_mu);

			atomic_store_explicit(c,
			    atomic_load_explicit(c, memory_order_relaxed) + 1,
			    memory_order_relaxed);
			pthread_mutex_unlock(&st->hot_mu);
			/* running again since the lock was taken, told now
			 * so the report is not inside the critical section */
			if (waited)
				il_state(w, w->id, TS_RUNNING, L_UNLOCK);
		}
		break;
	case FIX_ATOMIC:
		for (i = 0; i < n; i++)
			atomic_fetch_add_explicit(c, 1, memory_order_relaxed);
		break;
	default:
		/* a real load and a real store, with nothing between other
		 * threads' stores and this one: updates are lost */
		for (i = 0; i < n; i++)
			atomic_store_explicit(c,
			    atomic_load_explicit(c, memory_order_relaxed) + 1,
			    memory_order_relaxed);
		break;
	}
}

/* Wait until every worker is at the gate (or the run is cancelled: a
 * worker that never starts must not hold the others forever). */
static void
lockfix_gate(struct il_worker *w, struct lockfix *st, int nthreads)
{
	struct timespec until;

	pthread_mutex_lock(&st->gate_mu);
	if (++st->arrived == nthreads) {
		st->start_ns = clock_now_ns();
		pthread_cond_broadcast(&st->gate_open);
	}
	while (st->start_ns == 0 && !il_cancelled(w)) {
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += 10000000;
		if (until.tv_nsec >= 1000000000) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&st->gate_open, &st->gate_mu, &until);
	}
	pthread_mutex_unlock(&st->gate_mu);
}

static void
lockfix_worker(struct il_worker *w)
{
	struct lockfix *st = w->lesson;
	_Atomic long *done = &st->lane[w->id].done;
	uint64_t end, prev;
	long i, n;

	if (st->hot) {
		lockfix_gate(w, st, st->nthreads);
		il_state(w, w->id, TS_RUNNING, L_LOAD);
		for (i = 0; i < st->iterations && !il_cancelled(w); i += n) {
			n = st->iterations - i < LOCKFIX_BATCH
			    ? st->iterations - i
			    : LOCKFIX_BATCH;
			lockfix_hot(w, st, n);
			atomic_store_explicit(
			    done, i + n, memory_order_relaxed);
			il_tally(w, st->counter, n);
		}
	} else {
		for (i = 0; i < st->iterations; i++) {
			if (lockfix_step(w, st) != 0)
				break;
			atomic_store_explicit(
			    done, i + 1, memory_order_relaxed);
		}
	}
	end = clock_now_ns();
	prev = atomic_load_explicit(&st->end_ns, memory_order_relaxed);
	while (prev < end &&
	    !atomic_compare_exchange_weak_explicit(&st->end_ns, &prev, end,
	        memory_order_relaxed, memory_order_relaxed))
		;
}

/* Increments the workers really completed. */
static long long
lockfix_expected(struct run *r)
{
	struct lockfix *st = r->lesson;
	long long n = 0;
	int i;

	for (i = 0; i < r->nthreads; i++)
		n += atomic_load_explicit(
		    &st->lane[i].done, memory_order_relaxed);
	return n;
}

/* The explorer's outcome: the counter against every increment the
 * threads would do. */
static int
lockfix_outcome(struct run *r, int stuck, struct outcome *o)
{
	struct lockfix *st = r->lesson;

	(void)stuck;
	return result_counter_outcome(
	    (long long)atomic_load_explicit(
	        &st->counter->value, memory_order_relaxed),
	    (long long)st->iterations * r->nthreads, o);
}

/* counter from the real shared memory, expected from the increments the
 * workers completed; the wall time from the start to the last worker's
 * end, and its share for each increment. */
static void
lockfix_result(struct run *r, struct result *res)
{
	struct lockfix *st = r->lesson;
	long long counter, expected = lockfix_expected(r);
	uint64_t end = atomic_load_explicit(&st->end_ns, memory_order_relaxed);
	/* a hot loop is timed from its gate, any other run from its start */
	uint64_t start = st->start_ns != 0 ? st->start_ns : r->start_ns;
	double wall = end > start ? (double)(end - start) : 0;

	counter = (long long)atomic_load_explicit(
	    &st->counter->value, memory_order_relaxed);
	result_int(res, "counter", counter);
	result_int(res, "expected", expected);
	result_int(res, "lost", expected - counter);
	result_word(res, "fix", fix_names[st->fix]);
	result_word(res, "scope", scope_names[st->scope]);
	result_real(res, "wall_ms", wall / 1e6, 1);
	result_real(
	    res, "ns_per_inc", expected > 0 ? wall / (double)expected : 0, 1);
}

static void
lockfix_result_words(struct run *r, char *buf, size_t len)
{
	struct lockfix *st = r->lesson;
	long long counter, expected = lockfix_expected(r);

	counter = (long long)atomic_load_explicit(
	    &st->counter->value, memory_order_relaxed);
	result_counter_words(counter, expected, buf, len);
}

static void
lockfix_progress(struct run *r, uint64_t *done, uint64_t *total)
{
	struct lockfix *st = r->lesson;

	*done = (uint64_t)lockfix_expected(r);
	*total = (uint64_t)st->iterations * (uint64_t)r->nthreads;
}

/* Runs with I/O take at least their waits: every thread's in turn with
 * scope=wide, one thread's with tight; others are timed by a pilot. */
static uint64_t
lockfix_estimate_ms(const long *params, int controlled)
{
	uint64_t it = (uint64_t)params[P_ITERATIONS];
	uint64_t incs = (uint64_t)params[P_THREADS] * it;

	if (!controlled && params[P_IO_MS] > 0)
		return (params[P_FIX] == FIX_MUTEX &&
		                   params[P_SCOPE] == SCOPE_WIDE
		               ? incs
		               : it) *
		    (uint64_t)params[P_IO_MS];
	if (incs < (controlled ? 20000u : 1000000u))
		return 0;
	return estimate_by_pilot(
	    &lockfix_module, params, P_ITERATIONS, controlled);
}

/* Free runs sample the kernel's view: a thread asleep on the mutex's
 * futex, one spinning and one waiting for a CPU look different there. */
static int
lockfix_sample_ms(const long *params)
{
	(void)params;
	return 10;
}

static void
lockfix_teardown(struct run *r)
{
	struct lockfix *st = r->lesson;

	pthread_mutex_destroy(&st->hot_mu);
	pthread_cond_destroy(&st->gate_open);
	pthread_mutex_destroy(&st->gate_mu);
	free(st->lane);
	free(st);
	r->lesson = NULL;
}

/* The cost plan: each fix on the same hot loop, none first. Its key sets
 * up the measured workload (see lockfix_cost_then). */
static const long fix_values[] = {FIX_NONE, FIX_MUTEX, FIX_ATOMIC, -1};
static const struct plan_column cost_cols[] = {
    {"wall ms", 9, PLAN_COL_WALL, NULL, NULL, 1},
    {"ns/inc", 7, PLAN_COL_FIELD, "ns_per_inc", NULL, 1},
    {"vs none", 8, PLAN_COL_VS_BASE, "ns_per_inc", NULL, 0},
    {"lost", 8, PLAN_COL_FIELD, "lost", NULL, 0},
};

/* The scope plan: tight then wide, each beside the sequential time. */
static const long scope_values[] = {SCOPE_TIGHT, SCOPE_WIDE, -1};
static const struct plan_column scope_cols[] = {
    {"wall ms", 9, PLAN_COL_WALL, NULL, NULL, 1},
    {"seq ms", 8, PLAN_COL_REF, NULL, NULL, 0},
    {"vs seq", 8, PLAN_COL_VS_REF, NULL, NULL, 0},
    {"vs tight", 10, PLAN_COL_VS_BASE, "wall_ms", NULL, 0},
};

/* Every thread's I/O one after another: what taking turns costs. */
static double
lockfix_sequential_ms(const long *params)
{
	return (double)params[P_THREADS] * (double)params[P_ITERATIONS] *
	    (double)params[P_IO_MS];
}

static const struct lesson_plan lockfix_plans[] = {
    {
        .param = P_FIX,
        .all_value = FIX_ALL,
        .baseline = FIX_NONE,
        .values = fix_values,
        .cols = cost_cols,
        .ncols = IL_ARRAY_LEN(cost_cols),
        .wall_ms = "wall_ms",
        .hint = "t: tight/wide, f: step",
    },
    {
        .param = P_SCOPE,
        .all_value = SCOPE_BOTH,
        .baseline = SCOPE_TIGHT,
        .values = scope_values,
        .cols = scope_cols,
        .ncols = IL_ARRAY_LEN(scope_cols),
        .reference_ms = lockfix_sequential_ms,
        .wall_ms = "wall_ms",
        .hint = "a: cost of each fix, f: step",
    },
};

/* a: the cost is measured on many increments with no I/O, so that the
 * fix is what takes the time; a workload set larger is kept. */
static void
lockfix_cost_then(long *params)
{
	params[P_IO_MS] = 0;
	params[P_SCOPE] = SCOPE_TIGHT;
	if (params[P_ITERATIONS] < 100000) {
		params[P_THREADS] = 4;
		params[P_ITERATIONS] = 1000000;
	}
}

/* t: the staircase needs the lock, threads to take turns, and I/O
 * waits long enough to measure but few enough to watch: 4 threads x 5
 * waits of 20 ms, unless the workload set is already one like it. */
static void
lockfix_scope_then(long *params)
{
	long per_thread = params[P_ITERATIONS] * params[P_IO_MS];

	params[P_FIX] = FIX_MUTEX;
	if (params[P_THREADS] < 2 || per_thread < 100 || per_thread > 2000) {
		params[P_THREADS] = 4;
		params[P_ITERATIONS] = 5;
		params[P_IO_MS] = 20;
	}
}

static const struct lesson_key lockfix_keys[] = {
    {'x', "fix", "the fix: mutex, atomic or none", LESSON_KEY_CYCLE, "fix", 0,
        1, NULL, NULL, NULL},
    {'w', "scope", "mutex: hold it tight, or wide across the I/O wait",
        LESSON_KEY_CYCLE, "scope", 0, 0, NULL, NULL, NULL},
    {'a', "cost", "time each fix (4 threads x 1M increments, free)",
        LESSON_KEY_PLAN, NULL, 0, 1, NULL, NULL, lockfix_cost_then},
    {'t', "tight/wide", "time tight and wide against sequential (free)",
        LESSON_KEY_PLAN, NULL, 1, 0, NULL, NULL, lockfix_scope_then},
};

/* The results table first while a plan measures (it has no rows
 * otherwise), then the code and the shared panel: the lock's owner and
 * its queue are what a stepped run is about. */
static const struct lesson_panel_want lockfix_panels[] = {
    {LESSON_PANEL_RESULTS, 25},
    {LESSON_PANEL_CODE, 30},
    {LESSON_PANEL_SHARED, 50},
    {LESSON_PANEL_KERNEL, 60},
    {LESSON_PANEL_LOG, 70},
};

static const struct result_key lockfix_result_keys[] = {{"counter", 1, NULL},
    {"expected", 1, NULL}, {"lost", 1, NULL}, {"fix", 0, NULL},
    {"scope", 0, NULL}, {"wall_ms", 1, NULL}, {"ns_per_inc", 1, NULL}};

const struct lesson_module lockfix_module = {
    .id = "lock-fix",
    .params = lockfix_params,
    .nparams = IL_ARRAY_LEN(lockfix_params),
    .code = lockfix_code,
    .ncode = IL_ARRAY_LEN(lockfix_code),
    .locals = lockfix_locals,
    .threads = lockfix_threads,
    .validate = lockfix_validate,
    .setup = lockfix_setup,
    .worker = lockfix_worker,
    .result = lockfix_result,
    .result_keys = lockfix_result_keys,
    .nresult_keys = IL_ARRAY_LEN(lockfix_result_keys),
    .show_events = LESSON_SHOW_BIT(LESSON_SHOW_AFTER_LOAD) |
        LESSON_SHOW_BIT(LESSON_SHOW_AFTER_STORE) |
        LESSON_SHOW_BIT(LESSON_SHOW_LOST_UPDATE) |
        LESSON_SHOW_BIT(LESSON_SHOW_DONE),
    .result_words = lockfix_result_words,
    .teardown = lockfix_teardown,
    .progress = lockfix_progress,
    .estimate_ms = lockfix_estimate_ms,
    .sample_ms = lockfix_sample_ms,
    .keys = lockfix_keys,
    .nkeys = IL_ARRAY_LEN(lockfix_keys),
    .listing = lockfix_listing,
    .panels = lockfix_panels,
    .npanels = IL_ARRAY_LEN(lockfix_panels),
    .plans = lockfix_plans,
    .nplans = IL_ARRAY_LEN(lockfix_plans),
    .outcome = lockfix_outcome,
};
