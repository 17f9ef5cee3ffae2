/*
 * The page server's client half: building the request, connecting,
 * reading and checking the reply, and the whole blocking fetch. Worker
 * threads and forked children call it, so it makes only plain system
 * calls: no locks, no malloc, no stdio (see pageserver.h).
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "pageserver.h"
#include "pageserver_int.h"

#define SLICE_MS 50 /* the poll slice between cancel checks */

/* Write the request for task k into buf (at least 64 bytes); its length.
 * By hand, as snprintf is not async-signal-safe. */
static size_t
request_format(char *buf, int k)
{
	static const char pre[] = "GET /task/", post[] = " HTTP/1.0\r\n\r\n";
	char digits[16];
	unsigned int u = k < 0 ? 0u - (unsigned int)k : (unsigned int)k;
	size_t n = sizeof pre - 1, nd = 0;

	memcpy(buf, pre, n);
	if (k < 0)
		buf[n++] = '-';
	do {
		digits[nd++] = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	while (nd > 0)
		buf[n++] = digits[--nd];
	memcpy(buf + n, post, sizeof post - 1);
	return n + sizeof post - 1;
}

/* Wait one slice for events on fd. 1 if they came, 0 if the slice ended,
 * -1 with errno ECANCELED if *cancel is set, or with poll's errno. */
static int
client_wait(int fd, short events, const _Atomic int *cancel)
{
	struct pollfd p;
	int n;

	if (cancel != NULL && atomic_load(cancel)) {
		errno = ECANCELED;
		return -1;
	}
	p.fd = fd;
	p.events = events;
	p.revents = 0;
	n = poll(&p, 1, SLICE_MS);
	if (n < 0)
		return errno == EINTR ? 0 : -1;
	return n > 0;
}

/* Connect and send the request for task k, waiting in slices that check
 * *cancel. The non-blocking fd, or -1 with errno. */
static int
client_open(int port, int k, const _Atomic int *cancel)
{
	struct sockaddr_in sin;
	char req[64];
	size_t len = request_format(req, k), off = 0;
	socklen_t elen = sizeof(int);
	ssize_t n;
	int fd, rc, e = 0;

	if (port <= 0 || port > 65535) {
		errno = EINVAL;
		return -1;
	}
	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = htons((uint16_t)port);
	if (connect(fd, (struct sockaddr *)&sin, sizeof sin) != 0) {
		if (errno != EINPROGRESS && errno != EINTR)
			goto fail;
		while ((rc = client_wait(fd, POLLOUT, cancel)) == 0)
			continue;
		if (rc < 0)
			goto fail;
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &elen) != 0)
			goto fail;
		if (e != 0) {
			errno = e;
			goto fail;
		}
	}
	while (off < len) {
		n = send(fd, req + off, len - off, MSG_NOSIGNAL);
		if (n > 0)
			off += (size_t)n;
		else if (n < 0 && errno == EINTR)
			continue;
		else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			if (client_wait(fd, POLLOUT, cancel) < 0)
				goto fail;
		} else
			goto fail;
	}
	return fd;

fail:
	e = errno;
	close(fd);
	errno = e;
	return -1;
}

int
pageserver_request(int port, int k)
{
	return client_open(port, k, NULL);
}

/* Compare the start of s with the lower-case ASCII word w, ignoring case. */
static int
word_is(const char *s, const char *w)
{
	for (; *w != '\0'; s++, w++) {
		char c = *s >= 'A' && *s <= 'Z' ? (char)(*s - 'A' + 'a') : *s;

		if (c != *w)
			return 0;
	}
	return 1;
}

/* Parse a reply head ending "\r\n\r\n": the status must be 200 and there
 * must be exactly one Content-Length. 0 with it in *want, or -1. */
static int
reply_parse_head(const char *p, size_t *want)
{
	int found = 0;
	size_t v;

	if (strncmp(p, "HTTP/1.", 7) != 0 || p[7] < '0' || p[7] > '9' ||
	    strncmp(p + 8, " 200", 4) != 0 || (p[12] != ' ' && p[12] != '\r'))
		return -1;
	p = strstr(p, "\r\n") + 2;
	while (p[0] != '\r') { /* each header line */
		if (word_is(p, "content-length:")) {
			p += 15;
			while (*p == ' ' || *p == '\t')
				p++;
			if (found++ || *p < '0' || *p > '9')
				return -1;
			for (v = 0; *p >= '0' && *p <= '9'; p++) {
				if (v > (SIZE_MAX - 9) / 10)
					return -1;
				v = v * 10 + (size_t)(*p - '0');
			}
			while (*p == ' ' || *p == '\t')
				p++;
			if (p[0] != '\r' || p[1] != '\n')
				return -1;
			*want = v;
		}
		p = strstr(p, "\r\n") + 2;
	}
	return found ? 0 : -1;
}

/* n more bytes are in r->head: once it holds a whole head, parse it and
 * count the body bytes that came with it. 0, or -1 (errno EPROTO) if the
 * head is too long or malformed. */
static int
reply_take_head(struct page_reply *r, size_t n)
{
	size_t from = r->headlen >= 3 ? r->headlen - 3 : 0, hl;
	const char *end;

	r->headlen += n;
	r->head[r->headlen] = '\0';
	end = pageserver_blank_line(r->head + from, r->headlen - from);
	if (end == NULL) {
		if (r->headlen < sizeof r->head - 1)
			return 0;
		errno = EPROTO;
		return -1;
	}
	hl = (size_t)(end - r->head) + 4;
	r->body_got = r->headlen - hl;
	r->headlen = hl;
	r->head[hl] = '\0';
	if (strlen(r->head) != hl ||
	    reply_parse_head(r->head, &r->body_want) != 0 ||
	    r->body_got > r->body_want) {
		errno = EPROTO;
		return -1;
	}
	r->have_head = 1;
	return 0;
}

int
pageserver_read(int fd, struct page_reply *r)
{
	char body[512];
	ssize_t n;

	for (;;) {
		if (!r->have_head) {
			n = read(fd, r->head + r->headlen,
			    sizeof r->head - 1 - r->headlen);
			if (n > 0 && reply_take_head(r, (size_t)n) != 0)
				return -1;
		} else {
			n = read(fd, body, sizeof body);
			if (n > 0) {
				r->body_got += (size_t)n;
				if (r->body_got > r->body_want) {
					errno = EPROTO;
					return -1;
				}
			}
		}
		if (n > 0)
			continue;
		if (n == 0) {
			if (r->have_head && r->body_got == r->body_want)
				return 1;
			errno = ECONNRESET; /* EOF before the whole page */
			return -1;
		}
		if (errno == EINTR)
			continue;
		return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
	}
}

int
pageserver_fetch(int port, int k, const _Atomic int *cancel)
{
	struct page_reply r;
	int fd, rc, e;

	if ((fd = client_open(port, k, cancel)) < 0)
		return -1;
	memset(&r, 0, sizeof r);
	while ((rc = pageserver_read(fd, &r)) == 0) {
		if (client_wait(fd, POLLIN, cancel) < 0) {
			rc = -1;
			break;
		}
	}
	e = errno;
	close(fd);
	errno = e;
	return rc == 1 ? 0 : -1;
}
