/*
 * Recordings of a lesson session: writing, reading and checking them,
 * and doing one event to a session (see recording.h).
 */
#include "config.h"

#include "recording.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sanitize.h"
#include "session.h"
#include "util.h"

static const char *const kind_words[] = {
    [REC_START] = "start",
    [REC_STEP] = "step",
    [REC_AUTO] = "auto",
    [REC_UNDO] = "undo",
    [REC_REDO] = "redo",
};

void
recording_init(struct recording *rec, const char *lesson_id)
{
	memset(rec, 0, sizeof *rec);
	snprintf(rec->lesson, sizeof rec->lesson, "%s", lesson_id);
}

void
recording_free(struct recording *rec)
{
	free(rec->ev);
	free(rec->path);
	memset(rec, 0, sizeof *rec);
}

struct rec_event *
recording_push(struct recording *rec)
{
	struct rec_event *e;

	if (rec->n == rec->cap) {
		rec->cap = rec->cap > 0 ? 2 * rec->cap : 64;
		rec->ev = xrealloc(rec->ev, rec->cap * sizeof *rec->ev);
	}
	e = &rec->ev[rec->n++];
	memset(e, 0, sizeof *e);
	return e;
}

void
recording_add(struct recording *rec, enum rec_kind k, const struct session *s)
{
	struct rec_event *e = recording_push(rec);

	e->kind = k;
	if (k == REC_START) {
		e->seed = s->seed;
		e->free_run = s->free_run;
		memcpy(e->params, s->params, sizeof e->params);
	} else if ((k == REC_STEP || k == REC_AUTO) && s->nhist > 0) {
		e->thread = s->hist[s->nhist - 1].thread;
	}
}

/* Write the recording's lines to f. */
static void
recording_write(FILE *f, const struct recording *rec, const struct lesson *l)
{
	const struct lesson_module *m = l->module;
	size_t i, k;

	fprintf(f, "interleave-recording %d\nlesson %s\n", RECORDING_VERSION,
	    rec->lesson);
	for (i = 0; i < rec->n; i++) {
		const struct rec_event *e = &rec->ev[i];

		fputs(kind_words[e->kind], f);
		if (e->kind == REC_START) {
			fprintf(f, " seed=%" PRIu64 " free=%d", e->seed,
			    e->free_run);
			for (k = 0; k < m->nparams; k++)
				fprintf(f, " %s=%ld", m->params[k].name,
				    e->params[k]);
		} else if (e->kind == REC_STEP || e->kind == REC_AUTO) {
			fprintf(f, " %d", e->thread + 1);
		}
		fputc('\n', f);
	}
	fprintf(f, "end %zu\n", rec->n);
}

int
recording_save(const struct recording *rec, const struct lesson *l,
    const char *path, char *err, size_t errlen)
{
	size_t len = strlen(path);
	char *tmp = xmalloc(len + 16);
	FILE *f;
	int fd, bad;

	snprintf(tmp, len + 16, "%s.tmpXXXXXX", path);
	if ((fd = mkstemp(tmp)) < 0 || (f = fdopen(fd, "w")) == NULL) {
		snprintf(err, errlen, "cannot write the recording %s: %s", path,
		    strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(tmp);
		}
		free(tmp);
		return -1;
	}
	recording_write(f, rec, l);
	bad = fflush(f) != 0 || ferror(f) || fsync(fd) != 0;
	if (fclose(f) != 0 || bad || rename(tmp, path) != 0) {
		snprintf(err, errlen, "cannot write the recording %s: %s", path,
		    strerror(errno));
		unlink(tmp);
		free(tmp);
		return -1;
	}
	free(tmp);
	return 0;
}

/* ---- reading ---- */

struct reader {
	const char *path; /* sanitized */
	int line;
	char *err;
	size_t errlen;
};

