#ifdef HAVE_CONFIG_H
#include "config.h"
#endif
#include "result.h"
#include "run.h"

#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "evq.h"
#include "sampler.h"
#include "util.h"

/* Events each producer's ring holds (evq: one ring per producing thread,
 * 40 bytes an event, so 320 KiB a ring). A free run's consumer drains
 * them as they come; a replay pumps every RUN_REPLAY_BATCH steps, in
 * which one thread sends at most four events a step. */
#define RUN_EVQ_CAPACITY (1u << 13)
/* How long a worker waits for room in a full queue before the event is
 * dropped (and counted): long enough that a loaded 2-core machine does not
 * drop, short enough that a stalled consumer cannot hang the workers. */
#define RUN_PUSH_TIMEOUT_NS (500u * 1000 * 1000)
/*
 * Exact history per timeline (spans, and marks alike) before the older
 * half is folded into summary bins (timeline.h). A controlled run counts
 * time in steps, and its closed spans are at least a step long and tile
 * [0, steps), so no thread has more spans than the run has steps (nor
 * more marks: one store per step at most). 1 << 20 is 1,048,576, so runs
 * of up to a million steps stay exact. Storage grows by doubling as used,
 * at 8 bytes a span: a short run pays only for what it has. A free run
 * counts ns, with a change whenever the OS moves a thread; there the
 * recent 4096 are kept exact and older history is summarised.
 */
#define RUN_CONTROLLED_SPANS (1u << 20)
#define RUN_FREE_SPANS       4096
#define RUN_PUMP_BATCH       1024
/* Steps a replay takes before the controller pumps: a quarter of a
 * ring's room, at four events a step. */
#define RUN_REPLAY_BATCH (RUN_EVQ_CAPACITY / 8)

struct il_var *
run_add_var(struct run *r, const char *name, int64_t initial, int counter)
{
	struct il_var *v;

	if (r->nvars == MODEL_MAX_VARS)
		return NULL;
	v = &r->vars[r->nvars];
	il_var_init(v, r->nvars, name, initial);
	if (r->m != NULL)
		model_add_var(r->m, name, initial, counter);
	r->nvars++;
	return v;
}

struct il_lock *
run_add_lock(struct run *r, const char *name)
{
	struct il_lock *l;
	int id;

	if (r->nlocks == CONDUCTOR_MAX_LOCKS)
		return NULL;
	id = conductor_lock_add(r->c, name);
	l = &r->locks[r->nlocks];
	il_lock_init(l, id, name);
	if (r->m != NULL)
		model_add_lock(r->m, name);
	r->nlocks++;
	return l;
}

int
run_lane_pids(const struct run *r, int *pids)
{
	int t, any = 0;

	for (t = 0; t < r->nthreads; t++)
		any |= (pids[t] = atomic_load(&r->workers[t].os_pid)) != 0;
	return any;
}

void
run_config_free(struct run_config *cfg, const struct lesson_module *mod,
    const long *params, int sample_ms)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->module = mod;
	memcpy(cfg->params, params, sizeof cfg->params);
	cfg->policy = POLICY_FREE;
	cfg->sample_ms = sample_ms;
}

void
run_config_for(struct run_config *cfg, const struct lesson_module *mod,
    const long *params, enum policy policy, uint64_t seed)
{
	run_config_free(cfg, mod, params,
	    policy == POLICY_FREE && mod->sample_ms != NULL
	        ? mod->sample_ms(params)
	        : 0);
	cfg->policy = policy;
	cfg->seed = seed;
}

/* The lesson's way of naming its threads, for the conductor's messages
 * and the model's texts. */
static void
run_naming(struct run *r)
{
	struct lane_words w;

	memset(&w, 0, sizeof w);
	if (r->cfg.module->lane_words != NULL)
		r->cfg.module->lane_words(r->cfg.params, &w);
	conductor_name_by_number(r->c, w.numbered);
	if (r->m != NULL)
		r->m->naming = w.numbered ? NAMING_NUMBERS : NAMING_LETTERS;
}

