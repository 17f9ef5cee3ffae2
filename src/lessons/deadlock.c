/*
 * The deadlock lesson: threads that each need two locks. Two threads take
 * locks A and B, in opposite orders (order=opposite) or in the same order
 * (order=same); or N dining philosophers each take the two forks beside
 * them, the left one first (opposite: every philosopher the same way round
 * the table, so the waits can close a ring) or the lower-numbered one first
 * (same: a global order, which never closes one).
 *
 * The model finds the cycle of the wait-for graph itself (m->deadlock).
 * This module adds what the model cannot see: strategy=trylock tries the
 * second lock instead of waiting for it, and a thread that fails lets go of
 * the first and backs off, which can livelock. The module counts failed
 * attempts and meals (a thread holding both locks) in its own atomics, and
 * calls it a livelock once every thread still running has failed
 * LIVELOCK_FAILS times with no meal since the last one (or the start).
 */
#include "conductor.h"
#include "model.h"
#include "module.h"
#include "result.h"
#include "run.h"
#include "util.h"
#include "worker.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	P_PHILOSOPHERS,
	P_ORDER,
	P_HOLD,
	P_STRATEGY,
	P_BACKOFF,
	P_ITERATIONS,
	P_TIMEOUT
};
enum { ORDER_OPPOSITE, ORDER_SAME };
enum { STRATEGY_BLOCK, STRATEGY_TRYLOCK };
enum { BACKOFF_FIXED, BACKOFF_RANDOM };

/* The philosophers a key sets: the classic table. */
#define DINING_TABLE 5

/*
 * The livelock bound: since the last meal (or the start), every thread
 * that has not finished has given up at least this many times, so that
 * at least LIVELOCK_FAILS x N attempts failed in a row and none of them
 * ate. Three rounds rule out a thread that just came late to a lock.
 */
#define LIVELOCK_FAILS 3

static const char *const order_names[] = {"opposite", "same", NULL};
static const char *const strategy_names[] = {"block", "trylock", NULL};
static const char *const backoff_names[] = {"fixed", "random", NULL};

static const struct param_def deadlock_params[] = {
    [P_PHILOSOPHERS] = {"philosophers", 0, 0, 9,
        "0: two threads and locks A and B; 2 to 9: that many dining "
        "philosophers and forks",
        NULL},
    [P_ORDER] = {"order", ORDER_OPPOSITE, 0, ORDER_SAME,
        "opposite: thread 2 takes B first (each philosopher its left "
        "fork); same: everyone takes the locks in one order",
        order_names},
    [P_HOLD] = {"hold", 10, 0, 10000,
        "free runs: ms between taking the first lock and the second", NULL},
    [P_STRATEGY] = {"strategy", STRATEGY_BLOCK, 0, STRATEGY_TRYLOCK,
        "block: wait for the second lock; trylock: try it, and on failure "
        "let go of the first and back off",
        strategy_names},
    [P_BACKOFF] = {"backoff", BACKOFF_FIXED, 0, BACKOFF_RANDOM,
        "trylock: back off hold ms (fixed) or a random 0 to 2 x hold ms "
        "(stepped: 1 step, or 1 to 4)",
        backoff_names},
    [P_ITERATIONS] = {"iterations", 1, 1, 1000,
        "meals (rounds with both locks) per thread", NULL},
    [P_TIMEOUT] = {"timeout", 1000, 100, 60000,
        "free runs end after this many ms, deadlocked or not", NULL},
};

enum {
	L_LOCK_A = 1,
	L_LOCK_B,
	L_TRY_A,
	L_TRY_B,
	L_WORK,
	L_UNLOCK_B,
	L_UNLOCK_A,
	L_BACKOFF,
	L_LOCK_LEFT,
	L_LOCK_RIGHT,
	L_TRY_RIGHT,
	L_UNLOCK_RIGHT,
	L_UNLOCK_LEFT,
	L_LOCK_LOWER,
	L_LOCK_HIGHER,
	L_TRY_HIGHER,
	L_UNLOCK_HIGHER,
	L_UNLOCK_LOWER,
	L_EAT,
};

