#!/bin/sh
# The command-line contract: exit statuses, messages and results.
. "${top_srcdir:-.}/tests/lib.sh"
il="$INTERLEAVE"

# Only the folders a test sets up: not the lessons of whoever runs it.
HOME="$TMPD/home"; export HOME
unset XDG_DATA_HOME INTERLEAVE_DATADIR
ESC=$(printf '\033')
BEL=$(printf '\007')

# expect_visible NAME PATTERN: stderr has no raw ESC or BEL byte, and
# shows PATTERN (the escape written out as text).
expect_visible() {
  case $ERR in
  *"$ESC"* | *"$BEL"*) fail "$1: no raw ESC or BEL on stderr" \
    "$(printf '%s' "$ERR" | od -c | head -n 5)" ;;
  *) pass "$1: no raw ESC or BEL on stderr" ;;
  esac
  expect_err "$1: the escape is shown" "$2"
}

# lesson FILE TITLE [LINE]...: a one-page race lesson; the LINEs go into
# its ```lesson block from line 6 on.
lesson() {
  f=$1 t=$2; shift 2
  {
    printf '# %s\n\n```lesson\nmodule: race\nsummary: a test lesson\n' "$t"
    for kv in "$@"; do printf '%s\n' "$kv"; done
    printf '```\n\n## Page\n\nText.\n'
  } >"$f"
}


run "$il" --help
expect_rc "--help exits 0" 0
expect_out "--help prints usage on stdout" '^Usage: interleave'
expect_out "--help lists --headless" '--headless'

run "$il" --version
expect_rc "--version exits 0" 0
expect_out "--version names the program" '^interleave [0-9]+\.[0-9]+'

run "$il" --list
expect_rc "--list exits 0" 0
expect_out "--list prints race, a tab and its title" "$(printf '^race\t.+')"

run "$il" --bogus
expect_rc "unknown flag exits 2" 2
expect_err "unknown flag is named" "unknown option '--bogus'"

run "$il" race --headless --policy sideways
expect_rc "unknown policy exits 2" 2
expect_err "unknown policy is named" "unknown policy 'sideways'"

run "$il" race --headless --seed -3
expect_rc "negative seed exits 2" 2

run "$il" race --headless --seed
expect_rc "missing option value exits 2" 2

run "$il" no-such-lesson --headless
expect_rc "missing lesson exits 2" 2
expect_err "missing lesson message" "no lesson named 'no-such-lesson'"

run "$il" race --headless --set colour=blue
expect_rc "unknown --set key exits 2" 2
expect_err "unknown --set key lists the keys" "has no parameter 'colour'.*threads"

run "$il" race --headless --set threads=many
expect_rc "non-integer --set exits 2" 2

run "$il" race --headless --set threads=999
expect_rc "out-of-range --set exits 2" 2
expect_err "out-of-range --set gives the range" 'threads must be 1 to 16'

run "$il" race --headless --policy free --schedule 1,2
expect_rc "--schedule with --policy free exits 2" 2

run "$il" race --headless --schedule 1,2,1,3
expect_rc "schedule naming a missing thread exits 65" 65
expect_err "and names the item and the thread count" \
  'schedule item 4: thread 3 does not exist \(2 threads\)'

run "$il" race --headless --schedule 1,1,1,1
expect_rc "schedule stepping a finished thread exits 65" 65
expect_err "and says the thread has finished" 'schedule item 4: A has finished'

run "$il" race --headless --schedule 1,x
expect_rc "a malformed inline schedule is bad usage: exits 2" 2
expect_err "and names the item" "schedule item 2: 'x' is not a thread number"

run "$il" race --headless --schedule @no-such-schedule
expect_rc "unknown named schedule exits 2" 2

run "$il" race --headless --schedule 1,1,1,2,2,2
expect_rc "serial schedule exits 0" 0
expect_out "serial schedule: counter=2 lost=0" '^result: counter=2 expected=2 lost=0 overwrites=0 dropped=0$'

run "$il" race --headless --schedule 1,2,1,2,1,2
expect_rc "lost-update schedule exits 0" 0
expect_out "lost-update schedule: counter=1 lost=1" '^result: counter=1 expected=2 lost=1 overwrites=1 dropped=0$'
expect_out "the timeline notes the overwriting store" 'lost update at step 6: B stored counter=1, overwriting A.s update from step 5'

run "$il" race --headless --schedule @lost-update
expect_out "named schedule @lost-update loses an update" '^result: counter=1 expected=2 lost=1'

run "$il" race --headless --schedule 1,2
expect_out "a short schedule says who took the remaining steps" 'the remaining 4 steps went to the$'
expect_out "and still finishes the run" '^result: counter=1 expected=2 lost=1'

run "$il" race --headless --policy random --seed 7 --set threads=3 --set iterations=2
first=$OUT
run "$il" race --headless --policy random --seed 7 --set threads=3 --set iterations=2
if [ "$first" = "$OUT" ] && [ -n "$OUT" ]; then pass "random seed 7 twice: identical output"
else fail "random seed 7 twice: identical output"; fi
run "$il" race --headless --policy random --seed 8 --set threads=3 --set iterations=2
if [ "$first" != "$OUT" ]; then pass "a different seed gives a different run"
else fail "a different seed gives a different run"; fi

printf '1 2 1 2 1 2\n' >"$TMPD/steps"
"$il" race --headless --policy step <"$TMPD/steps" >"$TMPD/out" 2>"$TMPD/err"; RC=$?; OUT=$(cat "$TMPD/out")
expect_out "--policy step reads thread numbers from stdin" '^result: counter=1 expected=2 lost=1'

run "$il" race --headless --policy free --set threads=4 --set iterations=200000
expect_rc "free run exits 0" 0
expect_out "free run reports counter, expected, lost, overwrites, dropped" '^result: counter=[0-9]+ expected=800000 lost=[0-9]+ overwrites=[0-9]+ dropped=[0-9]+$'
c=$(printf '%s\n' "$OUT" | sed -n 's/^result: counter=\([0-9]*\) expected=\([0-9]*\) lost=\([0-9]*\).*/\1 \2 \3/p')
set -- $c
if [ $(($1 + $3)) -eq "$2" ] && [ "$1" -ge 1 ] && [ "$1" -le "$2" ]; then pass "free run: counter + lost = expected"
else fail "free run: counter + lost = expected" "got $c"; fi

run "$il" race --headless --policy free --set threads=1 --set iterations=100000
expect_out "one thread alone loses nothing" '^result: counter=100000 expected=100000 lost=0'

LC_ALL=C run "$il" race --headless --schedule 1,2,1,2,1,2
expect_out "LC_ALL=C output uses the ASCII legend" '# running  \. ready'

