/*
 * Where lesson files and named schedules live, and how data files are
 * opened.
 *
 * Lessons (and schedules) come from up to three folders, searched in
 * order; a later folder's lesson replaces an earlier one's with the same
 * id:
 *  1. built-in: the source tree when the binary runs from a built
 *     checkout, else $(pkgdatadir);
 *  2. $INTERLEAVE_DATADIR/lessons (and its schedules/);
 *  3. the user's: $XDG_DATA_HOME/interleave/lessons, by default
 *     ~/.local/share/interleave/lessons (and .../interleave/schedules).
 * A folder that does not exist is simply skipped.
 */
#ifndef IL_PATHS_H
#define IL_PATHS_H

#include <stddef.h>
#include <stdio.h>

enum paths_origin {
	PATHS_BUILTIN,
	PATHS_DATADIR,
	PATHS_USER,
	PATHS_ARGUMENT, /* a lesson named by its path on the command line */
};

struct paths_folder {
	const char *dir;
	enum paths_origin origin;
};

/* The lesson folders in search order; *n is set to how many. */
const struct paths_folder *paths_lesson_folders(size_t *n);

/* The schedule folders in search order, NULL-terminated. */
const char *const *paths_schedule_dirs(void);

/* The user's schedule folder ($XDG_DATA_HOME/interleave/schedules, by
 * default ~/.local/share/interleave/schedules), the last of
 * paths_schedule_dirs(), into buf; 0, or -1 if there is none (no HOME and
 * no absolute XDG_DATA_HOME). It may not exist yet. */
int paths_user_schedules(char *buf, size_t len);

/* The user's state folder, $XDG_STATE_HOME/interleave (XDG_STATE_HOME
 * defaults to ~/.local/state when unset or not absolute), into buf; 0, or
 * -1 if there is none (no HOME and no absolute XDG_STATE_HOME). It may not
 * exist yet. */
int paths_user_state(char *buf, size_t len);

/* The progress file, progress in paths_user_state(); 0 or -1 likewise. */
int paths_progress_file(char *buf, size_t len);

/* The old name of paths_schedule_dirs(), which headless.c still uses. */
const char *const *paths_schedules_dir(void);

/* What --list prints for an origin: "built-in", "INTERLEAVE_DATADIR",
 * "user" or "argument". */
const char *paths_origin_name(enum paths_origin);

/* One lesson file found in the folders. */
struct paths_lesson {
	char *id;   /* the file name without ".md" */
	char *path; /* as found, not sanitized */
	enum paths_origin origin;
};

/* Every ID.md in the lesson folders, one per id (the last folder's wins),
 * sorted by id, into a new array *out of *n. Returns 0, or -1 if a folder
 * that exists could not be read, with "DIR: reason" in err (the other
 * folders are listed all the same). */
int paths_list_lessons(
    struct paths_lesson **out, size_t *n, char *err, size_t errlen);
void paths_free_lessons(struct paths_lesson *, size_t n);

/* Find lesson id (a plain name, no '/') in the folders: the last folder
 * with an entry ID.md wins, whatever kind of file it is. 0 with its path,
 * or -1 if no folder has one. */
int paths_find_lesson(
    const char *id, char *path, size_t len, enum paths_origin *origin);

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
