# Shared helpers for the shell tests: TAP output and assertions.
# A test script sources this, runs checks, and ends with finish (the plan
# comes last).

: "${INTERLEAVE:=$top_builddir/src/interleave}"
: "${top_srcdir:=.}"
TAP_N=0
TAP_FAILED=0
TMPD=$(mktemp -d "${TMPDIR:-/tmp}/il-test.XXXXXX")
trap 'rm -rf "$TMPD"' EXIT


pass() { TAP_N=$((TAP_N + 1)); echo "ok $TAP_N - $1"; }

fail() {
  TAP_N=$((TAP_N + 1)); TAP_FAILED=$((TAP_FAILED + 1))
  echo "not ok $TAP_N - $1"
  shift
  for line in "$@"; do printf '#   %s\n' "$line"; done
}

# run CMD...: run the program, capturing stdout, stderr and the exit status.
run() {
  "$@" >"$TMPD/out" 2>"$TMPD/err" </dev/null
  RC=$?
  OUT=$(cat "$TMPD/out")
  ERR=$(cat "$TMPD/err")
}

# expect_rc NAME WANT: the last run's exit status.
expect_rc() {
  if [ "$RC" -eq "$2" ]; then pass "$1"
  else fail "$1" "exit status $RC, want $2" "stderr: $ERR"; fi
}

# expect_out NAME PATTERN / expect_err NAME PATTERN: grep -E in stdout / stderr.
expect_out() {
  if printf '%s\n' "$OUT" | grep -Eq -- "$2"; then pass "$1"
  else fail "$1" "stdout lacks /$2/" "stdout: $(printf '%s' "$OUT" | head -c 600)"; fi
}
expect_err() {
  if printf '%s\n' "$ERR" | grep -Eq -- "$2"; then pass "$1"
  else fail "$1" "stderr lacks /$2/" "stderr: $ERR"; fi
}

finish() { echo "1..$TAP_N"; exit $((TAP_FAILED > 0)); }
