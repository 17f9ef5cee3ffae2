/*
 * The slow page server; its client half is in pageserver_client.c.
 *
 * The server thread owns every connection. Each goes through three states:
 * reading its request, waiting for its deadline (arrival + delay), and
 * writing its reply; then it is shut down and closed. poll() sleeps until
 * the earliest deadline, or forever when nothing is pending, and the wake
 * eventfd ends the sleep when pageserver_stop wants the thread out.
 *
 * Connections are shut down before they are closed: a child process forked
 * while the server runs holds copies of its fds, and only shutdown() sends
 * the FIN (or refuses new connections, for the listening socket) whoever
 * else holds the fd.
 */
#include "config.h"

#include "pageserver.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "pageserver_int.h"
#include "util.h"

#define REQ_MAX         1024 /* longest request, head included */
#define BACKLOG         1024 /* the kernel caps it at net.core.somaxconn */
#define ACCEPT_BATCH    64   /* accepts per wake-up, so serving goes on */
#define ACCEPT_PAUSE_NS (100 * 1000000ull) /* after running out of fds */
#define FIRST_CAP       64
#define DELAY_MAX_MS    (24L * 3600 * 1000)

enum conn_state {
	CONN_READING, /* the request is coming in */
	CONN_WAITING, /* a valid request, answered at deadline_ns */
	CONN_WRITING  /* the reply is going out */
};

struct conn {
	int fd;
	enum conn_state state;
	uint64_t deadline_ns;
	int task;
	size_t len;  /* bytes in buf: the request, later the reply */
	size_t sent; /* reply bytes sent */
	char buf[REQ_MAX + 1];
};

struct pageserver {
	pthread_t thread;
	int listen_fd;
	int wake_fd; /* readable only once pageserver_stop wants the thread out */
	int port;
	uint64_t delay_ns;

	/* Complete replies: the server thread adds, anyone reads. */
	_Atomic uint64_t served;

	/*
	 * The rest belongs to the server thread alone while it runs.
	 * pfd[0] is the wake fd, pfd[1] the listening socket and pfd[2 + i]
	 * the socket of conn[i]; both arrays hold cap connections.
	 */
	struct pollfd *pfd;
	struct conn *conn;
	size_t nconn;
	size_t cap;
	uint64_t accept_resume_ns; /* accepting is paused until then; 0: not */
};

/* Parse "GET /task/K HTTP/1.x\r\n" at the start of a request; 0 or -1. The
 * header lines after it are ignored. */
static int
request_parse(const char *p, int *task)
{
	static const char get[] = "GET /task/", http[] = " HTTP/1.";
	long long v = 0;
	int neg = 0, digits = 0;

	if (strncmp(p, get, sizeof get - 1) != 0)
		return -1;
	p += sizeof get - 1;
	if (*p == '-') {
		neg = 1;
		p++;
	}
	while (*p >= '0' && *p <= '9') {
		if (++digits > 10)
			return -1;
		v = v * 10 + (*p++ - '0');
	}
	if (digits == 0 || (neg ? -v < INT_MIN : v > INT_MAX))
		return -1;
	if (strncmp(p, http, sizeof http - 1) != 0)
		return -1;
	p += sizeof http - 1;
	if (*p < '0' || *p > '9' || p[1] != '\r' || p[2] != '\n')
		return -1;
	*task = (int)(neg ? -v : v);
	return 0;
}

/* Close conn[i] and move the last connection into its slot. Always -1, so
 * callers can return it to say the connection is gone. */
static int
conn_drop(struct pageserver *ps, size_t i)
{
	size_t last = ps->nconn - 1;

	shutdown(ps->conn[i].fd, SHUT_RDWR);
	close(ps->conn[i].fd);
	if (i != last) {
		ps->conn[i] = ps->conn[last];
		ps->pfd[2 + i] = ps->pfd[2 + last];
	}
	ps->nconn--;
	ps->accept_resume_ns = 0; /* an fd is free again */
	return -1;
}

/* Take a new connection; 0, or -1 if the arrays cannot grow. */
static int
conn_add(struct pageserver *ps, int fd)
{
	struct conn *c;

	if (ps->nconn == ps->cap) {
		size_t ncap = ps->cap * 2;
		struct pollfd *pfd;

		pfd = realloc(ps->pfd, (ncap + 2) * sizeof *pfd);
		if (pfd == NULL)
			return -1;
		ps->pfd = pfd;
		c = realloc(ps->conn, ncap * sizeof *c);
		if (c == NULL)
			return -1;
		ps->conn = c;
		ps->cap = ncap;
	}
	c = &ps->conn[ps->nconn];
	c->fd = fd;
	c->state = CONN_READING;
	c->len = c->sent = 0;
	c->buf[0] = '\0';
	ps->pfd[2 + ps->nconn].fd = fd;
	ps->pfd[2 + ps->nconn].events = POLLIN;
	ps->pfd[2 + ps->nconn].revents = 0;
	ps->nconn++;
	return 0;
}

/* Read more of conn[i]'s request; a whole valid one starts the wait.
 * Anything but exactly one request of at most REQ_MAX bytes closes
 * the connection without a reply. 0, or -1 if it was closed. */
