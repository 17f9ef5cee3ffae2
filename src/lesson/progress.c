/* The student's progress, in memory and in its file (see progress.h). */
#include "config.h"

#include "progress.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "paths.h"
#include "sanitize.h"
#include "util.h"

#define PROGRESS_HEADER   "interleave-progress 1"
#define PROGRESS_FILE_MAX (4 << 20) /* a bigger file is not ours */
#define PROGRESS_NUM_MAX  1000000000000LL
#define PROGRESS_FIELDS   7

enum rec_kind { REC_PAGE, REC_ANSWER, REC_WIN, REC_HINT, REC_OTHER };

/* One record. a and b are the page; matched; steps and hints; or the
 * count of hints. text is the answer, or a whole line of a kind this
 * version does not know. */
struct rec {
	enum rec_kind kind;
	char *lesson;
	char *id;
	char *text;
	long a, b;
	int64_t when;
	int dirty; /* made here since the last load or save */
};

struct progress {
	char *path;
	struct rec *recs;
	size_t n;
	enum progress_fault fault;
};

/* A growing string, for the file's text. */
struct buf {
	char *s;
	size_t n, cap;
};

static void
buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		b->cap = (b->n + n + 1) * 2;
		b->s = xrealloc(b->s, b->cap);
	}
	memcpy(b->s + b->n, s, n);
	b->n += n;
	b->s[b->n] = '\0';
}

