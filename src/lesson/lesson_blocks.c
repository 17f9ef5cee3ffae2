/*
 * The interactive blocks of a page: ```predict, ```quiz, ```challenge,
 * ```hint, ```show and ```demo. Each is read line by line, as "field: value"
 * lines or "- " items, checked against the lesson's module, and stored
 * on the lesson (see lesson.h); the page's text does not show them. The
 * syntax is documented in doc/lesson-format.md.
 */
#include <cmark.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lesson_int.h"
#include "sanitize.h"
#include "schedule.h"
#include "util.h"

/* One line of a block that is neither blank nor a comment. */
struct blk_line {
	const char *s; /* trimmed; for an item, its text after "- " */
	size_t len;
	int line;
	int item;        /* 1: a "- " or "* " item */
	const char *key; /* a field line's key and value, else NULL */
	size_t klen;
	const char *val;
	size_t vlen;
};

/* One block being read: its kind, its fields and where each was set. */
struct blk {
	const char *kind;
	int line;
	const char *const *fields;
	size_t nfields;
	int seen[8];
};

static const char *const predict_fields[] = {"ask", "key", "choices"};
static const char *const quiz_fields[] = {"ask"};
static const char *const challenge_fields[] = {
    "title", "goal", "win", "policy", "max-steps", "keys", "params"};
enum { CH_TITLE, CH_GOAL, CH_WIN, CH_POLICY, CH_MAX_STEPS, CH_KEYS, CH_PARAMS };

static const char *const show_events[] = {[LESSON_SHOW_NONE] = "",
    [LESSON_SHOW_AFTER_LOAD] = "after-load",
    [LESSON_SHOW_AFTER_STORE] = "after-store",
    [LESSON_SHOW_LOST_UPDATE] = "lost-update",
    [LESSON_SHOW_DEADLOCK] = "deadlock",
    [LESSON_SHOW_DONE] = "done"};

/* The info words of the blocks, in the order of lesson_blocks()'s table. */
static const char *const block_words[] = {
    "predict", "quiz", "challenge", "hint", "show", "demo"};

int
lesson_is_block(const char *word, size_t len)
{
	size_t i;

	for (i = 0; i < IL_ARRAY_LEN(block_words); i++)
		if (strlen(block_words[i]) == len &&
		    memcmp(block_words[i], word, len) == 0)
			return 1;
	return 0;
}

/* Split a trimmed line into an item or a field. */
static void
blk_split(struct blk_line *b)
{
	const char *colon;

	b->item = 0;
	b->key = NULL;
	if (b->len >= 1 && (b->s[0] == '-' || b->s[0] == '*') &&
	    (b->len == 1 || b->s[1] == ' ' || b->s[1] == '\t')) {
		b->item = 1;
		b->s++;
		b->len--;
		lesson_trim(&b->s, &b->len);
		return;
	}
	colon = memchr(b->s, ':', b->len);
	if (colon == NULL)
		return;
	b->key = b->s;
	b->klen = (size_t)(colon - b->s);
	b->val = colon + 1;
	b->vlen = b->len - b->klen - 1;
	lesson_trim(&b->key, &b->klen);
	lesson_trim(&b->val, &b->vlen);
}

/* Call fn on each line of block n that is not blank or a comment. */
static int
blk_each(struct lesson_parse *p, cmark_node *n,
    int (*fn)(struct lesson_parse *, void *, struct blk_line *), void *st)
{
	const char *lit = cmark_node_get_literal(n), *nl;
	struct blk_line b;
	int line = cmark_node_get_start_line(n) + 1;
	size_t len;

	for (; lit != NULL && *lit != '\0'; line++) {
		nl = strchr(lit, '\n');
		len = nl != NULL ? (size_t)(nl - lit) : strlen(lit);
		b.s = lit;
		b.len = len;
		b.line = line;
		lesson_trim(&b.s, &b.len);
		lit += len + (nl != NULL);
		if (b.len == 0 || b.s[0] == '#')
			continue;
		blk_split(&b);
		if (fn(p, st, &b) != 0)
			return -1;
	}
	return 0;
}

/* The field a line sets in block k, or -1 after reporting why not. */
static int
blk_field(struct lesson_parse *p, struct blk *k, const struct blk_line *b)
{
	char list[256] = "";
	size_t i;

	if (b->item) {
		lesson_error(p, b->line,
		    "a '- ' item in the ```%s block, which has only 'field: "
		    "value' lines",
		    k->kind);
		return -1;
	}
	if (b->key == NULL) {
		lesson_error(p, b->line,
		    "expected 'field: value' in the ```%s block, but there "
		    "is no ':' in '%.*s'",
		    k->kind, lesson_quote_len(b->len), b->s);
		return -1;
	}
	for (i = 0; i < k->nfields; i++) {
		if (strlen(k->fields[i]) != b->klen ||
		    memcmp(k->fields[i], b->key, b->klen) != 0)
			continue;
		if (k->seen[i] != 0) {
			lesson_error(p, b->line,
			    "duplicate field '%s'; it is already set on line "
			    "%d",
			    k->fields[i], k->seen[i]);
			return -1;
		}
		k->seen[i] = b->line;
		return (int)i;
	}
	for (i = 0; i < k->nfields; i++) {
		if (i > 0)
			strncat(list, ", ", sizeof list - strlen(list) - 1);
		strncat(list, k->fields[i], sizeof list - strlen(list) - 1);
	}
	lesson_error(p, b->line,
	    "unknown field '%.*s' in the ```%s block; its fields are: %s",
	    lesson_quote_len(b->klen), b->key, k->kind, list);
	return -1;
}

