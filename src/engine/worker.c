/*
 * The worker API: each il_* call is a step point, then the real operation,
 * then its event.
 *
 * In a free run the calls really block (sleeps, mutex waits) but always in
 * slices that check the cancel flag. In a controlled run a worker only moves
 * when granted, lock ownership is decided by the conductor (so the real
 * mutex is always free when a lock step is granted) and I/O is virtual.
 *
 * After cancel every call returns at once without events; il_unlock still
 * releases a mutex the thread holds, so the run can destroy its locks,
 * and il_flush still reports a summary's steps, which did happen.
 *
 * A summarising worker (il_summarise, free runs) counts its loads, stores,
 * lines and locals in w->sum and sends them once a bucket of time, or
 * before any call whose events others must be ordered against.
 */
#include "worker.h"

#include <errno.h>
#include <sched.h>
#include <string.h>
#include <time.h>

#include "conductor.h"
#include "event.h"
#include "util.h"

#define WORKER_CPU_ROUNDS   4096 /* integer rounds per il_cpu unit */
#define WORKER_IO_SLICE_NS  (10 * 1000 * 1000)
#define WORKER_LOCK_WAIT_NS (20 * 1000 * 1000)
#define NS_PER_SEC          1000000000L
/*
 * A summarising worker (il_summarise) sends what its steps add up to once
 * per bucket of this much time: 1 ms is 33 buckets a frame at 30 frames a
 * second, finer than any lane cell, and a few events a millisecond per
 * thread instead of one per step. The clock is read every
 * WORKER_SUM_EVERY steps at most (fewer when steps are slow, so that a
 * slow loop still reports about once a bucket).
 */
#define WORKER_BUCKET_NS (1000 * 1000)
#define WORKER_SUM_EVERY 64
/* A count in a summary stays below this (EV_TALLY_COUNT's limit is
 * 2^31): reaching it flushes at once. */
#define WORKER_SUM_MAX (1u << 30)

/*
 * Orders a tally's read of a variable with its event: a worker holds it
 * while it reads the value and sends the EV_TALLY (which takes the
 * timestamp and the queue's slot), so among tallies the later event
 * always carries the later read, and the last one the final value. Any
 * worker of any run takes it, about once a millisecond each, never while
 * holding another lock of this file.
 */
static pthread_mutex_t worker_tally_lock = PTHREAD_MUTEX_INITIALIZER;

static int
worker_controlled(const struct il_worker *w)
{
	return conductor_policy(w->conductor) != POLICY_FREE;
}

/* Send an event from this worker. */
static void
worker_emit(
    struct il_worker *w, enum ev_kind kind, int line, int64_t a, int64_t b)
{
	conductor_emit(w->conductor, w->id, kind, line, a, b);
}

/* Send a tally of var (a: its id, count and flags) with the value it has
 * now, read under worker_tally_lock. */
static void
worker_tally_emit(struct il_worker *w, const struct il_var *var, int64_t a)
{
	pthread_mutex_lock(&worker_tally_lock);
	worker_emit(w, EV_TALLY, 0, a,
	    atomic_load_explicit(&var->value, memory_order_relaxed));
	pthread_mutex_unlock(&worker_tally_lock);
}

/* Send what the summary holds: the line and locals if they changed, and
 * per variable stored to its overwrites and its tally. */
static void
worker_sum_flush(struct il_worker *w)
{
	struct il_summary *s = &w->sum;
	uint32_t bits;
	int i;

	if (s->line != s->sent_line) {
		worker_emit(w, EV_LINE, s->line, 0, 0);
		s->sent_line = s->line;
	}
	for (i = 0; s->local_dirty != 0; i++) {
		if (!(s->local_dirty & 1u << i))
			continue;
		worker_emit(w, EV_MARK, i, MARK_LOCAL, s->local[i]);
		s->local_dirty &= (uint8_t) ~(1u << i);
	}
	for (bits = s->stored; bits != 0; bits &= bits - 1) {
		i = __builtin_ctz(bits);
		if (s->overwrites[i] > 0)
			worker_emit(w, EV_MARK, i, MARK_OVERWROTE,
			    (int64_t)s->overwrites[i]);
		worker_tally_emit(w, s->var[i],
		    EV_TALLY_A(i, s->stores[i]) | EV_TALLY_STORES);
		s->stores[i] = s->overwrites[i] = 0;
	}
	s->stored = 0;
}

