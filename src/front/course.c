/* The course's order: lessons in chapters (see course.h). */
#include "config.h"

#include "course.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Where a lesson goes: its part (0: a named chapter, 1: COURSE_MORE, 2:
 * COURSE_YOURS), the first lesson of its chapter, and its own place. */
struct course_key {
	int part;
	size_t first, i;
	const char *chapter;
};

static int
course_compare(const void *a, const void *b)
{
	const struct course_key *x = a, *y = b;

	if (x->part != y->part)
		return x->part < y->part ? -1 : 1;
	if (x->first != y->first)
		return x->first < y->first ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

void
course_order(struct lesson *const *ls, const int *own, size_t n,
    struct course_entry *out)
{
	struct course_key *k = xcalloc(n + 1, sizeof *k);
	size_t i, j;

	for (i = 0; i < n; i++) {
		k[i].i = k[i].first = i;
		if (own != NULL && own[i]) {
			k[i].part = 2;
			k[i].chapter = COURSE_YOURS;
		} else if (ls[i]->chapter == NULL) {
			k[i].part = 1;
			k[i].chapter = COURSE_MORE;
		} else {
			k[i].chapter = ls[i]->chapter;
			for (j = 0; j < i; j++) {
				if (k[j].part == 0 &&
				    strcmp(k[j].chapter, k[i].chapter) == 0) {
					k[i].first = k[j].first;
					break;
				}
			}
		}
	}
	if (n > 0)
		qsort(k, n, sizeof *k, course_compare);
	for (i = 0; i < n; i++) {
		out[i].lesson = k[i].i;
		out[i].chapter = k[i].chapter;
	}
	free(k);
}
