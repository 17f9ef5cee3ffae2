/*
 * Names of things a user types or reads: threads and scheduling policies.
 *
 * Thread names are the one place that turns a thread index into a name.
 * Messages name thread t by thread_name(): "A".."Z", then "AA", "AB", ...
 * The timeline, which has one column per letter, labels it by
 * thread_letter(): 'A'..'Z', then 'a'..'z', repeating past 52.
 */
#ifndef IL_NAMES_H
#define IL_NAMES_H

#include "conductor.h"

/* How many threads have a name; thread_name() is "?" past it. */
#define THREAD_NAMES_MAX 64

/* How a lesson names its threads in messages: by letter ("A"), or by
 * number ("T1"), where its locks are called by letters themselves. */
enum thread_naming { NAMING_LETTERS, NAMING_NUMBERS };

/* The name of thread t (0-based) for messages; "?" if t has none. */
const char *thread_name(int t);
/* The same, named as naming says: "A" or "T1". */
const char *thread_name_as(enum thread_naming, int t);

/* The one-letter label of thread t (0-based) on the timeline. */
char thread_letter(int t);

/* The thread whose timeline letter is the capital ch (a lane's Shift key),
 * or -1 for anything else: a lower-case letter names no one thread, as
 * they repeat past 52. */
int thread_of_letter(int ch);

/* A policy's name, as --policy takes it and output shows it: "free",
 * "step", "random" or "replay"; "?" for a value that is none of them. */
const char *policy_name(enum policy);

/* The policy called s, or -1 if none is. */
int policy_from_name(const char *s);

/* Every policy name, for messages; a test checks it against the table. */
#define POLICY_NAMES_TEXT "free, step, random or replay"

#endif
