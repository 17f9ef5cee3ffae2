/* interleave: command line and dispatch. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <langinfo.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "catalog.h"
#include "exit.h"
#include "explore_text.h"
#include "headless.h"
#include "lesson.h"
#include "measure.h"
#include "module.h"
#include "names.h"
#include "paths.h"
#include "progress.h"
#include "recording.h"
#include "sanitize.h"
#include "say.h"
#include "schedule.h"
#include "screen.h"
#include "trace_file.h"
#include "tui.h"
#include "usage.h"
#include "util.h"
#include "verify.h"

enum {
	OPT_HEADLESS = 256,
	OPT_POLICY,
	OPT_SEED,
	OPT_SCHEDULE,
	OPT_SET,
	OPT_LIST,
	OPT_CHECK_LESSON,
	OPT_ASCII,
	OPT_NO_COLOR,
	OPT_NO_MOUSE,
	OPT_EXPLORE,
	OPT_MAX_PREEMPTIONS,
	OPT_MAX_SCHEDULES,
	OPT_DEPTH,
	OPT_TRACE,
	OPT_RESET_PROGRESS,
	OPT_DEMO,
	OPT_SPEED,
	OPT_RECORD,
	OPT_REPLAY,
};

static const struct option long_options[] = {
    {"headless", no_argument, NULL, OPT_HEADLESS},
    {"policy", required_argument, NULL, OPT_POLICY},
    {"seed", required_argument, NULL, OPT_SEED},
    {"schedule", required_argument, NULL, OPT_SCHEDULE},
    {"set", required_argument, NULL, OPT_SET},
    {"list", no_argument, NULL, OPT_LIST},
    {"check-lesson", required_argument, NULL, OPT_CHECK_LESSON},
    {"ascii", no_argument, NULL, OPT_ASCII},
    {"no-color", no_argument, NULL, OPT_NO_COLOR},
    {"no-colour", no_argument, NULL, OPT_NO_COLOR},
    {"no-mouse", no_argument, NULL, OPT_NO_MOUSE},
    {"explore", optional_argument, NULL, OPT_EXPLORE},
    {"max-preemptions", required_argument, NULL, OPT_MAX_PREEMPTIONS},
    {"max-schedules", required_argument, NULL, OPT_MAX_SCHEDULES},
    {"depth", required_argument, NULL, OPT_DEPTH},
    {"trace", required_argument, NULL, OPT_TRACE},
    {"reset-progress", no_argument, NULL, OPT_RESET_PROGRESS},
    {"demo", no_argument, NULL, OPT_DEMO},
    {"speed", required_argument, NULL, OPT_SPEED},
    {"record", required_argument, NULL, OPT_RECORD},
    {"replay", required_argument, NULL, OPT_REPLAY},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0},
};

#define MAX_SETS 32

struct options {
	int headless;
	int policy; /* -1: not given */
	uint64_t seed;
	const char *schedule;
	const char *sets[MAX_SETS];
	int nsets;
	int list;
	const char *check_lesson;
	int ascii;
	int no_color;
	int no_mouse;
	int explore; /* -1: not asked for; else a strategy or compare */
	long max_preemptions; /* -1: no bound */
	uint64_t max_schedules;
	int depth;
	int explore_bounds; /* a bound or --depth was given */
	int reset_progress;
	int noptions; /* how many options were given */
	const char *lesson;
	const char *trace;         /* --trace FILE, or NULL */
	struct trace_file *tracef; /* open while a lesson runs */
	int demo;                  /* --demo */
	int speed;                 /* --speed N, 0 if not given */
	const char *record;        /* --record FILE, or NULL */
	const char *replay;        /* --replay FILE, or NULL */
	struct recording *rec;     /* --replay's, once read */
};

static int usage_error(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

/* Print a usage error and return the usage exit status. */
static int
usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(fmt, ap);
	va_end(ap);
	fputs("Try 'interleave --help' for more information.\n", stderr);
	return EXIT_USAGE;
}

/* Parse a whole non-negative decimal number: 0, -1 if s is not one, -2
 * if it does not fit. */
