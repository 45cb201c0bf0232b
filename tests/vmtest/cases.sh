#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
#
# scx-vmtest's failure modes that need no guest: each wrong command line, missing host tool,
# program that is not a sched_ext scheduler and kernel that cannot be had or has no sched_ext
# ends with its own exit status and a one-line reason, before anything boots.  The ones that
# boot a guest are in boot-cases.sh (run by tests/vm/check-vm.sh, under the VM lock).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=${top_srcdir:-$(cd "$here/../.." && pwd)}
top_builddir=${top_builddir:-$(pwd)}
. "$top_srcdir/tests/tap.sh"

tool=$top_builddir/vmtest/scx-vmtest
export SCX_VMTEST_LIBDIR=$top_srcdir/vmtest
if [ ! -x "$tool" ]; then
	echo "1..0 # SKIP no $tool (build first)"
	exit 0
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/vmtest-cases.XXXXXX")
trap 'rm -rf "$work"' EXIT

# expect NAME STATUS PATTERN [env ARGS...] -- ARGS...: the tool exits STATUS and the first line
# it writes to stderr (the reason; a usage error adds a hint after it) matches PATTERN (an
# extended regular expression).
expect() {
	local name=$1 want=$2 pat=$3 envs=() rc last
	shift 3
	while [ "$1" != -- ]; do envs+=("$1"); shift; done
	shift
	env "${envs[@]}" "$tool" "$@" >"$work/out" 2>"$work/err" </dev/null
	rc=$?
	last=$(grep -v '^Try ' "$work/err" | tail -n 1)
	if [ "$rc" = "$want" ] && grep -qE -- "$pat" <<<"$last"; then
		ok "$name: exit $want ($last)"
	else
		not_ok "$name: exit $want matching /$pat/ (got $rc: $last)"
		sed 's/^/# /' "$work/err" | tail -n 5
	fi
}

# --- the command line --------------------------------------------------------------------------
"$tool" --help >"$work/help" 2>&1
check "--help exits 0 and prints the usage" grep -q '^Usage: scx-vmtest' "$work/help"
version=$(sed -n 's/^PACKAGE_VERSION = //p' "$top_builddir/Makefile")
check "--version names the package's version ($version)" \
	eval '[ "$("$tool" --version)" = "scx-vmtest (libscx) $version" ]'
# Every long option of --help is in the man page, and the other way round.
man=$top_srcdir/docs/man/man1/scx-vmtest.1
opts_help=$(grep -oE -- '--[a-z][-a-z]*' "$work/help" | sort -u)
# (the man page's options are the tags of its .TP paragraphs in OPTIONS)
opts_man=$(awk '/^\.SH/ { in_opts = ($2 == "OPTIONS") } in_opts && tp { print } { tp = ($0 == ".TP") }' "$man" |
	grep -oE -- '\\-\\-[a-z][-a-z]*' | sed 's/\\-/-/g' | sort -u)
check "the man page documents every option of --help and no other" \
	diff <(echo "$opts_help") <(echo "$opts_man")
expect "no program" 2 'give one of' -- 
expect "an unknown option" 2 "unknown option '--frobnicate'" -- --frobnicate prog
expect "--nodes not dividing --smp" 2 'does not divide' -- --smp 7 --nodes 2 prog
expect "a non-numeric --smp" 2 'wants a positive number' -- --smp many prog
expect "too little memory per node" 2 'under 128 MiB' -- --memory 200 --nodes 2 prog
expect "an unknown scenario" 2 "unknown scenario 'dance'" -- --scenarios basic,dance prog
expect "the error scenario without --error-args" 2 'needs --error-args' -- --scenarios error prog
expect "the script scenario without --script" 2 'needs --script' -- --scenarios script prog
expect "--config before any --kernel" 2 'after a --kernel' -- --config /dev/null prog
expect "a malformed --kernels" 2 'wants all, newest or lines' -- --kernels 7.x prog
expect "--dir and a program at once" 2 'give one of' -- --dir /tmp prog
expect "an unreadable --script" 2 'cannot read it' -- --script "$work/no-such-script" prog
expect "--dir that is not a directory" 2 'not a directory' -- --dir /etc/passwd
expect "--build-tree that is not a libscx build tree" 2 'not a libscx build tree' -- --build-tree /etc

