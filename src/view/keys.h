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

/* Room for a lesson key's row: the row and its character as text. */
struct key_row {
	struct key_help k;
	char own[2];
};

/* When a key applies: always, stepped runs, measuring lessons, free
 * runs that do not measure, free runs of a lesson that also steps,
 * lessons the explorer can explore (their module has an outcome);
 * KEYS_LESSON marks the place of the lesson's own keys (its module's
 * table) in the list. */
enum {
	KEYS_ALL,
	KEYS_STEP,
	KEYS_MEASURE,
	KEYS_FREE,
	KEYS_SWITCH,
	KEYS_EXPLORE,
	KEYS_COACH, /* lessons with predictions, quizzes or challenges */
	KEYS_LESSON
};

/* How many keys the screen lists: the common ones and the lesson's. */
size_t keys_total(const struct screen *);
/* Key i of those; a lesson key is written into *tmp. */
const struct key_help *key_at(
    const struct screen *, size_t i, struct key_row *tmp);

/* Whether a key applies to the lesson on screen. */
int key_shown(const struct key_help *, const struct screen *);

/* The keys of an entry as drawn ("1-2" for the step keys). */
const char *key_keys(
    const struct key_help *, const struct screen *, char *buf, size_t len);

#endif
