#!/bin/sh
# The layer guard: shared code does not know any lesson by name.
#
# The rule: outside src/lessons/ (and the lesson files in lessons/), no C
# source under src/ holds, as a string literal, a lesson id ("race"), a
# module parameter's name ("mode"), one of a parameter's named values
# ("eventloop"), nor, as a character literal, a key a lesson binds ('t').
# A key counts as a binding where shared code dispatches on it
# (case 'x':) or lists it in a key table ({"x", ...). Comments do not
# count: they are stripped before the search. The names come from the
# module table itself (tests/lesson_names), so a new lesson is guarded as
# soon as it is in the table.
#
# A few names are also ordinary words of the shared layers; shared code
# may use these, and only these, for its own meaning:
#   all      the explorer's strategy that runs every schedule
#            (--explore=all)
#   deadlock the result key of a stepped run in which no thread can
#            move (headless adds it for any lesson that does not)
#   io       the name of a thread state (TS_IO) in the event log
#   ms       the unit of time
#   none     the event name of a thread not started yet (TS_NONE), and
#            what a placeholder message lists when there is nothing
#   order    the lesson file's key for the menu order
#   random   the name of the seeded random policy (--policy random)
#   socket   the system call the page server names in its errors
#   strategy the explorer's word for how it searches (strategy=all on
#            its result line)
#   threads  the generic word for a run's lanes
#   workers  a column of the plan's results table
generic=" all deadlock io ms none order random socket strategy threads workers "
. "${top_srcdir:-.}/tests/lib.sh"

names="${top_builddir:-.}/tests/lesson_names"
if ! "$names" >"$TMPD/names"; then
  fail "the module table's names can be listed"
  finish
fi
pass "the module table's names can be listed"

# Every shared C file with its comments removed, as FILE:LINE: text.
for f in $(find "$top_srcdir/src" -name '*.[ch]' ! -path '*/src/lessons/*' | sort); do
  perl -0pe 's{/\*.*?\*/}{my $c = $&; $c =~ s/[^\n]//g; $c}gse; s{//[^\n]*}{}g' "$f" |
    awk -v f="${f#"$top_srcdir"/}" '{ print f ":" NR ": " $0 }'
done >"$TMPD/code"

while read -r kind name; do
  case $kind:$generic in
  key:*) hits=$(grep -F -e "case '$name':" -e "{\"$name\"," "$TMPD/code") ;;
  *" $name "*) continue ;;
  *) hits=$(grep -F -- "\"$name\"" "$TMPD/code") ;;
  esac
  if [ -z "$hits" ]; then
    pass "no $kind $name in shared code"
  else
    fail "no $kind $name in shared code" "$(printf '%s\n' "$hits" | head -n 5)"
  fi
done <"$TMPD/names"
finish