/* Check text for a field or an item, and return it sanitized. */
static int
blk_text(struct lesson_parse *p, const char *s, size_t len, int line,
    const char *what, char **out)
{
	size_t i;

	if (len == 0) {
		lesson_error(p, line, "%s is empty", what);
		return -1;
	}
	if (len > LESSON_FIELD_MAX) {
		lesson_error(p, line, "%s is %zu bytes long; the limit is %d",
		    what, len, LESSON_FIELD_MAX);
		return -1;
	}
	for (i = 0; i + 1 < len; i++)
		if (s[i] == '{' && s[i + 1] == '{') {
			lesson_error(p, line,
			    "'{{' in %s: placeholders work only in a page's "
			    "text",
			    what);
			return -1;
		}
	free(*out);
	*out = sanitize_text(s, len, 0);
	return 0;
}

/* Report that a block lacks a required field. */
static int
blk_missing(struct lesson_parse *p, const struct blk *k, const char *field,
    const char *example)
{
	lesson_error(p, k->line,
	    "the ```%s block has no '%s:' line; add one "
	    "such as '%s'",
	    k->kind, field, example);
	return -1;
}

/* Check that the lesson has room for one more question or challenge. */
static int
blk_room(struct lesson_parse *p, int line)
{
	const struct lesson *l = p->l;

	if (l->npredicts + l->nquizzes + l->nchallenges < LESSON_MAX_BLOCKS)
		return 0;
	lesson_error(p, line,
	    "more than %d ```predict, ```quiz and ```challenge blocks in "
	    "one lesson",
	    LESSON_MAX_BLOCKS);
	return -1;
}

/* Start reading block n of this kind. */
static void
blk_init(struct blk *k, const char *kind, cmark_node *n,
    const char *const *fields, size_t nfields)
{
	memset(k, 0, sizeof *k);
	k->kind = kind;
	k->line = cmark_node_get_start_line(n);
	k->fields = fields;
	k->nfields = nfields;
}

/* ---- ```predict ---- */

struct predict_state {
	struct blk k;
	struct lesson_predict q;
	int choices_line;
};

static void
predict_free(struct lesson_predict *q)
{
	size_t i;

	free(q->ask);
	for (i = 0; i < q->nchoices; i++)
		free(q->choices[i]);
}

/* Split "0, 1, 2" into the prediction's choices. */
static int
predict_choices(
    struct lesson_parse *p, struct lesson_predict *q, const struct blk_line *b)
{
	const char *s = b->val, *end = b->val + b->vlen, *c;
	size_t n, i;

	while (s <= end) {
		const char *v = s;

		c = memchr(s, ',', (size_t)(end - s));
		n = (size_t)((c != NULL ? c : end) - s);
		lesson_trim(&v, &n);
		if (n == 0 || n >= LESSON_WORD_MAX) {
			lesson_error(p, b->line,
			    "'choices' must be values separated by ',', each "
			    "1 to %d bytes, such as 'choices: 0, 1, 2'",
			    LESSON_WORD_MAX - 1);
			return -1;
		}
		if (q->nchoices == LESSON_MAX_CHOICES) {
			lesson_error(p, b->line, "more than %d choices",
			    LESSON_MAX_CHOICES);
			return -1;
		}
		for (i = 0; i < q->nchoices; i++)
			if (strlen(q->choices[i]) == n &&
			    memcmp(q->choices[i], v, n) == 0) {
				lesson_error(p, b->line,
				    "the choice '%.*s' is given twice", (int)n,
				    v);
				return -1;
			}
		q->choices[q->nchoices++] = sanitize_text(v, n, 0);
		if (c == NULL)
			break;
		s = c + 1;
	}
	if (q->nchoices < 2) {
		lesson_error(p, b->line,
		    "'choices' needs at least 2 values, separated by ','");
		return -1;
	}
	return 0;
}

static int
predict_line(struct lesson_parse *p, void *arg, struct blk_line *b)
{
	struct predict_state *st = arg;
	const struct lesson_module *m = p->l->module;
	char list[512];

	switch (blk_field(p, &st->k, b)) {
	case 0:
		return blk_text(
		    p, b->val, b->vlen, b->line, "'ask'", &st->q.ask);
	case 1:
		if (b->vlen == 0 || b->vlen >= LESSON_WORD_MAX ||
		    lesson_result_key(m, b->val, b->vlen) == NULL) {
			lesson_list_result_keys(m, list, sizeof list);
			lesson_error(p, b->line,
			    "module '%s' puts no '%.*s' in its result; a "
			    "prediction can ask for: %s",
			    m->id, lesson_quote_len(b->vlen), b->val, list);
			return -1;
		}
		memcpy(st->q.key, b->val, b->vlen);
		st->q.key[b->vlen] = '\0';
		return 0;
	case 2:
		st->choices_line = b->line;
		return predict_choices(p, &st->q, b);
	default:
		return -1;
	}
}

