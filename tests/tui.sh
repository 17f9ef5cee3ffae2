#!/bin/sh
# The screen front end end to end: the real binary in a private tmux
# server at a fixed size. Every wait polls the pane until a deadline;
# nothing waits a fixed time.
. "${top_srcdir:-.}/tests/lib.sh"
il="$INTERLEAVE"

# Without a terminal the screen refuses with one clear line (no tmux needed).
out=$(TERM=dumb "$il" race 2>&1 </dev/null); rc=$?
if [ "$rc" -eq 2 ] && printf '%s' "$out" | grep -q -- '--headless'; then
  pass "TERM=dumb: exit 2 and a hint to use --headless"
else fail "TERM=dumb: exit 2 and a hint to use --headless" "rc=$rc: $out"; fi
out=$("$il" race 2>&1 </dev/null); rc=$?
if [ "$rc" -eq 2 ] && printf '%s' "$out" | grep -q -- '--headless'; then
  pass "stdin not a terminal: exit 2 and a hint to use --headless"
else fail "stdin not a terminal: exit 2 and a hint to use --headless" "rc=$rc: $out"; fi
[ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ] && pass "the refusal is one line" ||
  fail "the refusal is one line" "$out"

. "${top_srcdir:-.}/tests/tui_lib.sh"

# ---- the lost update, stepped from the menu, and undo ----
start_shell
run_in_pane ""
wait_for "the menu lists race first, as the course does" '1 +race +The race condition'
wait_for "the menu lists lock-fix second" '2 +lock-fix +Fixing the race'
wait_for "the menu lists deadlock third" '3 +deadlock +Deadlock: two locks'
wait_for "the menu lists io-vs-cpu after it" '4 +io-vs-cpu +I/O-bound vs CPU-bound'
T send-keys -t il Enter
wait_for "race opens in STEP mode at step 0" "STEP  step 0  seed $SEED"
n=0
for k in 1 2 1 2 1; do
  n=$((n + 1))
  T send-keys -t il "$k"
  wait_for "key $k takes step $n" "step $n  seed"
done
cap | sed -n '/threads/,/code/p' >"$TMPD/step5"
T send-keys -t il 2
wait_for "step 6 finishes the run" 'DONE  step 6'
wait_for "the shared panel shows counter 1" 'counter   1'
wait_for "the shared panel shows expected 2" 'expected  2'
wait_for "the shared panel shows the update lost" 'lost      1'
wait_for "the overwriting store is marked in the shared panel" 'overwrote 1 ✗'
wait_for "B's lane carries the mark" ' 2 B  .*✗'
wait_for "the status line names the lost update" 'B stored counter=1, overwriting A.s update'
wait_for "the result is shown in words" '1 of 2 increments lost'
T send-keys -t il u
wait_for "u goes back to step 5" "STEP  step 5  seed $SEED"
cap | sed -n '/threads/,/code/p' >"$TMPD/undone"
if cmp -s "$TMPD/step5" "$TMPD/undone"; then pass "after u the timelines and shared panel are step 5's"
else fail "after u the timelines and shared panel are step 5's" "$(diff "$TMPD/step5" "$TMPD/undone")"; fi
T send-keys -t il 2
wait_for "stepping again after undo loses the update again" 'overwrote 1 ✗'

# ---- help, refusals, pages ----
T send-keys -t il '?'
wait_for "? shows every key" 'undo one step'
T send-keys -t il x
wait_for "any key closes the help" '1-2 step'
T send-keys -t il 1
wait_for "a finished run says why it cannot step" 'every thread has finished'
T send-keys -t il r
wait_for "r resets to step 0" "STEP  step 0  seed $SEED"
T send-keys -t il 1 1 1 1
wait_for "a finished thread cannot step, and the status says so" 'A has finished'
# the run's events may have turned the narration (```show): n goes on
# from wherever it is
cur=$(cap | sed -n 's/.*(page \([0-9]*\)\/.*/\1/p' | head -n 1)
T send-keys -t il n
wait_for "n turns the page" "page $((${cur:-1} + 1))/"

# ---- resize below 80x24 and back ----
T resize-window -t il -x 60 -y 20
wait_for "below 80x24 the screen says so" 'terminal too small: need 80x24, have 60x20'
T resize-window -t il -x 100 -y 30
wait_for "growing back restores the lesson at the same step" "STEP  step 3  seed $SEED"

T send-keys -t il q
wait_file "q exits with status 0" "$TMPD/rc" '^rc=0$'
restored "q"

# ---- Ctrl-Z, fg ----
# Straight from the interactive shell, as a user would: a wrapper shell in
# the same job would stop at once and could be resumed before interleave
# had put the screen away.
start_shell
T send-keys -t il "$il race --seed $SEED" Enter
wait_for "Ctrl-Z: the lesson is up" "STEP  step 0  seed $SEED"
T send-keys -t il 1
wait_for "Ctrl-Z: a step is taken" "STEP  step 1  seed $SEED"
T send-keys -t il C-z
wait_for "Ctrl-Z suspends to the shell" 'Stopped'
if [ "$(alt_screen)" = 0 ]; then pass "Ctrl-Z: the alternate screen is left"
else fail "Ctrl-Z: the alternate screen is left"; fi
T send-keys -t il fg Enter
wait_for "fg repaints the lesson at the same step" "STEP  step 1  seed $SEED"
wait_for "fg repaints the legend" 'waiting for a lock'
T send-keys -t il 2
wait_for "keys work after fg" "STEP  step 2  seed $SEED"
T send-keys -t il q
end=$(($(date +%s) + DEADLINE))
while [ -n "$(il_pid)" ] && [ "$(date +%s)" -le "$end" ]; do sleep 0.05; done
[ -z "$(il_pid)" ] && pass "Ctrl-Z: q quits after fg" || fail "Ctrl-Z: q quits after fg"

