/* Event queue: per-producer order, the merge's causal order, counted drops,
 * wake-ups, and the rings behind producer threads. */
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "evq.h"
#include "suites.h"
#include "util.h"

#define STRESS_PRODUCERS 4
#define STRESS_EVENTS    1000000
#define LONG_TIMEOUT_NS  (10ULL * 1000 * 1000 * 1000)
#define WAIT_MS          30000

/* An event from producer id carrying its sequence number n, stamped now as
 * conductor_emit stamps its events. */
static struct event
make_event(unsigned int id, int64_t n)
{
	struct event ev;

	memset(&ev, 0, sizeof ev);
	ev.ts_ns = clock_now_ns();
	ev.thread = (uint16_t)id;
	ev.kind = EV_MARK;
	ev.a = n;
	ev.b = -n;
	return ev;
}

/* Push n events numbered 0..n-1 from producer id; returns failed pushes. */
static size_t
push_run(struct evq *q, unsigned int id, size_t n, signed char *ok)
{
	struct event ev;
	size_t i, failed = 0;
	int r;

	for (i = 0; i < n; i++) {
		ev = make_event(id, (int64_t)i);
		r = evq_push(q, &ev);
		if (ok != NULL)
			ok[i] = r == 0;
		if (r != 0)
			failed++;
	}
	return failed;
}

struct producer {
	pthread_t thread;
	struct evq *q;
	unsigned int id;
	size_t n;
	signed char *ok; /* per push: 1 accepted, 0 dropped (or NULL) */
	size_t failed;
	_Atomic int *go; /* producers start together when it turns 1 */
};

/* Producer thread: wait for the start signal, then push its run. */
static void *
producer_main(void *arg)
{
	struct producer *p = arg;

	while (p->go != NULL && !atomic_load(p->go))
		;
	p->failed = push_run(p->q, p->id, p->n, p->ok);
	return NULL;
}

/* Start nprod producer threads pushing n events each. */
static void
start_producers(struct producer *ps, int nprod, struct evq *q, size_t n,
    int with_ok, _Atomic int *go)
{
	int i;

	for (i = 0; i < nprod; i++) {
		ps[i].q = q;
		ps[i].id = (unsigned int)i;
		ps[i].n = n;
		ps[i].ok = with_ok ? calloc(n, 1) : NULL;
		ps[i].failed = 0;
		ps[i].go = go;
		ck_assert_int_eq(
		    pthread_create(&ps[i].thread, NULL, producer_main, &ps[i]),
		    0);
	}
}

static void
join_producers(struct producer *ps, int nprod)
{
	int i;

	for (i = 0; i < nprod; i++)
		ck_assert_int_eq(pthread_join(ps[i].thread, NULL), 0);
}

struct consumer {
	struct evq *q;
	size_t expect; /* stop after this many events */
	size_t got;
	int64_t next[STRESS_PRODUCERS]; /* next sequence number per producer */
	size_t out_of_order;
	size_t bad_thread;
	size_t timeouts;
};

/* Consumer thread: drain with evq_pop, sleeping in evq_wait when empty. */
static void *
consumer_main(void *arg)
{
	struct consumer *c = arg;
	struct event buf[256];
	size_t n, i;

	while (c->got < c->expect) {
		n = evq_pop(c->q, buf, IL_ARRAY_LEN(buf));
		if (n == 0) {
			if (evq_wait(c->q, WAIT_MS) == 0 && ++c->timeouts > 2)
				break; /* the producers are gone: give up */
			continue;
		}
		for (i = 0; i < n; i++) {
			if (buf[i].thread >= STRESS_PRODUCERS) {
				c->bad_thread++;
				continue;
			}
			if (buf[i].a != c->next[buf[i].thread] ||
			    buf[i].b != -buf[i].a)
				c->out_of_order++;
			c->next[buf[i].thread] = buf[i].a + 1;
		}
		c->got += n;
	}
	return NULL;
}