/* Each choice is a value the prediction's key can have. */
static int
predict_check_choices(struct lesson_parse *p, struct predict_state *st)
{
	const struct lesson_module *m = p->l->module;
	const struct result_key *k =
	    lesson_result_key(m, st->q.key, strlen(st->q.key));
	const char *const *words = lesson_result_words(m, k);
	size_t i, j;
	long v;

	for (i = 0; i < st->q.nchoices; i++) {
		const char *c = st->q.choices[i];

		if (k->numeric && lesson_parse_long(c, strlen(c), &v) != 0) {
			lesson_error(p, st->choices_line,
			    "'%s' is a number, so the choice '%s' must be a "
			    "whole number",
			    k->key, c);
			return -1;
		}
		for (j = 0; !k->numeric && words != NULL && words[j] != NULL;
		     j++)
			if (strcmp(words[j], c) == 0)
				break;
		if (!k->numeric && words != NULL && words[j] == NULL) {
			lesson_error(p, st->choices_line,
			    "'%s' is never '%s', so it cannot be a choice",
			    k->key, c);
			return -1;
		}
	}
	return 0;
}

static int
lesson_predict(struct lesson_parse *p, cmark_node *n)
{
	struct lesson *l = p->l;
	struct predict_state st;

	memset(&st, 0, sizeof st);
	blk_init(
	    &st.k, "predict", n, predict_fields, IL_ARRAY_LEN(predict_fields));
	st.q.page = l->npages;
	st.q.line = st.k.line;
	if (blk_room(p, st.k.line) != 0 ||
	    blk_each(p, n, predict_line, &st) != 0 ||
	    (st.q.ask == NULL &&
	        blk_missing(p, &st.k, "ask", "ask: What will counter be?")) ||
	    (st.q.key[0] == '\0' &&
	        blk_missing(p, &st.k, "key", "key: counter")) ||
	    predict_check_choices(p, &st) != 0) {
		predict_free(&st.q);
		return -1;
	}
	l->predicts =
	    xrealloc(l->predicts, (l->npredicts + 1) * sizeof *l->predicts);
	l->predicts[l->npredicts++] = st.q;
	return 0;
}

/* ---- ```quiz ---- */

struct quiz_state {
	struct blk k;
	struct lesson_quiz q;
	int right_line;
};

static void
quiz_free(struct lesson_quiz *q)
{
	size_t i;

	free(q->ask);
	for (i = 0; i < q->nchoices; i++) {
		free(q->choices[i].text);
		free(q->choices[i].why);
	}
}

/* A "- [x] text :: explanation" item. */
static int
quiz_choice(struct lesson_parse *p, struct quiz_state *st, struct blk_line *b)
{
	struct lesson_choice *c;
	const char *s = b->s, *sep = NULL, *why;
	size_t len = b->len, i, tlen, wlen;
	int right;

	if (len < 3 || s[0] != '[' || s[2] != ']' ||
	    (s[1] != ' ' && s[1] != 'x' && s[1] != 'X')) {
		lesson_error(p, b->line,
		    "a choice starts with '[x]' if it is right or '[ ]' if "
		    "not, as in '- [x] text :: why'");
		return -1;
	}
	right = s[1] != ' ';
	s += 3;
	len -= 3;
	for (i = 0; i + 1 < len; i++)
		if (s[i] == ':' && s[i + 1] == ':') {
			sep = s + i;
			break;
		}
	if (sep == NULL) {
		lesson_error(p, b->line,
		    "the choice has no explanation; add it after '::', as "
		    "in '- [ ] text :: why it is wrong'");
		return -1;
	}
	if (st->q.nchoices == LESSON_MAX_CHOICES) {
		lesson_error(
		    p, b->line, "more than %d choices", LESSON_MAX_CHOICES);
		return -1;
	}
	if (right && st->right_line != 0) {
		lesson_error(p, b->line,
		    "a second right choice; the one on line %d is already "
		    "marked '[x]', and a quiz has one right answer",
		    st->right_line);
		return -1;
	}
	tlen = (size_t)(sep - s);
	why = sep + 2;
	wlen = len - tlen - 2;
	lesson_trim(&s, &tlen);
	lesson_trim(&why, &wlen);
	c = &st->q.choices[st->q.nchoices];
	memset(c, 0, sizeof *c);
	st->q.nchoices++;
	c->right = right;
	if (right) {
		st->right_line = b->line;
		st->q.right = st->q.nchoices - 1;
	}
	if (blk_text(p, s, tlen, b->line, "the choice", &c->text) != 0 ||
	    blk_text(p, why, wlen, b->line, "the choice's explanation",
	        &c->why) != 0)
		return -1;
	return 0;
}