struct run *
run_new(const struct run_config *cfg, char *err, size_t errlen)
{
	struct run *r;
	size_t spans;
	int n, i;

	if (cfg->module->validate != NULL &&
	    cfg->module->validate(
	        cfg->params, cfg->policy != POLICY_FREE, err, errlen) != 0)
		return NULL;
	n = cfg->module->threads(cfg->params);
	if (n < 1 || n > CONDUCTOR_MAX_THREADS) {
		snprintf(err, errlen, "a run needs 1 to %d threads, not %d",
		    CONDUCTOR_MAX_THREADS, n);
		return NULL;
	}
	r = xcalloc(1, sizeof *r);
	r->cfg = *cfg;
	r->nthreads = n;
	r->q =
	    evq_new(cfg->evq_capacity ? cfg->evq_capacity : RUN_EVQ_CAPACITY);
	if (r->q == NULL) {
		snprintf(err, errlen, "cannot create the event queue");
		free(r);
		return NULL;
	}
	evq_set_push_timeout(r->q, RUN_PUSH_TIMEOUT_NS);
	r->c = conductor_new(n, cfg->policy, cfg->seed, r->q);
	if (cfg->quiet)
		conductor_set_quiet(r->c);
	if ((spans = cfg->max_spans) == 0)
		spans = cfg->policy == POLICY_FREE ? RUN_FREE_SPANS
		                                   : RUN_CONTROLLED_SPANS;
	r->m = model_new(n,
	    cfg->policy == POLICY_FREE ? MODEL_CLOCK_NS : MODEL_CLOCK_STEPS,
	    spans);
	if (cfg->trace)
		model_trace_on(r->m);
	run_naming(r);
	r->tids = xcalloc((size_t)n, sizeof *r->tids);
	r->workers = xcalloc((size_t)n, sizeof *r->workers);
	r->args = xcalloc((size_t)n, sizeof *r->args);
	if (cfg->module->setup(r, r->cfg.params, err, errlen) != 0) {
		run_free(r);
		return NULL;
	}
	for (i = 0; i < n; i++) {
		r->workers[i].id = i;
		r->workers[i].conductor = r->c;
		r->workers[i].lesson = r->lesson;
		r->args[i].run = r;
		r->args[i].id = i;
	}
	return r;
}

/* Wait until every started worker has returned from the module (a
 * reused one is then idle, or about to be). */
static void
run_wait_returned(struct run *r)
{
	int i;

	if (!run_done(r))
		conductor_cancel(r->c);
	for (i = 0; i < r->started; i++)
		conductor_wait_ended(r->c, i);
	/* Each adds itself a few instructions after it ended. */
	while (!run_done(r))
		sched_yield();
}

int
run_reset(struct run *r, char *err, size_t errlen)
{
	int i;

	if (!r->cfg.reuse || r->started != r->nthreads) {
		snprintf(err, errlen, "this run cannot be reset");
		return -1;
	}
	run_wait_returned(r);
	if (r->cfg.module->teardown != NULL)
		r->cfg.module->teardown(r);
	for (i = 0; i < r->nlocks; i++)
		il_lock_destroy(&r->locks[i]);
	r->nvars = r->nlocks = 0;
	conductor_reset(r->c);
	if (r->cfg.quiet) {
		model_free(r->m);
		r->m = NULL;
	}
	if (r->cfg.module->setup(r, r->cfg.params, err, errlen) != 0)
		return -1;
	for (i = 0; i < r->nthreads; i++) {
		r->workers[i].lesson = r->lesson;
		r->workers[i].loaded = 0;
	}
	atomic_store_explicit(&r->finished, 0, memory_order_relaxed);
	r->start_ns = clock_now_ns();
	if (conductor_restart(r->c) != 0) {
		snprintf(err, errlen, "the run was cancelled");
		return -1;
	}
	return 0;
}

/* The body of every worker thread. */
static void *
run_thread(void *arg)
{
	struct run_thread_arg *a = arg;
	struct run *r = a->run;
	struct il_worker *w = &r->workers[a->id];

	il_os_identity(w, 0, (int)syscall(SYS_gettid));
#ifdef __linux__
	/* "il-worker" in top -H and in /proc/PID/task/TID/comm */
	(void)pthread_setname_np(pthread_self(), "il-worker");
#endif
	do {
		conductor_thread_begin(r->c, w->id);
		r->cfg.module->worker(w);
		il_flush(w); /* a summarising worker's last bucket */
		conductor_thread_end(r->c, w->id);
		atomic_fetch_add_explicit(
		    &r->finished, 1, memory_order_release);
	} while (r->cfg.reuse && conductor_idle(r->c, w->id) == 0);
	return NULL;
}

