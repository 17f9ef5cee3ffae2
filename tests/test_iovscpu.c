/* The io-vs-cpu lesson: every mode finishes every task with the right
 * sums, the GIL never lets two threads compute at once (checked from the
 * event stream), and the sampler reports on the workers. */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "evq.h"
#include "lessons/iovscpu.h"
#include "module.h"
#include "run.h"
#include "suites.h"
#include "util.h"

static const struct lesson_module *mod;

static void
setup(void)
{
	mod = module_find("io-vs-cpu");
	ck_assert_ptr_nonnull(mod);
}

static void
params_for(long *p, int kind, int mode, int tasks, int ms, int workers)
{
	size_t i;

	for (i = 0; i < mod->nparams; i++)
		p[i] = mod->params[i].def;
	p[IOVSCPU_KIND] = kind;
	p[IOVSCPU_MODE] = mode;
	p[IOVSCPU_TASKS] = tasks;
	p[IOVSCPU_MS] = ms;
	p[IOVSCPU_WORKERS] = workers;
}

static struct run *
start(const long *params, int sample_ms)
{
	struct run_config cfg;

	run_config_free(&cfg, mod, params, sample_ms);
	return th_start(&cfg);
}

START_TEST(test_expected_sum)
{
	static const uint64_t ranges[][2] = {{0, 0}, {0, 1}, {0, 2}, {3, 10},
	    {1000, 5000}, {1 << 20, (1 << 20) + 4096},
	    {(uint64_t)3 << 32, ((uint64_t)3 << 32) + 1000}};
	size_t k;

	for (k = 0; k < sizeof ranges / sizeof ranges[0]; k++) {
		uint64_t s = 0, i;

		for (i = ranges[k][0]; i < ranges[k][1]; i++)
			s += i * i; /* wraps modulo 2^64, like the lesson */
		ck_assert_uint_eq(
		    iovscpu_expected_sum(ranges[k][0], ranges[k][1]), s);
	}
}
END_TEST

struct mode_case {
	int kind, mode, workers, greedy;
};

static const struct mode_case mode_cases[] = {
    {IOVSCPU_KIND_IO, IOVSCPU_SEQUENTIAL, 0, 0},
    {IOVSCPU_KIND_IO, IOVSCPU_THREADS, 0, 0},
    {IOVSCPU_KIND_IO, IOVSCPU_GIL, 0, 0},
    {IOVSCPU_KIND_CPU, IOVSCPU_SEQUENTIAL, 0, 0},
    {IOVSCPU_KIND_CPU, IOVSCPU_THREADS, 0, 0},
    {IOVSCPU_KIND_CPU, IOVSCPU_THREADS, 5, 0},
    {IOVSCPU_KIND_CPU, IOVSCPU_GIL, 3, 0},
    {IOVSCPU_KIND_IO, IOVSCPU_PROCESSES, 0, 0},
    {IOVSCPU_KIND_CPU, IOVSCPU_PROCESSES, 0, 0},
    {IOVSCPU_KIND_CPU, IOVSCPU_PROCESSES, 3, 0},
    {IOVSCPU_KIND_IO, IOVSCPU_EVENTLOOP, 0, 0},
    {IOVSCPU_KIND_CPU, IOVSCPU_EVENTLOOP, 0, 0},
    {IOVSCPU_KIND_IO, IOVSCPU_EVENTLOOP, 0, 1},
    {IOVSCPU_KIND_CPU, IOVSCPU_EVENTLOOP, 0, 1},
};

/* Every mode completes every task, and every sum is right. */
START_TEST(test_modes_complete)
{
	const struct mode_case *c = &mode_cases[_i];
	long p[MODULE_MAX_PARAMS];
	struct run *r;
	char v[64];

	params_for(p, c->kind, c->mode, 7, 5, c->workers);
	p[IOVSCPU_GREEDY] = c->greedy;
	r = start(p, 0);
	th_wait_done(r);
	ck_assert_int_eq(th_verdict_value(r, "done"), 7);
	ck_assert_str_eq(th_result_text(r, "sums", v, sizeof v),
	    c->kind == IOVSCPU_KIND_CPU ? "ok" : "n/a");
	ck_assert_int_eq(th_verdict_value(r, "dropped"), 0);
	if (c->mode == IOVSCPU_SEQUENTIAL)
		ck_assert_int_eq(r->nthreads, 1);
	if (c->mode == IOVSCPU_EVENTLOOP)
		ck_assert_int_eq(r->nthreads, 7); /* a lane per task */
	run_free(r);
}
END_TEST