START_TEST(test_many_producers_lose_nothing)
{
	struct producer ps[STRESS_PRODUCERS];
	struct consumer c;
	pthread_t ct;
	struct event extra;
	struct evq *q;
	size_t failed = 0;
	int i;

	/* given: a queue whose producers may wait 10 s for space */
	q = evq_new(4096);
	ck_assert_ptr_nonnull(q);
	evq_set_push_timeout(q, LONG_TIMEOUT_NS);
	memset(&c, 0, sizeof c);
	c.q = q;
	c.expect = (size_t)STRESS_PRODUCERS * STRESS_EVENTS;

	/* when: 4 producers push a million events each, one consumer drains */
	ck_assert_int_eq(pthread_create(&ct, NULL, consumer_main, &c), 0);
	start_producers(ps, STRESS_PRODUCERS, q, STRESS_EVENTS, 0, NULL);
	join_producers(ps, STRESS_PRODUCERS);
	ck_assert_int_eq(pthread_join(ct, NULL), 0);

	/* then: every event arrived once, each producer's in order */
	for (i = 0; i < STRESS_PRODUCERS; i++)
		failed += ps[i].failed;
	ck_assert_uint_eq(failed, 0);
	ck_assert_uint_eq(evq_dropped(q), 0);
	ck_assert_uint_eq(c.got, c.expect);
	ck_assert_uint_eq(c.bad_thread, 0);
	ck_assert_uint_eq(c.out_of_order, 0);
	for (i = 0; i < STRESS_PRODUCERS; i++)
		ck_assert_int_eq(c.next[i], STRESS_EVENTS);
	ck_assert_uint_eq(evq_pop(q, &extra, 1), 0);
	evq_free(q);
}
END_TEST

/* Requested capacity and the power of two each producer's ring holds. */
static const struct {
	size_t asked;
	size_t holds;
} drop_cases[] = {
    {1024, 1024},
    {1000, 1024},
    {100, 128},
    {2, 2},
    {0, 2},
};

START_TEST(test_drops_are_counted)
{
	enum { NPROD = 2, PUSHES = 2500 };
	struct producer ps[NPROD];
	struct event buf[64];
	_Atomic int go = 0;
	struct evq *q;
	size_t accepted = 0, failed = 0, popped = 0, n, i, k[NPROD] = {0};
	int p;

	/* given: a stalled consumer and producers that never wait */
	q = evq_new(drop_cases[_i].asked);
	ck_assert_ptr_nonnull(q);
	evq_set_push_timeout(q, 0);

	/* when: two producers push 5000 events between them */
	start_producers(ps, NPROD, q, PUSHES, 1, &go);
	atomic_store(&go, 1);
	join_producers(ps, NPROD);

	/* then: each producer's ring filled exactly, every other push was
	 * counted */
	for (p = 0; p < NPROD; p++) {
		failed += ps[p].failed;
		for (i = 0; i < PUSHES; i++)
			accepted += ps[p].ok[i] != 0;
	}
	ck_assert_uint_eq(accepted + failed, (size_t)NPROD * PUSHES);
	ck_assert_uint_eq(accepted, NPROD * drop_cases[_i].holds);
	ck_assert_uint_eq(evq_producers(q), NPROD);
	ck_assert_uint_eq(evq_dropped(q), failed);
	ck_assert_uint_eq(evq_wakeups(q), 0);

	/* and what comes out is exactly the accepted events, in order */
	while ((n = evq_pop(q, buf, IL_ARRAY_LEN(buf))) > 0) {
		for (i = 0; i < n; i++) {
			p = buf[i].thread;
			ck_assert_int_lt(p, NPROD);
			while (k[p] < PUSHES && !ps[p].ok[k[p]])
				k[p]++;
			ck_assert_uint_lt(k[p], PUSHES);
			ck_assert_int_eq(buf[i].a, (int64_t)k[p]);
			k[p]++;
		}
		popped += n;
	}
	ck_assert_uint_eq(popped, accepted);
	for (p = 0; p < NPROD; p++) {
		while (k[p] < PUSHES && !ps[p].ok[k[p]])
			k[p]++;
		ck_assert_uint_eq(k[p], PUSHES); /* no accepted one missing */
		free(ps[p].ok);
	}
	evq_free(q);
}
END_TEST

