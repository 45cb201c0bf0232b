#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
# The release the tree records agrees everywhere it is written: NEWS's newest entry is
# configure's version, and the Debian and RPM changelogs' newest entries name that version on
# the same day.  A version in development is "libscx X.Y.Z (unreleased)" in NEWS and an
# UNRELEASED entry in debian/changelog.
. "$top_srcdir/tests/tap.sh"
version=${PACKAGE_VERSION:-$(sed -n 's/^m4_define(\[scx_\(major\|minor\|patch\)\], \[\([0-9]*\)\]).*/\2/p' "$top_srcdir/configure.ac" | paste -sd.)}

news=$(sed -n 's/^libscx \([0-9.]*\) (\([0-9a-z-]*\))$/\1 \2/p' "$top_srcdir/NEWS" | head -n 1)
news_version=${news% *}
news_date=${news#* }
check "NEWS's newest entry is configure's version $version" test "$news_version" = "$version"

if [ ! -f "$top_srcdir/debian/changelog" ]; then
	# a release tarball carries no packaging: only NEWS and configure are there to agree
	skip "the Debian and RPM changelogs agree with NEWS" "no debian/ in this tree (a release tarball)"
	tap_done
fi
deb=$(head -n 1 "$top_srcdir/debian/changelog" | sed -n 's/^libscx (\([0-9.]*\)-[0-9]*) .*/\1/p')
deb_dist=$(head -n 1 "$top_srcdir/debian/changelog" | sed -n 's/^libscx ([^)]*) \([A-Za-z-]*\);.*/\1/p')
check "debian/changelog's newest entry is $version" test "$deb" = "$version"
if [ "$news_date" = unreleased ]; then
	# a version in development: recorded nowhere as released
	check "an unreleased NEWS entry has an UNRELEASED Debian entry" test "$deb_dist" = UNRELEASED
	tap_done
fi
check "a released NEWS entry has a Debian entry for a suite ($deb_dist)" test "$deb_dist" != UNRELEASED
deb_date=$(sed -n 's/^ -- .*>  \(.*\)$/\1/p' "$top_srcdir/debian/changelog" | head -n 1)
deb_day=$(date -u -d "$deb_date" +%Y-%m-%d 2>/dev/null)
check "debian/changelog's entry is dated as NEWS ($news_date)" test "$deb_day" = "$news_date"

rpm_line=$(sed -n '/^%changelog/{n;p;q}' "$top_srcdir/rpm/libscx.spec.in")
rpm_day=$(echo "$rpm_line" | sed -n 's/^\* [A-Z][a-z]* \([A-Z][a-z]* [0-9]* [0-9]*\) .*/\1/p')
rpm_day=$(date -u -d "$rpm_day" +%Y-%m-%d 2>/dev/null)
check "the RPM changelog's entry is dated as NEWS ($news_date)" test "$rpm_day" = "$news_date"
check "the RPM changelog's entry is the configured version" sh -c "echo '$rpm_line' | grep -q -- '- @VERSION@-1\$'"
tap_done