/* Holding intervals of the GIL from an event stream: events are sorted by
 * time, and the number of holders must never pass one. Returns the most
 * holders seen at once. */
static int
cmp_ts(const void *a, const void *b)
{
	const struct event *x = a, *y = b;

	return x->ts_ns < y->ts_ns ? -1 : x->ts_ns > y->ts_ns;
}

static int
max_holders(struct event *ev, size_t n, int lock, int *acquisitions)
{
	uint64_t held = 0; /* bit per thread */
	int most = 0;
	size_t i;

	qsort(ev, n, sizeof *ev, cmp_ts);
	*acquisitions = 0;
	for (i = 0; i < n; i++) {
		if (ev[i].a != lock || ev[i].thread >= 64)
			continue;
		/* by thread, so a release whose acquisition was pumped
		 * elsewhere (run_start) does not count */
		if (ev[i].kind == EV_LOCK_ACQ) {
			held |= (uint64_t)1 << ev[i].thread;
			(*acquisitions)++;
		} else if (ev[i].kind == EV_LOCK_REL) {
			held &= ~((uint64_t)1 << ev[i].thread);
		}
		if (__builtin_popcountll(held) > most)
			most = __builtin_popcountll(held);
	}
	return most;
}

/* The checker itself catches an overlap. */
START_TEST(test_gil_checker)
{
	struct event ev[4];
	int acq;

	memset(ev, 0, sizeof ev);
	ev[0] = (struct event){.ts_ns = 10, .kind = EV_LOCK_ACQ, .thread = 0};
	ev[1] = (struct event){.ts_ns = 20, .kind = EV_LOCK_ACQ, .thread = 1};
	ev[2] = (struct event){.ts_ns = 30, .kind = EV_LOCK_REL, .thread = 0};
	ev[3] = (struct event){.ts_ns = 40, .kind = EV_LOCK_REL, .thread = 1};
	ck_assert_int_eq(max_holders(ev, 4, 0, &acq), 2);
	ev[1].ts_ns = 35;
	ck_assert_int_eq(max_holders(ev, 4, 0, &acq), 1);
}
END_TEST

/* Every event of a free run, in queue order, until it has finished. */
static struct event *
collect(struct run *r, size_t *np)
{
	struct event *ev = NULL, buf[256];
	size_t n = 0, cap = 0, k, i;
	int done;

	/* Drain before run_finish: it pumps what is left into the model,
	 * and the events every lane sent before it was done are all in
	 * the queue once run_done says so. */
	do {
		done = run_done(r);
		while ((k = evq_pop(r->q, buf, 256)) > 0) {
			if (n + k > cap) {
				cap = (n + k) * 2;
				ev = realloc(ev, cap * sizeof *ev);
				ck_assert_ptr_nonnull(ev);
			}
			for (i = 0; i < k; i++)
				ev[n++] = buf[i];
		}
		if (!done)
			evq_wait(r->q, 20);
	} while (!done);
	run_finish(r);
	*np = n;
	return ev;
}

/* Never two threads computing at once behind the GIL, from the events the
 * workers really sent, with a 1 ms switch interval so it changes hands
 * often. */
START_TEST(test_gil_invariant)
{
	long p[MODULE_MAX_PARAMS];
	struct event *ev;
	size_t n;
	int acq, lock;
	struct run *r;

	params_for(p, IOVSCPU_KIND_CPU, IOVSCPU_GIL, 6, 20, 3);
	p[IOVSCPU_SWITCH] = 1;
	r = start(p, 0);
	ck_assert_int_eq(r->nlocks, 1);
	lock = r->locks[0].id;
	ev = collect(r, &n);
	ck_assert_uint_eq(evq_dropped(r->q), 0);
	ck_assert_int_eq(max_holders(ev, n, lock, &acq), 1);
	ck_assert_msg(acq > 6, "the GIL changed hands only %d times", acq);
	free(ev);
	run_free(r);
}
END_TEST

