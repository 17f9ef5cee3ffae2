/*
 * The explorer, against a brute-force enumerator written here: a small
 * interpreter of each lesson's steps (load, a local step, store, lock,
 * unlock) that walks every interleaving by recursion. It names a class by
 * the order of every pair of dependent steps, not by hashing per object
 * as the explorer does, so the two count classes in different ways.
 */
#include <check.h>
#include <dirent.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explore.h"
#include "helper.h"
#include "module.h"
#include "run.h"
#include "suites.h"

#define BF_THREADS 4
#define BF_OPS     16
#define BF_STEPS   (BF_THREADS * BF_OPS)
#define BF_LOCKS   100 /* lock objects are numbered from here */

enum bf_kind { BF_LOAD, BF_LOCAL, BF_STORE, BF_LOCK, BF_UNLOCK };

struct bf_op {
	int kind;
	int obj;
};

struct bf_prog {
	int nthreads;
	int nops[BF_THREADS];
	struct bf_op op[BF_THREADS][BF_OPS];
	int deadlock_words; /* outcomes are end=complete / end=deadlock */
};

/* What the enumeration found: one record per schedule. */
struct bf_rec {
	char outcome[32];
	char *shared;
	char *cls;
};

struct bf {
	const struct bf_prog *p;
	int pc[BF_THREADS];
	long tmp[BF_THREADS];
	long counter;
	int owner[4];
	int seq_t[BF_STEPS], seq_pc[BF_STEPS], n;
	struct bf_rec *rec;
	size_t nrec, cap;
};

static void
bf_add(struct bf_prog *p, int t, int kind, int obj)
{
	p->op[t][p->nops[t]].kind = kind;
	p->op[t][p->nops[t]].obj = obj;
	p->nops[t]++;
}

/* race and lock-fix: threads x iterations of counter = counter + 1,
 * inside lock 0 if locked. */
static void
bf_counter_prog(struct bf_prog *p, int threads, int iterations, int locked)
{
	int t, i;

	memset(p, 0, sizeof *p);
	p->nthreads = threads;
	for (t = 0; t < threads; t++)
		for (i = 0; i < iterations; i++) {
			if (locked)
				bf_add(p, t, BF_LOCK, BF_LOCKS);
			bf_add(p, t, BF_LOAD, 0);
			bf_add(p, t, BF_LOCAL, 0);
			bf_add(p, t, BF_STORE, 0);
			if (locked)
				bf_add(p, t, BF_UNLOCK, BF_LOCKS);
		}
}

/* deadlock: two threads take A and B (thread 2 B first if opposite),
 * eat, and let go in the reverse order. */
static void
bf_deadlock_prog(struct bf_prog *p, int opposite)
{
	int t, first, second;

	memset(p, 0, sizeof *p);
	p->nthreads = 2;
	p->deadlock_words = 1;
	for (t = 0; t < 2; t++) {
		first = BF_LOCKS + (opposite && t == 1 ? 1 : 0);
		second = BF_LOCKS + (opposite && t == 1 ? 0 : 1);
		bf_add(p, t, BF_LOCK, first);
		bf_add(p, t, BF_LOCK, second);
		bf_add(p, t, BF_LOCAL, 0);
		bf_add(p, t, BF_UNLOCK, second);
		bf_add(p, t, BF_UNLOCK, first);
	}
}

static int
bf_dependent(const struct bf_op *a, const struct bf_op *b)
{
	return a->kind != BF_LOCAL && b->kind != BF_LOCAL && a->obj == b->obj &&
	    !(a->kind == BF_LOAD && b->kind == BF_LOAD);
}

