/*
 * A lesson module: the worker code and mechanics of one lesson, in C.
 * The words (narration, defaults) live in the lesson file.
 */
#ifndef IL_MODULE_H
#define IL_MODULE_H

#include <stddef.h>
#include <stdint.h>

struct il_worker;
struct result;
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
	LESSON_KEY_PLAN   /* run plans[value] whole (its all_value), free */
};

/* A key the lesson adds to the common ones: the key bar, the help screen
 * and the key handler all read this one table. */
struct lesson_key {
	int key;           /* the character: 't' */
	const char *label; /* the key bar's word ("io/cpu"), NULL: help only */
	const char *help;  /* the help screen's sentence */
	enum lesson_key_action action;
	const char *param; /* the parameter it changes (not for PLAN) */
	long value;        /* SET: the value it sets; PLAN: the plan */
	int bar;           /* 1: kept in the key bar even when it is narrow */
	/* Optional: 0 when the key does nothing for these parameters (the
	 * status line then says why, from why_not). */
	int (*enabled)(const long *params);
	const char *why_not;
	/* Optional: adjust other parameters after the change (greedy on
	 * measures the event loop). */
	void (*then)(long *params);
};

/* The panels a lesson may ask for, beside the ones every lesson screen
 * has (title, narration, lanes, cores, legend, status, key bar). */
enum lesson_panel {
	LESSON_PANEL_CODE,    /* each thread's line of code and its locals */
	LESSON_PANEL_RESULTS, /* the plan's results table */
	LESSON_PANEL_SHARED,  /* shared variables, locks and parameters */
	LESSON_PANEL_KERNEL,  /* the kernel's view of each lane (sampled) */
	LESSON_PANEL_LOG,     /* the log of what happened */
	LESSON_PANEL_PREV,    /* the run before, to compare */
	LESSON_PANEL_COUNT
};

/* A panel the lesson wants and its priority: the layout gives rows to
 * lower numbers first (the lanes have 20, the narration 40). */
struct lesson_panel_want {
	enum lesson_panel panel;
	int prio;
};

/* The words the screen uses for a run's lanes and for the ready state. */
struct lane_words {
	const char *lane;  /* "thread", "process", "task" */
	const char *lanes; /* the lanes' rule: "threads", "processes" */
	const char *ready; /* the kernel legend's word for ready: "waiting
	                    * for a CPU", "waiting for its turn in the loop" */
	/* 1: threads are named by number in texts ("T1"), for a lesson
	 * whose locks are called by letters ("A"); 0: by letter. */
	int numbered;
};

/* What a column of a plan's results table shows, for one run. */
enum plan_column_kind {
	PLAN_COL_WALL,    /* the run's wall time in ms (plan.wall_ms) */
	PLAN_COL_FIELD,   /* the result's number field */
	PLAN_COL_OVER,    /* field over the same run's field over: "0.98x" */
	PLAN_COL_VS_BASE, /* field over the baseline run's field: "3.10x" */
	PLAN_COL_SPEEDUP, /* the baseline's wall time over this run's */
	PLAN_COL_IDEAL,   /* the best speedup it could have (plan.ideal) */
	PLAN_COL_CPU_USE, /* CPU time over the wall time of every core */
	PLAN_COL_WORKERS, /* the run's lanes */
	PLAN_COL_REF,     /* the plan's reference time, ms (reference_ms) */
	PLAN_COL_VS_REF   /* the wall time over the reference time */
};

struct plan_column {
	const char *head; /* "ns/inc" */
	int width;        /* columns, the head's at least */
	enum plan_column_kind kind;
	const char *field; /* FIELD, OVER, VS_BASE: the result field */
	const char *over;  /* OVER: the field it is divided by */
	int decimals;      /* WALL, FIELD: digits after the point */
};

/*
 * A plan of runs, for a lesson that measures: free runs one after another
 * that differ only in one parameter, each compared with a baseline run.
 * Generic code (measure.c) drives it. When the parameter has all_value,
 * every value in values[] runs. A plan that is always on runs for every
 * free run: the baseline and the chosen value (io-vs-cpu, which then runs
 * free only). The result fields named here let generic code compute
 * speedup and CPU use without knowing the lesson.
 */
struct lesson_plan {
	int param;          /* index of the parameter the plan varies */
	long all_value;     /* its value that asks for the whole plan */
	long baseline;      /* the value every run is compared with */
	const long *values; /* the whole plan, ended by -1 */
	int always;         /* 1: every free run is this plan */
	/* The results table's columns, after the parameter's. */
	const struct plan_column *cols;
	size_t ncols;
	/* 1: the result line adds BASELINE_ms, speedup, ideal, cores and
	 * cpu_util after the wall time. */
	int compare_pairs;
	/* The best speedup a run with these parameters could have over the
	 * baseline on this many cores, or NULL for: every task at once,
	 * but CPU-bound work only on the cores. */
	int (*ideal)(const long *params, int cores);
	/* Optional: a time in ms to compare each run with, computed from
	 * its parameters (the sequential time of threads taking turns). */
	double (*reference_ms)(const long *params);
	const char *wall_ms; /* the result's wall time in ms: "wall_ms" */
	const char *cpu_ms;  /* the result's CPU time in ms, or NULL */
	const char *tasks;   /* the result's task count, for ideal == NULL */
	/* The result is CPU-bound when its WORD field bound_key is
	 * bound_word (kind=cpu), for ideal == NULL. */
	const char *bound_key;
	const char *bound_word;
	/* The status line's hint once the plan is measured, naming the
	 * lesson's keys: "a: every mode, t: I/O or CPU work". */
	const char *hint;
};