static int reader_error(struct reader *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Say what is wrong at the reader's line: -1. */
static int
reader_error(struct reader *r, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(r->err, r->errlen, "%s:%d: ", r->path, r->line);

	if (n >= 0 && (size_t)n < r->errlen) {
		va_start(ap, fmt);
		vsnprintf(r->err + n, r->errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* A whole non-negative decimal number: 0, or -1. */
static int
parse_number(const char *s, uint64_t *out)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	*out = strtoull(s, &end, 10);
	return *end != '\0' || errno == ERANGE ? -1 : 0;
}

/* "start seed=N free=0|1 name=value...": its words after "start". */
static int
read_start(struct reader *r, struct rec_event *e, char *words)
{
	char *w, *save = NULL, *eq;
	uint64_t v;
	int seen_seed = 0;

	for (w = strtok_r(words, " ", &save); w != NULL;
	     w = strtok_r(NULL, " ", &save)) {
		if ((eq = strchr(w, '=')) == NULL)
			return reader_error(r,
			    "expected 'name=value' in the start line, not "
			    "'%.40s'",
			    w);
		*eq++ = '\0';
		if (strcmp(w, "seed") == 0) {
			if (parse_number(eq, &e->seed) != 0)
				return reader_error(r, "bad seed '%.40s'", eq);
			seen_seed = 1;
		} else if (strcmp(w, "free") == 0) {
			if (strcmp(eq, "0") != 0 && strcmp(eq, "1") != 0)
				return reader_error(
				    r, "'free' is 0 or 1, not '%.40s'", eq);
			e->free_run = eq[0] == '1';
		} else {
			if (e->np == MODULE_MAX_PARAMS ||
			    strlen(w) >= RECORDING_NAME_MAX)
				return reader_error(
				    r, "too many or too long parameters");
			if (parse_number(eq, &v) != 0 || v > LONG_MAX)
				return reader_error(r,
				    "parameter '%.40s' has a bad value '%.40s'",
				    w, eq);
			snprintf(e->pname[e->np], RECORDING_NAME_MAX, "%s", w);
			e->pval[e->np++] = (long)v;
		}
	}
	if (!seen_seed)
		return reader_error(r, "the start line has no 'seed='");
	return 0;
}

/* One event line (without its newline); *end set by "end N". */
static int
read_event(struct reader *r, struct recording *rec, char *s, int *ended)
{
	char *sp = strchr(s, ' ');
	const char *arg = sp != NULL ? sp + 1 : "";
	struct rec_event *e;
	uint64_t v;
	size_t k;

	if (sp != NULL)
		*sp = '\0';
	if (strcmp(s, "end") == 0) {
		if (rec->n == 0)
			return reader_error(r,
			    "the recording has no 'start' "
			    "before its end");
		if (parse_number(arg, &v) != 0 || v != rec->n)
			return reader_error(r,
			    "'end' should count the %zu events before it, "
			    "not '%.40s'",
			    rec->n, arg);
		*ended = 1;
		return 0;
	}
	for (k = 0; k < IL_ARRAY_LEN(kind_words); k++)
		if (strcmp(s, kind_words[k]) == 0)
			break;
	if (k == IL_ARRAY_LEN(kind_words))
		return reader_error(r,
		    "unknown event '%.40s' (start, step, auto, undo, redo "
		    "or end)",
		    s);
	if (k != REC_START && rec->n == 0)
		return reader_error(r, "the first event must be 'start'");
	e = recording_push(rec);
	e->kind = (enum rec_kind)k;
	e->line = r->line;
	if (k == REC_START)
		return read_start(r, e, (char *)arg);
	if (k == REC_STEP || k == REC_AUTO) {
		if (parse_number(arg, &v) != 0 || v < 1 ||
		    v > CONDUCTOR_MAX_THREADS)
			return reader_error(r,
			    "bad step '%.40s': expected a thread number from "
			    "1",
			    arg);
		e->thread = (int)v - 1;
	} else if (*arg != '\0') {
		return reader_error(r, "'%s' takes nothing after it", s);
	}
	return 0;
}

int
recording_load(
    const char *path, struct recording *rec, char *err, size_t errlen)
{
	struct reader r;
	char buf[1024], *nl;
	int ended = 0, rc = -1, version;
	FILE *f;

	memset(rec, 0, sizeof *rec);
	rec->path = sanitize_text(path, strlen(path), 0);
	r.path = rec->path;
	r.line = 0;
	r.err = err;
	r.errlen = errlen;
	if ((f = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "cannot read the recording %s: %s",
		    rec->path, strerror(errno));
		return -1;
	}
	while (fgets(buf, sizeof buf, f) != NULL) {
		r.line++;
		if ((nl = strchr(buf, '\n')) == NULL && !feof(f)) {
			reader_error(&r, "line too long");
			goto out;
		}
		if (nl != NULL)
			*nl = '\0';
		if (ended) {
			reader_error(&r, "text after the 'end' line");
			goto out;
		}
		if (r.line == 1) {
			if (sscanf(buf, "interleave-recording %d", &version) !=
			    1) {
				reader_error(&r,
				    "not a recording: it does not start with "
				    "'interleave-recording %d'",
				    RECORDING_VERSION);
				goto out;
			}
			if (version != RECORDING_VERSION) {
				reader_error(&r,
				    "recording version %d; this program reads "
				    "version %d",
				    version, RECORDING_VERSION);
				goto out;
			}
		} else if (r.line == 2) {
			if (strncmp(buf, "lesson ", 7) != 0 || buf[7] == '\0' ||
			    strlen(buf + 7) >= sizeof rec->lesson) {
				reader_error(&r, "expected 'lesson ID'");
				goto out;
			}
			snprintf(
			    rec->lesson, sizeof rec->lesson, "%s", buf + 7);
		} else if (read_event(&r, rec, buf, &ended) != 0) {
			goto out;
		}
	}
	if (!ended) {
		r.line++;
		reader_error(&r,
		    r.line <= 2 ? "not a recording: it is empty or cut short"
		                : "the recording is cut short: no 'end' line");
		goto out;
	}
	rc = 0;
out:
	fclose(f);
	return rc;
}

int
recording_bind(
    struct recording *rec, const struct lesson *l, char *err, size_t errlen)
{
	const struct lesson_module *m = l->module;
	struct reader r = {
	    rec->path != NULL ? rec->path : "recording", 2, err, errlen};
	int nthreads = 1;
	size_t i, j, k;

	if (strcmp(rec->lesson, l->id) != 0)
		return reader_error(&r, "a recording of '%.60s', not of '%s'",
		    rec->lesson, l->id);
	for (i = 0; i < rec->n; i++) {
		struct rec_event *e = &rec->ev[i];

		r.line = e->line;
		if (e->kind == REC_START) {
			memcpy(e->params, l->params, sizeof e->params);
			for (j = 0; j < e->np; j++) {
				for (k = 0; k < m->nparams; k++)
					if (strcmp(m->params[k].name,
					        e->pname[j]) == 0)
						break;
				if (k == m->nparams)
					return reader_error(&r,
					    "lesson %s has no parameter "
					    "'%.40s'",
					    l->id, e->pname[j]);
				if (e->pval[j] < m->params[k].min ||
				    e->pval[j] > m->params[k].max)
					return reader_error(&r,
					    "%s=%ld is out of range (%ld to "
					    "%ld)",
					    e->pname[j], e->pval[j],
					    m->params[k].min, m->params[k].max);
				e->params[k] = e->pval[j];
			}
			nthreads =
			    m->threads != NULL ? m->threads(e->params) : 1;
		} else if ((e->kind == REC_STEP || e->kind == REC_AUTO) &&
		    e->thread >= nthreads) {
			return reader_error(&r,
			    "bad step: thread %d, but the run has %d threads",
			    e->thread + 1, nthreads);
		}
	}
	return 0;
}

int
recording_apply(
    struct session *s, const struct rec_event *e, char *msg, size_t msglen)
{
	switch (e->kind) {
	case REC_START:
		s->seed = e->seed;
		s->free_run = e->free_run;
		memcpy(s->params, e->params, sizeof s->params);
		return session_start(s, msg, msglen);
	case REC_STEP:
		return session_step(s, e->thread, msg, msglen);
	case REC_AUTO:
		if (session_auto_step(s, msg, msglen) != 0)
			return -1;
		if (s->hist[s->nhist - 1].thread != e->thread) {
			snprintf(msg, msglen,
			    "the random policy picked another thread than "
			    "the recording's %d",
			    e->thread + 1);
			return -1;
		}
		return 0;
	case REC_UNDO:
		return session_undo(s, msg, msglen);
	case REC_REDO:
		return session_redo(s, msg, msglen);
	}
	return -1;
}
