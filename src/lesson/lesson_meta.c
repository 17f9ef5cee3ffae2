/*
 * The ```lesson metadata block: key: value lines, the module, its
 * parameters, the summary, the suggested schedule, the menu order and
 * the chapter.
 */
#include <cmark.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lesson_int.h"
#include "sanitize.h"
#include "util.h"
#include <errno.h>

/* The keys every lesson may set, in the order of their slots. */
static const char *const lesson_fixed_keys[] = {
    "module", "summary", "schedule", "order", "chapter"};

/* Strip blanks from both ends of [*s, *s + *len). */
void
lesson_trim(const char **s, size_t *len)
{
	while (*len > 0 && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 &&
	    ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t' ||
	        (*s)[*len - 1] == '\r'))
		(*len)--;
}

/* Parse a decimal integer: 0, -1 if it is not one, -2 if it overflows. */
int
lesson_parse_long(const char *s, size_t len, long *out)
{
	char buf[32];
	size_t i = 0;

	if (len > 0 && (s[0] == '+' || s[0] == '-'))
		i++;
	if (i == len)
		return -1;
	for (; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
	}
	if (len >= sizeof buf)
		return -2;
	memcpy(buf, s, len);
	buf[len] = '\0';
	errno = 0;
	*out = strtol(buf, NULL, 10);
	return errno == ERANGE ? -2 : 0;
}

/* Split one line of the ```lesson block; 1 if it is a key: value line, 0
 * for a comment or blank line, -1 on a syntax error. */
static int
lesson_meta_split(struct lesson_parse *p, const char *s, size_t len, int line,
    struct lesson_kv *kv)
{
	const char *colon;

	lesson_trim(&s, &len);
	if (len == 0 || s[0] == '#')
		return 0;
	colon = memchr(s, ':', len);
	if (colon == NULL) {
		lesson_error(p, line,
		    "expected 'key: value', but there is no ':' in '%.*s'",
		    lesson_quote_len(len), s);
		return -1;
	}
	kv->key = s;
	kv->klen = (size_t)(colon - s);
	kv->value = colon + 1;
	kv->vlen = len - kv->klen - 1;
	kv->line = line;
	lesson_trim(&kv->key, &kv->klen);
	lesson_trim(&kv->value, &kv->vlen);
	if (kv->klen == 0) {
		lesson_error(p, line,
		    "expected 'key: value', but the key "
		    "before ':' is missing");
		return -1;
	}
	return 1;
}

/* Walk the lines of the ```lesson block: call fn on each key: value line
 * until it fails. */
static int
lesson_meta_each(struct lesson_parse *p, cmark_node *block,
    int (*fn)(struct lesson_parse *, struct lesson_kv *))
{
	const char *lit = cmark_node_get_literal(block), *nl;
	int line = cmark_node_get_start_line(block) + 1, r;
	struct lesson_kv kv;
	size_t len;

	if (lit == NULL)
		return 0;
	for (; *lit != '\0'; line++) {
		nl = strchr(lit, '\n');
		len = nl != NULL ? (size_t)(nl - lit) : strlen(lit);
		r = lesson_meta_split(p, lit, len, line, &kv);
		if (r < 0 || (r > 0 && fn(p, &kv) != 0))
			return -1;
		lit += len + (nl != NULL);
	}
	return 0;
}

/* Add name to a list of names for a message, after ", " unless it is the
 * first. */
static void
lesson_list_add(char *buf, size_t size, const char *name)
{
	if (buf[0] != '\0')
		strncat(buf, ", ", size - strlen(buf) - 1);
	strncat(buf, name, size - strlen(buf) - 1);
}

/* Add the names of a module's parameters to a list. */
void
lesson_list_params(const struct lesson_module *m, char *buf, size_t size)
{
	size_t i;

	for (i = 0; i < m->nparams && i < MODULE_MAX_PARAMS; i++)
		lesson_list_add(buf, size, m->params[i].name);
}

