#include "schedule.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conductor.h"
#include "paths.h"
#include "sanitize.h"
#include "util.h"

#define SCHEDULE_TEXT_MAX   120
#define SCHEDULE_NAME_MAX   64 /* bytes of a schedule's name */
#define SCHEDULE_LINE_ITEMS 30 /* items on one line of a saved file */

/* Append item to the schedule, growing the array. */
static void
schedule_push(struct schedule *s, size_t *cap, int item)
{
	if (s->n == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		s->items = xrealloc(s->items, *cap * sizeof *s->items);
	}
	s->items[s->n++] = item;
}

/* Build the short display form of the first items. */
static void
schedule_make_text(struct schedule *s)
{
	char buf[SCHEDULE_TEXT_MAX + 16];
	size_t i, off = 0;

	buf[0] = '\0';
	for (i = 0; i < s->n; i++) {
		if (off > SCHEDULE_TEXT_MAX) {
			snprintf(buf + off, sizeof buf - off, ",...");
			break;
		}
		off += (size_t)snprintf(buf + off, sizeof buf - off, "%s%d",
		    i ? "," : "", s->items[i] + 1);
	}
	free(s->text);
	s->text = xstrdup(buf);
}

/* Check that thread number v (counted from 1) may be the next item of
 * s: SCHEDULE_OK, or SCHEDULE_BAD_DATA with a message in err. */
static enum schedule_error
schedule_check_item(const struct schedule *s, long v, char *err, size_t errlen)
{
	if (v < 1) {
		snprintf(err, errlen,
		    "schedule item %zu: threads are numbered from 1", s->n + 1);
		return SCHEDULE_BAD_DATA;
	}
	if (v > CONDUCTOR_MAX_THREADS) {
		snprintf(err, errlen,
		    "schedule item %zu: thread %ld does not exist "
		    "(at most %d threads)",
		    s->n + 1, v, CONDUCTOR_MAX_THREADS);
		return SCHEDULE_BAD_DATA;
	}
	if (s->n >= SCHEDULE_MAX_ITEMS) {
		snprintf(err, errlen,
		    "schedule item %zu: too many items (limit %d)", s->n + 1,
		    SCHEDULE_MAX_ITEMS);
		return SCHEDULE_BAD_DATA;
	}
	return SCHEDULE_OK;
}

/* Parse items from text into s, numbering from *item (for messages). */
static enum schedule_error
schedule_parse_more(
    const char *text, struct schedule *s, size_t *cap, char *err, size_t errlen)
{
	const char *p = text;

	for (;;) {
		const char *start;
		char *end;
		long v;

		while (isspace((unsigned char)*p))
			p++;
		if (*p == '\0')
			return SCHEDULE_OK;
		start = p;
		while (*p != '\0' && *p != ',' && !isspace((unsigned char)*p))
			p++;
		errno = 0;
		v = strtol(start, &end, 10);
		if (start == p || end != p || errno != 0) {
			char *q = sanitize_text(start,
			    (size_t)(p - start) > 20 ? 20 : (size_t)(p - start),
			    0);

			snprintf(err, errlen,
			    "schedule item %zu: '%s' is not a thread number",
			    s->n + 1, q);
			free(q);
			return SCHEDULE_BAD_DATA;
		}
		if (schedule_check_item(s, v, err, errlen) != SCHEDULE_OK)
			return SCHEDULE_BAD_DATA;
		schedule_push(s, cap, (int)v - 1);
		while (isspace((unsigned char)*p))
			p++;
		if (*p == ',') {
			p++;
			while (isspace((unsigned char)*p))
				p++;
			if (*p == ',' || *p == '\0') {
				snprintf(err, errlen,
				    "schedule item %zu: empty item", s->n + 1);
				return SCHEDULE_BAD_DATA;
			}
		}
	}
}

enum schedule_error
schedule_parse(const char *text, struct schedule *out, char *err, size_t errlen)
{
	enum schedule_error e;
	size_t cap = 0;

	memset(out, 0, sizeof *out);
	e = schedule_parse_more(text, out, &cap, err, errlen);
	if (e == SCHEDULE_OK && out->n == 0) {
		snprintf(err, errlen, "schedule item 1: the schedule is empty");
		e = SCHEDULE_BAD_DATA;
	}
	if (e != SCHEDULE_OK) {
		schedule_free(out);
		return e;
	}
	schedule_make_text(out);
	return SCHEDULE_OK;
}

