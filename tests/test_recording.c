/* Recordings of a session: a round trip through the file replays to the
 * same state, and each kind of bad file gives its one-line message. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lesson.h"
#include "player.h"
#include "recording.h"
#include "schedule.h"
#include "session.h"
#include "suites.h"
#include "util.h"

static struct lesson *race;
static char path[64];

static void
setup(void)
{
	int fd;

	race = test_lesson("race");
	snprintf(path, sizeof path, "/tmp/il-recXXXXXX");
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	close(fd);
}

static void
teardown(void)
{
	lesson_free(race);
	race = NULL;
	unlink(path);
}

/* What the screen shows of a run that matters here. */
static void
state_of(const struct session *s, char *buf, size_t len)
{
	const struct model *m = s->run->m;

	snprintf(buf, len, "counter %lld lost %llu step %u hist %zu seed %llu",
	    (long long)m->vars[0].value, (unsigned long long)m->vars[0].lost,
	    (unsigned)m->step, s->nhist, (unsigned long long)s->seed);
}

START_TEST(test_recording_round_trip)
{
	static const int plan[] = {0, 1, 0, 1};
	struct session s, t;
	struct recording rec, back;
	char msg[256], err[512], a[256], b[256];
	size_t i;

	session_init(&s, race, NULL, 0, 7);
	recording_init(&rec, race->id);
	ck_assert_int_eq(session_start(&s, msg, sizeof msg), 0);
	recording_add(&rec, REC_START, &s);
	for (i = 0; i < IL_ARRAY_LEN(plan); i++) {
		ck_assert_int_eq(session_step(&s, plan[i], msg, sizeof msg), 0);
		recording_add(&rec, REC_STEP, &s);
	}
	ck_assert_int_eq(session_undo(&s, msg, sizeof msg), 0);
	recording_add(&rec, REC_UNDO, &s);
	ck_assert_int_eq(session_redo(&s, msg, sizeof msg), 0);
	recording_add(&rec, REC_REDO, &s);
	ck_assert_int_eq(session_auto_step(&s, msg, sizeof msg), 0);
	recording_add(&rec, REC_AUTO, &s);
	/* a restart with a new seed, and steps after it */
	s.seed = 99;
	ck_assert_int_eq(session_start(&s, msg, sizeof msg), 0);
	recording_add(&rec, REC_START, &s);
	ck_assert_int_eq(session_auto_step(&s, msg, sizeof msg), 0);
	recording_add(&rec, REC_AUTO, &s);
	ck_assert_int_eq(session_step(&s, 1, msg, sizeof msg), 0);
	recording_add(&rec, REC_STEP, &s);
	state_of(&s, a, sizeof a);

	ck_assert_msg(
	    recording_save(&rec, race, path, err, sizeof err) == 0, "%s", err);
	ck_assert_msg(
	    recording_load(path, &back, err, sizeof err) == 0, "%s", err);
	ck_assert_msg(
	    recording_bind(&back, race, err, sizeof err) == 0, "%s", err);
	ck_assert_uint_eq(back.n, rec.n);
	session_init(&t, race, NULL, 0, 1);
	for (i = 0; i < back.n; i++) {
		ck_assert_int_eq(back.ev[i].kind, rec.ev[i].kind);
		ck_assert_msg(
		    recording_apply(&t, &back.ev[i], msg, sizeof msg) == 0,
		    "event %zu: %s", i, msg);
	}
	state_of(&t, b, sizeof b);
	ck_assert_str_eq(a, b);
	session_close(&s);
	session_close(&t);
	recording_free(&rec);
	recording_free(&back);
}
END_TEST

/* The race lesson's demo: its schedule loads from the repository's
 * folder, every stop is within it, and played as step events on a
 * session it loses the update, the same way twice. */