# ---- Ctrl-C, SIGTERM, SIGHUP ----
for sig in INT TERM HUP; do
  start_shell
  run_in_pane race
  wait_for "SIG$sig: the lesson is up" 'STEP  step 0'
  case $sig in
  INT) T send-keys -t il C-c; want=130 ;;
  TERM) kill -TERM "$(il_pid)"; want=143 ;;
  HUP) kill -HUP "$(il_pid)"; want=129 ;;
  esac
  wait_file "SIG$sig: the program dies of the signal (status $want)" "$TMPD/rc" "^rc=$want\$"
  restored "SIG$sig"
done

# ---- a crash restores the terminal too ----
start_shell
run_in_pane race
wait_for "SIGSEGV: the lesson is up" 'STEP  step 0'
kill -SEGV "$(il_pid)"
wait_file "SIGSEGV: the default action still happens (status 139)" "$TMPD/rc" '^rc=139$'
restored "SIGSEGV"

# ---- the mouse: a click on a lane steps that thread once ----
start_shell
run_in_pane race
wait_for "mouse: the lesson is up" "STEP  step 0  seed $SEED"
row=$(cap | grep -n '^ 2 B' | head -n 1 | cut -d: -f1)
hexof() { printf '%s' "$1" | od -An -tx1; }
# SGR mouse reports (xterm's kmous): press, and 80 ms later the release
T send-keys -t il -H $(hexof "$(printf '\033[<0;12;%dM' "$row")")
sleep 0.08 # the gap between press and release is the input under test
T send-keys -t il -H $(hexof "$(printf '\033[<0;12;%dm' "$row")")
T send-keys -t il n # a key after the click: once it is seen, so is the click
wait_for "mouse: the key after the click is read" 'page 2/'
wait_for "mouse: the click stepped B" "STEP  step 1  seed $SEED"
if cap | grep -q 'step 1: B moved'; then pass "mouse: press and release are one step, by B"
else fail "mouse: press and release are one step, by B" "$(cap | sed 's/^/| /')"; fi
T send-keys -t il q
wait_file "mouse: q exits 0" "$TMPD/rc" '^rc=0$'

# ---- every lane has a key; unknown escape sequences are no keys ----
start_shell
run_in_pane "race --set threads=16 --no-mouse"
wait_for "16 lanes: the lesson is up" "STEP  step 0  seed $SEED"
wait_for "16 lanes: the key bar names every lane's key" '1-9 A-P step'
T send-keys -t il P
wait_for "16 lanes: Shift+P steps thread 16" 'step 1: P moved'
T send-keys -t il J
wait_for "16 lanes: Shift+J steps thread 10" 'step 2: J moved'
T send-keys -t il 1
wait_for "16 lanes: 1 still steps thread A" 'step 3: A moved'
# tmux's Home is ESC [ 1 ~, which xterm's terminfo does not know
T send-keys -t il -H 1b 5b 31 7e
T send-keys -t il n
wait_for "Home: the key after it is read" 'page 2/'
if cap | grep -q "STEP  step 3  seed"; then pass "Home: its 1 did not step thread A"
else fail "Home: its 1 did not step thread A" "$(cap | sed 's/^/| /')"; fi
T send-keys -t il -H 1b 5b 32 30 3b 35 7e # an unknown CSI with parameters
T send-keys -t il p
wait_for "an unknown CSI: the key after it is read" 'page 1/'
if cap | grep -q "STEP  step 3  seed"; then pass "an unknown CSI takes no step"
else fail "an unknown CSI takes no step" "$(cap | sed 's/^/| /')"; fi
for k in 1 2 3 4 5 6 7 8; do T send-keys -t il '['; done
wait_for "the slowest speed is one step, not one steps" 'speed: 1 step a second'
T send-keys -t il q
wait_file "16 lanes: q exits 0" "$TMPD/rc" '^rc=0$'

# ---- colour: every role in its colour, and none under NO_COLOR ----
# has_colour NAME SGR GLYPH: GLYPH is drawn right after the colour SGR
# (other attributes such as bold may come between).
has_colour() {
  end=$(($(date +%s) + DEADLINE))
  while [ "$(date +%s)" -le "$end" ]; do
    if capc | grep -Pq -- "\x1b\[$2m(\x1b\[[0-9;]*m)*$3"; then pass "$1"; return 0; fi
    sleep 0.05
  done
  fail "$1" "no ESC[$2m before '$3'" "$(capc | cat -v | head -n 30 | sed 's/^/| /')"
}
for term in xterm-256color xterm; do
  if [ "$term" = xterm ]; then
    run_c=32 ready_c=33 io_c=36 lock_c=31 lost_c=35 warn_c=33 code_c=36
  else
    run_c='38;5;36' ready_c='38;5;227' io_c='38;5;74' lock_c='38;5;166' lost_c='38;5;175' warn_c='38;5;214' code_c='38;5;74'
  fi
  start_shell C.UTF-8 "$term"
  run_in_pane race
  wait_for "$term: the lesson is up" 'STEP  step 0'
  T send-keys -t il 1 2 1 2 1 2
  wait_for "$term: the update is lost" 'overwrote +1 ✗'
  has_colour "$term: running in its colour" "$run_c" '█'
  has_colour "$term: ready in its colour" "$ready_c" '·'
  has_colour "$term: blocked on I/O in its colour" "$io_c" '≈'
  has_colour "$term: waiting for a lock in its colour" "$lock_c" '▒'
  has_colour "$term: the lost update in its colour" "$lost_c" '✗'
  # the lost update turned the narration to its page: back to the first
  T send-keys -t il p p p p p p p p
  wait_for "$term: p goes back to the first page" 'page 1/'
  has_colour "$term: a code span in its colour, without backticks" "$code_c" 'counter = counter \+ 1'
  if cap | grep -q '`counter'; then fail "$term: no backticks in the narration" "$(cap | head -n 5)"
  else pass "$term: no backticks in the narration"; fi
  T resize-window -t il -x 60 -y 20
  has_colour "$term: a warning in its colour" "$warn_c" 'terminal too small'
  T resize-window -t il -x 100 -y 30
  T send-keys -t il q
  wait_file "$term: q exits 0" "$TMPD/rc" '^rc=0$'
