/*
 * --trace FILE: the trace file a session writes, run by run, into a
 * temporary file beside FILE (FILE.XXXXXX in the same folder), renamed
 * over FILE only when it is complete, so FILE is never seen half
 * written. A run is added once it is over (headless: every run,
 * including each of a measured plan's; the screen: the run on screen
 * when the lesson is left).
 */
#ifndef IL_TRACE_FILE_H
#define IL_TRACE_FILE_H

#include <stddef.h>

#include "lesson.h"
#include "run.h"
#include "trace_json.h"

struct trace_file {
	char *path; /* FILE */
	char *tmp;  /* the temporary file beside it */
	FILE *f;
	struct trace_json tj;
	int failed; /* a write failed: commit reports it */
};

/* Create the temporary file; NULL with a message in err if it cannot
 * be (the folder is missing or not writable). */
struct trace_file *trace_file_open(const char *path, char *err, size_t len);

/* Add run r (over, its workers joined) of lesson l as the next process,
 * titled with the lesson and what (the policy, a plan's mode, ...). */
void trace_file_add(struct trace_file *, const struct lesson *l,
    const struct run *r, const char *what);

/* Finish the file and rename it over FILE, then free tf. 0, or -1 with a
 * message in err (the temporary file is then removed). */
int trace_file_commit(struct trace_file *, char *err, size_t len);

/* Drop the file unwritten (an error or a signal ended the run); frees
 * tf. NULL is ignored. */
void trace_file_discard(struct trace_file *);

/* Until tf is committed or discarded, a SIGINT, SIGTERM or SIGHUP
 * removes its temporary file and then ends the program as the signal
 * would have (headless, where nothing else handles them). */
void trace_file_unlink_on_signal(struct trace_file *);

#endif