/* The sampler reports on a computing worker. */
START_TEST(test_sampled)
{
	long p[MODULE_MAX_PARAMS];
	struct run *r;

	params_for(p, IOVSCPU_KIND_CPU, IOVSCPU_SEQUENTIAL, 2, 60, 0);
	r = start(p, 5);
	th_wait_done(r);
	if (atomic_load(&r->os_unavailable) == 0) {
		/* Any sample at all: on a loaded machine the sampler
		 * thread itself may get few turns in 60 ms. */
		ck_assert_uint_gt(r->m->threads[0].os_samples, 0);
		ck_assert_uint_gt(r->m->threads[0].os_run_ns, 0);
	}
	run_free(r);
}
END_TEST

/* Until every lane of r is in state s, as its events say (no fixed
 * wait: the test's timeout is the deadline). */
static void
wait_all_in(struct run *r, enum thread_state s)
{
	int t, in = 0;

	while (in < r->nthreads) {
		evq_wait(r->q, 20);
		run_pump(r);
		for (in = 0, t = 0; t < r->nthreads; t++)
			in += r->m->threads[t].state == s;
	}
}

/* Entries in a directory, or -1 if there is none. */
static int
dir_entries(const char *path)
{
	DIR *d = opendir(path);
	int n = 0;

	if (d == NULL)
		return -1;
	while (readdir(d) != NULL)
		n++;
	closedir(d);
	return n;
}

/* Processes are all reaped, even when the run is cancelled mid-task,
 * and leave nothing behind in /dev/shm. */
START_TEST(test_processes_reaped)
{
	long p[MODULE_MAX_PARAMS];
	int shm_before = dir_entries("/dev/shm"), k;
	struct run *r;

	for (k = 0; k < 2; k++) {
		params_for(p, k == 0 ? IOVSCPU_KIND_CPU : IOVSCPU_KIND_IO,
		    IOVSCPU_PROCESSES, 6, k == 0 ? 5 : 5000, 3);
		r = start(p, 5);
		if (k == 0)
			run_wait_free(r);
		else /* cancel while every child sleeps in its 5 s task */
			wait_all_in(r, TS_IO);
		run_finish(r); /* cancels if still going, joins, reaps */
		ck_assert_int_eq(waitpid(-1, NULL, WNOHANG), -1);
		ck_assert_int_eq(errno, ECHILD);
		for (int t = 0; t < r->nthreads; t++) {
			char path[64];
			int pid = atomic_load(&r->workers[t].os_pid);

			ck_assert_int_gt(pid, 0);
			snprintf(path, sizeof path, "/proc/%d", pid);
			ck_assert_int_ne(access(path, F_OK), 0);
		}
		run_free(r);
	}
	ck_assert_int_eq(dir_entries("/dev/shm"), shm_before);
}
END_TEST

/* The state letter of process pid from /proc, or 0 once it is gone. */
static char
proc_state(int pid)
{
	char path[64], buf[512], *p;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%d/stat", pid);
	if ((f = fopen(path, "r")) == NULL)
		return 0;
	p = fgets(buf, sizeof buf, f);
	fclose(f);
	if (p == NULL || (p = strrchr(buf, ')')) == NULL || p[1] != ' ')
		return 0;
	return p[2];
}

/* A worker's child process dies with the program that forked it: a
 * process runs a processes-mode run whose child sleeps in a 60 s task,
 * and is killed; the child must go within 20 s, not live on (reparented)
 * to the end of its task. */