/* A summarising worker's clock read, every s->every steps: flush once
 * the bucket is over. Reads come closer together while they find the
 * bucket long over (slow steps), and further apart while they come early. */
static void
worker_sum_check(struct il_worker *w)
{
	struct il_summary *s = &w->sum;
	uint64_t now = clock_now_ns();

	if (now >= s->due_ns) {
		if (now >= s->due_ns + WORKER_BUCKET_NS && s->every > 1)
			s->every /= 2;
		worker_sum_flush(w);
		s->due_ns = now + WORKER_BUCKET_NS;
	} else if (s->every < WORKER_SUM_EVERY) {
		s->every *= 2;
	}
	s->countdown = s->every;
}

/* One summarised step on line. */
static inline void
worker_sum_step(struct il_worker *w, int line)
{
	w->sum.line = line;
	if (--w->sum.countdown == 0)
		worker_sum_check(w);
}

/* Before a call that blocks, or whose events others' must be ordered
 * against: send the summary first. */
static inline void
worker_sum_sync(struct il_worker *w)
{
	if (w->sum.on)
		il_flush(w);
}

void
il_summarise(struct il_worker *w)
{
	if (worker_controlled(w))
		return;
	memset(&w->sum, 0, sizeof w->sum);
	w->sum.on = 1;
	w->sum.every = w->sum.countdown = 1;
	w->sum.due_ns = clock_now_ns() + WORKER_BUCKET_NS;
}

void
il_flush(struct il_worker *w)
{
	if (!w->sum.on)
		return;
	worker_sum_flush(w);
	w->sum.due_ns = clock_now_ns() + WORKER_BUCKET_NS;
}

int
il_cancelled(const struct il_worker *w)
{
	return conductor_cancelled(w->conductor);
}

const _Atomic int *
il_cancel_flag(const struct il_worker *w)
{
	return conductor_cancel_flag(w->conductor);
}

void
il_line(struct il_worker *w, int line)
{
	if (conductor_step_point(w->conductor, w->id, OP_LINE, 0, line) != 0)
		return;
	if (w->sum.on)
		worker_sum_step(w, line);
	else
		worker_emit(w, EV_LINE, line, 0, 0);
}

/* Whether var's id can be tracked in a worker's loaded values. */
static int
worker_var_ok(const struct il_var *var)
{
	return var->id >= 0 && var->id < EV_MAX_VARS;
}

int64_t
il_load(struct il_worker *w, struct il_var *var, int line)
{
	int64_t v;

	if (conductor_step_point(w->conductor, w->id, OP_LOAD, var->id, line) !=
	    0)
		return 0;
	v = atomic_load_explicit(&var->value, memory_order_relaxed);
	if (worker_var_ok(var)) {
		w->loaded_value[var->id] = v;
		w->loaded |= 1u << var->id;
		if (w->sum.on) {
			worker_sum_step(w, line);
			return v;
		}
	}
	worker_emit(w, EV_LOAD, line, var->id, v);
	return v;
}

/* A summarised store to var (a valid id), which overwrote or not. */
static void
worker_sum_store(
    struct il_worker *w, struct il_var *var, int overwrote, int line)
{
	struct il_summary *s = &w->sum;
	int i = var->id;

	s->var[i] = var;
	s->stored |= 1u << i;
	s->overwrites[i] += (uint32_t)overwrote;
	if (++s->stores[i] < WORKER_SUM_MAX) {
		worker_sum_step(w, line);
		return;
	}
	s->line = line;
	il_flush(w);
}

/*
 * The swap is one atomic read-modify-write, so the value it replaces is
 * the one just before this store in the variable's modification order:
 * if that is not what this worker loaded, some other thread's store came
 * after the load, and this one overwrites it. (A store that put back the
 * very value loaded cannot be told apart, and does not count.)
 */