/* The schedule just ended, as a record. */
static void
bf_record(struct bf *b, int stuck)
{
	const struct bf_prog *p = b->p;
	int pos[BF_THREADS][BF_OPS];
	struct bf_rec *r;
	char *sh, *cl;
	int i, t1, p1, t2, p2, k = 0, n = 0;

	if (b->nrec == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 1024;
		b->rec = realloc(b->rec, b->cap * sizeof *b->rec);
	}
	r = &b->rec[b->nrec++];
	if (p->deadlock_words)
		snprintf(r->outcome, sizeof r->outcome, "end=%s",
		    stuck ? "deadlock" : "complete");
	else
		snprintf(
		    r->outcome, sizeof r->outcome, "counter=%ld", b->counter);
	sh = calloc(BF_STEPS + 1, 1);
	cl = calloc(BF_STEPS * BF_STEPS + BF_THREADS * 4 + 1, 1);
	memset(pos, -1, sizeof pos);
	for (i = 0; i < b->n; i++) {
		pos[b->seq_t[i]][b->seq_pc[i]] = i;
		if (p->op[b->seq_t[i]][b->seq_pc[i]].kind != BF_LOCAL)
			sh[k++] = (char)('1' + b->seq_t[i]);
	}
	/* every pair of executed dependent steps of two threads, in a fixed
	 * order of the pairs: which of the two came first */
	for (t1 = 0; t1 < p->nthreads; t1++)
		for (p1 = 0; p1 < p->nops[t1]; p1++)
			for (t2 = t1 + 1; t2 < p->nthreads; t2++)
				for (p2 = 0; p2 < p->nops[t2]; p2++) {
					if (pos[t1][p1] < 0 ||
					    pos[t2][p2] < 0 ||
					    !bf_dependent(
					        &p->op[t1][p1], &p->op[t2][p2]))
						continue;
					cl[n++] = pos[t1][p1] < pos[t2][p2]
					    ? '<'
					    : '>';
				}
	for (t1 = 0; t1 < p->nthreads; t1++)
		n += sprintf(cl + n, "/%d", b->pc[t1]);
	r->shared = sh;
	r->cls = cl;
}

static void
bf_walk(struct bf *b)
{
	const struct bf_prog *p = b->p;
	int t, any = 0, all_done = 1;

	for (t = 0; t < p->nthreads; t++) {
		const struct bf_op *op;
		int pc = b->pc[t], saved_owner = -1;
		long saved_tmp = b->tmp[t], saved_counter = b->counter;

		if (pc >= p->nops[t])
			continue;
		all_done = 0;
		op = &p->op[t][pc];
		if (op->kind == BF_LOCK && b->owner[op->obj - BF_LOCKS] >= 0)
			continue;
		any = 1;
		switch (op->kind) {
		case BF_LOAD:
			b->tmp[t] = b->counter;
			break;
		case BF_LOCAL:
			b->tmp[t]++;
			break;
		case BF_STORE:
			b->counter = b->tmp[t];
			break;
		case BF_LOCK:
		case BF_UNLOCK:
			saved_owner = b->owner[op->obj - BF_LOCKS];
			b->owner[op->obj - BF_LOCKS] =
			    op->kind == BF_LOCK ? t : -1;
			break;
		}
		b->seq_t[b->n] = t;
		b->seq_pc[b->n] = pc;
		b->n++;
		b->pc[t]++;
		bf_walk(b);
		b->pc[t]--;
		b->n--;
		b->tmp[t] = saved_tmp;
		b->counter = saved_counter;
		if (op->kind == BF_LOCK || op->kind == BF_UNLOCK)
			b->owner[op->obj - BF_LOCKS] = saved_owner;
	}
	if (!any)
		bf_record(b, !all_done);
}

static int
bf_cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The number of distinct strings among n (sorted in place). */
static size_t
bf_distinct(char **s, size_t n)
{
	size_t i, d = 0;

	qsort(s, n, sizeof *s, bf_cmp_str);
	for (i = 0; i < n; i++)
		d += i == 0 || strcmp(s[i], s[i - 1]) != 0;
	return d;
}

/* Check the explorer's counts for strategy all against the enumerator,
 * and return them. */