run "$il" --check-lesson "$top_srcdir/lessons/race.md"
expect_rc "--check-lesson on a good file exits 0" 0

printf '# Title\n\n```lesson\nmodule: race\nsummary: x\ncolour: blue\n```\n\n## Page\n\nText.\n' >"$TMPD/bad.md"
run "$il" --check-lesson "$TMPD/bad.md"
expect_rc "--check-lesson on a bad file exits 65" 65
expect_err "and names FILE:LINE" "bad.md:6: .*colour"

run "$il" "$TMPD/bad.md" --headless
expect_rc "running a bad lesson file exits 65" 65

# A bad interactive block is reported at its line, like any other error.
printf '# Title\n\n```lesson\nmodule: deadlock\nsummary: x\n```\n\n## Page\n\nText.\n\n```challenge\ntitle: T\ngoal: deadlock = maybe\n```\n' >"$TMPD/bad-goal.md"
run "$il" --check-lesson "$TMPD/bad-goal.md"
expect_rc "--check-lesson on a bad challenge exits 65" 65
expect_err "and names the goal's line" "bad-goal.md:14: 'deadlock' is one of yes, no, never 'maybe'"
for l in race lock-fix deadlock io-vs-cpu; do
  run "$il" --check-lesson "$top_srcdir/lessons/$l.md"
  expect_rc "--check-lesson $l with its blocks exits 0" 0
done

# The screen front end refuses what it cannot do, before touching the tty.
run "$il" race --schedule 1,2
expect_rc "--schedule without --headless exits 2" 2
expect_err "--schedule without --headless says why" 'needs --headless'

run "$il" --headless
expect_rc "--headless without a lesson exits 2" 2
expect_err "--headless without a lesson says why" 'needs a LESSON'

run "$il" race --policy replay
expect_rc "--policy replay on the screen exits 2" 2

run "$il" race
expect_rc "the screen without a terminal exits 2" 2
expect_err "the screen without a terminal suggests --headless" '--headless'

run env TERM=dumb "$il"
expect_rc "the menu without a terminal exits 2" 2

# io-vs-cpu: measured runs, compared with a sequential run in the same go.
run "$il" io-vs-cpu --headless --set mode=threads --set tasks=4 --set ms=20
expect_rc "io-vs-cpu threads exits 0" 0
expect_out "io-vs-cpu threads: the result keys" \
  '^result: kind=io io=sleep mode=threads tasks=4 workers=4 wall_ms=[0-9.]+ sequential_ms=[0-9.]+ speedup=[0-9.]+ ideal=4 cores=[0-9]+ cpu_util=[0-9.]+ .*done=4 .*dropped=0$'
expect_out "io-vs-cpu threads: one result line" "$(printf '^result:')"
[ "$(printf '%s\n' "$OUT" | grep -c '^result:')" -eq 1 ] && pass "io-vs-cpu threads: exactly one result line" ||
  fail "io-vs-cpu threads: exactly one result line" "$OUT"
expect_out "io-vs-cpu shows the kernel's view" "the kernel's view|kernel data unavailable"

run "$il" io-vs-cpu --headless --set kind=cpu --set mode=all --set tasks=4 --set ms=5
expect_rc "io-vs-cpu mode=all exits 0" 0
for m in sequential threads gil processes eventloop; do
  expect_out "io-vs-cpu mode=all: a table row for $m" "^ $m +[0-9]+ +[0-9.]+ +[0-9.]+x +[0-9]+x +[0-9]+% +[#█]* *[0-9]+ ms$"
  expect_out "io-vs-cpu mode=all: a result line for $m with correct sums" \
    "^result: kind=cpu io=sleep mode=$m .*done=4 sums=ok dropped=0$"
done
expect_out "io-vs-cpu sequential: speedup 1 and ideal 1" 'mode=sequential .*speedup=1.00 ideal=1 '

# lock-fix: the result line, stepped and free, and its two plans.
run "$il" lock-fix --headless --schedule 1,1,1,1,1,1,2,2,2,2,2,2
expect_rc "lock-fix stepped exits 0" 0
expect_out "lock-fix stepped: the result line" \
  '^result: counter=2 expected=2 lost=0 fix=mutex scope=tight wall_ms=[0-9.]+ ns_per_inc=[0-9.]+ dropped=0$'
expect_out "lock-fix stepped: the heading names the fix" 'fix=mutex, scope=tight'
run "$il" lock-fix --headless --schedule 1,2
expect_rc "lock-fix: a schedule into a held lock exits 65" 65
expect_err "lock-fix: it names the holder" 'B is waiting for lock m, held by A'
run "$il" lock-fix --headless --policy free --set fix=all --set threads=2 --set iterations=100000 --set io_ms=0
expect_rc "lock-fix fix=all exits 0" 0
expect_out "lock-fix fix=all: the table's header" '^ fix +wall ms +ns/inc +vs none +lost$'
for f in none mutex atomic; do
  expect_out "lock-fix fix=all: a table row for $f" "^ $f +[0-9.]+ +[0-9.]+ +[0-9.]+x +[0-9]+ "
  expect_out "lock-fix fix=all: a result line for $f" \
    "^result: counter=[0-9]+ expected=200000 lost=[0-9]+ fix=$f scope=tight wall_ms=[0-9.]+ ns_per_inc=[0-9.]+ dropped=0$"
done
expect_out "lock-fix fix=all: the mutex loses nothing" '^result: counter=200000 expected=200000 lost=0 fix=mutex '
expect_out "lock-fix fix=all: the atomic add loses nothing" '^result: counter=200000 expected=200000 lost=0 fix=atomic '
run "$il" lock-fix --headless --policy free --set scope=both --set threads=3 --set iterations=2 --set io_ms=10
expect_rc "lock-fix scope=both exits 0" 0
expect_out "lock-fix scope=both: the table's header" '^ scope +wall ms +seq ms +vs seq +vs tight$'
expect_out "lock-fix scope=both: the sequential time is 60 ms" '^ wide +[0-9.]+ +60 +[0-9.]+x +[0-9.]+x '
expect_out "lock-fix scope=both: a result line for wide" '^result: counter=6 expected=6 lost=0 fix=mutex scope=wide '
run "$il" lock-fix --headless --set fix=all --schedule 1,2
expect_rc "lock-fix fix=all with a schedule exits 2" 2
expect_err "lock-fix fix=all with a schedule: why" 'fix=all measures real time'
run "$il" lock-fix --headless --set fix=all --set scope=both
expect_rc "lock-fix: two plans at once exit 2" 2
expect_err "lock-fix: two plans at once: why" 'two plans'

