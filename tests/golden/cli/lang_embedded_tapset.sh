# embedded C: allowed in tapset files (-I directories) without -g, as in
# SystemTap; in the user's script it needs -g
lib=$TOP/tests/fixtures/tapsets-embedded
s() {
	echo "\$ stapc $*" | sed "s|$TOP|TOP|g"
	"$STAPC" "$@" 2>&1 | sed -E "s|$TOP|TOP|g"
	echo "[exit ${PIPESTATUS[0]}]"
}
s -p2 -I "$lib" -e 'probe begin { println(lib_add(1)) }'
s -p3 -r "$TOP/tests/fixtures/kernel-tree" -I "$lib" -e 'probe begin { println(lib_add(1)) }' | grep -E '^\$ stapc|EMBEDDED_LIB_BASE|STAP_ARG_a|\[exit'
s -p2 -e '%{ #define X 1 %} probe begin { println(%{ X %}) }'
s -p2 -g -e '%{ #define X 1 %} probe begin { println(%{ X %}) }'
