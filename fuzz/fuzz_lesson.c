/*
 * libFuzzer target for the lesson parser and the text sanitizer:
 *   clang -fsanitize=fuzzer,address,undefined -Isrc fuzz/fuzz_lesson.c \
 *       src/lesson.c src/sanitize.c src/util.c src/module.c ... -lcmark
 * Besides crashes, it checks that a failed parse always says why, as
 * "fuzz.md:LINE: message", and that sanitized text is valid UTF-8 with no
 * control characters but newlines.
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
	size_t i;

	l = lesson_parse("fuzz.md", buf, size, err, sizeof err);
	if (l == NULL) {
		if (strncmp(err, "fuzz.md:", 8) != 0 || strchr(err, '\n'))
			abort();
	} else {
		fuzz_check_sanitized(l->title);
		fuzz_check_sanitized(l->summary);
		for (i = 0; i < l->npages; i++) {
			fuzz_check_sanitized(l->pages[i].title);
			fuzz_check_sanitized(l->pages[i].text);
		}
		lesson_free(l);
	}

	s = sanitize_text(buf, size, (int)(size & 1));
	fuzz_check_sanitized(s);
	(void)sanitize_width(s);
	free(s);
	return 0;
}