# deadlock: the cycle, headless, stepped and free.
run "$il" deadlock --headless --schedule 1,2
expect_rc "deadlock --schedule 1,2 exits 0: a deadlock is a normal outcome" 0
expect_out "deadlock --schedule 1,2: the result names the cycle" \
  '^result: deadlock=yes cycle=T1>B>T2>A>T1 livelock=no livelock_ms=0 order=opposite strategy=block backoff=fixed philosophers=0 meals=0 expected_meals=2 timed_out=no dropped=0$'
expect_out "deadlock --schedule 1,2: the cycle with each holder" 'DEADLOCK at step 2: T1 → B \(held by T2\) → T2 → A \(held by T1\) → T1'
expect_out "deadlock --schedule 1,2: why T1 cannot run" '^  T1 cannot run: waiting for B, held by T2$'
expect_out "deadlock --schedule 1,2: why T2 cannot run" '^  T2 cannot run: waiting for A, held by T1$'
for seed in 1 2 3 4 5 6 7 8; do
  run "$il" deadlock --headless --set order=same --policy random --seed $seed
  expect_out "deadlock order=same, seed $seed: no deadlock" '^result: deadlock=no cycle=none .* meals=2 expected_meals=2 timed_out=no'
done
run "$il" deadlock --headless --set order=same --policy free
expect_out "deadlock order=same, free: no deadlock" '^result: deadlock=no cycle=none .* meals=2 expected_meals=2 timed_out=no'
run "$il" deadlock --headless --policy free --set hold=50 --set timeout=300
expect_rc "deadlock free hold=50 exits 0" 0
expect_out "deadlock free hold=50: a real deadlock, ended by the timeout" \
  '^result: deadlock=yes cycle=T1>B>T2>A>T1 .* timed_out=yes dropped=[0-9]+$'
expect_out "deadlock free hold=50: the note says the timeout ended it" 'cancelled after its timeout of 300'
run "$il" deadlock --headless --set philosophers=5 --schedule 1,2,3,4,5
expect_out "deadlock: 5 philosophers, the whole ring" '^result: deadlock=yes cycle=T1>f2>T2>f3>T3>f4>T4>f5>T5>f1>T1 '
run "$il" deadlock --headless --set philosophers=1
expect_rc "deadlock philosophers=1 exits 2" 2

run "$il" io-vs-cpu --headless --set mode=processes --set kind=cpu --set tasks=2 --set ms=20
expect_rc "io-vs-cpu processes exits 0" 0
expect_out "io-vs-cpu processes: the lanes are labelled with PIDs" '^ 1 A pid [0-9]+ '
expect_out "io-vs-cpu processes: the kernel's view counts time slices" \
  ' [0-9]+ slices  cpu [0-9]+$|^kernel data unavailable'

run "$il" io-vs-cpu --headless --set io=socket --set mode=all --set tasks=3 --set ms=20
expect_rc "io-vs-cpu io=socket mode=all exits 0" 0
for m in sequential threads gil processes eventloop; do
  expect_out "io-vs-cpu io=socket: $m fetched every page" \
    "^result: kind=io io=socket mode=$m .*done=3 pages=3 failed=0 sums=n/a dropped=0$"
done

INTERLEAVE_PROC=/nonexistent; export INTERLEAVE_PROC
run "$il" io-vs-cpu --headless --set mode=threads --set tasks=2 --set ms=20
unset INTERLEAVE_PROC
expect_rc "io-vs-cpu without /proc exits 0" 0
expect_out "io-vs-cpu without /proc says kernel data is unavailable" '^kernel data unavailable'
expect_out "io-vs-cpu without /proc still measures" '^result: kind=io .*done=2 '

run "$il" io-vs-cpu --headless --set kind=gpu
expect_rc "io-vs-cpu bad kind exits 2" 2
expect_err "io-vs-cpu bad kind names the choices" 'kind must be io or cpu'

run "$il" io-vs-cpu --headless --set mode=eventloop --set greedy=1 --set tasks=3 --set ms=5
expect_rc "io-vs-cpu greedy eventloop exits 0" 0
expect_out "io-vs-cpu greedy eventloop: every task done" \
  '^result: kind=io io=sleep mode=eventloop tasks=3 workers=3 .*done=3 '

run "$il" io-vs-cpu --headless --set mode=eventloop --set tasks=65
expect_rc "io-vs-cpu: --set values the module refuses exit 2" 2
expect_err "io-vs-cpu eventloop with 65 tasks says why" 'at most 64 tasks, not 65'

run "$il" io-vs-cpu --headless --schedule 1,2
expect_rc "io-vs-cpu with a schedule exits 2" 2

# ---- a FIFO (or any file that is not a regular file) is refused at once ----
# timeout: without the refusal, opening a FIFO waits for a writer forever.
mkfifo "$TMPD/fifo.md"
run timeout 20 "$il" --check-lesson "$TMPD/fifo.md"
expect_rc "--check-lesson on a FIFO exits 65 at once" 65
expect_err "and says it is not a regular file" 'fifo\.md:1: not a regular file \(a FIFO\)$'

run timeout 20 "$il" "$TMPD/fifo.md" --headless
expect_rc "running a FIFO as a lesson exits 65 at once" 65
expect_err "and says why" 'fifo\.md:1: not a regular file \(a FIFO\)$'

mkdir -p "$TMPD/pipes/lessons" "$TMPD/pipes/schedules"
mkfifo "$TMPD/pipes/lessons/pipe.md" "$TMPD/pipes/schedules/pipe"
lesson "$TMPD/pipes/lessons/other.md" "Next to a FIFO"
run timeout 20 env INTERLEAVE_DATADIR="$TMPD/pipes" "$il" --list
expect_rc "--list with a FIFO in a lessons folder exits 65 at once" 65
expect_err "and names the FIFO" 'lessons/pipe\.md:1: not a regular file \(a FIFO\)$'
expect_out "and still lists the other lessons" "$(printf '^other\tNext to a FIFO')"

run timeout 20 env INTERLEAVE_DATADIR="$TMPD/pipes" "$il" pipe --headless
expect_rc "a FIFO lesson found by its id exits 65 at once" 65

run timeout 20 env INTERLEAVE_DATADIR="$TMPD/pipes" "$il" "$top_srcdir/lessons/race.md" --headless --schedule @pipe
expect_rc "a FIFO as a named schedule exits 65 at once" 65
expect_err "and says why" 'schedules/pipe:1: not a regular file \(a FIFO\)$'

mkdir "$TMPD/dir.md"
run "$il" --check-lesson "$TMPD/dir.md"
expect_rc "--check-lesson on a directory exits 65" 65
expect_err "and says it is a directory" 'dir\.md:1: not a regular file \(a directory\)'

