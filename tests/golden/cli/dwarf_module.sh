# Debuginfo: -l/-L against our own test module (tests/fixtures/dwarf-module,
# built here with the Debian kernel headers, which give external modules
# DWARF), and the messages when debuginfo or a function is missing.
# Paths are normalized: TOP (the repository), BUILD (where the module is
# built), RELEASE (the headers' kernel).
build=$(ls -d /lib/modules/*/build 2>/dev/null | sort -V | tail -n 1)
release=$(basename "$(dirname "$build")")
mkdir -p mod && cp "$TOP"/tests/fixtures/dwarf-module/{Kbuild,stp_dwarf_test.c} mod/
make -s -C "$build" M="$PWD/mod" modules >mod/build.log 2>&1 || { echo "module build failed"; cat mod/build.log; }
ko=$PWD/mod/stp_dwarf_test.ko
s() {
	echo "\$ stapc $*" | sed -e "s|$TOP|TOP|g" -e "s|$PWD/mod|BUILD|g" -e "s|$PWD|TMP|g" -e "s|$release|RELEASE|g"
	"$STAPC" "$@" 2>&1 | sed -e "s|$TOP|TOP|g" -e "s|$PWD/mod|BUILD|g" -e "s|$PWD|TMP|g" -e "s|$release|RELEASE|g"
	echo "[exit ${PIPESTATUS[0]}]"
}
# every function of our file, with what is visible after each prologue
s -r "$release" -L "module(\"$ko\").function(\"*@*/stp_dwarf_test.c\")"
s -r "$release" -l "module(\"$ko\").function(\"stp_dwarf_*\")"
s -r "$release" -l "module(\"$ko\").function(\"stp_dwarf_*\").return"
s -r "$release" -L "module(\"$ko\").function(\"stp_dwarf_square\").inline"
s -r "$release" -l "module(\"$ko\").function(\"*@stp_dwarf_test.c:74-90\")"
# statements: the lines of the loop and after it, with the variables there
s -r "$release" -L "module(\"$ko\").statement(\"stp_dwarf_locals@stp_dwarf_test.c:99-103\")"
# all the lines, as stap -L lists them: walked up from the line at the
# entry (stp_dwarf_exit: not its declaration's line, also at that
# address); of an inline function, those of its inlined copy
s -r "$release" -L "module(\"$ko\").statement(\"stp_dwarf_exit@stp_dwarf_test.c:*\")"
s -r "$release" -L "module(\"$ko\").statement(\"stp_dwarf_square@stp_dwarf_test.c:*\")"
# the module found by name under --debuginfo-path
s -r "$release" --debuginfo-path "$PWD/mod" -L 'module("stp_dwarf_test").function("stp_dwarf_params")'
# errors: no such function, no debuginfo (what was looked for)
s -r "$release" -l "module(\"mod/stp_dwarf_test.ko\").function(\"nosuch\")"
s -r "$TOP/tests/fixtures/kernel-tree" -l 'kernel.function("vfs_read@fs/read_write.c:10")'
s -r "$TOP/tests/fixtures/kernel-tree" -l 'kernel.function("vfs_read").inline'
s -r "$TOP/tests/fixtures/kernel-tree" -l 'kernel.statement("vfs_read@fs/read_write.c:10")'
s -r "$TOP/tests/fixtures/kernel-tree" -L 'kernel.function("vfs_read")'
s -r "$release" --debuginfo-path "$PWD/nowhere" -L 'module("no_such_mod").function("f")'
# target variables: unknown (with the alternatives), not accessible at the
# probe address, unknown member, what .return does not support yet
rel=mod/stp_dwarf_test.ko
s -r "$release" -p2 -e "probe module(\"$rel\").function(\"stp_dwarf_params\") { println(\$nosuch) }"
s -r "$release" -p2 -e "probe module(\"$rel\").function(\"stp_dwarf_locals\") { println(\$sum) }"
s -r "$release" -p2 -e "probe module(\"$rel\").function(\"stp_dwarf_params\") { println(\$rec->nosuch) }"
s -r "$release" -p2 -e "probe module(\"$rel\").function(\"stp_dwarf_params\").return { println(\$total) }"
s -r "$release" -p2 -e "probe module(\"$rel\").function(\"stp_dwarf_params\") { println(&\$rec\$) }"
s -r "$release" -p2 -e "probe module(\"$rel\").function(\"stp_dwarf_params\") { println(\$nosuch\$\$) }"
# pretty printing: the text and conversions appended for $rec$ (one level)
# and $$parms$$ (all the way), in SystemTap's format
for v in '$rec$' '$$parms$$'; do
	echo "\$ stapc -p3 ... println($v)"
	"$STAPC" -r "$release" -p3 -e "probe module(\"$rel\").function(\"stp_dwarf_params\") { println($v) }" 2>&1 |
		grep -o 'stp_pp_cat(&stp_pp, "[^"]*")\|stp_pp_[a-z_]*(' | grep -v 'stp_pp_cat($' | tr '\n' ' '
	echo
done
# @cast by module name (also in a function), its member chain and errors:
# unknown type, unknown member, a module without debuginfo, a header that
# does not compile
s -r "$release" --debuginfo-path "$PWD/mod" -p3 -e 'function f(p) { return @cast(p, "struct stp_record", "stp_dwarf_test")->inner->depth } probe begin { println(f(0)) }' | grep -o 'ret = .*;'
s -r "$release" --debuginfo-path "$PWD/mod" -p2 -e 'probe begin { println(@cast(0, "struct nosuch", "stp_dwarf_test")->id) }'
s -r "$release" --debuginfo-path "$PWD/mod" -p2 -e 'probe begin { println(@cast(0, "struct stp_record", "stp_dwarf_test")->nosuch) }'
s -r "$release" --debuginfo-path "$PWD/nowhere" -p2 -e 'probe begin { println(@cast(0, "struct stp_record", "no_such_mod")->id) }'
s -r "$release" -p2 -e 'probe begin { println(@cast(0, "struct sk_buff", "kernel<linux/no_such_header.h>")->len) }'
# @var: unknown variable, unknown file; the symbol table the module
# looks up at start
s -r "$release" --debuginfo-path "$PWD/mod" -p2 -e 'probe begin { println(@var("nosuch", "stp_dwarf_test")) }'
s -r "$release" --debuginfo-path "$PWD/mod" -p2 -e 'probe begin { println(@var("stp_sink@other.c", "stp_dwarf_test")) }'
s -r "$release" --debuginfo-path "$PWD/mod" -p3 -e 'probe begin { println(@var("stp_sink@stp_dwarf_test.c", "stp_dwarf_test") + @var("stp_record_data", "stp_dwarf_test")->id) }' | grep -A4 'stp_dwarf_sym_names\[\]'
# @defined with debuginfo: $rec, $nosuch, members, @cast and @var; the
# branch that names what is not defined is dropped
s -r "$release" --debuginfo-path "$PWD/mod" -p3 -e 'probe module("stp_dwarf_test").function("stp_dwarf_params") { printf("%d %d %d %d %d %d %d\n", @defined($rec), @defined($nosuch), @defined($rec->id), @defined($rec->nosuch), @defined(@cast(0, "struct stp_record", "stp_dwarf_test")->id), @defined(@var("stp_sink", "stp_dwarf_test")), @defined(@var("nosuch", "stp_dwarf_test"))); if (@defined($nosuch)) println($nosuch) else println("no") }' | grep -o 'stp_printf(.*'
# @entry: only in .return probes; of any expression there (computed at entry)
s -r "$release" --debuginfo-path "$PWD/mod" -p2 -e 'probe module("stp_dwarf_test").function("stp_dwarf_params") { println(@entry($number)) }'
s -r "$release" --debuginfo-path "$PWD/mod" -p2 -e 'probe module("stp_dwarf_test").function("stp_dwarf_params").return { println(@entry($rec->id)) }'
# writing target variables needs guru mode; with -g, the store (memory
# fault tolerant, registers in pt_regs)
s -r "$release" --debuginfo-path "$PWD/mod" -p2 -e 'probe module("stp_dwarf_test").function("stp_dwarf_params") { $number = 1 }'
s -r "$release" --debuginfo-path "$PWD/mod" -g -p3 -e 'probe module("stp_dwarf_test").function("stp_dwarf_params") { $number = 1; $rec->id *= 2 }' | grep -o 'stp_dwarf_s[a-z_]*(c, [^"]*'
# a function that is only inlined is probed in the functions it was inlined into
s -r "$release" -p2 -e "probe module(\"$rel\").function(\"stp_dwarf_square\") {}"
# .return lists $return first
s -r "$release" -L "module(\"$ko\").function(\"stp_dwarf_locals\").return"
# .callee("NAME"): the callees found in the caller's DWARF call sites
# (stp_dwarf_locals has two callers), -L with the callee's variables; what
# the handler checks (the calls' return addresses in the caller); errors:
# no such caller, a caller that makes no such call (none with '?'),
# .callee without debuginfo, .callees deeper than 1
s -r "$release" -l "module(\"$ko\").function(\"stp_dwarf_entry\").callee(\"*\")"
s -r "$release" -L "module(\"$ko\").function(\"stp_dwarf_*\").callee(\"stp_dwarf_locals\")"
s -r "$release" -L "module(\"$ko\").function(\"stp_dwarf_entry\").callee(\"stp_dwarf_params@*/stp_dwarf_test.c:74\").return"
s -r "$release" --debuginfo-path "$PWD/mod" -p3 -e 'probe module("stp_dwarf_test").function("stp_dwarf_entry").callee("stp_dwarf_locals") { println($seed) }' | grep 'called_from\|stp_dwarf_returns_0\[\]\|stp_dwarf_sym_names\[\]' -A1
s -r "$release" -p2 -e "probe module(\"$rel\").function(\"nosuch\").callee(\"stp_dwarf_locals\") {}"
s -r "$release" -p2 -e "probe module(\"$rel\").function(\"stp_dwarf_locals\").callee(\"stp_dwarf_params\") {}"
s -r "$release" -p2 -e "probe module(\"$rel\").function(\"stp_dwarf_entry\").callee(\"nosuch\") {}"
s -r "$release" -p2 -e "probe module(\"$rel\").function(\"stp_dwarf_entry\").callee(\"nosuch\")? { } probe begin { exit() }"
s -r "$TOP/tests/fixtures/kernel-tree" -p2 -e 'probe kernel.function("vfs_read").callee("rw_verify_area") {}'
s -r "$release" -p2 -e "probe module(\"$rel\").function(\"stp_dwarf_entry\").callees(2) {}"
# .callees and .callees(1): every callee (.callee("*"))
s -r "$release" -l "module(\"$ko\").function(\"stp_dwarf_other_caller\").callees"
s -r "$release" -l "module(\"$ko\").function(\"stp_dwarf_other_*\").callees(1)"
