/* The --help text. */
#ifndef IL_USAGE_H
#define IL_USAGE_H

#include <stdio.h>

/* Write the --help text to f. */
void usage(FILE *f);

#endif
