/*
 * Headless runs of a measuring lesson (a module with measure.all set):
 * the baseline and the chosen mode, or every mode, compared.
 */
#ifndef IL_MEASURE_H
#define IL_MEASURE_H

#include "headless.h"

/* Returns the exit status, with messages already on stderr. */
int measure_main(const struct headless_args *);

#endif