done

# ---- NO_COLOR, LANG=C (ASCII), TERM=vt100 ----
start_shell C.UTF-8 xterm-256color 1
run_in_pane race
wait_for "NO_COLOR: the screen comes up" 'STEP  step 0'
T send-keys -t il 1 2 1 2 1 2
wait_for "NO_COLOR: the update is lost" 'overwrote +1 ✗'
if capc | grep -Pq '\x1b\[([0-9;]*;)?(3[0-7]|38;5;[0-9]+|9[0-7])(;[0-9;]*)?m'; then
  fail "NO_COLOR: no colour on screen" "$(capc | grep -P '\x1b\[([0-9;]*;)?(3[0-7]|38;5)' | cat -v | head -n 5)"
else pass "NO_COLOR: no colour on screen"; fi
if capc | grep -Pq '\x1b\[[0-9;]*7[;m]'; then pass "NO_COLOR: states told apart by attributes (reverse)"
else fail "NO_COLOR: states told apart by attributes (reverse)" "$(capc | cat -v | head -n 20)"; fi
T send-keys -t il q
wait_file "NO_COLOR: q exits 0" "$TMPD/rc" '^rc=0$'

start_shell C
run_in_pane race
wait_for "LANG=C: the screen comes up" 'STEP  step 0'
T send-keys -t il 1 2 1 2 1 2
wait_for "LANG=C: the lost mark is an ASCII X" 'overwrote 1 X'
wait_for "LANG=C: the lanes use ASCII glyphs" ' 1 A  ####'
if cap | LC_ALL=C grep -q '[^ -~]'; then fail "LANG=C: nothing but ASCII on screen" "$(cap | LC_ALL=C grep '[^ -~]')"
else pass "LANG=C: nothing but ASCII on screen"; fi
T send-keys -t il q
wait_file "LANG=C: q exits 0" "$TMPD/rc" '^rc=0$'

start_shell C.UTF-8 vt100
run_in_pane race
wait_for "TERM=vt100: the screen comes up" 'STEP  step 0'
T send-keys -t il 1
wait_for "TERM=vt100: keys work" 'STEP  step 1'
T send-keys -t il q
wait_file "TERM=vt100: q exits 0" "$TMPD/rc" '^rc=0$'

# ---- io-vs-cpu: every mode measured into the results table ----
start_shell
run_in_pane ""
wait_for "io-vs-cpu: the menu is up" '4 +io-vs-cpu'
T send-keys -t il j j j
T send-keys -t il Enter
wait_for "io-vs-cpu opens measuring the baseline first" 'run 1 of 2: sequential'
wait_for "io-vs-cpu: the results panel is drawn" 'mode +workers +wall ms +speedup +ideal +CPU use'
T send-keys -t il a
wait_for "a: five runs are planned" 'run [1-5] of 5'
for m in sequential threads gil processes eventloop; do
  wait_for "a: the table gets a row for $m" " $m +[0-9]+ +[0-9]+\.[0-9] +[0-9]+\.[0-9]+x +[0-9]+x +[0-9]+% "
done
wait_for "a: the status says every run is measured" 'measured 5 runs'
wait_for "the cores view has a lane per CPU" '^cpu0 '
wait_for "after the event loop, its tasks wait for their turn" 'waiting for its turn in the loop'
T send-keys -t il g
wait_for "g turns the greedy task on" 'greedy +1'
wait_for "g measures again" 'measuring again with greedy=1'
T send-keys -t il i
wait_for "i switches I/O to the page server" 'io +socket'
T send-keys -t il t
wait_for "t switches to CPU work" 'kind +cpu'
wait_for "t measures again from the baseline" 'run 1 of 5: sequential'
wait_for "the legend of threads names waiting for a CPU" 'waiting for a CPU'
T send-keys -t il q
wait_file "io-vs-cpu: q mid-run exits 0" "$TMPD/rc" '^rc=0$'
restored "io-vs-cpu quit mid-run"

# io=socket: reset and quit while every task waits for its page
start_shell
run_in_pane "io-vs-cpu --set io=socket --set ms=60000 --set tasks=3 --set mode=threads"
wait_for "io=socket: the lesson shows the socket flavour" 'io +socket'
wait_for "io=socket: the sequential task is blocked on its request" ' 1 A  ≈'
T send-keys -t il r
wait_for "io=socket: r resets mid-request" 'measuring again from the first run'
wait_for "io=socket: the new run waits for its page" ' 1 A  ≈'
T send-keys -t il q
wait_file "io=socket: q mid-request exits 0" "$TMPD/rc" '^rc=0$'
restored "io=socket quit mid-request"

