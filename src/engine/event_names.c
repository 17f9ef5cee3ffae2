/* Short lowercase names for event kinds and thread states, for traces,
 * logs and the legend. */
#include "event.h"

static const char *const ev_kind_names[EV_KIND_COUNT] = {
    [EV_THREAD_START] = "thread-start",
    [EV_THREAD_END] = "thread-end",
    [EV_STATE] = "state",
    [EV_LINE] = "line",
    [EV_LOAD] = "load",
    [EV_STORE] = "store",
    [EV_LOCK_REQ] = "lock-req",
    [EV_LOCK_ACQ] = "lock-acq",
    [EV_LOCK_REL] = "lock-rel",
    [EV_OS_SAMPLE] = "os-sample",
    [EV_MARK] = "mark",
    [EV_OS_IDENTITY] = "os-identity",
    [EV_TALLY] = "tally",
};

#define STATE_NAME(st, utf8, ascii, role, legend, name, rank, ...) [st] = name,
static const char *const thread_state_names[TS_COUNT] = {
    THREAD_STATES(STATE_NAME)};
#undef STATE_NAME

const char *
ev_kind_name(enum ev_kind k)
{
	if ((unsigned)k >= EV_KIND_COUNT)
		return "?";
	return ev_kind_names[k];
}

const char *
thread_state_name(enum thread_state s)
{
	if ((unsigned)s >= TS_COUNT)
		return "?";
	return thread_state_names[s];
}
