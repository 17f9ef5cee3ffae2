/* The table of lesson modules compiled into the program. */
#include "module.h"

#include <string.h>

extern const struct lesson_module race_module;

const struct lesson_module *const module_table[] = {
    &race_module,
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