static const char *const deadlock_code[] = {
    [L_LOCK_A - 1] = "lock(A)",
    [L_LOCK_B - 1] = "lock(B)",
    [L_TRY_A - 1] = "trylock(A)",
    [L_TRY_B - 1] = "trylock(B)",
    [L_WORK - 1] = "work()",
    [L_UNLOCK_B - 1] = "unlock(B)",
    [L_UNLOCK_A - 1] = "unlock(A)",
    [L_BACKOFF - 1] = "back off",
    [L_LOCK_LEFT - 1] = "lock(left)",
    [L_LOCK_RIGHT - 1] = "lock(right)",
    [L_TRY_RIGHT - 1] = "trylock(right)",
    [L_UNLOCK_RIGHT - 1] = "unlock(right)",
    [L_UNLOCK_LEFT - 1] = "unlock(left)",
    [L_LOCK_LOWER - 1] = "lock(lower)",
    [L_LOCK_HIGHER - 1] = "lock(higher)",
    [L_TRY_HIGHER - 1] = "trylock(higher)",
    [L_UNLOCK_HIGHER - 1] = "unlock(higher)",
    [L_UNLOCK_LOWER - 1] = "unlock(lower)",
    [L_EAT - 1] = "eat()",
};

/* What one thread runs: its two locks in the order it takes them, and
 * the source line of each step. */
struct dl_plan {
	struct il_lock *first, *second;
	int l_first, l_second, l_try, l_unsecond, l_unfirst, l_work;
};

/* One thread's counts, on a cache line of its own. Written only by that
 * thread (relaxed), read by any thread that checks for a livelock and by
 * the controller (alert, progress, result). */
struct dl_lane {
	_Alignas(64) _Atomic long fails; /* given up since epoch's meal */
	_Atomic uint64_t epoch;          /* the meal count fails counts from */
	_Atomic long meals;
	_Atomic int finished;
};

struct deadlock {
	int nthreads;
	int philosophers;
	int order, strategy, backoff;
	long hold, iterations;
	int free_run;
	uint64_t seed;
	struct dl_plan *plan;
	struct dl_lane *lane;
	/* The livelock bookkeeping, touched by every worker (relaxed
	 * atomics; a meal and a failure that race can only shift a streak
	 * by one attempt) and read by the controller:
	 * epoch: meals so far, so a streak is "no meal since epoch";
	 * met: epoch + 1 once the current streak met the bound, so it
	 *   stays met only while no meal has come since;
	 * streak_ns / streak_step: when the current streak began (the last
	 *   meal, or the start), wall ns and conductor steps;
	 * best_ns: the longest finished streak that met the bound;
	 * ever: 1 once any streak met the bound. */
	_Atomic uint64_t epoch;
	_Atomic uint64_t met;
	_Atomic uint64_t streak_ns;
	_Atomic uint32_t streak_step;
	_Atomic uint64_t best_ns;
	_Atomic int ever;
};

static int
deadlock_threads(const long *params)
{
	return params[P_PHILOSOPHERS] > 0 ? (int)params[P_PHILOSOPHERS] : 2;
}

static int
deadlock_validate(const long *params, int controlled, char *err, size_t errlen)
{
	(void)controlled;
	if (params[P_PHILOSOPHERS] == 1) {
		snprintf(err, errlen,
		    "philosophers=1 is one philosopher and one fork, who never "
		    "waits: give 2 to 9, or 0 for two threads");
		return -1;
	}
	return 0;
}

