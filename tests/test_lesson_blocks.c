/* Tests for the interactive blocks of a lesson file (```predict, ```quiz,
 * ```challenge, ```hint, ```show): what good blocks parse into, the exact
 * "FILE:LINE: message" of bad ones, the blocks in the real lessons, goals
 * met or not on structured results, and that the static list of result
 * keys agrees with what each module's result hook puts in a real run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helper.h"
#include "lesson.h"
#include "result.h"
#include "run.h"
#include "test_lesson.h"
#include "util.h"

/* A valid lesson up to a page's text, 7 lines: a block starts on line 8
 * and its first line inside is line 9. */
#define PAGE HEAD "## P\ntext\n"
#define PAGE_DL                                                                \
	"# T\n```lesson\nmodule: deadlock\nsummary: s\n```\n## P\ntext\n"
#define PAGE_IO HEAD_IO "## P\ntext\n"

static const char good_blocks[] =
    PAGE "```predict\n"
         "ask: What will counter be?\n"
         "key: counter\n"
         "choices: 0, 1, 2\n"
         "```\n"
         "```quiz\n"
         "# a comment\n"
         "ask: Why was an update lost?\n"
         "- [ ] The CPU skipped an add :: No: both adds ran.\n"
         "- [x] B stored a stale tmp :: Yes: B loaded before A stored.\n"
         "```\n"
         "## Second\n"
         "more\n"
         "```show\n"
         "after-load B\n"
         "```\n"
         "```challenge\n"
         "title: Lose one\n"
         "goal: lost >= 1 and counter = 1\n"
         "policy: step\n"
         "max-steps: 6\n"
         "keys: 1 2 u\n"
         "params: iterations=1 threads=2\n"
         "win: Well done.\n"
         "```\n"
         "```hint\n"
         "- Both must load first.\n"
         "Then let them store.\n"
         "```\n";

START_TEST(test_blocks_good)
{
	char err[512];
	struct lesson *l =
	    lesson_parse("b.md", BYTES(good_blocks), err, sizeof err);
	const struct lesson_challenge *c;
	char id[LESSON_ID_MAX];

	ck_assert_msg(l != NULL, "%s", err);
	ck_assert_uint_eq(l->npages, 2);
	/* The blocks are not in the pages' text. */
	ck_assert_str_eq(l->pages[0].text, "text");
	ck_assert_str_eq(l->pages[1].text, "more");
	ck_assert_int_eq(l->pages[0].show.event, LESSON_SHOW_NONE);
	ck_assert_int_eq(l->pages[1].show.event, LESSON_SHOW_AFTER_LOAD);
	ck_assert_int_eq(l->pages[1].show.thread, 1);
	ck_assert_int_eq(l->pages[1].show.line, 21);

	ck_assert_uint_eq(l->npredicts, 1);
	ck_assert_uint_eq(l->predicts[0].page, 0);
	ck_assert_int_eq(l->predicts[0].line, 8);
	ck_assert_str_eq(l->predicts[0].ask, "What will counter be?");
	ck_assert_str_eq(l->predicts[0].key, "counter");
	ck_assert_uint_eq(l->predicts[0].nchoices, 3);
	ck_assert_str_eq(l->predicts[0].choices[2], "2");

	ck_assert_uint_eq(l->nquizzes, 1);
	ck_assert_uint_eq(l->quizzes[0].nchoices, 2);
	ck_assert_uint_eq(l->quizzes[0].right, 1);
	ck_assert_str_eq(l->quizzes[0].ask, "Why was an update lost?");
	ck_assert_str_eq(
	    l->quizzes[0].choices[0].text, "The CPU skipped an add");
	ck_assert_str_eq(l->quizzes[0].choices[0].why, "No: both adds ran.");
	ck_assert_int_eq(l->quizzes[0].choices[0].right, 0);
	ck_assert_int_eq(l->quizzes[0].choices[1].right, 1);

	ck_assert_uint_eq(l->nchallenges, 1);
	c = &l->challenges[0];
	ck_assert_uint_eq(c->page, 1);
	ck_assert_str_eq(c->title, "Lose one");
	ck_assert_str_eq(c->id, "lose-one");
	lesson_predict_id(0, id, sizeof id);
	ck_assert_str_eq(id, "predict-1");
	lesson_quiz_id(1, id, sizeof id);
	ck_assert_str_eq(id, "quiz-2");
	ck_assert_str_eq(c->win, "Well done.");
	ck_assert_str_eq(c->goal_text, "lost >= 1 and counter = 1");
	ck_assert_uint_eq(c->goal.nterms, 2);
	ck_assert_str_eq(c->goal.terms[0].key, "lost");
	ck_assert_int_eq(c->goal.terms[0].op, LESSON_GE);
	ck_assert_int_eq(c->goal.terms[0].numeric, 1);
	ck_assert_int_eq(c->goal.terms[0].number, 1);
	ck_assert_int_eq(c->goal.terms[1].op, LESSON_EQ);
	ck_assert_int_eq(c->policy, LESSON_POLICY_STEP);
	ck_assert_int_eq(c->max_steps, 6);
	ck_assert_str_eq(c->keys, "12u");
	ck_assert_uint_eq(c->params_set, 3); /* threads, iterations */
	ck_assert_int_eq(c->params[0], 2);
	ck_assert_uint_eq(c->nhints, 2);
	ck_assert_str_eq(c->hints[0], "Both must load first.");
	ck_assert_str_eq(c->hints[1], "Then let them store.");
	ck_assert_int_eq(c->hint_line, 33);
	lesson_free(l);
}
END_TEST