/* Find the module a lesson names, or report it unknown. */
static int
lesson_meta_module(struct lesson_parse *p, const struct lesson_kv *kv)
{
	char id[64], known[256] = "";
	size_t i;

	if (kv->vlen == 0) {
		lesson_error(p, kv->line, "'module' has no value");
		return -1;
	}
	if (kv->vlen < sizeof id) {
		memcpy(id, kv->value, kv->vlen);
		id[kv->vlen] = '\0';
		p->l->module = module_find(id);
		if (p->l->module != NULL)
			return 0;
	}
	for (i = 0; module_table[i] != NULL; i++)
		lesson_list_add(known, sizeof known, module_table[i]->id);
	lesson_error(p, kv->line, "unknown module '%.*s'; known modules: %s",
	    lesson_quote_len(kv->vlen), kv->value, known);
	return -1;
}

/* First pass: syntax only, and find the module. */
static int
lesson_meta_find_module(struct lesson_parse *p, struct lesson_kv *kv)
{
	if (kv->klen != 6 || memcmp(kv->key, "module", 6) != 0)
		return 0;
	if (p->key_line[KEY_MODULE] != 0) {
		lesson_error(p, kv->line,
		    "duplicate key 'module'; it is "
		    "already set on line %d",
		    p->key_line[KEY_MODULE]);
		return -1;
	}
	p->key_line[KEY_MODULE] = kv->line;
	return lesson_meta_module(p, kv);
}

/* The slot of a key for the lesson's module, or -1 if it is unknown. */
static int
lesson_key_slot(struct lesson_parse *p, const struct lesson_kv *kv)
{
	char key[64];
	size_t i;
	int idx;

	if (kv->klen >= sizeof key)
		return -1;
	memcpy(key, kv->key, kv->klen);
	key[kv->klen] = '\0';
	for (i = 0; i < IL_ARRAY_LEN(lesson_fixed_keys); i++) {
		if (strcmp(key, lesson_fixed_keys[i]) == 0)
			return (int)i;
	}
	idx = module_param_index(p->l->module, key);
	if (idx < 0 || idx >= MODULE_MAX_PARAMS)
		return -1;
	return KEY_PARAM0 + idx;
}

/* Report an unknown key, listing the valid ones. */
static void
lesson_unknown_key(struct lesson_parse *p, const struct lesson_kv *kv)
{
	char valid[512] = "";
	size_t i;

	for (i = 0; i < IL_ARRAY_LEN(lesson_fixed_keys); i++)
		lesson_list_add(valid, sizeof valid, lesson_fixed_keys[i]);
	lesson_list_params(p->l->module, valid, sizeof valid);
	lesson_error(p, kv->line, "unknown key '%.*s'; valid keys are: %s",
	    lesson_quote_len(kv->klen), kv->key, valid);
}

/* Set a module parameter from its value. */
static int
lesson_meta_param(struct lesson_parse *p, struct lesson_kv *kv, int idx)
{
	const struct param_def *d = &p->l->module->params[idx];
	char accepts[256];
	long v;
	int r = module_param_parse(d, kv->value, kv->vlen, &v);

	if (r == 0) {
		p->l->params[idx] = v;
		return 0;
	}
	module_param_accepts(d, accepts, sizeof accepts);
	if (d->names != NULL)
		lesson_error(p, kv->line, "'%s' must be %s, not '%.*s'",
		    d->name, accepts, lesson_quote_len(kv->vlen), kv->value);
	else if (r == -1)
		lesson_error(p, kv->line, "'%s' must be an integer, not '%.*s'",
		    d->name, lesson_quote_len(kv->vlen), kv->value);
	else
		lesson_error(p, kv->line,
		    "'%s' is %.*s, out of range: it must be between %ld and "
		    "%ld",
		    d->name, lesson_quote_len(kv->vlen), kv->value, d->min,
		    d->max);
	return -1;
}

/* Whether s is a schedule name: letters, digits, '-' and '_'. */
int
lesson_schedule_name_ok(const char *s, size_t len)
{
	size_t i;

	if (len == 0)
		return 0;
	for (i = 0; i < len; i++) {
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		        (s[i] >= 'A' && s[i] <= 'Z') ||
		        (s[i] >= '0' && s[i] <= '9') || s[i] == '-' ||
		        s[i] == '_'))
			return 0;
	}
	return 1;
}

/* The 'chapter' key: plain text on one line, at most LESSON_CHAPTER_MAX
 * bytes, without placeholders. */