start_shell
T send-keys -t il "export INTERLEAVE_PROC=/nonexistent" Enter
run_in_pane "io-vs-cpu --set tasks=2 --set ms=50"
wait_for "without /proc the screen says kernel data is unavailable" 'kernel data unavailable'
wait_for "without /proc the runs are still measured" 'measured 2 runs'
T send-keys -t il q
wait_file "without /proc: q exits 0" "$TMPD/rc" '^rc=0$'

# ---- forked workers stop with the job and die with the program ----
# one CPU task in one child process, after a sequential baseline of the same
start_shell
T send-keys -t il "$il io-vs-cpu --set kind=cpu --set tasks=1 --set workers=1 --set ms=4000 --set mode=processes --seed $SEED" Enter
wait_for "processes: the child's lane is up" ' 1 A pid [0-9]+'
child=$(cap | sed -n 's/^ *1 A pid \([0-9][0-9]*\).*/\1/p' | head -n 1)
pstate() { sed -n 's/^[0-9]* ([^)]*) \(.\).*/\1/p' "/proc/$1/stat" 2>/dev/null; }
# wait_state NAME PID REGEX: poll the process state letter
wait_state() {
  end=$(($(date +%s) + DEADLINE))
  while [ "$(date +%s)" -le "$end" ]; do
    st=$(pstate "$2")
    if printf '%s' "${st:-gone}" | grep -Eq -- "$3"; then pass "$1"; return 0; fi
    sleep 0.05
  done
  fail "$1" "state of $2 is ${st:-gone}, want /$3/"
}
if [ -n "$child" ]; then
  wait_state "processes: the child computes" "$child" '^[RS]$'
  T send-keys -t il C-z
  wait_for "processes: Ctrl-Z suspends to the shell" 'Stopped'
  wait_state "processes: the child stops with the job" "$child" '^T$'
  T send-keys -t il fg Enter
  wait_state "processes: fg lets the child go on" "$child" '^[RS]$'
  parent=$(pgrep -f "^$il io-vs-cpu .*--seed $SEED\$" | head -n 1)
  kill -SEGV "$parent"
  wait_state "processes: the child dies with the crashed parent" "$child" '^(gone|Z)$'
else
  fail "processes: the child's PID is on screen" "$(cap | sed 's/^/| /')"
fi

# ---- headless at a terminal: a prompt for each step, and progress ----
start_shell
T send-keys -t il "$il race --headless --policy step" Enter
wait_for "--policy step at a terminal asks for the first step" 'step 1, thread \(1-2\):'
T send-keys -t il 2 Enter
wait_for "and says what the step did" 'step 1: B moved; its next line is tmp = tmp \+ 1'
wait_for "then asks for the next" 'step 2, thread \(1-2\):'
T send-keys -t il 7 Enter
wait_for "a thread that does not exist is refused" 'a thread number from 1 to 2'
T send-keys -t il q Enter
wait_for "q lets the lowest thread finish, and the report follows" '^result: counter=1 expected=2 lost=1'
wait_for "the report says who took the rest" 'the input ended after 1 step; the remaining 5 steps went'
T send-keys -t il "$il race --headless --policy free --set threads=2 --set iterations=40000 --set fuzz=20 >/dev/null" Enter
wait_for "a long headless run shows its progress on stderr" 'interleave: running: [0-9]+% done after [0-9.]+ s'
wait_for "the progress line goes when the run ends" '^bash-[0-9.]+#$'

# ---- a free run on screen ----
start_shell
# Long enough (a few hundred ms: a free run's steps cost ~10 ns) for the
# 10 ms sampler to catch threads waiting for a CPU.
run_in_pane "race --policy free --set threads=4 --set iterations=3000000"
wait_for "a free run finishes on screen" 'DONE +([0-9]+ ms|[0-9]+\.[0-9] s)'
# The model's "expected" counts the stores it saw: a slow (sanitized) run
# can drop events, which the panel counts as dropped; the result, read
# from real memory, always names all 12000000 increments.
wait_for "the free run shows its result" 'expected  12000000|of (the )?12000000( |$)'
wait_for "the free run's lanes are the kernel's view" '· waiting for a CPU'
wait_for "four threads on this machine's cores wait for a CPU" '^ 1 A  .*·'
wait_for "the free run names its overwriting stores" 'overwrote [0-9]+ ✗'
T send-keys -t il s
wait_for "s: a free run has no seed" 'a free run has no seed'
T send-keys -t il q
wait_file "free run: q exits 0" "$TMPD/rc" '^rc=0$'

# ---- a run that takes minutes says so before it goes ----
start_shell
run_in_pane "race --policy free --set iterations=1000000 --set fuzz=50"
wait_for "a long free run says how long it will take" 'this will take about [0-9]+ min'
wait_for "and the title shows how far it is" 'FREE +[0-9.]+ (ms|s) +[0-9]+%'
T send-keys -t il q
wait_file "a long run: q exits 0 at once" "$TMPD/rc" '^rc=0$'

# ---- lock-fix: B waits for the lock A holds, and nothing is lost ----
start_shell
run_in_pane lock-fix
wait_for "lock-fix opens in STEP mode at step 0" "STEP  step 0  seed $SEED"
T send-keys -t il 1
wait_for "lock-fix: 1 lets A take lock m" 'step 1: A moved; its next line is tmp = counter'
wait_for "lock-fix: the shared panel says A holds lock m" 'lock m +held by A'
T send-keys -t il 2
wait_for "lock-fix: 2 is refused, the status says B waits for A's lock" 'B is waiting for lock m, held by A'
if cap | grep -q "STEP  step 1  seed"; then pass "lock-fix: the refused 2 takes no step"
else fail "lock-fix: the refused 2 takes no step" "$(cap | sed 's/^/| /')"; fi
wait_for "lock-fix: the shared panel queues B on lock m" 'queue: +B$'
wait_for "lock-fix: B's lane shows it waiting for a lock" '^ 2 B  ▒'
if capc | grep -P '^(\x1b\[[0-9;]*m)* 2 B' | grep -Pq '\x1b\[38;5;166m(\x1b\[[0-9;]*m)*▒'; then
  pass "lock-fix: B's lock wait is drawn in the lock colour"
