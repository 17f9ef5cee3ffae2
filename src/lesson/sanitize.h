/*
 * Text from files never reaches the terminal as it is. sanitize_text()
 * turns it into text that is safe to draw: control characters, escape
 * sequences and bidirectional overrides become visible escapes such as
 * "\x1b" or "\u202e", and invalid UTF-8 bytes become "\xff". Nothing is
 * dropped: every input byte is shown either as itself or as an escape.
 */
#ifndef IL_SANITIZE_H
#define IL_SANITIZE_H

#include <stddef.h>
#include <stdint.h>

/* Returns a new NUL-terminated string (caller frees). len may include NULs.
 * Tabs become spaces; keep_newlines keeps '\n' as is, else shows "\n".
 * A backslash stays a backslash: the escapes are for display and cannot be
 * reversed. */
char *sanitize_text(const char *s, size_t len, int keep_newlines);

/* Display width in columns of a sanitized UTF-8 string (wcwidth per char;
 * a character wcwidth cannot measure counts as 1). */
int sanitize_width(const char *s);

/* Validate UTF-8: returns 0, or -1 with *bad_off set to the offset of the
 * first invalid byte. */
int utf8_validate(const char *s, size_t len, size_t *bad_off);

/* Decode one UTF-8 character at s: returns its length (1 to 4) with the code
 * point in *cp, or 0 if s does not start with a valid, shortest-form
 * character (overlong forms, surrogates, > U+10FFFF, truncated) or len is 0. */
size_t utf8_decode(const char *s, size_t len, uint32_t *cp);

#endif
