/* Chrome trace-event JSON from a model's trace log: see trace_json.h. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "glyphs.h"
#include "names.h"
#include "trace_json.h"
#include "util.h"

/* The length of the UTF-8 sequence at s (1 to 4), or 0 if it is not
 * one: a stray continuation byte, a sequence cut short, an overlong
 * form, a surrogate or a code point past U+10FFFF. */
static int
trace_utf8_len(const unsigned char *s)
{
	uint32_t c;
	int n, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, c = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, c = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, c = s[0] & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
	    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return 0;
	return n;
}

void
trace_json_string(FILE *f, const char *str)
{
	const unsigned char *s = (const unsigned char *)(str ? str : "");
	int n;

	fputc('"', f);
	while (*s != '\0') {
		if (*s == '"' || *s == '\\') {
			fprintf(f, "\\%c", *s++);
		} else if (*s < 0x20 || *s == 0x7f) {
			fprintf(f, "\\u%04x", *s++);
		} else if ((n = trace_utf8_len(s)) == 0) {
			fputs("\\ufffd", f);
			s++;
		} else {
			fwrite(s, 1, (size_t)n, f);
			s += n;
		}
	}
	fputc('"', f);
}

/* Model time t as trace microseconds. */
static void
trace_ts(FILE *f, const struct model *m, uint64_t t)
{
	if (m->clock == MODEL_CLOCK_STEPS)
		fprintf(f, "%" PRIu64, t * TRACE_STEP_US);
	else
		fprintf(f, "%" PRIu64 ".%03u", t / 1000, (unsigned)(t % 1000));
}

/* Start the next event: a comma after the last one, and a new line. */
static FILE *
trace_next(struct trace_json *tj)
{
	fputs(tj->events++ ? ",\n" : "\n", tj->f);
	return tj->f;
}

/* The common head of an event on lane (-1: the process itself):
 * {"name":...,"ph":...,"pid":...,"tid":... */
static void
trace_head(struct trace_json *tj, const char *name, const char *cat,
    const char *ph, int lane)
{
	FILE *f = trace_next(tj);

	fputs("{\"name\":", f);
	trace_json_string(f, name);
	if (cat != NULL)
		fprintf(f, ",\"cat\":\"%s\"", cat);
	fprintf(f, ",\"ph\":\"%s\",\"pid\":%d,\"tid\":%d", ph, tj->runs,
	    lane < 0 ? 0 : lane + 1);
}

/* Process and thread names, and their order. */
static void
trace_names(
    struct trace_json *tj, const struct trace_run *r, const struct model *m)
{
	char name[128];
	int t;

	trace_head(tj, "process_name", NULL, "M", -1);
	fputs(",\"args\":{\"name\":", tj->f);
	trace_json_string(tj->f, r->title);
	fputs("}}", tj->f);
	trace_head(tj, "process_sort_index", NULL, "M", -1);
	fprintf(tj->f, ",\"args\":{\"sort_index\":%d}}", tj->runs);
	/* as the lanes' labels have it ("1 A", "2 B pid 4242"), with the
	 * texts' name when it is another ("1 A (T1)") */
	for (t = 0; t < m->nthreads; t++) {
		int n = snprintf(
		    name, sizeof name, "%d %c", t + 1, thread_letter(t));

		if (r->pids != NULL && r->pids[t] > 0)
			n += snprintf(name + n, sizeof name - (size_t)n,
			    " pid %d", r->pids[t]);
		if (m->naming != NAMING_LETTERS)
			snprintf(name + n, sizeof name - (size_t)n, " (%s)",
			    thread_name_as(m->naming, t));
		trace_head(tj, "thread_name", NULL, "M", t);
		fputs(",\"args\":{\"name\":", tj->f);
		trace_json_string(tj->f, name);
		fputs("}}", tj->f);
		trace_head(tj, "thread_sort_index", NULL, "M", t);
		fprintf(tj->f, ",\"args\":{\"sort_index\":%d}}", t);
	}
}