else fail "lock-fix: B's lock wait is drawn in the lock colour" "$(capc | grep ' 2 B' | cat -v)"; fi
n=1
for line in 'tmp = tmp \+ 1' 'counter = tmp' 'unlock\(m\)' 'wait_for_io\(\)'; do
  n=$((n + 1))
  T send-keys -t il 1
  wait_for "lock-fix: 1 takes A's step $n" "step $n: A moved; its next line is $line"
done
wait_for "lock-fix: after unlock(m) lock m is free" 'lock m +free'
wait_for "lock-fix: A's store is counted" 'counter +1( |$)'
T send-keys -t il 2
wait_for "lock-fix: now 2 moves B" 'step 6: B moved; its next line is tmp = counter'
wait_for "lock-fix: B holds lock m" 'lock m +held by B'
T send-keys -t il 1
wait_for "lock-fix: A's I/O wait ends its run" 'step 7: A has finished'
n=7
for k in 2 2 2 2; do
  n=$((n + 1))
  T send-keys -t il "$k"
  wait_for "lock-fix: key $k takes step $n" "STEP  step $n  seed"
done
T send-keys -t il 2
wait_for "lock-fix: B's I/O wait finishes the run" 'DONE  step 12'
wait_for "lock-fix: the shared panel shows counter 2" 'counter +2( |$)'
wait_for "lock-fix: the shared panel shows expected 2" 'expected +2( |$)'
wait_for "lock-fix: the shared panel shows nothing lost" 'lost +0( |$)'
wait_for "lock-fix: the result is shown in words" 'every one of the 2'
wait_for "lock-fix: and says every increment counted" 'increments counted'
T send-keys -t il q
wait_file "lock-fix: q exits with status 0" "$TMPD/rc" '^rc=0$'
restored "lock-fix"

# ---- lock-fix: a times each fix into the cost table ----
start_shell
run_in_pane lock-fix
wait_for "lock-fix cost: the lesson is up" "STEP  step 0  seed $SEED"
T send-keys -t il a
wait_for "a: the cost table is drawn" 'fix +wall ms +ns/inc +vs none +lost'
dl=$DEADLINE; DEADLINE=$((DEADLINE * 3)) # three timed runs of 4M increments
wait_for "a: the table gets a row for none" '^ none +[0-9]+\.[0-9] +[0-9]+\.[0-9] +[0-9]+\.[0-9]+x +[0-9]+( |$)'
wait_for "a: the table gets a row for mutex, nothing lost" '^ mutex +[0-9]+\.[0-9] +[0-9]+\.[0-9] +[0-9]+\.[0-9]+x +0( |$)'
wait_for "a: the table gets a row for atomic, nothing lost" '^ atomic +[0-9]+\.[0-9] +[0-9]+\.[0-9] +[0-9]+\.[0-9]+x +0( |$)'
wait_for "a: the status says every run is measured" 'measured 3 runs'
DEADLINE=$dl
T send-keys -t il f
wait_for "f goes back to stepping" 'stepping again'
wait_for "f: the title is STEP at step 0" "STEP  step 0  seed $SEED"
T send-keys -t il q
wait_file "lock-fix cost: q exits 0" "$TMPD/rc" '^rc=0$'

# ---- lock-fix: t times tight against wide beside the sequential time ----
start_shell
run_in_pane lock-fix
wait_for "lock-fix staircase: the lesson is up" "STEP  step 0  seed $SEED"
T send-keys -t il t
wait_for "t: the table is drawn with a seq ms column" 'scope +wall ms +seq ms'
dl=$DEADLINE; DEADLINE=$((DEADLINE * 3))
wait_for "t: the table gets a row for tight" '^ tight +[0-9]+\.[0-9] +[0-9]+ +[0-9]+\.[0-9]+x +[0-9]+\.[0-9]+x( |$)'
wait_for "t: the table gets a row for wide" '^ wide +[0-9]+\.[0-9] +[0-9]+ +[0-9]+\.[0-9]+x +[0-9]+\.[0-9]+x( |$)'
wait_for "t: the status says both runs are measured" 'measured 2 runs'
DEADLINE=$dl
T send-keys -t il q
wait_file "lock-fix staircase: q exits 0" "$TMPD/rc" '^rc=0$'