static void
bf_check(const struct bf_prog *p, const struct explore *x)
{
	struct bf b;
	char **keys;
	size_t i, k;
	int o;

	memset(&b, 0, sizeof b);
	b.p = p;
	memset(b.owner, -1, sizeof b.owner);
	bf_walk(&b);
	keys = calloc(b.nrec, sizeof *keys);
	ck_assert_uint_eq(x->schedules, b.nrec);
	for (i = 0; i < b.nrec; i++)
		keys[i] = b.rec[i].shared;
	ck_assert_uint_eq(x->shared, bf_distinct(keys, b.nrec));
	for (i = 0; i < b.nrec; i++)
		keys[i] = b.rec[i].cls;
	ck_assert_uint_eq(x->classes, bf_distinct(keys, b.nrec));
	/* each outcome: its schedules and its classes */
	for (o = 0; o < x->nout; o++) {
		char label[80];
		size_t n = 0;

		snprintf(label, sizeof label, "%s=%s", x->out[o].o.key,
		    x->out[o].o.value);
		for (i = 0; i < b.nrec; i++)
			if (strcmp(b.rec[i].outcome, label) == 0)
				keys[n++] = b.rec[i].cls;
		ck_assert_msg(n == x->out[o].schedules,
		    "%s: %zu schedules by brute force, %llu explored", label, n,
		    (unsigned long long)x->out[o].schedules);
		ck_assert_uint_eq(x->out[o].classes, bf_distinct(keys, n));
	}
	/* and no outcome the explorer missed */
	for (i = 0; i < b.nrec; i++) {
		int found = 0;

		for (o = 0; o < x->nout; o++) {
			char label[80];

			snprintf(label, sizeof label, "%s=%s", x->out[o].o.key,
			    x->out[o].o.value);
			found |= strcmp(b.rec[i].outcome, label) == 0;
		}
		ck_assert_msg(
		    found, "outcome %s not explored", b.rec[i].outcome);
	}
	for (k = 0; k < b.nrec; k++) {
		free(b.rec[k].shared);
		free(b.rec[k].cls);
	}
	free(b.rec);
	free(keys);
}

/* An exploration of lesson with params ("name=value ...", the rest at
 * their defaults) under strategy s, with no bounds. */
static void
ex_config(struct explore_config *cfg, const char *lesson, const char *params,
    enum explore_strategy s)
{
	struct run_config rc;

	th_config(&rc, th_module(lesson), params, POLICY_REPLAY);
	memset(cfg, 0, sizeof *cfg);
	cfg->module = rc.module;
	memcpy(cfg->params, rc.params, sizeof cfg->params);
	cfg->strategy = s;
	cfg->max_preemptions = -1;
}

/* Explore lesson with params under strategy. */
static void
ex_explore(struct explore *x, const char *lesson, const char *params,
    enum explore_strategy s, long max_preemptions)
{
	struct explore_config cfg;
	char err[256];

	ex_config(&cfg, lesson, params, s);
	cfg.max_preemptions = max_preemptions;
	cfg.seed = 7;
	cfg.depth = 3;
	ck_assert_msg(explore_init(x, &cfg, err, sizeof err) == 0, "%s", err);
	ck_assert_msg(explore_run(x, err, sizeof err) == 0, "%s", err);
}

/* The index of the outcome key=value in x, or -1. */
static int
ex_find(const struct explore *x, const char *key, const char *value)
{
	int i;

	for (i = 0; i < x->nout; i++)
		if (strcmp(x->out[i].o.key, key) == 0 &&
		    strcmp(x->out[i].o.value, value) == 0)
			return i;
	return -1;
}

/* A case: the lesson, its parameters and the enumerator's program. */
struct ex_case {
	const char *lesson;
	const char *params;
	int threads, iterations, locked, deadlock, opposite;
};