START_TEST(test_recording_race_demo)
{
	char dir[4096], err[1024], msg[256], first[256] = "";
	const char *dirs[2] = {dir, NULL};
	struct schedule sch;
	struct session s;
	struct rec_event e;
	int round;
	size_t i;

	snprintf(dir, sizeof dir, "%s/data/schedules", test_srcdir());
	ck_assert_int_ne(race->demo.line, 0);
	ck_assert_msg(
	    lesson_demo_load(race, dirs, &sch, err, sizeof err) == SCHEDULE_OK,
	    "%s", err);
	ck_assert_uint_ge(race->demo.nstops, 2);
	ck_assert_int_le(
	    race->demo.stops[race->demo.nstops - 1].step, (long)sch.n);
	for (round = 0; round < 2; round++) {
		session_init(&s, race, NULL, 0, 1);
		memset(&e, 0, sizeof e);
		e.kind = REC_START;
		e.seed = 1;
		memcpy(e.params, race->params, sizeof e.params);
		ck_assert_int_eq(recording_apply(&s, &e, msg, sizeof msg), 0);
		for (i = 0; i < sch.n; i++) {
			e.kind = REC_STEP;
			e.thread = sch.items[i];
			ck_assert_msg(
			    recording_apply(&s, &e, msg, sizeof msg) == 0,
			    "step %zu: %s", i + 1, msg);
		}
		ck_assert_uint_eq(s.run->m->vars[0].lost, 1);
		state_of(&s, msg, sizeof msg);
		if (round == 0)
			snprintf(first, sizeof first, "%s", msg);
		else
			ck_assert_str_eq(first, msg);
		session_close(&s);
	}
	schedule_free(&sch);
}
END_TEST

/* The player on the race demo: forward to the end, back two steps, and
 * the state is the one two steps before the end; the stops are found at
 * their steps. */
START_TEST(test_player_demo)
{
	char dir[4096], err[1024], msg[256], want[256], got[256];
	const char *dirs[2] = {dir, NULL};
	const struct lesson_stop *st;
	struct session s;
	struct player p;
	size_t stops = 0;

	snprintf(dir, sizeof dir, "%s/data/schedules", test_srcdir());
	session_init(&s, race, NULL, 0, 1);
	ck_assert_int_eq(session_start(&s, msg, sizeof msg), 0);
	ck_assert_msg(
	    player_from_demo(&p, race, &s, dirs, err, sizeof err) == 0, "%s",
	    err);
	ck_assert_int_ne(player_back(&p, &s, NULL, msg, sizeof msg), 0);
	while (!player_at_end(&p)) {
		ck_assert_msg(
		    player_forward(&p, &s, NULL, msg, sizeof msg) == 0,
		    "event %zu: %s", p.pos, msg);
		if ((st = player_stop(&p, &s)) != NULL) {
			ck_assert_int_eq(st->step, (long)s.nhist);
			stops++;
		}
		if (p.pos + 2 == p.rec.n)
			state_of(&s, want, sizeof want);
	}
	ck_assert_uint_eq(stops, race->demo.nstops);
	ck_assert_uint_eq(s.run->m->vars[0].lost, 1);
	ck_assert_int_ne(player_forward(&p, &s, NULL, msg, sizeof msg), 0);
	ck_assert_int_eq(player_back(&p, &s, NULL, msg, sizeof msg), 0);
	ck_assert_int_eq(player_back(&p, &s, NULL, msg, sizeof msg), 0);
	state_of(&s, got, sizeof got);
	ck_assert_str_eq(want, got);
	player_free(&p);
	session_close(&s);
}
END_TEST

/* Back over an undo plays again from the start: the step it undid is
 * taken again, whatever the redo list holds by then. */
START_TEST(test_player_back_over_undo)
{
	static const enum rec_kind kinds[] = {
	    REC_START, REC_STEP, REC_UNDO, REC_STEP, REC_START, REC_STEP};
	static const int threads[] = {0, 0, 0, 1, 0, 1};
	struct recording rec;
	struct session s;
	struct player p;
	char msg[256];
	size_t i;

	recording_init(&rec, race->id);
	for (i = 0; i < IL_ARRAY_LEN(kinds); i++) {
		struct rec_event *e = recording_push(&rec);

		e->kind = kinds[i];
		e->thread = threads[i];
		e->seed = i == 0 ? 1 : 5;
		memcpy(e->params, race->params, sizeof e->params);
	}
	player_from_recording(&p, &rec);
	session_init(&s, race, NULL, 0, 1);
	while (!player_at_end(&p))
		ck_assert_msg(
		    player_forward(&p, &s, NULL, msg, sizeof msg) == 0,
		    "event %zu: %s", p.pos, msg);
	ck_assert_uint_eq(s.nhist, 1);
	ck_assert_uint_eq(s.seed, 5);
	/* back over the step, then over the second start: the first run */
	ck_assert_int_eq(player_back(&p, &s, NULL, msg, sizeof msg), 0);
	ck_assert_uint_eq(s.nhist, 0);
	ck_assert_int_eq(player_back(&p, &s, NULL, msg, sizeof msg), 0);
	ck_assert_uint_eq(s.seed, 1);
	ck_assert_uint_eq(s.nhist, 1);
	ck_assert_int_eq(s.hist[0].thread, 1);
	/* back over B's step, then over the undo: A's step again */
	ck_assert_int_eq(player_back(&p, &s, NULL, msg, sizeof msg), 0);
	ck_assert_uint_eq(s.nhist, 0);
	ck_assert_int_eq(player_back(&p, &s, NULL, msg, sizeof msg), 0);
	ck_assert_uint_eq(s.nhist, 1);
	ck_assert_int_eq(s.hist[0].thread, 0);
	ck_assert_uint_eq(p.pos, 2);
	player_free(&p);
	recording_free(&rec);
	session_close(&s);
}
END_TEST