static int
quiz_line(struct lesson_parse *p, void *arg, struct blk_line *b)
{
	struct quiz_state *st = arg;

	if (b->item)
		return quiz_choice(p, st, b);
	if (blk_field(p, &st->k, b) != 0)
		return -1;
	return blk_text(p, b->val, b->vlen, b->line, "'ask'", &st->q.ask);
}

static int
lesson_quiz(struct lesson_parse *p, cmark_node *n)
{
	struct lesson *l = p->l;
	struct quiz_state st;
	int rc = -1;

	memset(&st, 0, sizeof st);
	blk_init(&st.k, "quiz", n, quiz_fields, IL_ARRAY_LEN(quiz_fields));
	st.q.page = l->npages;
	st.q.line = st.k.line;
	if (blk_room(p, st.k.line) != 0 || blk_each(p, n, quiz_line, &st) != 0)
		goto out;
	if (st.q.ask == NULL) {
		blk_missing(p, &st.k, "ask", "ask: Why was an update lost?");
		goto out;
	}
	if (st.q.nchoices < 2) {
		lesson_error(p, st.k.line,
		    "the quiz has %zu choice%s; it needs at least 2, one per "
		    "line as '- [x] text :: why' or '- [ ] text :: why'",
		    st.q.nchoices, st.q.nchoices == 1 ? "" : "s");
		goto out;
	}
	if (st.right_line == 0) {
		lesson_error(p, st.k.line,
		    "the quiz has no right answer; mark the right choice "
		    "'- [x]'");
		goto out;
	}
	l->quizzes =
	    xrealloc(l->quizzes, (l->nquizzes + 1) * sizeof *l->quizzes);
	l->quizzes[l->nquizzes++] = st.q;
	rc = 0;
out:
	if (rc != 0)
		quiz_free(&st.q);
	return rc;
}

/* ---- ```challenge ---- */

struct challenge_state {
	struct blk k;
	struct lesson_challenge c;
};

static void
challenge_free(struct lesson_challenge *c)
{
	size_t i;

	free(c->title);
	free(c->win);
	free(c->goal_text);
	for (i = 0; i < c->nhints; i++)
		free(c->hints[i]);
}

/* The next word of [*s, end) separated by blanks, or 0 at the end. */
static size_t
challenge_word(const char **s, const char *end, const char **word)
{
	size_t n = 0;

	while (*s < end && (**s == ' ' || **s == '\t'))
		(*s)++;
	*word = *s;
	while (*s < end && **s != ' ' && **s != '\t') {
		(*s)++;
		n++;
	}
	return n;
}

/* "keys: 1 2 u": the keys the student may press. */
static int
challenge_keys(
    struct lesson_parse *p, struct lesson_challenge *c, struct blk_line *b)
{
	const char *s = b->val, *end = b->val + b->vlen, *w;
	size_t n, k = 0;

	while ((n = challenge_word(&s, end, &w)) > 0) {
		if (n != 1 || w[0] <= ' ' || w[0] > '~') {
			lesson_error(p, b->line,
			    "'keys' lists single keys separated by spaces, "
			    "such as 'keys: 1 2 u', not '%.*s'",
			    lesson_quote_len(n), w);
			return -1;
		}
		if (memchr(c->keys, w[0], k) != NULL) {
			lesson_error(
			    p, b->line, "the key '%c' is given twice", w[0]);
			return -1;
		}
		if (k == LESSON_MAX_KEYS) {
			lesson_error(
			    p, b->line, "more than %d keys", LESSON_MAX_KEYS);
			return -1;
		}
		c->keys[k++] = w[0];
	}
	if (k == 0) {
		lesson_error(p, b->line, "'keys' has no value");
		return -1;
	}
	c->keys[k] = '\0';
	return 0;
}

/* "params: threads=2 iterations=3": the run's own parameters. */
static int
challenge_params(
    struct lesson_parse *p, struct lesson_challenge *c, struct blk_line *b)
{
	const struct lesson_module *m = p->l->module;
	const char *s = b->val, *end = b->val + b->vlen, *w, *eq;
	char name[64], accepts[256], valid[512] = "";
	size_t n;
	int idx;
	long v;

	while ((n = challenge_word(&s, end, &w)) > 0) {
		eq = memchr(w, '=', n);
		idx = -1;
		if (eq != NULL && (size_t)(eq - w) < sizeof name) {
			memcpy(name, w, (size_t)(eq - w));
			name[eq - w] = '\0';
			idx = module_param_index(m, name);
		}
		if (idx < 0 || idx >= MODULE_MAX_PARAMS) {
			lesson_list_params(m, valid, sizeof valid);
			lesson_error(p, b->line,
			    "'params' takes NAME=VALUE pairs of module '%s', "
			    "whose parameters are: %s; not '%.*s'",
			    m->id, valid, lesson_quote_len(n), w);
			return -1;
		}
		if (c->params_set & (1u << idx)) {
			lesson_error(p, b->line, "'%s' is given twice", name);
			return -1;
		}
		if (module_param_parse(&m->params[idx], eq + 1,
		        (size_t)(w + n - eq - 1), &v) != 0) {
			module_param_accepts(
			    &m->params[idx], accepts, sizeof accepts);
			lesson_error(p, b->line, "'%s' must be %s, not '%.*s'",
			    name, accepts,
			    lesson_quote_len((size_t)(w + n - eq - 1)), eq + 1);
			return -1;
		}
		c->params[idx] = v;
		c->params_set |= 1u << idx;
	}
	if (c->params_set == 0) {
		lesson_error(p, b->line, "'params' has no value");
		return -1;
	}
	return 0;
}

