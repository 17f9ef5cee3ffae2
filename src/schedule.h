/*
 * Schedules: the list of thread numbers a replay follows, given inline
 * ("1,2,1,2") or by name ("@lost-update", a file in the schedules
 * directory). Thread numbers are 1-based in text and 0-based in memory.
 */
#ifndef IL_SCHEDULE_H
#define IL_SCHEDULE_H

#include <stddef.h>

#define SCHEDULE_MAX_ITEMS 10000000

struct schedule {
	int *items; /* 0-based thread indices */
	size_t n;
	char *name; /* for named schedules, else NULL */
	char *text; /* canonical "1,2,1,2" form for display (first items) */
};

enum schedule_error {
	SCHEDULE_OK = 0,
	SCHEDULE_BAD_DATA = 1,  /* malformed content: exit 65 */
	SCHEDULE_NOT_FOUND = 2, /* no such named schedule: exit 2 */
};

/* Parse "1,2,1,2" (commas and/or white space separate items). On error,
 * err holds "schedule item N: ..." naming the exact item. */
enum schedule_error schedule_parse(
    const char *text, struct schedule *out, char *err, size_t errlen);

/* Load a schedule: "@name" from dir, or inline text. File errors read
 * "FILE:LINE: schedule item N: ...". */
enum schedule_error schedule_load(const char *spec, const char *dir,
    struct schedule *out, char *err, size_t errlen);

/* The comment line that describes a named schedule, or NULL. */
char *schedule_describe(const char *dir, const char *name);

void schedule_free(struct schedule *);

#endif