/* Send a sample as an EV_OS_SAMPLE event (see sample_pack()). */
static void
run_emit_sample(struct run *r, int t, const struct sample *sm, uint64_t now)
{
	struct event e;

	memset(&e, 0, sizeof e);
	e.ts_ns = now;
	e.thread = (uint16_t)t;
	e.kind = EV_OS_SAMPLE;
	sample_pack(sm, &e.a, &e.b);
	evq_push(r->q, &e);
}

/* Whether a lane below i watches the same OS thread as lane i (lanes
 * that are tasks of one thread), given every lane's pid and tid. */
static int
run_sampled_below(const int *pids, const int *tids, int i)
{
	int j;

	for (j = 0; j < i && tids[i] != 0; j++)
		if (tids[j] == tids[i] && pids[j] == pids[i])
			return 1;
	return 0;
}

/* Note in pids and tids the OS process and thread that each lane runs
 * in now (0 where it has none yet). */
static void
run_follow_lanes(struct run *r, int *pids, int *tids)
{
	int i;

	for (i = 0; i < r->nthreads; i++) {
		tids[i] = atomic_load_explicit(
		    &r->workers[i].os_tid, memory_order_acquire);
		pids[i] = atomic_load_explicit(
		    &r->workers[i].os_pid, memory_order_relaxed);
	}
}

/* The OS sampler: every cfg.sample_ms, the schedstat and stat of each
 * OS thread that runs a live worker's lane, as EV_OS_SAMPLE events. A
 * thread that several lanes share is read once, for the lowest of them
 * (the model shares the sample among the others). It owns its file
 * descriptors. */
static void *
run_sampler(void *arg)
{
	struct run *r = arg;
	struct sampled_thread *st = xcalloc((size_t)r->nthreads, sizeof *st);
	int *watching = xcalloc((size_t)r->nthreads, sizeof *watching);
	int *pids = xcalloc((size_t)r->nthreads, sizeof *pids);
	int *tids = xcalloc((size_t)r->nthreads, sizeof *tids);
	struct timespec tick = {r->cfg.sample_ms / 1000,
	    (long)(r->cfg.sample_ms % 1000) * 1000000L};
	int i, failures = 0, reads = 0;

	for (i = 0; i < r->nthreads; i++)
		st[i].fd_schedstat = st[i].fd_stat = -1;
	while (!atomic_load_explicit(&r->sampler_stop, memory_order_acquire)) {
		uint64_t now = clock_now_ns();

		run_follow_lanes(r, pids, tids);
		for (i = 0; i < r->nthreads; i++) {
			struct sample sm;
			int rc;

			if (run_sampled_below(pids, tids, i)) {
				sampler_close(&st[i]);
				watching[i] = 0;
				continue;
			}
			if (tids[i] != 0 && tids[i] != watching[i]) {
				sampler_close(&st[i]);
				watching[i] = tids[i];
				if (sampler_open(&st[i], pids[i], tids[i]) !=
				    0) {
					failures++;
					continue;
				}
			}
			if (st[i].fd_schedstat < 0)
				continue;
			rc = sampler_read(&st[i], now, &sm);
			if (rc == 1) {
				run_emit_sample(r, i, &sm, now);
				reads++;
			} else if (rc < 0) {
				sampler_close(&st[i]); /* it has ended */
			}
		}
		if (failures > 0 && reads == 0)
			atomic_store(&r->os_unavailable, 1);
		nanosleep(&tick, NULL);
	}
	for (i = 0; i < r->nthreads; i++)
		sampler_close(&st[i]);
	free(st);
	free(watching);
	free(pids);
	free(tids);
	return NULL;
}

int
run_start(struct run *r)
{
	sigset_t all, old;
	int i, rc = 0;

	/* Workers never handle signals: the controller does. Block them
	 * all before any thread exists, so every worker inherits the mask. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	r->start_ns = clock_now_ns();
	if (r->cfg.policy == POLICY_FREE && r->cfg.module->timeout_ms != NULL) {
		uint64_t ms = r->cfg.module->timeout_ms(r->cfg.params);

		r->deadline_ns = ms > 0 ? r->start_ns + ms * 1000000u : 0;
	}
	for (i = 0; i < r->nthreads; i++) {
		if (pthread_create(
		        &r->tids[i], NULL, run_thread, &r->args[i]) != 0) {
			rc = -1;
			break;
		}
		r->started++;
		/* One at a time, so start-up events come in a fixed order. */
		if (r->cfg.policy != POLICY_FREE &&
		    conductor_wait_parked(r->c, i) != 0) {
			rc = -1;
			break;
		}
	}
	if (rc == 0 && r->cfg.policy == POLICY_FREE && r->cfg.sample_ms > 0 &&
	    pthread_create(&r->sampler, NULL, run_sampler, r) == 0)
		r->sampler_started = 1;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0)
		conductor_cancel(r->c);
	run_pump(r);
	return rc;
}