/* 1 if name is a plain schedule name (no path tricks). */
static int
schedule_name_ok(const char *name)
{
	const char *p;

	if (*name == '\0' || strlen(name) > SCHEDULE_NAME_MAX)
		return 0;
	for (p = name; *p; p++) {
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_')
			return 0;
	}
	return 1;
}

/* Read a named schedule from the open file f: '#' lines are comments.
 * name is the file's path, sanitized, for messages. */
static enum schedule_error
schedule_read_file(
    FILE *f, const char *name, struct schedule *out, char *err, size_t errlen)
{
	char line[4096], msg[256];
	size_t cap = 0;
	unsigned lineno = 0;

	while (fgets(line, sizeof line, f) != NULL) {
		lineno++;
		if (strchr(line, '\n') == NULL && !feof(f)) {
			snprintf(err, errlen, "%s:%u: line is too long", name,
			    lineno);
			return SCHEDULE_BAD_DATA;
		}
		if (line[0] == '#')
			continue;
		if (schedule_parse_more(line, out, &cap, msg, sizeof msg) !=
		    SCHEDULE_OK) {
			snprintf(err, errlen, "%s:%u: %s", name, lineno, msg);
			return SCHEDULE_BAD_DATA;
		}
	}
	if (ferror(f)) {
		snprintf(err, errlen, "%s:%u: cannot read: %s", name,
		    lineno ? lineno : 1, strerror(errno));
		return SCHEDULE_BAD_DATA;
	}
	if (out->n == 0) {
		snprintf(err, errlen, "%s:%u: the schedule is empty", name,
		    lineno ? lineno : 1);
		return SCHEDULE_BAD_DATA;
	}
	return SCHEDULE_OK;
}

/* Open the schedule called name in the last of dirs that has it.
 * PATHS_OPEN_MISSING if none has; PATHS_OPEN_UNUSABLE with
 * "FILE:1: reason" in err for one that cannot be read. path gets the
 * file's path. */
static enum paths_open_error
schedule_open(const char *const *dirs, const char *name, FILE **f, char *path,
    size_t pathlen, char *err, size_t errlen)
{
	enum paths_open_error e = PATHS_OPEN_MISSING;
	char why[256];
	size_t n = 0;

	while (dirs[n] != NULL)
		n++;
	while (n-- > 0 && e == PATHS_OPEN_MISSING) {
		snprintf(path, pathlen, "%s/%s", dirs[n], name);
		e = paths_open_data(path, f, why, sizeof why);
	}
	if (e == PATHS_OPEN_UNUSABLE) {
		char *q = sanitize_text(path, strlen(path), 0);

		snprintf(err, errlen, "%s:1: %s", q, why);
		free(q);
	}
	return e;
}

/* "no schedule named 'x' in A, B or C". */
static void
schedule_not_found(
    const char *const *dirs, const char *name, char *err, size_t errlen)
{
	size_t i, off;

	off = (size_t)snprintf(err, errlen, "no schedule named '%s' in", name);
	for (i = 0; dirs[i] != NULL && off < errlen; i++) {
		char *q = sanitize_text(dirs[i], strlen(dirs[i]), 0);

		off += (size_t)snprintf(err + off, errlen - off, "%s %s",
		    i == 0                    ? ""
		        : dirs[i + 1] == NULL ? " or"
		                              : ",",
		    q);
		free(q);
	}
}

enum schedule_error
schedule_load(const char *spec, const char *const *dirs, struct schedule *out,
    char *err, size_t errlen)
{
	char path[4096];
	enum schedule_error e;
	char *name;
	FILE *f;

	if (spec[0] != '@')
		return schedule_parse(spec, out, err, errlen);
	memset(out, 0, sizeof *out);
	if (!schedule_name_ok(spec + 1)) {
		char *q = sanitize_text(spec + 1, strnlen(spec + 1, 64), 0);

		snprintf(err, errlen,
		    "'%s' is not a schedule name (letters, digits, - and _)",
		    q);
		free(q);
		return SCHEDULE_NOT_FOUND;
	}
	switch (
	    schedule_open(dirs, spec + 1, &f, path, sizeof path, err, errlen)) {
	case PATHS_OPEN_MISSING:
		schedule_not_found(dirs, spec + 1, err, errlen);
		return SCHEDULE_NOT_FOUND;
	case PATHS_OPEN_UNUSABLE:
		return SCHEDULE_BAD_DATA;
	case PATHS_OPEN_OK:
		break;
	}
	name = sanitize_text(path, strlen(path), 0);
	e = schedule_read_file(f, name, out, err, errlen);
	free(name);
	fclose(f);
	if (e != SCHEDULE_OK) {
		schedule_free(out);
		return e;
	}
	schedule_make_text(out);
	out->name = xstrdup(spec + 1);
	return SCHEDULE_OK;
}

