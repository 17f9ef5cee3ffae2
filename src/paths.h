/* Where lesson files and data live: INTERLEAVE_DATADIR if set, the source
 * tree when the binary runs from a built checkout, else $(pkgdatadir). */
#ifndef IL_PATHS_H
#define IL_PATHS_H

/* Directory holding the lesson files (*.md). */
const char *paths_lessons_dir(void);
/* Directory holding the named schedules. */
const char *paths_schedules_dir(void);

#endif
