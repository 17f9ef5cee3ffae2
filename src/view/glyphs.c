#include "glyphs.h"

const struct glyphs glyphs_utf8 = {
    .state =
        {
            [TS_NONE] = ' ',
            [TS_RUNNING] = 0x2588,   /* █ full block */
            [TS_READY] = 0x00b7,     /* · middle dot */
            [TS_IO] = 0x2248,        /* ≈ almost equal */
            [TS_LOCK_WAIT] = 0x2592, /* ▒ medium shade */
            [TS_DONE] = 0x2500,      /* ─ light horizontal */
        },
    .lost = 0x2717, /* ✗ ballot x */
};

const struct glyphs glyphs_ascii = {
    .state =
        {
            [TS_NONE] = ' ',
            [TS_RUNNING] = '#',
            [TS_READY] = '.',
            [TS_IO] = '~',
            [TS_LOCK_WAIT] = 'L',
            [TS_DONE] = '_',
        },
    .lost = 'X',
};

static const char *const legend_words[TS_COUNT] = {
    [TS_NONE] = "not started",
    [TS_RUNNING] = "running",
    [TS_READY] = "ready",
    [TS_IO] = "blocked on I/O",
    [TS_LOCK_WAIT] = "waiting for a lock",
    [TS_DONE] = "done",
};

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
	switch (s) {
	case TS_RUNNING:
		return ROLE_RUNNING;
	case TS_READY:
		return ROLE_READY;
	case TS_IO:
		return ROLE_IO;
	case TS_LOCK_WAIT:
		return ROLE_LOCK_WAIT;
	case TS_DONE:
		return ROLE_DONE;
	default:
		return ROLE_DEFAULT;
	}
}
