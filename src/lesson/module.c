/* The table of lesson modules compiled into the program. */
#include "module.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

extern const struct lesson_module race_module;
extern const struct lesson_module iovscpu_module;
extern const struct lesson_module lockfix_module;
extern const struct lesson_module deadlock_module;

const struct lesson_module *const module_table[] = {
    &race_module,
    &iovscpu_module,
    &lockfix_module,
    &deadlock_module,
    NULL,
};

/* Find a module by id. */
const struct lesson_module *
module_find(const char *id)
{
	size_t i;

	for (i = 0; module_table[i] != NULL; i++) {
		if (strcmp(module_table[i]->id, id) == 0)
			return module_table[i];
	}
	return NULL;
}

/* Find a module's parameter by name. */
int
module_param_index(const struct lesson_module *m, const char *name)
{
	size_t i;

	for (i = 0; i < m->nparams; i++) {
		if (strcmp(m->params[i].name, name) == 0)
			return (int)i;
	}
	return -1;
}

int
module_param_parse(
    const struct param_def *d, const char *s, size_t len, long *out)
{
	char buf[32], *end;
	long v;
	size_t i;

	if (d->names != NULL) {
		for (i = 0; d->names[i] != NULL; i++) {
			if (strlen(d->names[i]) == len &&
			    memcmp(d->names[i], s, len) == 0) {
				*out = (long)i;
				return 0;
			}
		}
		return -1;
	}
	if (len == 0 || len >= sizeof buf)
		return len == 0 ? -1 : -2;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (!(buf[0] == '-' || buf[0] == '+' ||
	        (buf[0] >= '0' && buf[0] <= '9')))
		return -1;
	errno = 0;
	v = strtol(buf, &end, 10);
	if (*end != '\0')
		return -1;
	if (errno != 0 || v < d->min || v > d->max)
		return -2;
	*out = v;
	return 0;
}

void
module_param_accepts(const struct param_def *d, char *buf, size_t len)
{
	size_t i, off = 0;

	if (d->names == NULL) {
		snprintf(buf, len, "%ld to %ld", d->min, d->max);
		return;
	}
	buf[0] = '\0';
	for (i = 0; d->names[i] != NULL && off < len; i++) {
		const char *sep = i == 0      ? ""
		    : d->names[i + 1] == NULL ? " or "
		                              : ", ";
		int n =
		    snprintf(buf + off, len - off, "%s%s", sep, d->names[i]);

		if (n < 0)
			break;
		off += (size_t)n;
	}
}

const char *
module_param_name(const struct param_def *d, long v)
{
	long i;

	if (d->names == NULL || v < 0)
		return NULL;
	for (i = 0; d->names[i] != NULL; i++)
		if (i == v)
			return d->names[i];
	return NULL;
}

int
module_has_plan(const struct lesson_module *m)
{
	return m->nplans > 0;
}

int
module_free_only(const struct lesson_module *m)
{
	size_t i;

	for (i = 0; i < m->nplans; i++)
		if (m->plans[i].always)
			return 1;
	return 0;
}

const struct lesson_plan *
module_plan_for(const struct lesson_module *m, const long *params)
{
	size_t i;

	for (i = 0; i < m->nplans; i++)
		if (params[m->plans[i].param] == m->plans[i].all_value)
			return &m->plans[i];
	for (i = 0; i < m->nplans; i++)
		if (m->plans[i].always)
			return &m->plans[i];
	return NULL;
}

int
module_plan_value(const struct lesson_module *m, int param, long v)
{
	size_t i;

	for (i = 0; i < m->nplans; i++)
		if (m->plans[i].param == param && m->plans[i].all_value == v)
			return 1;
	return 0;
}

size_t
module_listing(const struct lesson_module *m, const long *params, int t,
    int *out, size_t max)
{
	size_t i;

	if (m->listing != NULL)
		return m->listing(params, t, out, max);
	for (i = 0; i < m->ncode && i < max; i++)
		out[i] = (int)i + 1;
	return i;
}

const struct lesson_key *
module_key(const struct lesson_module *m, int ch)
{
	size_t i;

	for (i = 0; i < m->nkeys; i++)
		if (m->keys[i].key == ch)
			return &m->keys[i];
	return NULL;
}

long
module_key_value(const struct lesson_module *m, const struct lesson_key *k,
    const long *params, int *param)
{
	const struct param_def *d;
	long v;

	if (k->action == LESSON_KEY_PLAN) {
		if (k->value < 0 || (size_t)k->value >= m->nplans)
			return -1;
		*param = m->plans[k->value].param;
		return m->plans[k->value].all_value;
	}
	if ((*param = module_param_index(m, k->param)) < 0)
		return -1;
	if (k->action == LESSON_KEY_SET)
		return k->value;
	/* the next value a single run can have: a plan's is skipped */
	d = &m->params[*param];
	v = params[*param];
	do
		v = v >= d->max ? d->min : v + 1;
	while (module_plan_value(m, *param, v) && v != params[*param]);
	return v;
}

void
module_lane_words(
    const struct lesson_module *m, const long *params, struct lane_words *w)
{
	w->lane = "thread";
	w->lanes = "threads";
	w->ready = "waiting for a CPU";
	w->numbered = 0;
	if (m != NULL && params != NULL && m->lane_words != NULL)
		m->lane_words(params, w);
}

/* What a lesson without a list of its own gets: its code, ahead of the
 * narration's share; the shared state; and, where there is room, the
 * kernel's view and the log. */
static const struct lesson_panel_want default_panels[] = {
    {LESSON_PANEL_CODE, 30},
    {LESSON_PANEL_SHARED, 50},
    {LESSON_PANEL_KERNEL, 60},
    {LESSON_PANEL_LOG, 70},
};

const struct lesson_panel_want *
module_panels(const struct lesson_module *m, size_t *n)
{
	if (m == NULL || m->panels == NULL) {
		*n = IL_ARRAY_LEN(default_panels);
		return default_panels;
	}
	*n = m->npanels;
	return m->panels;
}

int
module_panel_prio(const struct lesson_module *m, enum lesson_panel p)
{
	const struct lesson_panel_want *w;
	size_t n, i;

	w = module_panels(m, &n);
	for (i = 0; i < n; i++)
		if (w[i].panel == p)
			return w[i].prio;
	return -1;
}
