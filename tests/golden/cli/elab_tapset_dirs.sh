# tapset directories have version and architecture subdirectories, the
# most specific first; a file there replaces the general one of its name
# (the fixture kernel tree is release 6.1.0-fixture-amd64, x86_64)
lib=$TOP/tests/fixtures/tapsets-versioned
tree=$TOP/tests/fixtures/kernel-tree
s() {
	echo "\$ stapc $*" | sed "s|$TOP|TOP|g"
	"$STAPC" "$@" 2>&1 | sed -E "s|$TOP|TOP|g; s/[0-9]+usr\/[0-9]+sys\/[0-9]+real/T/"
	echo "[exit ${PIPESTATUS[0]}]"
}
s -p2 -r "$tree" -I "$lib" -e 'probe begin { println(tv_where(), tv_arch(), tv_exact()) }'
s -p2 -r "$tree" -I "$lib" -e 'probe begin { println(tv_base()) }'
s -p2 -r "$tree" -I "$lib" -e 'probe begin { println(tv_old()) }'
s -p2 -r 5.10.0-1-amd64 -I "$lib" -e 'probe begin { println(tv_where(), tv_base(), tv_old()) }'
# where each function came from (pass 3 names the file of each function)
echo "\$ stapc -p3 ... | grep 'function .* at'"
"$STAPC" -p3 -r "$tree" -I "$lib" -e 'probe begin { println(tv_where(), tv_arch(), tv_exact()) }' 2>&1 |
	grep -o 'function tv_[a-z]* at [^ ]*' | sed "s|$TOP|TOP|g"
"$STAPC" -p3 -r 5.10.0-1-amd64 -I "$lib" -e 'probe begin { println(tv_where(), tv_old()) }' 2>&1 |
	grep -o 'function tv_[a-z]* at [^ ]*' | sed "s|$TOP|TOP|g"
