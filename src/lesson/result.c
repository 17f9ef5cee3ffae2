/* A run's structured result (see result.h). */
#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "module.h"
#include "result.h"

void
result_clear(struct result *res)
{
	memset(res, 0, sizeof *res);
}

/* The field called key, added empty at the end if there is none. */
static struct result_field *
result_slot(struct result *res, const char *key)
{
	struct result_field *f;
	size_t i;

	assert(strlen(key) < RESULT_KEY_MAX);
	for (i = 0; i < res->n; i++)
		if (strcmp(res->f[i].key, key) == 0)
			return &res->f[i];
	assert(res->n < RESULT_MAX_FIELDS);
	f = &res->f[res->n++];
	memset(f, 0, sizeof *f);
	snprintf(f->key, sizeof f->key, "%s", key);
	return f;
}

void
result_int(struct result *res, const char *key, int64_t v)
{
	struct result_field *f = result_slot(res, key);

	f->type = RESULT_INT;
	f->i = v;
}

void
result_real(struct result *res, const char *key, double v, int decimals)
{
	struct result_field *f = result_slot(res, key);

	f->type = RESULT_REAL;
	f->r = v;
	f->decimals = decimals;
}

void
result_word(struct result *res, const char *key, const char *word)
{
	struct result_field *f = result_slot(res, key);

	f->type = RESULT_WORD;
	snprintf(f->word, sizeof f->word, "%s", word);
}

void
result_put(struct result *res, const struct result_field *f)
{
	*result_slot(res, f->key) = *f;
}

const struct result_field *
result_find(const struct result *res, const char *key)
{
	size_t i;

	for (i = 0; i < res->n; i++)
		if (strcmp(res->f[i].key, key) == 0)
			return &res->f[i];
	return NULL;
}

double
result_number(const struct result *res, const char *key, double def)
{
	const struct result_field *f = result_find(res, key);

	if (f == NULL || f->type == RESULT_WORD)
		return def;
	return f->type == RESULT_INT ? (double)f->i : f->r;
}

const char *
result_word_of(const struct result *res, const char *key)
{
	const struct result_field *f = result_find(res, key);

	return f != NULL && f->type == RESULT_WORD ? f->word : NULL;
}

void
result_field_text(const struct result_field *f, char *buf, size_t len)
{
	switch (f->type) {
	case RESULT_INT:
		snprintf(buf, len, "%" PRId64, f->i);
		break;
	case RESULT_REAL:
		snprintf(buf, len, "%.*f", f->decimals, f->r);
		break;
	case RESULT_WORD:
		snprintf(buf, len, "%s", f->word);
		break;
	}
}

size_t
result_format(const struct result *res, char *buf, size_t len)
{
	char value[64];
	size_t used = 0, i;
	int n;

	if (len > 0)
		buf[0] = '\0';
	for (i = 0; i < res->n; i++) {
		result_field_text(&res->f[i], value, sizeof value);
		n = snprintf(used < len ? buf + used : NULL,
		    used < len ? len - used : 0, "%s%s=%s", i > 0 ? " " : "",
		    res->f[i].key, value);
		used += (size_t)n;
	}
	return used;
}

void
result_counter_words(
    long long counter, long long expected, char *buf, size_t len)
{
	if (counter == expected)
		snprintf(buf, len, "every one of the %lld increment%s counted",
		    expected, expected == 1 ? "" : "s");
	else
		snprintf(buf, len, "%lld of %lld increment%s lost",
		    expected - counter, expected, expected == 1 ? "" : "s");
}

int
result_counter_outcome(long long counter, long long expected, struct outcome *o)
{
	snprintf(o->key, sizeof o->key, "counter");
	snprintf(o->value, sizeof o->value, "%lld", counter);
	return counter < expected;
}