static int
challenge_line(struct lesson_parse *p, void *arg, struct blk_line *b)
{
	struct challenge_state *st = arg;
	struct lesson_challenge *c = &st->c;
	long v;

	switch (blk_field(p, &st->k, b)) {
	case CH_TITLE:
		return blk_text(
		    p, b->val, b->vlen, b->line, "'title'", &c->title);
	case CH_GOAL:
		if (blk_text(p, b->val, b->vlen, b->line, "'goal'",
		        &c->goal_text) != 0)
			return -1;
		return lesson_goal_parse(p, b->val, b->vlen, b->line, &c->goal);
	case CH_WIN:
		return blk_text(p, b->val, b->vlen, b->line, "'win'", &c->win);
	case CH_POLICY:
		if (b->vlen == 4 && memcmp(b->val, "step", 4) == 0)
			c->policy = LESSON_POLICY_STEP;
		else if (b->vlen == 4 && memcmp(b->val, "free", 4) == 0)
			c->policy = LESSON_POLICY_FREE;
		else {
			lesson_error(p, b->line,
			    "'policy' must be step or free, not '%.*s'",
			    lesson_quote_len(b->vlen), b->val);
			return -1;
		}
		if (c->policy == LESSON_POLICY_STEP &&
		    module_free_only(p->l->module)) {
			lesson_error(p, b->line,
			    "module '%s' runs free only, so a challenge "
			    "cannot ask for 'policy: step'",
			    p->l->module->id);
			return -1;
		}
		return 0;
	case CH_MAX_STEPS:
		if (lesson_parse_long(b->val, b->vlen, &v) != 0 || v < 1 ||
		    v > 100000) {
			lesson_error(p, b->line,
			    "'max-steps' must be a whole number from 1 to "
			    "100000, not '%.*s'",
			    lesson_quote_len(b->vlen), b->val);
			return -1;
		}
		c->max_steps = v;
		return 0;
	case CH_KEYS:
		return challenge_keys(p, c, b);
	case CH_PARAMS:
		return challenge_params(p, c, b);
	default:
		return -1;
	}
}

/* The challenge's id from its title (see lesson.h); 0, or -1 if it has
 * no letter or digit or another challenge has it. */
static int
challenge_id(struct lesson_parse *p, struct challenge_state *st)
{
	struct lesson_challenge *c = &st->c;
	const unsigned char *t = (const unsigned char *)c->title;
	size_t n = 0, i;
	int gap = 0;

	for (; *t != '\0' && n + 1 < sizeof c->id; t++) {
		if (*t < 0x80 && isalnum(*t)) {
			if (gap && n > 0 && n + 2 < sizeof c->id)
				c->id[n++] = '-';
			c->id[n++] = (char)tolower(*t);
			gap = 0;
		} else
			gap = 1;
	}
	c->id[n] = '\0';
	if (n == 0) {
		lesson_error(p, st->k.seen[CH_TITLE],
		    "a challenge's title needs a letter or a digit (ASCII): "
		    "progress names the challenge by it");
		return -1;
	}
	for (i = 0; i < p->l->nchallenges; i++) {
		if (strcmp(p->l->challenges[i].id, c->id) != 0)
			continue;
		lesson_error(p, st->k.seen[CH_TITLE],
		    "this challenge's title is too like the one at line %d "
		    "(both are '%s' to progress): give it another",
		    p->l->challenges[i].line, c->id);
		return -1;
	}
	return 0;
}

/* What can only be checked once the whole block is read. */
static int
challenge_check(struct lesson_parse *p, struct challenge_state *st)
{
	const struct lesson_module *m = p->l->module;
	struct lesson_challenge *c = &st->c;
	char why[256];

	if (c->title == NULL)
		return blk_missing(p, &st->k, "title", "title: Lose an update");
	if (challenge_id(p, st) != 0)
		return -1;
	if (c->goal_text == NULL)
		return blk_missing(p, &st->k, "goal", "goal: lost >= 1");
	if (c->max_steps != 0 && c->policy != LESSON_POLICY_STEP) {
		lesson_error(p, st->k.seen[CH_MAX_STEPS],
		    "'max-steps' needs 'policy: step': only a stepped run "
		    "counts steps");
		return -1;
	}
	if (m->validate != NULL &&
	    m->validate(c->params, c->policy == LESSON_POLICY_STEP, why,
	        sizeof why) != 0) {
		lesson_error(p,
		    st->k.seen[CH_PARAMS] != 0 ? st->k.seen[CH_PARAMS]
		                               : st->k.line,
		    "the challenge's run cannot start: %s", why);
		return -1;
	}
	return 0;
}

