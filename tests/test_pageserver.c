/* The slow page server: fetches wait for the delay but run concurrently,
 * stop never leaves a client hanging or an fd open, bad requests are
 * closed, and the reply reader judges fixed inputs. */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include "pageserver.h"
#include "suites.h"
#include "util.h"

#define MS (1000 * 1000ull)

/* Open fds of this process, or -1 without /proc. */
static int
count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] != '.')
			n++;
	}
	closedir(d);
	return n;
}

/* Wait until the process has at least want fds (at_least) or at most want
 * (!at_least), for up to 30 s; whether it happened. */
static int
wait_fds(int want, int at_least)
{
	uint64_t end = clock_now_ns() + 30000 * MS;
	struct timespec ts = {0, 5 * 1000 * 1000};
	int n;

	while (clock_now_ns() < end) {
		n = count_fds();
		if (n < 0 || (at_least ? n >= want : n <= want))
			return 1;
		nanosleep(&ts, NULL);
	}
	return 0;
}

static struct pageserver *
start(long delay_ms)
{
	char err[256];
	struct pageserver *ps = pageserver_start(delay_ms, err, sizeof err);

	ck_assert_msg(ps != NULL, "%s", err);
	ck_assert_int_gt(pageserver_port(ps), 0);
	return ps;
}

/* A plain blocking connection to the server, for hand-made requests. */
static int
raw_connect(int port)
{
	struct sockaddr_in sin;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	ck_assert_int_ge(fd, 0);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = htons((uint16_t)port);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&sin, sizeof sin), 0);
	return fd;
}

/* One fetch on its own thread. */
struct fetcher {
	pthread_t th;
	int port;
	int k;
	const _Atomic int *cancel;
	int rc;
	int err;
};

static void *
fetch_main(void *arg)
{
	struct fetcher *f = arg;

	errno = 0;
	f->rc = pageserver_fetch(f->port, f->k, f->cancel);
	f->err = errno;
	return NULL;
}

static void
fetchers_start(struct fetcher *f, int n, int port, const _Atomic int *cancel)
{
	int i;

	for (i = 0; i < n; i++) {
		f[i].port = port;
		f[i].k = i;
		f[i].cancel = cancel;
		f[i].rc = 99;
		ck_assert_int_eq(
		    pthread_create(&f[i].th, NULL, fetch_main, &f[i]), 0);
	}
}

static void
fetchers_join(struct fetcher *f, int n)
{
	int i;

	for (i = 0; i < n; i++)
		ck_assert_int_eq(pthread_join(f[i].th, NULL), 0);
}

START_TEST(test_one_fetch)
{
	struct pageserver *ps = start(100);
	uint64_t t0 = clock_now_ns();

	ck_assert_int_eq(pageserver_fetch(pageserver_port(ps), 7, NULL), 0);
	ck_assert_uint_ge(clock_now_ns() - t0, 100 * MS);
	ck_assert_uint_eq(pageserver_served(ps), 1);
	pageserver_stop(ps);
}
END_TEST

/* Sixteen threads wait for their pages at the same time, not in turn. */
START_TEST(test_concurrent_fetches)
{
	struct pageserver *ps = start(200);
	struct fetcher f[16];
	uint64_t t0 = clock_now_ns(), dt;
	int i;

	fetchers_start(f, 16, pageserver_port(ps), NULL);
	fetchers_join(f, 16);
	dt = clock_now_ns() - t0;
	for (i = 0; i < 16; i++)
		ck_assert_msg(
		    f[i].rc == 0, "fetch %d: %s", i, strerror(f[i].err));
	ck_assert_uint_eq(pageserver_served(ps), 16);
	ck_assert_uint_ge(dt, 200 * MS);
	ck_assert_msg(dt < 8 * 200 * MS, "16 fetches took %llu ms",
	    (unsigned long long)(dt / MS));
	pageserver_stop(ps);
}
END_TEST

/* Drive n requests at once from one thread, as an event loop does; the
 * replies must all be complete pages naming their task. */
