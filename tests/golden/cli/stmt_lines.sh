# Statement listing as SystemTap's stap -L does it (its output for this
# program, checked with stap 4.8, is what is expected here), over a
# program built here with -O2 -g: statements of a function that is only
# inlined (none of its own body), walked up from the line at each
# instance's entry (not from its declaration), and -L of a point with
# several inlined copies listing only the variables all copies have.
# Paths are normalized: TMP (where the program is built).
gcc -O2 -g -o stmt_lines "$TOP"/tests/fixtures/stmt-lines/stmt_lines.c || echo "gcc failed"
s() {
	echo "\$ stapc $*" | sed -e "s|$TOP|TOP|g" -e "s|$PWD|TMP|g"
	"$STAPC" "$@" 2>&1 | sed -e "s|$TOP|TOP|g" -e "s|$PWD|TMP|g"
	echo "[exit ${PIPESTATUS[0]}]"
}
p="process(\"$PWD/stmt_lines\")"
at() { grep -n "$1" "$TOP"/tests/fixtures/stmt-lines/stmt_lines.c | cut -d: -f1; }	# the line of
s -L "$p.statement(\"scale@stmt_lines.c:*\")"
s -L "$p.statement(\"*@stmt_lines.c:*\")"
s -L "$p.function(\"scale\")"
s -l "$p.function(\"scale\")"
# a line of the range, in each copy
s -L "$p.statement(\"scale@stmt_lines.c:$(at "int t = v \\* k;")\")"
# a local on the stack in an inlined copy: its frame base is that of the
# function the copy was inlined into (main)
echo "\$ stapc -p3 ... statement(\"label@stmt_lines.c:$(at "return puts(buf);")\") { println(\$buf[0]) }"
"$STAPC" -p3 -e "probe $p.statement(\"label@stmt_lines.c:$(at "return puts(buf);")\") { println(\$buf[0]) }" 2>&1 |
	grep -A1 '^	/\* <input>:1:' | tail -n 1 | sed -e 's/"near identifier[^"]*"/W/g' -e 's/^\t//'
# a function with an out-of-line body and an inlined copy: .inline lists
# the copy; without it, one line with the variables both have
s -L "$p.function(\"twice\").inline"
s -L "$p.function(\"twice\")"
s -L "$p.statement(\"twice@stmt_lines.c:*\")"
# a partially inlined function: its outlined rest (lookup.part.0) is no
# entry to it, neither probed nor listed as lookup; its inlined heads are
s -L "$p.function(\"lookup\")"
s -L "$p.statement(\"lookup@stmt_lines.c:*\")"
# a function only inlined compiles too: probed at its inlined copy
s -p2 -e "probe $p.function(\"label\") { println(\$n) }"
# a line with no records in the function: SystemTap's message, with the
# nearest lines that have some
s -L "$p.statement(\"scale@stmt_lines.c:$(($(at "int t = v \\* k;") + 1))\")"
# its outlined rest is not a function of its own either
s -L "$p.function(\"look*\")"
