#include "config.h"

#include "paths.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

#define PATHS_MAX_FOLDERS 3

/*
 * The folders, worked out once on first use: paths_find_folders() alone
 * writes them, run by pthread_once through paths_init(), so whichever
 * thread asks first fills them in and every other caller waits for it.
 * After that they are read-only, and any thread may read them without a
 * lock (pthread_once orders the writes before every return from it).
 */
static char lesson_dirs[PATHS_MAX_FOLDERS][PATH_MAX];
static char schedule_dirs[PATHS_MAX_FOLDERS][PATH_MAX];
static struct paths_folder lesson_folders[PATHS_MAX_FOLDERS];
static const char *schedule_list[PATHS_MAX_FOLDERS + 1];
static size_t nfolders;
static pthread_once_t paths_once = PTHREAD_ONCE_INIT;

static int
is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* 1 if this process is the src/interleave of the build tree it was built in. */
static int
running_from_build_tree(void)
{
	char self[PATH_MAX], built[PATH_MAX];
	ssize_t n;

	n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n <= 0)
		return 0;
	self[n] = '\0';
	if (realpath(ABS_BUILDDIR "/src/interleave", built) == NULL)
		return 0;
	return strcmp(self, built) == 0;
}

/* Add a folder pair: lessons in lessons, schedules in schedules. */
static void
paths_add(enum paths_origin origin, const char *lessons, const char *schedules)
{
	size_t i = nfolders++;

	snprintf(lesson_dirs[i], sizeof lesson_dirs[i], "%s", lessons);
	snprintf(schedule_dirs[i], sizeof schedule_dirs[i], "%s", schedules);
	lesson_folders[i].dir = lesson_dirs[i];
	lesson_folders[i].origin = origin;
	schedule_list[i] = schedule_dirs[i];
}

/* buf = a followed by b; -1 if that does not fit. */
static int
paths_join(char *buf, size_t len, const char *a, const char *b)
{
	int n = snprintf(buf, len, "%s%s", a, b);

	return n < 0 || (size_t)n >= len ? -1 : 0;
}

/* An XDG base folder: $var/interleave if var is set and absolute, else
 * ~/fallback/interleave (as the XDG base directory spec says). 0, or -1
 * if there is none. */
static int
paths_xdg(char *buf, size_t len, const char *var, const char *fallback)
{
	const char *xdg = getenv(var);
	const char *home = getenv("HOME");
	int n;

	if (xdg != NULL && xdg[0] == '/')
		return paths_join(buf, len, xdg, "/interleave");
	if (home == NULL || home[0] == '\0')
		return -1;
	n = snprintf(buf, len, "%s%s/interleave", home, fallback);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

/* The user's interleave folder: $XDG_DATA_HOME/interleave, by default
 * ~/.local/share/interleave. 0, or -1 if there is none. */
static int
paths_user_data(char *buf, size_t len)
{
	return paths_xdg(buf, len, "XDG_DATA_HOME", "/.local/share");
}

/* Add a folder pair under base with the lessons in base/lessons and the
 * schedules in base/schedules (or alt, when that is not a folder but alt
 * is given). A base too long for a path is left out. */
static void
paths_add_base(enum paths_origin origin, const char *base, const char *alt)
{
	char a[PATH_MAX], b[PATH_MAX];

	if (paths_join(a, sizeof a, base, "/lessons") != 0 ||
	    paths_join(b, sizeof b, base, "/schedules") != 0)
		return;
	if (alt != NULL && !is_dir(b) &&
	    paths_join(b, sizeof b, base, alt) != 0)
		return;
	paths_add(origin, a, b);
}

/* Work out every folder; run once, by paths_init(). */
static void
paths_find_folders(void)
{
	const char *env = getenv("INTERLEAVE_DATADIR");
	char base[PATH_MAX];

	if (running_from_build_tree())
		paths_add(PATHS_BUILTIN, ABS_SRCDIR "/lessons",
		    ABS_SRCDIR "/data/schedules");
	else
		paths_add(PATHS_BUILTIN, PKGDATADIR "/lessons",
		    PKGDATADIR "/schedules");
	/* Either the installed layout (lessons/, schedules/) or a source
	 * tree (lessons/, data/schedules/). */
	if (env != NULL && *env != '\0')
		paths_add_base(PATHS_DATADIR, env, "/data/schedules");
	if (paths_user_data(base, sizeof base) == 0)
		paths_add_base(PATHS_USER, base, NULL);
	schedule_list[nfolders] = NULL;
}

/* Make sure the folders are worked out, from any thread. */
static void
paths_init(void)
{
	pthread_once(&paths_once, paths_find_folders);
}

const struct paths_folder *
paths_lesson_folders(size_t *n)
{
	paths_init();
	*n = nfolders;
	return lesson_folders;
}

const char *const *
paths_schedule_dirs(void)
{
	paths_init();
	return schedule_list;
}

int
paths_user_schedules(char *buf, size_t len)
{
	char base[PATH_MAX];

	if (paths_user_data(base, sizeof base) != 0)
		return -1;
	return paths_join(buf, len, base, "/schedules");
}

int
paths_user_state(char *buf, size_t len)
{
	return paths_xdg(buf, len, "XDG_STATE_HOME", "/.local/state");
}

int
paths_progress_file(char *buf, size_t len)
{
	char base[PATH_MAX];

	if (paths_user_state(base, sizeof base) != 0)
		return -1;
	return paths_join(buf, len, base, "/progress");
}

const char *const *
paths_schedules_dir(void)
{
	return paths_schedule_dirs();
}

const char *
paths_origin_name(enum paths_origin o)
{
	switch (o) {
	case PATHS_BUILTIN:
		return "built-in";
	case PATHS_DATADIR:
		return "INTERLEAVE_DATADIR";
	case PATHS_USER:
		return "user";
	case PATHS_ARGUMENT:
		break;
	}
	return "argument";
}

/* The id of a lesson file name ("race.md" is "race"), or 0 if the name is
 * not one of a lesson (hidden, or not ending in ".md"). */
static size_t
paths_lesson_id_len(const char *name)
{
	size_t len = strlen(name);

	if (len < 4 || name[0] == '.' || strcmp(name + len - 3, ".md") != 0)
		return 0;
	return len - 3;
}

/* Put one lesson file into the list, replacing an earlier one with the
 * same id. */
static void
paths_list_add(struct paths_lesson **ls, size_t *n, const char *dir,
    const char *name, size_t idlen, enum paths_origin origin)
{
	struct paths_lesson *l = NULL;
	char path[PATH_MAX];
	size_t i;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	for (i = 0; i < *n && l == NULL; i++) {
		if (strlen((*ls)[i].id) == idlen &&
		    strncmp((*ls)[i].id, name, idlen) == 0)
			l = &(*ls)[i];
	}
	if (l == NULL) {
		*ls = xrealloc(*ls, (*n + 1) * sizeof **ls);
		l = &(*ls)[(*n)++];
		l->id = xmalloc(idlen + 1);
		memcpy(l->id, name, idlen);
		l->id[idlen] = '\0';
	} else
		free(l->path);
	l->path = xstrdup(path);
	l->origin = origin;
}

static int
paths_compare_lessons(const void *a, const void *b)
{
	return strcmp(((const struct paths_lesson *)a)->id,
	    ((const struct paths_lesson *)b)->id);
}

int
paths_list_lessons(
    struct paths_lesson **out, size_t *np, char *err, size_t errlen)
{
	const struct paths_folder *fs;
	struct paths_lesson *ls = NULL;
	size_t nf, n = 0, f, idlen;
	struct dirent *de;
	int rc = 0;
	DIR *d;

	fs = paths_lesson_folders(&nf);
	for (f = 0; f < nf; f++) {
		if ((d = opendir(fs[f].dir)) == NULL) {
			if (errno != ENOENT && rc == 0) {
				snprintf(err, errlen, "%s: %s", fs[f].dir,
				    strerror(errno));
				rc = -1;
			}
			continue;
		}
		while ((de = readdir(d)) != NULL) {
			if ((idlen = paths_lesson_id_len(de->d_name)) > 0)
				paths_list_add(&ls, &n, fs[f].dir, de->d_name,
				    idlen, fs[f].origin);
		}
		closedir(d);
	}
	if (n > 0)
		qsort(ls, n, sizeof *ls, paths_compare_lessons);
	*out = ls;
	*np = n;
	return rc;
}

void
paths_free_lessons(struct paths_lesson *ls, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(ls[i].id);
		free(ls[i].path);
	}
	free(ls);
}