START_TEST(test_pop_order_and_limits)
{
	struct event ev, out[8];
	struct evq *q = evq_new(8);
	size_t n;

	ck_assert_ptr_nonnull(q);
	ck_assert_uint_eq(evq_pop(q, out, 8), 0);
	push_run(q, 3, 5, NULL);

	/* pop copies at most max, oldest first */
	n = evq_pop(q, out, 2);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(out[0].a, 0);
	ck_assert_int_eq(out[1].a, 1);
	ck_assert_uint_eq(evq_pop(q, out, 0), 0);
	n = evq_pop(q, out, 8);
	ck_assert_uint_eq(n, 3);
	ck_assert_int_eq(out[0].a, 2);
	ck_assert_int_eq(out[2].a, 4);
	ck_assert_int_eq(out[2].thread, 3);
	ck_assert_int_eq(out[2].kind, EV_MARK);

	/* the ring wraps: many laps through 8 slots keep the order */
	for (n = 0; n < 100; n++) {
		ev = make_event(1, (int64_t)n);
		ck_assert_int_eq(evq_push(q, &ev), 0);
		ck_assert_uint_eq(evq_pop(q, out, 8), 1);
		ck_assert_int_eq(out[0].a, (int64_t)n);
	}
	ck_assert_uint_eq(evq_dropped(q), 0);
	evq_free(q);
}
END_TEST

START_TEST(test_full_ring_drops_after_timeout)
{
	struct event ev = make_event(0, 7), out[4];
	struct evq *q = evq_new(2);
	uint64_t t0, t1;

	/* given: a full ring of 2 and a 2 ms push timeout */
	ck_assert_ptr_nonnull(q);
	evq_set_push_timeout(q, 2000000);
	ck_assert_int_eq(evq_push(q, &ev), 0);
	ck_assert_int_eq(evq_push(q, &ev), 0);

	/* when: a third push finds no space */
	t0 = clock_now_ns();
	ck_assert_int_eq(evq_push(q, &ev), -1);
	t1 = clock_now_ns();

	/* then: it waited at least the timeout, and the drop is counted */
	ck_assert_uint_ge(t1 - t0, 2000000);
	ck_assert_uint_eq(evq_dropped(q), 1);
	ck_assert_uint_eq(evq_pop(q, out, 4), 2);
	ck_assert_int_eq(evq_push(q, &ev), 0);
	ck_assert_uint_eq(evq_dropped(q), 1);
	evq_free(q);
}
END_TEST

START_TEST(test_full_ring_waits_for_space)
{
	enum { N = 64 };
	struct producer p;
	struct event out[N];
	struct evq *q = evq_new(2);
	size_t got = 0, i;
	uint64_t deadline;

	/* given: a ring of 2 and a producer that will wait up to 10 s */
	ck_assert_ptr_nonnull(q);
	evq_set_push_timeout(q, LONG_TIMEOUT_NS);

	/* when: it pushes 64 events while the consumer drains slowly */
	start_producers(&p, 1, q, N, 0, NULL);
	deadline = clock_now_ns() + (uint64_t)WAIT_MS * 1000000;
	while (got < N && clock_now_ns() < deadline) {
		if (evq_wait(q, 100) == 1)
			got += evq_pop(q, out + got, 1);
	}
	join_producers(&p, 1);

	/* then: the producer waited instead of dropping */
	ck_assert_uint_eq(p.failed, 0);
	ck_assert_uint_eq(evq_dropped(q), 0);
	ck_assert_uint_eq(got, N);
	for (i = 0; i < N; i++)
		ck_assert_int_eq(out[i].a, (int64_t)i);
	evq_free(q);
}
END_TEST

START_TEST(test_arm_sees_waiting_events)
{
	struct event ev = make_event(0, 1), out;
	struct pollfd pfd;
	struct evq *q = evq_new(16);

	ck_assert_ptr_nonnull(q);
	pfd.fd = evq_wake_fd(q);
	pfd.events = POLLIN;

	/* empty: arm says sleep, and nothing is readable yet */
	ck_assert_int_eq(evq_arm(q), 0);
	ck_assert_int_eq(poll(&pfd, 1, 0), 0);
	evq_disarm(q);

	/* an event waiting: arm says do not sleep */
	ck_assert_int_eq(evq_push(q, &ev), 0);
	ck_assert_int_eq(evq_arm(q), 1);
	ck_assert_int_eq(evq_wait(q, 0), 1);
	ck_assert_uint_eq(evq_pop(q, &out, 1), 1);
	ck_assert_int_eq(evq_wait(q, 0), 0);
	ck_assert_int_eq(evq_wait(q, 1), 0);
	/* arm returning 1 left the queue disarmed: no write for this push */
	ck_assert_int_eq(evq_push(q, &ev), 0);
	ck_assert_uint_eq(evq_wakeups(q), 0);
	evq_free(q);
}
END_TEST

