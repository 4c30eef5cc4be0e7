#!/bin/bash
# run.sh - userspace tests of stapc and stapr, no kernel needed: pass 1/2/3
# outputs and error messages against checked-in expected files, and the
# command-line behaviour of both tools.  Run with the sanitizer builds
# (make golden), so every path here also runs under ASan and UBSan.
#
#   tests/parse/ok/NAME.stp  + NAME.p1   stapc -p1 prints exactly NAME.p1
#   tests/parse/ko/NAME.stp  + NAME.err  stapc -p1 fails; stderr is NAME.err
#                                        then "1 parse error." and
#                                        "Pass 1: parse failed."
#   tests/sem/ok/NAME.stp    + NAME.p2   stapc -p2 prints exactly NAME.p2 (and NAME.err, if
#                                      present, is exactly its stderr: warnings)
#   tests/sem/ko/NAME.stp    + NAME.err  stapc -p2 fails; stderr is NAME.err
#   tests/golden/p3/NAME.stp + NAME.c    stapc -p3 prints exactly NAME.c
#   (sem and p3 cases: NAME.opts adds stapc options, e.g. -g)
#   tests/golden/cli/NAME.sh + NAME.out  the commands' combined output and
#                                        exit statuses are exactly NAME.out
set -u
export STAPC=$(realpath "$1") STAPR=$(realpath "$2")
cd "$(dirname "$0")/../.."
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1
# passes 2 and 3 see a fixture kernel (its System.map), never the host's
fixture=(-r "$PWD/tests/fixtures/kernel-tree")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0

check() {	# name expected-file actual-file [what]
	if diff -u --label "expected ${4:-output}" --label "actual ${4:-output}" "$2" "$3" >"$tmp/diff"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL $1 (${4:-output})"
		sed 's/^/    /' "$tmp/diff" | head -40
	fi
}

# Every run must also end the way the test expects: a sanitizer report
# shows up on stderr and makes the exit status non-zero.
run() {	# expected-status out err cmd...
	local want=$1 out=$2 err=$3
	shift 3
	"$@" >"$out" 2>"$err"
	local got=$?
	if [ "$got" != "$want" ]; then
		echo "FAIL $*: exit status $got, expected $want"
		sed 's/^/    /' "$err" | head -20
		fail=$((fail + 1))
		return 1
	fi
	return 0
}

for f in tests/parse/ok/*.stp; do
	[ -e "$f" ] || continue
	run 0 "$tmp/out" "$tmp/err" "$STAPC" "${fixture[@]}" -p1 "$f" && check "$f" "${f%.stp}.p1" "$tmp/out" "-p1"
	# what -p1 prints parses again, to the same tree
	run 0 "$tmp/out2" "$tmp/err" "$STAPC" -p1 "$tmp/out" &&
		check "$f" "$tmp/out" "$tmp/out2" "-p1 of -p1"
done

for f in tests/parse/ko/*.stp; do
	[ -e "$f" ] || continue
	{ cat "${f%.stp}.err"; echo "1 parse error."; echo "Pass 1: parse failed."; } >"$tmp/want"
	run 1 "$tmp/out" "$tmp/err" "$STAPC" "${fixture[@]}" -p1 "$f" && check "$f" "$tmp/want" "$tmp/err" "stderr"
done

# NAME.opts (optional): extra stapc options, one line, e.g. -g
opts() { [ -f "${1%.stp}.opts" ] && cat "${1%.stp}.opts"; }

for f in tests/sem/ok/*.stp; do
	[ -e "$f" ] || continue
	run 0 "$tmp/out" "$tmp/err" "$STAPC" "${fixture[@]}" $(opts "$f") -p2 "$f" && check "$f" "${f%.stp}.p2" "$tmp/out" "-p2" &&
		# NAME.err (optional): the warnings it must print
		if [ -f "${f%.stp}.err" ]; then check "$f" "${f%.stp}.err" "$tmp/err" "stderr"; fi
done

for f in tests/sem/ko/*.stp; do
	[ -e "$f" ] || continue
	run 1 "$tmp/out" "$tmp/err" "$STAPC" "${fixture[@]}" $(opts "$f") -p2 "$f" && check "$f" "${f%.stp}.err" "$tmp/err" "stderr"
done

for f in tests/golden/p3/*.stp; do
	[ -e "$f" ] || continue
	run 0 "$tmp/out" "$tmp/err" "$STAPC" "${fixture[@]}" $(opts "$f") -p3 "$f" && check "$f" "${f%.stp}.c" "$tmp/out" "-p3"
done

export TOP=$PWD	# the repository, for fixtures
for f in tests/golden/cli/*.sh; do
	[ -e "$f" ] || continue
	(cd "$tmp" && bash "$OLDPWD/$f") >"$tmp/out" 2>&1
	check "$f" "${f%.sh}.out" "$tmp/out"
done

echo "golden: $pass passed, $fail failed"
[ "$fail" = 0 ]
