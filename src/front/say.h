/* The command line's messages: "interleave: ..." on stderr, sanitized,
 * since they may quote arguments and files. */
#ifndef IL_SAY_H
#define IL_SAY_H

#include <stdarg.h>

/* Print prefix and text on stderr, the text sanitized. */
void say_text(const char *prefix, const char *text);
/* Print "interleave: message" on stderr, sanitized. */
void vsay(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