START_TEST(test_armed_consumer_woken_once)
{
	enum { NPROD = 2, N = 5000 };
	struct producer ps[NPROD];
	struct event buf[64];
	struct pollfd pfd;
	struct evq *q = evq_new(2 * N);
	size_t got = 0, n;

	/* given: a consumer that has announced it sleeps */
	ck_assert_ptr_nonnull(q);
	ck_assert_int_eq(evq_arm(q), 0);

	/* when: two producers push a stream of events */
	start_producers(ps, NPROD, q, N, 0, NULL);
	pfd.fd = evq_wake_fd(q);
	pfd.events = POLLIN;
	pfd.revents = 0;
	ck_assert_int_eq(poll(&pfd, 1, WAIT_MS), 1);
	evq_disarm(q);
	join_producers(ps, NPROD);

	/* then: the descriptor was written exactly once */
	ck_assert_int_ne(pfd.revents & POLLIN, 0);
	ck_assert_uint_eq(evq_wakeups(q), 1);
	ck_assert_int_eq(poll(&pfd, 1, 0), 0); /* disarm drained it */
	while ((n = evq_pop(q, buf, IL_ARRAY_LEN(buf))) > 0)
		got += n;
	ck_assert_uint_eq(got, (size_t)NPROD * N);
	evq_free(q);
}
END_TEST

START_TEST(test_unarmed_stream_no_writes)
{
	struct producer ps[STRESS_PRODUCERS];
	struct event buf[256];
	struct pollfd pfd;
	struct evq *q = evq_new(1024);
	size_t got = 0, n;
	uint64_t deadline;

	/* given: a consumer that polls but never sleeps (armed once, then
	 * disarmed, which must clear the flag) */
	ck_assert_ptr_nonnull(q);
	evq_set_push_timeout(q, LONG_TIMEOUT_NS);
	ck_assert_int_eq(evq_arm(q), 0);
	evq_disarm(q);

	/* when: 4 producers stream 50,000 events each */
	start_producers(ps, STRESS_PRODUCERS, q, 50000, 0, NULL);
	deadline = clock_now_ns() + (uint64_t)WAIT_MS * 1000000;
	while (got < (size_t)STRESS_PRODUCERS * 50000 &&
	    clock_now_ns() < deadline) {
		n = evq_pop(q, buf, IL_ARRAY_LEN(buf));
		got += n;
		if (n == 0)
			sched_yield();
	}
	join_producers(ps, STRESS_PRODUCERS);

	/* then: not one system call on the wake descriptor */
	ck_assert_uint_eq(got, (size_t)STRESS_PRODUCERS * 50000);
	ck_assert_uint_eq(evq_wakeups(q), 0);
	pfd.fd = evq_wake_fd(q);
	pfd.events = POLLIN;
	ck_assert_int_eq(poll(&pfd, 1, 0), 0);
	ck_assert_uint_eq(evq_dropped(q), 0);
	evq_free(q);
}
END_TEST

struct waiter {
	struct evq *q;
	_Atomic int waiting; /* set just before each evq_wait */
	_Atomic int round;   /* the round the consumer has finished */
	int rounds;
	_Atomic int failed; /* the round that went wrong, or 0 */
};

/* Consumer thread: each round, block in evq_wait until an event comes. */
static void *
waiter_main(void *arg)
{
	struct waiter *w = arg;
	struct event ev;
	int r;

	for (r = 1; r <= w->rounds; r++) {
		atomic_store(&w->waiting, r);
		if (evq_wait(w->q, WAIT_MS) != 1 ||
		    evq_pop(w->q, &ev, 1) != 1 || ev.a != r) {
			atomic_store(&w->failed, r);
			break;
		}
		atomic_store(&w->round, r);
	}
	return NULL;
}

