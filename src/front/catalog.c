/* The lesson catalog: every lesson in the lesson folders (see catalog.h). */
#include "config.h"

#include "catalog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "exit.h"
#include "say.h"
#include "util.h"

static int
compare_entries(const void *a, const void *b)
{
	const struct lesson *la = ((const struct catalog_entry *)a)->l;
	const struct lesson *lb = ((const struct catalog_entry *)b)->l;

	if (la->order != lb->order)
		return la->order < lb->order ? -1 : 1;
	return strcmp(la->id, lb->id);
}

/* Load every lesson in the lesson folders, sorted for the menu. Files
 * that do not load are reported; returns EXIT_DATAERR if any did not (or a
 * folder could not be read), else 0. */
int
catalog_load(struct catalog *c)
{
	struct paths_lesson *found;
	size_t n, i;
	char err[1024];
	int rc = 0;

	memset(c, 0, sizeof *c);
	if (paths_list_lessons(&found, &n, err, sizeof err) != 0) {
		say("%s", err);
		rc = EXIT_DATAERR;
	}
	c->e = xcalloc(n + 1, sizeof *c->e);
	for (i = 0; i < n; i++) {
		struct catalog_entry *e = &c->e[c->n];

		if ((e->l = lesson_load(found[i].path, err, sizeof err)) ==
		    NULL) {
			say_text("", err);
			rc = EXIT_DATAERR;
			continue;
		}
		e->path = xstrdup(found[i].path);
		e->origin = found[i].origin;
		c->n++;
	}
	paths_free_lessons(found, n);
	if (c->n > 0)
		qsort(c->e, c->n, sizeof *c->e, compare_entries);
	return rc;
}

void
catalog_free(struct catalog *c)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		lesson_free(c->e[i].l);
		free(c->e[i].path);
	}
	free(c->e);
}

/* 1 if a and b name the same file. */
static int
same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	return stat(a, &sa) == 0 && stat(b, &sb) == 0 &&
	    sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* Put lesson l, loaded from path, into the catalog in place of the same
 * file or of a lesson with the same id (it was named on the command line,
 * so it wins), or else as a new entry. Returns its index. */
size_t
catalog_place(struct catalog *c, struct lesson *l, const char *path,
    enum paths_origin origin)
{
	struct catalog_entry *e = NULL;
	size_t i;

	for (i = 0; i < c->n && e == NULL; i++) {
		if (same_file(c->e[i].path, path)) {
			e = &c->e[i];
			origin = e->origin; /* it is that folder's lesson */
		}
	}
	for (i = 0; i < c->n && e == NULL; i++) {
		if (strcmp(c->e[i].l->id, l->id) == 0)
			e = &c->e[i];
	}
	if (e == NULL) {
		c->e = xrealloc(c->e, (c->n + 1) * sizeof *c->e);
		e = &c->e[c->n++];
	} else {
		lesson_free(e->l);
		free(e->path);
	}
	e->l = l;
	e->path = xstrdup(path);
	e->origin = origin;
	qsort(c->e, c->n, sizeof *c->e, compare_entries);
	for (i = 0; c->e[i].l != l; i++)
		;
	return i;
}

/* The lessons alone, as the screen takes them. */
struct lesson **
catalog_lessons(const struct catalog *c)
{
	struct lesson **ls = xcalloc(c->n + 1, sizeof *ls);
	size_t i;

	for (i = 0; i < c->n; i++)
		ls[i] = c->e[i].l;
	return ls;
}

enum paths_origin
catalog_origin(const char *path)
{
	const struct paths_folder *f;
	enum paths_origin origin = PATHS_ARGUMENT;
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');
	struct stat sd, sf;
	size_t n, i;

	f = paths_lesson_folders(&n);
	if (slash == NULL)
		strcpy(dir, ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	if (stat(dir, &sd) == 0) {
		for (i = 0; i < n; i++) {
			if (stat(f[i].dir, &sf) == 0 &&
			    sf.st_dev == sd.st_dev && sf.st_ino == sd.st_ino)
				origin = f[i].origin;
		}
	}
	free(dir);
	return origin;
}

/* --list: one lesson per line: id, title, folder, file, tab-separated. */
int
list_lessons(void)
{
	struct catalog c;
	size_t i;
	int rc;

	rc = catalog_load(&c);
	for (i = 0; i < c.n; i++)
		printf("%s\t%s\t%s\t%s\n", c.e[i].l->id, c.e[i].l->title,
		    paths_origin_name(c.e[i].origin), c.e[i].l->path);
	catalog_free(&c);
	return rc;
}