static int
lesson_challenge(struct lesson_parse *p, cmark_node *n)
{
	struct lesson *l = p->l;
	struct challenge_state st;

	memset(&st, 0, sizeof st);
	blk_init(&st.k, "challenge", n, challenge_fields,
	    IL_ARRAY_LEN(challenge_fields));
	st.c.page = l->npages;
	st.c.line = st.k.line;
	memcpy(st.c.params, l->params, sizeof st.c.params);
	if (blk_room(p, st.k.line) != 0 ||
	    blk_each(p, n, challenge_line, &st) != 0 ||
	    challenge_check(p, &st) != 0) {
		challenge_free(&st.c);
		return -1;
	}
	l->challenges = xrealloc(
	    l->challenges, (l->nchallenges + 1) * sizeof *l->challenges);
	l->challenges[l->nchallenges++] = st.c;
	return 0;
}

void
lesson_predict_id(size_t i, char *buf, size_t len)
{
	snprintf(buf, len, "predict-%zu", i + 1);
}

void
lesson_quiz_id(size_t i, char *buf, size_t len)
{
	snprintf(buf, len, "quiz-%zu", i + 1);
}

/* ---- ```hint ---- */

static int
hint_line(struct lesson_parse *p, void *arg, struct blk_line *b)
{
	struct lesson_challenge *c = arg;

	if (c->nhints == LESSON_MAX_HINTS) {
		lesson_error(p, b->line, "more than %d hints for one challenge",
		    LESSON_MAX_HINTS);
		return -1;
	}
	c->hints[c->nhints] = NULL;
	if (blk_text(p, b->s, b->len, b->line, "the hint",
	        &c->hints[c->nhints]) != 0)
		return -1;
	c->nhints++;
	return 0;
}

static int
lesson_hint(struct lesson_parse *p, cmark_node *n)
{
	struct lesson *l = p->l;
	struct lesson_challenge *c;
	int line = cmark_node_get_start_line(n);

	if (l->nchallenges == 0) {
		lesson_error(p, line,
		    "a ```hint block with no ```challenge before it; hints "
		    "belong to the challenge above them");
		return -1;
	}
	c = &l->challenges[l->nchallenges - 1];
	if (c->hint_line != 0) {
		lesson_error(p, line,
		    "a second ```hint block for the challenge on line %d; "
		    "its hints are on line %d, so put them all there",
		    c->line, c->hint_line);
		return -1;
	}
	c->hint_line = line;
	if (blk_each(p, n, hint_line, c) != 0)
		return -1;
	if (c->nhints == 0) {
		lesson_error(p, line,
		    "the ```hint block has no hints; write one per line");
		return -1;
	}
	return 0;
}

/* ---- ```show ---- */

static int
show_line(struct lesson_parse *p, void *arg, struct blk_line *b)
{
	struct lesson_show *sh = arg;
	const struct lesson_module *m = p->l->module;
	const char *s = b->s, *end = b->s + b->len, *w, *t;
	size_t n, tn, e;
	int nthreads;

	if (sh->event != LESSON_SHOW_NONE) {
		lesson_error(p, b->line,
		    "a ```show block holds one event; it is already set "
		    "above");
		return -1;
	}
	n = challenge_word(&s, end, &w);
	tn = challenge_word(&s, end, &t);
	for (e = 1; e < LESSON_SHOW_COUNT; e++)
		if (strlen(show_events[e]) == n &&
		    memcmp(show_events[e], w, n) == 0)
			break;
	if (e == LESSON_SHOW_COUNT || s != end) {
		lesson_error(p, b->line,
		    "unknown event '%.*s'; a page can be shown at: "
		    "after-load A, after-store A, lost-update, deadlock, "
		    "done",
		    lesson_quote_len(b->len), b->s);
		return -1;
	}
	if (!lesson_show_allowed(m, (enum lesson_show_event)e)) {
		lesson_error(p, b->line,
		    "the event '%s' never happens in module '%s'",
		    show_events[e], m->id);
		return -1;
	}
	sh->event = (enum lesson_show_event)e;
	if (e != LESSON_SHOW_AFTER_LOAD && e != LESSON_SHOW_AFTER_STORE) {
		if (tn == 0)
			return 0;
		lesson_error(
		    p, b->line, "'%s' takes no thread", show_events[e]);
		return -1;
	}
	nthreads = m->threads != NULL ? m->threads(p->l->params) : 1;
	if (tn != 1 || t[0] < 'A' || t[0] > 'Z' || t[0] - 'A' >= nthreads) {
		lesson_error(p, b->line,
		    "'%s' needs the thread's letter, A to %c, as in '%s A'",
		    show_events[e], 'A' + (nthreads > 26 ? 25 : nthreads - 1),
		    show_events[e]);
		return -1;
	}
	sh->thread = t[0] - 'A';
	return 0;
}

