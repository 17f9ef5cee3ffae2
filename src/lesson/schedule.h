/*
 * Schedules: the list of thread numbers a replay follows, given inline
 * ("1,2,1,2") or by name ("@lost-update", a file in one of the schedule
 * folders). Thread numbers are 1-based in text and 0-based in memory.
 * Every message quotes outside text sanitized.
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
	SCHEDULE_BAD_DATA = 1,  /* malformed, unreadable or not a file: 65 */
	SCHEDULE_NOT_FOUND = 2, /* no such named schedule, or a bad name: 2 */
};

/* Parse "1,2,1,2" (commas and/or white space separate items). On error,
 * err holds "schedule item N: ..." naming the exact item. */
enum schedule_error schedule_parse(
    const char *text, struct schedule *out, char *err, size_t errlen);

/* Load a schedule: "@name" from the folders dirs (NULL-terminated; the
 * last folder that has the name wins, as paths_schedule_dirs() orders
 * them), or inline text. File errors read "FILE:LINE: schedule item N:
 * ..."; a file that is not a regular file is refused without waiting on
 * it. */
enum schedule_error schedule_load(const char *spec, const char *const *dirs,
    struct schedule *out, char *err, size_t errlen);

/* The comment line that describes a named schedule, or NULL. */
char *schedule_describe(const char *const *dirs, const char *name);

/* Save items[0..n) (0-based threads) as the named schedule name in the
 * folder dir, which is made (mode 0755, its parents too) if missing: the
 * first line is "# " and comment, then the items, 1-based. Written to a
 * temporary file in dir and renamed into place, so a reader sees the
 * old file or the whole new one. 0 with the file's path in path, or -1
 * with why in err. */
int schedule_save(const char *dir, const char *name, const char *comment,
    const int *items, size_t n, char *path, size_t pathlen, char *err,
    size_t errlen);

/* A schedule name from text: lower case letters, digits and '-', every
 * other run of characters one '-', none at either end, at most 64
 * bytes, into buf (len > 64); "schedule" if nothing is left. */
void schedule_name_from(const char *text, char *buf, size_t len);

void schedule_free(struct schedule *);

#endif