static int
parse_u64(const char *s, uint64_t *out)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	*out = strtoull(s, &end, 10);
	if (*end != '\0')
		return -1;
	return errno == ERANGE ? -2 : 0;
}

/* 1 if nothing is at path (a usage error when it was named on the command
 * line); anything that is there, even a FIFO, is for lesson_load to judge. */
static int
path_missing(const char *path)
{
	struct stat st;

	return stat(path, &st) != 0 && (errno == ENOENT || errno == ENOTDIR);
}

/* 1 if LESSON names a file rather than an id. */
static int
lesson_arg_is_path(const char *arg)
{
	size_t n = strlen(arg);

	return strchr(arg, '/') != NULL ||
	    (n > 3 && strcmp(arg + n - 3, ".md") == 0);
}

/* Resolve LESSON to a file: a path if it looks like one, else an id in the
 * lesson folders. 0, or the usage status with a message. */
static int
lesson_path(const char *arg, char *buf, size_t len, enum paths_origin *origin)
{
	if (!lesson_arg_is_path(arg)) {
		if (paths_find_lesson(arg, buf, len, origin) == 0)
			return 0;
		say("no lesson named '%s' (try 'interleave --list')", arg);
		return EXIT_USAGE;
	}
	snprintf(buf, len, "%s", arg);
	*origin = PATHS_ARGUMENT;
	if (path_missing(buf)) {
		say("%s: %s", arg, strerror(ENOENT));
		return EXIT_USAGE;
	}
	return 0;
}

/* --check-lesson: load the file, then check what it names. */
/* Warn about each page that needs more narration rows at the smallest
 * screen, with the lesson's own parameters, than it gets there: it would
 * have to be scrolled. A warning, not an error: the lesson still runs. */
static void
warn_unfit_pages(const struct lesson *l)
{
	int have =
	    screen_narration_rows(l, l->params, SCREEN_MIN_W, SCREEN_MIN_H);
	size_t i;

	for (i = 0; i < l->npages; i++) {
		int need = screen_page_rows(l, l->params, i, SCREEN_MIN_W);

		if (need > have)
			fprintf(stderr,
			    "%s:%d: warning: the page '%s' needs %d rows at "
			    "%dx%d, where the narration has %d; it will have "
			    "to be scrolled\n",
			    l->path, l->pages[i].line, l->pages[i].title, need,
			    SCREEN_MIN_W, SCREEN_MIN_H, have);
	}
}

static int
check_lesson(const char *path)
{
	struct lesson *l;
	char err[1024];
	enum verify_result v;

	if (path_missing(path)) {
		say("%s: %s", path, strerror(ENOENT));
		return EXIT_USAGE;
	}
	if ((l = lesson_load(path, err, sizeof err)) == NULL) {
		say_text("", err);
		return EXIT_DATAERR;
	}
	if ((v = verify_lesson(l, paths_schedule_dirs(), err, sizeof err)) !=
	    VERIFY_OK) {
		say_text(v == VERIFY_INTERNAL ? "interleave: " : "", err);
		lesson_free(l);
		return v == VERIFY_INTERNAL ? EXIT_SOFTWARE : EXIT_DATAERR;
	}
	warn_unfit_pages(l);
	printf("%s: ok: %s (module %s, %zu page%s)\n", l->path, l->title,
	    l->module->id, l->npages, l->npages == 1 ? "" : "s");
	lesson_free(l);
	return 0;
}

/* Report an unknown --set key with the keys the lesson has. */
static int
unknown_param(const char *set, const struct lesson *l, const char *key)
{
	const struct lesson_module *m = l->module;
	char keys[1024];
	size_t off = 0, k;

	keys[0] = '\0';
	for (k = 0; k < m->nparams && off < sizeof keys; k++)
		off += (size_t)snprintf(
		    keys + off, sizeof keys - off, " %s", m->params[k].name);
	say("--set %s: lesson %s has no parameter '%s'; it has:%s", set, l->id,
	    key, keys);
	return EXIT_USAGE;
}