# --- host tools: a PATH of links to every command but the one left out --------------------------
# (a stand-in qemu, cpio or jq lets the checks after it be reached on hosts without it; busybox
# must be a real static one, as the check reads its ELF header)
farm() {	# $1 = command to leave out, the rest stand-ins to add
	local d=$work/farm-$1 f n
	rm -rf "$d"
	mkdir -p "$d"
	for f in /usr/local/bin/* /usr/bin/* /bin/* /usr/sbin/* /sbin/*; do
		n=${f##*/}
		[ "$n" = "$1" ] || [ -e "$d/$n" ] || ln -s "$f" "$d/$n" 2>/dev/null
	done
	shift
	for n in "$@"; do
		rm -f "$d/$n"
		printf '#!/bin/sh\nexit 0\n' >"$d/$n"
		chmod +x "$d/$n"
	done
	echo "$d"
}
static_busybox=
for b in $(type -ap busybox); do
	if [ "$(head -c 4 "$b" | od -An -c | tr -d ' ')" = '177ELF' ] && ! ldd "$b" >/dev/null 2>&1; then
		static_busybox=$b
		break
	fi
done
expect "no qemu-system-x86_64" 3 'qemu-system-x86_64 not found' \
	PATH="$(farm qemu-system-x86_64)" -- /bin/true
expect "no static busybox" 3 'no static busybox' \
	PATH="$(farm busybox qemu-system-x86_64)" -- /bin/true
if [ -n "$static_busybox" ]; then
	expect "no cpio" 3 'cpio not found' PATH="$(farm cpio qemu-system-x86_64)" -- /bin/true
	expect "no jq" 3 'jq not found' PATH="$(farm jq qemu-system-x86_64 cpio)" -- /bin/true
	tools_ok=1
else
	skip "no cpio" "no static busybox on this host to get past that check"
	skip "no jq" "no static busybox on this host"
	tools_ok=0
fi

# --- programs ----------------------------------------------------------------------------------
# From here the host's tools must be there (stand-ins where they are not).
hostpath=$PATH
if [ "$tools_ok" = 1 ]; then
	hostpath=$(farm none qemu-system-x86_64 cpio jq)
	for n in qemu-system-x86_64 cpio jq; do	# the real ones where the host has them
		r=$(command -v "$n") && ln -sf "$r" "$hostpath/$n"
	done
fi
empty=$work/empty-cache
mkdir -p "$empty"
if [ "$tools_ok" = 1 ]; then
	expect "a program that does not exist" 6 'no such file' PATH="$hostpath" -- "$work/nothing"
	: >"$work/plain"
	expect "a file that is not executable" 6 'not an executable file' PATH="$hostpath" -- "$work/plain"
	printf '#!/bin/sh\nexec scx_simple "$@"\n' >"$work/wrapper"
	chmod +x "$work/wrapper"
	expect "a shell script (a libtool wrapper, say)" 6 'not an ELF executable' \
		PATH="$hostpath" -- "$work/wrapper"
	expect "an ELF program with no BPF scheduler in it (/bin/true)" 6 'no BPF struct_ops object' \
		PATH="$hostpath" -- /bin/true
	expect "an empty --dir" 6 'holds no executable program' PATH="$hostpath" -- --dir "$empty"
	# The real libtool-built scxinfo needs libscx.so.1, which only its wrapper's path finds.
	if [ -x "$top_builddir/tools/.libs/scxinfo" ] &&
		env -u LD_LIBRARY_PATH ldd "$top_builddir/tools/.libs/scxinfo" 2>/dev/null | grep -q 'libscx.so.1 => not found'; then
		expect "a program whose library cannot be found" 6 'libscx.so.1' \
			-u LD_LIBRARY_PATH PATH="$hostpath" -- "$top_builddir/tools/.libs/scxinfo"
	else
		skip "a program whose library cannot be found" "this build's scxinfo finds libscx.so.1 without its wrapper"
	fi
	# A real scheduler gets past every program check and stops at the kernels.
	sched=
	for f in "$top_builddir/examples/scx_simplevt" "$top_builddir"/tests/kexamples/bin/scx_simple; do
		[ -x "$f" ] && sched="$sched $f"
	done
	if [ -n "$sched" ]; then
		for f in $sched; do
			# the kernel's examples find libscx.so.1 in the build tree only through the path
			expect "a real scheduler ($(basename "$f")) passes, offline with an empty cache: no kernel" 4 \
				'no sched_ext kernel could be had' PATH="$hostpath" \
				LD_LIBRARY_PATH="$top_builddir/libscx/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
				-- --offline --cache "$empty" "$f"
		done
	else
		skip "a real scheduler passes the program checks" "no example scheduler was built (no BPF toolchain)"
	fi