# ---- outside text reaches stderr sanitized: no raw escape sequences ----
mkdir -p "$TMPD/esc/schedules"
printf '\033]0;PWNED\007 1,2\n' >"$TMPD/esc/schedules/escape"
run env INTERLEAVE_DATADIR="$TMPD/esc" "$il" "$top_srcdir/lessons/race.md" --headless --schedule @escape
expect_rc "a schedule file with an escape in an item exits 65" 65
expect_visible "a schedule file's item" 'escape:1: schedule item 1: .\\x1b\]0;PWNED\\x07. is not'

run "$il" race --headless --schedule "1,${ESC}[2J"
expect_rc "an inline schedule item with an escape exits 2" 2
expect_visible "an inline schedule item" 'schedule item 2: .\\x1b\[2J. is not'

run "$il" "x${ESC}[2J" --headless
expect_rc "a lesson name with an escape exits 2" 2
expect_visible "a lesson name" 'no lesson named .x\\x1b\[2J.'

run "$il" "$TMPD/${ESC}]0;T${BEL}.md" --headless
expect_rc "a missing lesson path with an escape exits 2" 2
expect_visible "a missing lesson path" '/\\x1b\]0;T\\x07\.md: No such file'

cp "$TMPD/bad.md" "$TMPD/bad${ESC}[2J.md"
run "$il" "$TMPD/bad${ESC}[2J.md" --headless
expect_rc "a bad lesson file with an escape in its name exits 65" 65
expect_visible "a bad lesson file's name" 'bad\\x1b\[2J\.md:6: '

run "$il" --check-lesson "$TMPD/bad${ESC}[2J.md"
expect_visible "--check-lesson on that file" 'bad\\x1b\[2J\.md:6: '

run "$il" race --headless --set "k${ESC}[2J=1"
expect_rc "a --set key with an escape exits 2" 2
expect_visible "a --set key" 'no parameter .k\\x1b\[2J.'

run "$il" race --headless --set "threads=${ESC}]0;X${BEL}"
expect_rc "a --set value with an escape exits 2" 2
expect_visible "a --set value" 'threads=\\x1b\]0;X\\x07'

run "$il" race --headless --set "${ESC}[2J"
expect_visible "a --set without =" '.\\x1b\[2J.: expected KEY=VALUE'

run "$il" race --headless --policy "${ESC}[2J"
expect_rc "a policy with an escape exits 2" 2
expect_visible "a policy" 'unknown policy .\\x1b\[2J.'

run "$il" "--${ESC}[2J"
expect_rc "an unknown option with an escape exits 2" 2
expect_visible "an unknown option" 'unknown option .--\\x1b\[2J.'

run "$il" race "x${ESC}[2J" --headless
expect_rc "an unexpected argument with an escape exits 2" 2
expect_visible "an unexpected argument" 'unexpected argument .x\\x1b\[2J.'

# ---- lesson folders: built-in, then INTERLEAVE_DATADIR, then the user's ----
D="$TMPD/datadir" U="$TMPD/xdg"
mkdir -p "$D/lessons" "$D/schedules" "$U/interleave/lessons" "$U/interleave/schedules"
lesson "$D/lessons/extra.md" "Extra from the data dir" "schedule: mine"
lesson "$D/lessons/race.md" "Race from the data dir"
lesson "$U/interleave/lessons/mine.md" "Mine from the user folder"
printf '# serial, under the built-in name\n1,1,1,2,2,2\n' >"$U/interleave/schedules/lost-update"
printf '# B first\n2,2,2,1,1,1\n' >"$U/interleave/schedules/mine"

run "$il" --list
expect_out "--list: a third field says where a lesson came from, then its file" \
  "$(printf '^race\tThe race condition: the lost update\tbuilt-in\t.*/lessons/race\\.md$')"

run env INTERLEAVE_DATADIR="$D" "$il" --list
expect_rc "--list with INTERLEAVE_DATADIR exits 0" 0
expect_out "INTERLEAVE_DATADIR adds to the built-in lessons" "$(printf '^io-vs-cpu\t.*\tbuilt-in\t')"
expect_out "and its lessons come from there" \
  "$(printf '^extra\tExtra from the data dir\tINTERLEAVE_DATADIR\t%s/lessons/extra\\.md$' "$D")"
expect_out "a lesson with a built-in id replaces the built-in one" \
  "$(printf '^race\tRace from the data dir\tINTERLEAVE_DATADIR\t')"
if [ "$(printf '%s\n' "$OUT" | grep -c "$(printf '^race\t')")" -eq 1 ]; then
  pass "and race is listed once"
else fail "and race is listed once" "$OUT"; fi

run env INTERLEAVE_DATADIR="$D" XDG_DATA_HOME="$U" "$il" --list
expect_out "the user's folder comes last" \
  "$(printf '^mine\tMine from the user folder\tuser\t%s/interleave/lessons/mine\\.md$' "$U")"
expect_out "with the others still there" "$(printf '^extra\t.*\tINTERLEAVE_DATADIR\t')"

lesson "$U/interleave/lessons/extra.md" "Extra from the user folder"
run env INTERLEAVE_DATADIR="$D" XDG_DATA_HOME="$U" "$il" --list
expect_out "a user lesson replaces a data-dir one with the same id" \
  "$(printf '^extra\tExtra from the user folder\tuser\t')"
rm -f "$U/interleave/lessons/extra.md"

mkdir -p "$TMPD/home/.local/share/interleave/lessons"
lesson "$TMPD/home/.local/share/interleave/lessons/home.md" "From HOME"
run "$il" --list
expect_out "without XDG_DATA_HOME the user folder is ~/.local/share/interleave" \
  "$(printf '^home\tFrom HOME\tuser\t')"
run env XDG_DATA_HOME=relative/path "$il" --list
expect_out "a relative XDG_DATA_HOME is ignored" "$(printf '^home\tFrom HOME\tuser\t')"
rm -f "$TMPD/home/.local/share/interleave/lessons/home.md"

run env INTERLEAVE_DATADIR="$D" XDG_DATA_HOME="$U" "$il" mine --headless --schedule 1,1,1,2,2,2
expect_rc "a lesson id from the user folder runs" 0
expect_out "and it is that lesson" '^mine: Mine from the user folder'
run env INTERLEAVE_DATADIR="$D" "$il" extra --headless --schedule 1,2
expect_out "a lesson id from INTERLEAVE_DATADIR runs" '^extra: Extra from the data dir'

