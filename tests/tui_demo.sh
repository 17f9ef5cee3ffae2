#!/bin/sh
# Demo mode and session record/replay on the screen: the real binary in a
# private tmux server. Every wait polls the pane until a deadline.
. "${top_srcdir:-.}/tests/lib.sh"
il="$INTERLEAVE"

# ---- the refusals, which need no terminal ----
cat >"$TMPD/nodemo.md" <<'MD'
# No demo

```lesson
module: race
summary: s
```

## P

text
MD
run "$il" "$TMPD/nodemo.md" --demo
expect_rc "--demo on a lesson without a demo: exit 2" 2
expect_err "--demo on a lesson without a demo says so" 'has no ```demo block'
[ "$(printf '%s\n' "$ERR" | wc -l)" -eq 1 ] && pass "that error is one line" ||
  fail "that error is one line" "$ERR"
printf 'hello\n' >"$TMPD/bad.rec"
run "$il" --replay "$TMPD/bad.rec"
expect_rc "--replay of a file that is no recording: exit 65" 65
expect_err "--replay names the file and line" "bad.rec:1: not a recording"
printf 'interleave-recording 1\nlesson no-such-lesson\nstart seed=1\nend 1\n' >"$TMPD/unknown.rec"
run "$il" --replay "$TMPD/unknown.rec"
expect_rc "--replay of an unknown lesson: exit 65" 65
expect_err "--replay names the unknown lesson" "unknown.rec:2: a recording of an unknown lesson 'no-such-lesson'"
printf 'interleave-recording 1\nlesson race\nstart seed=1\nstep 9\nend 2\n' >"$TMPD/step.rec"
run "$il" --replay "$TMPD/step.rec"
expect_rc "--replay with a bad step: exit 65" 65
expect_err "--replay names the bad step" "step.rec:4: bad step: thread 9"
printf 'interleave-recording 1\nlesson race\nstart seed=1\nstep 1\n' >"$TMPD/cut.rec"
run "$il" --replay "$TMPD/cut.rec"
expect_rc "--replay of a cut file: exit 65" 65
expect_err "--replay says it is cut short" "cut.rec:5: the recording is cut short"
# --check-lesson reports a bad demo as FILE:LINE
{ cat "$TMPD/nodemo.md"; printf '\n```demo\nschedule: no-such-schedule\n```\n'; } >"$TMPD/badsched.md"
run "$il" --check-lesson "$TMPD/badsched.md"
expect_rc "--check-lesson: a demo's missing schedule exits 65" 65
expect_err "--check-lesson names the demo's schedule line" 'badsched.md:13: .*no-such-schedule'
{ cat "$TMPD/nodemo.md"; printf '\n```demo\nsteps: 1,2\nstop: 1 Nowhere\n```\n'; } >"$TMPD/badstop.md"
run "$il" --check-lesson "$TMPD/badstop.md"
expect_rc "--check-lesson: a stop on a missing page exits 65" 65
expect_err "--check-lesson names the stop's line" "badstop.md:14: no page is called 'Nowhere'"
run "$il" "$TMPD/badsched.md" --demo
expect_rc "--demo whose schedule is missing: exit 65" 65
run "$il" race --demo --headless
expect_rc "--demo with --headless: exit 2" 2
run "$il" race --speed 5
expect_rc "--speed without --demo or --replay: exit 2" 2
run "$il" race --replay "$TMPD/cut.rec"
expect_rc "--replay with a LESSON: exit 2" 2

. "${top_srcdir:-.}/tests/tui_lib.sh"

# ---- the race demo plays to its end, pausing at each stop ----
start_shell
run_in_pane "race --demo --speed 50"
wait_for "the demo pauses at its first stop, step 0" 'demo paused at step 0 \(space goes on'
wait_for "the demo pauses at its first stop, step 0: its page is on screen" '─ One line, three steps \(page'
T send-keys -t il Space
wait_for "space plays on to the stop at step 2" 'demo paused at step 2 \(space goes on'
wait_for "space plays on to the stop at step 2: its page is on screen" '─ Step it yourself \(page'
wait_for "the stop turns to its page" 'Step it yourself \(page 2/'
T send-keys -t il Right
wait_for "-> takes one step" 'PAUSED  step 3 '
T send-keys -t il Left
wait_for "<- takes it back" 'demo, back to step 2'
T send-keys -t il Space
wait_for "the demo pauses at step 4" 'demo paused at step 4 \(space goes on'
wait_for "the demo pauses at step 4: its page is on screen" '─ The lost update \(page'
cap >"$TMPD/run1"
T send-keys -t il Space
wait_for "the demo pauses at its last stop" 'demo paused at step 6 \(space goes on'
wait_for "the demo pauses at its last stop: its page is on screen" '─ Two counts: lost and overwrote \(page'
wait_for "the demo plays the lost update" 'lost      1'
T send-keys -t il Space
wait_for "at the end it says demo finished" 'demo finished at step 6'
T send-keys -t il r
wait_for "then the lesson is the student's: r starts again" 'reset: seed'
T send-keys -t il 1
wait_for "and a key steps a thread" 'STEP  step 1 '
T send-keys -t il q
wait_file "the demo quits with 0" "$TMPD/rc" 'rc=0'