/* Words, a module's parameter words, sanitized text. */
START_TEST(test_blocks_good_deadlock)
{
	static const char text[] =
	    PAGE_DL "```challenge\n"
	            "title: Five\n"
	            "goal: deadlock = yes and order != same\n"
	            "params: philosophers=5\n"
	            "win: All \xe2\x9c\x97 &#27; kept\n"
	            "```\n"
	            "```predict\n"
	            "ask: Deadlock?\n"
	            "key: deadlock\n"
	            "choices: yes, no\n"
	            "```\n"
	            "```show\n"
	            "deadlock\n"
	            "```\n";
	char err[512];
	struct lesson *l = lesson_parse("b.md", BYTES(text), err, sizeof err);

	ck_assert_msg(l != NULL, "%s", err);
	ck_assert_uint_eq(l->nchallenges, 1);
	ck_assert_int_eq(l->challenges[0].goal.terms[0].numeric, 0);
	ck_assert_str_eq(l->challenges[0].goal.terms[0].word, "yes");
	ck_assert_int_eq(l->challenges[0].goal.terms[1].op, LESSON_NE);
	ck_assert_int_eq(l->challenges[0].params[0], 5);
	ck_assert_int_eq(l->challenges[0].policy, LESSON_POLICY_ANY);
	ck_assert_str_eq(l->challenges[0].win, "All \xe2\x9c\x97 &#27; kept");
	ck_assert_int_eq(l->pages[0].show.event, LESSON_SHOW_DEADLOCK);
	lesson_free(l);
}
END_TEST