static const struct ex_case ex_cases[] = {
    {"race", "threads=2 iterations=1", 2, 1, 0, 0, 0},
    {"race", "threads=2 iterations=2", 2, 2, 0, 0, 0},
    {"race", "threads=3 iterations=1", 3, 1, 0, 0, 0},
    {"lock-fix", "threads=2 iterations=1 fix=mutex io_ms=0", 2, 1, 1, 0, 0},
    {"lock-fix", "threads=2 iterations=1 fix=none io_ms=0", 2, 1, 0, 0, 0},
    {"deadlock", "order=opposite", 2, 1, 0, 1, 1},
    {"deadlock", "order=same", 2, 1, 0, 1, 0},
};

static void
ex_case_prog(const struct ex_case *c, struct bf_prog *p)
{
	if (c->deadlock)
		bf_deadlock_prog(p, c->opposite);
	else
		bf_counter_prog(p, c->threads, c->iterations, c->locked);
}

START_TEST(test_explore_counts_match_brute_force)
{
	const struct ex_case *c = &ex_cases[_i];
	struct bf_prog p;
	struct explore x;

	ex_case_prog(c, &p);
	ex_explore(&x, c->lesson, c->params, EXPLORE_ALL, -1);
	ck_assert_int_eq(x.complete, 1);
	bf_check(&p, &x);
	explore_free(&x);
}
END_TEST

/* The example in the issue: 20 schedules, 6 shared orders, 4 classes. */
START_TEST(test_explore_race_2x1_figures)
{
	struct explore x;
	int one, two;

	ex_explore(&x, "race", "threads=2 iterations=1", EXPLORE_ALL, -1);
	ck_assert_uint_eq(x.schedules, 20);
	ck_assert_uint_eq(x.shared, 6);
	ck_assert_uint_eq(x.classes, 4);
	one = ex_find(&x, "counter", "1");
	two = ex_find(&x, "counter", "2");
	ck_assert(one >= 0 && two >= 0);
	ck_assert_uint_eq(x.out[one].schedules, 18);
	ck_assert_uint_eq(x.out[two].schedules, 2);
	ck_assert_int_eq(x.out[one].failure, 1);
	ck_assert_int_eq(x.out[two].failure, 0);
	explore_free(&x);
}
END_TEST

/* dpor: the same outcomes and classes as all, one complete run per
 * class, and fewer runs in all where classes are fewer than schedules. */
START_TEST(test_explore_dpor_one_run_per_class)
{
	const struct ex_case *c = &ex_cases[_i];
	struct explore all, dpor;
	int i, j;

	ex_explore(&all, c->lesson, c->params, EXPLORE_ALL, -1);
	ex_explore(&dpor, c->lesson, c->params, EXPLORE_DPOR, -1);
	ck_assert_int_eq(dpor.complete, 1);
	ck_assert_uint_eq(dpor.classes, all.classes);
	ck_assert_uint_eq(dpor.schedules, all.classes);
	ck_assert_int_eq(dpor.nout, all.nout);
	for (i = 0; i < all.nout; i++) {
		j = ex_find(&dpor, all.out[i].o.key, all.out[i].o.value);
		ck_assert_msg(j >= 0, "dpor missed %s=%s", all.out[i].o.key,
		    all.out[i].o.value);
		ck_assert_uint_eq(dpor.out[j].classes, all.out[i].classes);
	}
	if (all.classes < all.schedules)
		ck_assert_uint_lt(dpor.runs, all.schedules);
	explore_free(&all);
	explore_free(&dpor);
}
END_TEST

/* Each witness, stepped as a schedule on a fresh run, ends as its
 * outcome says. */