static void
event_loop(int port, int n)
{
	struct pollfd *pfd = xcalloc((size_t)n, sizeof *pfd);
	struct page_reply *r = xcalloc((size_t)n, sizeof *r);
	char body[64];
	int i, rc, left = n;

	for (i = 0; i < n; i++) {
		pfd[i].fd = pageserver_request(port, i);
		ck_assert_msg(
		    pfd[i].fd >= 0, "request %d: %s", i, strerror(errno));
		ck_assert_int_ne(fcntl(pfd[i].fd, F_GETFL) & O_NONBLOCK, 0);
		pfd[i].events = POLLIN;
	}
	while (left > 0) {
		ck_assert_int_ge(poll(pfd, (nfds_t)n, -1), 0);
		for (i = 0; i < n; i++) {
			if (pfd[i].fd < 0 || pfd[i].revents == 0)
				continue;
			rc = pageserver_read(pfd[i].fd, &r[i]);
			ck_assert_msg(
			    rc >= 0, "read %d: %s", i, strerror(errno));
			if (rc == 0)
				continue;
			snprintf(body, sizeof body, "page for task %d\n", i);
			ck_assert_uint_eq(r[i].body_want, strlen(body));
			ck_assert_uint_eq(r[i].body_got, strlen(body));
			ck_assert_ptr_nonnull(strstr(r[i].head, " 200 OK\r\n"));
			close(pfd[i].fd);
			pfd[i].fd = -1; /* poll skips it */
			left--;
		}
	}
	free(pfd);
	free(r);
}

START_TEST(test_event_loop)
{
	struct pageserver *ps = start(100);

	event_loop(pageserver_port(ps), 8);
	ck_assert_uint_eq(pageserver_served(ps), 8);
	pageserver_stop(ps);
}
END_TEST

/* A thousand connections at once grow the server's poll array. */
START_TEST(test_thousand_connections)
{
	struct rlimit rl;
	struct pageserver *ps;

	/* 1000 client fds and 1000 server fds in this one process */
	ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &rl), 0);
	if (rl.rlim_cur < 2200 && rl.rlim_max >= 2200) {
		rl.rlim_cur = 2200;
		ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
	}
	if (rl.rlim_cur < 2200) {
		fprintf(stderr, "pageserver: fd limit %llu, skipping\n",
		    (unsigned long long)rl.rlim_cur);
		return;
	}
	ps = start(300);
	event_loop(pageserver_port(ps), 1000);
	ck_assert_uint_eq(pageserver_served(ps), 1000);
	pageserver_stop(ps);
}
END_TEST

/* Stopping in the middle of four requests: every fetch fails at once
 * rather than hang, and every fd is closed again. */
START_TEST(test_stop_mid_request)
{
	int before = count_fds();
	struct pageserver *ps = start(10000);
	struct fetcher f[4];
	int i;

	/* given four requests the server has accepted (2 fds each) */
	fetchers_start(f, 4, pageserver_port(ps), NULL);
	ck_assert(wait_fds(before + 2 + 8, 1));
	/* when */
	pageserver_stop(ps);
	fetchers_join(f, 4);
	/* then */
	for (i = 0; i < 4; i++)
		ck_assert_int_eq(f[i].rc, -1);
	ck_assert_int_eq(count_fds(), before);
}
END_TEST

START_TEST(test_port_closed_after_stop)
{
	struct pageserver *ps = start(0);
	int port = pageserver_port(ps);

	ck_assert_int_eq(pageserver_fetch(port, 1, NULL), 0);
	pageserver_stop(ps);
	pageserver_stop(NULL);
	errno = 0;
	ck_assert_int_eq(pageserver_request(port, 1), -1);
	ck_assert_int_eq(errno, ECONNREFUSED);
	ck_assert_int_eq(pageserver_fetch(port, 1, NULL), -1);
}
END_TEST

struct bad_request {
	const char *text;
	int oversize;   /* add a header making it over 1 KiB */
	int half_close; /* shut the writing side after sending */
};

static const struct bad_request bad_requests[] = {
    {"BLAH\r\n\r\n", 0, 0},
    {"POST /task/1 HTTP/1.0\r\n\r\n", 0, 0},
    {"GET /other HTTP/1.0\r\n\r\n", 0, 0},
    {"GET /task/x HTTP/1.0\r\n\r\n", 0, 0},
    {"GET /task/ HTTP/1.0\r\n\r\n", 0, 0},
    {"GET /task/99999999999 HTTP/1.0\r\n\r\n", 0, 0},
    {"GET /task/1 HTTP/2.0\r\n\r\n", 0, 0},
    {"GET /task/1\r\n\r\n", 0, 0},
    {"GET /task/1 HTTP/1.0\r\n\r\nGET /task/2 HTTP/1.0\r\n\r\n", 0, 0},
    {"GET /task/1 HTTP/1.0\r\n", 0, 1}, /* EOF before the blank line */
    {"GET /task/1 HTTP/1.0\r\nX-Pad: ", 1, 0},
};

/* A bad request is closed without a reply while the server keeps serving
 * a good one, and an unfinished request from a third client. */
