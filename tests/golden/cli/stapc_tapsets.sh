# tapsets: only the files whose functions a script calls are parsed
# (pass 1 counts them), transitively; -I directories come first; a broken
# tapset nobody needs is never parsed
extra=$TOP/tests/fixtures/tapsets-extra
s() {
	echo "\$ stapc $*" | sed "s|$TOP|TOP|g"
	"$STAPC" "$@" 2>&1 | sed -E "s|$TOP|TOP|g; s/[0-9]+usr\/[0-9]+sys\/[0-9]+real/T/"
	echo "[exit ${PIPESTATUS[0]}]"
}
s -v -p2 -I "$extra" -e 'probe begin { println(quadruple(3), greeting("you")); exit() }'
s -p2 -I "$extra" -e 'probe begin { ansi_set_color(31); ansi_reset_color() }'
s -v -p2 -e 'probe begin { println("no library") }'
s -p2 -e 'probe begin { quadruple(1) }'
