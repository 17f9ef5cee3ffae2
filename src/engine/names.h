/*
 * Thread names, the one place that turns a thread index into a name.
 * Messages name thread t by thread_name(): "A".."Z", then "AA", "AB", ...
 * The timeline, which has one column per letter, labels it by
 * thread_letter(): 'A'..'Z', then 'a'..'z', repeating past 52.
 */
#ifndef IL_NAMES_H
#define IL_NAMES_H

/* How many threads have a name; thread_name() is "?" past it. */
#define THREAD_NAMES_MAX 64

/* The name of thread t (0-based) for messages; "?" if t has none. */
const char *thread_name(int t);

/* The one-letter label of thread t (0-based) on the timeline. */
char thread_letter(int t);

#endif