static void buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
buf_printf(struct buf *b, const char *fmt, ...)
{
	char tmp[128];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n > 0)
		buf_add(b, tmp,
		    (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

static void say_msg(char *msg, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Format a sentence into msg, sanitized: it quotes paths. */
static void
say_msg(char *msg, size_t len, const char *fmt, ...)
{
	char raw[2 * PATH_MAX + 512], *s;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(raw, sizeof raw, fmt, ap);
	va_end(ap);
	s = sanitize_text(raw, strlen(raw), 0);
	snprintf(msg, len, "%s", s);
	free(s);
}

int
progress_id_ok(const char *id)
{
	size_t n = id != NULL ? strlen(id) : 0;

	return n > 0 && n <= PROGRESS_ID_MAX;
}

struct progress *
progress_new(const char *path)
{
	struct progress *p = xcalloc(1, sizeof *p);

	p->path = xstrdup(path);
	return p;
}

static void
progress_clear(struct progress *p)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		free(p->recs[i].lesson);
		free(p->recs[i].id);
		free(p->recs[i].text);
	}
	free(p->recs);
	p->recs = NULL;
	p->n = 0;
}

void
progress_free(struct progress *p)
{
	if (p == NULL)
		return;
	progress_clear(p);
	free(p->path);
	free(p);
}

const char *
progress_path(const struct progress *p)
{
	return p->path;
}

void
progress_set_fault(struct progress *p, enum progress_fault f)
{
	p->fault = f;
}

static int
str_eq(const char *a, const char *b)
{
	return (a == NULL && b == NULL) ||
	    (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* The record of this kind for lesson and id (for REC_OTHER: this line),
 * or NULL. */
static struct rec *
progress_find(const struct progress *p, enum rec_kind kind, const char *lesson,
    const char *id, const char *text)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		struct rec *r = &p->recs[i];

		if (r->kind == kind && str_eq(r->lesson, lesson) &&
		    str_eq(r->id, id) &&
		    (kind != REC_OTHER || str_eq(r->text, text)))
			return r;
	}
	return NULL;
}

/* 1 if answer r should replace e: a match beats a miss, then the later
 * answer wins. */
static int
answer_better(const struct rec *r, const struct rec *e)
{
	if (r->a != e->a)
		return r->a > e->a;
	return r->when > e->when;
}

/* 1 if win r is better than e: fewer hints, fewer steps, earlier. */
static int
win_better(const struct rec *r, const struct rec *e)
{
	if (r->b != e->b)
		return r->b < e->b;
	if (r->a != e->a)
		return r->a < e->a;
	return r->when < e->when;
}

/* 1 if r should change e, which holds the same thing. */
static int
rec_better(const struct rec *r, const struct rec *e)
{
	switch (r->kind) {
	case REC_PAGE:
	case REC_HINT:
		return r->a > e->a;
	case REC_ANSWER:
		return answer_better(r, e);
	case REC_WIN:
		return win_better(r, e);
	case REC_OTHER:
		break;
	}
	return 0;
}

/* Merge r into p: added if new, else kept if it is better than what p
 * has. dirty marks what changed as this instance's own. */
static void
progress_merge(struct progress *p, const struct rec *r, int dirty)
{
	struct rec *e = progress_find(p, r->kind, r->lesson, r->id, r->text);

	if (e == NULL) {
		p->recs = xrealloc(p->recs, (p->n + 1) * sizeof *p->recs);
		e = &p->recs[p->n++];
		*e = *r;
		e->lesson = r->lesson != NULL ? xstrdup(r->lesson) : NULL;
		e->id = r->id != NULL ? xstrdup(r->id) : NULL;
		e->text = r->text != NULL ? xstrdup(r->text) : NULL;
		e->dirty = dirty;
		return;
	}
	if (!rec_better(r, e))
		return;
	e->a = r->a;
	e->b = r->b;
	e->when = r->when;
	if (r->kind == REC_ANSWER) {
		free(e->text);
		e->text = xstrdup(r->text);
	}
	e->dirty |= dirty;
}

/* Record r as this instance's, if its ids are good. */
static int
progress_record(struct progress *p, const struct rec *r)
{
	if (!progress_id_ok(r->lesson) ||
	    (r->kind != REC_PAGE && !progress_id_ok(r->id)))
		return -1;
	progress_merge(p, r, 1);
	return 0;
}

int
progress_mark_page(struct progress *p, const char *lesson, long page)
{
	struct rec r = {.kind = REC_PAGE, .lesson = (char *)lesson, .a = page};

	if (page < 0 || page > PROGRESS_NUM_MAX)
		return -1;
	return progress_record(p, &r);
}

int
progress_record_prediction(struct progress *p, const char *lesson,
    const char *id, const char *answer, int matched, int64_t when)
{
	struct rec r = {.kind = REC_ANSWER,
	    .lesson = (char *)lesson,
	    .id = (char *)id,
	    .text = (char *)answer,
	    .a = matched != 0,
	    .when = when};

	if (answer == NULL || strlen(answer) > PROGRESS_ANSWER_MAX || when < 0)
		return -1;
	return progress_record(p, &r);
}

int
progress_record_win(struct progress *p, const char *lesson,
    const char *challenge, const struct progress_win *w)
{
	struct rec r = {.kind = REC_WIN,
	    .lesson = (char *)lesson,
	    .id = (char *)challenge,
	    .a = w->steps,
	    .b = w->hints,
	    .when = w->when};

	if (w->steps < 0 || w->steps > PROGRESS_NUM_MAX || w->hints < 0 ||
	    w->hints > PROGRESS_NUM_MAX || w->when < 0)
		return -1;
	return progress_record(p, &r);
}

int
progress_record_hint(
    struct progress *p, const char *lesson, const char *id, long count)
{
	struct rec r = {.kind = REC_HINT,
	    .lesson = (char *)lesson,
	    .id = (char *)id,
	    .a = count};

	if (count < 0 || count > PROGRESS_NUM_MAX)
		return -1;
	return progress_record(p, &r);
}

long
progress_page(const struct progress *p, const char *lesson)
{
	const struct rec *r = progress_find(p, REC_PAGE, lesson, NULL, NULL);

	return r != NULL ? r->a : -1;
}

int
progress_prediction(const struct progress *p, const char *lesson,
    const char *id, const char **answer, int *matched)
{
	const struct rec *r = progress_find(p, REC_ANSWER, lesson, id, NULL);

	if (r == NULL)
		return 0;
	*answer = r->text;
	*matched = (int)r->a;
	return 1;
}

int
progress_won(const struct progress *p, const char *lesson,
    const char *challenge, struct progress_win *w)
{
	const struct rec *r =
	    progress_find(p, REC_WIN, lesson, challenge, NULL);

	if (r == NULL)
		return 0;
	if (w != NULL) {
		w->steps = r->a;
		w->hints = r->b;
		w->when = r->when;
	}
	return 1;
}

long
progress_hints(const struct progress *p, const char *lesson, const char *id)
{
	const struct rec *r = progress_find(p, REC_HINT, lesson, id, NULL);

	return r != NULL ? r->a : 0;
}

int
progress_lesson_done(const struct progress *p, const char *lesson, long npages,
    const char *const *challenges, size_t nchallenges)
{
	size_t i;

	if (progress_page(p, lesson) < npages - 1)
		return 0;
	for (i = 0; i < nchallenges; i++)
		if (!progress_won(p, lesson, challenges[i], NULL))
			return 0;
	return 1;
}

/* ---- the file's text ---- */

/* Write s escaped (see progress.h). */
static void
escape(struct buf *b, const char *s)
{
	const unsigned char *u = (const unsigned char *)s;

	if (*u == '\0')
		buf_add(b, "\\e", 2);
	for (; *u != '\0'; u++) {
		if (*u > ' ' && *u < 0x7f && *u != '\\')
			buf_add(b, (const char *)u, 1);
		else
			buf_printf(b, "\\x%02x", *u);
	}
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Undo escape(): a new string, or NULL if s is not one it writes or
 * holds more than max bytes. */
static char *
unescape(const char *s, size_t max)
{
	char *out;
	size_t n = 0;

	if (strcmp(s, "\\e") == 0)
		return xstrdup("");
	out = xmalloc(strlen(s) + 1);
	while (*s != '\0') {
		int hi, lo;

		if (*s != '\\') {
			out[n++] = *s++;
			continue;
		}
		if (s[1] != 'x' || (hi = hexval(s[2])) < 0 ||
		    (lo = hexval(s[3])) < 0 || (hi == 0 && lo == 0)) {
			free(out);
			return NULL;
		}
		out[n++] = (char)(hi * 16 + lo);
		s += 4;
	}
	out[n] = '\0';
	if (n > max) {
		free(out);
		return NULL;
	}
	return out;
}

/* Write one record as a line. */
static void
rec_write(struct buf *b, const struct rec *r)
{
	static const char *const kinds[] = {"page", "answer", "win", "hint"};

	if (r->kind == REC_OTHER) {
		buf_add(b, r->text, strlen(r->text));
		buf_add(b, "\n", 1);
		return;
	}
	buf_printf(b, "%s ", kinds[r->kind]);
	escape(b, r->lesson);
	if (r->kind == REC_PAGE) {
		buf_printf(b, " %ld\n", r->a);
		return;
	}
	buf_add(b, " ", 1);
	escape(b, r->id);
	if (r->kind == REC_ANSWER) {
		buf_printf(b, " %ld %lld ", r->a, (long long)r->when);
		escape(b, r->text);
	} else if (r->kind == REC_WIN)
		buf_printf(b, " %ld %ld %lld", r->a, r->b, (long long)r->when);
	else
		buf_printf(b, " %ld", r->a);
	buf_add(b, "\n", 1);
}

/* A whole decimal number from 0 to PROGRESS_NUM_MAX: 0, or -1. */
static int
parse_num(const char *s, long long *out)
{
	long long v = 0;

	if (*s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9' || v > PROGRESS_NUM_MAX / 10)
			return -1;
		v = v * 10 + (*s - '0');
	}
	if (v > PROGRESS_NUM_MAX)
		return -1;
	*out = v;
	return 0;
}

/* Split line (changed in place) at single spaces into f: the number of
 * fields, or -1 if there are more than PROGRESS_FIELDS. */
static int
split_fields(char *line, char **f)
{
	int n = 0;

	for (;;) {
		char *sp = strchr(line, ' ');

		if (n == PROGRESS_FIELDS)
			return -1;
		f[n++] = line;
		if (sp == NULL)
			return n;
		*sp = '\0';
		line = sp + 1;
	}
}

/* The kind named k, or REC_OTHER. */
static enum rec_kind
kind_by_name(const char *k, int *nfields)
{
	static const struct {
		const char *name;
		int nfields;
	} kinds[] = {{"page", 3}, {"answer", 6}, {"win", 6}, {"hint", 4}};
	size_t i;

	for (i = 0; i < IL_ARRAY_LEN(kinds); i++)
		if (strcmp(k, kinds[i].name) == 0) {
			*nfields = kinds[i].nfields;
			return (enum rec_kind)i;
		}
	return REC_OTHER;
}

/* Fill r's numbers from the fields after the ids. */
static int
rec_numbers(struct rec *r, char **f)
{
	long long v[3] = {0, 0, 0};

	switch (r->kind) {
	case REC_PAGE:
		if (parse_num(f[2], &v[0]) != 0)
			return -1;
		break;
	case REC_ANSWER:
		if (parse_num(f[3], &v[0]) != 0 || v[0] > 1 ||
		    parse_num(f[4], &v[2]) != 0)
			return -1;
		break;
	case REC_WIN:
		if (parse_num(f[3], &v[0]) != 0 ||
		    parse_num(f[4], &v[1]) != 0 || parse_num(f[5], &v[2]) != 0)
			return -1;
		break;
	case REC_HINT:
		if (parse_num(f[3], &v[0]) != 0)
			return -1;
		break;
	case REC_OTHER:
		break;
	}
	r->a = (long)v[0];
	r->b = (long)v[1];
	r->when = v[2];
	return 0;
}

/* Parse the ids and numbers of a known record (in fields f) into r:
 * 0, or -1 if one is bad. */
static int
rec_parse(struct rec *r, char **f)
{
	r->lesson = unescape(f[1], PROGRESS_ID_MAX);
	if (r->kind != REC_PAGE)
		r->id = unescape(f[2], PROGRESS_ID_MAX);
	if (r->kind == REC_ANSWER)
		r->text = unescape(f[5], PROGRESS_ANSWER_MAX);
	if (!progress_id_ok(r->lesson) ||
	    (r->kind != REC_PAGE && !progress_id_ok(r->id)) ||
	    (r->kind == REC_ANSWER && r->text == NULL))
		return -1;
	return rec_numbers(r, f);
}

/* Parse one line that is not the header into p: 0, or -1 if it is bad.
 * A line of a kind this version does not know is kept as it is. */
static int
parse_line(struct progress *p, char *line)
{
	char *f[PROGRESS_FIELDS];
	struct rec r;
	size_t wlen = strcspn(line, " ");
	char word[16];
	int want = 0, rc;
	const char *c;

	for (c = line; *c != '\0'; c++)
		if (*c < ' ' || *c > '~')
			return -1;
	if (wlen == 0)
		return -1;
	memset(&r, 0, sizeof r);
	snprintf(word, sizeof word, "%.*s", (int)wlen, line);
	r.kind = wlen < sizeof word ? kind_by_name(word, &want) : REC_OTHER;
	if (r.kind == REC_OTHER) {
		r.text = line;
		progress_merge(p, &r, 0);
		return 0;
	}
	if (split_fields(line, f) != want)
		return -1;
	if ((rc = rec_parse(&r, f)) == 0)
		progress_merge(p, &r, 0);
	free(r.lesson);
	free(r.id);
	free(r.text);
	return rc;
}

/* Parse a whole file into p: 0, or -1 with why ("line 3 is not ..."). */
static int
parse_text(struct progress *p, char *s, size_t len, char *why, size_t wlen)
{
	char *end = s + len, *nl;
	int line = 1;

	if (memchr(s, '\0', len) != NULL) {
		snprintf(why, wlen, "it holds binary data");
		return -1;
	}
	nl = memchr(s, '\n', len);
	if (nl == NULL || (size_t)(nl - s) != strlen(PROGRESS_HEADER) ||
	    strncmp(s, PROGRESS_HEADER, strlen(PROGRESS_HEADER)) != 0) {
		snprintf(
		    why, wlen, "it does not start with '" PROGRESS_HEADER "'");
		return -1;
	}
	for (s = nl + 1; s < end; s = nl + 1) {
		line++;
		if ((nl = memchr(s, '\n', (size_t)(end - s))) == NULL) {
			snprintf(why, wlen, "line %d is cut short", line);
			return -1;
		}
		*nl = '\0';
		if (parse_line(p, s) != 0) {
			snprintf(why, wlen, "line %d is not a record", line);
			return -1;
		}
	}
	return 0;
}

/* ---- the file ---- */

/* The folder path is in, into dir. */
static void
dir_of(const char *path, char *dir, size_t len)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		snprintf(dir, len, ".");
	else if (slash == path)
		snprintf(dir, len, "/");
	else
		snprintf(dir, len, "%.*s", (int)(slash - path), path);
}

/* Make dir and its missing parents, each 0700: 0, or -1 with errno. */
static int
mkdir_parents(const char *dir)
{
	char tmp[PATH_MAX];
	char *s;

	if (snprintf(tmp, sizeof tmp, "%s", dir) >= (int)sizeof tmp) {
		errno = ENAMETOOLONG;
		return -1;
	}
	for (s = tmp + 1; *s != '\0'; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(tmp, 0700) != 0 && errno != EEXIST)
			return -1;
		*s = '/';
	}
	if (mkdir(tmp, 0700) != 0 && errno != EEXIST)
		return -1;
	return 0;
}