START_TEST(test_explore_witnesses_replay)
{
	const struct ex_case *c = &ex_cases[_i];
	struct explore x;
	int i;

	ex_explore(&x, c->lesson, c->params, EXPLORE_ALL, -1);
	for (i = 0; i < x.nout; i++) {
		char *w = explore_witness_text(&x, i);
		struct run *r = th_run(c->lesson, c->params, w);
		struct outcome o;
		int stuck = !conductor_all_done(r->c) &&
		    conductor_lowest_runnable(r->c) < 0;

		ck_assert_msg(conductor_all_done(r->c) || stuck,
		    "witness %s does not end the run", w);
		memset(&o, 0, sizeof o);
		(void)r->cfg.module->outcome(r, stuck, &o);
		ck_assert_str_eq(o.key, x.out[i].o.key);
		ck_assert_str_eq(o.value, x.out[i].o.value);
		run_free(r);
		free(w);
	}
	explore_free(&x);
}
END_TEST

/* Two explorations print the same result line. */
START_TEST(test_explore_deterministic)
{
	enum explore_strategy s = (enum explore_strategy)_i;
	struct explore a, b;
	char la[2048], lb[2048];
	int i;

	ex_explore(&a, "race", "threads=2 iterations=2", s, -1);
	ex_explore(&b, "race", "threads=2 iterations=2", s, -1);
	ck_assert_uint_eq(a.runs, b.runs);
	ck_assert_uint_eq(a.classes, b.classes);
	ck_assert_uint_eq(a.first_failure, b.first_failure);
	ck_assert_int_eq(a.nout, b.nout);
	for (i = 0; i < a.nout; i++) {
		char *wa = explore_witness_text(&a, i);
		char *wb = explore_witness_text(&b, i);

		snprintf(la, sizeof la, "%s=%s:%llu:%s", a.out[i].o.key,
		    a.out[i].o.value, (unsigned long long)a.out[i].schedules,
		    wa);
		snprintf(lb, sizeof lb, "%s=%s:%llu:%s", b.out[i].o.key,
		    b.out[i].o.value, (unsigned long long)b.out[i].schedules,
		    wb);
		ck_assert_str_eq(la, lb);
		free(wa);
		free(wb);
	}
	explore_free(&a);
	explore_free(&b);
}
END_TEST

/* No preemption: only the serial schedules, n! of them. */
START_TEST(test_explore_max_preemptions_zero_is_serial)
{
	struct explore x;
	int i;

	ex_explore(&x, "race", "threads=3 iterations=1", EXPLORE_ALL, 0);
	ck_assert_uint_eq(x.schedules, 6);
	ck_assert_int_eq(x.nout, 1);
	ck_assert_str_eq(x.out[0].o.value, "3");
	explore_free(&x);
	/* one preemption is enough to lose an update */
	ex_explore(&x, "race", "threads=2 iterations=1", EXPLORE_ALL, 1);
	ck_assert(ex_find(&x, "counter", "1") >= 0);
	for (i = 0; i < x.nout; i++)
		ck_assert(x.out[i].schedules > 0);
	explore_free(&x);
}
END_TEST

/* A bound on schedules stops early, says so and estimates the rest. */
START_TEST(test_explore_max_schedules)
{
	struct explore_config cfg;
	struct explore x;
	char err[256];

	ex_config(&cfg, "race", "threads=2 iterations=3", EXPLORE_ALL);
	cfg.max_schedules = 500;
	ck_assert(explore_init(&x, &cfg, err, sizeof err) == 0);
	ck_assert(explore_run(&x, err, sizeof err) == 0);
	ck_assert_uint_eq(x.runs, 500);
	ck_assert_int_eq(x.complete, 0);
	/* 48620 in all; the estimate is rough, but of that order */
	ck_assert_msg(x.estimate > 1000 && x.estimate < 10000000,
	    "estimate %.0f", x.estimate);
	explore_free(&x);
}
END_TEST