/* When a lesson page asks to be shown, from its ```show block (see
 * lesson.h); LESSON_SHOW_BIT(e) in a module's show_events. */
enum lesson_show_event {
	LESSON_SHOW_NONE,        /* when the student turns to it */
	LESSON_SHOW_AFTER_LOAD,  /* after thread .thread's next load */
	LESSON_SHOW_AFTER_STORE, /* after thread .thread's next store */
	LESSON_SHOW_LOST_UPDATE, /* when a store overwrites an update */
	LESSON_SHOW_DEADLOCK,    /* when the run deadlocks */
	LESSON_SHOW_DONE,        /* when the run has ended */
	LESSON_SHOW_COUNT
};
#define LESSON_SHOW_BIT(e) (1u << (e))

/* A key the module's result hook puts in the result, for the lesson
 * file's blocks that name one (a prediction's key, a challenge's goal).
 * A word key without words takes them from the module's parameter of
 * the same name, if there is one (else any word). */
struct result_key {
	const char *key;
	int numeric;              /* 1: a number (INT or REAL); 0: a word */
	const char *const *words; /* a word's values, NULL-terminated */
};

/* What one run of a lesson ended as, for the explorer: a key and its
 * value ("counter" and "2"; "end" and "deadlock"), words only. */
#define OUTCOME_WORD_MAX 32
struct outcome {
	char key[OUTCOME_WORD_MAX];
	char value[OUTCOME_WORD_MAX];
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

	/* Fill in the lesson's typed key=value pairs for the result (the
	 * result line prints them in order), computed from the run's real
	 * memory after every worker has been joined. */
	void (*result)(struct run *, struct result *);

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
	/* Optional: free runs with these parameters are cancelled after
	 * this many ms (0: never), as a normal end: a run that can stop
	 * making progress (a deadlock, a livelock) ends by itself. */
	uint64_t (*timeout_ms)(const long *params);
	/* The keys result() may put in the result (every one it ever
	 * does; tests/test_lesson_blocks.c checks them on a real run),
	 * and the page events its runs can have (LESSON_SHOW_BIT()s). */
	const struct result_key *result_keys;
	size_t nresult_keys;
	unsigned show_events;

	/* Optional: what the screen must say about the run as it goes,
	 * beyond the model's own deadlock ("LIVELOCK for 1.2 s: ..."), as
	 * a headline (before the first ':') and its text; 0 if nothing.
	 * Called by the controller while the workers run and after. */
	int (*alert)(struct run *, char *buf, size_t len);
	/* The lesson's own keys (see struct lesson_key), or NULL. */
	const struct lesson_key *keys;
	size_t nkeys;

	/* Optional: the words for the lanes of a run with these
	 * parameters (only the fields it sets; see module_lane_words). */
	void (*lane_words)(const long *params, struct lane_words *);

	/* Optional: the panels the lesson wants, with their priorities;
	 * NULL: the code, shared, kernel and log panels (module_panels). */
	const struct lesson_panel_want *panels;
	size_t npanels;

	/* Optional: the lines of code[] thread t of a run with these
	 * parameters runs, in the order the code panel shows them (their
	 * numbers, 1-based, into out[], at most max); the count. NULL:
	 * every line. */
	size_t (*listing)(const long *params, int t, int *out, size_t max);

	/* Optional, for a lesson whose controlled runs the explorer can
	 * enumerate (--explore): what a controlled run ended as. stuck is 1
	 * when no thread could move and not every thread had finished (the
	 * threads are then still parked; read only the module's own
	 * memory). Returns 1 if the outcome is the failure the lesson is
	 * about (a lost update, a deadlock), else 0. */
	int (*outcome)(struct run *, int stuck, struct outcome *);

	/* Optional: plans of runs, which a lesson key (LESSON_KEY_PLAN,
	 * value: the plan's index) or the plan's all_value starts. */
	const struct lesson_plan *plans;
	size_t nplans;
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

/* 1 if m has a plan of runs. */
int module_has_plan(const struct lesson_module *m);

/* 1 if every free run of m is a plan (so m runs free only). */
int module_free_only(const struct lesson_module *m);

/* The plan a free run of m with params is: the one whose parameter has
 * its all_value, else the plan that is always on; NULL: a single run. */
const struct lesson_plan *module_plan_for(
    const struct lesson_module *m, const long *params);

/* 1 if v is the all_value of one of m's plans for parameter param (a
 * plan, not a value a single run can have). */
int module_plan_value(const struct lesson_module *m, int param, long v);

/* The lines the code panel shows for thread t with params (see
 * listing): their count. */
size_t module_listing(const struct lesson_module *m, const long *params, int t,
    int *out, size_t max);

/* The lesson key of m bound to character ch, or NULL. */
const struct lesson_key *module_key(const struct lesson_module *m, int ch);

/* The value a lesson key gives its parameter, from params: -1 if the
 * key names no parameter of m. *param is set to the parameter's index. */
long module_key_value(const struct lesson_module *m, const struct lesson_key *k,
    const long *params, int *param);

/* The words for the lanes of m's run with params: the module's, or
 * "thread", "threads" and "waiting for a CPU". m may be NULL. */
void module_lane_words(
    const struct lesson_module *m, const long *params, struct lane_words *w);

/* The panels m wants: its own list, or the default one. *n is set to
 * the count. */
const struct lesson_panel_want *module_panels(
    const struct lesson_module *m, size_t *n);

/* The priority m gives panel p, or -1 if it does not want it. */
int module_panel_prio(const struct lesson_module *m, enum lesson_panel p);

/* All modules, NULL-terminated. */
extern const struct lesson_module *const module_table[];

#endif