static const struct block_bad_case {
	const char *data;
	size_t len;
	const char *message; /* the whole message */
} block_bad_cases[] = {
    /* ```predict */
    {BYTES(PAGE "```predict\nask: A?\nkey: counter\nanswer: 2\n```\n"),
        "b.md:11: unknown field 'answer' in the ```predict block; its "
        "fields are: ask, key, choices"},
    {BYTES(PAGE "```predict\nkey: counter\n```\n"),
        "b.md:8: the ```predict block has no 'ask:' line; add one such as "
        "'ask: What will counter be?'"},
    {BYTES(PAGE "```predict\nask: A?\n```\n"),
        "b.md:8: the ```predict block has no 'key:' line; add one such as "
        "'key: counter'"},
    {BYTES(PAGE "```predict\nask: A?\nkey: count\n```\n"),
        "b.md:10: module 'race' puts no 'count' in its result; a "
        "prediction can ask for: counter, expected, lost, overwrites, "
        "dropped"},
    {BYTES(PAGE "```predict\nask: A?\nkey: counter\nchoices: one, 2\n```\n"),
        "b.md:11: 'counter' is a number, so the choice 'one' must be a "
        "whole number"},
    {BYTES(PAGE "```predict\nask: A?\nkey: counter\nchoices: 1, 1\n```\n"),
        "b.md:11: the choice '1' is given twice"},
    {BYTES(PAGE "```predict\nask:\nkey: counter\n```\n"),
        "b.md:9: 'ask' is empty"},
    {BYTES(PAGE "```predict\nask: {{threads}}?\nkey: counter\n```\n"),
        "b.md:9: '{{' in 'ask': placeholders work only in a page's text"},
    {BYTES(PAGE "```predict\nask: A?\nask: B?\nkey: counter\n```\n"),
        "b.md:10: duplicate field 'ask'; it is already set on line 9"},
    {BYTES(PAGE "```predict\nask A?\n```\n"),
        "b.md:9: expected 'field: value' in the ```predict block, but "
        "there is no ':' in 'ask A?'"},
    {BYTES(PAGE_DL "```predict\nask: A?\nkey: deadlock\nchoices: yes, "
                   "maybe\n```\n"),
        "b.md:11: 'deadlock' is never 'maybe', so it cannot be a choice"},
    {BYTES(PAGE "```predict\nask: A?\nkey: counter\n- 1\n```\n"),
        "b.md:11: a '- ' item in the ```predict block, which has only "
        "'field: value' lines"},
    /* ```quiz */
    {BYTES(PAGE "```quiz\nask: Q?\n- [ ] a :: no\n- [ ] b :: no\n```\n"),
        "b.md:8: the quiz has no right answer; mark the right choice "
        "'- [x]'"},
    {BYTES(PAGE "```quiz\nask: Q?\n- [x] a :: yes\n- [X] b :: yes\n```\n"),
        "b.md:11: a second right choice; the one on line 10 is already "
        "marked '[x]', and a quiz has one right answer"},
    {BYTES(PAGE "```quiz\nask: Q?\n- [x] a\n- [ ] b :: no\n```\n"),
        "b.md:10: the choice has no explanation; add it after '::', as in "
        "'- [ ] text :: why it is wrong'"},
    {BYTES(PAGE "```quiz\nask: Q?\n- a :: no\n```\n"),
        "b.md:10: a choice starts with '[x]' if it is right or '[ ]' if "
        "not, as in '- [x] text :: why'"},
    {BYTES(PAGE "```quiz\nask: Q?\n- [x] a :: yes\n```\n"),
        "b.md:8: the quiz has 1 choice; it needs at least 2, one per line "
        "as '- [x] text :: why' or '- [ ] text :: why'"},
    {BYTES(PAGE "```quiz\n- [x] a :: yes\n- [ ] b :: no\n```\n"),
        "b.md:8: the ```quiz block has no 'ask:' line; add one such as "
        "'ask: Why was an update lost?'"},
    {BYTES(PAGE "```quiz\nask: Q?\n- [x] a ::\n- [ ] b :: no\n```\n"),
        "b.md:10: the choice's explanation is empty"},
    {BYTES(PAGE "```quiz\nask: Q?\nright: a\n```\n"),
        "b.md:10: unknown field 'right' in the ```quiz block; its fields "
        "are: ask"},
    /* ```challenge */
    {BYTES(PAGE "```challenge\ntitle: T\ngoal: dead = yes\n```\n"),
        "b.md:10: module 'race' puts no 'dead' in its result; a goal can "
        "compare: counter, expected, lost, overwrites, dropped"},
    {BYTES(PAGE "```challenge\ntitle: T\ngoal: lost >> 1\n```\n"),
        "b.md:10: cannot read the goal at '> 1': expected a number or a "
        "word after '>'"},
    {BYTES(PAGE "```challenge\ntitle: T\ngoal: lost >= 1 or lost = 2\n```\n"),
        "b.md:10: cannot read the goal at 'or lost = 2': comparisons are "
        "joined by 'and'"},
    {BYTES(PAGE "```challenge\ntitle: T\ngoal: lost\n```\n"),
        "b.md:10: cannot read the goal at '': expected one of = != < <= > "
        ">= after 'lost'"},
    {BYTES(PAGE "```challenge\ntitle: T\ngoal: >= 1\n```\n"),
        "b.md:10: cannot read the goal at '>= 1': expected a result key in "
        "lower case, such as 'lost'"},
    {BYTES(PAGE "```challenge\ntitle: T\ngoal: counter = two\n```\n"),
        "b.md:10: 'counter' is a number, so compare it with a whole "
        "number, not 'two'"},
    {BYTES(PAGE "```challenge\ntitle: T\n```\n"),
        "b.md:8: the ```challenge block has no 'goal:' line; add one such "
        "as 'goal: lost >= 1'"},
    {BYTES(PAGE "```challenge\ngoal: lost >= 1\n```\n"),
        "b.md:8: the ```challenge block has no 'title:' line; add one such "
        "as 'title: Lose an update'"},
    {BYTES(PAGE "```challenge\ntitle: T\ngoal: lost >= 1\nmax-steps: "
                "6\n```\n"),
        "b.md:11: 'max-steps' needs 'policy: step': only a stepped run "
        "counts steps"},
    {BYTES(PAGE "```challenge\ntitle: T\ngoal: lost >= 1\nmax-steps: "
                "0\n```\n"),
        "b.md:11: 'max-steps' must be a whole number from 1 to 100000, "
        "not '0'"},
    {BYTES(PAGE "```challenge\ntitle: T\ngoal: lost >= 1\npolicy: "
                "random\n```\n"),
        "b.md:11: 'policy' must be step or free, not 'random'"},
    {BYTES(PAGE "```challenge\ntitle: T\ngoal: lost >= 1\nparams: "
                "thread=2\n```\n"),
        "b.md:11: 'params' takes NAME=VALUE pairs of module 'race', whose "
        "parameters are: threads, iterations, fuzz; not 'thread=2'"},
    {BYTES(PAGE "```challenge\ntitle: T\ngoal: lost >= 1\nparams: "
                "threads=99\n```\n"),
        "b.md:11: 'threads' must be 1 to 16, not '99'"},
    {BYTES(PAGE "```challenge\ntitle: T\ngoal: lost >= 1\nkeys: 1 2 "
                "22\n```\n"),
        "b.md:11: 'keys' lists single keys separated by spaces, such as "
        "'keys: 1 2 u', not '22'"},
    {BYTES(PAGE "```challenge\ntitle: T\ngoal: lost >= 1\nlimit: "
                "3\n```\n"),
        "b.md:11: unknown field 'limit' in the ```challenge block; its "
        "fields are: title, goal, win, policy, max-steps, keys, params"},
    {BYTES(PAGE "```challenge\ntitle: ***\ngoal: lost >= 1\n```\n"),
        "b.md:9: a challenge's title needs a letter or a digit (ASCII): "
        "progress names the challenge by it"},
    {BYTES(PAGE "```challenge\ntitle: Lose one!\ngoal: lost >= 1\n```\n"
                "```challenge\ntitle: lose  ONE\ngoal: lost >= 1\n```\n"),
        "b.md:13: this challenge's title is too like the one at line 8 "
        "(both are 'lose-one' to progress): give it another"},
    {BYTES(PAGE_DL "```challenge\ntitle: T\ngoal: deadlock = maybe\n```\n"),
        "b.md:10: 'deadlock' is one of yes, no, never 'maybe'"},
    {BYTES(PAGE_DL "```challenge\ntitle: T\ngoal: deadlock > 1\n```\n"),
        "b.md:10: 'deadlock' is a word, so it can only be compared with = "
        "or !=, not >"},
    {BYTES(PAGE_DL "```challenge\ntitle: T\ngoal: order = sideways\n```\n"),
        "b.md:10: 'order' is one of opposite, same, never 'sideways'"},
    {BYTES(PAGE_IO "```challenge\ntitle: T\ngoal: done = 10\npolicy: "
                   "step\n```\n"),
        "b.md:11: module 'io-vs-cpu' runs free only, so a challenge cannot "
        "ask for 'policy: step'"},
    /* ```hint */
    {BYTES(PAGE "```hint\n- Look.\n```\n"),
        "b.md:8: a ```hint block with no ```challenge before it; hints "
        "belong to the challenge above them"},
    {BYTES(PAGE "```challenge\ntitle: T\ngoal: lost >= 1\n```\n"
                "```hint\n# nothing\n```\n"),
        "b.md:12: the ```hint block has no hints; write one per line"},
    {BYTES(PAGE "```challenge\ntitle: T\ngoal: lost >= 1\n```\n"
                "```hint\n- a\n```\n```hint\n- b\n```\n"),
        "b.md:15: a second ```hint block for the challenge on line 8; its "
        "hints are on line 12, so put them all there"},
    {BYTES(PAGE "```challenge\ntitle: T\ngoal: lost >= 1\n```\n"
                "```hint\n1\n2\n3\n4\n5\n6\n7\n8\n9\n```\n"),
        "b.md:21: more than 8 hints for one challenge"},
    /* ```show */
    {BYTES(PAGE "```show\nafter-lunch\n```\n"),
        "b.md:9: unknown event 'after-lunch'; a page can be shown at: "
        "after-load A, after-store A, lost-update, deadlock, done"},
    {BYTES(PAGE "```show\nafter-load C\n```\n"),
        "b.md:9: 'after-load' needs the thread's letter, A to B, as in "
        "'after-load A'"},
    {BYTES(PAGE "```show\nafter-store\n```\n"),
        "b.md:9: 'after-store' needs the thread's letter, A to B, as in "
        "'after-store A'"},
    {BYTES(PAGE "```show\ndeadlock\n```\n"),
        "b.md:9: the event 'deadlock' never happens in module 'race'"},
    {BYTES(PAGE "```show\ndone A\n```\n"), "b.md:9: 'done' takes no thread"},
    {BYTES(PAGE "```show\ndone\nlost-update\n```\n"),
        "b.md:10: a ```show block holds one event; it is already set "
        "above"},
    {BYTES(PAGE "```show\ndone\n```\n```show\ndone\n```\n"),
        "b.md:11: a second ```show block on this page; the first is on "
        "line 8"},
    {BYTES(PAGE "```show\n```\n"),
        "b.md:8: the ```show block is empty; write the event, such as "
        "'lost-update' or 'done'"},
    /* ```demo */
    {BYTES(PAGE "```demo\nstop: 1 P\n```\n"),
        "b.md:8: the ```demo block has no steps; add 'schedule: "
        "lost-update' or 'steps: 1,2,1,2'"},
    {BYTES(PAGE "```demo\nsteps: 1,3\n```\n"),
        "b.md:9: 'steps' item 2 is thread 3, but the lesson has 2 "
        "threads"},
    {BYTES(PAGE "```demo\nsteps: 1,x\n```\n"),
        "b.md:9: 'steps': schedule item 2: 'x' is not a thread number"},
    {BYTES(PAGE "```demo\nsteps: 1,2\nschedule: lost-update\n```\n"),
        "b.md:10: the demo's steps are already given on line 9; give "
        "either 'schedule:' or 'steps:', once"},
    {BYTES(PAGE "```demo\nschedule: a b\n```\n"),
        "b.md:9: 'schedule' must be the name of a schedule (letters, "
        "digits, '-' and '_'), not 'a b'"},
    {BYTES(PAGE "```demo\nsteps: 1,2\nstop: two P\n```\n"),
        "b.md:10: expected 'stop: STEP PAGE' (a step count and a page's "
        "number or title), as in 'stop: 2 The lost update', not 'two P'"},
    {BYTES(PAGE "```demo\nsteps: 1,2\nstop: 2\n```\n"),
        "b.md:10: expected 'stop: STEP PAGE' (a step count and a page's "
        "number or title), as in 'stop: 2 The lost update', not '2'"},
    {BYTES(PAGE "```demo\nsteps: 1,2\nstop: 2 P\nstop: 1 P\n```\n"),
        "b.md:11: the stop at step 1 comes after the one at step 2; list "
        "the stops in step order, one per step"},
    {BYTES(PAGE "```demo\nsteps: 1,2\nstop: 3 P\n```\n"),
        "b.md:10: the stop at step 3 is past the demo's end: it has 2 "
        "steps"},
    {BYTES(PAGE "```demo\nsteps: 1,2\nstop: 1 Q\n```\n"),
        "b.md:10: no page is called 'Q'; write a page's title as its "
        "heading has it, or its number"},
    {BYTES(PAGE "```demo\nsteps: 1,2\nstop: 1 2\n```\n"),
        "b.md:10: page 2: the lesson has pages 1 to 1"},
    {BYTES(PAGE "```demo\nsteps: 1\nspeed: 3\n```\n"),
        "b.md:10: unknown field 'speed' in the ```demo block; its fields "
        "are: schedule, steps, stop"},
    {BYTES(PAGE "```demo\nsteps: 1\n```\n```demo\nsteps: 1\n```\n"),
        "b.md:11: a second ```demo block; a lesson has one demo, on line "
        "8"},
    /* Before the ```lesson block, which is after the first page. */
    {BYTES("# T\n## P\ntext\n```show\ndone\n```\n```lesson\nmodule: "
           "race\nsummary: s\n```\n"),
        "b.md:4: the ```show block needs the lesson's module, but no "
        "```lesson block comes before the first page (line 2)"},
    /* Before the first page, as any code block. */
    {BYTES(HEAD "```quiz\nask: Q?\n```\n## P\ntext\n"),
        "b.md:6: a code block before the first page; only the title and "
        "the ```lesson block may come before it (start a page with '## "
        "Heading')"},
};

