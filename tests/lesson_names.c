/*
 * Print every name a lesson module owns, one a line, kind first:
 *   id race / param threads / value eventloop / key t
 * tests/layers.sh reads this, so the list comes from the modules
 * themselves and grows with every new lesson.
 */
#include "config.h"

#include <stdio.h>

#include "module.h"

int
main(void)
{
	size_t i, k, v;

	for (i = 0; module_table[i] != NULL; i++) {
		const struct lesson_module *m = module_table[i];

		printf("id %s\n", m->id);
		for (k = 0; k < m->nparams; k++) {
			printf("param %s\n", m->params[k].name);
			for (v = 0; m->params[k].names != NULL &&
			     m->params[k].names[v] != NULL;
			     v++)
				printf("value %s\n", m->params[k].names[v]);
		}
		for (k = 0; k < m->nkeys; k++)
			printf("key %c\n", m->keys[k].key);
	}
	return 0;
}
