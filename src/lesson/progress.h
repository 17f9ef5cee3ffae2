/*
 * The student's progress, by lesson: the furthest page seen, the
 * predictions answered, the challenges won and the hints used. It is kept
 * in memory and saved in a text file (paths_progress_file(), by default
 * ~/.local/state/interleave/progress):
 *
 *   interleave-progress 1
 *   page LESSON PAGE
 *   answer LESSON ID MATCHED WHEN ANSWER
 *   win LESSON ID STEPS HINTS WHEN
 *   hint LESSON ID COUNT
 *
 * one record a line, fields split by one space. Text fields are escaped:
 * every byte outside '!'..'~', and '\', is written \xHH, and an empty
 * text is written \e. WHEN is seconds since the epoch. A line of a kind
 * this version does not know (from a newer one) is kept as it is; the
 * version in the header changes only if old readers could not cope.
 *
 * Several instances may share the file: every load, save and reset holds
 * an flock on progress.lock beside it, and a save re-reads the file and
 * merges this instance's new records into it. The records only grow (a
 * win stays won, a page seen stays seen), so the merge is a union and
 * two instances saving at once lose nothing. The file is replaced
 * atomically (a temporary file in the same folder, fsync, rename).
 *
 * A file that cannot be used (bad header, a bad line, binary junk, not a
 * regular file, unreadable) is set aside as progress.corrupt-TIMESTAMP,
 * never deleted, and progress starts empty: it is never fatal.
 */
#ifndef IL_PROGRESS_H
#define IL_PROGRESS_H

#include <stddef.h>
#include <stdint.h>

/* The longest lesson, prediction, challenge or hint id, and answer, in
 * bytes. An id is 1 to PROGRESS_ID_MAX bytes with no NUL; anything else
 * is refused. */
#define PROGRESS_ID_MAX     64
#define PROGRESS_ANSWER_MAX 256

struct progress;

/* A challenge won: the best win recorded (fewest hints, then fewest
 * steps, then the earliest). */
struct progress_win {
	long steps;
	long hints;
	int64_t when;
};

enum progress_status {
	PROGRESS_OK = 0,        /* loaded, or there was no file yet */
	PROGRESS_SET_ASIDE = 1, /* the file was unusable and was moved */
	PROGRESS_FAILED = -1,   /* the folder or the lock could not be used */
};

/* Empty progress to be stored in path (copied). */
struct progress *progress_new(const char *path);
void progress_free(struct progress *);

/* Where p is stored. */
const char *progress_path(const struct progress *p);

/* Replace p's records with the file's. On PROGRESS_SET_ASIDE and
 * PROGRESS_FAILED, msg holds one sentence for the student (the paths
 * in it sanitized) and p is empty; the caller shows it. */
enum progress_status progress_load(struct progress *p, char *msg, size_t len);

/* Merge p's records made since the last load or save into the file, and
 * p's records become the merged ones. 0, or -1 with a sentence in msg
 * (the file is then as it was). A file found unusable is set aside as by
 * progress_load and the save goes on: 0, with the sentence in msg (which
 * is otherwise left empty). */
int progress_save(struct progress *p, char *msg, size_t len);

/* 1 if p holds records made since the last load or save: a save would
 * change the file. */
int progress_pending(const struct progress *p);

/* Remove the file at path, under the lock: 1 if it was removed, 0 if
 * there was none, -1 with a sentence in msg if it could not be. */
int progress_reset(const char *path, char *msg, size_t len);

/* Recording: each returns 0, or -1 if an id or the answer is refused. */
int progress_mark_page(struct progress *, const char *lesson, long page);
int progress_record_prediction(struct progress *, const char *lesson,
    const char *id, const char *answer, int matched, int64_t when);
int progress_record_win(struct progress *, const char *lesson,
    const char *challenge, const struct progress_win *win);
/* The hints of block id shown so far: count only ever grows. */
int progress_record_hint(
    struct progress *, const char *lesson, const char *id, long count);

/* Queries. The furthest page seen, or -1. */
long progress_page(const struct progress *, const char *lesson);
/* 1 with the answer (owned by p) and whether it matched, or 0. */
int progress_prediction(const struct progress *, const char *lesson,
    const char *id, const char **answer, int *matched);
/* 1 with the win, or 0 if the challenge is not won. */
int progress_won(const struct progress *, const char *lesson,
    const char *challenge, struct progress_win *win);
/* The hints of block id used, 0 if none. */
long progress_hints(
    const struct progress *, const char *lesson, const char *id);
/* 1 if the lesson is done: its last page (of npages) seen and every one
 * of its challenges won. */
int progress_lesson_done(const struct progress *, const char *lesson,
    long npages, const char *const *challenges, size_t nchallenges);

/* 1 if id is one progress accepts. */
int progress_id_ok(const char *id);

/* For tests: make the next save stop short. PROGRESS_FAULT_WRITE fails
 * the temporary file's write; PROGRESS_FAULT_CRASH ends the process
 * (_exit) after the temporary file is written, before the rename. */
enum progress_fault {
	PROGRESS_FAULT_NONE,
	PROGRESS_FAULT_WRITE,
	PROGRESS_FAULT_CRASH,
};
void progress_set_fault(struct progress *, enum progress_fault);

#endif