int
paths_find_lesson(
    const char *id, char *path, size_t len, enum paths_origin *origin)
{
	const struct paths_folder *fs;
	struct stat st;
	size_t nf, f;

	if (*id == '\0' || *id == '.' || strchr(id, '/') != NULL)
		return -1;
	fs = paths_lesson_folders(&nf);
	for (f = nf; f-- > 0;) {
		snprintf(path, len, "%s/%s.md", fs[f].dir, id);
		/* lstat: a dangling link is there too, and gets its error
		 * when it is opened */
		if (lstat(path, &st) == 0) {
			*origin = fs[f].origin;
			return 0;
		}
	}
	return -1;
}

/* What kind of file st is, for "not a regular file (a FIFO)". */
static const char *
paths_file_kind(const struct stat *st)
{
	if (S_ISDIR(st->st_mode))
		return "a directory";
	if (S_ISFIFO(st->st_mode))
		return "a FIFO";
	if (S_ISSOCK(st->st_mode))
		return "a socket";
	if (S_ISCHR(st->st_mode))
		return "a character device";
	if (S_ISBLK(st->st_mode))
		return "a block device";
	return "not a file";
}

enum paths_open_error
paths_open_data(const char *path, FILE **out, char *why, size_t whylen)
{
	struct stat st;
	int fd, flags;

	*out = NULL;
	/* O_NONBLOCK: opening a FIFO would otherwise wait for a writer. */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(why, whylen, "%s", strerror(errno));
		return errno == ENOENT || errno == ENOTDIR
		    ? PATHS_OPEN_MISSING
		    : PATHS_OPEN_UNUSABLE;
	}
	if (fstat(fd, &st) != 0) {
		snprintf(why, whylen, "%s", strerror(errno));
		close(fd);
		return PATHS_OPEN_UNUSABLE;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(why, whylen, "not a regular file (%s)",
		    paths_file_kind(&st));
		close(fd);
		return PATHS_OPEN_UNUSABLE;
	}
	flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != 0 ||
	    (*out = fdopen(fd, "rb")) == NULL) {
		snprintf(why, whylen, "%s", strerror(errno));
		close(fd);
		return PATHS_OPEN_UNUSABLE;
	}
	return PATHS_OPEN_OK;
}
