/*
 * The keys of the lesson screen, in one table that the key bar and the
 * help overlay both read, so that they cannot disagree.
 */
#include "config.h"

#include "keys.h"

#include "util.h"

static const struct key_help key_list[] = {
    {NULL, NULL, "step",
        "step that thread (number, Shift+letter, or click its lane)", 1,
        KEYS_STEP},
    {"space", "space", "run", "auto-run (seeded random) / pause", 0, KEYS_STEP},
    {NULL, NULL, NULL, NULL, 0, KEYS_LESSON},
    {"u", "u", "undo", "undo one step (Ctrl-R: redo it)", 0, KEYS_STEP},
    {"e", "e", "explore", "explore every schedule: its outcomes and witnesses",
        0, KEYS_EXPLORE},
    {"n p", "n p", "page", "next / previous narration page", 0, KEYS_ALL},
    {"\xe2\x86\x91 \xe2\x86\x93", "up down", "read",
        "scroll a long page (PgUp PgDn: a screenful)", 0, KEYS_ALL},
    {"r", "r", "reset", "run again with the same seed", 0, KEYS_STEP},
    {"r", "r", "again", "measure again from the first run", 0, KEYS_MEASURE},
    {"r", "r", "again", "run again", 0, KEYS_FREE},
    {"+ -", "+ -", "zoom", "zoom the timelines in / out", 0, KEYS_ALL},
    {"[ ]", "[ ]", "speed", "slower / faster auto-run", 0, KEYS_STEP},
    {"s", "s", "seed", "run again with a new seed", 0, KEYS_STEP},
    {"f", "f", "free", "a free run (the OS schedules the threads)", 0,
        KEYS_STEP},
    {"f", "f", "step", "step the threads yourself again", 0, KEYS_SWITCH},
    {"\xe2\x86\x90 \xe2\x86\x92", "<- ->", "scroll",
        "scroll the timelines (Home: the start, End: live)", 0, KEYS_ALL},
    {"\xe2\x86\xb5 c h v", "RET c h v", NULL,
        "answer (Enter) / take on the challenge / a hint / give up", 0,
        KEYS_COACH},
    {"m", "m", NULL, "the lesson menu", 0, KEYS_ALL},
    {"?", "?", "help", "this help (? F1; any key closes it)", 1, KEYS_ALL},
    {"q", "q", "quit", "quit", 1, KEYS_ALL},
};
static const size_t key_count = IL_ARRAY_LEN(key_list);

/* The lesson on screen's own keys. */
static size_t
lesson_nkeys(const struct screen *s)
{
	return s->lesson != NULL ? s->lesson->module->nkeys : 0;
}

size_t
keys_total(const struct screen *s)
{
	return key_count - 1 + lesson_nkeys(s);
}

/* A lesson's key as a row: shown while its plan is measured, or always
 * for a lesson without a plan. */
static const struct key_help *
lesson_key_row(const struct lesson_module *m, size_t i, struct key_row *tmp)
{
	const struct lesson_key *k = &m->keys[i];

	tmp->own[0] = (char)k->key;
	tmp->own[1] = '\0';
	tmp->k.keys_utf8 = tmp->k.keys_ascii = tmp->own;
	tmp->k.bar = k->label;
	tmp->k.help = k->help;
	tmp->k.must = k->bar;
	tmp->k.when = module_free_only(m) ? KEYS_MEASURE : KEYS_ALL;
	return &tmp->k;
}

const struct key_help *
key_at(const struct screen *s, size_t i, struct key_row *tmp)
{
	size_t j, n = lesson_nkeys(s);

	for (j = 0; j < key_count; j++) {
		if (key_list[j].when != KEYS_LESSON) {
			if (i == 0)
				return &key_list[j];
			i--;
		} else if (i < n) {
			return lesson_key_row(s->lesson->module, i, tmp);
		} else {
			i -= n;
		}
	}
	return NULL;
}

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
	case KEYS_SWITCH:
		return s->free_run && !module_free_only(s->lesson->module);
	case KEYS_EXPLORE:
		return s->lesson->module->outcome != NULL;
	case KEYS_COACH:
		return s->lesson->npredicts + s->lesson->nquizzes +
		    s->lesson->nchallenges >
		    0;
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
