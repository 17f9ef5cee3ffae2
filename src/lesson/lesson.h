/*
 * Lesson files: CommonMark parsed with cmark. This module interprets and
 * validates the tree; the format is documented in doc/lesson-format.md.
 * Every error names the position as "FILE:LINE: message".
 */
#ifndef IL_LESSON_H
#define IL_LESSON_H

#include <stddef.h>

#include "module.h"

#define LESSON_MAX_LINE 4096 /* bytes in one line of a lesson file */
#define LESSON_MAX_SIZE (1024 * 1024)

/* Block quotes and lists may nest this many levels deep, counted together:
 * each level repeats its quote mark or indent on every line inside it, so
 * a deeper one would let a short file render to a huge page. */
#define LESSON_MAX_DEPTH 16

/* The titles and pages of a lesson from a file of size bytes may render to
 * at most this many bytes of text together: twice the file, and 64 KiB
 * more so that a short file can still reuse a link or two. */
#define LESSON_TEXT_LIMIT(size) (2 * (size_t)(size) + 65536)

/*
 * Styles in a page's text. The text is sanitized UTF-8 in which these six
 * single bytes mark where a style starts and ends; no other control byte
 * but '\n' ever appears in it (the sanitizer shows any that come from the
 * file as escapes such as "\x01"). The markers take no columns. Within a
 * page they are always balanced, and a style never opens inside itself
 * (emphasis inside emphasis is one emphasis). A style may span a line
 * break or a paragraph break, so a reader must carry it across lines.
 * CODE is a code span (without its backticks) or the text of a code block;
 * EMPH is *emphasis*, STRONG is **strong**.
 */
#define LESSON_CODE_ON    '\x01'
#define LESSON_CODE_OFF   '\x02'
#define LESSON_EMPH_ON    '\x03'
#define LESSON_EMPH_OFF   '\x04'
#define LESSON_STRONG_ON  '\x05'
#define LESSON_STRONG_OFF '\x06'

/* A narration page: a level-2 heading and the text under it. */
struct lesson_page {
	char *title; /* sanitized plain text, without style markers */
	char *text;  /* sanitized, with style markers; paragraphs separated
	              * by "\n\n" */
	int line;    /* where the page starts in the file */
};

struct lesson {
	char *path;
	char *id;      /* file name without directory and ".md" */
	char *title;   /* sanitized plain text, from the level-1 heading */
	char *summary; /* sanitized plain one-liner */
	const struct lesson_module *module;
	long params[MODULE_MAX_PARAMS]; /* module defaults, then the file's */
	char *schedule; /* named schedule the lesson suggests, or NULL */
	long order;     /* menu position from the lesson block; 0 if absent */
	/* Where things were set, for messages about them (0: not set). */
	int block_line;    /* the ```lesson block */
	int schedule_line; /* its 'schedule:' key */
	int param_line[MODULE_MAX_PARAMS];
	struct lesson_page *pages;
	size_t npages;
};

/* Load and validate a lesson file. Returns NULL with "FILE:LINE: message"
 * in err on any error. */
struct lesson *lesson_load(const char *path, char *err, size_t errlen);

/* The same from memory; name is used for messages and the id. */
struct lesson *lesson_parse(
    const char *name, const char *buf, size_t len, char *err, size_t errlen);

void lesson_free(struct lesson *);

/* Remove the style markers from s in place, for plain output; returns the
 * new length. */
size_t lesson_strip_styles(char *s);

/*
 * Placeholders. A page's title and text may name a parameter of the
 * lesson's module as "{{name}}", written on one line; the loader has
 * checked each one, so a lesson's pages hold no other "{{". The lesson's
 * title and summary hold none at all.
 *
 * lesson_expand() returns a new copy of text (caller frees), styled or
 * not, with each placeholder that names a parameter of l's module
 * replaced by its value in params (one value per parameter, as in
 * l->params; NULL means l->params): a parameter with named values by its
 * word (module_param_name()), else the decimal number. Values are plain
 * ASCII, so the result is as safe as text; everything else, markers and
 * any "{{" that is not a placeholder, is copied as it is.
 */
char *lesson_expand(
    const struct lesson *l, const char *text, const long *params);

#endif
