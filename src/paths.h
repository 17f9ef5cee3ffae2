/* Where lesson files and data live: INTERLEAVE_DATADIR if set, the source
 * tree when the binary runs from a built checkout, else $(pkgdatadir); and
 * how data files are opened. */
#ifndef IL_PATHS_H
#define IL_PATHS_H

#include <stddef.h>
#include <stdio.h>

/* Directory holding the lesson files (*.md). */
const char *paths_lessons_dir(void);
/* Directory holding the named schedules. */
const char *paths_schedules_dir(void);

enum paths_open_error {
	PATHS_OPEN_OK = 0,
	PATHS_OPEN_MISSING = 1,  /* no such file: a usage error */
	PATHS_OPEN_UNUSABLE = 2, /* exists but cannot be read as a file */
};

/* Open a data file for reading without waiting on a FIFO or a device:
 * it is opened with O_NONBLOCK, checked with fstat, and refused unless it
 * is a regular file; then it is read normally. On error why holds the
 * reason ("not a regular file (a FIFO)", "Permission denied"). */
enum paths_open_error paths_open_data(
    const char *path, FILE **out, char *why, size_t whylen);

#endif
