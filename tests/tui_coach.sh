#!/bin/sh
# The coach on the screen, end to end: a prediction answered and
# compared with the run, a challenge taken on and won (its banner in the
# winning colour), a refused key, a hint, giving up with a witness, and
# a page that turns by itself when its event fires, a free challenge won
# on its measured run, and the marks in the menu after a restart.
. "${top_srcdir:-.}/tests/lib.sh"
il="$INTERLEAVE"
. "${top_srcdir:-.}/tests/tui_lib.sh"

start_shell
run_in_pane "race"
wait_for "race opens at step 0" "STEP  step 0  seed $SEED"
T send-keys -t il n
wait_for "the page with a prediction invites to it" 'Predict \(Enter to answer\): Both threads load 0'
T send-keys -t il Enter
wait_for "Enter opens the prediction's card" '┌─ Predict ─'
wait_for "the card lists the choices" ' 1\) 0   2\) 1   3\) 2 '
T send-keys -t il Right Enter
wait_for "the answer is taken" 'you predict counter = 1'
n=0
for k in 1 2 1 2 1 2; do
  n=$((n + 1))
  T send-keys -t il "$k"
  wait_for "key $k takes step $n" "step $n  seed"
done
wait_for "the run's end compares the prediction" 'you predicted counter = 1; it is 1 ✓'
wait_for "the lost update turns the narration by itself" 'step 6: .*\(the run turned the page to 4\)'
wait_for "page 4 is on screen" 'Two counts: lost and overwrote \(page 4/8\)'

# ---- a challenge: refused keys, the win and its banner ----
T send-keys -t il p
wait_for "page 3 invites to its challenge" 'Challenge: Lose an update — c to take it on'
T send-keys -t il c
wait_for "c takes it on: its goal and steps" 'Lose an update: lost >= 1  steps 0/6  hints 0/3'
wait_for "the challenge starts a fresh run" "STEP  step 0  seed $SEED"
T send-keys -t il s
wait_for "a key the challenge does not allow is refused" 'this challenge allows only 1 2 u'
n=0
for k in 1 2 1 2 1 2; do
  n=$((n + 1))
  T send-keys -t il "$k"
  wait_for "challenge: key $k takes step $n" "step $n  seed"
done
wait_for "the win banner" '★ Challenge won: Lose an update in 6 steps, 0 hints'
wait_for "the banner shows the win's text" "B's store wrote over A's"
end=$(($(date +%s) + DEADLINE)); ok=
while [ "$(date +%s)" -le "$end" ]; do
  if capc | grep -Pq '\x1b\[[0-9;]*38;5;36[0-9;]*m(\x1b\[[0-9;]*m)*[^\x1b]*Challenge won'; then ok=1; break; fi
  sleep 0.05
done
[ -n "$ok" ] && pass "the banner is in the winning colour" ||
  fail "the banner is in the winning colour" "$(capc | grep 'Challenge won' | cat -v)"
T send-keys -t il Enter
wait_for "Enter closes the banner" 'challenge won: Lose an update'
wait_file "the win is in the progress file" "$TMPD/state/interleave/progress" 'lose-an-update'

# ---- a hint, then giving up: the witness ----
T send-keys -t il n
wait_for "page 4 invites to its challenge" 'Challenge: Three each, two counted'
T send-keys -t il c
wait_for "c takes on the page's challenge" 'Three each, two counted: counter = 2'
T send-keys -t il h
wait_for "h shows the first hint" 'hint 1/3: Every update made between'
wait_for "the hint is counted" 'hints 1/3'
T send-keys -t il v
wait_for "v gives up with a witness" 'a witness: [1-9](,[1-9])+'
wait_for "the witness ran to the end" 'DONE  step'
wait_for "the witness meets the goal" 'counter   2'
T send-keys -t il u
wait_for "u steps back through the witness" 'undid step'
T send-keys -t il q
wait_file "q exits 0" "$TMPD/rc" '^rc=0$'

# ---- a free challenge: the OS schedules it, the real times decide ----
run_in_pane "io-vs-cpu"
wait_for "io-vs-cpu opens" 'io-vs-cpu: I/O-bound'
T send-keys -t il n n n n
wait_for "page 5 invites to its free challenge" 'Challenge: Ten waits in about one'
T send-keys -t il c
wait_for "the free challenge is won on its measured run" '★ Challenge won: Ten waits in about one, a free run, 0 hints'
wait_for "the measured run is in the table" 'threads +10 +[0-9]+\.[0-9]'
T send-keys -t il Enter
end=$(($(date +%s) + DEADLINE)); ok=
while [ "$(date +%s)" -le "$end" ]; do
  cap | grep -q '★ Challenge won' || { ok=1; break; }
  sleep 0.05
done
[ -n "$ok" ] && pass "Enter closes the free run's banner" ||
  fail "Enter closes the free run's banner" "$(cap | sed 's/^/| /')"
T send-keys -t il q
wait_file "io-vs-cpu: q exits 0" "$TMPD/rc" '^rc=0$'

# ---- after a restart the menu shows what was done ----
run_in_pane ""
wait_for "after a restart the menu marks race as started" ' 1 +race .*started'
wait_for "the won challenge carries its mark and steps" '★ Lose an update .*6 steps'
wait_for "the one given up is not marked won" '☆ Three each, two counted'
wait_for "the free win is marked won, without steps" '★ Ten waits in about one +won'
T send-keys -t il q
wait_file "the menu's q exits 0" "$TMPD/rc" '^rc=0$'

finish