START_TEST(test_processes_die_with_parent)
{
	int fds[2], child = 0, status;
	uint64_t deadline;
	pid_t runner;
	char st = 0;

	ck_assert_int_eq(pipe(fds), 0);
	if ((runner = fork()) == 0) {
		long p[MODULE_MAX_PARAMS];
		struct run *r;
		int pid = 0;

		close(fds[0]);
		params_for(p, IOVSCPU_KIND_IO, IOVSCPU_PROCESSES, 1, 60000, 1);
		r = start(p, 0);
		while ((pid = atomic_load(&r->workers[0].os_pid)) == 0)
			sched_yield();
		if (write(fds[1], &pid, sizeof pid) != sizeof pid)
			_exit(1);
		pause(); /* until killed */
		_exit(0);
	}
	close(fds[1]);
	ck_assert_int_eq(read(fds[0], &child, sizeof child), sizeof child);
	close(fds[0]);
	ck_assert_int_gt(child, 0);
	ck_assert_int_ne(proc_state(child), 0);
	/* when: the program is killed, as a crash would kill it */
	kill(runner, SIGKILL);
	ck_assert_int_eq(waitpid(runner, &status, 0), runner);
	/* then: its child goes too (a zombie waits for init to reap it) */
	deadline = clock_now_ns() + 20ull * 1000 * 1000 * 1000;
	while ((st = proc_state(child)) != 0 && st != 'Z' &&
	    clock_now_ns() < deadline)
		usleep(10 * 1000);
	ck_assert_msg(st == 0 || st == 'Z',
	    "child %d is still '%c' 20 s after its parent died", child, st);
}
END_TEST

/* The event loop, from the states it reported for its tasks (sorted by
 * time): never two tasks running at once; and whether any other task ran
 * before task 1 had finished. */
static int
eventloop_trace(int greedy, int *others_before_first_done)
{
	long p[MODULE_MAX_PARAMS];
	enum thread_state st[8] = {0};
	struct event *ev;
	size_t n, i;
	int most = 0, t, first_done = 0;
	struct run *r;

	params_for(p, IOVSCPU_KIND_CPU, IOVSCPU_EVENTLOOP, 4, 20, 0);
	p[IOVSCPU_GREEDY] = greedy;
	p[IOVSCPU_SWITCH] = 1;
	r = start(p, 0);
	ev = collect(r, &n);
	ck_assert_uint_eq(evq_dropped(r->q), 0);
	qsort(ev, n, sizeof *ev, cmp_ts);
	*others_before_first_done = 0;
	for (i = 0; i < n; i++) {
		int running = 0;

		/* the loop's reports (a lane's own start says line 0) */
		if (ev[i].kind != EV_STATE || ev[i].thread >= 4 ||
		    ev[i].line == 0)
			continue;
		st[ev[i].thread] = (enum thread_state)ev[i].a;
		if (ev[i].thread == 0 && ev[i].a == TS_DONE)
			first_done = 1;
		if (ev[i].thread != 0 && ev[i].a == TS_RUNNING && !first_done)
			(*others_before_first_done)++;
		for (t = 0; t < 4; t++)
			running += st[t] == TS_RUNNING;
		if (running > most)
			most = running;
	}
	ck_assert_int_eq(first_done, 1);
	free(ev);
	run_free(r);
	return most;
}

/* One thread, cooperative: one task runs at a time, and they take turns
 * at their await points... */
START_TEST(test_eventloop_turns)
{
	int others;

	ck_assert_int_eq(eventloop_trace(0, &others), 1);
	ck_assert_msg(others > 0, "no task ran while task 1 was unfinished");
}
END_TEST

/* ...unless task 1 never awaits: then nothing else runs until it ends. */
START_TEST(test_eventloop_greedy)
{
	int others;

	ck_assert_int_eq(eventloop_trace(1, &others), 1);
	ck_assert_int_eq(others, 0);
}
END_TEST

/* io=socket: every mode fetches every page from the slow server. */
START_TEST(test_socket_modes)
{
	long p[MODULE_MAX_PARAMS];
	struct run *r;
	char v[64];

	params_for(p, IOVSCPU_KIND_IO, _i, 6, 20, 0);
	p[IOVSCPU_IO] = IOVSCPU_IO_SOCKET;
	r = start(p, 0);
	th_wait_done(r);
	ck_assert_str_eq(th_result_text(r, "io", v, sizeof v), "socket");
	ck_assert_int_eq(th_verdict_value(r, "done"), 6);
	ck_assert_int_eq(th_verdict_value(r, "pages"), 6);
	ck_assert_int_eq(th_verdict_value(r, "failed"), 0);
	ck_assert_str_eq(th_result_text(r, "sums", v, sizeof v), "n/a");
	run_free(r);
}
END_TEST

