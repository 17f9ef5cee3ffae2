/*
 * A lesson module: the worker code and mechanics of one lesson, in C.
 * The words (narration, defaults) live in the lesson file.
 */
#ifndef IL_MODULE_H
#define IL_MODULE_H

#include <stddef.h>
#include <stdint.h>

struct il_worker;
struct run;

/* A parameter a lesson file or --set may give: an integer from min to max,
 * or, when names is set, one of those words (its value is the index). */
struct param_def {
	const char *name;
	long def;
	long min;
	long max;
	const char *help;
	const char *const *names; /* NULL-terminated, or NULL */
};

#define MODULE_MAX_PARAMS 16

/* What one of a lesson's own keys does to the parameters of the next run. */
enum lesson_key_action {
	LESSON_KEY_CYCLE, /* the next of the parameter's values, wrapping */
	LESSON_KEY_SET,   /* the parameter takes value */
	LESSON_KEY_PLAN   /* run the lesson's plan of runs (see plan) */
};

/* A key the lesson adds to the common ones: the key bar, the help screen
 * and the key handler all read this one table. */
struct lesson_key {
	int key;           /* the character: 't' */
	const char *label; /* the key bar's word ("io/cpu"), NULL: help only */
	const char *help;  /* the help screen's sentence */
	enum lesson_key_action action;
	const char *param; /* the parameter it changes (not for PLAN) */
	long value;        /* LESSON_KEY_SET: the value it sets */
	int bar;           /* 1: kept in the key bar even when it is narrow */
	/* Optional: 0 when the key does nothing for these parameters (the
	 * status line then says why, from why_not). */
	int (*enabled)(const long *params);
	const char *why_not;
};

/* The words the screen uses for a run's lanes and for the ready state. */
struct lane_words {
	const char *lane;  /* "thread", "process", "task" */
	const char *lanes; /* "threads", "processes", "tasks" */
	const char *ready; /* the legend's word for ready: "ready", "waiting
	                    * for its turn in the loop" */
};

struct lesson_module {
	const char *id;
	const struct param_def *params;
	size_t nparams;

	/* The code each thread runs, one entry per source line (line 1 is
	 * code[0]); il_line() and the il_* calls refer to these numbers. */
	const char *const *code;
	size_t ncode;
	/* Names of the thread-local values il_local() reports, by slot
	 * (NULL-terminated; at most MODEL_MAX_LOCALS), shown in the code
	 * panel as "tmp=1". */
	const char *const *locals;

	/* How many worker threads a run with these parameters has. */
	int (*threads)(const long *params);

	/* Declare shared variables and locks on the run and set run->lesson;
	 * 0, or -1 with a message in err. */
	int (*setup)(
	    struct run *, const long *params, char *err, size_t errlen);

	/* The body of every worker thread. */
	void (*worker)(struct il_worker *);

	/* Write the lesson's key=value pairs for the result line, computed
	 * from the run's real memory after every worker has been joined. */
	void (*verdict)(struct run *, char *buf, size_t len);

	/* Optional: the result in a sentence for the screen ("counter is
	 * 1, not 2: 1 update was lost"), after every worker is joined. */
	void (*result_words)(struct run *, char *buf, size_t len);

	/* Free what setup allocated. */
	void (*teardown)(struct run *);
	/* Optional: check a combination of parameters without starting
	 * anything (run_new calls it before setup; --check-lesson calls it
	 * on a lesson's own). controlled is 1 for a stepped run, 0 for a
	 * free one. 0, or -1 with a message in err. */
	int (*validate)(
	    const long *params, int controlled, char *err, size_t errlen);
	/* Optional: how far a run has got, in the module's own units
	 * (increments, tasks): done so far and the total. Called from the
	 * controller while the workers run. */
	void (*progress)(struct run *, uint64_t *done, uint64_t *total);
	/* Optional: about how long a run with these parameters takes, in
	 * ms (0: unknown), so that settings that would take minutes can
	 * say so before they start. */
	uint64_t (*estimate_ms)(const long *params, int controlled);
	/* Free runs: the OS sampler interval in ms for these parameters, or
	 * NULL for no sampler. */
	int (*sample_ms)(const long *params);
	/* A measuring lesson (measure.all != NULL): headless
	 * runs the baseline mode too and compares, and all_value runs every
	 * mode in all[] (ended by -1) in turn. all == NULL: not measuring. */
	struct {
		int mode_param;
		long all_value;
		long baseline;
		const long *all;
		/* The best speedup a run with these parameters could have
		 * over the baseline on this many cores, or NULL for: every
		 * task at once, but CPU work only on the cores. */
		int (*ideal)(const long *params, int cores);
	} measure;
};

/* The module with this id, or NULL. */
const struct lesson_module *module_find(const char *id);

/* Index of the parameter called name in m, or -1. */
int module_param_index(const struct lesson_module *m, const char *name);

/* Parse a parameter's value from len bytes at s: 0, -1 if it is not a
 * number (or not one of the names), -2 if it is out of range. */
int module_param_parse(
    const struct param_def *, const char *s, size_t len, long *out);

/* What a parameter accepts, for messages: "io or cpu", "1 to 16". */
void module_param_accepts(const struct param_def *, char *buf, size_t len);

/* The word for a named parameter's value, or NULL. */
const char *module_param_name(const struct param_def *, long v);

/* All modules, NULL-terminated. */
extern const struct lesson_module *const module_table[];

#endif
