/*
 * The lesson catalog: every lesson found in the lesson folders, sorted
 * for the menu, with the folder and file each came from.
 */
#ifndef IL_CATALOG_H
#define IL_CATALOG_H

#include <stddef.h>

#include "lesson.h"
#include "paths.h"

/* The lessons found in every folder, with where each came from. */
struct catalog_entry {
	struct lesson *l;
	char *path; /* the file, as found (not sanitized) */
	enum paths_origin origin;
};

struct catalog {
	struct catalog_entry *e;
	size_t n;
};

/* Load every lesson in the lesson folders, sorted for the menu. Files
 * that do not load are reported; EXIT_DATAERR if any did not (or a
 * folder could not be read), else 0. */
int catalog_load(struct catalog *);
void catalog_free(struct catalog *);
/* Put lesson l, loaded from path, in place of the same file or of a
 * lesson with the same id, or else as a new entry; returns its index. */
size_t catalog_place(struct catalog *, struct lesson *l, const char *path,
    enum paths_origin origin);
/* The lessons in order, as a new NULL-terminated array. */
struct lesson **catalog_lessons(const struct catalog *);
/* The folder lesson file path is in (the last of the lesson folders that
 * is the same folder as its own), or PATHS_ARGUMENT if none is. */
enum paths_origin catalog_origin(const char *path);
/* --list: one lesson per line: id, title, folder, file, tab-separated. */
int list_lessons(void);

#endif
