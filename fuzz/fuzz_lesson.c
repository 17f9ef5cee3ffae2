/*
 * libFuzzer target for the lesson parser and the text sanitizer. Build it
 * in a directory of its own and run it on inputs up to the size limit
 * (libFuzzer stops at 4096 bytes unless told), for example:
 *   mkdir build-fuzz && cd build-fuzz
 *   ../configure CC=clang --enable-fuzzing && make fuzz/fuzz_lesson
 *   mkdir corpus && fuzz/fuzz_lesson -max_len=1048576 corpus \
 *       ../lessons ../tests/data/lessons
 * Besides crashes, it checks that a failed parse always says why, as
 * "fuzz.md:LINE: message", that sanitized text is valid UTF-8 with no
 * control characters but newlines (and in a page's text the style
 * markers, balanced), also once its placeholders are expanded, and that
 * the text of a lesson stays within LESSON_TEXT_LIMIT of its size, and
 * that the interactive blocks hold safe texts within their bounds.
 * tests/data/lessons/good-blocks.md seeds every kind of block, the demo too.
 */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lesson.h"
#include "sanitize.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Abort unless s is safe to draw: valid UTF-8, no controls but newlines
 * and, if styled, the style markers, balanced and never nested in their
 * own kind. */
static void
fuzz_check_sanitized(const char *s, int styled)
{
	size_t len = strlen(s), off = 0, n;
	int open[3] = {0, 0, 0}, k;
	uint32_t cp;

	while (off < len) {
		n = utf8_decode(s + off, len - off, &cp);
		if (n == 0)
			abort();
		if (styled && cp >= (uint32_t)LESSON_CODE_ON &&
		    cp <= (uint32_t)LESSON_STRONG_OFF) {
			k = (int)(cp - 1) / 2;
			if (open[k] != (int)(cp - 1) % 2)
				abort();
			open[k] = !open[k];
		} else if ((cp < 0x20 && cp != '\n') ||
		    (cp >= 0x7f && cp <= 0x9f) ||
		    (cp >= 0x2028 && cp <= 0x202e) ||
		    (cp >= 0x2066 && cp <= 0x2069))
			abort();
		off += n;
	}
	if (open[0] || open[1] || open[2])
		abort();
}

/* Check a page's title or text, that it is plain once stripped, and that
 * expanding its placeholders with extreme values keeps it safe. */
static void
fuzz_check_page(const struct lesson *l, const char *text, int styled)
{
	long params[MODULE_MAX_PARAMS];
	char *plain = strdup(text), *out;
	size_t i;

	fuzz_check_sanitized(text, styled);
	if (plain == NULL)
		abort();
	if (lesson_strip_styles(plain) != strlen(plain))
		abort();
	fuzz_check_sanitized(plain, 0);
	free(plain);
	for (i = 0; i < MODULE_MAX_PARAMS; i++)
		params[i] = i % 2 ? LONG_MIN : l->params[i];
	out = lesson_expand(l, text, params);
	fuzz_check_sanitized(out, styled);
	/* The loader let through only placeholders it could expand. */
	if (strstr(out, "{{") != NULL)
		abort();
	if (strstr(text, "{{") == NULL && strcmp(out, text) != 0)
		abort();
	free(out);
}

/* Abort unless a block's text is safe and within its bound. */
static void
fuzz_check_field(const char *s)
{
	if (s == NULL)
		return;
	fuzz_check_sanitized(s, 0);
	/* an escape such as "\xff" shows one byte as four */
	if (strlen(s) > 4 * LESSON_FIELD_MAX)
		abort();
}

/* Check the interactive blocks: safe texts, counts within their
 * bounds, each on a page the lesson has. */
static void
fuzz_check_blocks(const struct lesson *l)
{
	const struct lesson_challenge *c;
	size_t i, j;

	if (l->npredicts + l->nquizzes + l->nchallenges > LESSON_MAX_BLOCKS)
		abort();
	for (i = 0; i < l->npredicts; i++) {
		if (l->predicts[i].page >= l->npages ||
		    l->predicts[i].ask == NULL ||
		    l->predicts[i].nchoices > LESSON_MAX_CHOICES ||
		    l->predicts[i].nchoices == 1)
			abort();
		fuzz_check_field(l->predicts[i].ask);
		for (j = 0; j < l->predicts[i].nchoices; j++)
			fuzz_check_field(l->predicts[i].choices[j]);
	}
	for (i = 0; i < l->nquizzes; i++) {
		const struct lesson_quiz *q = &l->quizzes[i];

		if (q->page >= l->npages || q->nchoices < 2 ||
		    q->nchoices > LESSON_MAX_CHOICES ||
		    q->right >= q->nchoices || !q->choices[q->right].right)
			abort();
		fuzz_check_field(q->ask);
		for (j = 0; j < q->nchoices; j++) {
			if (q->choices[j].right != (j == q->right))
				abort();
			fuzz_check_field(q->choices[j].text);
			fuzz_check_field(q->choices[j].why);
		}
	}
	for (i = 0; i < l->nchallenges; i++) {
		c = &l->challenges[i];
		if (c->page >= l->npages || c->title == NULL ||
		    c->goal.nterms == 0 || c->goal.nterms > LESSON_MAX_TERMS ||
		    c->nhints > LESSON_MAX_HINTS ||
		    strlen(c->keys) > LESSON_MAX_KEYS)
			abort();
		fuzz_check_field(c->title);
		fuzz_check_field(c->win);
		fuzz_check_field(c->goal_text);
		for (j = 0; j < c->nhints; j++)
			fuzz_check_field(c->hints[j]);
	}
	for (i = 0; i < l->npages; i++)
		if ((unsigned)l->pages[i].show.event >= LESSON_SHOW_COUNT)
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	struct lesson *l;
	char err[512], *s;
	size_t i, text;

	l = lesson_parse("fuzz.md", buf, size, err, sizeof err);
	if (l == NULL) {
		if (strncmp(err, "fuzz.md:", 8) != 0 || strchr(err, '\n'))
			abort();
	} else {
		fuzz_check_sanitized(l->title, 0);
		fuzz_check_sanitized(l->summary, 0);
		text = strlen(l->title);
		for (i = 0; i < l->npages; i++) {
			fuzz_check_page(l, l->pages[i].title, 0);
			fuzz_check_page(l, l->pages[i].text, 1);
			text += strlen(l->pages[i].title) +
			    strlen(l->pages[i].text);
		}
		if (text > LESSON_TEXT_LIMIT(size))
			abort();
		fuzz_check_blocks(l);
		lesson_free(l);
	}

	s = sanitize_text(buf, size, (int)(size & 1));
	fuzz_check_sanitized(s, 0);
	(void)sanitize_width(s);
	free(s);
	return 0;
}
