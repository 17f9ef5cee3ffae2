/* Small helpers shared by every module: clocks and allocation. */
#ifndef IL_UTIL_H
#define IL_UTIL_H

#include <stddef.h>
#include <stdint.h>

#define IL_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* CLOCK_MONOTONIC in nanoseconds. */
uint64_t clock_now_ns(void);

/* Allocation that aborts with a message on failure. */
void *xmalloc(size_t);
void *xcalloc(size_t, size_t);
void *xrealloc(void *, size_t);
char *xstrdup(const char *);

#endif