/* Thread t's plan: which lock it takes first, and its lines. */
static void
deadlock_plan_for(struct deadlock *st, struct run *r, int t)
{
	struct dl_plan *p = &st->plan[t];
	int n = st->nthreads;

	if (st->philosophers == 0) {
		int swap = st->order == ORDER_OPPOSITE && t == 1;

		p->first = &r->locks[swap ? 1 : 0];
		p->second = &r->locks[swap ? 0 : 1];
		p->l_first = swap ? L_LOCK_B : L_LOCK_A;
		p->l_second = swap ? L_LOCK_A : L_LOCK_B;
		p->l_try = swap ? L_TRY_A : L_TRY_B;
		p->l_unsecond = swap ? L_UNLOCK_A : L_UNLOCK_B;
		p->l_unfirst = swap ? L_UNLOCK_B : L_UNLOCK_A;
		p->l_work = L_WORK;
		return;
	}
	/* philosopher t + 1 sits between fork t + 1 (left) and fork
	 * (t + 1) % n + 1 (right), at indices t and (t + 1) % n */
	int left = t, right = (t + 1) % n;

	p->l_work = L_EAT;
	if (st->order == ORDER_OPPOSITE) {
		p->first = &r->locks[left];
		p->second = &r->locks[right];
		p->l_first = L_LOCK_LEFT;
		p->l_second = L_LOCK_RIGHT;
		p->l_try = L_TRY_RIGHT;
		p->l_unsecond = L_UNLOCK_RIGHT;
		p->l_unfirst = L_UNLOCK_LEFT;
	} else {
		p->first = &r->locks[left < right ? left : right];
		p->second = &r->locks[left < right ? right : left];
		p->l_first = L_LOCK_LOWER;
		p->l_second = L_LOCK_HIGHER;
		p->l_try = L_TRY_HIGHER;
		p->l_unsecond = L_UNLOCK_HIGHER;
		p->l_unfirst = L_UNLOCK_LOWER;
	}
}

/* The fork names, "f1" to "f9"; static, as the locks keep the pointer. */
static const char *const fork_names[] = {
    "f1", "f2", "f3", "f4", "f5", "f6", "f7", "f8", "f9"};

static int
deadlock_setup(struct run *r, const long *params, char *err, size_t errlen)
{
	struct deadlock *st = xcalloc(1, sizeof *st);
	void *lanes;
	int i, nlocks;

	st->nthreads = r->nthreads;
	st->philosophers = (int)params[P_PHILOSOPHERS];
	st->order = (int)params[P_ORDER];
	st->strategy = (int)params[P_STRATEGY];
	st->backoff = (int)params[P_BACKOFF];
	st->hold = params[P_HOLD];
	st->iterations = params[P_ITERATIONS];
	st->free_run = r->cfg.policy == POLICY_FREE;
	st->seed = r->cfg.seed;
	nlocks = st->philosophers > 0 ? st->philosophers : 2;
	for (i = 0; i < nlocks; i++) {
		const char *name =
		    st->philosophers > 0 ? fork_names[i] : (i == 0 ? "A" : "B");

		if (run_add_lock(r, name) == NULL) {
			snprintf(
			    err, errlen, "deadlock: cannot declare %s", name);
			free(st);
			return -1;
		}
	}
	if (posix_memalign(
	        &lanes, 64, (size_t)r->nthreads * sizeof *st->lane)) {
		snprintf(err, errlen, "deadlock: out of memory");
		free(st);
		return -1;
	}
	st->lane = lanes;
	for (i = 0; i < r->nthreads; i++) {
		atomic_init(&st->lane[i].fails, 0);
		atomic_init(&st->lane[i].epoch, 0);
		atomic_init(&st->lane[i].meals, 0);
		atomic_init(&st->lane[i].finished, 0);
	}
	st->plan = xcalloc((size_t)r->nthreads, sizeof *st->plan);
	for (i = 0; i < r->nthreads; i++)
		deadlock_plan_for(st, r, i);
	atomic_init(&st->epoch, 0);
	atomic_init(&st->met, 0);
	atomic_init(&st->streak_ns, clock_now_ns());
	atomic_init(&st->streak_step, 0);
	atomic_init(&st->best_ns, 0);
	atomic_init(&st->ever, 0);
	r->lesson = st;
	return 0;
}

/* The lines thread t of a run with these parameters runs, in order:
 * with the opposite order, thread 2 takes B first. */
