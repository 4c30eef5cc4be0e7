#!/usr/bin/env python3
# compare_pretty.py FUNC... - not a test: compares the $$parms$ and
# $$parms$$ formats stapc generates for kernel functions with what
# SystemTap's stap -p2 expands them to (Debian's stap 4.8, the Debian
# kernel's DWARF from tests/vm/debuginfo.sh, or $DEBUGINFO).  stap's %s of each pretty-printed
# variable is replaced with that variable's own sprintf format; stapc's
# stp_pp_* calls are turned back into the same conversions.
import os, re, subprocess, sys
release = '6.1.0-57-amd64'
TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
dbg = os.environ.get('DEBUGINFO') or subprocess.run([TOP + '/tests/vm/debuginfo.sh', release], capture_output=True, text=True, check=True).stdout.strip()
funcs = sys.argv[1:]
same = n = 0
env = dict(os.environ, SYSTEMTAP_DEBUGINFO_PATH=dbg)
for f in funcs:
    for v in ('$$parms$', '$$parms$$'):
        scr = 'probe kernel.function("%s") { println(%s) }' % (f, v)
        out = subprocess.run(['stap', '-r', release, '-p2', '-v', '-u', '-e', scr], capture_output=True, text=True, env=env).stdout
        fmts = {}
        for m in re.finditer(r'^__private__input___dwarf_pretty_print_(\d+):string \(\)\n\{ try \{\nreturn sprintf\("((?:[^"\\]|\\.)*)"', out, re.M):
            fmts[m.group(1)] = m.group(2)
        top = re.search(r'println\(sprintf\("((?:[^"\\]|\\.)*)"((?:, __private__input___dwarf_pretty_print_\d+\(\))*)\)\);', out)
        if not top:
            print("NOSTAP", f, v); continue
        order = re.findall(r'pretty_print_(\d+)\(\)', top.group(2))
        parts = top.group(1).split('%s')
        exp = parts[0]
        for i, k in enumerate(order):
            exp += fmts.get(k, '??') + parts[i + 1]
        c = subprocess.run([TOP + '/build/stapc', '-r', release, '--debuginfo-path', dbg, '-p3', '-e', scr], capture_output=True, text=True).stdout
        got = ''
        for m in re.finditer(r'stp_pp_cat\(&stp_pp, "((?:[^"\\]|\\.)*)"\)|(stp_pp_(?:int|uint|ptr|char|string))\(', c):
            if m.group(1) is not None: got += m.group(1)
            else: got += {'stp_pp_int': '%i', 'stp_pp_uint': '%u', 'stp_pp_ptr': '%p', 'stp_pp_char': "'%#c'", 'stp_pp_string': '%s'}[m.group(2)]
        n += 1
        if got == exp:
            same += 1; print("SAME", f, v)
        else:
            print("DIFF", f, v); print("  stap: ", exp[:3000]); print("  stapc:", got[:3000])
print("%d of %d identical" % (same, n))
