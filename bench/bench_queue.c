/*
 * Event queue throughput: 4 producers push N events each while one consumer
 * drains, through evq, through a plain mutex+condvar bounded queue, and
 * (when Concurrency Kit is installed) through one ck_ring SPSC ring per
 * producer, side by side in the same run. Prints the median of a few
 * repetitions and the ratios.
 *
 * Producers stamp ts_ns from the clock once every STAMP_EVERY events and
 * reuse it in between: a clock read costs about as much as a push here
 * (~19 ns), so this measures the queues, not the clock. evq's merge still
 * sees real, mostly shared, timestamps. The ck peer round-robins its rings
 * with no timestamp merge and no sleeping consumer: a plain SPSC reference.
 *
 * usage: bench_queue [events-per-producer [repetitions]]
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef HAVE_CK_RING
#include <ck_ring.h>
#endif

#include "evq.h"
#include "util.h"

#define NPROD          4
#define CAPACITY       4096 /* per ring for evq and ck; in all for mutex */
#define BATCH          256
#define STAMP_EVERY    64
#define DEFAULT_EVENTS 1000000
#define DEFAULT_REPS   5
#define MAX_REPS       99
#define TARGET_RATE    100e6 /* evq events/s, 4 producers, 1 consumer */
#define TARGET_RATIO   5.0   /* evq over mutex+condvar, same run */

/* The baseline: a bounded ring guarded by one mutex and two condvars. */
struct mq {
	pthread_mutex_t lock;     /* protects every field below */
	pthread_cond_t not_empty; /* the consumer waits here */
	pthread_cond_t not_full;  /* producers wait here */
	struct event *buf;
	size_t cap, head, count;
	int consumer_waiting;
	int producers_waiting;
};

static void
mq_init(struct mq *m, size_t cap)
{
	pthread_mutex_init(&m->lock, NULL);
	pthread_cond_init(&m->not_empty, NULL);
	pthread_cond_init(&m->not_full, NULL);
	m->buf = xcalloc(cap, sizeof *m->buf);
	m->cap = cap;
	m->head = m->count = 0;
	m->consumer_waiting = m->producers_waiting = 0;
}

static void
mq_destroy(struct mq *m)
{
	pthread_mutex_destroy(&m->lock);
	pthread_cond_destroy(&m->not_empty);
	pthread_cond_destroy(&m->not_full);
	free(m->buf);
}

/* Add one event, waiting while the ring is full. */
static void
mq_push(struct mq *m, const struct event *ev)
{
	pthread_mutex_lock(&m->lock);
	while (m->count == m->cap) {
		m->producers_waiting++;
		pthread_cond_wait(&m->not_full, &m->lock);
		m->producers_waiting--;
	}
	m->buf[(m->head + m->count) % m->cap] = *ev;
	m->count++;
	if (m->consumer_waiting)
		pthread_cond_signal(&m->not_empty);
	pthread_mutex_unlock(&m->lock);
}

/* Take up to max events, waiting while the ring is empty. */
static size_t
mq_pop(struct mq *m, struct event *out, size_t max)
{
	size_t n;

	pthread_mutex_lock(&m->lock);
	while (m->count == 0) {
		m->consumer_waiting = 1;
		pthread_cond_wait(&m->not_empty, &m->lock);
		m->consumer_waiting = 0;
	}
	for (n = 0; n < max && n < m->count; n++)
		out[n] = m->buf[(m->head + n) % m->cap];
	m->head = (m->head + n) % m->cap;
	m->count -= n;
	if (m->producers_waiting)
		pthread_cond_broadcast(&m->not_full);
	pthread_mutex_unlock(&m->lock);
	return n;
}

#ifdef HAVE_CK_RING
CK_RING_PROTOTYPE(event, event)

/* The Concurrency Kit peer: one SPSC ring per producer. */
struct ckq {
	ck_ring_t ring[NPROD];
	struct event *buf[NPROD];
};