/* Apply --set KEY=VALUE pairs over the lesson's parameters. */
static int
apply_sets(const struct options *o, const struct lesson *l, long *params)
{
	const struct lesson_module *m = l->module;
	int i, k, r;

	memcpy(params, l->params, sizeof l->params);
	for (i = 0; i < o->nsets; i++) {
		char key[64];
		const char *eq = strchr(o->sets[i], '=');
		long v;

		if (eq == NULL || eq == o->sets[i] ||
		    (size_t)(eq - o->sets[i]) >= sizeof key)
			return usage_error(
			    "--set '%s': expected KEY=VALUE", o->sets[i]);
		memcpy(key, o->sets[i], (size_t)(eq - o->sets[i]));
		key[eq - o->sets[i]] = '\0';
		if ((k = module_param_index(m, key)) < 0)
			return unknown_param(o->sets[i], l, key);
		if ((r = module_param_parse(
		         &m->params[k], eq + 1, strlen(eq + 1), &v)) != 0) {
			char accepts[256];

			module_param_accepts(
			    &m->params[k], accepts, sizeof accepts);
			if (m->params[k].names == NULL && r == -1)
				return usage_error("--set '%s': the value is "
				                   "not an integer",
				    o->sets[i]);
			say("--set %s: %s must be %s", o->sets[i], key,
			    accepts);
			return EXIT_USAGE;
		}
		params[k] = v;
	}
	return 0;
}

/* Check the parameters the run will use with the lesson's module: if
 * only --set made them unacceptable that is a usage error, otherwise the
 * lesson file's own parameters are at fault. */
static int
check_params(
    const struct options *o, const struct lesson *l, const long *params)
{
	const struct lesson_module *m = l->module;
	int controlled = o->policy != POLICY_FREE && !verify_free_only(m);
	char err[1024];

	if (verify_params(m, params, controlled, err, sizeof err) == 0)
		return 0;
	if (verify_lesson_params(l, controlled, err, sizeof err) == VERIFY_OK) {
		say("%s", err);
		return EXIT_USAGE;
	}
	say_text("", err);
	return EXIT_DATAERR;
}

/* An inline --schedule is an argument: a malformed one is a usage error.
 * (A named one is read by the run; whether it fits the lesson is known
 * only when it is replayed.) */
static int
check_schedule_arg(const struct options *o)
{
	struct schedule s;
	char err[512];

	if (o->schedule == NULL || o->schedule[0] == '@')
		return 0;
	if (schedule_parse(o->schedule, &s, err, sizeof err) != SCHEDULE_OK)
		return usage_error("--schedule: %s", err);
	schedule_free(&s);
	return 0;
}

/* --version. */
static void
print_version(void)
{
	printf("interleave %s\n"
	       "Copyright (C) 2026 the interleave developers.\n"
	       "This is free software: you are free to change "
	       "and redistribute it.\n",
	    PACKAGE_VERSION);
}

/* --seed's value: 0, or the usage error's status with the message said. */
static int
parse_seed(const char *arg, uint64_t *seed)
{
	int r = parse_u64(arg, seed);

	if (r == -2)
		return usage_error("--seed '%s': out of range (at most %llu)",
		    arg, (unsigned long long)UINT64_MAX);
	if (r != 0)
		return usage_error(
		    "--seed '%s': expected a non-negative integer", arg);
	return 0;
}

/* --max-preemptions K, --max-schedules N (at least 1) or --depth D (1 to
 * 10): 0, or the usage error's status. */