int
il_store(struct il_worker *w, struct il_var *var, int64_t v, int line)
{
	int64_t old;
	int overwrote = 0;

	if (conductor_step_point(
	        w->conductor, w->id, OP_STORE, var->id, line) != 0)
		return 0;
	old = atomic_exchange_explicit(&var->value, v, memory_order_relaxed);
	if (worker_var_ok(var) && (w->loaded & 1u << var->id)) {
		overwrote = old != w->loaded_value[var->id];
		w->loaded &= ~(1u << var->id);
	}
	if (w->sum.on && worker_var_ok(var)) {
		worker_sum_store(w, var, overwrote, line);
		return overwrote;
	}
	worker_emit(w, EV_STORE, line,
	    var->id | (overwrote ? EV_STORE_OVERWROTE : 0), v);
	return overwrote;
}

/* One unit of real integer work that the compiler cannot remove. */
static uint64_t
worker_cpu_unit(uint64_t x)
{
	int i;

	for (i = 0; i < WORKER_CPU_ROUNDS; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		__asm__ __volatile__("" : "+r"(x));
	}
	return x;
}

void
il_cpu(struct il_worker *w, long units, int line)
{
	uint64_t x = 0x9e3779b97f4a7c15ULL + (uint64_t)w->id;
	long i;

	worker_sum_sync(w);
	if (conductor_step_point(w->conductor, w->id, OP_CPU, units, line) != 0)
		return;
	for (i = 0; i < units && !il_cancelled(w); i++)
		x = worker_cpu_unit(x);
	__asm__ __volatile__("" : : "r"(x));
}

/* ts + ns, normalised. */
static struct timespec
worker_ts_add(struct timespec ts, long ns)
{
	ts.tv_nsec += ns % NS_PER_SEC;
	ts.tv_sec += ns / NS_PER_SEC;
	if (ts.tv_nsec >= NS_PER_SEC) {
		ts.tv_nsec -= NS_PER_SEC;
		ts.tv_sec++;
	}
	return ts;
}