static void
ckq_init(struct ckq *k)
{
	int i;

	for (i = 0; i < NPROD; i++) {
		ck_ring_init(&k->ring[i], CAPACITY);
		k->buf[i] = xcalloc(CAPACITY, sizeof *k->buf[i]);
	}
}

static void
ckq_destroy(struct ckq *k)
{
	int i;

	for (i = 0; i < NPROD; i++)
		free(k->buf[i]);
}

/* Add one event to producer id's ring, yielding while it is full. */
static void
ckq_push(struct ckq *k, int id, struct event *ev)
{
	while (!ck_ring_enqueue_spsc_event(&k->ring[id], k->buf[id], ev))
		sched_yield();
}

/* Take up to max events, round-robin over the rings; yields when all
 * are empty. */
static size_t
ckq_pop(struct ckq *k, struct event *out, size_t max)
{
	size_t n = 0;
	int i;

	for (i = 0; i < NPROD; i++)
		while (n < max &&
		    ck_ring_dequeue_spsc_event(&k->ring[i], k->buf[i], &out[n]))
			n++;
	if (n == 0)
		sched_yield();
	return n;
}
#else
struct ckq {
	int unused;
};
#endif

struct run {
	struct evq *q; /* one of q, m and k is set */
	struct mq *m;
	struct ckq *k;
	size_t events; /* per producer */
	pthread_barrier_t start;
	size_t failed;               /* evq pushes that returned -1 */
	pthread_mutex_t failed_lock; /* protects failed */
};

struct producer {
	struct run *run;
	uint16_t id;
};

/* Producer thread: push the run's events numbered 0..events-1. */
static void *
producer_main(void *arg)
{
	struct producer *p = arg;
	struct run *r = p->run;
	struct event ev;
	size_t i, failed = 0;

	memset(&ev, 0, sizeof ev);
	ev.thread = p->id;
	ev.kind = EV_MARK;
	pthread_barrier_wait(&r->start);
	for (i = 0; i < r->events; i++) {
		if (i % STAMP_EVERY == 0)
			ev.ts_ns = clock_now_ns();
		ev.a = (int64_t)i;
		if (r->q != NULL)
			failed += evq_push(r->q, &ev) != 0;
		else if (r->m != NULL)
			mq_push(r->m, &ev);
#ifdef HAVE_CK_RING
		else
			ckq_push(r->k, p->id, &ev);
#endif
	}
	pthread_mutex_lock(&r->failed_lock);
	r->failed += failed;
	pthread_mutex_unlock(&r->failed_lock);
	return NULL;
}

/* Drain the run's queue in the calling thread; returns events out of
 * per-producer order (should be 0). */
static size_t
consume(struct run *r, size_t total)
{
	struct event buf[BATCH];
	int64_t next[NPROD] = {0};
	size_t got = 0, n, i, bad = 0;

	while (got < total) {
		if (r->q != NULL) {
			n = evq_pop(r->q, buf, BATCH);
			if (n == 0) {
				/* 20 s without an event: some were dropped. */
				if (evq_wait(r->q, 20000) == 0)
					break;
				continue;
			}
		} else if (r->m != NULL)
			n = mq_pop(r->m, buf, BATCH);
		else {
#ifdef HAVE_CK_RING
			n = ckq_pop(r->k, buf, BATCH);
#else
			break;
#endif
		}
		for (i = 0; i < n; i++) {
			if (buf[i].thread >= NPROD ||
			    buf[i].a != next[buf[i].thread]++)
				bad++;
		}
		got += n;
	}
	return bad + (total - got);
}