static int
explore_bound(int c, const char *arg, struct options *o)
{
	const char *name = c == OPT_MAX_PREEMPTIONS ? "--max-preemptions"
	    : c == OPT_MAX_SCHEDULES                ? "--max-schedules"
	                                            : "--depth";
	uint64_t v;

	if (parse_u64(arg, &v) != 0)
		return usage_error(
		    "%s '%s': expected a non-negative integer", name, arg);
	o->explore_bounds = 1;
	switch (c) {
	case OPT_MAX_PREEMPTIONS:
		if (v > 1000)
			return usage_error("%s '%s': at most 1000", name, arg);
		o->max_preemptions = (long)v;
		break;
	case OPT_MAX_SCHEDULES:
		if (v == 0)
			return usage_error("%s '%s': at least 1", name, arg);
		o->max_schedules = v;
		break;
	default:
		if (v < 1 || v > 10)
			return usage_error("%s '%s': 1 to 10", name, arg);
		o->depth = (int)v;
		break;
	}
	return 0;
}

/* Apply one option getopt_long returned (c) to o: 0, or the exit status
 * of a usage error.  --help and --version print and exit here. */
static int
apply_option(int c, char **argv, struct options *o)
{
	switch (c) {
	case 'h':
		usage(stdout);
		exit(0);
	case 'V':
		print_version();
		exit(0);
	case OPT_HEADLESS:
		o->headless = 1;
		break;
	case OPT_POLICY:
		if ((o->policy = policy_from_name(optarg)) < 0)
			return usage_error("unknown policy '%s' "
			                   "(use " POLICY_NAMES_TEXT ")",
			    optarg);
		break;
	case OPT_SEED:
		if (parse_seed(optarg, &o->seed) != 0)
			return EXIT_USAGE;
		break;
	case OPT_SCHEDULE:
		o->schedule = optarg;
		break;
	case OPT_SET:
		if (o->nsets == MAX_SETS)
			return usage_error("too many --set options");
		o->sets[o->nsets++] = optarg;
		break;
	case OPT_LIST:
		o->list = 1;
		break;
	case OPT_CHECK_LESSON:
		o->check_lesson = optarg;
		break;
	case OPT_ASCII:
		o->ascii = 1;
		break;
	case OPT_NO_COLOR:
		o->no_color = 1;
		break;
	case OPT_NO_MOUSE:
		o->no_mouse = 1;
		break;
	case OPT_RESET_PROGRESS:
		o->reset_progress = 1;
		break;
	case OPT_EXPLORE:
		if (optarg == NULL)
			o->explore = EXPLORE_ALL;
		else if (strcmp(optarg, "compare") == 0)
			o->explore = EXPLORE_COMPARE;
		else if ((o->explore = explore_strategy_by_name(optarg)) < 0)
			return usage_error(
			    "unknown --explore strategy '%s' (use "
			    "all, dpor, random, pct or compare)",
			    optarg);
		break;
	case OPT_MAX_PREEMPTIONS:
	case OPT_MAX_SCHEDULES:
	case OPT_DEPTH:
		return explore_bound(c, optarg, o);
	case OPT_TRACE:
		o->trace = optarg;
		break;
	case OPT_DEMO:
		o->demo = 1;
		break;
	case OPT_SPEED: {
		uint64_t v;

		if (parse_u64(optarg, &v) != 0 || v < 1 || v > 500)
			return usage_error("--speed '%s': expected steps a "
			                   "second, 1 to 500",
			    optarg);
		o->speed = (int)v;
		break;
	}
	case OPT_RECORD:
		o->record = optarg;
		break;
	case OPT_REPLAY:
		o->replay = optarg;
		break;
	case ':':
		return usage_error(
		    "option '%s' needs a value", argv[optind - 1]);
	default:
		return usage_error("unknown option '%s'", argv[optind - 1]);
	}
	return 0;
}

/* Parse the command line into o: 0, or the exit status of a usage
 * error. */
static int
parse_args(int argc, char **argv, struct options *o)
{
	int c, rc;

	memset(o, 0, sizeof *o);
	o->policy = -1;
	o->explore = -1;
	o->max_preemptions = -1;
	o->seed = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":hV", long_options, NULL)) != -1) {
		o->noptions++;
		if ((rc = apply_option(c, argv, o)) != 0)
			return rc;
	}
	if (optind < argc)
		o->lesson = argv[optind++];
	if (optind < argc)
		return usage_error("unexpected argument '%s'", argv[optind]);
	return 0;
}

