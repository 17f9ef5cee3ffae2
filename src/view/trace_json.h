/*
 * Chrome trace-event JSON (the format Perfetto and chrome://tracing open)
 * from a model's trace log. Each run is one process; each of its lanes is
 * a thread track with
 *   - its states as complete events ("ph":"X", cat "state"), named by the
 *     legend's words ("running", "waiting for a lock", ...);
 *   - each lock acquisition and release as a zero-length complete event
 *     (cat "lock"), the release joined to the next acquisition of the
 *     same lock by another lane with a flow ("ph":"s" then "ph":"f",
 *     "bp":"e", the trace-event format's first flow binding);
 *   - each overwriting store (a lost update) as an instant event
 *     ("ph":"i", args var, value) and a deadlock's cycle as one instant
 *     event on its first lane when it closed (args cycle, threads, locks);
 * and in a sampled free run, each lane's kernel view (running, waiting
 * for a CPU, blocked) as one more track per lane, "1 A kernel".
 * Times are in microseconds: a free run's ns / 1000, a stepped run's
 * steps * TRACE_STEP_US (said in otherData).
 */
#ifndef IL_TRACE_JSON_H
#define IL_TRACE_JSON_H

#include <stdint.h>
#include <stdio.h>

#include "model.h"

#define TRACE_STEP_US  1000 /* a stepped run's step, in trace time */
#define TRACE_MAX_RUNS 64   /* runs listed in otherData */

/* One run: who its lanes are, as the screen names them. */
struct trace_run {
	const char *title; /* the process name: "race (step)", any text */
	const char *lane;  /* the lanes' word: "thread", "process", "task" */
	const char *ready; /* the ready state's words in a free run */
	const int *pids;   /* each lane's child PID, or NULL (none) */
};

struct trace_json {
	FILE *f;
	int events; /* written so far, for the commas */
	int runs;
	int64_t flow_id;
	int stepped[TRACE_MAX_RUNS]; /* each run's clock: 1 steps, 0 ns */
	uint64_t dropped;            /* log records no run kept */
};

/* Start the file: the object and its event array. */
void trace_json_begin(struct trace_json *, FILE *);
/* Add run r of model m as the next process (pid = runs so far + 1). */
void trace_json_run(
    struct trace_json *, const struct trace_run *r, const struct model *m);
/* End the array, add otherData (clock, step unit, version), close the
 * object. */
void trace_json_end(struct trace_json *, const char *version);

/* s as a JSON string, with its quotes: control characters, quotes and
 * backslashes escaped, bytes that are not UTF-8 each as U+FFFD. */
void trace_json_string(FILE *, const char *s);

#endif
