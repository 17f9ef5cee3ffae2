/* Process lanes: the fork, the child's signals, and the report rings. */
#include "proclane.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "spsc.h"
#include "worker.h"

/* One report from a child. */
struct proclane_ev {
	uint64_t ts;
	int32_t state;
	int32_t line;
};

/* A lane's ring, in the shared mapping: one producer (the child), one
 * consumer (the lane's thread in the parent). */
struct proclane_ring {
	struct spsc sp; /* initialised before the fork */
	struct proclane_ev ev[];
};

static struct proclane_ring *
proclane_ring_of(struct proclanes *pl, int lane)
{
	return (struct proclane_ring *)((char *)pl->base + pl->ring_off +
	    (size_t)lane * pl->ring_size);
}

void *
proclane_map(struct proclanes *pl, size_t data_size, int lanes, uint32_t events,
    char *err, size_t errlen)
{
	uint32_t cap = 16;
	size_t data = (data_size + 63) & ~(size_t)63;
	size_t ring;
	void *p;

	while (cap < events)
		cap *= 2;
	ring = sizeof(struct proclane_ring) + cap * sizeof(struct proclane_ev);
	ring = (ring + 63) & ~(size_t)63;
	pl->size = data + (size_t)lanes * ring;
	p = mmap(NULL, pl->size, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		snprintf(err, errlen, "cannot map shared memory: %s",
		    strerror(errno));
		pl->base = NULL;
		return NULL;
	}
	memset(p, 0, pl->size);
	pl->base = p;
	pl->ring_off = data;
	pl->ring_size = ring;
	for (int i = 0; i < lanes; i++)
		spsc_init(&proclane_ring_of(pl, i)->sp, cap);
	return p;
}

void
proclane_unmap(struct proclanes *pl)
{
	if (pl->base != NULL)
		munmap(pl->base, pl->size);
	pl->base = NULL;
}

void
proclane_report(struct proclanes *pl, int lane, enum thread_state s, int line)
{
	struct proclane_ring *rg = proclane_ring_of(pl, lane);
	struct proclane_ev *e;
	struct timespec ts;
	uint64_t slot;

	if (spsc_reserve(&rg->sp, &slot) != 0)
		return; /* cannot happen: the ring holds every event */
	e = &rg->ev[slot];
	clock_gettime(CLOCK_MONOTONIC, &ts);
	e->ts = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	e->state = (int32_t)s;
	e->line = line;
	spsc_publish(&rg->sp);
}

/*
 * In a new child: it inherited the worker thread's mask, which blocks
 * every signal, and the front end's handlers, which write to its pipe.
 * Give every signal its default action and unblock them all, so the
 * child stops and continues with its job (Ctrl-Z, fg) and dies of
 * Ctrl-C; and have it killed when the thread that forked it goes (the
 * parent's crash or exit), or now if the parent is already gone.
 * Only async-signal-safe calls: the child of a threaded process.
 */
static void
proclane_child_signals(pid_t parent)
{
	struct sigaction sa;
	sigset_t none;
	int sig;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	for (sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			sigaction(sig, &sa, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
#ifdef __linux__
	prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
	if (getppid() != parent)
		_exit(1);
}

/* Move the child's reports into the lane. */
static void
proclane_drain(struct il_worker *w, struct proclane_ring *rg)
{
	uint64_t t = spsc_consumed(&rg->sp), h = spsc_published(&rg->sp);

	for (; t != h; t++) {
		const struct proclane_ev *e = &rg->ev[t & rg->sp.mask];

		il_state(w, w->id, (enum thread_state)e->state, e->line);
	}
	spsc_release(&rg->sp, t);
}

int
proclane_run(
    struct proclanes *pl, struct il_worker *w, proclane_child child, void *arg)
{
	struct proclane_ring *rg = proclane_ring_of(pl, w->id);
	struct timespec tick = {0, 1000 * 1000};
	pid_t pid, parent;
	int status;

	parent = getpid();
	if ((pid = fork()) < 0)
		return -1;
	if (pid == 0) {
		proclane_child_signals(parent);
		child(arg, w->id);
		_exit(0);
	}
	il_os_identity(w, pid, pid);
	for (;;) {
		pid_t r;

		proclane_drain(w, rg);
		if (il_cancelled(w))
			kill(pid, SIGKILL);
		r = waitpid(pid, &status, WNOHANG);
		if (r == pid || (r < 0 && errno != EINTR))
			break;
		nanosleep(&tick, NULL);
	}
	proclane_drain(w, rg); /* the sampler finds the process gone */
	return 0;
}