/* Check that the options make sense together. */
static int
check_combination(struct options *o)
{
	if (o->explore_bounds && o->explore < 0)
		return usage_error("--max-preemptions, --max-schedules and "
		                   "--depth go with --explore");
	if ((o->demo || o->record != NULL || o->replay != NULL) &&
	    (o->headless || o->explore >= 0 || o->policy >= 0 ||
	        o->schedule != NULL))
		return usage_error("--demo, --record and --replay are for the "
		                   "screen: leave out --headless, --explore, "
		                   "--policy and --schedule");
	if (o->demo + (o->record != NULL) + (o->replay != NULL) > 1)
		return usage_error(
		    "--demo, --record and --replay go one at a time");
	if ((o->demo || o->record != NULL) && o->lesson == NULL)
		return usage_error(
		    "%s needs a LESSON", o->demo ? "--demo" : "--record");
	if (o->replay != NULL && (o->lesson != NULL || o->nsets > 0))
		return usage_error("--replay takes the lesson and its "
		                   "parameters from the recording: leave out "
		                   "LESSON and --set");
	if (o->speed > 0 && !o->demo && o->replay == NULL)
		return usage_error("--speed goes with --demo or --replay");
	if (o->explore >= 0) {
		if (o->lesson == NULL)
			return usage_error("--explore needs a LESSON");
		if (o->schedule != NULL || o->policy >= 0)
			return usage_error(
			    "--explore runs every schedule itself: leave out "
			    "--policy and --schedule");
		return 0;
	}
	if (o->schedule != NULL && o->policy < 0)
		o->policy = POLICY_REPLAY;
	if (o->policy < 0)
		o->policy = o->headless ? POLICY_RANDOM : POLICY_STEP;
	if (o->schedule != NULL && o->policy != POLICY_REPLAY)
		return usage_error("--schedule goes with --policy replay, not "
		                   "--policy %s",
		    policy_name((enum policy)o->policy));
	if (!o->headless && o->schedule != NULL)
		return usage_error(
		    "--schedule needs --headless; on the screen, "
		    "step the threads with their keys (1-9, or Shift and a "
		    "lane's letter)");
	if (!o->headless && o->lesson == NULL && o->nsets > 0)
		return usage_error("--set needs a LESSON");
	if (o->lesson == NULL && o->headless)
		return usage_error("--headless needs a LESSON");
	if (!o->headless && o->policy == POLICY_REPLAY)
		return usage_error("--policy replay needs --headless");
	return check_schedule_arg(o);
}

/* 0 if there is a terminal to draw on, else the usage status with a
 * message (the screen cannot run here; --headless can). */
static int
check_terminal(void)
{
	char err[256];

	if (tui_check_terminal(err, sizeof err) == 0)
		return 0;
	say("%s", err);
	return EXIT_USAGE;
}

/* The screen front end on the lessons of c; start is the one to open at
 * once (-1: the menu), with params. */
static int
run_tui(const struct options *o, const struct catalog *c, int start,
    const long *params)
{
	struct tui_args t;
	const char *nc = getenv("NO_COLOR");
	int rc;

	memset(&t, 0, sizeof t);
	t.lessons = catalog_lessons(c);
	t.nlessons = c->n;
	t.start = start;
	if (params != NULL)
		memcpy(t.params, params, sizeof t.params);
	t.policy = (enum policy)o->policy;
	t.seed = o->seed;
	t.ascii = o->ascii;
	t.color = !o->no_color && (nc == NULL || *nc == '\0');
	t.mouse = !o->no_mouse;
	t.trace = o->tracef;
	t.demo = o->demo;
	t.replay = o->rec;
	t.record = o->record;
	t.speed = o->speed;
	rc = tui_main(&t);
	free(t.lessons);
	return rc;
}

/* Open lesson l (from path) on the screen, with every other lesson in
 * the menu behind it, so that 'm' goes back to them. */
static int
run_tui_lesson(const struct options *o, struct lesson *l, const char *path,
    enum paths_origin origin, const long *params)
{
	struct catalog c;
	size_t start;
	int rc;

