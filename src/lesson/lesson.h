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

/*
 * Interactive blocks (```predict, ```quiz, ```challenge, ```hint and
 * ```show; see doc/lesson-format.md). Their texts are sanitized plain
 * text of at most LESSON_FIELD_MAX bytes in the file, without styles or
 * placeholders; a page's text never shows them.
 */
#define LESSON_FIELD_MAX   400 /* bytes of one field's value in the file */
#define LESSON_WORD_MAX    32  /* a result key, or a value compared */
#define LESSON_MAX_CHOICES 8
#define LESSON_MAX_HINTS   8
#define LESSON_MAX_TERMS   8  /* comparisons joined by 'and' in a goal */
#define LESSON_MAX_KEYS    32 /* keys a challenge allows */
#define LESSON_MAX_BLOCKS  64 /* predict, quiz and challenge blocks */
#define LESSON_CHAPTER_MAX 60 /* bytes of the 'chapter' key's value */

struct lesson_show {
	enum lesson_show_event event;
	int thread; /* AFTER_LOAD, AFTER_STORE: 0 for A (or T1), 1 for B */
	int line;   /* the ```show block; 0 if the page has none */
};

/* A narration page: a level-2 heading and the text under it. */
struct lesson_page {
	char *title; /* sanitized plain text, without style markers */
	char *text;  /* sanitized, with style markers; paragraphs separated
	              * by "\n\n" */
	int line;    /* where the page starts in the file */
	struct lesson_show show;
};

/* A question asked before a run, answered by the run's result key. */
struct lesson_predict {
	size_t page; /* the page it is on */
	int line;    /* its fence */
	char *ask;
	char key[LESSON_WORD_MAX];
	/* The values the student picks from (a number, or a word of the
	 * key); none: the student types a number. */
	char *choices[LESSON_MAX_CHOICES];
	size_t nchoices;
};

struct lesson_choice {
	char *text;
	char *why; /* the explanation shown once it is picked */
	int right;
};

/* A multiple-choice question with exactly one right choice. */
struct lesson_quiz {
	size_t page;
	int line;
	char *ask;
	struct lesson_choice choices[LESSON_MAX_CHOICES];
	size_t nchoices;
	size_t right; /* index of the right choice */
};

enum lesson_op {
	LESSON_EQ,
	LESSON_NE,
	LESSON_LT,
	LESSON_LE,
	LESSON_GT,
	LESSON_GE
};

/* One comparison of a goal: key op value. */
struct lesson_term {
	char key[LESSON_WORD_MAX];
	enum lesson_op op;
	int numeric; /* 1: value is number; 0: word (op is EQ or NE) */
	long long number;
	char word[LESSON_WORD_MAX];
};

/* A goal: every term holds. */
struct lesson_goal {
	struct lesson_term terms[LESSON_MAX_TERMS];
	size_t nterms;
};

enum lesson_policy {
	LESSON_POLICY_ANY,
	LESSON_POLICY_STEP,
	LESSON_POLICY_FREE
};

/* A challenge's id, for progress: its title in lower case, with each run
 * of other characters than letters and digits made one '-' (no '-' at
 * either end), at most LESSON_ID_MAX - 1 bytes. Titles that give the same
 * id are refused, so an id names one challenge of its lesson. */
#define LESSON_ID_MAX 48

struct lesson_challenge {
	size_t page;
	int line;
	char id[LESSON_ID_MAX];
	char *title;
	char *win;       /* the win banner's text, or NULL */
	char *goal_text; /* the goal as written, sanitized */
	struct lesson_goal goal;
	enum lesson_policy policy;
	long max_steps;                 /* 0: no limit (step runs only) */
	char keys[LESSON_MAX_KEYS + 1]; /* allowed key characters; "": any */
	/* The run's parameters: the lesson's, then the challenge's own;
	 * bit i of params_set is 1 when it sets parameter i. */
	long params[MODULE_MAX_PARAMS];
	unsigned params_set;
	char *hints[LESSON_MAX_HINTS]; /* shown one at a time, in order */
	size_t nhints;
	int hint_line; /* its ```hint block, 0 if none */
};

/*
 * A ```demo block: the steps a demo plays (a named schedule or an inline
 * list), and where it stops to turn to a page and pause. At most one per
 * lesson; line is 0 when the lesson has none.
 */
#define LESSON_MAX_STOPS 32

struct lesson_stop {
	long step;   /* pause once this many steps are taken (0: at once) */
	size_t page; /* the page to turn to, from 0 */
	int line;
};

struct lesson_demo {
	int line;
	char *schedule; /* a named schedule without '@', or NULL */
	int *steps;     /* else the inline steps, 0-based threads */
	size_t nsteps;
	int schedule_line; /* its 'schedule:' or 'steps:' line */
	struct lesson_stop stops[LESSON_MAX_STOPS]; /* by step, ascending */
	size_t nstops;
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
	/* The course chapter the menu lists it under (sanitized plain
	 * text, at most LESSON_CHAPTER_MAX bytes in the file), or NULL. */
	char *chapter;
	/* Where things were set, for messages about them (0: not set). */
	int block_line;    /* the ```lesson block */
	int schedule_line; /* its 'schedule:' key */
	int param_line[MODULE_MAX_PARAMS];
	struct lesson_page *pages;
	size_t npages;
	struct lesson_predict *predicts;
	size_t npredicts;
	struct lesson_quiz *quizzes;
	size_t nquizzes;
	struct lesson_challenge *challenges;
	size_t nchallenges;
	struct lesson_demo demo;
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

/* The keys a run of module m puts in its result that a goal or a
 * prediction may name, with what they hold (see lesson_keys.c): their
 * count, and up to max of them into keys. */
size_t lesson_result_keys(
    const struct lesson_module *m, const char **keys, size_t max);

/* The id of prediction or quiz i (from 0, in file order) for progress:
 * "predict-1", "quiz-2". */
void lesson_predict_id(size_t i, char *buf, size_t len);
void lesson_quiz_id(size_t i, char *buf, size_t len);

struct schedule;
/* The steps of l's demo into out: its named schedule from the folders
 * dirs (as schedule_load() finds it) or its inline steps. An
 * enum schedule_error: 0, or why in err ("FILE:LINE: ..." for a schedule
 * that is missing or bad, or past which a stop would come). */
int lesson_demo_load(const struct lesson *l, const char *const *dirs,
    struct schedule *out, char *err, size_t errlen);

struct result;
/* Whether result res meets goal g: every term's key is in res, and holds
 * (a number compared as a number, a word as a word). */
int lesson_goal_met(const struct lesson_goal *g, const struct result *res);

#endif
