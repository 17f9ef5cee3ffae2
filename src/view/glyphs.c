/* The glyphs, legend words and colour roles of thread states, from the
 * list in states.h. */
#include "glyphs.h"

#define STATE_UTF8(st, utf8, ascii, role, legend, name, rank, ...) [st] = utf8,
#define STATE_ASCII(st, utf8, ascii, role, legend, name, rank, ...)            \
	[st] = ascii,
#define STATE_WORDS(st, utf8, ascii, role, legend, name, rank, ...)            \
	[st] = legend,
#define STATE_ROLE(st, utf8, ascii, role, legend, name, rank, ...)             \
	[st] = ROLE_##role,

const struct glyphs glyphs_utf8 = {
    .state = {THREAD_STATES(STATE_UTF8)},
    .lost = 0x2717,     /* ✗ ballot x */
    .deadlock = 0x25b2, /* ▲ */
    .arrow = "\xe2\x86\x92",
    .bar = "\xe2\x96\x88",   /* █ */
    .won = "\xe2\x98\x85",   /* ★ */
    .unwon = "\xe2\x98\x86", /* ☆ */
    .done = "\xe2\x9c\x93 done",
    .started = "started",
};

const struct glyphs glyphs_ascii = {
    .state = {THREAD_STATES(STATE_ASCII)},
    .lost = 'X',
    .deadlock = '^',
    .arrow = "->",
    .bar = "#",
    .won = "[x]",
    .unwon = "[ ]",
    .done = "[done]",
    .started = "[started]",
};

static const char *const legend_words[TS_COUNT] = {THREAD_STATES(STATE_WORDS)};

static const enum role state_roles[TS_COUNT] = {THREAD_STATES(STATE_ROLE)};

const char *
glyphs_state_words(enum thread_state s)
{
	if ((unsigned)s >= TS_COUNT)
		return "?";
	return legend_words[s];
}

enum role
glyphs_state_role(enum thread_state s)
{
	if ((unsigned)s >= TS_COUNT)
		return ROLE_DEFAULT;
	return state_roles[s];
}
