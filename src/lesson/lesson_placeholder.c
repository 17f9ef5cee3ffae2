/*
 * Placeholders ("{{name}}") in a lesson's pages: finding them, checking
 * that each names a parameter of the module, and expanding them to the
 * parameters' values for a run.
 */
#include <cmark.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lesson_int.h"
#include "sanitize.h"
#include "util.h"

/* A placeholder in text: "{{" at start, then the name's offset and
 * length, and the offset after the closing "}}". One that is not closed
 * on its line has closed 0 and ends after its "{{". */
struct lesson_placeholder {
	size_t start;
	size_t name;
	size_t nlen;
	size_t end;
	int closed;
};

/* Find the first placeholder in s[from, len): 1 with *ph filled in, or 0
 * if there is none. */
static int
lesson_find_placeholder(
    const char *s, size_t len, size_t from, struct lesson_placeholder *ph)
{
	size_t i;

	for (i = from; i + 1 < len && !(s[i] == '{' && s[i + 1] == '{'); i++)
		;
	if (i + 1 >= len)
		return 0;
	ph->start = i;
	ph->name = ph->end = i + 2;
	ph->nlen = 0;
	ph->closed = 0;
	for (i = ph->name; i + 1 < len && s[i] != '\n'; i++) {
		if (s[i] == '}' && s[i + 1] == '}') {
			ph->nlen = i - ph->name;
			ph->end = i + 2;
			ph->closed = 1;
			break;
		}
	}
	return 1;
}

/* The index of the parameter of m that the n bytes at s name, or -1. */
static int
lesson_param_named(const struct lesson_module *m, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < m->nparams && i < MODULE_MAX_PARAMS; i++) {
		if (strlen(m->params[i].name) == n &&
		    memcmp(m->params[i].name, s, n) == 0)
			return (int)i;
	}
	return -1;
}

/* Report what is wrong with a placeholder at line, if anything. */
static int
lesson_check_placeholder(struct lesson_parse *p, const char *s,
    const struct lesson_placeholder *ph, int line)
{
	const struct lesson_module *m = p->l->module;
	char names[512] = "", quoted[LESSON_QUOTE_MAX + 1];
	size_t n = ph->nlen < LESSON_QUOTE_MAX ? ph->nlen : LESSON_QUOTE_MAX;

	if (ph->closed && ph->nlen > 0 &&
	    lesson_param_named(m, s + ph->name, ph->nlen) >= 0)
		return 0;
	lesson_list_params(m, names, sizeof names);
	if (names[0] == '\0')
		snprintf(names, sizeof names, "none");
	memcpy(quoted, s + ph->name, n);
	quoted[n] = '\0';
	if (!ph->closed)
		lesson_error(p, line,
		    "'{{' is not closed by '}}' on its line; a placeholder is "
		    "a parameter of module '%s' in double braces: %s",
		    m->id, names);
	else if (ph->nlen == 0)
		lesson_error(p, line,
		    "'{{}}' names no parameter; write one of module '%s' "
		    "between the braces: %s",
		    m->id, names);
	else if (lesson_strip_styles(quoted) != n)
		lesson_error(p, line,
		    "a style inside the braces of '{{%s}}'; style the whole "
		    "placeholder instead, as in *{{%s}}*",
		    quoted, quoted);
	else
		lesson_error(p, line,
		    "unknown parameter '%s' in '{{%s}}'; module '%s' has: %s",
		    quoted, quoted, m->id, names);
	return -1;
}

/* Check the placeholders in the text o rendered from offset from on. A
 * page comes after the ```lesson block, or that is reported later, so
 * without a module there is nothing to check them against yet. */
int
lesson_check_placeholders(
    struct lesson_parse *p, const struct lesson_out *o, size_t from)
{
	struct lesson_placeholder ph;

	if (p->l->module == NULL || o->s == NULL)
		return 0;
	for (; lesson_find_placeholder(o->s, o->len, from, &ph);
	     from = ph.end) {
		if (lesson_check_placeholder(
		        p, o->s, &ph, lesson_out_line_at(o, ph.start)) != 0)
			return -1;
	}
	return 0;
}

/* Refuse "{{" in text shown in the menu, where no run sets parameters. */
int
lesson_check_no_placeholder(struct lesson_parse *p, const char *s, size_t len,
    int line, const char *what)
{
	struct lesson_placeholder ph;

	if (!lesson_find_placeholder(s, len, 0, &ph))
		return 0;
	lesson_error(p, line,
	    "'{{' in the %s: placeholders work only in pages, since the %s "
	    "is also shown in the menu, where no parameters are set",
	    what, what);
	return -1;
}

/* Expand the placeholders that name parameters; the rest of the text,
 * markers and all, is copied as it is. */
char *
lesson_expand(const struct lesson *l, const char *text, const long *params)
{
	const struct lesson_module *m = l != NULL ? l->module : NULL;
	const struct param_def *d;
	struct lesson_placeholder ph;
	struct lesson_out o;
	size_t len = strlen(text), off = 0;
	const char *word;
	char num[32], *out;
	int idx;

	if (params == NULL && l != NULL)
		params = l->params;
	lesson_out_init(&o, SIZE_MAX, 1);
	for (; lesson_find_placeholder(text, len, off, &ph); off = ph.end) {
		lesson_out_raw(&o, text + off, ph.start - off);
		idx = m != NULL && ph.closed
		    ? lesson_param_named(m, text + ph.name, ph.nlen)
		    : -1;
		if (idx < 0) {
			lesson_out_raw(&o, text + ph.start, ph.end - ph.start);
			continue;
		}
		d = &m->params[idx];
		word =
		    d->names != NULL ? module_param_name(d, params[idx]) : NULL;
		if (word == NULL) {
			snprintf(num, sizeof num, "%ld", params[idx]);
			word = num;
		}
		lesson_out_raw(&o, word, strlen(word));
	}
	lesson_out_raw(&o, text + off, len - off);
	out = o.s != NULL ? o.s : xstrdup("");
	o.s = NULL;
	lesson_out_free(&o);
	return out;
}