# ---- deadlock: step into the cycle; refusals; auto-run cannot move ----
start_shell
run_in_pane deadlock
wait_for "deadlock opens in STEP mode at step 0" "STEP  step 0  seed $SEED"
wait_for "deadlock: both locks start free" 'lock B +free'
T send-keys -t il 1
wait_for "deadlock: 1 lets T1 take lock A" 'step 1: T1 moved; its next line is lock\(B\)'
wait_for "deadlock: the shared panel says T1 holds lock A" 'lock A +held by T1'
T send-keys -t il 2
wait_for "deadlock: 2 closes the cycle, the alert headline says so" 'DEADLOCK at step 2: no thread can move'
wait_for "deadlock: the alert draws the cycle from T1" 'T1 → B \(held by T2\) → T2 → A \(held by T1\) → T1'
wait_for "deadlock: the title says DEADLOCK at step 2" "DEADLOCK  step 2  seed $SEED"
wait_for "deadlock: T1's lane marks where the cycle closed" '^ 1 A  ████▒▒▒▒▲'
wait_for "deadlock: so does T2's" '^ 2 B  ····████▲'
wait_for "deadlock: the legend explains the mark" '▲ the deadlock closed'
wait_for "deadlock: each lock queues the other thread" 'queue: +T1$'
has_colour "deadlock: the headline is drawn in colour" '38;5;175' 'DEADLOCK at step 2'
has_colour "deadlock: the cycle is drawn in the lock colour" '38;5;166' 'T1 → B'
T send-keys -t il 1
wait_for "deadlock: 1 is refused, the status says T1 waits for T2's lock" 'T1 is waiting for lock B, held by T2'
if cap | grep -q "DEADLOCK  step 2  seed"; then pass "deadlock: the refused 1 takes no step"
else fail "deadlock: the refused 1 takes no step" "$(cap | sed 's/^/| /')"; fi
T send-keys -t il 2
wait_for "deadlock: 2 is refused, the status says T2 waits for T1's lock" 'T2 is waiting for lock A, held by T1'
T send-keys -t il Space
wait_for "deadlock: space cannot run, the status says no thread can move" 'no thread can move: each waits for a lock another holds \(a deadlock\)'
if cap | grep -q "DEADLOCK  step 2  seed"; then pass "deadlock: space takes no step"
else fail "deadlock: space takes no step" "$(cap | sed 's/^/| /')"; fi

# ---- deadlock: r recovers; a good order finishes; quit in a deadlock ----
# wait_none NAME PATTERN: poll the pane until grep -E PATTERN no longer
# matches (a screen that is being redrawn may still show the old text).
wait_none() {
  end=$(($(date +%s) + DEADLINE))
  while [ "$(date +%s)" -le "$end" ]; do
    if ! cap | grep -Eq -- "$2"; then pass "$1"; return 0; fi
    sleep 0.05
  done
  fail "$1" "/$2/ still on screen after ${DEADLINE}s" "$(cap | sed 's/^/| /')"
  return 1
}
T send-keys -t il r
# space left the run PAUSED (its auto-run could not move): r keeps that mode
wait_for "deadlock: r starts a fresh run at step 0" "PAUSED  step 0  seed $SEED"
wait_for "deadlock: r says it reset" "reset: seed $SEED"
wait_none "deadlock: after r no DEADLOCK, cycle or mark is left on screen" 'DEADLOCK|no thread can move|→|▲'
wait_for "deadlock: after r lock A is free" 'lock A +free'
wait_for "deadlock: after r lock B is free" 'lock B +free'
n=0
for line in 'lock\(B\)' 'work\(\)' 'unlock\(B\)' 'unlock\(A\)'; do
  n=$((n + 1))
  T send-keys -t il 1
  wait_for "deadlock: 1 takes T1's step $n" "step $n: T1 moved; its next line is $line"
  [ $n -eq 2 ] && wait_for "deadlock: T1 holds both locks" 'lock B +held by T1'
done
T send-keys -t il 1
wait_for "deadlock: T1 finishes at step 5" 'step 5: T1 has finished'
n=5
for line in 'lock\(A\)' 'work\(\)' 'unlock\(A\)' 'unlock\(B\)'; do
  n=$((n + 1))
  T send-keys -t il 2
  wait_for "deadlock: 2 takes T2's step $n" "step $n: T2 moved; its next line is $line"
done
T send-keys -t il 2
wait_for "deadlock: T2's last step finishes the run" 'DONE  step 10'
wait_for "deadlock: the result counts every meal" '2 of 2 meals'
if cap | grep -Eq 'DEADLOCK|▲'; then fail "deadlock: a finished run shows no DEADLOCK" "$(cap | sed 's/^/| /')"
else pass "deadlock: a finished run shows no DEADLOCK"; fi
T send-keys -t il r
wait_for "deadlock: r after the finished run is at step 0 again, still PAUSED" "PAUSED  step 0  seed $SEED"
T send-keys -t il 1
wait_for "deadlock again: T1 takes A" 'step 1: T1 moved'
T send-keys -t il 2
wait_for "deadlock again: 1, 2 deadlock again" 'DEADLOCK at step 2: no thread can move'
wait_for "deadlock again: the title says DEADLOCK" "DEADLOCK  step 2  seed $SEED"
T send-keys -t il q
wait_file "deadlock: q during a deadlock exits 0" "$TMPD/rc" '^rc=0$'
restored "deadlock: q during a deadlock"

# ---- deadlock: a free run deadlocks for real and ends by its timeout ----
start_shell
run_in_pane "deadlock --policy free --set hold=50 --set timeout=500"
dl=$DEADLINE; DEADLINE=$((DEADLINE * 2)) # real threads on a loaded box
wait_for "free deadlock: the alert headline says DEADLOCK after some time" 'DEADLOCK after [0-9.]+ (ms|s): the threads wait for ever'
wait_for "free deadlock: the alert draws the cycle from T1" 'T1 → B \(held by T2\) → T2 → A \(held by T1\) → T1'
wait_for "free deadlock: the title says DEADLOCK" 'DEADLOCK  [0-9.,]+ (ms|s)'
# The deadlock stays in the title when the run ends; the clock stops (no
# more %) at the timeout or after it, and the result is shown.
wait_for "free deadlock: the timeout ends the run, the clock stops" 'DEADLOCK  ([5-9][0-9][0-9] ms|[0-9.,]+ s) *$'
wait_for "free deadlock: the result names the cycle" 'deadlock: T1>B>T2>A>T1;'
wait_for "free deadlock: the status says the timeout stopped it" 'the run was stopped by its timeout'
T send-keys -t il r
wait_for "free deadlock: r runs it again" 'running again'
wait_for "free deadlock: the second run deadlocks too" 'DEADLOCK after [0-9.]+ (ms|s): the threads wait for ever'
wait_for "free deadlock: the second run ends by its timeout" 'DEADLOCK  ([5-9][0-9][0-9] ms|[0-9.,]+ s) *$'
wait_for "free deadlock: the second result names the cycle" 'deadlock: T1>B>T2>A>T1;'
DEADLINE=$dl
T send-keys -t il q
wait_file "free deadlock: q exits 0" "$TMPD/rc" '^rc=0$'