	if ((rc = check_terminal()) != 0) {
		lesson_free(l);
		return rc;
	}
	catalog_load(&c); /* a broken other lesson is reported, not fatal */
	start = catalog_place(&c, l, path, origin);
	rc = run_tui(o, &c, (int)start, params);
	catalog_free(&c);
	return rc;
}

/* --explore: the explorer's report on stdout. */
static int
run_explore(const struct options *o, const struct lesson *l, const long *params)
{
	struct explore_args e;

	memset(&e, 0, sizeof e);
	e.lesson = l;
	memcpy(e.params, params, sizeof e.params);
	e.strategy = o->explore;
	e.max_preemptions = o->max_preemptions;
	e.max_schedules = o->max_schedules;
	e.seed = o->seed;
	e.depth = o->depth;
	e.ascii = o->ascii;
	e.out = stdout;
	return explore_main(&e);
}

/* --demo: the lesson has a demo, and its steps load. 0, or the exit
 * status with the message said. */
static int
check_demo(const struct lesson *l)
{
	struct schedule s;
	char err[2048];
	int rc;

	if (l->demo.line == 0) {
		say("%s: the lesson has no ```demo block, so --demo has "
		    "nothing to play",
		    l->path);
		return EXIT_USAGE;
	}
	rc = lesson_demo_load(l, paths_schedule_dirs(), &s, err, sizeof err);
	if (rc != SCHEDULE_OK) {
		say_text("", err);
		return EXIT_DATAERR;
	}
	schedule_free(&s);
	return 0;
}

/* --replay FILE: read the recording and find its lesson, which becomes
 * the LESSON. 0, or EXIT_DATAERR with the message said. */
static int
open_replay(struct options *o, struct recording *rec)
{
	char err[2048], path[4096];
	enum paths_origin origin;

	if (recording_load(o->replay, rec, err, sizeof err) != 0) {
		say_text("", err);
		recording_free(rec);
		return EXIT_DATAERR;
	}
	if (lesson_arg_is_path(rec->lesson) ||
	    paths_find_lesson(rec->lesson, path, sizeof path, &origin) != 0) {
		say("%s:2: a recording of an unknown lesson '%s' (try "
		    "'interleave --list')",
		    rec->path, rec->lesson);
		recording_free(rec);
		return EXIT_DATAERR;
	}
	o->lesson = rec->lesson;
	o->rec = rec;
	o->seed = rec->ev[0].seed;
	return 0;
}

static int
run_lesson(const struct options *o)
{
	struct headless_args a;
	enum paths_origin origin;
	struct lesson *l;
	char path[4096], err[1024];
	int rc;

	if ((rc = lesson_path(o->lesson, path, sizeof path, &origin)) != 0)
		return rc;
	if ((l = lesson_load(path, err, sizeof err)) == NULL) {
		say_text("", err);
		return EXIT_DATAERR;
	}
	memset(&a, 0, sizeof a);
	if ((rc = apply_sets(o, l, a.params)) != 0 ||
	    (rc = check_params(o, l, a.params)) != 0) {
		lesson_free(l);
		return rc;
	}
	if (o->explore >= 0) {
		rc = run_explore(o, l, a.params);
		lesson_free(l);
		return rc;
	}
	if (o->demo && (rc = check_demo(l)) != 0) {
		lesson_free(l);
		return rc;
	}
	if (o->rec != NULL) {
		if (recording_bind(o->rec, l, err, sizeof err) != 0) {
			say_text("", err);
			lesson_free(l);
			return EXIT_DATAERR;
		}
		memcpy(a.params, o->rec->ev[0].params, sizeof a.params);
	}
	if (!o->headless)
		return run_tui_lesson(o, l, path, origin, a.params);
	a.lesson = l;
	a.policy = (enum policy)o->policy;
	a.seed = o->seed;
	a.schedule = o->schedule;
	a.ascii = o->ascii;
	a.out = stdout;
	a.trace = o->tracef;
	if (module_plan_for(l->module, a.params) != NULL)
		rc = measure_main(&a);
	else
		rc = headless_main(&a);
	lesson_free(l);
	return rc;
}

