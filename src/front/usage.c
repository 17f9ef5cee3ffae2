/* The --help text: the common part, and each lesson's own keys from its
 * module's table. doc/interleave.1 says the same at length. */
#include "config.h"

#include "usage.h"

#include <string.h>

#include "module.h"

/* The synopsis: how to start the program, and the common keys. */
static void
usage_synopsis(FILE *f)
{
	fputs(
	    "Usage: interleave [OPTION]... [LESSON]\n"
	    "Watch real threads being scheduled: live per-thread timelines,\n"
	    "shared variables, locks, and race conditions you can step.\n"
	    "\n"
	    "  interleave                  open the lesson menu\n"
	    "  interleave LESSON           open a lesson on the screen (an id "
	    "from --list,\n"
	    "                              or a .md file); keys: 1-9, or a "
	    "lane's letter\n"
	    "                              with Shift, step that thread; space "
	    "run/pause,\n"
	    "                              u undo, Ctrl-R redo, f free "
	    "run/step, "
	    "e explore\n"
	    "                              every schedule (Enter: step through "
	    "an outcome's\n"
	    "                              witness, w: save it), up/down "
	    "scroll the\n"
	    "                              page, ? help, q quit;\n",
	    f);
}

/* Each lesson's own keys, from its module's table, wrapped under the
 * synopsis (the help screen, ?, says what each does). */
static void
usage_lesson_keys(FILE *f)
{
	const char *indent = "                              ";
	size_t i, k;
	int col;

	for (i = 0; module_table[i] != NULL; i++) {
		const struct lesson_module *m = module_table[i];

		if (m->nkeys == 0)
			continue;
		col = fprintf(f, "%s%s:", indent, m->id);
		for (k = 0; k < m->nkeys; k++) {
			const struct lesson_key *key = &m->keys[k];
			const char *label =
			    key->label != NULL ? key->label : "";
			int w = 3 + (int)strlen(label) + (k + 1 < m->nkeys);

			const char *sep = " ";

			if (col + w > 78) {
				col = fprintf(f, "\n%s", indent) - 1;
				sep = "";
			}
			col += fprintf(f, "%s%c %s%s", sep, key->key, label,
			    k + 1 < m->nkeys ? "," : "");
		}
		fputc('\n', f);
	}
}

/* The other ways to start it, and the options. */
static void
usage_options(FILE *f)
{
	fputs(
	    "  interleave LESSON --headless [--policy P] [--seed N]\n"
	    "             [--schedule S] [--set KEY=VALUE]...\n"
	    "  interleave LESSON --explore[=STRATEGY] [--max-preemptions K]\n"
	    "             [--max-schedules N] [--depth D] [--set "
	    "KEY=VALUE]...\n"
	    "  interleave LESSON --demo [--speed N]\n"
	    "  interleave LESSON --record FILE\n"
	    "  interleave --replay FILE [--speed N]\n"
	    "  interleave --list\n"
	    "  interleave --check-lesson FILE\n"
	    "  interleave --reset-progress\n"
	    "\n"
	    "Options:\n"
	    "      --headless          run without the screen: print the "
	    "text timeline,\n"
	    "                          then a line starting 'result:' (one "
	    "per run of a\n"
	    "                          lesson's plan, after a results table)\n"
	    "      --policy=POLICY     who picks the next step: free (the "
	    "OS), step (thread\n"
	    "                          numbers read from standard input), "
	    "random (seeded)\n"
	    "                          or replay (--schedule); headless "
	    "default: replay\n"
	    "                          with a schedule, else random; on "
	    "the screen: step\n"
	    "                          (keys), random (auto-run) or free\n"
	    "      --seed=N            seed for the random policy (default "
	    "1)\n"
	    "      --schedule=S        1-based thread numbers, one per step, "
	    "e.g. 1,2,1,2,\n"
	    "                          or @NAME for a named schedule such "
	    "as @lost-update;\n"
	    "                          when it runs out, the lowest-numbered "
	    "runnable\n"
	    "                          thread takes the remaining steps\n"
	    "      --explore[=S]       run every schedule on real threads and "
	    "print the\n"
	    "                          outcomes, a witness for each and a "
	    "result line;\n"
	    "                          S: all (default), dpor (one run per "
	    "class), random,\n"
	    "                          pct, or compare (all four side by "
	    "side)\n"
	    "      --max-preemptions=K explore schedules with at most K "
	    "preemptions\n"
	    "      --max-schedules=N   stop after N runs, with an estimate of "
	    "the rest\n"
	    "                          (random, pct: run N; default 1000)\n"
	    "      --depth=D           pct's bug depth, 1 to 10 (default 3)\n"
	    "      --set KEY=VALUE     set a lesson parameter, e.g. "
	    "--set threads=4\n"
	    "                          (repeatable; see the lesson file for "
	    "its keys)\n"
	    "      --list              print each lesson: id, title, the "
	    "folder it came\n"
	    "                          from and its file, separated by "
	    "tabs\n"
	    "      --check-lesson=FILE validate a lesson file, its parameters "
	    "and its named\n"
	    "                          schedule; errors are FILE:LINE: "
	    "message\n"
	    "      --trace=FILE        also write the run as Chrome "
	    "trace-event "
	    "JSON (opens\n"
	    "                          in Perfetto): headless, every run; on "
	    "the screen,\n"
	    "                          the run shown when the lesson is left\n"
	    "      --demo              play the lesson's demo on the screen, "
	    "pausing at its\n"
	    "                          stops: space pauses and goes on, "
	    "-> and <- step\n"
	    "      --speed=N           play a demo or a replay at N steps a "
	    "second (1-500)\n"
	    "      --record=FILE       save the screen session's starts and "
	    "steps to FILE\n"
	    "      --replay=FILE       play a --record file back, as a demo "
	    "is played\n"
	    "      --reset-progress    clear the student's progress (the "
	    "progress file,\n"
	    "                          below) and say so; takes no LESSON "
	    "or other option\n"
	    "      --ascii             draw with ASCII characters only\n"
	    "      --no-color          no colours (also when NO_COLOR is "
	    "set)\n"
	    "      --no-mouse          ignore the mouse\n"
	    "  -h, --help              show this help and exit\n"
	    "  -V, --version           show the version and exit\n",
	    f);
}