static size_t
deadlock_listing(const long *params, int t, int *out, size_t max)
{
	int phil = params[P_PHILOSOPHERS] > 0;
	int same = params[P_ORDER] == ORDER_SAME;
	int tryl = params[P_STRATEGY] == STRATEGY_TRYLOCK;
	int swap = !phil && !same && t == 1;
	size_t n = 0;

	if (max < 9)
		return 0;
	if (phil) {
		out[n++] = same ? L_LOCK_LOWER : L_LOCK_LEFT;
		if (tryl)
			out[n++] = same ? L_TRY_HIGHER : L_TRY_RIGHT;
		else
			out[n++] = same ? L_LOCK_HIGHER : L_LOCK_RIGHT;
		out[n++] = L_EAT;
		out[n++] = same ? L_UNLOCK_HIGHER : L_UNLOCK_RIGHT;
		out[n++] = same ? L_UNLOCK_LOWER : L_UNLOCK_LEFT;
	} else {
		out[n++] = swap ? L_LOCK_B : L_LOCK_A;
		if (tryl)
			out[n++] = swap ? L_TRY_A : L_TRY_B;
		else
			out[n++] = swap ? L_LOCK_A : L_LOCK_B;
		out[n++] = L_WORK;
		out[n++] = swap ? L_UNLOCK_A : L_UNLOCK_B;
		out[n++] = swap ? L_UNLOCK_B : L_UNLOCK_A;
	}
	if (tryl)
		out[n++] = L_BACKOFF;
	return n;
}

/* A per-thread generator (xorshift64*), seeded from the run's seed and
 * the thread, so a stepped run backs off the same way every time. */
static uint64_t
deadlock_rand(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ull;
}

/* 1 if every thread still running has failed LIVELOCK_FAILS times since
 * meal epoch, and at least two still run (one alone cannot livelock). */
static int
deadlock_bound_met(struct deadlock *st, uint64_t epoch)
{
	int i, running = 0;

	for (i = 0; i < st->nthreads; i++) {
		struct dl_lane *l = &st->lane[i];

		if (atomic_load_explicit(&l->finished, memory_order_relaxed))
			continue;
		running++;
		if (atomic_load_explicit(&l->epoch, memory_order_relaxed) !=
		        epoch ||
		    atomic_load_explicit(&l->fails, memory_order_relaxed) <
		        LIVELOCK_FAILS)
			return 0;
	}
	return running >= 2;
}

/* Thread t gave up an attempt: count it in the current streak, and mark
 * the streak a livelock once the bound is met. */
static void
deadlock_failed(struct deadlock *st, int t)
{
	struct dl_lane *l = &st->lane[t];
	uint64_t epoch = atomic_load_explicit(&st->epoch, memory_order_relaxed);

	if (atomic_load_explicit(&l->epoch, memory_order_relaxed) != epoch) {
		atomic_store_explicit(&l->fails, 0, memory_order_relaxed);
		atomic_store_explicit(&l->epoch, epoch, memory_order_relaxed);
	}
	atomic_store_explicit(&l->fails,
	    atomic_load_explicit(&l->fails, memory_order_relaxed) + 1,
	    memory_order_relaxed);
	if (deadlock_bound_met(st, epoch)) {
		atomic_store_explicit(
		    &st->met, epoch + 1, memory_order_relaxed);
		atomic_store_explicit(&st->ever, 1, memory_order_relaxed);
	}
}

/* Thread t holds both locks: a meal, which ends the current streak. */
static void
deadlock_meal(struct deadlock *st, struct il_worker *w)
{
	struct dl_lane *l = &st->lane[w->id];
	uint64_t now = clock_now_ns(), epoch, since, best;

	epoch = atomic_fetch_add_explicit(&st->epoch, 1, memory_order_relaxed);
	if (atomic_load_explicit(&st->met, memory_order_relaxed) == epoch + 1) {
		since =
		    atomic_load_explicit(&st->streak_ns, memory_order_relaxed);
		best = atomic_load_explicit(&st->best_ns, memory_order_relaxed);
		while (now > since && now - since > best &&
		    !atomic_compare_exchange_weak_explicit(&st->best_ns, &best,
		        now - since, memory_order_relaxed,
		        memory_order_relaxed))
			;
	}
	atomic_store_explicit(&st->streak_ns, now, memory_order_relaxed);
	atomic_store_explicit(&st->streak_step, conductor_steps(w->conductor),
	    memory_order_relaxed);
	atomic_store_explicit(&l->meals,
	    atomic_load_explicit(&l->meals, memory_order_relaxed) + 1,
	    memory_order_relaxed);
}