/* Take the lock beside path, making its folder if create: the lock's fd,
 * -1 with a sentence in msg, or -2 if !create and the folder is not
 * there. */
static int
lock_take(const char *path, int create, char *msg, size_t len)
{
	char dir[PATH_MAX], lock[PATH_MAX + 8];
	struct stat st;
	int fd;

	dir_of(path, dir, sizeof dir);
	if (!create && stat(dir, &st) != 0 && errno == ENOENT)
		return -2;
	if (create && mkdir_parents(dir) != 0) {
		say_msg(msg, len, "cannot make the progress folder %s: %s", dir,
		    strerror(errno));
		return -1;
	}
	snprintf(lock, sizeof lock, "%s.lock", path);
	fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		say_msg(msg, len, "cannot open the progress lock %s: %s", lock,
		    strerror(errno));
		return -1;
	}
	while (flock(fd, LOCK_EX) != 0) {
		if (errno != EINTR) {
			say_msg(msg, len, "cannot lock %s: %s", lock,
			    strerror(errno));
			close(fd);
			return -1;
		}
	}
	return fd;
}

/* Release the lock (closing its fd releases the flock). */
static void
lock_release(int fd)
{
	close(fd);
}

/* Move an unusable file at path aside as path.corrupt-TIMESTAMP[-N]:
 * 0 with the new name in aside, or -1. */
