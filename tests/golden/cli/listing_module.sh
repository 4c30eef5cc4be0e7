# Listing against our test module (tests/fixtures/dwarf-module, built here
# as dwarf_module.sh does): a plain function name is found through the
# symbol table (only the CUs its symbols fall in) and must list exactly
# what the walk over every CU lists - a bracket pattern forces the walk;
# .exported keeps what SystemTap keeps, functions with a global symbol
# (not static ones, not inlined copies).  Paths are normalized: BUILD (where
# the module is built), TOP, RELEASE.
build=$(ls -d /lib/modules/*/build 2>/dev/null | sort -V | tail -n 1)
release=$(basename "$(dirname "$build")")
mkdir -p mod && cp "$TOP"/tests/fixtures/dwarf-module/{Kbuild,stp_dwarf_test.c} mod/
make -s -C "$build" M="$PWD/mod" modules >mod/build.log 2>&1 || { echo "module build failed"; cat mod/build.log; }
ko=$PWD/mod/stp_dwarf_test.ko
rel=mod/stp_dwarf_test.ko	# in messages: carets do not move with the temporary path
norm() { sed -e "s|$TOP|TOP|g" -e "s|$PWD/mod|BUILD|g" -e "s|$PWD|TMP|g" -e "s|$release|RELEASE|g"; }
s() {
	echo "\$ stapc $*" | norm
	"$STAPC" "$@" 2>&1 | norm
	echo "[exit ${PIPESTATUS[0]}]"
}
# the symbol-table way and the walk agree, for -l, -L, .return, .call,
# @FILE filters, statements and an inline-only function (no symbol: walk)
for f in stp_dwarf_params stp_dwarf_locals stp_callback stp_dwarf_write stp_dwarf_init stp_dwarf_square; do
	walk="[${f:0:1}]${f:1}"
	for suffix in '' '.return' '.call' '.inline'; do
		for opt in -l -L; do
			a=$("$STAPC" -r "$release" $opt "module(\"$ko\").function(\"$f\")$suffix" 2>&1 | sed "s|\[${f:0:1}\]|${f:0:1}|g")
			b=$("$STAPC" -r "$release" $opt "module(\"$ko\").function(\"$walk\")$suffix" 2>&1 | sed "s|\[${f:0:1}\]|${f:0:1}|g")
			[ "$a" = "$b" ] && r=same || r="DIFFERENT: $a | $b"
			echo "$opt $f$suffix: $r, $(printf '%s\n' "$a" | grep -c 'function(')"
		done
	done
done
a=$("$STAPC" -r "$release" -L "module(\"$ko\").statement(\"stp_dwarf_locals@stp_dwarf_test.c:99-103\")" 2>&1)
b=$("$STAPC" -r "$release" -L "module(\"$ko\").statement(\"[s]tp_dwarf_locals@stp_dwarf_test.c:99-103\")" 2>&1)
[ "$a" = "$b" ] && echo "statement: same" || echo "statement: DIFFERENT"
s -r "$release" -L "module(\"$rel\").function(\"stp_dwarf_params@*/stp_dwarf_test.c\")"
s -r "$release" -l "module(\"$rel\").function(\"stp_dwarf_params@other.c\")"
# .exported: the global functions only
s -r "$release" -l "module(\"$rel\").function(\"*\").exported"
s -r "$release" -L "module(\"$rel\").function(\"stp_dwarf_params\").exported"
s -r "$release" -l "module(\"$rel\").function(\"stp_callback\").exported"
s -r "$release" -l "module(\"$rel\").function(\"stp_dwarf_square\").exported"
s -r "$release" -p2 -e "probe module(\"$rel\").function(\"stp_dwarf_entry\").exported { println(\$n) }"
s -r "$release" -l "module(\"$rel\").function(\"stp_dwarf_params\").exported.return"
