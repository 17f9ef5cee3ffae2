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
 * control characters but newlines, and that the text of a lesson stays
 * within LESSON_TEXT_LIMIT of its size.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lesson.h"
#include "sanitize.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Abort unless s is safe to draw: valid UTF-8, no controls but newlines. */
static void
fuzz_check_sanitized(const char *s)
{
	size_t len = strlen(s), off = 0, n;
	uint32_t cp;

	while (off < len) {
		n = utf8_decode(s + off, len - off, &cp);
		if (n == 0 || (cp < 0x20 && cp != '\n') ||
		    (cp >= 0x7f && cp <= 0x9f) ||
		    (cp >= 0x2028 && cp <= 0x202e) ||
		    (cp >= 0x2066 && cp <= 0x2069))
			abort();
		off += n;
	}
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
		fuzz_check_sanitized(l->title);
		fuzz_check_sanitized(l->summary);
		text = strlen(l->title);
		for (i = 0; i < l->npages; i++) {
			fuzz_check_sanitized(l->pages[i].title);
			fuzz_check_sanitized(l->pages[i].text);
			text += strlen(l->pages[i].title) +
			    strlen(l->pages[i].text);
		}
		if (text > LESSON_TEXT_LIMIT(size))
			abort();
		lesson_free(l);
	}

	s = sanitize_text(buf, size, (int)(size & 1));
	fuzz_check_sanitized(s);
	(void)sanitize_width(s);
	free(s);
	return 0;
}