static int
set_aside(const char *path, char *aside, size_t len)
{
	char stamp[32];
	struct stat st;
	time_t now = time(NULL);
	struct tm tm;
	int i;

	gmtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
	for (i = 0; i < 1000; i++) {
		if (i == 0)
			snprintf(aside, len, "%s.corrupt-%s", path, stamp);
		else
			snprintf(
			    aside, len, "%s.corrupt-%s-%d", path, stamp, i);
		if (lstat(aside, &st) != 0 && errno == ENOENT)
			return rename(path, aside);
	}
	errno = EEXIST;
	return -1;
}

/* Read path into the empty d: PROGRESS_OK (also when there is no file),
 * or PROGRESS_SET_ASIDE with the sentence in msg, or PROGRESS_FAILED if
 * the file could not be set aside either. Call under the lock. */
static enum progress_status
read_file(struct progress *d, const char *path, char *msg, size_t len)
{
	char why[256], aside[PATH_MAX + 64];
	struct buf b = {NULL, 0, 0};
	char chunk[8192];
	enum paths_open_error e;
	FILE *f;
	size_t n;
	int bad = 0;

	e = paths_open_data(path, &f, why, sizeof why);
	if (e == PATHS_OPEN_MISSING)
		return PROGRESS_OK;
	if (e == PATHS_OPEN_OK) {
		while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 &&
		    b.n <= PROGRESS_FILE_MAX)
			buf_add(&b, chunk, n);
		if (ferror(f)) {
			snprintf(why, sizeof why, "%s", strerror(errno));
			bad = 1;
		} else if (b.n > PROGRESS_FILE_MAX) {
			snprintf(why, sizeof why, "it is too large");
			bad = 1;
		} else if (b.n == 0) {
			snprintf(why, sizeof why, "it is empty");
			bad = 1;
		} else
			bad = parse_text(d, b.s, b.n, why, sizeof why) != 0;
		fclose(f);
		free(b.s);
		if (!bad)
			return PROGRESS_OK;
	}
	progress_clear(d);
	if (set_aside(path, aside, sizeof aside) != 0) {
		say_msg(msg, len,
		    "the progress file %s cannot be used (%s) nor moved aside "
		    "(%s), so progress will not be saved",
		    path, why, strerror(errno));
		return PROGRESS_FAILED;
	}
	say_msg(msg, len,
	    "the progress file %s could not be used (%s), so it was moved "
	    "to %s and progress starts afresh",
	    path, why, aside);
	return PROGRESS_SET_ASIDE;
}