/* "A, B or C": the lesson folders, for a message. */
static void
folder_names(char *buf, size_t len)
{
	const struct paths_folder *fs;
	size_t n, i, off = 0;

	fs = paths_lesson_folders(&n);
	buf[0] = '\0';
	for (i = 0; i < n && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%s",
		    i == 0           ? ""
		        : i + 1 == n ? " or "
		                     : ", ",
		    fs[i].dir);
}

/* --reset-progress: remove the progress file, saying what was done.
 * It goes alone: a LESSON or another option with it would suggest a
 * narrower reset than the whole file. */
static int
reset_progress(const struct options *o)
{
	char path[4096], msg[1024], *shown;
	int rc;

	if (o->lesson != NULL || o->noptions > 1)
		return usage_error("--reset-progress clears all progress and "
		                   "takes no LESSON or other option");
	if (paths_progress_file(path, sizeof path) != 0) {
		printf("no progress to clear\n");
		return 0;
	}
	if ((rc = progress_reset(path, msg, sizeof msg)) < 0) {
		say("%s", msg);
		return EXIT_DATAERR;
	}
	if (rc == 0) {
		printf("no progress to clear\n");
		return 0;
	}
	shown = sanitize_text(path, strlen(path), 0);
	printf("progress cleared: %s\n", shown);
	free(shown);
	return 0;
}

/* No LESSON: the menu of every lesson. */
static int
run_menu(const struct options *o)
{
	struct catalog c;
	char dirs[4096];
	int rc;

	if ((rc = check_terminal()) != 0)
		return rc;
	catalog_load(&c);
	if (c.n == 0) {
		folder_names(dirs, sizeof dirs);
		say("no lessons found in %s", dirs);
		catalog_free(&c);
		return EXIT_DATAERR;
	}
	rc = run_tui(o, &c, -1, NULL);
	catalog_free(&c);
	return rc;
}

/* A lesson run or the menu with --trace: the file is written when it
 * ends well, and an unwritable one is EXIT_CANTCREAT. */
static int
run_traced(struct options *o)
{
	char err[4096 + 256];
	int rc;

	if (o->explore >= 0)
		return usage_error("--trace does not go with --explore");
	if ((o->tracef = trace_file_open(o->trace, err, sizeof err)) == NULL) {
		say("%s", err);
		return EXIT_CANTCREAT;
	}
	if (o->headless)
		trace_file_unlink_on_signal(o->tracef);
	rc = o->lesson == NULL ? run_menu(o) : run_lesson(o);
	if (rc != 0) {
		trace_file_discard(o->tracef);
		return rc;
	}
	if (trace_file_commit(o->tracef, err, sizeof err) != 0) {
		say("%s", err);
		return EXIT_CANTCREAT;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct options o;
	const char *cs;
	int rc;

	setlocale(LC_ALL, "");
	if ((rc = parse_args(argc, argv, &o)) != 0)
		return rc;
	if (o.reset_progress)
		return reset_progress(&o);
	cs = nl_langinfo(CODESET);
	if (cs == NULL || strcmp(cs, "UTF-8") != 0)
		o.ascii = 1;
	if ((o.check_lesson != NULL || o.list) && o.lesson != NULL)
		return usage_error("unexpected argument '%s'", o.lesson);
	if (o.check_lesson != NULL)
		return check_lesson(o.check_lesson);
	if (o.list)
		return list_lessons();
	if ((rc = check_combination(&o)) != 0)
		return rc;
	if (o.replay != NULL) {
		struct recording rec;

		if ((rc = open_replay(&o, &rec)) != 0)
			return rc;
		rc = o.trace == NULL ? run_lesson(&o) : run_traced(&o);
		recording_free(&rec);
		return rc;
	}
	if (o.trace == NULL)
		return o.lesson == NULL ? run_menu(&o) : run_lesson(&o);
	return run_traced(&o);
}
