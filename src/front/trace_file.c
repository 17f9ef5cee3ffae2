/* --trace FILE, written atomically: see trace_file.h. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "module.h"
#include "trace_file.h"
#include "util.h"

/* The temporary file a signal removes (trace_file_unlink_on_signal), or
 * NULL. Set and cleared by the main thread; read by the handler. */
static const char *volatile trace_signal_tmp;

struct trace_file *
trace_file_open(const char *path, char *err, size_t len)
{
	struct trace_file *tf;
	size_t n = strlen(path);
	mode_t mask;
	int fd;

	if (n == 0) {
		snprintf(err, len, "--trace needs a file name");
		return NULL;
	}
	tf = xcalloc(1, sizeof *tf);
	tf->path = xstrdup(path);
	tf->tmp = xcalloc(1, n + 8);
	snprintf(tf->tmp, n + 8, "%s.XXXXXX", path);
	if ((fd = mkstemp(tf->tmp)) < 0 || (tf->f = fdopen(fd, "w")) == NULL) {
		snprintf(err, len, "cannot write the trace file %s: %s", path,
		    strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(tf->tmp);
		}
		free(tf->tmp);
		free(tf->path);
		free(tf);
		return NULL;
	}
	/* mkstemp makes it 0600; a trace is an ordinary file */
	mask = umask(0);
	umask(mask);
	(void)fchmod(fd, 0666 & ~mask);
	trace_json_begin(&tf->tj, tf->f);
	return tf;
}

void
trace_file_add(struct trace_file *tf, const struct lesson *l,
    const struct run *r, const char *what)
{
	struct lane_words w;
	struct trace_run tr;
	char title[256];
	int *pids;

	if (tf == NULL || r == NULL || r->m == NULL)
		return;
	module_lane_words(l->module, r->cfg.params, &w);
	pids = xcalloc((size_t)r->nthreads, sizeof *pids);
	snprintf(title, sizeof title, "%s (%s)", l->id, what);
	tr.title = title;
	tr.lane = w.lane;
	tr.ready = w.ready;
	tr.pids = run_lane_pids(r, pids) ? pids : NULL;
	trace_json_run(&tf->tj, &tr, r->m);
	if (ferror(tf->f))
		tf->failed = 1;
	free(pids);
}

/* Free tf, removing the temporary file if it is still there. */
static void
trace_file_free(struct trace_file *tf, int unlink_tmp)
{
	if (trace_signal_tmp == tf->tmp)
		trace_signal_tmp = NULL;
	if (unlink_tmp)
		unlink(tf->tmp);
	free(tf->tmp);
	free(tf->path);
	free(tf);
}

/* Remove the temporary file, then die of sig: only async-signal-safe
 * calls. */
static void
trace_file_on_signal(int sig)
{
	const char *tmp = trace_signal_tmp;

	if (tmp != NULL)
		unlink(tmp);
	signal(sig, SIG_DFL);
	raise(sig);
}

void
trace_file_unlink_on_signal(struct trace_file *tf)
{
	static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
	struct sigaction sa;
	size_t i;

	trace_signal_tmp = tf->tmp;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = trace_file_on_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaction(sigs[i], &sa, NULL);
}

int
trace_file_commit(struct trace_file *tf, char *err, size_t len)
{
	int rc = 0, saved;

	trace_json_end(&tf->tj, PACKAGE_STRING);
	if (fflush(tf->f) != 0 || ferror(tf->f) || tf->failed ||
	    fsync(fileno(tf->f)) != 0)
		rc = -1;
	saved = errno;
	if (fclose(tf->f) != 0 && rc == 0) {
		rc = -1;
		saved = errno;
	}
	if (rc == 0 && rename(tf->tmp, tf->path) != 0) {
		rc = -1;
		saved = errno;
	}
	if (rc != 0)
		snprintf(err, len, "cannot write the trace file %s: %s",
		    tf->path, strerror(saved ? saved : EIO));
	trace_file_free(tf, rc != 0);
	return rc;
}

void
trace_file_discard(struct trace_file *tf)
{
	if (tf == NULL)
		return;
	fclose(tf->f);
	trace_file_free(tf, 1);
}