/* random and pct find the lost update and say when. */
START_TEST(test_explore_random_pct_first_failure)
{
	struct explore x;
	enum explore_strategy s = _i ? EXPLORE_PCT : EXPLORE_RANDOM;

	ex_explore(&x, "race", "threads=2 iterations=1", s, -1);
	ck_assert_uint_eq(x.runs, EXPLORE_DEFAULT_RUNS);
	ck_assert(x.first_failure >= 1);
	ck_assert(ex_find(&x, "counter", "1") >= 0);
	ck_assert(ex_find(&x, "counter", "2") >= 0);
	ck_assert_uint_le(x.classes, 4);
	explore_free(&x);
}
END_TEST

/* Worker threads of this process now (run.c names them il-worker). */
static int
ex_threads_now(void)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *e;
	char path[300], comm[64];
	int n = 0;

	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL) {
		FILE *f;

		if (e->d_name[0] == '.')
			continue;
		snprintf(
		    path, sizeof path, "/proc/self/task/%s/comm", e->d_name);
		if ((f = fopen(path, "r")) == NULL)
			continue;
		if (fgets(comm, sizeof comm, f) != NULL &&
		    strncmp(comm, "il-worker", 9) == 0)
			n++;
		fclose(f);
	}
	closedir(d);
	return n;
}

struct ex_bg {
	struct explore x;
	int rc;
	char err[256];
};

static void *
ex_bg_run(void *arg)
{
	struct ex_bg *b = arg;

	b->rc = explore_run(&b->x, b->err, sizeof b->err);
	return NULL;
}

/* Cancel in the middle: explore_run returns, not complete, and every
 * thread it made is joined. */
START_TEST(test_explore_cancel_joins)
{
	struct explore_config cfg;
	struct ex_bg b;
	pthread_t tid;
	int before = ex_threads_now();

	ex_config(&cfg, "race", "threads=3 iterations=3", EXPLORE_ALL);
	ck_assert(explore_init(&b.x, &cfg, b.err, sizeof b.err) == 0);
	ck_assert(pthread_create(&tid, NULL, ex_bg_run, &b) == 0);
	while (atomic_load(&b.x.done_now) < 100)
		sched_yield();
	ck_assert_int_eq(ex_threads_now(), before + 3);
	explore_cancel(&b.x);
	pthread_join(tid, NULL);
	ck_assert_int_eq(b.rc, 0);
	ck_assert_int_eq(b.x.cancelled, 1);
	ck_assert_int_eq(b.x.complete, 0);
	ck_assert_int_eq(ex_threads_now(), before);
	explore_free(&b.x);
}
END_TEST

/* A lesson without controlled steps is refused with a message. */
START_TEST(test_explore_refuses_lesson_without_outcome)
{
	struct explore_config cfg;
	struct explore x;
	char err[256];

	ex_config(&cfg, "io-vs-cpu", NULL, EXPLORE_ALL);
	ck_assert_int_eq(explore_init(&x, &cfg, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "io-vs-cpu"));
	explore_free(&x);
}
END_TEST

Suite *
make_explore_suite(void)
{
	Suite *s = suite_create("explore");
	TCase *tc = tcase_create("core");
	int ncases = (int)(sizeof ex_cases / sizeof ex_cases[0]);

	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(
	    tc, test_explore_counts_match_brute_force, 0, ncases);
	tcase_add_test(tc, test_explore_race_2x1_figures);
	tcase_add_loop_test(tc, test_explore_dpor_one_run_per_class, 0, ncases);
	tcase_add_loop_test(tc, test_explore_witnesses_replay, 0, ncases);
	tcase_add_loop_test(
	    tc, test_explore_deterministic, 0, EXPLORE_STRATEGIES);
	tcase_add_test(tc, test_explore_max_preemptions_zero_is_serial);
	tcase_add_test(tc, test_explore_max_schedules);
	tcase_add_loop_test(tc, test_explore_random_pct_first_failure, 0, 2);
	tcase_add_test(tc, test_explore_cancel_joins);
	tcase_add_test(tc, test_explore_refuses_lesson_without_outcome);
	suite_add_tcase(s, tc);
	return s;
}