START_TEST(test_bad_request)
{
	const struct bad_request *c = &bad_requests[_i];
	struct pageserver *ps = start(50);
	int port = pageserver_port(ps), fd, idle;
	char buf[2048];
	ssize_t n;
	size_t len, got = 0;

	idle = raw_connect(port);
	ck_assert_int_eq(send(idle, "GET /ta", 7, MSG_NOSIGNAL), 7);
	len = strlen(c->text);
	memcpy(buf, c->text, len);
	if (c->oversize) {
		memset(buf + len, 'a', 1100);
		memcpy(buf + len + 1100, "\r\n\r\n", 4);
		len += 1104;
	}
	/* when */
	fd = raw_connect(port);
	ck_assert_int_eq(send(fd, buf, len, MSG_NOSIGNAL), (ssize_t)len);
	if (c->half_close)
		shutdown(fd, SHUT_WR);
	/* then: EOF, or a reset when the server left bytes unread */
	while ((n = recv(fd, buf, sizeof buf, 0)) > 0)
		got += (size_t)n;
	ck_assert_msg(n == 0 || errno == ECONNRESET, "%s", strerror(errno));
	ck_assert_uint_eq(got, 0);
	close(fd);
	ck_assert_int_eq(pageserver_fetch(port, 3, NULL), 0);
	ck_assert_uint_eq(pageserver_served(ps), 1);
	close(idle);
	pageserver_stop(ps);
}
END_TEST

/* A cancelled fetch gives up with ECANCELED, and the server drops the
 * connection its client left. */
START_TEST(test_cancel)
{
	struct pageserver *ps = start(10000);
	int base = count_fds();
	_Atomic int cancel = 0;
	struct fetcher f;

	fetchers_start(&f, 1, pageserver_port(ps), &cancel);
	ck_assert(wait_fds(base + 2, 1)); /* the client's and the server's */
	atomic_store(&cancel, 1);
	fetchers_join(&f, 1);
	ck_assert_int_eq(f.rc, -1);
	ck_assert_int_eq(f.err, ECANCELED);
	ck_assert(wait_fds(base, 0));
	ck_assert_uint_eq(pageserver_served(ps), 0);
	pageserver_stop(ps);
}
END_TEST

/* Forked children fetch; and stopping closes a child's connection even
 * while another child holds copies of the server's fds. */