else
	skip "the program checks" "the host tools' checks come first and cannot be passed here"
fi

# --- kernels -----------------------------------------------------------------------------------
if [ "$tools_ok" = 1 ] && [ -n "${sched:-}" ]; then
	s=$(echo $sched | cut -d' ' -f1)
	expect "--kernel that is not a kernel image" 4 'not an x86 kernel image' \
		PATH="$hostpath" -- --kernel /etc/passwd "$s"
	expect "--kernel that does not exist" 4 'cannot read it' \
		PATH="$hostpath" -- --kernel "$work/no-such-bzImage" "$s"
	k_any=$(ls -d "${SCX_KERNEL_CACHE:-$HOME/.cache/libscx/kernels}"/*/vmlinuz 2>/dev/null | head -n 1)
	if [ -n "$k_any" ]; then
		expect "--config that cannot be read" 4 'cannot read it' \
			PATH="$hostpath" -- --kernel "$k_any" --config "$work/no-such-config" "$s"
	else
		skip "--config that cannot be read" "no cached kernel (fetched by the VM tests)"
	fi
	kcache=${SCX_KERNEL_CACHE:-$HOME/.cache/libscx/kernels}
	k=$(ls -d "$kcache"/*/vmlinuz 2>/dev/null | sort -V | tail -n 1)
	if [ -n "$k" ] && [ -s "$(dirname "$k")/config" ]; then
		sed '/^CONFIG_SCHED_CLASS_EXT=/d; $a # CONFIG_SCHED_CLASS_EXT is not set' \
			"$(dirname "$k")/config" >"$work/config-noscx"
		expect "--kernel with a config without sched_ext: stops before booting" 5 \
			'has no sched_ext: CONFIG_SCHED_CLASS_EXT is not set' \
			PATH="$hostpath" -- --kernel "$k" --config "$work/config-noscx" "$s"
		expect "--kernels naming a line that is not in the cache, offline" 4 "none of the lines" \
			PATH="$hostpath" -- --offline --cache "$kcache" --kernels 5.4 "$s"
	else
		skip "--kernel with a config without sched_ext" "no cached kernel (fetched by the VM tests)"
		skip "--kernels naming a line that is not in the cache" "no cached kernel"
	fi
	# A suite whose kernels have no sched_ext: Debian 12's.  It needs the archive.
	bw=${SCX_KERNEL_CACHE:-$HOME/.cache/libscx/kernels}-bookworm
	"$tool" --suite bookworm --cache "$bw" "$s" >"$work/out" 2>"$work/err" </dev/null
	rc=$?
	if [ "$rc" = 5 ] && grep -q 'none of the kernels (6\.1\..*) has sched_ext' "$work/err"; then
		ok "a suite whose kernels have no sched_ext (bookworm's 6.1): exit 5 ($(tail -n 1 "$work/err"))"
	elif [ "$rc" = 4 ]; then
		skip "a suite whose kernels have no sched_ext (bookworm)" "the archive cannot be reached and nothing is cached"
	else
		not_ok "a suite whose kernels have no sched_ext (bookworm): exit 5 (got $rc)"
		sed 's/^/# /' "$work/err" | tail -n 5
	fi
else
	skip "the kernel checks" "no scheduler to get past the program checks"
fi
tap_done
