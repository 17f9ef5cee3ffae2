/*
 * What the page server (pageserver.c) and its client
 * (pageserver_client.c) share; nothing else includes it.
 */
#ifndef IL_PAGESERVER_INT_H
#define IL_PAGESERVER_INT_H

#include <stddef.h>
#include <string.h>

/* The first "\r\n\r\n" in p[0..n), or NULL. */
static inline const char *
pageserver_blank_line(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i + 4 <= n; i++) {
		if (p[i] == '\r' && p[i + 1] == '\n' && p[i + 2] == '\r' &&
		    p[i + 3] == '\n')
			return p + i;
	}
	return NULL;
}

#endif