/* A demo's steps and its stops, by page title and by number. */
START_TEST(test_blocks_demo)
{
	static const char text[] = PAGE "## Second\nmore\n```demo\n"
	                                "steps: 1, 2, 2\n"
	                                "stop: 0 P\n"
	                                "stop: 3 2\n```\n";
	char err[512];
	struct lesson *l =
	    lesson_parse("b.md", text, sizeof text - 1, err, sizeof err);

	ck_assert_msg(l != NULL, "%s", err);
	ck_assert_int_eq(l->demo.line, 10);
	ck_assert_ptr_null(l->demo.schedule);
	ck_assert_uint_eq(l->demo.nsteps, 3);
	ck_assert_int_eq(l->demo.steps[0], 0);
	ck_assert_int_eq(l->demo.steps[2], 1);
	ck_assert_uint_eq(l->demo.nstops, 2);
	ck_assert_int_eq(l->demo.stops[0].step, 0);
	ck_assert_uint_eq(l->demo.stops[0].page, 0);
	ck_assert_int_eq(l->demo.stops[1].step, 3);
	ck_assert_uint_eq(l->demo.stops[1].page, 1);
	lesson_free(l);
}
END_TEST

START_TEST(test_blocks_bad)
{
	const struct block_bad_case *c = &block_bad_cases[_i];
	char err[512];
	struct lesson *l =
	    lesson_parse("b.md", c->data, c->len, err, sizeof err);

	ck_assert_msg(l == NULL, "case %d parsed", _i);
	ck_assert_str_eq(err, c->message);
}
END_TEST

