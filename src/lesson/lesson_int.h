/*
 * Declarations shared by the files of the lesson loader (lesson.c,
 * lesson_check.c, lesson_out.c, lesson_render.c, lesson_meta.c,
 * lesson_placeholder.c, lesson_blocks.c, lesson_goal.c and
 * lesson_keys.c); nothing outside src/lesson/lesson*.c includes it.
 * The public interface is lesson.h.
 */
#ifndef IL_LESSON_INT_H
#define IL_LESSON_INT_H

#include <cmark.h>
#include <stddef.h>
#include <stdint.h>

#include "lesson.h"

/* Slots for the metadata keys, to catch duplicates: the fixed keys, then
 * one per module parameter. */
enum {
	KEY_MODULE,
	KEY_SUMMARY,
	KEY_SCHEDULE,
	KEY_ORDER,
	KEY_CHAPTER,
	KEY_PARAM0
};

/* The styles of a page's text; style k starts with the marker byte
 * 2k + 1 and ends with 2k + 2 (LESSON_CODE_ON and so on). */
enum { LESSON_CODE, LESSON_EMPH, LESSON_STRONG, LESSON_NSTYLES };

/* Quoted user text in messages is cut to this many bytes. */
#define LESSON_QUOTE_MAX 60

/* Plain text being rendered from Markdown, with the prefix that starts
 * each new line inside list items and block quotes. */
struct lesson_out {
	char *s;
	size_t len;
	size_t cap;
	size_t max;    /* len may not grow past this */
	int line;      /* the source line being rendered */
	int full_line; /* where the text grew past max; 0 while it has not */
	/* Where each source line starts in the text, for messages about
	 * what the text holds: marks[i].line from offset marks[i].off on. */
	struct lesson_mark {
		uint32_t off; /* below LESSON_TEXT_LIMIT(LESSON_MAX_SIZE) */
		int line;
	} * marks;
	size_t nmarks;
	size_t mcap;
	char *prefix;
	size_t plen;
	size_t pcap;
	int at_line_start; /* the next text must write the prefix first */
	int inline_only;   /* a heading: plain text on one line */
	size_t link_start; /* offset of the current link's text */

	/* Styles: how many nodes of each are open around the text being
	 * written, and which markers are open in the output, innermost
	 * last. A marker opens just before the text it applies to, after
	 * any line prefix, and closes before each newline, so prefixes
	 * stay plain; a style still open then opens again on the next
	 * line. */
	int style_depth[LESSON_NSTYLES];
	int open[LESSON_NSTYLES];
	int nopen;

	/* One frame per open list, item or block quote. */
	struct lesson_frame {
		size_t plen; /* prefix length to restore on exit */
		long number; /* a list's next item number */
	} * frames;
	size_t nframes;
	size_t fcap;
};

/* One line of the ```lesson block, split into key and value. */
struct lesson_kv {
	const char *key;
	size_t klen;
	const char *value;
	size_t vlen;
	int line;
};

/* The state of one parse. */
struct lesson_parse {
	char *name; /* sanitized, for messages */
	const char *buf;
	size_t len;
	uint32_t *lines; /* byte offset where each line starts; line 1 first */
	size_t nlines;
	char *err;
	size_t errlen;
	struct lesson *l;
	int title_line;
	int block_line; /* the ```lesson block, 0 until seen */
	int key_line[KEY_PARAM0 + MODULE_MAX_PARAMS];
	size_t text_left; /* of LESSON_TEXT_LIMIT, for the titles and pages */

	/* The page being collected, if page_line != 0. */
	int page_line;
	char *page_title;
	struct lesson_out page;
	struct lesson_show page_show; /* its ```show block, if any */
	/* the ```demo block's stops' pages as written, until resolved */
	char *stop_page[LESSON_MAX_STOPS];
};

/* Length of s for quoting in a message. */
static inline int
lesson_quote_len(size_t len)
{
	return (int)(len > LESSON_QUOTE_MAX ? LESSON_QUOTE_MAX : len);
}

/* Whether c is one of the style markers. */
static inline int
lesson_is_marker(char c)
{
	return c >= LESSON_CODE_ON && c <= LESSON_STRONG_OFF;
}

/* lesson.c */
void lesson_error(struct lesson_parse *, int, const char *, ...)
    __attribute__((format(printf, 3, 4)));

/* lesson_check.c */
int lesson_check_raw(struct lesson_parse *p);
int lesson_check_tree(struct lesson_parse *p, cmark_node *doc);
size_t lesson_info_word(cmark_node *n, const char **word);

/* lesson_out.c */
void lesson_out_blank(struct lesson_out *o);
void lesson_out_cr(struct lesson_out *o);
void lesson_out_free(struct lesson_out *o);
void lesson_out_init(struct lesson_out *o, size_t max, int inline_only);
int lesson_out_line_at(const struct lesson_out *o, size_t off);
void lesson_out_line(struct lesson_out *o, int line);
void lesson_out_pop(struct lesson_out *o);
void lesson_out_push_prefix(struct lesson_out *o, const char *s, size_t n);
struct lesson_frame *lesson_out_push(struct lesson_out *o, long number);
void lesson_out_raw(struct lesson_out *o, const char *s, size_t n);
void lesson_out_safe(struct lesson_out *o, const char *s, size_t n);
void lesson_out_str(struct lesson_out *o, const char *s);
void lesson_out_style(struct lesson_out *o, int k, int delta);
char *lesson_out_finish(struct lesson_out *o);

/* lesson_render.c */
void lesson_out_node(struct lesson_out *o, cmark_node *root);

/* lesson_meta.c */
void lesson_list_params(const struct lesson_module *m, char *buf, size_t size);
int lesson_meta(struct lesson_parse *p, cmark_node *block);

/* lesson_keys.c */
/* The result key called [key, key + len) that module m's runs put in
 * their result, or NULL. */
const struct result_key *lesson_result_key(
    const struct lesson_module *m, const char *key, size_t len);
/* The words word key k can have (NULL-terminated), or NULL for any. */
const char *const *lesson_result_words(
    const struct lesson_module *m, const struct result_key *k);
/* m's result keys for a message: "counter, expected, lost". */
void lesson_list_result_keys(
    const struct lesson_module *m, char *buf, size_t size);
/* Whether a page of a lesson of module m may wait for event e. */
int lesson_show_allowed(
    const struct lesson_module *m, enum lesson_show_event e);

/* lesson_blocks.c */
/* 1 if a code block with this info word is an interactive block. */
int lesson_is_block(const char *word, size_t len);
/* Interpret an interactive block on the page being collected. */
int lesson_blocks(
    struct lesson_parse *p, cmark_node *n, const char *word, size_t len);
void lesson_blocks_free(struct lesson *l);
/* Once every page is read: turn the ```demo block's stops into pages. */
int lesson_demo_resolve(struct lesson_parse *p);

/* lesson_goal.c */
/* Parse a challenge's goal from [s, s + len): 0, or -1 with a message at
 * line. */
int lesson_goal_parse(struct lesson_parse *p, const char *s, size_t len,
    int line, struct lesson_goal *g);

/* lesson_meta.c, for the blocks' lines too */
void lesson_trim(const char **s, size_t *len);
int lesson_parse_long(const char *s, size_t len, long *out);
int lesson_schedule_name_ok(const char *s, size_t len);

/* lesson_placeholder.c */
int lesson_check_no_placeholder(struct lesson_parse *p, const char *s,
    size_t len, int line, const char *what);
int lesson_check_placeholders(
    struct lesson_parse *p, const struct lesson_out *o, size_t from);

#endif
