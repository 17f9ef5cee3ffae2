# The tmux harness the screen tests share: a private tmux server at a
# fixed size, captures with and without colour, and waits that poll the
# pane until a deadline (nothing waits a fixed time). Sourced after
# lib.sh; il must name the binary. Without tmux the test is skipped.
if ! command -v tmux >/dev/null 2>&1; then
  echo "ok $((TAP_N + 1)) # SKIP tmux is not installed"
  TAP_N=$((TAP_N + 1))
  finish
fi

DEADLINE=${TUI_DEADLINE:-30} # seconds per wait: generous for a loaded box
NSOCK=0
SOCK="il-test-$$-0"
SEED=$$ # tags this test's processes for pgrep
# -u: the server speaks UTF-8 whatever the test's own locale is.
T() { tmux -u -L "$SOCK" -f /dev/null "$@"; }
trap 'T kill-server 2>/dev/null; rm -rf "$TMPD"' EXIT

cap() { T capture-pane -p -t il 2>/dev/null; }
capc() { T capture-pane -e -p -t il 2>/dev/null; } # with colours

# wait_for NAME PATTERN: poll the pane until grep -E PATTERN matches.
wait_for() {
  end=$(($(date +%s) + DEADLINE))
  while [ "$(date +%s)" -le "$end" ]; do
    if cap | grep -Eq -- "$2"; then pass "$1"; return 0; fi
    T has-session -t il 2>/dev/null || break # the pane is gone
    sleep 0.05
  done
  fail "$1" "no /$2/ on screen within ${DEADLINE}s" "$(cap | sed 's/^/| /')"
  return 1
}

# wait_file NAME FILE PATTERN: poll a file until it matches.
wait_file() {
  end=$(($(date +%s) + DEADLINE))
  while [ "$(date +%s)" -le "$end" ]; do
    if [ -f "$2" ] && grep -Eq -- "$3" "$2"; then pass "$1"; return 0; fi
    sleep 0.05
  done
  fail "$1" "$2 lacks /$3/ within ${DEADLINE}s" "$(cat "$2" 2>/dev/null)"
  return 1
}

# start_shell [LANG [TERM [NO_COLOR]]]: a fresh session running an
# interactive bash (for job control), 100x30, with a known environment.
# TERM is set by the pane's command: tmux would give the pane its own
# default-terminal whatever -e says.
start_shell() {
  # A new server each time: a killed one may still hold its socket.
  T kill-server 2>/dev/null
  NSOCK=$((NSOCK + 1))
  SOCK="il-test-$$-$NSOCK"
  T new-session -d -s il -x 100 -y 30 \
    -e "LANG=${1:-C.UTF-8}" -e "LC_ALL=${1:-C.UTF-8}" \
    -e "NO_COLOR=${3:-}" -e "XDG_STATE_HOME=$TMPD/state" \
    "env TERM=${2:-xterm-256color} bash --norc --noprofile -i"
  T set-option -g window-size manual 2>/dev/null
}

# run_in_pane ARGS: run interleave with ARGS in a child shell that records
# stty before and after and the exit status. The child shell shares the
# job, so Ctrl-C reaches both (it traps INT to go on) and Ctrl-Z stops
# both until fg.
run_in_pane() {
  rm -f "$TMPD/before" "$TMPD/after" "$TMPD/rc"
  T send-keys -t il "bash -c 'trap : INT; stty -a > $TMPD/before; $il $1 --seed $SEED; echo rc=\$? > $TMPD/rc; stty -a > $TMPD/after'" Enter
}

il_pid() { pgrep -f "^$il .*--seed $SEED\$" | head -n 1; }

alt_screen() { T display -p -t il '#{alternate_on}'; }

# restored NAME: the terminal modes are as before and the alternate screen
# is gone.
restored() {
  wait_file "$1: the shell is back" "$TMPD/after" 'speed'
  if cmp -s "$TMPD/before" "$TMPD/after"; then pass "$1: stty -a is unchanged"
  else fail "$1: stty -a is unchanged" "$(diff "$TMPD/before" "$TMPD/after")"; fi
  if [ "$(alt_screen)" = 0 ]; then pass "$1: left the alternate screen"
  else fail "$1: left the alternate screen"; fi
}

