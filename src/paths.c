#include "config.h"

#include "paths.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

static char lessons_dir[PATH_MAX];
static char schedules_dir[PATH_MAX];

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

/* Work out both directories once. */
static void
paths_init(void)
{
	const char *env = getenv("INTERLEAVE_DATADIR");

	if (lessons_dir[0] != '\0')
		return;
	if (env != NULL && *env != '\0') {
		/* Either the installed layout (lessons/, schedules/) or a
		 * source tree (lessons/, data/schedules/). */
		snprintf(lessons_dir, sizeof lessons_dir, "%s/lessons", env);
		snprintf(
		    schedules_dir, sizeof schedules_dir, "%s/schedules", env);
		if (!is_dir(schedules_dir))
			snprintf(schedules_dir, sizeof schedules_dir,
			    "%s/data/schedules", env);
	} else if (running_from_build_tree()) {
		snprintf(
		    lessons_dir, sizeof lessons_dir, "%s/lessons", ABS_SRCDIR);
		snprintf(schedules_dir, sizeof schedules_dir,
		    "%s/data/schedules", ABS_SRCDIR);
	} else {
		snprintf(
		    lessons_dir, sizeof lessons_dir, "%s/lessons", PKGDATADIR);
		snprintf(schedules_dir, sizeof schedules_dir, "%s/schedules",
		    PKGDATADIR);
	}
}

const char *
paths_lessons_dir(void)
{
	paths_init();
	return lessons_dir;
}

const char *
paths_schedules_dir(void)
{
	paths_init();
	return schedules_dir;
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
