#include "config.h"

#include "sampler.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Parse an unsigned decimal at *p, skipping leading blanks; advances *p. */
static int
parse_u64(const char **p, uint64_t *out)
{
	const char *s = *p;
	uint64_t v = 0;

	while (*s == ' ' || *s == '\t')
		s++;
	if (*s < '0' || *s > '9')
		return -1;
	while (*s >= '0' && *s <= '9') {
		uint64_t d = (uint64_t)(*s - '0');

		if (v > (UINT64_MAX - d) / 10)
			return -1; /* overflow */
		v = v * 10 + d;
		s++;
	}
	*out = v;
	*p = s;
	return 0;
}

int
sampler_parse_schedstat(const char *text, struct schedstat *st)
{
	const char *p = text;

	if (parse_u64(&p, &st->run_ns) != 0 || *p != ' ' ||
	    parse_u64(&p, &st->wait_ns) != 0 || *p != ' ' ||
	    parse_u64(&p, &st->slices) != 0)
		return -1;
	while (*p == ' ' || *p == '\t')
		p++;
	return *p == '\0' || (*p == '\n' && p[1] == '\0') ? 0 : -1;
}

int
sampler_parse_stat(const char *text, char *state, int *cpu)
{
	const char *p = strrchr(text, ')');
	uint64_t v = 0;
	int field;

	/* "pid (comm) S ppid ...": the last ')' ends comm, field 3 follows */
	if (p == NULL || p[1] != ' ' || p[2] == '\0' || p[3] != ' ')
		return -1;
	if (strchr("RSDZTtWXxKPI", p[2]) == NULL)
		return -1;
	*state = p[2];
	p += 3;
	for (field = 4; field <= 39; field++) {
		if (*p != ' ')
			return -1;
		p++;
		if (*p == '-') /* a few fields may be negative */
			p++;
		if (parse_u64(&p, &v) != 0)
			return -1;
	}
	if (v > 4096)
		return -1;
	*cpu = (int)v;
	return 0;
}

/* Where proc is mounted: INTERLEAVE_PROC if set (to try the lessons
 * without kernel data), else /proc. */
static const char *
proc_root(void)
{
	const char *p = getenv("INTERLEAVE_PROC");

	return p != NULL && *p != '\0' ? p : "/proc";
}

int
sampler_open(struct sampled_thread *t, pid_t pid, pid_t tid)
{
	char path[PATH_MAX];

	memset(t, 0, sizeof *t);
	t->fd_schedstat = t->fd_stat = -1;
	if (pid == 0)
		pid = getpid();
	snprintf(path, sizeof path, "%s/%d/task/%d/schedstat", proc_root(),
	    (int)pid, (int)tid);
	if ((t->fd_schedstat = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	snprintf(path, sizeof path, "%s/%d/task/%d/stat", proc_root(), (int)pid,
	    (int)tid);
	if ((t->fd_stat = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		sampler_close(t);
		return -1;
	}
	return 0;
}

void
sampler_close(struct sampled_thread *t)
{
	if (t->fd_schedstat >= 0)
		close(t->fd_schedstat);
	if (t->fd_stat >= 0)
		close(t->fd_stat);
	t->fd_schedstat = t->fd_stat = -1;
}

static int
read_text(int fd, char *buf, size_t len)
{
	ssize_t n = pread(fd, buf, len - 1, 0);

	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return 0;
}

/* d as thousandths of total, rounded. */
static int
permille(uint64_t d, uint64_t total)
{
	if (total == 0)
		return 0;
	if (d >= total)
		return 1000;
	return (int)((d * 1000 + total / 2) / total);
}

int
sampler_read(struct sampled_thread *t, uint64_t now_ns, struct sample *out)
{
	char buf[1024];
	struct schedstat st;
	uint64_t dt, drun, dwait;
	char state = '?';
	int cpu = -1;

	if (t->fd_schedstat < 0 ||
	    read_text(t->fd_schedstat, buf, sizeof buf) != 0 ||
	    sampler_parse_schedstat(buf, &st) != 0)
		return -1;
	if (t->fd_stat >= 0 && read_text(t->fd_stat, buf, sizeof buf) == 0)
		(void)sampler_parse_stat(buf, &state, &cpu);
	if (!t->primed || now_ns <= t->prev_ns) {
		t->prev = st;
		t->prev_ns = now_ns;
		t->primed = 1;
		return 0;
	}
	dt = now_ns - t->prev_ns;
	drun = st.run_ns >= t->prev.run_ns ? st.run_ns - t->prev.run_ns : 0;
	dwait =
	    st.wait_ns >= t->prev.wait_ns ? st.wait_ns - t->prev.wait_ns : 0;
	memset(out, 0, sizeof *out);
	out->interval_ns = dt;
	out->run_pm = permille(drun, dt);
	out->wait_pm = permille(dwait, dt);
	if (out->run_pm + out->wait_pm > 1000)
		out->wait_pm = 1000 - out->run_pm; /* clock skew between them */
	out->blocked_pm = 1000 - out->run_pm - out->wait_pm;
	out->state = state;
	out->cpu = cpu;
	out->slices = st.slices -
	    (st.slices >= t->prev.slices ? t->prev.slices : st.slices);
	t->prev = st;
	t->prev_ns = now_ns;
	return 1;
}

int
sampler_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? (int)n : 1;
}