/* Back off after a failed attempt: free runs sleep hold ms (fixed) or a
 * random 0 to 2 x hold ms; stepped runs give up 1 step (fixed) or 1 to
 * 4 (random). */
static void
deadlock_back_off(struct deadlock *st, struct il_worker *w, uint64_t *rng)
{
	long ms = st->hold, steps = 1;

	if (st->backoff == BACKOFF_RANDOM) {
		ms = (long)(deadlock_rand(rng) % (uint64_t)(2 * st->hold + 1));
		steps = 1 + (long)(deadlock_rand(rng) % 4);
	}
	if (st->free_run) {
		if (ms > 0)
			il_io(w, ms, L_BACKOFF);
		else
			il_yield(w, L_BACKOFF);
		return;
	}
	while (steps-- > 0 && !il_cancelled(w))
		il_yield(w, L_BACKOFF);
}

/*
 * One attempt with trylock: 1 if the thread ate, 0 if it gave up, -1 if
 * cancelled. In a free run the thread holds its first lock for 2 x hold
 * ms with its one try of the second in the middle: two threads whose
 * attempts begin less than hold ms apart then each find the other's lock
 * held (the later one too: the first still holds its lock when the later
 * one tries), so with the same back-off they stay in step and fail
 * forever, where a random back-off soon puts them hold ms apart. (A
 * thread that kept trying until it let go would catch the other's
 * release whenever the two were not started at the same instant.)
 */
static int
deadlock_attempt(struct deadlock *st, struct il_worker *w, uint64_t *rng)
{
	const struct dl_plan *p = &st->plan[w->id];

	if (il_lock(w, p->first, p->l_first) != 0)
		return -1;
	if (st->free_run && st->hold > 0)
		il_io(w, st->hold, p->l_first);
	if (il_trylock(w, p->second, p->l_try))
		return 1;
	if (st->free_run && st->hold > 0)
		il_io(w, st->hold, p->l_try);
	il_unlock(w, p->first, p->l_unfirst);
	if (il_cancelled(w))
		return -1;
	deadlock_failed(st, w->id);
	deadlock_back_off(st, w, rng);
	return il_cancelled(w) ? -1 : 0;
}

/* One meal: both locks, the work, both released. 0, or -1 if cancelled
 * (then nothing is held). */
static int
deadlock_round(struct deadlock *st, struct il_worker *w, uint64_t *rng)
{
	const struct dl_plan *p = &st->plan[w->id];
	int rc;

	if (st->strategy == STRATEGY_TRYLOCK) {
		while ((rc = deadlock_attempt(st, w, rng)) == 0)
			;
		if (rc < 0)
			return -1;
	} else {
		if (il_lock(w, p->first, p->l_first) != 0)
			return -1;
		if (st->free_run && st->hold > 0)
			il_io(w, st->hold, p->l_first);
		if (il_lock(w, p->second, p->l_second) != 0) {
			il_unlock(w, p->first, p->l_unfirst);
			return -1;
		}
	}
	deadlock_meal(st, w);
	il_line(w, p->l_work);
	il_unlock(w, p->second, p->l_unsecond);
	il_unlock(w, p->first, p->l_unfirst);
	return il_cancelled(w) ? -1 : 0;
}

static void
deadlock_worker(struct il_worker *w)
{
	struct deadlock *st = w->lesson;
	uint64_t rng = (st->seed + 1) * 0x9e3779b97f4a7c15ull ^
	    ((uint64_t)w->id + 1) * 0xbf58476d1ce4e5b9ull;
	long i;

	if (rng == 0)
		rng = 1;
	for (i = 0; i < st->iterations; i++)
		if (deadlock_round(st, w, &rng) != 0)
			break;
	atomic_store_explicit(
	    &st->lane[w->id].finished, 1, memory_order_relaxed);
}

static long
deadlock_meals(const struct deadlock *st)
{
	long n = 0;
	int i;

	for (i = 0; i < st->nthreads; i++)
		n += atomic_load_explicit(
		    &st->lane[i].meals, memory_order_relaxed);
	return n;
}

/* The current streak, if it met the bound and no meal has come since:
 * 1 and its length in ns until now (or the run's end) and in steps. */
