/*
 * The keys of the lesson screen, in one table that the key bar and the
 * help overlay both read, so that they cannot disagree.
 */
#include "config.h"

#include "keys.h"

#include "util.h"

const struct key_help key_list[] = {
    {NULL, NULL, "step", "step that thread (its number, or Shift+letter)", 1,
        KEYS_STEP},
    {"click", "click", NULL, "clicking a lane steps that thread", 0, KEYS_STEP},
    {"space", "space", "run", "auto-run (seeded random) / pause", 0, KEYS_STEP},
    {"a", "a", "all modes", "run every mode in turn, into the table", 1,
        KEYS_MEASURE},
    {"t", "t", "io/cpu", "switch the tasks between I/O and CPU work", 1,
        KEYS_MEASURE},
    {"i", "i", "sleep/socket", "I/O: a timed sleep, or a slow page server", 0,
        KEYS_MEASURE},
    {"g", "g", "greedy", "event loop: a task that never yields, or not", 0,
        KEYS_MEASURE},
    {"u", "u", "undo", "undo one step", 0, KEYS_STEP},
    {"n p", "n p", "page", "next / previous narration page", 0, KEYS_ALL},
    {"\xe2\x86\x91 \xe2\x86\x93", "up down", "read",
        "scroll a long page (PgUp PgDn: a screenful)", 0, KEYS_ALL},
    {"r", "r", "reset", "run again with the same seed", 0, KEYS_STEP},
    {"r", "r", "again", "measure again from the first run", 0, KEYS_MEASURE},
    {"r", "r", "again", "run again", 0, KEYS_FREE},
    {"+ -", "+ -", "zoom", "zoom the timelines in / out", 0, KEYS_ALL},
    {"[ ]", "[ ]", "speed", "slower / faster auto-run", 0, KEYS_STEP},
    {"s", "s", "seed", "run again with a new seed", 0, KEYS_STEP},
    {"\xe2\x86\x90 \xe2\x86\x92", "<- ->", "scroll",
        "scroll the timelines (Home: the start, End: live)", 0, KEYS_ALL},
    {"m", "m", NULL, "the lesson menu", 0, KEYS_ALL},
    {"?", "?", "help", "this help (? h F1; any key closes it)", 1, KEYS_ALL},
    {"q", "q", "quit", "quit", 1, KEYS_ALL},
};
const size_t key_count = IL_ARRAY_LEN(key_list);

/* Whether a key applies to the lesson on screen. */
int
key_shown(const struct key_help *k, const struct screen *s)
{
	switch (k->when) {
	case KEYS_STEP:
		return !s->free_run;
	case KEYS_MEASURE:
		return s->meas != NULL;
	case KEYS_FREE:
		return s->free_run && s->meas == NULL;
	}
	return 1;
}

/* The keys of an entry as drawn. */
const char *
key_keys(
    const struct key_help *k, const struct screen *s, char *buf, size_t len)
{
	if (k->keys_utf8 == NULL) {
		screen_step_keys(
		    s->model != NULL ? s->model->nthreads : 9, buf, len);
		return buf;
	}
	return s->glyphs == &glyphs_ascii ? k->keys_ascii : k->keys_utf8;
}
