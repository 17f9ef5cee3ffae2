/* What the model tests (test_model.c, test_model_lost_update.c,
 * test_model_os.c) share. */
#ifndef IL_TEST_MODEL_H
#define IL_TEST_MODEL_H

#include <check.h>
#include <stdint.h>
#include <string.h>

#include "event.h"
#include "model.h"

/* A zeroed event with the fields the model reads. */
static inline struct event
mk_ev(enum ev_kind kind, int thread, uint32_t step, int line, int64_t a,
    int64_t b)
{
	struct event e;

	memset(&e, 0, sizeof e);
	e.kind = (uint16_t)kind;
	e.thread = (uint16_t)thread;
	e.step = step;
	e.line = line;
	e.a = a;
	e.b = b;
	return e;
}

/* Apply an event made by mk_ev(). */
static inline void
apply(struct model *m, enum ev_kind kind, int thread, uint32_t step, int line,
    int64_t a, int64_t b)
{
	struct event e = mk_ev(kind, thread, step, line, a, b);

	model_apply(m, &e);
}

/* The lost-update test case of the model suite, from
 * test_model_lost_update.c. */
TCase *make_model_lost_update_tcase(void);

/* The OS test case of the model suite, from test_model_os.c. */
TCase *make_model_os_tcase(void);

/* The wait-for graph's test case, from test_model_waitfor.c. */
TCase *make_model_waitfor_tcase(void);

#endif