static int
conn_read(struct pageserver *ps, size_t i, uint64_t now)
{
	struct conn *c = &ps->conn[i];
	size_t from = c->len >= 3 ? c->len - 3 : 0;
	const char *end;
	ssize_t n;

	n = recv(c->fd, c->buf + c->len, REQ_MAX - c->len, 0);
	if (n < 0 &&
	    (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
		return 0;
	if (n <= 0)
		return conn_drop(ps, i); /* an error, or EOF before a request */
	c->len += (size_t)n;
	c->buf[c->len] = '\0';
	end = pageserver_blank_line(c->buf + from, c->len - from);
	if (end == NULL)
		return c->len < REQ_MAX ? 0 : conn_drop(ps, i);
	if (end + 4 != c->buf + c->len || request_parse(c->buf, &c->task) != 0)
		return conn_drop(ps, i);
	c->state = CONN_WAITING;
	c->deadline_ns = now + ps->delay_ns;
	return 0;
}

/* conn[i] is readable while it waits: the client left, failed, or sent
 * more than one request, and the connection is closed. 0, or -1 if so. */
static int
conn_check_gone(struct pageserver *ps, size_t i)
{
	char b;
	ssize_t n = recv(ps->conn[i].fd, &b, 1, 0);

	if (n < 0 &&
	    (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
		return 0;
	return conn_drop(ps, i);
}

/* Send the rest of conn[i]'s reply, and close it once it is all out. 0 if
 * more is to be sent, -1 once the connection is closed. */
static int
conn_write(struct pageserver *ps, size_t i)
{
	struct conn *c = &ps->conn[i];
	ssize_t n;

	while (c->sent < c->len) {
		n = send(c->fd, c->buf + c->sent, c->len - c->sent,
		    MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n > 0) {
			c->sent += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			ps->pfd[2 + i].events = POLLOUT;
			return 0;
		}
		return conn_drop(ps, i);
	}
	atomic_fetch_add(&ps->served, 1); /* before the client can see EOF */
	return conn_drop(ps, i);
}

/* Put conn[i]'s reply in its buffer and start sending it. */
static int
conn_reply(struct pageserver *ps, size_t i)
{
	struct conn *c = &ps->conn[i];
	char body[64];
	int blen, len;

	blen = snprintf(body, sizeof body, "page for task %d\n", c->task);
	len = snprintf(c->buf, sizeof c->buf,
	    "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n"
	    "Content-Length: %d\r\n\r\n%s",
	    blen, body);
	c->len = (size_t)len;
	c->sent = 0;
	c->state = CONN_WRITING;
	return conn_write(ps, i);
}

/* Handle what poll() said about conn[i], and reply if its time has come. */
static void
conn_serve(struct pageserver *ps, size_t i, uint64_t now)
{
	struct conn *c = &ps->conn[i];
	short rev = ps->pfd[2 + i].revents;

	switch (c->state) {
	case CONN_READING:
		if (rev != 0 && conn_read(ps, i, now) != 0)
			return;
		break;
	case CONN_WAITING:
		if (rev != 0 && conn_check_gone(ps, i) != 0)
			return;
		break;
	case CONN_WRITING:
		if (rev & (POLLERR | POLLHUP))
			conn_drop(ps, i);
		else if (rev & POLLOUT)
			conn_write(ps, i);
		return;
	}
	if (c->state == CONN_WAITING && now >= c->deadline_ns)
		conn_reply(ps, i);
}

/* Accept what is waiting on the listening socket. */
static void
server_accept(struct pageserver *ps, uint64_t now)
{
	int fd, n;

	for (n = 0; n < ACCEPT_BATCH; n++) {
		fd = accept4(
		    ps->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED ||
			    errno == EPROTO)
				continue;
			/* Out of fds or memory: the listening socket stays
			 * readable, so stop watching it for a while. */
			if (errno == EMFILE || errno == ENFILE ||
			    errno == ENOBUFS || errno == ENOMEM)
				ps->accept_resume_ns = now + ACCEPT_PAUSE_NS;
			return;
		}
		if (conn_add(ps, fd) != 0) {
			close(fd);
			ps->accept_resume_ns = now + ACCEPT_PAUSE_NS;
			return;
		}
	}
}

/* poll()'s timeout: until the earliest deadline, or -1 for none. */
static int
server_timeout(const struct pageserver *ps, uint64_t now)
{
	uint64_t next = UINT64_MAX, ms;
	size_t i;

	for (i = 0; i < ps->nconn; i++) {
		if (ps->conn[i].state == CONN_WAITING &&
		    ps->conn[i].deadline_ns < next)
			next = ps->conn[i].deadline_ns;
	}
	if (ps->accept_resume_ns != 0 && ps->accept_resume_ns < next)
		next = ps->accept_resume_ns;
	if (next == UINT64_MAX)
		return -1;
	if (next <= now)
		return 0;
	ms = (next - now + 999999) / 1000000; /* round up: never early */
	return ms > INT_MAX ? INT_MAX : (int)ms;
}

/* The server thread: one poll() over everything until the wake fd fires. */
static void *
server_main(void *arg)
{
	struct pageserver *ps = arg;
	uint64_t now;
	size_t i;
	int timeout;

	for (;;) {
		timeout = server_timeout(ps, clock_now_ns());
		ps->pfd[1].events = ps->accept_resume_ns == 0 ? POLLIN : 0;
		if (poll(ps->pfd, ps->nconn + 2, timeout) < 0) {
			struct timespec ts = {0, 10 * 1000 * 1000};

			if (errno != EINTR)
				nanosleep(&ts, NULL); /* ENOMEM: try again */
			continue;
		}
		if (ps->pfd[0].revents != 0)
			break;
		now = clock_now_ns();
		/* Backwards, as conn_drop moves the last one into the gap. */
		for (i = ps->nconn; i-- > 0;)
			conn_serve(ps, i, now);
		if (ps->accept_resume_ns != 0 && now >= ps->accept_resume_ns)
			ps->accept_resume_ns = 0;
		if (ps->pfd[1].revents & POLLIN)
			server_accept(ps, now);
	}
	while (ps->nconn > 0)
		conn_drop(ps, ps->nconn - 1);
	return NULL;
}

/* Put "page server: WHAT: strerror(e)" in err. */
static void
server_error(char *err, size_t errlen, const char *what, int e)
{
	if (err != NULL && errlen > 0)
		snprintf(err, errlen, "page server: %s: %s", what, strerror(e));
}

/* Close what the server owns and free it; the thread has ended. */
static void
server_free(struct pageserver *ps)
{
	while (ps->nconn > 0)
		conn_drop(ps, ps->nconn - 1);
	if (ps->listen_fd >= 0) {
		shutdown(ps->listen_fd, SHUT_RDWR);
		close(ps->listen_fd);
	}
	if (ps->wake_fd >= 0)
		close(ps->wake_fd);
	free(ps->pfd);
	free(ps->conn);
	free(ps);
}

/* Make the listening socket on 127.0.0.1 and learn its port; 0 or -1. */
static int
server_listen(struct pageserver *ps, char *err, size_t errlen)
{
	struct sockaddr_in sin;
	socklen_t slen = sizeof sin;

	ps->listen_fd =
	    socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (ps->listen_fd < 0) {
		server_error(err, errlen, "socket", errno);
		return -1;
	}
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = 0;
	if (bind(ps->listen_fd, (struct sockaddr *)&sin, sizeof sin) != 0) {
		server_error(err, errlen, "bind", errno);
		return -1;
	}
	if (listen(ps->listen_fd, BACKLOG) != 0) {
		server_error(err, errlen, "listen", errno);
		return -1;
	}
	if (getsockname(ps->listen_fd, (struct sockaddr *)&sin, &slen) != 0) {
		server_error(err, errlen, "getsockname", errno);
		return -1;
	}
	ps->port = ntohs(sin.sin_port);
	return 0;
}

struct pageserver *
pageserver_start(long delay_ms, char *err, size_t errlen)
{
	struct pageserver *ps;
	sigset_t all, old;
	int rc;

	if (delay_ms < 0 || delay_ms > DELAY_MAX_MS) {
		server_error(err, errlen, "delay", EINVAL);
		return NULL;
	}
	if ((ps = calloc(1, sizeof *ps)) == NULL) {
		server_error(err, errlen, "start", ENOMEM);
		return NULL;
	}
	ps->listen_fd = ps->wake_fd = -1;
	ps->delay_ns = (uint64_t)delay_ms * 1000000u;
	atomic_init(&ps->served, 0);
	ps->cap = FIRST_CAP;
	ps->pfd = calloc(ps->cap + 2, sizeof *ps->pfd);
	ps->conn = calloc(ps->cap, sizeof *ps->conn);
	if (ps->pfd == NULL || ps->conn == NULL) {
		server_error(err, errlen, "start", ENOMEM);
		goto fail;
	}
	if (server_listen(ps, err, errlen) != 0)
		goto fail;
	if ((ps->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) < 0) {
		server_error(err, errlen, "eventfd", errno);
		goto fail;
	}
	ps->pfd[0].fd = ps->wake_fd;
	ps->pfd[0].events = POLLIN;
	ps->pfd[1].fd = ps->listen_fd;
	ps->pfd[1].events = POLLIN;

	/* Signals go to other threads: the server thread blocks them all. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&ps->thread, NULL, server_main, ps);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		server_error(err, errlen, "pthread_create", rc);
		goto fail;
	}
	return ps;

fail:
	server_free(ps);
	return NULL;
}

int
pageserver_port(const struct pageserver *ps)
{
	return ps->port;
}

uint64_t
pageserver_served(const struct pageserver *ps)
{
	return atomic_load(&ps->served);
}

void
pageserver_stop(struct pageserver *ps)
{
	uint64_t one = 1;

	if (ps == NULL)
		return;
	while (write(ps->wake_fd, &one, sizeof one) < 0 && errno == EINTR)
		continue;
	pthread_join(ps->thread, NULL);
	server_free(ps);
}
