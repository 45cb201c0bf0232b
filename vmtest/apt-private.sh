#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
#
# Private apt lists for the test fetchers (vmtest/fetch-kernels.sh,
# tests/kexamples/fetch-linux-source.sh): a sources file, lists and cache of their own under a
# test cache, so packages are looked up and downloaded without reading or changing the system's
# apt configuration.  Nothing is installed.  Source this file from bash, then:
#
#	apt_private_init DIR SUITE MIRROR    sets apt_dir=DIR and the array apt_opts
#	apt_private_update                   refreshes the lists; fails when the archive is
#	                                     unreachable (the log is in $apt_dir/update.log)
#	apt_private_have_lists               the lists exist (from now or an earlier run)

apt_private_keyring=/usr/share/keyrings/debian-archive-keyring.gpg

apt_private_init() {
	apt_dir=$1
	mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial"
	printf 'deb [signed-by=%s] %s %s main\n' "$apt_private_keyring" "$3" "$2" \
		>"$apt_dir/sources.list"
	apt_opts=(
		-o "Dir::Etc::SourceList=$apt_dir/sources.list"
		-o "Dir::Etc::SourceParts=-"
		-o "Dir::State::Lists=$apt_dir/lists"
		-o "Dir::Cache=$apt_dir/cache"
		-o "Dir::State::status=/dev/null"
		-o "APT::Sandbox::User=root"
		-o "Acquire::Retries=1"
		-o "Acquire::http::Timeout=20"
		-o "Debug::NoLocking=1"
		-o "APT::Get::List-Cleanup=0"
	)
}

apt_private_update() {
	apt-get "${apt_opts[@]}" -qq update >"$apt_dir/update.log" 2>&1 &&
		! grep -q '^\(W\|E\): Failed to fetch' "$apt_dir/update.log"
}

apt_private_have_lists() { ls "$apt_dir"/lists/*_Packages* >/dev/null 2>&1; }