static const struct bad_recording {
	const char *text;
	const char *message; /* after "PATH:" */
} bad_recordings[] = {
    {"", "1: not a recording: it is empty or cut short"},
    {"hello\n",
        "1: not a recording: it does not start with "
        "'interleave-recording 1'"},
    {"interleave-recording 9\nlesson race\nend 0\n",
        "1: recording version 9; this program reads version 1"},
    {"interleave-recording 1\nlesson race\nend 0\n",
        "3: the recording has no 'start' before its end"},
    {"interleave-recording 1\nlessons race\nend 0\n",
        "2: expected 'lesson ID'"},
    {"interleave-recording 1\nlesson nosuch\nstart seed=1\nend 1\n",
        "2: a recording of 'nosuch', not of 'race'"},
    {"interleave-recording 1\nlesson race\nstep 1\nend 1\n",
        "3: the first event must be 'start'"},
    {"interleave-recording 1\nlesson race\nstart seed=1\nstep x\nend 2\n",
        "4: bad step 'x': expected a thread number from 1"},
    {"interleave-recording 1\nlesson race\nstart seed=1\nstep 3\nend 2\n",
        "4: bad step: thread 3, but the run has 2 threads"},
    {"interleave-recording 1\nlesson race\nstart seed=1\njump 1\nend 2\n",
        "4: unknown event 'jump' (start, step, auto, undo, redo or end)"},
    {"interleave-recording 1\nlesson race\nstart seed=1 colour=3\nend 1\n",
        "3: lesson race has no parameter 'colour'"},
    {"interleave-recording 1\nlesson race\nstart free=1\nend 1\n",
        "3: the start line has no 'seed='"},
    {"interleave-recording 1\nlesson race\nstart seed=1\nstep 1\n",
        "5: the recording is cut short: no 'end' line"},
    {"interleave-recording 1\nlesson race\nstart seed=1\nstep 1\nend 3\n",
        "5: 'end' should count the 2 events before it, not '3'"},
    {"interleave-recording 1\nlesson race\nstart seed=1\nend 1\nundo\n",
        "5: text after the 'end' line"},
};

START_TEST(test_recording_bad)
{
	const struct bad_recording *c = &bad_recordings[_i];
	struct recording rec;
	char err[512], want[600];
	FILE *f = fopen(path, "w");
	int rc;

	ck_assert_ptr_nonnull(f);
	fputs(c->text, f);
	fclose(f);
	rc = recording_load(path, &rec, err, sizeof err);
	if (rc == 0)
		rc = recording_bind(&rec, race, err, sizeof err);
	ck_assert_msg(rc != 0, "case %d read", _i);
	snprintf(want, sizeof want, "%s:%s", path, c->message);
	ck_assert_str_eq(err, want);
	ck_assert_ptr_null(strchr(err, '\n'));
	recording_free(&rec);
}
END_TEST

Suite *
make_recording_suite(void)
{
	Suite *s = suite_create("recording");
	TCase *tc = tcase_create("recording");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_recording_round_trip);
	tcase_add_test(tc, test_recording_race_demo);
	tcase_add_test(tc, test_player_demo);
	tcase_add_test(tc, test_player_back_over_undo);
	tcase_add_loop_test(
	    tc, test_recording_bad, 0, (int)IL_ARRAY_LEN(bad_recordings));
	tcase_set_timeout(tc, 30);
	suite_add_tcase(s, tc);
	return s;
}