run env XDG_DATA_HOME="$U" "$il" race --headless --schedule @mine
expect_out "a named schedule comes from the user folder" 'schedule 2,2,2,1,1,1 \(mine\)'
run env XDG_DATA_HOME="$U" "$il" race --headless --schedule @lost-update
expect_out "a user schedule replaces a built-in one of that name" '^result: counter=2 expected=2 lost=0'
run env XDG_DATA_HOME="$U" "$il" race --headless --schedule @serial
expect_out "built-in schedules are still found" '^result: counter=2 expected=2 lost=0'

# ---- m goes back to the menu from a lesson opened directly ----
if command -v tmux >/dev/null 2>&1; then
  SOCK="il-cli-$$"
  T() { tmux -u -L "$SOCK" -f /dev/null "$@"; }
  trap 'T kill-server 2>/dev/null; rm -rf "$TMPD"' EXIT
  # screen_has NAME PATTERN: poll the pane until it shows PATTERN.
  screen_has() {
    end=$(($(date +%s) + ${TUI_DEADLINE:-30}))
    while [ "$(date +%s)" -le "$end" ]; do
      if T capture-pane -p -t il 2>/dev/null | grep -Eq -- "$2"; then pass "$1"; return 0; fi
      sleep 0.05
    done
    fail "$1" "no /$2/ on screen" "$(T capture-pane -p -t il 2>/dev/null | sed 's/^/| /')"
  }
  lesson "$TMPD/by-path.md" "Opened by its path"
  for how in race "$TMPD/by-path.md"; do
    # a new server each time: a killed one may still hold its socket
    T kill-server 2>/dev/null
    SOCK="il-cli-$$-$TAP_N"
    T new-session -d -s il -x 100 -y 30 \
      "env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color HOME='$HOME' '$il' '$how'; sleep 60"
    screen_has "$how opens at once" 'STEP  step 0'
    T send-keys -t il m
    screen_has "$how: m shows the menu of every lesson" '^ +[0-9] +io-vs-cpu +I/O-bound'
    screen_has "$how: with race in it" '^ +[0-9] +race +The race condition'
  done
  screen_has "a lesson opened by its path is added to the menu" '^ +[0-9] +by-path +Opened by its path'
  T kill-server 2>/dev/null
else
  TAP_N=$((TAP_N + 1))
  echo "ok $TAP_N # SKIP tmux is not installed"
fi

# ---- --check-lesson checks what the lesson names ----
lesson "$TMPD/nonexist.md" "Names a missing schedule" "schedule: nonexist"
run "$il" --check-lesson "$TMPD/nonexist.md"
expect_rc "--check-lesson: a schedule that does not exist exits 65" 65
expect_err "and names the schedule: line" "nonexist\\.md:6: no schedule named 'nonexist'"

lesson "$TMPD/three.md" "Three-way on two" "threads: 2" "schedule: three-way-lost"
run "$il" --check-lesson "$TMPD/three.md"
expect_rc "--check-lesson: a 3-thread schedule on 2 threads exits 65" 65
expect_err "and says which item fails, at the schedule: line" \
  "three\\.md:7: schedule 'three-way-lost', item 3: thread 3 does not exist \\(2 threads\\)"
run "$il" "$TMPD/three.md" --headless --policy replay
expect_rc "(as running it does)" 65

lesson "$TMPD/three-ok.md" "Three-way on three" "threads: 3" "schedule: three-way-lost"
run "$il" --check-lesson "$TMPD/three-ok.md"
expect_rc "--check-lesson: the same schedule on 3 threads is ok" 0
expect_out "one page is '1 page'" 'three-ok\.md: ok: Three-way on three \(module race, 1 page\)$'
run "$il" --check-lesson "$top_srcdir/lessons/race.md"
expect_out "more pages are 'N pages'" 'race\.md: ok: .*\(module race, [0-9]+ pages\)$'

run "$il" --check-lesson "$top_srcdir/lessons/io-vs-cpu.md"
expect_rc "--check-lesson on io-vs-cpu (it runs free only) is ok" 0

lesson "$TMPD/pipes/names-pipe.md" "Names a FIFO" "schedule: pipe"
run timeout 20 env INTERLEAVE_DATADIR="$TMPD/pipes" "$il" --check-lesson "$TMPD/pipes/names-pipe.md"
expect_rc "--check-lesson on a lesson naming a FIFO schedule exits 65" 65
expect_err "and says where and why" 'names-pipe\.md:6: .*pipe:1: not a regular file \(a FIFO\)'

run env INTERLEAVE_DATADIR="$D" XDG_DATA_HOME="$U" "$il" --check-lesson "$D/lessons/extra.md"
expect_rc "--check-lesson finds a lesson's schedule in the user folder" 0
run env INTERLEAVE_DATADIR="$D" "$il" --check-lesson "$D/lessons/extra.md"
expect_rc "and fails without it" 65

# ---- one exit-status table: 2 usage, 65 data, 70 internal ----
run "$il" race --headless --seed 99999999999999999999999
expect_rc "a seed too big for 64 bits exits 2" 2
expect_err "and says it is out of range" "--seed '99999999999999999999999': out of range"
run "$il" race --headless --seed x
expect_err "a seed that is not a number says so" "--seed 'x': expected a non-negative integer"

run "$il" --check-lesson "$TMPD/no-such.md"
expect_rc "--check-lesson on a missing file exits 2, as running it does" 2
expect_err "and names it" 'no-such\.md: No such file or directory'
run "$il" "$TMPD/no-such.md" --headless
expect_rc "running a missing lesson file exits 2" 2

run "$il" --check-lesson "$top_srcdir/lessons/race.md" extra
expect_rc "--check-lesson FILE extra exits 2" 2
expect_err "and names the extra argument" "unexpected argument 'extra'"
run "$il" --list extra
expect_rc "--list extra exits 2" 2

printf 'secret\n' >"$TMPD/unreadable.md"
chmod 000 "$TMPD/unreadable.md"
if [ -r "$TMPD/unreadable.md" ]; then
  echo "ok $((TAP_N + 1)) # SKIP an unreadable lesson: this user reads any file"
  TAP_N=$((TAP_N + 1))
else
  run "$il" --check-lesson "$TMPD/unreadable.md"
  expect_rc "an unreadable lesson file exits 65" 65
  expect_err "and says why" 'unreadable\.md:1: .*Permission denied'
fi

printf '# Too many tasks\n\n```lesson\nmodule: io-vs-cpu\nsummary: x\nmode: eventloop\ntasks: 65\n```\n\n## Page\n\nText.\n' \
  >"$TMPD/greedy.md"