# ---- deadlock: trylock with a fixed back-off livelocks, and the alert counts ----
start_shell
run_in_pane "deadlock --policy free --set strategy=trylock --set backoff=fixed --set hold=20 --set timeout=3000"
dl=$DEADLINE; DEADLINE=$((DEADLINE * 2))
wait_for "livelock: the alert headline says LIVELOCK for some time" 'LIVELOCK for [0-9.]+ s'
wait_for "livelock: the alert says every thread keeps trying" 'every thread keeps trying and giving up, and'
first=$(cap | sed -n 's/.*LIVELOCK for \([0-9.]* s\).*/\1/p' | head -n 1)
end=$(($(date +%s) + DEADLINE))
now=$first
while [ "$(date +%s)" -le "$end" ]; do
  now=$(cap | sed -n 's/.*LIVELOCK for \([0-9.]* s\).*/\1/p' | head -n 1)
  [ -n "$now" ] && [ "$now" != "$first" ] && break
  sleep 0.05
done
if [ -n "$now" ] && [ "$now" != "$first" ]; then pass "livelock: its time grows ($first, then $now)"
else fail "livelock: its time grows" "still 'for $first' after ${DEADLINE}s" "$(cap | sed 's/^/| /')"; fi
if cap | grep -q 'DEADLOCK'; then fail "livelock: no DEADLOCK is claimed" "$(cap | sed 's/^/| /')"
else pass "livelock: no DEADLOCK is claimed"; fi
DEADLINE=$dl
T send-keys -t il q
wait_file "livelock: q exits 0" "$TMPD/rc" '^rc=0$'

# ---- deadlock: five philosophers, each with its left fork ----
# wait_alert NAME PATTERN: poll the alert panel, its lines joined (a long
# cycle wraps where the width says).
wait_alert() {
  end=$(($(date +%s) + DEADLINE))
  while [ "$(date +%s)" -le "$end" ]; do
    if cap | sed -n '/^─ alert /,/^─ /{/^─ /!p}' | tr -d '\n' | grep -Eq -- "$2"; then pass "$1"; return 0; fi
    sleep 0.05
  done
  fail "$1" "no /$2/ in the alert within ${DEADLINE}s" "$(cap | sed 's/^/| /')"
  return 1
}
start_shell
run_in_pane deadlock
wait_for "philosophers: the lesson is up" "STEP  step 0  seed $SEED"
T send-keys -t il d
wait_for "d: five philosophers" 'running again with philosophers=5'
wait_for "d: the lanes are philosophers" '^─ philosophers ─'
wait_for "d: the fifth lane is drawn" '^ 5 E '
wait_for "d: the forks are the locks" 'lock f5 +free'
wait_for "d: the key bar steps 1-5" '1-5 step'
for n in 1 2 3 4 5; do
  T send-keys -t il $n
  wait_for "philosophers: $n takes T$n's left fork (step $n)" "step $n: T$n moved; its next line is lock\\(right\\)"
done
wait_for "philosophers: the fifth left fork closes the cycle" 'DEADLOCK at step 5: no thread can move'
wait_for "philosophers: the title says DEADLOCK" "DEADLOCK  step 5  seed $SEED"
wait_alert "philosophers: the cycle runs round the whole table" 'T1 → f2 \(held by T2\) → T2 → f3 \(held by T3\) → T3 → f4 \(held by T4\) → T4 → f5 \(held by T5\) → T5 → f1 \(held by T1\) → T1$'
wait_for "philosophers: the cycle mentions T5" 'held by T5\) → T5'
T send-keys -t il q
wait_file "philosophers: q exits 0" "$TMPD/rc" '^rc=0$'


# ---- the explorer: every schedule, the outcomes, a witness ----
start_shell
T send-keys -t il "export XDG_DATA_HOME=$TMPD/xdg" Enter
run_in_pane race
wait_for "explorer: the lesson is up" "STEP  step 0  seed $SEED"
wait_for "explorer: the key bar offers e" ' e explore '
T send-keys -t il '?'
wait_for "explorer: the help lists e" 'explore every schedule'
T send-keys -t il x
T send-keys -t il e
wait_for "e explores every schedule of race" 'EXPLORED'
wait_for "explorer: 20 schedules in all" 'schedules +20 '
wait_for "explorer: and every one of them" 'complete: every schedule was explored'
wait_for "explorer: counter=1 in 18 schedules, 2 classes, a failure" 'counter=1 +18 .*2 classes +failure'
wait_for "explorer: counter=2 in 2 schedules, 2 classes" 'counter=2 +2 .*2 classes *$'
has_colour "explorer: the failure's bar in the lost-update colour" '38;5;175' '█'
if capc | grep 'counter=2' | grep -Pq '\x1b\[38;5;36m(\x1b\[[0-9;]*m)*█'; then
  pass "explorer: a success's bar in the running colour"