# ---- the same step gives the same screen ----
run_in_pane "race --demo --speed 50"
wait_for "a second run pauses at step 0" 'demo paused at step 0'
T send-keys -t il Space
wait_for "a second run pauses at step 2" 'demo paused at step 2'
# the same keys as the first run: the log panel shows the step undone
T send-keys -t il Right
wait_for "a second run steps to 3" 'PAUSED  step 3 '
T send-keys -t il Left
wait_for "a second run steps back to 2" 'demo, back to step 2'
T send-keys -t il Space
wait_for "a second run pauses at step 4" 'demo paused at step 4'
cap >"$TMPD/run2"
if cmp -s "$TMPD/run1" "$TMPD/run2"; then pass "the screen at step 4 is the same in two runs"
else fail "the screen at step 4 is the same in two runs" "$(diff "$TMPD/run1" "$TMPD/run2")"; fi
T send-keys -t il q
wait_file "the second run quits with 0" "$TMPD/rc" 'rc=0'

# ---- record a session, replay it, reach the same state ----
shared() { sed -n '/threads/,/code/p' "$1" | awk -F'│' '{print $2}'; }
run_in_pane "race --record $TMPD/s.rec"
wait_for "race opens to be recorded" 'STEP  step 0 '
T send-keys -t il 1
wait_for "recorded step 1" 'STEP  step 1 '
T send-keys -t il 2
wait_for "recorded step 2" 'STEP  step 2 '
T send-keys -t il u
wait_for "recorded an undo" 'STEP  step 1 '
T send-keys -t il C-r
wait_for "recorded a redo" 'STEP  step 2 '
T send-keys -t il s
wait_for "recorded a new seed" 'new seed'
for k in 2 2 1; do T send-keys -t il "$k"; done
wait_for "recorded three steps after it" 'STEP  step 3 '
T send-keys -t il Space
wait_for "an auto-run takes the rest" 'DONE  step 6 '
cap >"$TMPD/recorded"
T send-keys -t il q
wait_file "the recorded session quits with 0" "$TMPD/rc" 'rc=0'
if [ -f "$TMPD/s.rec" ] && head -n 1 "$TMPD/s.rec" | grep -q '^interleave-recording 1$'; then
  pass "--record wrote a recording"
else fail "--record wrote a recording" "$(cat "$TMPD/s.rec" 2>&1)"; fi
run_in_pane "--replay $TMPD/s.rec --speed 100"
wait_for "the replay plays to the end" 'replay finished at step 6'
cap >"$TMPD/replayed"
if [ "$(shared "$TMPD/recorded")" = "$(shared "$TMPD/replayed")" ] &&
  [ -n "$(shared "$TMPD/recorded")" ]; then
  pass "the replay ends with the recorded shared panel"
else fail "the replay ends with the recorded shared panel" "$(shared "$TMPD/recorded"; shared "$TMPD/replayed")"; fi
t1=$(grep -o 'step [0-9]*  seed [0-9]*' "$TMPD/recorded" | head -n 1)
t2=$(grep -o 'step [0-9]*  seed [0-9]*' "$TMPD/replayed" | head -n 1)
[ -n "$t1" ] && [ "$t1" = "$t2" ] && pass "the replay ends at the recorded step and seed" ||
  fail "the replay ends at the recorded step and seed" "$t1 / $t2"
T send-keys -t il q
wait_file "the replay quits with 0" "$TMPD/rc" 'rc=0'

# ---- a --record file that cannot be written ----
run_in_pane "race --record $TMPD/no-such-dir/s.rec"
wait_for "race opens to be recorded into a missing folder" 'STEP  step 0 '
T send-keys -t il 1
wait_for "a step to record" 'STEP  step 1 '
T send-keys -t il q
wait_file "an unwritable --record file exits 73" "$TMPD/rc" 'rc=73'
wait_for "and says why" 'cannot write the recording .*no-such-dir'

finish
