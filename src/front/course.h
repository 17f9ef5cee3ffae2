/*
 * The course: the lessons the menu offers, put in chapters. A chapter
 * comes where its first lesson (in menu order) comes, and its lessons
 * follow one another; lessons with no chapter go in COURSE_MORE after
 * the named chapters, and the student's or teacher's own lessons (from
 * the user's lesson folder, or named by path) in COURSE_YOURS, last,
 * whatever their chapter key says.
 */
#ifndef IL_COURSE_H
#define IL_COURSE_H

#include <stddef.h>

#include "lesson.h"

#define COURSE_MORE  "More lessons"
#define COURSE_YOURS "Your lessons"

/* One place in the course. */
struct course_entry {
	size_t lesson;       /* index in the lessons given */
	const char *chapter; /* the lesson's or one of the above */
};

/* The n lessons ls (in menu order; own[i] 1 for one of the user's) in
 * course order, into out[n]. */
void course_order(struct lesson *const *ls, const int *own, size_t n,
    struct course_entry *out);

#endif