/* Write all of s to fd: 0, or -1. */
static int
write_all(int fd, const char *s, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, s, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Replace path with text atomically: a temporary file in its folder,
 * fsync, rename, then fsync the folder. 0, or -1 with msg. */
static int
write_atomic(
    const struct progress *p, const struct buf *text, char *msg, size_t len)
{
	char dir[PATH_MAX], tmp[PATH_MAX + 32];
	int fd, dfd;

	dir_of(p->path, dir, sizeof dir);
	snprintf(tmp, sizeof tmp, "%s/.progress.XXXXXX", dir);
	if ((fd = mkstemp(tmp)) < 0) {
		say_msg(msg, len, "cannot save progress in %s: %s", dir,
		    strerror(errno));
		return -1;
	}
	if (p->fault == PROGRESS_FAULT_WRITE)
		errno = ENOSPC;
	if (p->fault == PROGRESS_FAULT_WRITE ||
	    write_all(fd, text->s, text->n) != 0 || fsync(fd) != 0) {
		say_msg(msg, len, "cannot save progress in %s: %s", dir,
		    strerror(errno));
		close(fd);
		unlink(tmp);
		return -1;
	}
	close(fd);
	if (p->fault == PROGRESS_FAULT_CRASH)
		_exit(3);
	if (rename(tmp, p->path) != 0) {
		say_msg(msg, len, "cannot save progress as %s: %s", p->path,
		    strerror(errno));
		unlink(tmp);
		return -1;
	}
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return 0;
}

/* Remove the temporary files of saves that died before their rename.
 * Call under the lock: every save holds it while its temporary file
 * exists, so any such file left is no one's. */
static void
remove_stale_temps(const char *path)
{
	char dir[PATH_MAX], tmp[PATH_MAX + 256];
	struct dirent *de;
	DIR *d;

	dir_of(path, dir, sizeof dir);
	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL)
		if (strncmp(de->d_name, ".progress.", 10) == 0 &&
		    strlen(de->d_name) == 16) {
			snprintf(tmp, sizeof tmp, "%s/%s", dir, de->d_name);
			unlink(tmp);
		}
	closedir(d);
}