run "$il" --check-lesson "$TMPD/greedy.md"
expect_rc "a lesson whose parameters its module refuses fails the check: 65" 65
expect_err "and names the line" 'greedy\.md:6: io-vs-cpu: mode=eventloop .*at most 64 tasks, not 65'
run "$il" "$TMPD/greedy.md" --headless
expect_rc "running that lesson exits 65 too" 65
expect_err "and says why at its line" 'greedy\.md:6: io-vs-cpu: mode=eventloop'
run "$il" "$TMPD/greedy.md" --headless --set tasks=2 --set ms=1
expect_rc "and --set can put it right" 0

# Internal failure: no address space left for a worker thread's stack.
starve='ulimit -v 400000 && ulimit -s 2000000 && exec "$@"'
if sh -c "$starve" sh "$il" --version >/dev/null 2>&1; then
  run sh -c "$starve" sh "$il" race --headless
  expect_rc "threads that cannot start exit 70" 70
  expect_err "and say so" 'cannot start the worker threads'
  run sh -c "$starve" sh "$il" --check-lesson "$top_srcdir/lessons/race.md"
  expect_rc "--check-lesson whose replay cannot start its threads exits 70" 70
  run sh -c "$starve" sh "$il" io-vs-cpu --headless --set mode=threads --set tasks=2 --set ms=1
  expect_rc "io-vs-cpu: threads that cannot start exit 70" 70
else
  TAP_N=$((TAP_N + 1))
  echo "ok $TAP_N # SKIP ulimit cannot starve thread stacks here (a sanitizer build?)"
fi

# ---- what a run shows: history, counts, the kernel's view, the ruler ----
# The same seed gives the same prefix, so a long run's first notes are
# those of a short one: early history is kept (marks, notes, counts).
run "$il" race --headless --policy random --seed 1 --set threads=4 --set iterations=100
short=$(printf '%s\n' "$OUT" | grep -A1 '^lost update' | head -n 8)
run "$il" race --headless --policy random --seed 1 --set threads=4 --set iterations=400
long=$(printf '%s\n' "$OUT" | grep -A1 '^lost update' | head -n 8)
if [ -n "$short" ] && [ "$short" = "$long" ] && printf '%s' "$long" | grep -q '^lost update at step 12:'; then
  pass "a long run's first notes are its first 100 steps' (the first at step 12)"
else fail "a long run's first notes are its first 100 steps' (the first at step 12)" "short: $short" "long: $long"; fi

# Both counts are named, and the marks counted are the overwrites
run "$il" race --headless --policy random --seed 1 --set threads=3 --set iterations=20
expect_out "the notes name both counts" 'stores overwrote an update \(each is a mark\), and [0-9]+ increments are'
expect_out "the notes say how many more marks there are" '^\.\.\. and [0-9]+ more stores that overwrote an update$'
marks=$(printf '%s\n' "$OUT" | sed -n 's/^counter: \([0-9]*\) stores overwrote.*/\1/p')
ow=$(printf '%s\n' "$OUT" | sed -n 's/^result: .* overwrites=\([0-9]*\) .*/\1/p')
if [ -n "$marks" ] && [ "$marks" = "$ow" ]; then pass "the marks in the notes and overwrites= count the same stores"
else fail "the marks in the notes and overwrites= count the same stores" "notes $marks, result $ow"; fi

# A free run with more threads than cores: the kernel's view, and marks.
# Long enough (a free run's steps cost ~10-40 ns) for the 10 ms sampler
# to catch lanes waiting for a CPU.
cores=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)
run "$il" race --headless --policy free --set threads=$((cores * 2)) --set iterations=5000000
expect_out "a free race run prints the kernel's view of each lane" "the kernel's view of each lane"
expect_out "with twice as many threads as cores, lanes wait for a CPU" '^ +1 A  .*·'
if printf '%s\n' "$OUT" | grep -q ' overwrites=0 '; then pass "a free run with no overwrite has no mark (none here)"
else expect_out "a free run marks overwriting stores on the lanes" '^ +[0-9]+ [A-Z]  .*✗'; fi
ruler=$(printf '%s\n' "$OUT" | grep -E '^(us|ms|s) +0 ' | head -n 1)
# round ticks: a step of 1, 2 or 5 times a power of ten, every label on it
if printf '%s\n' "$ruler" | tr -d , | awk '{ if (NF < 3) exit 1; d = $3 - $2;
    m = d; while (m >= 10 && m % 10 == 0) m /= 10;
    if (d <= 0 || (m != 1 && m != 2 && m != 5)) exit 1;
    for (i = 2; i <= NF; i++) if ($i % d != 0) exit 1 }'; then
  pass "the free run's ruler has round ticks with a unit"
else fail "the free run's ruler has round ticks with a unit" "$ruler"; fi
expect_out "the free run's legend names waiting for a CPU" '· waiting for a CPU'

# A lesson with no shared counter has no overwriting mark in its legend
run "$il" io-vs-cpu --headless --set tasks=2 --set ms=5
if printf '%s\n' "$OUT" | grep -q 'overwriting store\|lost update'; then
  fail "io-vs-cpu's legend has no overwriting-store mark" "$OUT"
else pass "io-vs-cpu's legend has no overwriting-store mark"; fi

# Settings that take minutes say so before they start
"$il" race --headless --policy free --set iterations=1000000 --set fuzz=50 >/dev/null 2>"$TMPD/long.err" &
pid=$!
end=$(($(date +%s) + 30))
while [ "$(date +%s)" -le "$end" ] && ! grep -q 'will take about' "$TMPD/long.err"; do sleep 0.05; done
kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
if grep -Eq 'this run will take about [0-9]+ min' "$TMPD/long.err"; then pass "a run that takes minutes says so before it starts"
else fail "a run that takes minutes says so before it starts" "$(cat "$TMPD/long.err")"; fi
run "$il" race --headless --policy free --set iterations=1000
if printf '%s' "$ERR" | grep -q 'will take'; then fail "a short run says nothing of its length" "$ERR"
else pass "a short run says nothing of its length"; fi

# --check-lesson warns about a page that must scroll at 80x24
{ printf '# T\n\n```lesson\nmodule: race\nsummary: s\n```\n\n## Long page\n\n'
  for i in 1 2 3 4 5 6 7 8 9; do printf 'paragraph %s\n\n' "$i"; done; } >"$TMPD/long.md"