else fail "explorer: a success's bar in the running colour" "$(capc | grep counter= | cat -v)"; fi
wait_for "explorer: counter=1 is picked, its witness shown" 'witness for counter=1, 6 steps: 1,1,2,1,2,2'
T send-keys -t il j
wait_for "explorer: j picks counter=2" 'witness for counter=2, 6 steps: 1,1,1,2,2,2'
T send-keys -t il k
wait_for "explorer: k picks counter=1 again" 'witness for counter=1, 6 steps'
T send-keys -t il w
saved="$TMPD/xdg/interleave/schedules/race-counter-1"
wait_for "w: the status says where the witness is saved" "saved $TMPD/xdg/interleave/schedules/race-counter-1"
wait_for "w: and how to replay it" 'interleave race --headless --schedule @race-counter-1 replays it'
wait_file "w: the file holds the witness" "$saved" '^1,1,2,1,2,2$'
wait_file "w: its first line says what it is" "$saved" '^# race threads=2 iterations=1 fuzz=0: counter=1, found by the explorer$'
out=$(XDG_DATA_HOME="$TMPD/xdg" "$il" race --headless --schedule @race-counter-1 </dev/null 2>&1)
if printf '%s\n' "$out" | grep -q '^result: counter=1 '; then pass "w: the saved schedule replays the lost update"
else fail "w: the saved schedule replays the lost update" "$out"; fi
T send-keys -t il Enter
wait_for "Enter: the witness opens in step mode" 'witness for counter=1: 6 steps, from the explorer'
wait_for "Enter: every step of it is taken" "DONE  step 6  seed $SEED"
wait_for "Enter: the witness loses the update" 'overwrote 1 ✗'
T send-keys -t il u
wait_for "after the witness u undoes its last step" "STEP  step 5  seed $SEED"
T send-keys -t il u
wait_for "and u again, step 4" "STEP  step 4  seed $SEED"
T send-keys -t il C-r
wait_for "Ctrl-R redoes the witness's step 5" "STEP  step 5  seed $SEED"
T send-keys -t il C-r
wait_for "and its step 6, to the same end" "DONE  step 6  seed $SEED"
wait_for "the redone witness loses the update" 'overwrote 1 ✗'
T send-keys -t il C-r
wait_for "with nothing left, Ctrl-R says so" 'nothing to redo'
T send-keys -t il u
wait_for "undo once more" "STEP  step 5  seed $SEED"
T send-keys -t il 2
wait_for "and stepping on loses the update again" "DONE  step 6  seed $SEED"
T send-keys -t il q
wait_file "explorer: q exits 0" "$TMPD/rc" '^rc=0$'

# a long exploration: Esc stops it and goes back at once
start_shell
run_in_pane "race --set iterations=4 --set threads=3"
wait_for "long exploration: the lesson is up" "STEP  step 0  seed $SEED"
T send-keys -t il e
wait_for "long exploration: a progress bar with runs of about how many" '[0-9,]+ of about [0-9,]+ runs \([0-9]+%\)'
T send-keys -t il Escape
t0=$(date +%s)
wait_for "Esc: back to the lesson" "STEP  step 0  seed $SEED"
wait_for "Esc: the status says the explorer stopped" 'the explorer stopped after [0-9,]+ runs'
if [ $(($(date +%s) - t0)) -le 5 ]; then pass "Esc: back within 5 s"
else fail "Esc: back within 5 s" "took $(($(date +%s) - t0)) s"; fi
T send-keys -t il q
wait_file "long exploration: q exits 0" "$TMPD/rc" '^rc=0$'

# a lesson whose runs are free has nothing to explore
start_shell
run_in_pane "io-vs-cpu --set tasks=2 --set ms=50"
wait_for "io-vs-cpu: every run is measured" 'measured 2 runs'
T send-keys -t il e
wait_for "io-vs-cpu: e says there are no steps to explore" 'this lesson has no steps to explore'
T send-keys -t il q
wait_file "io-vs-cpu: q exits 0" "$TMPD/rc" '^rc=0$'

# --trace from the screen: the run on screen is written when it is left
start_shell
run_in_pane "race --trace $TMPD/tui-trace.json"
wait_for "--trace: the screen comes up" "STEP  step 0  seed $SEED"
T send-keys -t il 1 2 1 2 1 2
wait_for "--trace: the update is lost on screen" 'overwrote +1 ✗'
if [ -e "$TMPD/tui-trace.json" ]; then
  fail "--trace: no file before the lesson is left"
else pass "--trace: no file before the lesson is left"; fi
T send-keys -t il q
wait_file "--trace: q exits 0" "$TMPD/rc" '^rc=0$'
if ! command -v python3 >/dev/null 2>&1; then
  fail "--trace: the file is JSON with the lost update" "python3 is needed"
elif msg=$(python3 - "$TMPD/tui-trace.json" 2>&1 <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
ev = d["traceEvents"]
tracks = {e["args"]["name"] for e in ev if e["name"] == "thread_name"}
assert tracks == {"1 A", "2 B"}, tracks
lost = [e for e in ev if e["ph"] == "i" and e["name"] == "lost update"]
assert len(lost) == 1 and lost[0]["args"]["var"] == "counter", lost
assert [e["args"]["name"] for e in ev if e["name"] == "process_name"] == ["race (step)"]
PY
); then pass "--trace: the file is JSON with the lost update"
else fail "--trace: the file is JSON with the lost update" "$msg"; fi

finish