size_t
run_pump(struct run *r)
{
	return run_pump_max(r, SIZE_MAX);
}

size_t
run_pump_max(struct run *r, size_t max)
{
	struct event buf[RUN_PUMP_BATCH];
	size_t n, i, total = 0;

	while (total < max && (n = evq_pop(r->q, buf, RUN_PUMP_BATCH)) > 0) {
		for (i = 0; i < n; i++)
			model_apply(r->m, &buf[i]);
		total += n;
	}
	return total;
}

int
run_step(struct run *r, int t, char *why, size_t whylen)
{
	if (!conductor_runnable(r->c, t, why, whylen))
		return -1;
	if (conductor_grant(r->c, t) != 0) {
		snprintf(why, whylen, "the run was cancelled");
		return -1;
	}
	run_pump(r);
	return 0;
}

/* run_replay's chooser: the next item while it can move, and the baton
 * back to the controller every RUN_REPLAY_BATCH steps for a pump. */
struct run_replay_turns {
	const int *items;
	size_t n, pos, batch;
};

static int
run_replay_pick(void *ctx, struct conductor *c)
{
	struct run_replay_turns *rt = ctx;
	int t;

	if (rt->pos == rt->n || rt->batch == 0)
		return -1;
	t = rt->items[rt->pos];
	if (!conductor_runnable(c, t, NULL, 0))
		return -1;
	rt->pos++;
	rt->batch--;
	return t;
}

size_t
run_replay(struct run *r, const int *items, size_t n, char *why, size_t whylen)
{
	struct run_replay_turns rt = {items, n, 0, 0};

	while (rt.pos < n) {
		rt.batch = RUN_REPLAY_BATCH;
		if (conductor_run_chosen(r->c, run_replay_pick, &rt) != 0) {
			run_pump(r);
			snprintf(why, whylen, "the run was cancelled");
			return rt.pos;
		}
		run_pump(r);
		if (rt.batch > 0 && rt.pos < n) {
			(void)conductor_runnable(
			    r->c, items[rt.pos], why, whylen);
			return rt.pos;
		}
	}
	return rt.pos;
}

int
run_done(const struct run *r)
{
	return atomic_load_explicit(&r->finished, memory_order_acquire) ==
	    r->started;
}

int
run_over(struct run *r)
{
	if (run_done(r))
		return 1;
	if (r->deadline_ns == 0 || clock_now_ns() < r->deadline_ns)
		return 0;
	if (!r->timed_out) {
		r->timed_out = 1;
		conductor_cancel(r->c);
	}
	return 1;
}

void
run_wait_free(struct run *r)
{
	while (!run_over(r)) {
		if (run_pump(r) == 0)
			evq_wait(r->q, 20);
	}
	run_pump(r);
}

void
run_finish(struct run *r)
{
	int i;

	if (r->joined)
		return;
	if (r->cfg.reuse) {
		run_wait_returned(r);
		conductor_close(r->c);
	} else if (!run_done(r)) {
		conductor_cancel(r->c);
	}
	for (i = 0; i < r->started; i++)
		pthread_join(r->tids[i], NULL);
	if (r->sampler_started) {
		atomic_store_explicit(
		    &r->sampler_stop, 1, memory_order_release);
		pthread_join(r->sampler, NULL);
		r->sampler_started = 0;
	}
	r->joined = 1;
	r->end_ns = clock_now_ns();
	run_pump(r);
}

void
run_result(struct run *r, struct result *res)
{
	result_clear(res);
	r->cfg.module->result(r, res);
	result_int(res, "dropped", (int64_t)evq_dropped(r->q));
}

void
run_verdict(struct run *r, char *buf, size_t len)
{
	struct result res;

	run_result(r, &res);
	result_format(&res, buf, len);
}

void
run_free(struct run *r)
{
	int i;

	if (r == NULL)
		return;
	run_finish(r);
	if (r->lesson != NULL && r->cfg.module->teardown != NULL)
		r->cfg.module->teardown(r);
	for (i = 0; i < r->nlocks; i++)
		il_lock_destroy(&r->locks[i]);
	model_free(r->m);
	conductor_free(r->c);
	evq_free(r->q);
	free(r->tids);
	free(r->workers);
	free(r->args);
	free(r);
}