START_TEST(test_forked_children)
{
	struct pageserver *ps = start(50);
	int port = pageserver_port(ps), base = count_fds();
	int hold[2], status, i;
	pid_t pid[4], waiter, holder;
	char c;

	for (i = 0; i < 4; i++) {
		pid[i] = fork();
		ck_assert_int_ge(pid[i], 0);
		if (pid[i] == 0)
			_exit(pageserver_fetch(port, i, NULL) == 0 ? 0 : 1);
	}
	for (i = 0; i < 4; i++) {
		ck_assert_int_eq(waitpid(pid[i], &status, 0), pid[i]);
		ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	ck_assert_uint_eq(pageserver_served(ps), 4);

	/* given a child waiting for a slow page ... */
	pageserver_stop(ps);
	ps = start(10000);
	port = pageserver_port(ps);
	waiter = fork();
	ck_assert_int_ge(waiter, 0);
	if (waiter == 0)
		_exit(pageserver_fetch(port, 9, NULL) == -1 ? 0 : 1);
	ck_assert(wait_fds(base + 1, 1)); /* the server took it */
	/* ... and a child holding copies of every server fd */
	ck_assert_int_eq(pipe(hold), 0);
	holder = fork();
	ck_assert_int_ge(holder, 0);
	if (holder == 0) {
		close(hold[1]);
		_exit(read(hold[0], &c, 1) == 0 ? 0 : 1);
	}
	close(hold[0]);
	/* when */
	pageserver_stop(ps);
	/* then the waiter fails instead of hanging, and the port is shut */
	ck_assert_int_eq(waitpid(waiter, &status, 0), waiter);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	ck_assert_int_eq(pageserver_request(port, 1), -1);
	close(hold[1]);
	ck_assert_int_eq(waitpid(holder, &status, 0), holder);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}
END_TEST

/* ---- pageserver_read on fixed replies ---- */

struct reply_case {
	const char *text;
	int want; /* 1: a whole page, -1: refused */
	int err;  /* errno when refused, 0 to not check */
	int long_head;
};

static const struct reply_case reply_cases[] = {
    {"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n"
     "\r\nhello",
        1, 0, 0},
    {"HTTP/1.1 200\r\ncontent-length:  3 \r\n\r\nabc", 1, 0, 0},
    {"HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", 1, 0, 0},
    {"HTTP/1.0 404 Not Found\r\nContent-Length: 5\r\n\r\nhello", -1, EPROTO, 0},
    {"HTTP/1.0 2000 OK\r\nContent-Length: 5\r\n\r\nhello", -1, EPROTO, 0},
    {"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nhello", -1, EPROTO,
        0}, /* no Content-Length */
    {"HTTP/1.0 200 OK\r\nContent-Length: 50\r\n\r\nhello", -1, ECONNRESET,
        0}, /* early EOF */
    {"HTTP/1.0 200 OK\r\nContent-Le", -1, ECONNRESET, 0},
    {"", -1, ECONNRESET, 0},
    {"HTTP/1.0 200 OK\r\nContent-Length: 3\r\n\r\nhello", -1, EPROTO, 0},
    {"HTTP/1.0 200 OK\r\nContent-Length: x\r\n\r\nhello", -1, EPROTO, 0},
    {"HTTP/1.0 200 OK\r\nContent-Length: 5x\r\n\r\nhello", -1, EPROTO, 0},
    {"HTTP/1.0 200 OK\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n"
     "hello",
        -1, EPROTO, 0},
    {"HTTP/1.0 200 OK\r\nContent-Length: 99999999999999999999999\r\n\r\n", -1,
        EPROTO, 0},
    {"garbage\r\n\r\n", -1, EPROTO, 0},
    {"HTTP/1.0 200 OK\r\nX-Pad: ", -1, EPROTO, 1}, /* a head over 511 */
};

/* Feed a reply through a socketpair, whole or a byte at a time. */
START_TEST(test_read_reply)
{
	const struct reply_case *c = &reply_cases[_i / 2];
	size_t step = _i % 2 ? 1 : 0, len, off, n;
	struct page_reply r;
	char text[1024];
	int sv[2], rc = 0;

	len = strlen(c->text);
	memcpy(text, c->text, len);
	if (c->long_head) {
		memset(text + len, 'a', 600);
		len += 600;
	}
	if (step == 0)
		step = len;
	ck_assert_int_eq(
	    socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	ck_assert_int_eq(fcntl(sv[0], F_SETFL, O_NONBLOCK), 0);
	memset(&r, 0, sizeof r);
	for (off = 0; off < len && rc == 0; off += n) {
		n = len - off < step ? len - off : step;
		ck_assert_int_eq(write(sv[1], text + off, n), (ssize_t)n);
		rc = pageserver_read(sv[0], &r);
	}
	if (c->want == 1)
		ck_assert_int_eq(rc, 0); /* still waiting for EOF */
	if (rc == 0) {
		close(sv[1]);
		sv[1] = -1;
		rc = pageserver_read(sv[0], &r);
	}
	ck_assert_msg(rc == c->want, "case %d: rc %d", _i / 2, rc);
	if (rc == 1) {
		ck_assert_int_eq(r.have_head, 1);
		ck_assert_uint_eq(r.body_got, r.body_want);
		ck_assert_uint_eq(r.headlen, strlen(r.head));
		ck_assert_ptr_nonnull(strstr(r.head, "\r\n\r\n"));
	} else if (c->err != 0) {
		ck_assert_msg(
		    errno == c->err, "case %d: %s", _i / 2, strerror(errno));
	}
	close(sv[0]);
	if (sv[1] >= 0)
		close(sv[1]);
}
END_TEST

Suite *
make_pageserver_suite(void)
{
	Suite *s = suite_create("pageserver");
	TCase *tc = tcase_create("read");
	TCase *srv = tcase_create("server");

	tcase_add_loop_test(
	    tc, test_read_reply, 0, (int)(2 * IL_ARRAY_LEN(reply_cases)));
	suite_add_tcase(s, tc);
	tcase_set_timeout(srv, 60);
	tcase_add_test(srv, test_one_fetch);
	tcase_add_test(srv, test_concurrent_fetches);
	tcase_add_test(srv, test_event_loop);
	tcase_add_test(srv, test_thousand_connections);
	tcase_add_test(srv, test_stop_mid_request);
	tcase_add_test(srv, test_port_closed_after_stop);
	tcase_add_loop_test(
	    srv, test_bad_request, 0, (int)IL_ARRAY_LEN(bad_requests));
	tcase_add_test(srv, test_cancel);
	tcase_add_test(srv, test_forked_children);
	suite_add_tcase(s, srv);
	return s;
}