/* Move d's records into p, which drops its own. */
static void
progress_take(struct progress *p, struct progress *d)
{
	size_t i;

	progress_clear(p);
	p->recs = d->recs;
	p->n = d->n;
	for (i = 0; i < p->n; i++)
		p->recs[i].dirty = 0;
	d->recs = NULL;
	d->n = 0;
}

enum progress_status
progress_load(struct progress *p, char *msg, size_t len)
{
	struct progress d = {NULL, NULL, 0, PROGRESS_FAULT_NONE};
	enum progress_status st;
	int lock;

	msg[0] = '\0';
	progress_clear(p);
	if ((lock = lock_take(p->path, 1, msg, len)) < 0)
		return PROGRESS_FAILED;
	st = read_file(&d, p->path, msg, len);
	lock_release(lock);
	progress_take(p, &d);
	return st;
}

int
progress_pending(const struct progress *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (p->recs[i].dirty)
			return 1;
	return 0;
}

int
progress_save(struct progress *p, char *msg, size_t len)
{
	struct progress d = {p->path, NULL, 0, p->fault};
	struct buf text = {NULL, 0, 0};
	size_t i;
	int lock, rc = -1;

	msg[0] = '\0';
	if ((lock = lock_take(p->path, 1, msg, len)) < 0)
		return -1;
	remove_stale_temps(p->path);
	if (read_file(&d, p->path, msg, len) != PROGRESS_FAILED) {
		for (i = 0; i < p->n; i++)
			if (p->recs[i].dirty)
				progress_merge(&d, &p->recs[i], 0);
		buf_add(
		    &text, PROGRESS_HEADER "\n", strlen(PROGRESS_HEADER) + 1);
		for (i = 0; i < d.n; i++)
			rec_write(&text, &d.recs[i]);
		rc = write_atomic(&d, &text, msg, len);
	}
	lock_release(lock);
	if (rc == 0)
		progress_take(p, &d);
	progress_clear(&d);
	free(text.s);
	return rc;
}

int
progress_reset(const char *path, char *msg, size_t len)
{
	struct stat st;
	int lock, rc = 0;

	msg[0] = '\0';
	if ((lock = lock_take(path, 0, msg, len)) == -2)
		return 0;
	if (lock < 0)
		return -1;
	if (lstat(path, &st) != 0) {
		if (errno != ENOENT) {
			say_msg(msg, len, "cannot clear %s: %s", path,
			    strerror(errno));
			rc = -1;
		}
	} else if (S_ISDIR(st.st_mode)) {
		say_msg(msg, len,
		    "cannot clear %s: it is a directory, not a progress file",
		    path);
		rc = -1;
	} else if (unlink(path) != 0) {
		say_msg(msg, len, "cannot clear %s: %s", path, strerror(errno));
		rc = -1;
	} else
		rc = 1;
	lock_release(lock);
	return rc;
}