char *
schedule_describe(const char *const *dirs, const char *name)
{
	char path[4096], line[512], err[64];
	FILE *f;
	char *out = NULL;

	if (!schedule_name_ok(name) ||
	    schedule_open(dirs, name, &f, path, sizeof path, err, sizeof err) !=
	        PATHS_OPEN_OK)
		return NULL;
	while (fgets(line, sizeof line, f) != NULL) {
		if (line[0] == '#') {
			char *p = line + 1;
			while (*p == ' ')
				p++;
			p[strcspn(p, "\n")] = '\0';
			out = sanitize_text(p, strlen(p), 0);
			break;
		}
	}
	fclose(f);
	return out;
}

void
schedule_name_from(const char *text, char *buf, size_t len)
{
	size_t n = 0,
	       max = len - 1 < SCHEDULE_NAME_MAX ? len - 1 : SCHEDULE_NAME_MAX;
	const char *p;

	for (p = text; *p != '\0' && n < max; p++) {
		unsigned char c = (unsigned char)tolower((unsigned char)*p);

		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			buf[n++] = (char)c;
		else if (n > 0 && buf[n - 1] != '-')
			buf[n++] = '-';
	}
	while (n > 0 && buf[n - 1] == '-')
		n--;
	buf[n] = '\0';
	if (n == 0)
		snprintf(buf, len, "schedule");
}

/* mkdir -p dir, each new folder with mode 0755: 0, or -1 (errno). */
static int
schedule_make_dirs(const char *dir)
{
	char buf[4096];
	size_t i, n = strlen(dir);

	if (n == 0 || n >= sizeof buf) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(buf, dir, n + 1);
	for (i = 1; i <= n; i++) {
		if (buf[i] != '/' && buf[i] != '\0')
			continue;
		buf[i] = '\0';
		if (mkdir(buf, 0755) != 0 && errno != EEXIST)
			return -1;
		buf[i] = dir[i];
	}
	return 0;
}

/* Write the comment line and the items to f, a line of them at a time
 * (a line break separates items as a comma does): 0, or -1. */
static int
schedule_write(FILE *f, const char *comment, const int *items, size_t n)
{
	size_t i;

	fprintf(f, "# %s\n", comment);
	for (i = 0; i < n; i++) {
		int end = i + 1 == n || (i + 1) % SCHEDULE_LINE_ITEMS == 0;

		fprintf(f, "%d%s", items[i] + 1, end ? "\n" : ",");
	}
	return ferror(f) ? -1 : 0;
}

int
schedule_save(const char *dir, const char *name, const char *comment,
    const int *items, size_t n, char *path, size_t pathlen, char *err,
    size_t errlen)
{
	char tmp[4096];
	int fd, e;
	FILE *f;

	if (!schedule_name_ok(name) || n == 0) {
		snprintf(err, errlen, "'%s' is not a schedule name", name);
		return -1;
	}
	if (schedule_make_dirs(dir) != 0) {
		snprintf(
		    err, errlen, "cannot make %s: %s", dir, strerror(errno));
		return -1;
	}
	snprintf(path, pathlen, "%s/%s", dir, name);
	snprintf(tmp, sizeof tmp, "%s/.%s.XXXXXX", dir, name);
	if ((fd = mkstemp(tmp)) < 0) {
		snprintf(err, errlen, "cannot write in %s: %s", dir,
		    strerror(errno));
		return -1;
	}
	if (fchmod(fd, 0644) != 0 || (f = fdopen(fd, "w")) == NULL) {
		snprintf(
		    err, errlen, "cannot write %s: %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		return -1;
	}
	e = schedule_write(f, comment, items, n);
	if (fflush(f) != 0 || fsync(fileno(f)) != 0)
		e = -1;
	if (fclose(f) != 0)
		e = -1;
	if (e == 0 && rename(tmp, path) != 0)
		e = -1;
	if (e != 0) {
		snprintf(
		    err, errlen, "cannot write %s: %s", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

void
schedule_free(struct schedule *s)
{
	free(s->items);
	free(s->name);
	free(s->text);
	memset(s, 0, sizeof *s);
}