static int
worker_ts_before(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec < b->tv_sec ||
	    (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

/* Really sleep ms milliseconds, in slices that check the cancel flag. */
static void
worker_sleep(struct il_worker *w, long ms)
{
	struct timespec now, end, slice;

	clock_gettime(CLOCK_MONOTONIC, &now);
	end = worker_ts_add(now, ms % 1000 * 1000000L);
	end.tv_sec += ms / 1000;
	while (worker_ts_before(&now, &end) && !il_cancelled(w)) {
		slice = worker_ts_add(now, WORKER_IO_SLICE_NS);
		if (worker_ts_before(&end, &slice))
			slice = end;
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &slice, NULL);
		clock_gettime(CLOCK_MONOTONIC, &now);
	}
}

void
il_io(struct il_worker *w, long ms, int line)
{
	worker_sum_sync(w);
	if (conductor_step_point(w->conductor, w->id, OP_IO, ms, line) != 0)
		return;
	/* Controlled runs use virtual time: the grant showed the step as I/O. */
	if (worker_controlled(w))
		return;
	worker_emit(w, EV_STATE, line, TS_IO, 0);
	worker_sleep(w, ms);
	if (!il_cancelled(w))
		worker_emit(w, EV_STATE, line, TS_RUNNING, 0);
}

/* Block on the real mutex in slices that check the cancel flag. Returns 0
 * with the mutex held, or -1 if cancelled. */
static int
worker_mutex_wait(struct il_worker *w, struct il_lock *l)
{
	struct timespec deadline;
	int rc;

	for (;;) {
		if (il_cancelled(w))
			return -1;
		clock_gettime(CLOCK_REALTIME, &deadline);
		deadline = worker_ts_add(deadline, WORKER_LOCK_WAIT_NS);
		rc = pthread_mutex_timedlock(&l->mutex, &deadline);
		if (rc == 0 && il_cancelled(w)) {
			/* Taken as the run ends: the caller must not hold it. */
			pthread_mutex_unlock(&l->mutex);
			return -1;
		}
		if (rc == 0)
			return 0;
		if (rc != ETIMEDOUT && rc != EINTR)
			return -1;
	}
}

int
il_lock(struct il_worker *w, struct il_lock *l, int line)
{
	int waited = 0;

	worker_sum_sync(w);
	if (conductor_step_point(w->conductor, w->id, OP_LOCK, l->id, line) !=
	    0)
		return -1;
	/* Controlled: the conductor granted this step only with the lock
	 * free, so trylock succeeds; the wait below is a safety net. */
	if (!worker_controlled(w))
		worker_emit(w, EV_LOCK_REQ, line, l->id, 0);
	if (pthread_mutex_trylock(&l->mutex) != 0) {
		waited = 1;
		if (!worker_controlled(w))
			worker_emit(w, EV_STATE, line, TS_LOCK_WAIT, l->id);
		if (worker_mutex_wait(w, l) != 0)
			return -1;
	}
	conductor_lock_acquired(w->conductor, w->id, l->id);
	if (waited && !worker_controlled(w) && !il_cancelled(w))
		worker_emit(w, EV_STATE, line, TS_RUNNING, 0);
	return 0;
}

void
il_unlock(struct il_worker *w, struct il_lock *l, int line)
{
	worker_sum_sync(w);
	/* Even when cancelled, a held mutex is released. */
	(void)conductor_step_point(w->conductor, w->id, OP_UNLOCK, l->id, line);
	if (conductor_lock_owner(w->conductor, l->id) != w->id)
		return;
	/* Report first, so EV_LOCK_REL precedes the next owner's
	 * EV_LOCK_ACQ in the queue. */
	conductor_lock_released(w->conductor, w->id, l->id);
	pthread_mutex_unlock(&l->mutex);
}

void
il_state(struct il_worker *w, int lane, enum thread_state s, int line)
{
	worker_sum_sync(w);
	conductor_emit(w->conductor, lane, EV_STATE, line, s, 0);
}

void
il_lock_report(struct il_worker *w, const struct il_lock *l,
    enum il_lock_event what, int line)
{
	worker_sum_sync(w);
	switch (what) {
	case IL_LOCK_REQUESTED:
		worker_emit(w, EV_LOCK_REQ, line, l->id, 0);
		break;
	case IL_LOCK_WAITING:
		worker_emit(w, EV_STATE, line, TS_LOCK_WAIT, l->id);
		break;
	case IL_LOCK_TAKEN:
		worker_emit(w, EV_LOCK_ACQ, line, l->id, 0);
		break;
	case IL_LOCK_RELEASED:
		worker_emit(w, EV_LOCK_REL, line, l->id, 0);
		break;
	}
}

void
il_tally(struct il_worker *w, struct il_var *var, int64_t count)
{
	worker_sum_sync(w);
	worker_tally_emit(w, var, EV_TALLY_A(var->id, count));
}

void
il_local(struct il_worker *w, int slot, int64_t v)
{
	if (w->sum.on && slot >= 0 && slot < IL_SUMMARY_LOCALS) {
		w->sum.local[slot] = v;
		w->sum.local_dirty |= (uint8_t)(1u << slot);
		return;
	}
	if (il_cancelled(w))
		return;
	worker_emit(w, EV_MARK, slot, MARK_LOCAL, v);
}

void
il_var_init(struct il_var *var, int id, const char *name, int64_t initial)
{
	atomic_init(&var->value, initial);
	var->id = id;
	var->name = name;
}

void
il_lock_init(struct il_lock *l, int id, const char *name)
{
	pthread_mutex_init(&l->mutex, NULL);
	l->id = id;
	l->name = name;
}

void
il_lock_destroy(struct il_lock *l)
{
	pthread_mutex_destroy(&l->mutex);
}

/* The event goes first, so that any sample the sampler takes of the new
 * thread for this lane comes after it in the queue. */
void
il_os_identity(struct il_worker *w, int pid, int tid)
{
	worker_emit(w, EV_OS_IDENTITY, 0, pid, tid);
	atomic_store_explicit(&w->os_pid, pid, memory_order_relaxed);
	atomic_store_explicit(&w->os_tid, tid, memory_order_release);
}

int64_t
il_fetch_add(struct il_worker *w, struct il_var *var, int64_t delta, int line)
{
	int64_t old;

	if (conductor_step_point(
	        w->conductor, w->id, OP_FETCH_ADD, var->id, line) != 0)
		return 0;
	old =
	    atomic_fetch_add_explicit(&var->value, delta, memory_order_relaxed);
	/* A read-modify-write: it reads and writes, and overwrites nothing. */
	if (w->sum.on && worker_var_ok(var)) {
		worker_sum_store(w, var, 0, line);
		return old;
	}
	worker_emit(w, EV_LOAD, line, var->id, old);
	worker_emit(w, EV_STORE, line, var->id, old + delta);
	return old;
}

int
il_trylock(struct il_worker *w, struct il_lock *l, int line)
{
	worker_sum_sync(w);
	if (conductor_step_point(
	        w->conductor, w->id, OP_TRYLOCK, l->id, line) != 0)
		return 0;
	/* Controlled: the conductor's owner decides; the mutex is free
	 * whenever it has no owner. */
	if (worker_controlled(w) &&
	    conductor_lock_owner(w->conductor, l->id) >= 0)
		return 0;
	if (pthread_mutex_trylock(&l->mutex) != 0)
		return 0;
	if (!worker_controlled(w))
		worker_emit(w, EV_LOCK_REQ, line, l->id, 0);
	conductor_lock_acquired(w->conductor, w->id, l->id);
	return 1;
}

/* Let go of lock l before a wait: its events, then the mutex. */
static void
worker_release(struct il_worker *w, struct il_lock *l)
{
	if (conductor_lock_owner(w->conductor, l->id) != w->id)
		return;
	conductor_lock_released(w->conductor, w->id, l->id);
	pthread_mutex_unlock(&l->mutex);
}

/* Free runs: wait on cond with l's mutex (held) in slices that check the
 * cancel flag, until a wake. 0 with the mutex held, -1 if cancelled (the
 * mutex then released). */
static int
worker_cond_sleep(struct il_worker *w, pthread_cond_t *cond, pthread_mutex_t *m,
    const _Atomic int64_t *count)
{
	struct timespec deadline;
	int rc;

	for (;;) {
		if (il_cancelled(w)) {
			pthread_mutex_unlock(m);
			return -1;
		}
		if (count != NULL && atomic_load(count) > 0)
			return 0;
		clock_gettime(CLOCK_REALTIME, &deadline);
		deadline = worker_ts_add(deadline, WORKER_LOCK_WAIT_NS);
		rc = pthread_cond_timedwait(cond, m, &deadline);
		if (rc != ETIMEDOUT && count == NULL)
			return il_cancelled(w) ? (pthread_mutex_unlock(m), -1)
			                       : 0;
	}
}

int
il_cond_wait(
    struct il_worker *w, struct il_cond *cv, struct il_lock *l, int line)
{
	worker_sum_sync(w);
	if (conductor_step_point(
	        w->conductor, w->id, OP_COND_WAIT, l->id, line) != 0)
		return -1;
	if (worker_controlled(w)) {
		conductor_wait_on(w->conductor, w->id, cv);
		worker_release(w, l);
		return il_lock(w, l, line); /* parks until woken */
	}
	conductor_lock_released(w->conductor, w->id, l->id);
	worker_emit(w, EV_STATE, line, TS_COND_WAIT, cv->id);
	if (worker_cond_sleep(w, &cv->cond, &l->mutex, NULL) != 0)
		return -1;
	worker_emit(w, EV_LOCK_REQ, line, l->id, 0);
	conductor_lock_acquired(w->conductor, w->id, l->id);
	worker_emit(w, EV_STATE, line, TS_RUNNING, 0);
	return 0;
}

/* Signal or broadcast: one step. */
static void
worker_cond_wake(struct il_worker *w, struct il_cond *cv, int all, int line)
{
	worker_sum_sync(w);
	if (conductor_step_point(w->conductor, w->id,
	        all ? OP_COND_BROADCAST : OP_COND_SIGNAL, cv->id, line) != 0)
		return;
	if (worker_controlled(w))
		conductor_wake(w->conductor, cv, all);
	else if (all)
		pthread_cond_broadcast(&cv->cond);
	else
		pthread_cond_signal(&cv->cond);
}

void
il_cond_signal(struct il_worker *w, struct il_cond *cv, int line)
{
	worker_cond_wake(w, cv, 0, line);
}

void
il_cond_broadcast(struct il_worker *w, struct il_cond *cv, int line)
{
	worker_cond_wake(w, cv, 1, line);
}

/* Controlled: each try is a step; with no unit the thread first waits on
 * the semaphore's queue, so it cannot be stepped until a post. */
static int
worker_sem_wait_controlled(struct il_worker *w, struct il_sem *sem, int line)
{
	for (;;) {
		if (atomic_load(&sem->count) <= 0)
			conductor_wait_on(w->conductor, w->id, sem);
		if (conductor_step_point(
		        w->conductor, w->id, OP_SEM_WAIT, sem->id, line) != 0)
			return -1;
		if (atomic_load(&sem->count) > 0) {
			atomic_fetch_sub(&sem->count, 1);
			return 0;
		}
	}
}

int
il_sem_wait(struct il_worker *w, struct il_sem *sem, int line)
{
	int waited = 0;

	worker_sum_sync(w);
	if (worker_controlled(w))
		return worker_sem_wait_controlled(w, sem, line);
	if (conductor_step_point(
	        w->conductor, w->id, OP_SEM_WAIT, sem->id, line) != 0)
		return -1;
	pthread_mutex_lock(&sem->mutex);
	if (atomic_load(&sem->count) <= 0) {
		waited = 1;
		worker_emit(w, EV_STATE, line, TS_COND_WAIT, sem->id);
		if (worker_cond_sleep(
		        w, &sem->nonzero, &sem->mutex, &sem->count) != 0)
			return -1;
	}
	atomic_fetch_sub(&sem->count, 1);
	pthread_mutex_unlock(&sem->mutex);
	if (waited)
		worker_emit(w, EV_STATE, line, TS_RUNNING, 0);
	return 0;
}

void
il_sem_post(struct il_worker *w, struct il_sem *sem, int line)
{
	worker_sum_sync(w);
	if (conductor_step_point(
	        w->conductor, w->id, OP_SEM_POST, sem->id, line) != 0)
		return;
	if (worker_controlled(w)) {
		atomic_fetch_add(&sem->count, 1);
		conductor_wake(w->conductor, sem, 0);
		return;
	}
	pthread_mutex_lock(&sem->mutex);
	atomic_fetch_add(&sem->count, 1);
	pthread_cond_signal(&sem->nonzero);
	pthread_mutex_unlock(&sem->mutex);
}

void
il_yield(struct il_worker *w, int line)
{
	worker_sum_sync(w);
	if (conductor_step_point(w->conductor, w->id, OP_YIELD, 0, line) != 0)
		return;
	if (!worker_controlled(w))
		sched_yield();
}

void
il_cond_init(struct il_cond *cv, int id, const char *name)
{
	pthread_cond_init(&cv->cond, NULL);
	cv->id = id;
	cv->name = name;
}

void
il_cond_destroy(struct il_cond *cv)
{
	pthread_cond_destroy(&cv->cond);
}

void
il_sem_init(struct il_sem *sem, int id, const char *name, int64_t initial)
{
	pthread_mutex_init(&sem->mutex, NULL);
	pthread_cond_init(&sem->nonzero, NULL);
	atomic_init(&sem->count, initial);
	sem->id = id;
	sem->name = name;
}

void
il_sem_destroy(struct il_sem *sem)
{
	pthread_mutex_destroy(&sem->mutex);
	pthread_cond_destroy(&sem->nonzero);
}