static int
lesson_meta_chapter(struct lesson_parse *p, struct lesson_kv *kv)
{
	if (kv->vlen == 0) {
		lesson_error(p, kv->line, "'chapter' has no value");
		return -1;
	}
	if (kv->vlen > LESSON_CHAPTER_MAX) {
		lesson_error(p, kv->line,
		    "'chapter' is %zu bytes long; the limit is %d bytes",
		    kv->vlen, LESSON_CHAPTER_MAX);
		return -1;
	}
	if (lesson_check_no_placeholder(
	        p, kv->value, kv->vlen, kv->line, "chapter") != 0)
		return -1;
	p->l->chapter = sanitize_text(kv->value, kv->vlen, 0);
	return 0;
}

/* Second pass: check and store one key: value line. */
static int
lesson_meta_apply(struct lesson_parse *p, struct lesson_kv *kv)
{
	struct lesson *l = p->l;
	int slot = lesson_key_slot(p, kv), r;

	if (slot < 0) {
		lesson_unknown_key(p, kv);
		return -1;
	}
	if (p->key_line[slot] != 0 && p->key_line[slot] != kv->line) {
		lesson_error(p, kv->line,
		    "duplicate key '%.*s'; it is already set on line %d",
		    lesson_quote_len(kv->klen), kv->key, p->key_line[slot]);
		return -1;
	}
	p->key_line[slot] = kv->line;
	if (slot == KEY_SCHEDULE)
		l->schedule_line = kv->line;
	else if (slot >= KEY_PARAM0)
		l->param_line[slot - KEY_PARAM0] = kv->line;
	switch (slot) {
	case KEY_MODULE:
		return 0; /* done in the first pass */
	case KEY_SUMMARY:
		if (kv->vlen == 0) {
			lesson_error(p, kv->line, "'summary' has no value");
			return -1;
		}
		if (lesson_check_no_placeholder(
		        p, kv->value, kv->vlen, kv->line, "summary") != 0)
			return -1;
		l->summary = sanitize_text(kv->value, kv->vlen, 0);
		return 0;
	case KEY_SCHEDULE:
		if (!lesson_schedule_name_ok(kv->value, kv->vlen)) {
			lesson_error(p, kv->line,
			    "'schedule' must be the name of a schedule "
			    "(letters, digits, '-' and '_'), not '%.*s'",
			    lesson_quote_len(kv->vlen), kv->value);
			return -1;
		}
		l->schedule = sanitize_text(kv->value, kv->vlen, 0);
		return 0;
	case KEY_ORDER:
		r = lesson_parse_long(kv->value, kv->vlen, &l->order);
		if (r != 0) {
			lesson_error(p, kv->line,
			    "'order' must be %s, not '%.*s'",
			    r == -1 ? "an integer" : "a smaller integer",
			    lesson_quote_len(kv->vlen), kv->value);
			return -1;
		}
		return 0;
	case KEY_CHAPTER:
		return lesson_meta_chapter(p, kv);
	default:
		return lesson_meta_param(p, kv, slot - KEY_PARAM0);
	}
}

/* Interpret the ```lesson block. */
int
lesson_meta(struct lesson_parse *p, cmark_node *block)
{
	struct lesson *l = p->l;
	int line = cmark_node_get_start_line(block);
	size_t i;

	if (p->block_line != 0) {
		lesson_error(p, line,
		    "a second ```lesson block; the first is "
		    "on line %d",
		    p->block_line);
		return -1;
	}
	if (p->page_line != 0) {
		lesson_error(p, line,
		    "the ```lesson block must come before the "
		    "first page (line %d)",
		    p->page_line);
		return -1;
	}
	p->block_line = line;
	l->block_line = line;
	if (lesson_meta_each(p, block, lesson_meta_find_module) != 0)
		return -1;
	if (l->module == NULL) {
		lesson_error(p, line,
		    "the ```lesson block has no 'module' key; "
		    "add a line such as 'module: race'");
		return -1;
	}
	for (i = 0; i < l->module->nparams && i < MODULE_MAX_PARAMS; i++)
		l->params[i] = l->module->params[i].def;
	if (lesson_meta_each(p, block, lesson_meta_apply) != 0)
		return -1;
	if (l->summary == NULL) {
		lesson_error(p, line,
		    "the ```lesson block has no 'summary' "
		    "key; add a one-line 'summary: ...'");
		return -1;
	}
	return 0;
}
