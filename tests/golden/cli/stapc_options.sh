# stapc's command line: what it accepts, and a clear usage error (exit 1)
# for what it does not.  Timings are masked; everything else is exact.
s() {
	echo "\$ stapc $*"
	"$STAPC" "$@" 2>&1 | sed -E 's/[0-9]+usr\/[0-9]+sys\/[0-9]+real/Tusr\/Tsys\/Treal/; s/stapc[A-Za-z0-9]{6}/stapcXXXXXX/g'
	echo "[exit ${PIPESTATUS[0]}]"
}
s --bogus
s -Q
s -x abc -e "probe begin {}"
s -p2 -x 42 -e "probe begin { println(target()) }"
s -p
s -p 7 -e 'probe begin {}'
s -m 9bad -e 'probe begin {}'
s -m has-dash -e 'probe begin {}'
s -D 'bad name' -e 'probe begin {}'
s
s -V
s -h | head -3
s -p1 -e 'probe begin { println("hi") }'
s -v -p2 -e 'probe begin { println("hi") }'
s -v -p3 -e 'probe begin { }' | grep '^Pass'
echo 'probe begin { exit() }' > from_file.stp
s -p2 from_file.stp
echo 'probe end { exit() }' | s -p2 -
s -p1 /nonexistent/script.stp
s -p4 -r /nonexistent/tree -e 'probe begin {}'
s -p4 -r 0.0.0-no-such-release -e 'probe begin {}'
s -p1 -e 'probe begin {' extra args are script arguments
s -w -p2 -e 'probe begin { println(x . "") }'
s -p2 -e 'probe begin { println(x . "") }'
# -k keeps the directory with the generated C, and says where
kept=$("$STAPC" -k -p3 -e 'probe begin { }' 2>&1 >/dev/null | sed -n 's/^Keeping temporary directory "\(.*\)"$/\1/p')
echo "kept: $(ls "$kept" | sed 's/stap_[0-9a-f]*/stap_HASH/')"
rm -rf "$kept"
# script arguments: $N as a number, @N as a string, $# the count
s -p1 -e 'probe begin { printf("%d %s %d\n", $1, @2, $#) }' 7 x
s -p1 -e 'probe begin { print($2) }' 7
s -p1 -e 'probe begin { print($1) }' notanumber
