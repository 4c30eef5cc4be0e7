# procfs points list as SystemTap writes them; -L shows $value
s() {
	echo "\$ stapc $*"
	"$STAPC" "$@" 2>&1
	echo "[exit ${PIPESTATUS[0]}]"
}
s -l 'procfs("status").read'
s -L 'procfs("status").write'
s -L 'procfs.read'
