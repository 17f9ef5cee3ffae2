/* The command line's messages on stderr, sanitized (see say.h). */
#include "config.h"

#include "say.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sanitize.h"

/* Print text on stderr, sanitized: it may quote arguments and files. */
void
say_text(const char *prefix, const char *text)
{
	char *s = sanitize_text(text, strlen(text), 0);

	fprintf(stderr, "%s%s\n", prefix, s);
	free(s);
}

/* Print "interleave: message" on stderr, sanitized. */
void
vsay(const char *fmt, va_list ap)
{
	char buf[2048];

	vsnprintf(buf, sizeof buf, fmt, ap);
	say_text("interleave: ", buf);
}

void
say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(fmt, ap);
	va_end(ap);
}