/* Every built-in lesson asks a prediction and a quiz, and sets a
 * challenge with hints. */
START_TEST(test_blocks_in_lessons)
{
	static const char *const ids[] = {
	    "race", "lock-fix", "deadlock", "io-vs-cpu"};
	struct lesson *l = test_lesson(ids[_i]);
	size_t i;

	ck_assert_uint_ge(l->npredicts, 1);
	ck_assert_uint_ge(l->nquizzes, 1);
	ck_assert_uint_ge(l->nchallenges, 1);
	for (i = 0; i < l->nchallenges; i++) {
		ck_assert_ptr_nonnull(l->challenges[i].win);
		ck_assert_uint_ge(l->challenges[i].nhints, 1);
	}
	lesson_free(l);
}
END_TEST

/* The examples of the blocks in doc/lesson-format.md, on one page of
 * a race lesson, load: one block of each kind. */
START_TEST(test_blocks_doc_examples)
{
	static const char open[] = "````markdown\n", close[] = "\n````\n";
	char path[4096], err[512], *doc, *at, *end, *text;
	size_t len = strlen(PAGE);
	struct lesson *l;

	snprintf(path, sizeof path, "%s/doc/lesson-format.md", test_srcdir());
	doc = test_slurp(path);
	ck_assert_ptr_nonnull(doc);
	at = strstr(doc, "## Interactive blocks");
	ck_assert_ptr_nonnull(at);
	text = xmalloc(strlen(doc) + len + 1);
	memcpy(text, PAGE, len);
	while ((at = strstr(at, open)) != NULL) {
		at += strlen(open);
		end = strstr(at, close);
		ck_assert_ptr_nonnull(end);
		memcpy(text + len, at, (size_t)(end - at) + 1);
		len += (size_t)(end - at) + 1;
		at = end;
	}
	l = lesson_parse("doc.md", text, len, err, sizeof err);
	ck_assert_msg(l != NULL, "%s", err);
	ck_assert_uint_eq(l->npredicts, 1);
	ck_assert_uint_eq(l->nquizzes, 1);
	ck_assert_uint_eq(l->nchallenges, 1);
	ck_assert_uint_eq(l->challenges[0].nhints, 2);
	ck_assert_uint_eq(l->demo.nstops, 2);
	ck_assert_int_eq(l->pages[0].show.event, LESSON_SHOW_LOST_UPDATE);
	lesson_free(l);
	free(text);
	free(doc);
}
END_TEST