static int
lesson_show(struct lesson_parse *p, cmark_node *n)
{
	struct lesson_show sh;
	int line = cmark_node_get_start_line(n);

	if (p->page_show.line != 0) {
		lesson_error(p, line,
		    "a second ```show block on this page; the first is on "
		    "line %d",
		    p->page_show.line);
		return -1;
	}
	memset(&sh, 0, sizeof sh);
	if (blk_each(p, n, show_line, &sh) != 0)
		return -1;
	if (sh.event == LESSON_SHOW_NONE) {
		lesson_error(p, line,
		    "the ```show block is empty; write the event, such as "
		    "'lost-update' or 'done'");
		return -1;
	}
	sh.line = line;
	p->page_show = sh;
	return 0;
}

/* ---- ```demo ---- */

static const char *const demo_fields[] = {"schedule", "steps", "stop"};
enum { DEMO_SCHEDULE, DEMO_STEPS, DEMO_STOP };

struct demo_state {
	struct blk k;
	struct lesson_demo *d;
};

/* 'steps: 1,2,1,2': every thread one the lesson has. */
static int
demo_steps(struct lesson_parse *p, struct lesson_demo *d, struct blk_line *b)
{
	const struct lesson_module *m = p->l->module;
	struct schedule s;
	char err[256], *text;
	int nthreads = m->threads != NULL ? m->threads(p->l->params) : 1;
	size_t i;

	text = xmalloc(b->vlen + 1);
	memcpy(text, b->val, b->vlen);
	text[b->vlen] = '\0';
	if (schedule_parse(text, &s, err, sizeof err) != SCHEDULE_OK) {
		free(text);
		lesson_error(p, b->line, "'steps': %s", err);
		return -1;
	}
	free(text);
	for (i = 0; i < s.n; i++)
		if (s.items[i] >= nthreads) {
			lesson_error(p, b->line,
			    "'steps' item %zu is thread %d, but the lesson "
			    "has %d threads",
			    i + 1, s.items[i] + 1, nthreads);
			schedule_free(&s);
			return -1;
		}
	d->steps = xmalloc((s.n > 0 ? s.n : 1) * sizeof *d->steps);
	memcpy(d->steps, s.items, s.n * sizeof *d->steps);
	d->nsteps = s.n;
	schedule_free(&s);
	return 0;
}

/* 'stop: STEP PAGE': the page as written, resolved at the end. */
static int
demo_stop(struct lesson_parse *p, struct lesson_demo *d, struct blk_line *b)
{
	const char *s = b->val, *end = b->val + b->vlen, *w;
	size_t n = challenge_word(&s, end, &w), rest;
	struct lesson_stop *st;
	long step;

	if (d->nstops == LESSON_MAX_STOPS) {
		lesson_error(p, b->line, "more than %d stops in one demo",
		    LESSON_MAX_STOPS);
		return -1;
	}
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	rest = (size_t)(end - s);
	if (n == 0 || lesson_parse_long(w, n, &step) != 0 || step < 0 ||
	    rest == 0) {
		lesson_error(p, b->line,
		    "expected 'stop: STEP PAGE' (a step count and a page's "
		    "number or title), as in 'stop: 2 The lost update', not "
		    "'%.*s'",
		    lesson_quote_len(b->vlen), b->val);
		return -1;
	}
	if (d->nstops > 0 && step <= d->stops[d->nstops - 1].step) {
		lesson_error(p, b->line,
		    "the stop at step %ld comes after the one at step %ld; "
		    "list the stops in step order, one per step",
		    step, d->stops[d->nstops - 1].step);
		return -1;
	}
	st = &d->stops[d->nstops];
	st->step = step;
	st->line = b->line;
	p->stop_page[d->nstops] = sanitize_text(s, rest, 0);
	d->nstops++;
	return 0;
}

static int
demo_line(struct lesson_parse *p, void *arg, struct blk_line *b)
{
	struct demo_state *st = arg;
	struct lesson_demo *d = st->d;
	int f;

	if (b->key != NULL && b->klen == 4 && memcmp(b->key, "stop", 4) == 0)
		return demo_stop(p, d, b);
	if ((f = blk_field(p, &st->k, b)) < 0)
		return -1;
	if (d->schedule_line != 0) {
		lesson_error(p, b->line,
		    "the demo's steps are already given on line %d; give "
		    "either 'schedule:' or 'steps:', once",
		    d->schedule_line);
		return -1;
	}
	d->schedule_line = b->line;
	if (f == DEMO_STEPS)
		return demo_steps(p, d, b);
	if (b->vlen > 0 && b->val[0] == '@') {
		b->val++;
		b->vlen--;
	}
	if (!lesson_schedule_name_ok(b->val, b->vlen)) {
		lesson_error(p, b->line,
		    "'schedule' must be the name of a schedule (letters, "
		    "digits, '-' and '_'), not '%.*s'",
		    lesson_quote_len(b->vlen), b->val);
		return -1;
	}
	d->schedule = sanitize_text(b->val, b->vlen, 0);
	return 0;
}

