# User programs: -l/-L over a program of ours built here with -g (its DWARF)
# and without it (its symbol table), and the errors. Paths are normalized:
# TMP (where the programs are built).
gcc -O1 -g -o nested_g "$TOP"/tests/fixtures/uprobe-prog/nested.c || echo "gcc failed"
gcc -O1 -o nested "$TOP"/tests/fixtures/uprobe-prog/nested.c || echo "gcc failed"
s() {
	echo "\$ stapc $*" | sed -e "s|$TOP|TOP|g" -e "s|$PWD|TMP|g"
	"$STAPC" "$@" 2>&1 | sed -e "s|$TOP|TOP|g" -e "s|$PWD|TMP|g"
	echo "[exit ${PIPESTATUS[0]}]"
}
# with DWARF: the functions of our file with their variables, as stap -L
s -L "process(\"$PWD/nested_g\").function(\"*@*nested.c\")"
s -L "process(\"$PWD/nested_g\").function(\"walk\").return"
s -L "process(\"$PWD/nested_g\").function(\"square\").inline"
s -l "process(\"$PWD/nested_g\").function(\"*@*nested.c:19\")"
# without: by symbol
s -l "process(\"$PWD/nested\").function(\"walk\")"
s -l "process(\"$PWD/nested\").function(\"ma*\").return"
# errors
s -l "process(\"$PWD/nested\").function(\"walk@nested.c\")"
s -l "process(\"$PWD/nested\").function(\"nosuch\")"
s -l "process(\"$PWD/nosuch\").function(\"main\")"
s -p2 -e "probe process(\"$PWD/nested\").function(\"walk\") { println(\$count) }"
s -p2 -e "probe process(\"$PWD/nested_g\").function(\"walk\").return { println(\$count) }"
# .return: the parameters (saved at entry), and one it has not
s -p2 -e "probe process(\"$PWD/nested_g\").function(\"walk\").return { println(\$nosuch) }"
# a process's begin and end, of the program and of any
s -l "process(\"$PWD/nested\").begin"
s -L "process.end"
# @entry(EXPR) in .return: numbers, computed at entry; not strings yet
s -p2 -e "probe process(\"$PWD/nested_g\").function(\"walk\").return { println(@entry(\$count * 2)) }"
s -p2 -e "probe process(\"$PWD/nested_g\").function(\"walk\").return { println(@entry(sprint(\$count))) }"
