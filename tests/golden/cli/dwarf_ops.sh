# Debuginfo location forms of optimized code, against our second test
# module (tests/fixtures/dwarf-ops-module, built here with the kernel's
# -O2 and -g): that gcc did emit them, -L with such variables, the C that
# reads them (-p3), and the errors for what they cannot do.  Paths are
# normalized as in dwarf_module.sh.
build=$(ls -d /lib/modules/*/build 2>/dev/null | sort -V | tail -n 1)
release=$(basename "$(dirname "$build")")
mkdir -p mod && cp "$TOP"/tests/fixtures/dwarf-ops-module/{Kbuild,stp_dwarf_ops.c} mod/
make -s -C "$build" M="$PWD/mod" modules >mod/build.log 2>&1 || { echo "module build failed"; cat mod/build.log; }
ko=$PWD/mod/stp_dwarf_ops.ko
norm() { sed -e "s|$TOP|TOP|g" -e "s|$PWD/mod|BUILD|g" -e "s|$PWD|TMP|g" -e "s|$release|RELEASE|g"; }
s() {
	echo "\$ stapc $*" | norm
	"$STAPC" "$@" 2>&1 | norm
	echo "[exit ${PIPESTATUS[0]}]"
}
# the forms this file is about are in the module's DWARF
for form in DW_OP_piece DW_OP_stack_value DW_OP_implicit_value DW_OP_entry_value DW_AT_const_value; do
	n=$(readelf --debug-dump=info,loc "$ko" 2>/dev/null | grep -c "$form")
	[ "$n" -gt 0 ] && echo "$form: present" || echo "$form: MISSING"
done
m="module(\"mod/stp_dwarf_ops.ko\")"	# relative: columns in messages do not depend on TMP
# -L lists them with their types, like any variable
s -r "$release" -L "$m.function(\"stp_dwops_*\")"
s -r "$release" -L "$m.statement(\"stp_dwops_split@stp_dwarf_ops.c:50\")"
s -r "$release" -L "$m.statement(\"stp_dwops_computed@stp_dwarf_ops.c:63\")"
s -r "$release" -L "$m.statement(\"stp_dwops_after_call@stp_dwarf_ops.c:73\")"
# at a function's entry (before the 5-byte call to __fentry__), a variable
# whose location list starts after that call is listed as SystemTap does
s -r "$release" -L "$m.statement(\"stp_dwops_wide@stp_dwarf_ops.c:132\")"
# the C reading them: pieces gathered from two registers, a struct in one
# register shifted, a piece computed from a register, a computed value,
# a constant
p3() {	# the handler's statement for the script in $2 at point $1
	echo "\$ stapc -p3 ... $1 { $2 }"
	"$STAPC" -r "$release" -p3 -e "probe $m.$1 { $2 }" 2>&1 | grep -A1 '^	/\* <input>:1:' | tail -n 1 |
		sed -e 's/"near identifier[^"]*"/W/g' -e 's/^\t//'
}
p3 'function("stp_dwops_pieces")' 'println($p->hi + $s->y)'
p3 'statement("stp_dwops_split@stp_dwarf_ops.c:50")' 'println($q->hi)'
p3 'statement("stp_dwops_computed@stp_dwarf_ops.c:63")' 'println($twice + $answer + $fixed->y)'
# an entry value: a kprobe at the function's entry (offset 0) saves %di
# for this thread before the statement's probe reads it
echo "\$ stapc -p3 ... statement(\"stp_dwops_after_call@stp_dwarf_ops.c:73\") { println(\$n) }"
"$STAPC" -r "$release" -p3 -e "probe $m.statement(\"stp_dwops_after_call@stp_dwarf_ops.c:73\") { println(\$n) }" 2>&1 |
	grep -E 'stp_dwarf_entry\(c|regs->|\.pre = ' | sed -e 's/"near identifier[^"]*"/W/g' -e 's/^\t//'
# errors: no address for what is not in memory; writes (guru mode) to what
# has no place to write.  Then a .return probe's parameter in pieces at
# entry: its entry part reads it there
s -r "$release" -p2 -e "probe $m.function(\"stp_dwops_pieces\") { println(&\$p + &\$s) }"
s -r "$release" -p2 -e "probe $m.statement(\"stp_dwops_computed@stp_dwarf_ops.c:63\") { println(&\$twice + &\$answer) }"
s -r "$release" -g -p2 -e "probe $m.statement(\"stp_dwops_computed@stp_dwarf_ops.c:63\") { \$twice = 1; \$answer = 2 }"
s -r "$release" -g -p2 -e "probe $m.statement(\"stp_dwops_after_call@stp_dwarf_ops.c:73\") { \$n = 3 }"
# (a member of a struct in a register is only part of it: not writable;
# a member that is a whole piece is its register: writable)
s -r "$release" -g -p2 -e "probe $m.function(\"stp_dwops_pieces\") { \$s->x = 1; \$p->lo = 2 }"
echo "\$ stapc -p3 ... function(\"stp_dwops_pieces\").return { println(\$p->hi) }"
"$STAPC" -r "$release" -p3 -e "probe $m.function(\"stp_dwops_pieces\").return { println(\$p->hi) }" 2>&1 |
	grep -E 'stp_dwarf_entry_(set|expr)\(' | sed -e 's/"near [^"]*"/W/g' -e 's/^\t*//'
# @entry(EXPR) in a .return probe: an entry part computes it in the
# kretprobe's entry handler and saves it after the registers; strings get
# MAXSTRINGLEN bytes each after the numbers
echo "\$ stapc -p3 ... function(\"stp_dwops_after_call\").return { println(@entry(\$n * 2) + \$return) }"
"$STAPC" -r "$release" -p3 -e "probe $m.function(\"stp_dwops_after_call\").return { println(@entry(\$n * 2) + \$return) }" 2>&1 |
	grep -E 'stp_dwarf_entry_(set|expr)\(|saved\[|stp_kprobe_hit|data_size' | sed -e 's/"near [^"]*"/W/g' -e 's/^\t*//'
echo "\$ stapc -p3 ... function(\"stp_dwops_after_call\").return { println(@entry(sprint(\$n))) }"
"$STAPC" -r "$release" -p3 -e "probe $m.function(\"stp_dwops_after_call\").return { println(@entry(sprint(\$n))) }" 2>&1 |
	grep -E 'stp_dwarf_entry_(set_str|str)\(|data_size' | sed -e 's/"near [^"]*"/W/g' -e 's/^\t*//'
s -r "$release" -p2 -e "probe $m.function(\"stp_dwops_after_call\") { println(@entry(\$n + 1)) }"
# 16 bytes (an __int128 constant, a DW_OP_implicit_value): no script
# number holds it; $big$ prints it as "?"
s -r "$release" -L "$m.statement(\"stp_dwops_wide@stp_dwarf_ops.c:136\")"
s -r "$release" -p2 -e "probe $m.statement(\"stp_dwops_wide@stp_dwarf_ops.c:136\") { println(\$big) }"
echo "\$ stapc -p3 ... statement(\"stp_dwops_wide@stp_dwarf_ops.c:136\") { println(\$big\$) }"
"$STAPC" -r "$release" -p3 -e "probe $m.statement(\"stp_dwops_wide@stp_dwarf_ops.c:136\") { println(\$big\$) }" 2>&1 |
	grep -o 'stp_pp_cat(&stp_pp, "[^"]*")\|stp_pp_[a-z_]*(' | grep -v 'stp_pp_cat($' | tr '\n' ' '
echo