/* Exit statuses, lesson folders and the environment. */
static void
usage_files(FILE *f)
{
	fputs(
	    "\n"
	    "Exit status:\n"
	    "  0   a normal run (a lost update or a deadlock is a normal "
	    "outcome)\n"
	    "  2   bad usage: an unknown option, a malformed or out-of-range "
	    "value, an\n"
	    "      extra argument, --set values the lesson refuses, no "
	    "terminal for the\n"
	    "      screen, or a lesson, file or schedule named on the command "
	    "line that\n"
	    "      does not exist\n"
	    "  65  bad data: a lesson or schedule file that exists but cannot "
	    "be used\n"
	    "      (unreadable, not a regular file, invalid content, "
	    "parameters its module\n"
	    "      refuses), or a schedule that does not fit the lesson\n"
	    "  70  internal error: the program itself failed (threads, pipes, "
	    "memory)\n"
	    "  73  the --trace or --record file cannot be written\n"
	    "\n"
	    "Lessons and named schedules come from these folders, in order; "
	    "a later\n"
	    "folder's lesson or schedule replaces an earlier one of the same "
	    "name:\n"
	    "  built-in            " PKGDATADIR "/lessons and schedules\n"
	    "                      (the source tree when run from a build)\n"
	    "  INTERLEAVE_DATADIR  $INTERLEAVE_DATADIR/lessons and "
	    "schedules\n"
	    "  user                $XDG_DATA_HOME/interleave/lessons and "
	    "schedules\n"
	    "                      (XDG_DATA_HOME defaults to "
	    "~/.local/share)\n"
	    "--list names the folder each lesson came from.\n"
	    "Progress is kept in $XDG_STATE_HOME/interleave/progress "
	    "(XDG_STATE_HOME\n"
	    "defaults to ~/.local/state); a damaged one is moved aside as\n"
	    "progress.corrupt-TIMESTAMP, never deleted.\n"
	    "\n"
	    "Environment: INTERLEAVE_DATADIR and XDG_DATA_HOME add lesson "
	    "folders (above);\n"
	    "XDG_STATE_HOME says where progress is kept (above);\n"
	    "INTERLEAVE_PROC replaces /proc for the kernel's view of each "
	    "thread;\n"
	    "NO_COLOR turns colour off.\n",
	    f);
}

/* The --help text. */
void
usage(FILE *f)
{
	usage_synopsis(f);
	usage_lesson_keys(f);
	usage_options(f);
	usage_files(f);
}
