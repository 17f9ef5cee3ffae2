/*
 * A run's structured result: typed key=value pairs that a lesson module
 * fills in from the run's real memory after every worker is joined. The
 * result line, the screen's results table, headless output and the tests
 * read these fields directly; nothing parses the result line back.
 */
#ifndef IL_RESULT_H
#define IL_RESULT_H

#include <stddef.h>
#include <stdint.h>

enum result_type {
	RESULT_INT,  /* a whole number: counter=2 */
	RESULT_REAL, /* a measurement, printed with its decimals: wall_ms=41.3 */
	RESULT_WORD  /* a named value: kind=cpu */
};

#define RESULT_MAX_FIELDS 24
#define RESULT_KEY_MAX    24
#define RESULT_WORD_MAX   128

struct result_field {
	char key[RESULT_KEY_MAX];
	enum result_type type;
	int64_t i;    /* RESULT_INT */
	double r;     /* RESULT_REAL */
	int decimals; /* RESULT_REAL: digits after the point in the line */
	char word[RESULT_WORD_MAX]; /* RESULT_WORD */
};

struct result {
	size_t n;
	struct result_field f[RESULT_MAX_FIELDS];
};

void result_clear(struct result *);

/* Set a field, replacing one with the same key; a key too long for
 * RESULT_KEY_MAX or a full result is a programming error (asserted). */
void result_int(struct result *, const char *key, int64_t v);
void result_real(struct result *, const char *key, double v, int decimals);
void result_word(struct result *, const char *key, const char *word);

/* Set a copy of field f (replacing one with the same key). */
void result_put(struct result *, const struct result_field *f);

/* The field called key, or NULL. */
const struct result_field *result_find(const struct result *, const char *key);
/* A field's value as a number (an INT or a REAL), or def when there is no
 * such number. */
double result_number(const struct result *, const char *key, double def);
/* A WORD field's word, or NULL. */
const char *result_word_of(const struct result *, const char *key);

/* One field as text ("41.3", "cpu"), for tables. */
void result_field_text(const struct result_field *, char *buf, size_t len);
/* The result line's pairs in order: "counter=1 expected=2 lost=1". Returns
 * the length it needed (as snprintf). */
size_t result_format(const struct result *, char *buf, size_t len);

/* A counter's result in words for the screen: "every one of the 2
 * increments counted", or "1 of 2 increments lost". */
void result_counter_words(
    long long counter, long long expected, char *buf, size_t len);

/* The explorer's outcome for a shared counter: counter=N, a failure
 * (returns 1) when it holds fewer than the expected increments. */
struct outcome;
int result_counter_outcome(
    long long counter, long long expected, struct outcome *);

#endif
