# lib.sh - what the VM test runners share (tests/vm/run.sh and
# tests/arm64/run.sh): comparing a case's output and counting results.
# Expects $work, $release (and optionally $fake_release) to be set.
pass=0
fail=0
failed_names=""

expect() {	# expected file with substitutions, or empty
	if [ -f "$1" ]; then
		sed -e "s/@FAKE_RELEASE@/${fake_release:-@FAKE_RELEASE@}/g" \
		    -e "s/@RELEASE@/$release/g" "$1"
	fi
}

compare() {	# name what expected-file actual-file
	if ! diff -u --label "expected $2" --label "actual $2" "$3" "$4" >"$work/diff" 2>&1; then
		echo "FAIL $1: $2 differs"
		sed 's/^/    /' "$work/diff"
		return 1
	fi
	return 0
}

record() {	# name ok?
	if [ "$2" = 0 ]; then
		pass=$((pass + 1))
		echo "ok   $1"
	else
		fail=$((fail + 1))
		failed_names="$failed_names $1"
	fi
}