/* One lane's state [t0, t1), if it is one a trace shows. */
static void
trace_slice(struct trace_json *tj, const struct trace_run *r,
    const struct model *m, int lane, enum thread_state s, int lock, uint64_t t0,
    uint64_t t1)
{
	const char *words = glyphs_state_words(s);
	char name[96];

	if (s == TS_NONE || s == TS_DONE || t1 <= t0)
		return;
	if (s == TS_READY)
		words = m->clock == MODEL_CLOCK_STEPS ? "waiting for its turn"
		    : r->ready != NULL                ? r->ready
		                                      : "waiting for a CPU";
	if (s == TS_LOCK_WAIT && lock >= 0)
		snprintf(name, sizeof name, "waiting for lock %s",
		    m->locks[lock].name);
	else
		snprintf(name, sizeof name, "%s", words);
	trace_head(tj, name, "state", "X", lane);
	fputs(",\"ts\":", tj->f);
	trace_ts(tj->f, m, t0);
	fputs(",\"dur\":", tj->f);
	trace_ts(tj->f, m, t1 - t0);
	fprintf(tj->f, ",\"args\":{\"state\":\"%s\"", thread_state_name(s));
	if (s == TS_LOCK_WAIT && lock >= 0) {
		fputs(",\"lock\":", tj->f);
		trace_json_string(tj->f, m->locks[lock].name);
	}
	fputs("}}", tj->f);
}

/* Where each lane is: the state it is in, since when, for what lock;
 * and the slice before it, held back until it is known not to go on
 * (a step's RUNNING, READY, RUNNING at one time is one slice). */
struct trace_lane {
	enum thread_state s, held_s;
	int lock, held_lock;
	uint64_t since, held_t0, held_t1;
};

/* Lane t's state s (lock) ended at time t1: write the slice held back,
 * unless this one goes on from it. */
static void
trace_lane_end(struct trace_json *tj, const struct trace_run *r,
    const struct model *m, int t, struct trace_lane *l, uint64_t t1)
{
	if (t1 <= l->since)
		return; /* nothing, at once replaced */
	if (l->s == l->held_s && l->lock == l->held_lock &&
	    l->since == l->held_t1) {
		l->held_t1 = t1;
		return;
	}
	trace_slice(
	    tj, r, m, t, l->held_s, l->held_lock, l->held_t0, l->held_t1);
	l->held_s = l->s;
	l->held_lock = l->lock;
	l->held_t0 = l->since;
	l->held_t1 = t1;
}

/* The state slices of every lane, from the log's state changes, as the
 * model itself takes them (model_apply). */
static void
trace_states(
    struct trace_json *tj, const struct trace_run *r, const struct model *m)
{
	const struct tracelog *lg = m->log;
	struct trace_lane *ln = xcalloc((size_t)m->nthreads, sizeof *ln);
	uint64_t end;
	size_t i;
	int t;

	for (t = 0; t < m->nthreads; t++)
		ln[t].lock = ln[t].held_lock = -1;
	for (i = 0; i < lg->n; i++) {
		const struct event *ev = &lg->recs[i].ev;
		struct trace_lane *l = &ln[ev->thread];
		enum thread_state s;
		int lock = -1;

		if (ev->kind == EV_THREAD_START)
			s = l->s == TS_NONE ? TS_READY : l->s;
		else if (ev->kind == EV_THREAD_END)
			s = TS_DONE;
		else if (ev->kind == EV_STATE)
			s = (enum thread_state)ev->a;
		else
			continue;
		if (s == TS_LOCK_WAIT && ev->b >= 0 && ev->b < m->nlocks)
			lock = (int)ev->b;
		if (s == l->s && lock == l->lock)
			continue;
		trace_lane_end(tj, r, m, ev->thread, l, lg->recs[i].t);
		l->s = s;
		l->lock = lock;
		l->since = lg->recs[i].t;
	}
	/* a stepped run's last states hold from its last step on: give them
	 * one step, so that a deadlock's waits are seen */
	end = m->now + (m->clock == MODEL_CLOCK_STEPS ? 1 : 0);
	for (t = 0; t < m->nthreads; t++) {
		struct trace_lane *l = &ln[t];

		trace_lane_end(tj, r, m, t, l, end > l->since ? end : l->since);
		trace_slice(tj, r, m, t, l->held_s, l->held_lock, l->held_t0,
		    l->held_t1);
	}
	free(ln);
}

