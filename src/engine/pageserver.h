/*
 * A slow page server on loopback, for the io-vs-cpu lesson's io=socket
 * flavour: each request is answered delay_ms after it arrived, like a slow
 * web site, so a worker waiting for its page is blocked on a real socket.
 *
 * One server thread multiplexes the listening socket, every connection and
 * a wake-up eventfd with poll(); there is no thread per connection.
 *
 * The client half is used by worker threads and by forked children, so it
 * makes only plain system calls: no locks, no malloc, no stdio.
 */
#ifndef IL_PAGESERVER_H
#define IL_PAGESERVER_H

#include <stddef.h>
#include <stdint.h>

struct pageserver;

/* Listen on 127.0.0.1 on a port the kernel chooses, and answer each request
 * delay_ms after it arrived (was read whole). A bad or oversized request
 * (over 1 KiB), or a client that closes or sends more while it waits, is
 * closed without a reply. NULL with a message in err on failure. */
struct pageserver *pageserver_start(long delay_ms, char *err, size_t errlen);

/* The port the server listens on. */
int pageserver_port(const struct pageserver *);

/* Complete replies sent so far. */
uint64_t pageserver_served(const struct pageserver *);

/* Close every connection at once, even mid-request (a client waiting for
 * its page sees EOF or an error, never hangs), stop listening, join the
 * server thread, close every fd it owns and free. NULL is a no-op. */
void pageserver_stop(struct pageserver *);

/* Connect to 127.0.0.1:port and send a request for task k ("GET /task/K
 * HTTP/1.0\r\n\r\n"). The socket fd, non-blocking, or -1 with errno. */
int pageserver_request(int port, int k);

/* What has arrived of one reply. Zero it before the first read. */
struct page_reply {
	char head[512];   /* status line and headers, NUL-terminated */
	size_t headlen;   /* bytes in head */
	size_t body_want; /* Content-Length, once have_head */
	size_t body_got;  /* body bytes read so far */
	int have_head;    /* the head is complete and valid */
};

/* Read what has arrived on fd into the reply: 1 when the whole page is in
 * (status 200, a Content-Length header, that many body bytes, then EOF), 0
 * if more is to come (EAGAIN). -1 with errno on a read error, on a
 * malformed reply, another status or a body longer than announced (EPROTO),
 * or on EOF before the whole page (ECONNRESET). */
int pageserver_read(int fd, struct page_reply *);

/* A whole blocking fetch: request, then poll() the fd in slices of at most
 * 50 ms, checking *cancel (if not NULL) between slices, until the page is
 * complete. 0 for a complete page; -1 with errno on an error, or when
 * cancelled (errno ECANCELED). The fd is always closed. */
int pageserver_fetch(int port, int k, const _Atomic int *cancel);

#endif