/* One timed run; returns events per second, or a negative on error. */
static double
run_once(struct evq *q, struct mq *m, struct ckq *k, size_t events)
{
	struct producer ps[NPROD];
	pthread_t t[NPROD];
	struct run r;
	uint64_t t0, t1;
	size_t bad;
	int i;

	memset(&r, 0, sizeof r);
	r.q = q;
	r.m = m;
	r.k = k;
	r.events = events;
	pthread_barrier_init(&r.start, NULL, NPROD + 1);
	pthread_mutex_init(&r.failed_lock, NULL);
	for (i = 0; i < NPROD; i++) {
		ps[i].run = &r;
		ps[i].id = (uint16_t)i;
		if (pthread_create(&t[i], NULL, producer_main, &ps[i]) != 0) {
			perror("pthread_create");
			exit(1);
		}
	}
	pthread_barrier_wait(&r.start);
	t0 = clock_now_ns();
	bad = consume(&r, (size_t)NPROD * events);
	t1 = clock_now_ns();
	for (i = 0; i < NPROD; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&r.start);
	pthread_mutex_destroy(&r.failed_lock);
	if (bad != 0 || r.failed != 0) {
		fprintf(stderr,
		    "bench_queue: %zu events lost or out of order, "
		    "%zu dropped\n",
		    bad, r.failed);
		return -1;
	}
	return (double)NPROD * (double)events / ((double)(t1 - t0) / 1e9);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double
median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Print one verdict line: the figure, its target, ok or MISSED. */
static void
verdict(const char *what, double figure, double target, const char *unit)
{
	printf("  %-34s %8.1f%s (target >= %.0f%s) %s\n", what, figure, unit,
	    target, unit, figure >= target ? "ok" : "MISSED");
}

int
main(int argc, char **argv)
{
	double evq_rate[MAX_REPS], mq_rate[MAX_REPS], ck_rate[MAX_REPS];
	double e, m, c = 0;
	size_t events = DEFAULT_EVENTS;
	int reps = DEFAULT_REPS, i, have_ck = 0;
	struct evq *q;
	struct mq mq;
	struct ckq ck;

#ifdef HAVE_CK_RING
	have_ck = 1;
#endif
	if (argc > 1)
		events = strtoul(argv[1], NULL, 10);
	if (argc > 2)
		reps = atoi(argv[2]);
	if (events == 0 || reps < 1 || reps > MAX_REPS) {
		fprintf(stderr, "usage: bench_queue [events [reps 1-99]]\n");
		return 2;
	}

	for (i = 0; i < reps; i++) {
		/* Interleave them so drift in machine load hits all. */
		q = evq_new(CAPACITY);
		if (q == NULL) {
			fprintf(stderr, "bench_queue: evq_new failed\n");
			return 1;
		}
		evq_set_push_timeout(q, 10ULL * 1000 * 1000 * 1000);
		evq_rate[i] = run_once(q, NULL, NULL, events);
		printf("  rep %d: evq %.1f M/s (%llu wakeups)", i + 1,
		    evq_rate[i] / 1e6, (unsigned long long)evq_wakeups(q));
		evq_free(q);

		mq_init(&mq, CAPACITY);
		mq_rate[i] = run_once(NULL, &mq, NULL, events);
		mq_destroy(&mq);
		printf(", mutex+condvar %.1f M/s", mq_rate[i] / 1e6);
		ck_rate[i] = 0;
#ifdef HAVE_CK_RING
		ckq_init(&ck);
		ck_rate[i] = run_once(NULL, NULL, &ck, events);
		ckq_destroy(&ck);
		printf(", ck_ring %.1f M/s", ck_rate[i] / 1e6);
#else
		(void)ck;
#endif
		printf("\n");
		if (evq_rate[i] < 0 || mq_rate[i] < 0 || ck_rate[i] < 0)
			return 1;
	}

	e = median(evq_rate, reps);
	m = median(mq_rate, reps);
	printf("queue: %d producers, 1 consumer, median of %d:\n", NPROD, reps);
	printf("  evq            %8.1f M events/s\n", e / 1e6);
	printf("  mutex+condvar  %8.1f M events/s\n", m / 1e6);
	if (have_ck) {
		c = median(ck_rate, reps);
		printf(
		    "  ck_ring SPSC   %8.1f M events/s (evq/ck_ring %.2fx)\n",
		    c / 1e6, e / c);
	} else
		printf("  ck_ring: not installed\n");
	verdict("evq rate", e / 1e6, TARGET_RATE / 1e6, " M/s");
	verdict("evq over mutex+condvar", e / m, TARGET_RATIO, "x");
	return 0;
}
