/* What the lesson tests (test_lesson.c, test_lesson_render.c) share. */
#ifndef IL_TEST_LESSON_H
#define IL_TEST_LESSON_H

#include <check.h>

#define BYTES(s) s, sizeof(s) - 1

/* The style markers as strings, to write expected text with them. */
#define CON  "\x01"
#define COFF "\x02"
#define EON  "\x03"
#define EOFF "\x04"
#define SON  "\x05"
#define SOFF "\x06"

/* The start of a valid lesson, 5 lines long, for in-memory cases. */
#define HEAD                                                                   \
	"# T\n"                                                                \
	"```lesson\n"                                                          \
	"module: race\n"                                                       \
	"summary: s\n"                                                         \
	"```\n"

/* The same for the io-vs-cpu module, whose parameters have named values. */
#define HEAD_IO                                                                \
	"# T\n"                                                                \
	"```lesson\n"                                                          \
	"module: io-vs-cpu\n"                                                  \
	"summary: s\n"                                                         \
	"```\n"

/* Check what a page's text promises: no control byte but '\n' and, when
 * styled, the markers; the markers balanced, a style never inside itself. */
void lesson_test_check_text(const char *s, int styled);

/* The render test case of the lesson suite, from test_lesson_render.c. */
TCase *make_lesson_render_tcase(void);

/* The interactive blocks test case, from test_lesson_blocks.c. */
TCase *make_lesson_blocks_tcase(void);

/* The limits test case of the lesson suite, from test_lesson_limits.c. */
TCase *make_lesson_limits_tcase(void);

#endif