/* The goal of the one challenge in text (a page of HEAD or PAGE_DL). */
static struct lesson *
blocks_goal(const char *text, size_t len, const struct lesson_goal **g)
{
	char err[512];
	struct lesson *l = lesson_parse("b.md", text, len, err, sizeof err);

	ck_assert_msg(l != NULL, "%s", err);
	ck_assert_uint_eq(l->nchallenges, 1);
	*g = &l->challenges[0].goal;
	return l;
}

/* Goals met or not on structured results. */
START_TEST(test_blocks_goal_met)
{
	const struct lesson_goal *g;
	struct lesson *l = blocks_goal(BYTES(PAGE "```challenge\ntitle: T\n"
	                                          "goal: lost >= 1 and counter "
	                                          "!= 2\n```\n"),
	    &g);
	struct result res;

	result_clear(&res);
	ck_assert_int_eq(lesson_goal_met(g, &res), 0);
	result_int(&res, "counter", 1);
	result_int(&res, "lost", 1);
	ck_assert_int_eq(lesson_goal_met(g, &res), 1);
	result_int(&res, "counter", 2);
	ck_assert_int_eq(lesson_goal_met(g, &res), 0);
	result_int(&res, "counter", 1);
	result_word(&res, "lost", "1"); /* a word is not a number */
	ck_assert_int_eq(lesson_goal_met(g, &res), 0);
	lesson_free(l);

	l = blocks_goal(
	    BYTES(
	        PAGE_DL "```challenge\ntitle: T\ngoal: deadlock = yes\n```\n"),
	    &g);
	result_clear(&res);
	result_word(&res, "deadlock", "no");
	ck_assert_int_eq(lesson_goal_met(g, &res), 0);
	result_word(&res, "deadlock", "yes");
	ck_assert_int_eq(lesson_goal_met(g, &res), 1);
	lesson_free(l);
}
END_TEST

