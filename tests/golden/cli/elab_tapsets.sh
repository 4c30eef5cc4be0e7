# tapsets with aliases, globals and private names: a file is parsed only
# when the script names one of its functions, public globals or aliases
# (pass 1 counts them); private names are not seen from other files
lib=$TOP/tests/fixtures/tapsets-elab
s() {
	echo "\$ stapc $*" | sed "s|$TOP|TOP|g"
	"$STAPC" "$@" 2>&1 | sed -E "s|$TOP|TOP|g; s/[0-9]+usr\/[0-9]+sys\/[0-9]+real/T/"
	echo "[exit ${PIPESTATUS[0]}]"
}
s -v -p2 -I "$lib" -e 'probe elab.start { println(phase, elab_started) }'
s -v -p2 -I "$lib" -e 'probe begin { elab_hits = 5; println(elab_hits, elab_seen()) }'
s -p2 -I "$lib" -e 'probe begin { println(elab_count(), elab_other()) }'
s -p2 -I "$lib" -e 'probe begin { println(bump()) }'
s -v -p2 -I "$lib" -e 'probe begin { seen = 1; println(seen) }'
s -p2 -I "$lib" -e 'probe elab.* ? { println(pp()) }'
# -l lists the alias names a pattern matches, as stap -l does
s -l 'elab.*' -I "$lib"
s -l 'elab.st*' -I "$lib"