run "$il" --check-lesson "$TMPD/long.md"
expect_rc "a page that must scroll is a warning, not an error" 0
expect_err "and --check-lesson says which page, at its line" "long\.md:8: warning: the page 'Long page' needs 17 rows at 80x24"
for f in "$top_srcdir"/lessons/*.md; do
  run "$il" --check-lesson "$f"
  if [ "$RC" -eq 0 ] && [ -z "$ERR" ]; then pass "$(basename "$f"): every page fits at 80x24"
  else fail "$(basename "$f"): every page fits at 80x24" "$ERR"; fi
done

# The shipped lessons and the README point only to lessons that exist
run "$il" --list
for planned in lock-fix; do
  if printf '%s\n' "$OUT" | grep -q "^$planned	"; then continue; fi
  if grep -ln -- "$planned" "$top_srcdir"/lessons/*.md "$top_srcdir/README" >/dev/null 2>&1; then
    fail "nothing points to $planned, which does not exist yet" "$(grep -n -- "$planned" "$top_srcdir"/lessons/*.md "$top_srcdir/README")"
  else pass "nothing points to $planned, which does not exist yet"; fi
done

# --explore: every schedule, on real threads.
run "$il" race --explore
expect_rc "--explore exits 0" 0
expect_out "--explore race 2x1: the issue's figures" \
  '^result: strategy=all schedules=20 shared=6 classes=4 complete=yes outcome\.counter\.1=18 outcome\.counter\.2=2 classes\.counter\.1=2 classes\.counter\.2=2 first_failure='
expect_out "--explore prints a witness per outcome" '^witness counter=1: --schedule [12](,[12])+$'
expect_err "--explore says its speed on stderr" 'explored 20 runs in'
first=$OUT
run "$il" race --explore
if [ "$OUT" = "$first" ]; then pass "--explore prints the same twice"
else fail "--explore prints the same twice" "$(printf '%s\n---\n%s' "$first" "$OUT")"; fi

# Each witness, replayed with --schedule, ends as its outcome says.
for lesson_args in "race" "race --set threads=3" "deadlock" "deadlock --set order=same" \
  "lock-fix --set fix=none --set io_ms=0"; do
  # shellcheck disable=SC2086
  run "$il" $lesson_args --explore
  printf '%s\n' "$OUT" | sed -n 's/^witness \([a-z]*\)=\([a-z0-9]*\): --schedule \(.*\)$/\1 \2 \3/p' >"$TMPD/witnesses"
  n=0
  while read -r key value sched; do
    n=$((n + 1))
    # shellcheck disable=SC2086
    run "$il" $lesson_args --headless --schedule "$sched"
    case $key in
    counter) expect_out "$lesson_args: witness $key=$value replays" "^result: counter=$value " ;;
    end) if [ "$value" = deadlock ]; then
           expect_out "$lesson_args: witness deadlock replays" '^result: deadlock=yes'
         else
           expect_out "$lesson_args: witness complete replays" '^result: deadlock=no'
         fi ;;
    esac
  done <"$TMPD/witnesses"
  want=2
  case $lesson_args in *order=same*) want=1 ;; *threads=3*) want=3 ;; esac
  if [ "$n" -eq "$want" ]; then pass "$lesson_args: --explore finds $want outcome(s)"
  else fail "$lesson_args: --explore finds $want outcome(s)" "$n"; fi
done
run "$il" deadlock --set order=same --explore
expect_out "one lock order: no schedule deadlocks" '^result: strategy=all schedules=[0-9]+ .*outcome\.end\.complete=[0-9]+ classes'

run "$il" race --explore --max-preemptions 0 --set threads=3
expect_out "--max-preemptions 0 gives the 3! serial schedules" '^result: strategy=all schedules=6 .*complete=yes.* outcome\.counter\.3=6 '
run "$il" race --explore --max-schedules 100 --set iterations=3
expect_out "--max-schedules stops early and estimates" '^result: strategy=all schedules=100 .*complete=no estimate=[0-9]+'
expect_out "--max-schedules says how long the rest would take" 'about [0-9]+ runs in all, about [0-9.]+ s more'
run "$il" race --explore=dpor --set iterations=2
expect_out "--explore=dpor: one run per class" '^result: strategy=dpor runs=[0-9]+ blocked=[0-9]+ schedules=([0-9]+) classes=\1 complete=yes'
run "$il" race --explore=random --seed 3 --max-schedules 50
expect_out "--explore=random reports its first failure" '^result: strategy=random schedules=50 .*seed=3 .*first_failure=[0-9]+'
run "$il" deadlock --explore=pct --depth 2 --max-schedules 50
expect_out "--explore=pct names its depth" '^result: strategy=pct schedules=50 .*depth=2 '
run "$il" race --explore=compare
expect_rc "--explore=compare exits 0" 0
expect_out "--explore=compare sets the strategies side by side" '^pct +[0-9]+ +[0-9]+ +[0-9]+ +'
run "$il" io-vs-cpu --explore
expect_rc "--explore on a lesson without steps exits 2" 2
expect_err "--explore on io-vs-cpu says why" 'io-vs-cpu has no controlled steps to explore'
run "$il" race --explore=sideways
expect_rc "--explore with an unknown strategy exits 2" 2
expect_err "--explore names the strategies" "unknown --explore strategy 'sideways'"
run "$il" race --explore --schedule 1,2
expect_rc "--explore with --schedule exits 2" 2
run "$il" race --max-schedules 10
expect_rc "--max-schedules without --explore exits 2" 2
run "$il" race --explore --max-schedules 0
expect_rc "--max-schedules 0 exits 2" 2
run "$il" race --explore --depth 11
expect_rc "--depth above 10 exits 2" 2

# --trace: the file is read back with a real JSON parser (python3's json),
# and PY, statements over what it holds, must pass: d (the object), ev
# (its events), tracks (thread names), states (state slice names), lost
# and dead (lost-update and deadlock instants), flows (s/f events).
trace_ok() {
  if ! command -v python3 >/dev/null 2>&1; then
    fail "$1" "python3 is needed to read the trace"
    return
  fi
  if msg=$(python3 - "$2" "$3" 2>&1 <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
ev = d["traceEvents"]
tracks = {e["args"]["name"] for e in ev
          if e["ph"] == "M" and e["name"] == "thread_name"}
states = {e["name"] for e in ev if e["ph"] == "X" and e.get("cat") == "state"}
lost = [e for e in ev if e["ph"] == "i" and e["name"] == "lost update"]
dead = [e for e in ev if e["ph"] == "i" and e["name"] == "deadlock"]
flows = [e for e in ev if e["ph"] in ("s", "f")]
for e in ev:
    assert e["ph"] == "M" or isinstance(e["ts"], (int, float)), e
    assert e["ph"] != "X" or e["dur"] >= 0, e
exec(sys.argv[2])
PY
  ); then pass "$1"; else fail "$1" "$msg"; fi
}

tr="$TMPD/trace.json"
run "$il" race --headless --policy replay --schedule 1,2,1,2,1,2 --trace "$tr"
expect_rc "--trace: a stepped race exits 0" 0
trace_ok "--trace: stepped race has a track per thread, its states and the lost update" "$tr" '
assert tracks == {"1 A", "2 B"}, tracks
assert {"running", "waiting for its turn"} <= states, states
assert len(lost) == 1 and lost[0]["tid"] == 2, lost
assert lost[0]["args"] == {"var": "counter", "value": 1}, lost
assert lost[0]["ts"] == 5000, lost
assert d["otherData"]["step_us"] == 1000
assert d["otherData"]["runs"] == [{"pid": 1, "clock": "steps"}]'
if [ "$(ls "$TMPD" | grep -c '^trace\.json')" -eq 1 ]; then
  pass "--trace leaves no temporary file behind"
else
  fail "--trace leaves no temporary file behind" "$(ls "$TMPD")"
fi

run "$il" race --headless --policy free --set threads=2 --set iterations=100000 --trace "$tr"
expect_rc "--trace: a free race exits 0" 0
trace_ok "--trace: free race has both tracks, running slices, real time" "$tr" '
assert tracks - {"1 A kernel", "2 B kernel"} == {"1 A", "2 B"}, tracks
assert "running" in states, states
assert d["otherData"]["runs"] == [{"pid": 1, "clock": "ns"}]
assert sum(len(e["args"]) for e in lost) == 2 * len(lost)'

run "$il" deadlock --headless --policy replay --schedule 1,2 --trace "$tr"
expect_rc "--trace: deadlock exits 0" 0
trace_ok "--trace: deadlock has both waits and the cycle as an instant" "$tr" '
assert tracks == {"1 A (T1)", "2 B (T2)"}, tracks
assert {"waiting for lock A", "waiting for lock B"} <= states, states
assert len(dead) == 1, dead
assert dead[0]["args"]["cycle"] == "T1 -> B (held by T2) -> T2 -> A (held by T1) -> T1", dead
assert not lost'

run "$il" lock-fix --headless --policy replay --set fix=mutex --schedule 1,1,1,1,1,2,2,2,2,2 --trace "$tr"
expect_rc "--trace: lock-fix with a mutex exits 0" 0
trace_ok "--trace: lock-fix has a flow from the release by A to the acquire by B" "$tr" '
assert "waiting for lock m" in states, states
s = [e for e in flows if e["ph"] == "s"]
f = [e for e in flows if e["ph"] == "f"]
assert len(s) == 1 and len(f) == 1, flows
assert s[0]["id"] == f[0]["id"] and s[0]["tid"] == 1 and f[0]["tid"] == 2, flows
assert s[0]["ts"] < f[0]["ts"], flows
ops = {(e["tid"], e["name"]) for e in ev if e.get("cat") == "lock" and e["ph"] == "X"}
assert ops == {(1, "acquire m"), (1, "release m"), (2, "acquire m"), (2, "release m")}, ops
assert not lost'

run "$il" io-vs-cpu --headless --set mode=threads --set tasks=2 --set ms=20 --trace "$tr"
expect_rc "--trace: a measured plan exits 0" 0
trace_ok "--trace: each run of the plan is a process with its I/O" "$tr" '
names = [e["args"]["name"] for e in ev if e["name"] == "process_name"]
assert names == ["io-vs-cpu (sequential)", "io-vs-cpu (threads)"], names
assert "blocked on I/O" in states, states
assert {e["pid"] for e in ev} == {1, 2}'

run "$il" race --headless --schedule 1,2 --trace "$TMPD/no-such-dir/t.json"
expect_rc "--trace into a missing folder exits 73" 73
expect_err "and says which file" "cannot write the trace file .*no-such-dir/t.json"
run "$il" race --explore --trace "$tr"
expect_rc "--trace with --explore exits 2" 2

# Ctrl-C during a long headless run leaves neither the file nor its
# temporary file
mkdir "$TMPD/sig"
"$il" race --headless --policy free --set threads=2 --set iterations=100000000 \
  --trace "$TMPD/sig/t.json" >/dev/null 2>&1 &
pid=$!
end=$(($(date +%s) + 30))
while [ -z "$(ls "$TMPD/sig")" ] && [ "$(date +%s)" -le "$end" ]; do sleep 0.05; done
kill -INT "$pid"
wait "$pid"
RC=$?
if [ "$RC" -ne 0 ] && [ -z "$(ls "$TMPD/sig")" ]; then
  pass "--trace: SIGINT removes the temporary file"
else
  fail "--trace: SIGINT removes the temporary file" "rc=$RC" "$(ls "$TMPD/sig")"
fi
# --reset-progress: the progress file under $XDG_STATE_HOME (or
# ~/.local/state) is removed, and the program says what it did.
state="$HOME/.local/state/interleave"
rm -rf "$state" # the screen runs above saved the pages they showed
run "$il" --reset-progress
expect_rc "--reset-progress with no file exits 0" 0
expect_out "--reset-progress says there was nothing" '^no progress to clear$'
mkdir -p "$state" && printf 'interleave-progress 1\npage race 2\n' >"$state/progress"
run "$il" --reset-progress
expect_rc "--reset-progress with a file exits 0" 0
expect_out "--reset-progress names the file it cleared" "^progress cleared: $state/progress\$"
if [ -e "$state/progress" ]; then fail "--reset-progress removes the file"
else pass "--reset-progress removes the file"; fi
XDG_STATE_HOME="$TMPD/xdg-state" run "$il" --reset-progress
expect_out "--reset-progress: XDG_STATE_HOME's file is another" '^no progress to clear$'
mkdir -p "$TMPD/xdg-state/interleave" && : >"$TMPD/xdg-state/interleave/progress"
XDG_STATE_HOME="$TMPD/xdg-state" run "$il" --reset-progress
expect_out "--reset-progress clears under XDG_STATE_HOME" "^progress cleared: $TMPD/xdg-state/interleave/progress\$"
printf 'interleave-progress 1\n' >"$state/progress"
run "$il" --reset-progress race
expect_rc "--reset-progress with a LESSON exits 2" 2
expect_err "--reset-progress with a LESSON says why" 'takes no LESSON'
run "$il" --reset-progress --headless
expect_rc "--reset-progress with another option exits 2" 2
if [ -e "$state/progress" ]; then pass "a refused --reset-progress keeps the file"
else fail "a refused --reset-progress keeps the file"; fi
mkdir -p "$TMPD/xdg-dir/interleave/progress"
XDG_STATE_HOME="$TMPD/xdg-dir" run "$il" --reset-progress
expect_rc "--reset-progress on a directory exits 65" 65
expect_err "--reset-progress on a directory says so" 'is a directory'

finish