/* The static list of result keys is honest: a small real run of each
 * module puts exactly these keys in its result (io-vs-cpu's pages and
 * failed only with io=socket). */
static const struct keys_case {
	const char *module;
	const char *params;
	const char *schedule; /* NULL: a free run */
	const char *optional; /* listed keys this run need not have */
} keys_cases[] = {
    {"race", NULL, "1,2,1,2,1,2", ""},
    {"lock-fix", "io_ms=0", NULL, ""},
    {"deadlock", "timeout=100 hold=0", NULL, ""},
    {"io-vs-cpu", "tasks=2 ms=1", NULL, " pages failed "},
};

START_TEST(test_blocks_result_keys)
{
	const struct keys_case *c = &keys_cases[_i];
	const struct lesson_module *m = th_module(c->module);
	const char *keys[64];
	struct result res;
	struct run *r;
	char word[64];
	size_t n, i, j;

	n = lesson_result_keys(m, keys, IL_ARRAY_LEN(keys));
	ck_assert_uint_gt(n, 0);
	r = th_run(c->module, c->params, c->schedule);
	th_wait_done(r);
	run_result(r, &res);
	for (i = 0; i < res.n; i++) {
		for (j = 0; j < n; j++)
			if (strcmp(keys[j], res.f[i].key) == 0)
				break;
		ck_assert_msg(j < n, "%s puts '%s' in its result, unlisted",
		    c->module, res.f[i].key);
	}
	for (j = 0; j < n; j++) {
		snprintf(word, sizeof word, " %s ", keys[j]);
		ck_assert_msg(result_find(&res, keys[j]) != NULL ||
		        strstr(c->optional, word) != NULL,
		    "%s lists '%s', which the run does not have", c->module,
		    keys[j]);
	}
	run_free(r);
}
END_TEST

TCase *
make_lesson_blocks_tcase(void)
{
	TCase *tc = tcase_create("blocks");

	tcase_add_test(tc, test_blocks_good);
	tcase_add_test(tc, test_blocks_good_deadlock);
	tcase_add_test(tc, test_blocks_demo);
	tcase_add_loop_test(
	    tc, test_blocks_bad, 0, (int)IL_ARRAY_LEN(block_bad_cases));
	tcase_add_loop_test(tc, test_blocks_in_lessons, 0, 4);
	tcase_add_test(tc, test_blocks_doc_examples);
	tcase_add_test(tc, test_blocks_goal_met);
	tcase_add_loop_test(
	    tc, test_blocks_result_keys, 0, (int)IL_ARRAY_LEN(keys_cases));
	tcase_set_timeout(tc, 30);
	return tc;
}
