/*
 * The keys of the lesson screen: what each does, in words for the key bar
 * and the help overlay, and when it applies.
 */
#ifndef IL_KEYS_H
#define IL_KEYS_H

#include <stddef.h>

#include "screen.h"

struct key_help {
	const char *keys_utf8, *keys_ascii; /* NULL: the step keys */
	const char *bar; /* short words for the key bar, or NULL */
	const char *help;
	int must; /* always on the key bar */
	int when; /* KEYS_... */
};

/* When a key applies: always, stepped runs, measuring lessons, free
 * runs that do not measure. */
enum { KEYS_ALL, KEYS_STEP, KEYS_MEASURE, KEYS_FREE };

extern const struct key_help key_list[];
extern const size_t key_count;

/* Whether a key applies to the lesson on screen. */
int key_shown(const struct key_help *, const struct screen *);

/* The keys of an entry as drawn ("1-2" for the step keys). */
const char *key_keys(
    const struct key_help *, const struct screen *, char *buf, size_t len);

#endif