/* A sampled free run: each sampled lane's kernel view (running, waiting
 * for a CPU, blocked) as a second track, "1 A kernel", after the lanes.
 * It comes from the lane's OS timeline, whose older history is kept
 * only as summary bins: the track starts where the exact spans do. */
static void
trace_kernel(
    struct trace_json *tj, const struct trace_run *r, const struct model *m)
{
	char name[96];
	int t, n = m->nthreads;

	for (t = 0; t < n; t++) {
		const struct timeline *tl = &m->threads[t].os_tl;
		uint64_t t0, t1;
		enum thread_state st;
		size_t i;

		if (m->threads[t].os_samples == 0)
			continue;
		snprintf(
		    name, sizeof name, "%d %c kernel", t + 1, thread_letter(t));
		trace_head(tj, "thread_name", NULL, "M", n + t);
		fputs(",\"args\":{\"name\":", tj->f);
		trace_json_string(tj->f, name);
		fputs("}}", tj->f);
		trace_head(tj, "thread_sort_index", NULL, "M", n + t);
		fprintf(tj->f, ",\"args\":{\"sort_index\":%d}}", n + t);
		for (i = 0; i < tl->n; i++) {
			timeline_span(tl, i, &t0, &t1, &st);
			trace_slice(tj, r, m, n + t, st, -1, t0, t1);
		}
		trace_slice(tj, r, m, n + t, (enum thread_state)tl->cur, -1,
		    tl->cur_start, m->now);
	}
}

/* A lock operation: a zero-length slice on its lane at time t. */
static void
trace_lock_op(struct trace_json *tj, const struct model *m, int lane,
    const char *what, int lock, uint64_t t)
{
	char name[64];

	snprintf(name, sizeof name, "%s %s", what, m->locks[lock].name);
	trace_head(tj, name, "lock", "X", lane);
	fputs(",\"ts\":", tj->f);
	trace_ts(tj->f, m, t);
	fputs(",\"dur\":0,\"args\":{\"lock\":", tj->f);
	trace_json_string(tj->f, m->locks[lock].name);
	fputs("}}", tj->f);
}

/* One end of a flow ("s" or "f") on lane at time t. */
static void
trace_flow(struct trace_json *tj, const struct model *m, int lane,
    const char *ph, int lock, int64_t id, uint64_t t)
{
	char name[64];

	snprintf(name, sizeof name, "lock %s", m->locks[lock].name);
	trace_head(tj, name, "lock", ph, lane);
	fprintf(tj->f, ",\"id\":%" PRId64 ",\"bp\":\"e\",\"ts\":", id);
	trace_ts(tj->f, m, t);
	fputc('}', tj->f);
}

/* Each lock's last release: by whom, when (lane -1: none pending). */
struct trace_release {
	int lane;
	uint64_t t;
};

/* Acquisitions and releases, and a flow from each release to the next
 * acquisition of that lock by another lane. */
static void
trace_locks(struct trace_json *tj, const struct model *m)
{
	struct trace_release rel[MODEL_MAX_LOCKS];
	const struct tracelog *lg = m->log;
	size_t i;
	int l;

	for (l = 0; l < MODEL_MAX_LOCKS; l++)
		rel[l].lane = -1;
	for (i = 0; i < lg->n; i++) {
		const struct event *ev = &lg->recs[i].ev;
		uint64_t t = lg->recs[i].t;

		if ((ev->kind != EV_LOCK_ACQ && ev->kind != EV_LOCK_REL) ||
		    ev->a < 0 || ev->a >= m->nlocks)
			continue;
		l = (int)ev->a;
		if (ev->kind == EV_LOCK_REL) {
			trace_lock_op(tj, m, ev->thread, "release", l, t);
			rel[l].lane = ev->thread;
			rel[l].t = t;
			continue;
		}
		trace_lock_op(tj, m, ev->thread, "acquire", l, t);
		if (rel[l].lane >= 0 && rel[l].lane != ev->thread) {
			tj->flow_id++;
			trace_flow(
			    tj, m, rel[l].lane, "s", l, tj->flow_id, rel[l].t);
			trace_flow(tj, m, ev->thread, "f", l, tj->flow_id, t);
		}
		rel[l].lane = -1;
	}
}