START_TEST(test_wait_wakes_on_push)
{
	struct waiter w;
	pthread_t t;
	struct event ev;
	uint64_t deadline;
	int r;

	/* given: a consumer that blocks in evq_wait, 200 times over */
	memset(&w, 0, sizeof w);
	w.q = evq_new(16);
	ck_assert_ptr_nonnull(w.q);
	w.rounds = 200;
	ck_assert_int_eq(pthread_create(&t, NULL, waiter_main, &w), 0);

	/* when: each round one event is pushed once the consumer waits */
	for (r = 1; r <= w.rounds; r++) {
		deadline = clock_now_ns() + (uint64_t)WAIT_MS * 1000000;
		while (
		    atomic_load(&w.waiting) != r && clock_now_ns() < deadline)
			sched_yield();
		ck_assert_int_eq(atomic_load(&w.waiting), r);
		ev = make_event(0, r);
		ck_assert_int_eq(evq_push(w.q, &ev), 0);
		/* then: it wakes and takes the event, well before its timeout */
		while (atomic_load(&w.round) != r && !atomic_load(&w.failed) &&
		    clock_now_ns() < deadline)
			sched_yield();
		ck_assert_int_eq(atomic_load(&w.round), r);
	}
	ck_assert_int_eq(pthread_join(t, NULL), 0);
	ck_assert_int_eq(atomic_load(&w.failed), 0);
	evq_free(w.q);
}
END_TEST

struct relay {
	struct evq *q;
	_Atomic int64_t token; /* the next event's number; its owner pushes */
	int64_t rounds;
	int runners;
};

struct runner {
	pthread_t thread;
	struct relay *relay;
	int id;
};

/* Relay thread: when the token is ours, push its number and pass it on. */
static void *
runner_main(void *arg)
{
	struct runner *me = arg;
	struct relay *rl = me->relay;
	struct event ev;
	int64_t t;

	for (;;) {
		t = atomic_load_explicit(&rl->token, memory_order_acquire);
		if (t >= rl->rounds)
			break;
		if (t % rl->runners != me->id) {
			sched_yield();
			continue;
		}
		ev = make_event((unsigned int)me->id, t);
		ck_assert_int_eq(evq_push(rl->q, &ev), 0);
		atomic_store_explicit(&rl->token, t + 1, memory_order_release);
	}
	return NULL;
}

START_TEST(test_merge_follows_happens_before)
{
	enum { RUNNERS = 4, ROUNDS = 20000 };
	struct runner rs[RUNNERS];
	struct relay rl;
	struct event buf[64];
	int64_t next = 0;
	uint64_t deadline;
	size_t n, i, wrong = 0;
	int k;

	/* given: four threads passing a token with release/acquire, each
	 * pushing the token's number to its own ring before passing it */
	memset(&rl, 0, sizeof rl);
	rl.q = evq_new(256);
	ck_assert_ptr_nonnull(rl.q);
	evq_set_push_timeout(rl.q, LONG_TIMEOUT_NS);
	rl.rounds = ROUNDS;
	rl.runners = RUNNERS;
	for (k = 0; k < RUNNERS; k++) {
		rs[k].relay = &rl;
		rs[k].id = k;
		ck_assert_int_eq(
		    pthread_create(&rs[k].thread, NULL, runner_main, &rs[k]),
		    0);
	}

	/* when: the consumer merges the four rings while they run */
	deadline = clock_now_ns() + (uint64_t)WAIT_MS * 1000000;
	while (next < ROUNDS && clock_now_ns() < deadline) {
		n = evq_pop(rl.q, buf, IL_ARRAY_LEN(buf));
		if (n == 0)
			(void)evq_wait(rl.q, 100);
		for (i = 0; i < n; i++, next++) {
			wrong += buf[i].a != next;
			wrong += buf[i].thread != next % RUNNERS;
		}
	}
	for (k = 0; k < RUNNERS; k++)
		ck_assert_int_eq(pthread_join(rs[k].thread, NULL), 0);

	/* then: the merged stream is exactly the token's order */
	ck_assert_int_eq(next, ROUNDS);
	ck_assert_uint_eq(wrong, 0);
	ck_assert_uint_eq(evq_producers(rl.q), RUNNERS);
	ck_assert_uint_eq(evq_pop(rl.q, buf, 1), 0);
	evq_free(rl.q);
}
END_TEST

/* Producer counts: one ring each up to the limit, then the shared ring. */
static const struct {
	int producers;
	size_t rings;
} crowd_cases[] = {
    {70, 70},
    {140, 127},
};