/* A reset (or quit) while every task waits for its page: the run ends,
 * the server and every socket are closed, and no process is left. */
START_TEST(test_socket_reset_mid_request)
{
	long p[MODULE_MAX_PARAMS];
	int before = dir_entries("/proc/self/fd");
	struct run *r;

	params_for(p, IOVSCPU_KIND_IO, _i, 3, 60000, 0);
	p[IOVSCPU_IO] = IOVSCPU_IO_SOCKET;
	r = start(p, 0);
	wait_all_in(r, TS_IO); /* every lane waits for its page */
	ck_assert_int_eq(run_done(r), 0);
	run_free(r);
	ck_assert_int_eq(dir_entries("/proc/self/fd"), before);
	ck_assert_int_eq(waitpid(-1, NULL, WNOHANG), -1);
	ck_assert_int_eq(errno, ECHILD);
}
END_TEST

/* The pool size shown is the one the run really uses, not the 0 that
 * asks for the default. */
START_TEST(test_effective_workers)
{
	long p[MODULE_MAX_PARAMS];
	struct run_config cfg;
	struct run *r;
	char err[256];

	params_for(p, IOVSCPU_KIND_IO, IOVSCPU_THREADS, 6, 5, 0);
	run_config_free(&cfg, mod, p, 0);
	r = run_new(&cfg, err, sizeof err);
	ck_assert_msg(r != NULL, "%s", err);
	ck_assert_int_eq(r->cfg.params[IOVSCPU_WORKERS], 6);
	ck_assert_int_eq(r->cfg.params[IOVSCPU_WORKERS], r->nthreads);
	run_free(r);
}
END_TEST

START_TEST(test_refusals)
{
	long p[MODULE_MAX_PARAMS];
	struct run_config cfg;
	char err[256];

	params_for(p, IOVSCPU_KIND_IO, IOVSCPU_ALL, 3, 5, 0);
	memset(&cfg, 0, sizeof cfg);
	cfg.module = mod;
	memcpy(cfg.params, p, sizeof cfg.params);
	cfg.policy = POLICY_FREE;
	ck_assert_ptr_null(run_new(&cfg, err, sizeof err));
	ck_assert_msg(strstr(err, "mode=all") != NULL, "%s", err);
	cfg.params[IOVSCPU_MODE] = IOVSCPU_THREADS;
	cfg.policy = POLICY_RANDOM;
	ck_assert_ptr_null(run_new(&cfg, err, sizeof err));
	ck_assert_msg(strstr(err, "--policy free") != NULL, "%s", err);
	cfg.policy = POLICY_FREE;
	cfg.params[IOVSCPU_MODE] = IOVSCPU_EVENTLOOP;
	cfg.params[IOVSCPU_TASKS] = 65;
	ck_assert_ptr_null(run_new(&cfg, err, sizeof err));
	ck_assert_msg(strstr(err, "at most 64 tasks") != NULL, "%s", err);
}
END_TEST

Suite *
make_iovscpu_suite(void)
{
	Suite *s = suite_create("iovscpu");
	TCase *tc = tcase_create("iovscpu");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_expected_sum);
	tcase_add_loop_test(tc, test_modes_complete, 0,
	    (int)(sizeof mode_cases / sizeof mode_cases[0]));
	tcase_add_test(tc, test_gil_checker);
	tcase_add_test(tc, test_gil_invariant);
	tcase_add_test(tc, test_sampled);
	tcase_add_test(tc, test_processes_reaped);
	tcase_add_test(tc, test_processes_die_with_parent);
	tcase_add_test(tc, test_eventloop_turns);
	tcase_add_test(tc, test_eventloop_greedy);
	tcase_add_loop_test(
	    tc, test_socket_modes, IOVSCPU_SEQUENTIAL, IOVSCPU_EVENTLOOP + 1);
	tcase_add_loop_test(tc, test_socket_reset_mid_request, IOVSCPU_THREADS,
	    IOVSCPU_EVENTLOOP + 1);
	tcase_add_test(tc, test_refusals);
	tcase_add_test(tc, test_effective_workers);
	suite_add_tcase(s, tc);
	return s;
}