/* An instant event on lane at time t, its args still open. */
static void
trace_instant(struct trace_json *tj, const struct model *m, const char *name,
    const char *cat, int lane, uint64_t t)
{
	trace_head(tj, name, cat, "i", lane);
	fputs(",\"s\":\"t\",\"ts\":", tj->f);
	trace_ts(tj->f, m, t);
	fputs(",\"args\":{", tj->f);
}

/* Every overwriting store as an instant event. */
static void
trace_lost(struct trace_json *tj, const struct model *m)
{
	const struct tracelog *lg = m->log;
	size_t i;

	for (i = 0; i < lg->n; i++) {
		const struct event *ev = &lg->recs[i].ev;
		int var;

		if (ev->kind == EV_STORE)
			var = (int)EV_STORE_VAR(ev->a);
		else if (ev->kind == EV_MARK)
			var = ev->line;
		else
			continue;
		if (var < 0 || var >= m->nvars)
			continue;
		trace_instant(tj, m, "lost update", "lost-update", ev->thread,
		    lg->recs[i].t);
		fputs("\"var\":", tj->f);
		trace_json_string(tj->f, m->vars[var].name);
		if (ev->kind == EV_STORE)
			fprintf(tj->f, ",\"value\":%" PRId64 "}}", ev->b);
		else
			fprintf(tj->f, ",\"stores\":%" PRId64 "}}", ev->b);
	}
}

/* The deadlock's cycle, on its first (lowest-numbered) lane, at the
 * time it closed. */
static void
trace_deadlock(struct trace_json *tj, const struct model *m)
{
	const struct model_cycle *c = &m->deadlock;
	char text[512];
	int i;

	if (c->n == 0)
		return;
	model_cycle_long(m, c, "->", text, sizeof text);
	trace_instant(tj, m, "deadlock", "deadlock", c->threads[0], c->at);
	fputs("\"cycle\":", tj->f);
	trace_json_string(tj->f, text);
	fputs(",\"threads\":[", tj->f);
	for (i = 0; i < c->n; i++) {
		fputs(i ? "," : "", tj->f);
		trace_json_string(
		    tj->f, thread_name_as(m->naming, c->threads[i]));
	}
	fputs("],\"locks\":[", tj->f);
	for (i = 0; i < c->n; i++) {
		fputs(i ? "," : "", tj->f);
		trace_json_string(tj->f, m->locks[c->locks[i]].name);
	}
	fputs("]}}", tj->f);
}

void
trace_json_begin(struct trace_json *tj, FILE *f)
{
	memset(tj, 0, sizeof *tj);
	tj->f = f;
	fputs("{\"displayTimeUnit\":\"ms\",\"traceEvents\":[", f);
}

void
trace_json_run(
    struct trace_json *tj, const struct trace_run *r, const struct model *m)
{
	static struct tracelog empty; /* never written */
	struct model view = *m;

	if (view.log == NULL)
		view.log = &empty;
	if (tj->runs < TRACE_MAX_RUNS)
		tj->stepped[tj->runs] = m->clock == MODEL_CLOCK_STEPS;
	tj->runs++;
	tj->dropped += view.log->dropped;
	trace_names(tj, r, &view);
	trace_states(tj, r, &view);
	trace_kernel(tj, r, &view);
	trace_locks(tj, &view);
	trace_lost(tj, &view);
	trace_deadlock(tj, &view);
}

void
trace_json_end(struct trace_json *tj, const char *version)
{
	FILE *f = tj->f;
	int i;

	fputs("\n],\"otherData\":{\"generator\":", f);
	trace_json_string(f, version);
	fprintf(f,
	    ",\"step_us\":%d,\"clock\":\"a stepped run counts steps, "
	    "one step = %d us; a free run is in real time\",\"runs\":[",
	    TRACE_STEP_US, TRACE_STEP_US);
	for (i = 0; i < tj->runs && i < TRACE_MAX_RUNS; i++)
		fprintf(f, "%s{\"pid\":%d,\"clock\":\"%s\"}", i ? "," : "",
		    i + 1, tj->stepped[i] ? "steps" : "ns");
	fprintf(f, "],\"dropped\":%" PRIu64 "}}\n", tj->dropped);
}
