/*
 * A challenge's goal: comparisons of the run's result keys joined by
 * 'and', such as "lost >= 1" or "deadlock = yes and philosophers = 5".
 * Parsed and checked against the module's result keys when the lesson
 * loads; met or not on a run's structured result.
 */
#include <stdio.h>
#include <string.h>

#include "lesson_int.h"
#include "result.h"

static const char *const op_names[] = {[LESSON_EQ] = "=",
    [LESSON_NE] = "!=",
    [LESSON_LT] = "<",
    [LESSON_LE] = "<=",
    [LESSON_GT] = ">",
    [LESSON_GE] = ">="};

static int
goal_key_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

/* A value: letters, digits and "_-./". */
static int
goal_value_char(char c)
{
	return goal_key_char(c) || (c >= 'A' && c <= 'Z') || c == '-' ||
	    c == '.' || c == '/';
}

static void
goal_skip_blanks(const char *s, size_t len, size_t *i)
{
	while (*i < len && (s[*i] == ' ' || s[*i] == '\t'))
		(*i)++;
}

/* The operator at s[*i], or -1. */
static int
goal_op(const char *s, size_t len, size_t *i)
{
	char c = *i < len ? s[*i] : '\0', d = *i + 1 < len ? s[*i + 1] : '\0';

	if (c == '!' && d == '=')
		return *i += 2, LESSON_NE;
	if (c == '<' || c == '>') {
		if (d == '=')
			return *i += 2, c == '<' ? LESSON_LE : LESSON_GE;
		return *i += 1, c == '<' ? LESSON_LT : LESSON_GT;
	}
	if (c == '=')
		return *i += d == '=' ? 2 : 1, LESSON_EQ;
	return -1;
}

/* Check one term against the module's result keys and store it. */
static int
goal_term(struct lesson_parse *p, int line, const char *key, size_t klen,
    int op, const char *val, size_t vlen, struct lesson_term *t)
{
	const struct lesson_module *m = p->l->module;
	const struct result_key *k = lesson_result_key(m, key, klen);
	const char *const *words;
	char list[512];
	long v;
	size_t i;

	if (k == NULL) {
		lesson_list_result_keys(m, list, sizeof list);
		lesson_error(p, line,
		    "module '%s' puts no '%.*s' in its result; a goal can "
		    "compare: %s",
		    m->id, lesson_quote_len(klen), key, list);
		return -1;
	}
	memcpy(t->key, key, klen);
	t->key[klen] = '\0';
	t->op = (enum lesson_op)op;
	t->numeric = k->numeric;
	if (k->numeric) {
		if (lesson_parse_long(val, vlen, &v) != 0) {
			lesson_error(p, line,
			    "'%s' is a number, so compare it with a whole "
			    "number, not '%.*s'",
			    t->key, lesson_quote_len(vlen), val);
			return -1;
		}
		t->number = v;
		return 0;
	}
	if (op != LESSON_EQ && op != LESSON_NE) {
		lesson_error(p, line,
		    "'%s' is a word, so it can only be compared with = or "
		    "!=, not %s",
		    t->key, op_names[op]);
		return -1;
	}
	words = lesson_result_words(m, k);
	for (i = 0; words != NULL && words[i] != NULL; i++)
		if (strlen(words[i]) == vlen &&
		    memcmp(words[i], val, vlen) == 0)
			break;
	if (words != NULL && words[i] == NULL) {
		list[0] = '\0';
		for (i = 0; words[i] != NULL; i++) {
			if (i > 0)
				strncat(
				    list, ", ", sizeof list - strlen(list) - 1);
			strncat(list, words[i], sizeof list - strlen(list) - 1);
		}
		lesson_error(p, line, "'%s' is one of %s, never '%.*s'", t->key,
		    list, lesson_quote_len(vlen), val);
		return -1;
	}
	memcpy(t->word, val, vlen);
	t->word[vlen] = '\0';
	return 0;
}

int
lesson_goal_parse(struct lesson_parse *p, const char *s, size_t len, int line,
    struct lesson_goal *g)
{
	size_t i = 0, k0, klen, v0, vlen;
	int op;

	memset(g, 0, sizeof *g);
	for (;;) {
		goal_skip_blanks(s, len, &i);
		for (k0 = i; i < len && goal_key_char(s[i]); i++)
			;
		klen = i - k0;
		if (klen == 0 || klen >= LESSON_WORD_MAX) {
			lesson_error(p, line,
			    "cannot read the goal at '%.*s': expected a "
			    "result key in lower case, such as 'lost'",
			    lesson_quote_len(len - k0), s + k0);
			return -1;
		}
		goal_skip_blanks(s, len, &i);
		if ((op = goal_op(s, len, &i)) < 0) {
			lesson_error(p, line,
			    "cannot read the goal at '%.*s': expected one of "
			    "= != < <= > >= after '%.*s'",
			    lesson_quote_len(len - i), s + i, (int)klen,
			    s + k0);
			return -1;
		}
		goal_skip_blanks(s, len, &i);
		for (v0 = i; i < len && goal_value_char(s[i]); i++)
			;
		vlen = i - v0;
		if (vlen == 0 || vlen >= LESSON_WORD_MAX) {
			lesson_error(p, line,
			    "cannot read the goal at '%.*s': expected a "
			    "number or a word after '%s'",
			    lesson_quote_len(len - v0), s + v0, op_names[op]);
			return -1;
		}
		if (g->nterms == LESSON_MAX_TERMS) {
			lesson_error(p, line,
			    "the goal has more than %d comparisons",
			    LESSON_MAX_TERMS);
			return -1;
		}
		if (goal_term(p, line, s + k0, klen, op, s + v0, vlen,
		        &g->terms[g->nterms]) != 0)
			return -1;
		g->nterms++;
		goal_skip_blanks(s, len, &i);
		if (i == len)
			return 0;
		if (len - i < 4 || memcmp(s + i, "and", 3) != 0 ||
		    (s[i + 3] != ' ' && s[i + 3] != '\t')) {
			lesson_error(p, line,
			    "cannot read the goal at '%.*s': comparisons are "
			    "joined by 'and'",
			    lesson_quote_len(len - i), s + i);
			return -1;
		}
		i += 3;
	}
}

/* Whether a compared with b by op holds. */
static int
goal_holds(enum lesson_op op, double a, double b)
{
	switch (op) {
	case LESSON_EQ:
		return a == b;
	case LESSON_NE:
		return a != b;
	case LESSON_LT:
		return a < b;
	case LESSON_LE:
		return a <= b;
	case LESSON_GT:
		return a > b;
	case LESSON_GE:
		return a >= b;
	}
	return 0;
}

int
lesson_goal_met(const struct lesson_goal *g, const struct result *res)
{
	const struct result_field *f;
	size_t i;

	for (i = 0; i < g->nterms; i++) {
		const struct lesson_term *t = &g->terms[i];

		if ((f = result_find(res, t->key)) == NULL)
			return 0;
		if (t->numeric) {
			if (f->type == RESULT_WORD ||
			    !goal_holds(t->op,
			        f->type == RESULT_INT ? (double)f->i : f->r,
			        (double)t->number))
				return 0;
		} else if (f->type != RESULT_WORD ||
		    (strcmp(f->word, t->word) == 0) != (t->op == LESSON_EQ))
			return 0;
	}
	return 1;
}
