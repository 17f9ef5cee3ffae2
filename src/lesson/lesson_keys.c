/*
 * What a module's runs put in their result, for the blocks that name
 * result keys (a prediction's key, a challenge's goal), and the events a
 * page may wait for. Each module lists its own (result_keys and
 * show_events in struct lesson_module), since a lesson is checked
 * without running it; tests/test_lesson_blocks.c runs each module's
 * result hook on a small run and checks that the list and the hook
 * agree. Shared code names no lesson (tests/layers.sh).
 */
#include <string.h>

#include "lesson_int.h"
#include "util.h"

/* run_result() adds it to every result: the events the queue dropped. */
static const struct result_key common_keys[] = {{"dropped", 1, NULL}};

/* The i-th result key of m: its own, then the common ones. */
static const struct result_key *
lesson_key_at(const struct lesson_module *m, size_t i)
{
	if (i < m->nresult_keys)
		return &m->result_keys[i];
	i -= m->nresult_keys;
	return i < IL_ARRAY_LEN(common_keys) ? &common_keys[i] : NULL;
}

const struct result_key *
lesson_result_key(const struct lesson_module *m, const char *key, size_t len)
{
	const struct result_key *k;
	size_t i;

	for (i = 0; (k = lesson_key_at(m, i)) != NULL; i++)
		if (strlen(k->key) == len && memcmp(k->key, key, len) == 0)
			return k;
	return NULL;
}

const char *const *
lesson_result_words(const struct lesson_module *m, const struct result_key *k)
{
	int idx;

	if (k->numeric || k->words != NULL)
		return k->words;
	idx = module_param_index(m, k->key);
	return idx >= 0 ? m->params[idx].names : NULL;
}

size_t
lesson_result_keys(const struct lesson_module *m, const char **keys, size_t max)
{
	const struct result_key *k;
	size_t i;

	for (i = 0; (k = lesson_key_at(m, i)) != NULL; i++)
		if (i < max)
			keys[i] = k->key;
	return i;
}

void
lesson_list_result_keys(const struct lesson_module *m, char *buf, size_t size)
{
	const struct result_key *k;
	size_t i;

	buf[0] = '\0';
	for (i = 0; (k = lesson_key_at(m, i)) != NULL; i++) {
		if (i > 0)
			strncat(buf, ", ", size - strlen(buf) - 1);
		strncat(buf, k->key, size - strlen(buf) - 1);
	}
}

int
lesson_show_allowed(const struct lesson_module *m, enum lesson_show_event e)
{
	return (m->show_events & LESSON_SHOW_BIT(e)) != 0;
}