static int
lesson_demo(struct lesson_parse *p, cmark_node *n)
{
	struct lesson_demo *d = &p->l->demo;
	struct demo_state st;
	int line = cmark_node_get_start_line(n);

	if (d->line != 0) {
		lesson_error(p, line,
		    "a second ```demo block; a lesson has one demo, on line "
		    "%d",
		    d->line);
		return -1;
	}
	d->line = line;
	blk_init(&st.k, "demo", n, demo_fields, IL_ARRAY_LEN(demo_fields));
	st.d = d;
	if (blk_each(p, n, demo_line, &st) != 0)
		return -1;
	if (d->schedule_line == 0) {
		lesson_error(p, line,
		    "the ```demo block has no steps; add 'schedule: "
		    "lost-update' or 'steps: 1,2,1,2'");
		return -1;
	}
	if (d->steps != NULL && d->nstops > 0 &&
	    d->stops[d->nstops - 1].step > (long)d->nsteps) {
		lesson_error(p, d->stops[d->nstops - 1].line,
		    "the stop at step %ld is past the demo's end: it has %zu "
		    "steps",
		    d->stops[d->nstops - 1].step, d->nsteps);
		return -1;
	}
	return 0;
}

int
lesson_demo_resolve(struct lesson_parse *p)
{
	struct lesson *l = p->l;
	struct lesson_demo *d = &l->demo;
	size_t i, k;
	long num;

	for (i = 0; i < d->nstops; i++) {
		const char *ref = p->stop_page[i];

		if (lesson_parse_long(ref, strlen(ref), &num) == 0) {
			if (num < 1 || (size_t)num > l->npages) {
				lesson_error(p, d->stops[i].line,
				    "page %ld: the lesson has pages 1 to %zu",
				    num, l->npages);
				return -1;
			}
			d->stops[i].page = (size_t)num - 1;
			continue;
		}
		for (k = 0; k < l->npages; k++)
			if (strcmp(l->pages[k].title, ref) == 0)
				break;
		if (k == l->npages) {
			lesson_error(p, d->stops[i].line,
			    "no page is called '%s'; write a page's title as "
			    "its heading has it, or its number",
			    ref);
			return -1;
		}
		d->stops[i].page = k;
	}
	return 0;
}

int
lesson_demo_load(const struct lesson *l, const char *const *dirs,
    struct schedule *out, char *err, size_t errlen)
{
	const struct lesson_demo *d = &l->demo;
	char spec[256], msg[1024];
	enum schedule_error rc;

	memset(out, 0, sizeof *out);
	if (d->line == 0) {
		snprintf(err, errlen, "%s: the lesson has no ```demo block",
		    l->path);
		return SCHEDULE_NOT_FOUND;
	}
	if (d->schedule == NULL) {
		out->items = xmalloc((d->nsteps + 1) * sizeof *out->items);
		memcpy(out->items, d->steps, d->nsteps * sizeof *out->items);
		out->n = d->nsteps;
		return SCHEDULE_OK;
	}
	snprintf(spec, sizeof spec, "@%s", d->schedule);
	if ((rc = schedule_load(spec, dirs, out, msg, sizeof msg)) !=
	    SCHEDULE_OK) {
		snprintf(
		    err, errlen, "%s:%d: %s", l->path, d->schedule_line, msg);
		return rc;
	}
	if (d->nstops > 0 && d->stops[d->nstops - 1].step > (long)out->n) {
		snprintf(err, errlen,
		    "%s:%d: the stop at step %ld is past the demo's end: "
		    "schedule '%s' has %zu steps",
		    l->path, d->stops[d->nstops - 1].line,
		    d->stops[d->nstops - 1].step, d->schedule, out->n);
		schedule_free(out);
		return SCHEDULE_BAD_DATA;
	}
	return SCHEDULE_OK;
}

int
lesson_blocks(
    struct lesson_parse *p, cmark_node *n, const char *word, size_t len)
{
	static int (*const read[])(struct lesson_parse *, cmark_node *) = {
	    lesson_predict, lesson_quiz, lesson_challenge, lesson_hint,
	    lesson_show, lesson_demo};
	size_t i;

	/* A ```lesson block after the first page is an error of its own,
	 * but the blocks before it would have no module to check against. */
	if (p->l->module == NULL) {
		lesson_error(p, cmark_node_get_start_line(n),
		    "the ```%.*s block needs the lesson's module, but no "
		    "```lesson block comes before the first page (line %d)",
		    (int)len, word, p->page_line);
		return -1;
	}
	for (i = 0; i < IL_ARRAY_LEN(block_words); i++)
		if (strlen(block_words[i]) == len &&
		    memcmp(block_words[i], word, len) == 0)
			return read[i](p, n);
	return -1;
}

void
lesson_blocks_free(struct lesson *l)
{
	size_t i;

	for (i = 0; i < l->npredicts; i++)
		predict_free(&l->predicts[i]);
	for (i = 0; i < l->nquizzes; i++)
		quiz_free(&l->quizzes[i]);
	for (i = 0; i < l->nchallenges; i++)
		challenge_free(&l->challenges[i]);
	free(l->predicts);
	free(l->quizzes);
	free(l->challenges);
	free(l->demo.schedule);
	free(l->demo.steps);
}
