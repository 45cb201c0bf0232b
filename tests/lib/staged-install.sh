# SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
#
# libscx installed into a staging root for the checks that use it as a downstream project
# would (tests/bpf/bpf-check.sh, tests/kexamples/build-check.sh, tests/namespace-check.sh,
# tests/docs-check.sh).
# Source it (sh) after tests/tap.sh, then:
#
#	staged_install ROOT LOG   make install DESTDIR=ROOT (output in LOG), then point
#	                          pkg-config at ROOT: PKG_CONFIG_PATH and PKG_CONFIG_SYSROOT_DIR
#	                          are exported, so pkg-config's paths are those under ROOT
#	staged_install_tap ROOT   the same as a TAP line (log beside ROOT); ends the test on failure
#
# The checks run in parallel under make -j; one install at a time keeps two of them from
# building the same files (the examples, generated headers) at once.

staged_install() {
	_si_root=$1
	_si_log=$2
	if command -v flock >/dev/null; then
		(flock 8 && cd "$top_builddir" && ${MAKE:-make} install DESTDIR="$_si_root") \
			8>"$top_builddir/.staged-install.lock" >"$_si_log" 2>&1 || return 1
	else
		(cd "$top_builddir" && ${MAKE:-make} install DESTDIR="$_si_root") >"$_si_log" 2>&1 ||
			return 1
	fi
	_si_pc=$(find "$_si_root" -name libscx.pc | head -n 1)
	[ -n "$_si_pc" ] || return 1
	PKG_CONFIG_PATH="$(dirname "$_si_pc"):${PKG_CONFIG_PATH:-}"
	PKG_CONFIG_SYSROOT_DIR=$_si_root
	export PKG_CONFIG_PATH PKG_CONFIG_SYSROOT_DIR
}

# staged_install_tap ROOT: staged_install as a TAP line (tests/tap.sh sourced); on failure the
# end of the log is shown and the test ends.
staged_install_tap() {
	if ! staged_install "$1" "$1.install.log"; then
		not_ok "make install DESTDIR"
		tail -n 30 "$1.install.log" | sed 's/^/# /'
		tap_done
	fi
	ok "make install DESTDIR"
}
