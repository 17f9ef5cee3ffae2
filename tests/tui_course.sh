#!/bin/sh
# The course menu end to end: chapters in order, marks from a progress
# file in its documented format (src/lesson/progress.h), a corrupt file
# set aside with a notice, pages seen kept across a restart, and the
# user's own lessons in a chapter of their own. Every wait polls the
# pane until a deadline; nothing waits a fixed time.
. "${top_srcdir:-.}/tests/lib.sh"
il="$INTERLEAVE"
. "${top_srcdir:-.}/tests/tui_lib.sh"

STATE="$TMPD/state/interleave"
PROG="$STATE/progress"
mkdir -p "$STATE"

# wait_gone NAME PATTERN: poll the pane until PATTERN is no longer on it.
wait_gone() {
  end=$(($(date +%s) + DEADLINE))
  while [ "$(date +%s)" -le "$end" ]; do
    if ! cap | grep -Eq -- "$2"; then pass "$1"; return 0; fi
    sleep 0.05
  done
  fail "$1" "/$2/ still on screen after ${DEADLINE}s" "$(cap | sed 's/^/| /')"
  return 1
}

# row_of PATTERN: the first pane row matching PATTERN (0 if none).
row_of() { cap | grep -En -- "$1" | head -n 1 | cut -d: -f1 | grep . || echo 0; }

# in_order NAME PATTERN...: each pattern is on a row below the one before.
in_order() {
  name=$1; shift; prev=0; what=""
  for p in "$@"; do
    r=$(row_of "$p"); what="$what /$p/=$r"
    if [ "$r" -le "$prev" ]; then
      fail "$name" "out of order:$what" "$(cap | sed 's/^/| /')"; return 1
    fi
    prev=$r
  done
  pass "$name"
}

# coloured COLOUR TEXT: TEXT is on screen in 256-colour COLOUR (other
# attribute changes may come between).
E=$(printf '\033')
coloured() { capc | grep -Eq -- "38;5;$1m($E\[[0-9;]*m)*$2"; }

# quit: q in the menu exits 0.
quit() {
  T send-keys -t il q
  wait_file "$1" "$TMPD/rc" '^rc=0$'
}

# ---- chapters in order; a won challenge and a started lesson ----
printf 'interleave-progress 1\nwin race lose-an-update 6 0 1767225600\npage race 7\n' >"$PROG"
start_shell
run_in_pane ""
wait_for "the menu shows the first chapter" 'Races and locks'
in_order "the chapters come in course order" '^ +Races and locks' \
  '1 +race ' '2 +lock-fix ' '^ +Deadlock *$' '3 +deadlock ' \
  '^ +Scheduling and I/O' '4 +io-vs-cpu '
wait_for "the won challenge has a full star and its best steps" \
  '★ Lose an update +best: 6 steps'
wait_for "the challenge not won has an empty star" '☆ Three each, two counted'
wait_for "race, with one challenge open, is started" '1 +race .* started *$'
if coloured 220 '★' && ! coloured 220 '☆'; then
  pass "the won star is in its colour, the empty one not"
else fail "the won star is in its colour, the empty one not" "$(capc | grep 'Lose an update' | od -c | head -n 5)"; fi
if cap | grep -E '2 +lock-fix ' | grep -Eq 'started|done'; then
  fail "lock-fix, never opened, has no mark" "$(cap | grep lock-fix)"
else pass "lock-fix, never opened, has no mark"; fi
quit "q leaves the menu"

# ---- every challenge won and the last page seen: done ----
printf 'win race three-each-two-counted 9 0 1767225700\n' >>"$PROG"
run_in_pane ""
wait_for "race, all won and read, is done" '1 +race .* ✓ done *$'
if coloured 36 '✓ done'; then pass "the done mark is in its colour"
else fail "the done mark is in its colour" "$(capc | grep ' race ' | od -c | tail -n 8)"; fi
quit "q leaves the menu again"

# ---- ASCII marks ----
start_shell C
run_in_pane "--ascii"
wait_for "ASCII: the won challenge is [x]" '\[x\] Lose an update +best: 6 steps'
wait_for "ASCII: race is [done]" '1 +race .* \[done\] *$'
quit "q leaves the ASCII menu"

# ---- a corrupt progress file: a notice, the program goes on ----
start_shell
printf 'not a progress file\n\001\002\n' >"$PROG"
run_in_pane ""
wait_for "a corrupt progress file is noticed in the menu" \
  '! the progress file .*could not be used'
wait_for "the menu is still there under the notice" '1 +race '
if ls "$PROG".corrupt-* >/dev/null 2>&1; then pass "the corrupt file is set aside"
else fail "the corrupt file is set aside" "$(ls -a "$STATE")"; fi
if cap | grep -E '1 +race ' | grep -Eq 'started|done'; then
  fail "progress starts afresh" "$(cap | grep ' race ')"
else pass "progress starts afresh"; fi
T send-keys -t il j
wait_gone "a key closes the notice" 'could not be used'

# ---- pages seen are kept ----
T send-keys -t il 1
wait_for "1 opens race" "STEP  step 0  seed $SEED"
T send-keys -t il n
wait_for "n turns to page 2" 'page 2/'
T send-keys -t il n
wait_for "n turns to page 3" 'page 3/'
wait_file "the furthest page is saved as it grows" "$PROG" '^page race 2$'
T send-keys -t il m
wait_for "m goes back to the menu, where race is started" '1 +race .* started *$'
quit "q leaves after reading"
run_in_pane ""
wait_for "after a restart race is still started" '1 +race .* started *$'
quit "q leaves the restarted menu"

# ---- at 80x24 the list scrolls and the keys stay ----
T resize-window -t il -x 80 -y 24
run_in_pane ""
wait_for "80x24: the menu is drawn" 'Races and locks'
T send-keys -t il j j j
wait_for "80x24: the last lesson comes into view when selected" '4 +io-vs-cpu '
wait_for "80x24: the key bar stays on the last row" 'Enter: open +1-9'
[ "$(cap | tail -n 1 | grep -c 'Enter: open')" -eq 1 ] &&
  pass "80x24: the key bar is the last row" ||
  fail "80x24: the key bar is the last row" "$(cap | sed 's/^/| /')"
T send-keys -t il Enter
wait_for "Enter opens the selected lesson, io-vs-cpu" 'I/O-bound vs CPU-bound'
T send-keys -t il m
wait_for "back in the menu" 'Enter: open +1-9'
quit "q leaves the small menu"

# ---- the user's own lessons: a chapter of their own, last ----
T resize-window -t il -x 100 -y 40
DATA="$TMPD/data"
mkdir -p "$DATA/interleave/lessons"
cat >"$DATA/interleave/lessons/mine.md" <<'MD'
# A teacher's own lesson

```lesson
module: race
summary: Written by the teacher, not built in.
chapter: Races and locks
```

## The only page

Two threads, one counter.
MD
T send-keys -t il "export XDG_DATA_HOME='$DATA'" Enter
run_in_pane ""
wait_for "the user's lesson is listed" 'mine +A teacher.s own lesson'
in_order "the user's lesson is last, under Your lessons" \
  '^ +Races and locks' '2 +lock-fix ' '4 +io-vs-cpu ' '^ +Your lessons' \
  '5 +mine '
quit "q leaves the menu with the user's lesson"

finish