START_TEST(test_crowd_of_producers)
{
	enum { MAXP = 140, N = 300 };
	struct producer *ps = calloc(MAXP, sizeof *ps);
	int64_t next[MAXP] = {0};
	struct event buf[256];
	_Atomic int go = 0;
	struct evq *q = evq_new(64);
	int nprod = crowd_cases[_i].producers, p;
	size_t got = 0, want = (size_t)nprod * N, n, i, wrong = 0;
	uint64_t deadline;

	/* given: many producer threads on a queue of small rings */
	ck_assert_ptr_nonnull(ps);
	ck_assert_ptr_nonnull(q);
	evq_set_push_timeout(q, LONG_TIMEOUT_NS);
	start_producers(ps, nprod, q, N, 0, &go);

	/* when: they all push at once while one consumer drains */
	atomic_store(&go, 1);
	deadline = clock_now_ns() + (uint64_t)WAIT_MS * 1000000;
	while (got < want && clock_now_ns() < deadline) {
		n = evq_pop(q, buf, IL_ARRAY_LEN(buf));
		if (n == 0)
			(void)evq_wait(q, 100);
		for (i = 0; i < n; i++) {
			p = buf[i].thread;
			if (p >= nprod || buf[i].a != next[p]++)
				wrong++;
		}
		got += n;
	}
	join_producers(ps, nprod);

	/* then: every producer had a ring (or shared the last), and each
	 * one's events came out complete and in order */
	ck_assert_uint_eq(got, want);
	ck_assert_uint_eq(wrong, 0);
	ck_assert_uint_eq(evq_dropped(q), 0);
	ck_assert_uint_eq(evq_producers(q), crowd_cases[_i].rings);
	for (p = 0; p < nprod; p++)
		ck_assert_int_eq(next[p], N);
	evq_free(q);
	free(ps);
}
END_TEST

START_TEST(test_queues_come_and_go)
{
	enum { QUEUES = 6, LAPS = 5 };
	struct evq *qs[QUEUES];
	struct event ev, out[4];
	int lap, k;

	/* a queue freed and a new one made, likely at the same address: the
	 * thread's cached ring for the old one must not be used */
	for (lap = 0; lap < 50; lap++) {
		qs[0] = evq_new(4);
		ck_assert_ptr_nonnull(qs[0]);
		ev = make_event(1, lap);
		ck_assert_int_eq(evq_push(qs[0], &ev), 0);
		ck_assert_uint_eq(evq_pop(qs[0], out, 4), 1);
		ck_assert_int_eq(out[0].a, lap);
		ck_assert_uint_eq(evq_producers(qs[0]), 1);
		evq_free(qs[0]);
	}

	/* one thread pushing to more queues than it caches: it finds its
	 * own ring again each time instead of making another */
	for (k = 0; k < QUEUES; k++) {
		qs[k] = evq_new(8);
		ck_assert_ptr_nonnull(qs[k]);
	}
	for (lap = 0; lap < LAPS; lap++) {
		for (k = 0; k < QUEUES; k++) {
			ev = make_event((unsigned int)k, lap);
			ck_assert_int_eq(evq_push(qs[k], &ev), 0);
		}
	}
	for (k = 0; k < QUEUES; k++) {
		ck_assert_uint_eq(evq_producers(qs[k]), 1);
		for (lap = 0; lap < LAPS; lap++) {
			ck_assert_uint_eq(evq_pop(qs[k], out, 1), 1);
			ck_assert_int_eq(out[0].a, lap);
			ck_assert_int_eq(out[0].thread, k);
		}
		ck_assert_uint_eq(evq_pop(qs[k], out, 1), 0);
		evq_free(qs[k]);
	}
}
END_TEST

Suite *
make_evq_suite(void)
{
	Suite *s = suite_create("evq");
	TCase *tc;

	tc = tcase_create("basics");
	tcase_add_test(tc, test_pop_order_and_limits);
	tcase_add_test(tc, test_arm_sees_waiting_events);
	tcase_add_test(tc, test_full_ring_drops_after_timeout);
	tcase_add_test(tc, test_queues_come_and_go);
	suite_add_tcase(s, tc);

	tc = tcase_create("threads");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_many_producers_lose_nothing);
	tcase_add_loop_test(
	    tc, test_drops_are_counted, 0, (int)IL_ARRAY_LEN(drop_cases));
	tcase_add_test(tc, test_full_ring_waits_for_space);
	tcase_add_test(tc, test_merge_follows_happens_before);
	tcase_add_loop_test(
	    tc, test_crowd_of_producers, 0, (int)IL_ARRAY_LEN(crowd_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("wakeups");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_armed_consumer_woken_once);
	tcase_add_test(tc, test_unarmed_stream_no_writes);
	tcase_add_test(tc, test_wait_wakes_on_push);
	suite_add_tcase(s, tc);
	return s;
}
