#!/bin/sh
# The screen front end's CPU use, from /proc/PID/stat, with the real
# binary in a private tmux server:
#  - paused: a lesson left open for 10 s (target: at most 0.5% of a core);
#  - a free run drawn live at full rate, side by side with the same run
#    headless, so the cost of drawing is a ratio measured in one go;
#  - the UI thread alone (the main thread: /proc/PID/task/PID/stat) over
#    5 s of a long free race run on a 132x40 pane, drawing at 30 frames a
#    second (target: at most 5% of a core), and the events dropped by
#    then (the shared panel shows "dropped N" once any is; target 0).
il=${INTERLEAVE:-src/interleave}
command -v tmux >/dev/null 2>&1 || { echo "bench_tui: tmux is not installed; skipped"; exit 0; }
SOCK="il-bench-$$"
SEED=$$
T() { tmux -u -L "$SOCK" -f /dev/null "$@"; }
trap 'T kill-server 2>/dev/null; SOCK="il-bench-$$-ui"; T kill-server 2>/dev/null' EXIT
HZ=$(getconf CLK_TCK)

# cpu_ticks PID: utime + stime in clock ticks.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
# thread_ticks PID TID: the same for one thread.
thread_ticks() { awk '{ print $14 + $15 }' "/proc/$1/task/$2/stat"; }
now_ms() { date +%s%3N; }
wait_screen() {
  end=$(($(date +%s) + 60))
  while [ "$(date +%s)" -le "$end" ]; do
    T capture-pane -p -t b | grep -Eq -- "$1" && return 0
    sleep 0.05
  done
  echo "bench_tui: the screen never showed /$1/" >&2
  exit 1
}

T new-session -d -s b -x 200 -y 60 -e LANG=C.UTF-8 -e TERM=xterm-256color \
  "$il race --seed $SEED; sleep 600"
wait_screen "STEP  step 0"
pid=$(pgrep -f "^$il race --seed $SEED\$" | head -n 1)
t0=$(cpu_ticks "$pid"); w0=$(now_ms)
sleep 10 # the measurement window itself
t1=$(cpu_ticks "$pid"); w1=$(now_ms)
awk -v t="$((t1 - t0))" -v hz="$HZ" -v ms="$((w1 - w0))" 'BEGIN {
  pct = 100 * (t / hz) / (ms / 1000)
  printf "paused 10 s: %d ticks = %.2f%% of a core (target <= 0.5%%) %s\n",
    t, pct, pct <= 0.5 ? "ok" : "OVER TARGET" }'
T kill-server
pid=

# A free run: headless, then on a 200x60 screen, same parameters.
args="race --policy free --set threads=4 --set iterations=3000000"
w0=$(now_ms)
# bash's times: the second line is the children's user and system time
h_cpu=$(bash -c "$il $args --headless >/dev/null; times" | tail -n 1 |
  awk '{ n = split($0, f, " "); s = 0
         for (i = 1; i <= n; i++) { split(f[i], p, "m"); s += p[1] * 60 + p[2] }
         print s }')
w1=$(now_ms)
h_wall=$((w1 - w0))

T new-session -d -s b -x 200 -y 60 -e LANG=C.UTF-8 -e TERM=xterm-256color \
  "bash --norc --noprofile"
T send-keys -t b "$il $args --seed $SEED" Enter
end=$(($(date +%s) + 60))
while [ -z "${pid:-}" ] || ! kill -0 "$pid" 2>/dev/null; do
  pid=$(pgrep -f "^$il $args --seed $SEED\$" | head -n 1)
  [ "$(date +%s)" -gt "$end" ] && { echo "bench_tui: no free run" >&2; exit 1; }
done
w0=$(now_ms)
last=0
while kill -0 "$pid" 2>/dev/null; do
  if T capture-pane -p -t b | grep -q 'DONE'; then break; fi
  last=$(cpu_ticks "$pid" 2>/dev/null || echo "$last")
  sleep 0.02
done
w1=$(now_ms)
last=$(cpu_ticks "$pid" 2>/dev/null || echo "$last")
awk -v hc="$h_cpu" -v hw="$h_wall" -v t="$last" -v hz="$HZ" -v w="$((w1 - w0))" 'BEGIN {
  tc = t / hz
  printf "free run 4x3M: headless %.2f s wall, %.2f s CPU; on screen %.2f s wall, %.2f s CPU\n", hw / 1000, hc, w / 1000, tc
  printf "drawing live costs %.2fx the wall time and %.2fx the CPU of the headless run\n", (w / 1000) / (hw / 1000), tc / hc }'
T kill-server
pid=

# The UI thread during a free run at 132x40: the run is long (100M
# increments a thread), so it is still going when the 5 s window ends.
# A server of its own: the last one may still be on its way out.
SOCK="il-bench-$$-ui"
args="race --policy free --set threads=4 --set iterations=100000000"
T new-session -d -s b -x 132 -y 40 -e LANG=C.UTF-8 -e TERM=xterm-256color \
  "bash --norc --noprofile"
T send-keys -t b "$il $args --seed $SEED" Enter
end=$(($(date +%s) + 60))
while [ -z "${pid:-}" ]; do
  pid=$(pgrep -f "^$il $args --seed $SEED\$" | head -n 1)
  [ "$(date +%s)" -gt "$end" ] && { echo "bench_tui: no free run" >&2; exit 1; }
done
wait_screen "FREE +[0-9.]+ (ms|s)"
sleep 0.5 # past the start-up frames
t0=$(thread_ticks "$pid" "$pid"); w0=$(now_ms)
sleep 5 # the measurement window itself
t1=$(thread_ticks "$pid" "$pid"); w1=$(now_ms)
screen=$(T capture-pane -p -t b)
if ! echo "$screen" | grep -Eq 'FREE +[0-9.]+ (ms|s)'; then
  echo "bench_tui: the free run ended inside the window; the figure below is low" >&2
fi
dropped=$(echo "$screen" | sed -n 's/.*dropped  *\([0-9][0-9]*\).*/\1/p' | head -n 1)
T send-keys -t b q
awk -v t="$((t1 - t0))" -v hz="$HZ" -v ms="$((w1 - w0))" -v d="${dropped:-0}" 'BEGIN {
  pct = 100 * (t / hz) / (ms / 1000)
  printf "free run 4x100M at 132x40, UI thread over %.1f s: %d ticks = %.2f%% of a core (target <= 5%%) %s\n",
    ms / 1000, t, pct, pct <= 5 ? "PASS" : "MISSED"
  printf "dropped events by then: %d (target 0) %s\n", d, d == 0 ? "PASS" : "MISSED" }'