static int
deadlock_live_streak(
    struct run *r, struct deadlock *st, uint64_t *ns, uint32_t *steps)
{
	uint64_t epoch = atomic_load_explicit(&st->epoch, memory_order_relaxed);
	uint64_t since =
	    atomic_load_explicit(&st->streak_ns, memory_order_relaxed);
	uint64_t now = r->joined && r->end_ns != 0 ? r->end_ns : clock_now_ns();

	if (atomic_load_explicit(&st->met, memory_order_relaxed) != epoch + 1)
		return 0;
	*ns = now > since ? now - since : 0;
	*steps = conductor_steps(r->c) -
	    atomic_load_explicit(&st->streak_step, memory_order_relaxed);
	return 1;
}

/* The cycle as a result word: "T1>B>T2>A>T1" (the model starts it at
 * its lowest-numbered thread, whichever closed it), or "none". */
static void
deadlock_cycle_word(const struct model *m, char *buf, size_t len)
{
	if (m->deadlock.n == 0)
		snprintf(buf, len, "none");
	else
		model_cycle_short(m, &m->deadlock, buf, len);
}

static void
deadlock_result(struct run *r, struct result *res)
{
	struct deadlock *st = r->lesson;
	uint64_t best =
	    atomic_load_explicit(&st->best_ns, memory_order_relaxed);
	uint64_t live = 0;
	uint32_t steps;
	char cycle[RESULT_WORD_MAX];

	if (deadlock_live_streak(r, st, &live, &steps) && live > best)
		best = live;
	deadlock_cycle_word(r->m, cycle, sizeof cycle);
	result_word(res, "deadlock", r->m->deadlock.n > 0 ? "yes" : "no");
	result_word(res, "cycle", cycle);
	result_word(res, "livelock",
	    atomic_load_explicit(&st->ever, memory_order_relaxed) ? "yes"
	                                                          : "no");
	result_int(res, "livelock_ms", (int64_t)(best / 1000000u));
	result_word(res, "order", order_names[st->order]);
	result_word(res, "strategy", strategy_names[st->strategy]);
	result_word(res, "backoff", backoff_names[st->backoff]);
	result_int(res, "philosophers", st->philosophers);
	result_int(res, "meals", deadlock_meals(st));
	result_int(
	    res, "expected_meals", (int64_t)st->iterations * st->nthreads);
	result_word(res, "timed_out", r->timed_out ? "yes" : "no");
}

/* The explorer's outcome: a run ends complete, or with every thread
 * that is left waiting (a deadlock, the failure this lesson is about). */
static int
deadlock_outcome(struct run *r, int stuck, struct outcome *o)
{
	(void)r;
	snprintf(o->key, sizeof o->key, "end");
	snprintf(o->value, sizeof o->value, stuck ? "deadlock" : "complete");
	return stuck;
}

/* The same in words, for the shared panel. */
static void
deadlock_result_words(struct run *r, char *buf, size_t len)
{
	struct deadlock *st = r->lesson;
	long meals = deadlock_meals(st);
	long expected = st->iterations * st->nthreads;
	char cycle[256];

	if (r->m->deadlock.n > 0) {
		model_cycle_short(r->m, &r->m->deadlock, cycle, sizeof cycle);
		snprintf(buf, len, "deadlock: %s; %ld of %ld meals", cycle,
		    meals, expected);
	} else if (atomic_load_explicit(&st->ever, memory_order_relaxed))
		snprintf(
		    buf, len, "livelock: %ld of %ld meals", meals, expected);
	else
		snprintf(
		    buf, len, "%ld of %ld meals, no deadlock", meals, expected);
}

/* A livelock going on: how long, in s (free) or steps (stepped). */
static int
deadlock_alert(struct run *r, char *buf, size_t len)
{
	struct deadlock *st = r->lesson;
	uint64_t ns;
	uint32_t steps;
	char span[32];

	if (st == NULL || !deadlock_live_streak(r, st, &ns, &steps))
		return 0;
	if (st->free_run)
		snprintf(span, sizeof span, "%.1f s", (double)ns / 1e9);
	else
		snprintf(span, sizeof span, "%u step%s", steps,
		    steps == 1 ? "" : "s");
	snprintf(buf, len,
	    "LIVELOCK for %s: every %s keeps trying and giving up, and "
	    "none has held both %s in that time",
	    span, st->philosophers > 0 ? "philosopher" : "thread",
	    st->philosophers > 0 ? "forks" : "locks");
	return 1;
}

static void
deadlock_progress(struct run *r, uint64_t *done, uint64_t *total)
{
	struct deadlock *st = r->lesson;

	*done = (uint64_t)deadlock_meals(st);
	*total = (uint64_t)st->iterations * (uint64_t)st->nthreads;
}

static uint64_t
deadlock_timeout_ms(const long *params)
{
	return (uint64_t)params[P_TIMEOUT];
}

static int
deadlock_sample_ms(const long *params)
{
	(void)params;
	return 10;
}

/* The locks are A and B (or forks f1..fN), so threads are named by
 * number: "T2 is waiting for lock A, held by T1". */
static void
deadlock_lane_words(const long *params, struct lane_words *w)
{
	w->numbered = 1;
	if (params[P_PHILOSOPHERS] > 0) {
		w->lane = "philosopher";
		w->lanes = "philosophers";
	}
}

static void
deadlock_teardown(struct run *r)
{
	struct deadlock *st = r->lesson;

	free(st->plan);
	free(st->lane);
	free(st);
	r->lesson = NULL;
}

/* The interface sets or cycles a parameter; going back and forth
 * between the two workloads is two keys, one for each. */
static const struct lesson_key deadlock_keys[] = {
    {'o', "order", "the lock order: opposite or the same for every thread",
        LESSON_KEY_CYCLE, "order", 0, 1, NULL, NULL, NULL},
    {'y', "trylock", "the strategy: block on the second lock, or trylock",
        LESSON_KEY_CYCLE, "strategy", 0, 1, NULL, NULL, NULL},
    {'b', "backoff", "trylock: back off a fixed or a random time",
        LESSON_KEY_CYCLE, "backoff", 0, 0, NULL, NULL, NULL},
    {'d', "dine", "the dining philosophers (5)", LESSON_KEY_SET, "philosophers",
        DINING_TABLE, 0, NULL, NULL, NULL},
    {'t', "two", "two threads and locks A and B", LESSON_KEY_SET,
        "philosophers", 0, 0, NULL, NULL, NULL},
};

static const char *const deadlock_yes_no[] = {"yes", "no", NULL};
static const struct result_key deadlock_result_keys[] = {
    {"deadlock", 0, deadlock_yes_no}, {"cycle", 0, NULL},
    {"livelock", 0, deadlock_yes_no}, {"livelock_ms", 1, NULL},
    {"order", 0, NULL}, {"strategy", 0, NULL}, {"backoff", 0, NULL},
    {"philosophers", 1, NULL}, {"meals", 1, NULL}, {"expected_meals", 1, NULL},
    {"timed_out", 0, deadlock_yes_no}};

const struct lesson_module deadlock_module = {
    .id = "deadlock",
    .params = deadlock_params,
    .nparams = IL_ARRAY_LEN(deadlock_params),
    .code = deadlock_code,
    .ncode = IL_ARRAY_LEN(deadlock_code),
    .threads = deadlock_threads,
    .validate = deadlock_validate,
    .setup = deadlock_setup,
    .worker = deadlock_worker,
    .result = deadlock_result,
    .result_keys = deadlock_result_keys,
    .nresult_keys = IL_ARRAY_LEN(deadlock_result_keys),
    .show_events = LESSON_SHOW_BIT(LESSON_SHOW_DEADLOCK) |
        LESSON_SHOW_BIT(LESSON_SHOW_DONE),
    .result_words = deadlock_result_words,
    .teardown = deadlock_teardown,
    .progress = deadlock_progress,
    .sample_ms = deadlock_sample_ms,
    .timeout_ms = deadlock_timeout_ms,
    .alert = deadlock_alert,
    .keys = deadlock_keys,
    .nkeys = IL_ARRAY_LEN(deadlock_keys),
    .lane_words = deadlock_lane_words,
    .listing = deadlock_listing,
    .outcome = deadlock_outcome,
};
