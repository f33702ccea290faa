#!/bin/bash
# rpmdb_compare: hull's rpm reader against rpm itself, on databases made
# here with Debian's rpm tools (TAP output).
#
# Builds tiny packages with rpmbuild (an epoch, an explicit epoch 0, a
# release with dots, a noarch package, ~ and ^ in a version, a subpackage
# whose source rpm has another name, many small subpackages, and one package
# with thousands of files: a 500 KiB header that spans many Berkeley DB
# overflow pages), installs them with `rpm -i --justdb` into a database of
# every backend this rpm can write, and checks that hull lists exactly what
# `rpm -qa --qf ...` lists, before and after erasing a few packages. Then
# the same headers are loaded into Berkeley DB hash `Packages` files with
# db5.3_load (page sizes 512 to 65536, both byte orders), each checked first
# with rpm's own read-only bdb backend and then with hull.
#
# Debian's rpm 4.18 writes only sqlite (no NDB, Berkeley DB read-only): the
# NDB reader is checked on a Packages.db written by rpm 4.18 built with
# --enable-ndb (test_rpmdb.c), and this script tests NDB too when HULL_RPM
# names such an rpm.
#
# Usage: rpmdb_compare.sh PATH/TO/rpmdb_list
set -u
LIST=${1:?usage: rpmdb_compare.sh rpmdb_list}
# Another rpm (e.g. one built with --enable-ndb) may be named in HULL_RPM.
RPM=${HULL_RPM:-rpm}
QF='%{NAME} %{EPOCHNUM}:%{VERSION}-%{RELEASE} %{ARCH}\n'

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); failed=1; echo "not ok $n - $*"; }

. "${HULL_SRC:?}/tests/lib/skip.sh"
for tool in "$RPM" rpmbuild; do
	command -v $tool >/dev/null || skip_missing "$tool (apt-get install rpm)"
done

T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

# spec NAME BODY: writes $T/specs/NAME.spec with the common fields.
spec() {
	mkdir -p "$T/specs"
	cat >"$T/specs/$1.spec"
}

spec plain <<'EOF'
Name: tiny-plain
Version: 1.0
Release: 1
Summary: plain
License: MIT
%description
plain
%install
mkdir -p %{buildroot}/usr/share/tiny-plain
echo plain >%{buildroot}/usr/share/tiny-plain/a
%files
/usr/share/tiny-plain
EOF

spec epoch <<'EOF'
Name: tiny-epoch
Epoch: 3
Version: 2.5
Release: 1.fc38
Summary: epoch
License: GPL-2.0-or-later AND BSD-3-Clause
%description
epoch
%install
mkdir -p %{buildroot}/usr/share/tiny-epoch
echo epoch >%{buildroot}/usr/share/tiny-epoch/a
%files
/usr/share/tiny-epoch
EOF

spec zero-epoch <<'EOF'
Name: tiny-zero-epoch
Epoch: 0
Version: 7
Release: 2
Summary: an explicit epoch 0
License: MIT
%description
zero epoch
%files
EOF

spec dots <<'EOF'
Name: tiny-dots
Version: 1.2.3
Release: 4.module+el9.2.0+1234+abcdef01
ModularityLabel: tiny-dots:1.2:9020020230101000000:abcdef01
Summary: dots
License: ASL 2.0
%description
dots
%install
mkdir -p %{buildroot}/usr/share/tiny-dots
echo dots >%{buildroot}/usr/share/tiny-dots/a
%files
/usr/share/tiny-dots
EOF

spec noarch <<'EOF'
Name: tiny-noarch
Version: 0.1
Release: 0.rc1
Summary: noarch
License: MIT
BuildArch: noarch
%description
noarch
%install
mkdir -p %{buildroot}/usr/share/tiny-noarch
echo noarch >%{buildroot}/usr/share/tiny-noarch/a
%files
/usr/share/tiny-noarch
EOF

spec tilde <<'EOF'
Name: tiny-tilde
Version: 1.0~rc1^git20240101
Release: 1%{?dist}
Summary: tilde and caret
License: MIT
%description
tilde
%files
EOF

# A source package whose binary packages carry other names, plus many small
# subpackages (more records: Berkeley DB splits its hash buckets).
{
	cat <<'EOF'
Name: tiny-src
Version: 3.0.7
Release: 27.el9
Summary: source with subpackages
License: OpenSSL
%description
src
%package -n libtiny3
Summary: library
%description -n libtiny3
lib
%files -n libtiny3
%files
EOF
	for i in $(seq 1 40); do
		printf '%%package -n tiny-sub-%d\nSummary: sub %d\n' "$i" "$i"
		printf '%%description -n tiny-sub-%d\nsub\n%%files -n tiny-sub-%d\n' "$i" "$i"
	done
} | spec src

# A header of a few hundred KiB: thousands of files with long names.
spec big <<'EOF'
Name: tiny-big
Version: 5
Release: 1
Summary: many files
License: MIT
%description
big
%install
mkdir -p %{buildroot}/usr/share/tiny-big
for i in $(seq 1 3000); do
	: >%{buildroot}/usr/share/tiny-big/a-file-with-a-rather-long-name-to-grow-the-header-$i
done
%files
/usr/share/tiny-big
EOF

RPMBUILD=(rpmbuild --quiet --define "_topdir $T/top" --define "_build_id_links none"
	--define "__spec_install_post %{nil}" --define "debug_package %{nil}")
build_ok=1
for s in "$T"/specs/*.spec; do
	if ! "${RPMBUILD[@]}" -bb "$s" >"$T/build.log" 2>&1; then
		build_ok=0
		sed 's/^/# /' "$T/build.log" | tail -20
	fi
done
rpms=$(find "$T/top/RPMS" -name '*.rpm' 2>/dev/null | wc -l)
if [ $build_ok = 1 ] && [ "$rpms" -ge 48 ]; then
	ok "rpmbuild made $rpms packages"
else
	not_ok "rpmbuild made $rpms packages"
	echo "1..$n"
	exit 1
fi

# compare WHAT FILE: hull's list of FILE against $T/expected.
compare() {
	local what=$1 file=$2
	if ! "$LIST" "$file" >"$T/got.unsorted" 2>"$T/got.err"; then
		not_ok "$what: hull fails: $(cat "$T/got.err")"
		return
	fi
	sort "$T/got.unsorted" >"$T/got"
	if diff -u "$T/expected" "$T/got" >"$T/diff"; then
		ok "$what: hull lists exactly what rpm -qa lists ($(wc -l <"$T/got") packages)"
	else
		not_ok "$what: hull's list differs from rpm -qa"
		sed 's/^/# /' "$T/diff" | head -40
	fi
}

# compare_files WHAT BACKEND DIR FILE: every file of every package, hull's
# (hull_rpmdb_each_file, what the owned-file rule reads) against rpm -qal.
compare_files() {
	local what=$1 backend=$2 dir=$3 file=$4
	"$RPM" --define "_db_backend $backend" -qal --dbpath "$dir" |
		grep -v '^(contains no files)$' | sort >"$T/expected.files"
	if ! "$LIST" -f "$file" 2>"$T/got.err" | sort >"$T/got.files" || [ -s "$T/got.err" ]; then
		not_ok "$what: hull's file lists fail: $(cat "$T/got.err")"
	elif diff -u "$T/expected.files" "$T/got.files" >"$T/diff"; then
		ok "$what: hull's file lists are rpm -qal's ($(wc -l <"$T/got.files") files)"
	else
		not_ok "$what: hull's file lists differ from rpm -qal"
		sed 's/^/# /' "$T/diff" | head -40
	fi
}

# expect BACKEND DIR: what rpm lists, into $T/expected.
expect() {
	"$RPM" --define "_db_backend $1" -qa --dbpath "$2" --qf "$QF" | sort >"$T/expected"
}

# The fields behind the version: source rpm, license, epoch and modularity
# label as stored.
compare_long() {
	local what=$1 backend=$2 dir=$3 file=$4
	"$RPM" --define "_db_backend $backend" -qa --dbpath "$dir" \
		--qf '%{NAME}\t%{SOURCERPM}\t%{LICENSE}\t%{EPOCH}\t%{MODULARITYLABEL}\n' |
		sort >"$T/expected.long"
	"$LIST" -l "$file" 2>/dev/null |
		awk -F'\t' '{ split($1, a, " "); e = $6 < 0 ? "(none)" : $6;
			printf "%s\t%s-%s.src.rpm\t%s\t%s\t%s\n", a[1], $3, $4, $5, e, $7 }' |
		sort >"$T/got.long"
	if diff -u "$T/expected.long" "$T/got.long" >"$T/diff"; then
		ok "$what: source rpm, license, epoch and modularity label match rpm's"
	else
		not_ok "$what: source rpm, license, epoch or modularity label differ from rpm's"
		sed 's/^/# /' "$T/diff" | head -40
	fi
}

# Every backend this rpm can write: a database with all the packages, then
# the same after erasing some (free slots, deleted rows, holes).
ERASE="tiny-sub-3 tiny-sub-17 tiny-big tiny-epoch tiny-sub-40"
for backend in sqlite ndb bdb; do
	D=$T/db-$backend
	mkdir -p "$D"
	"$RPM" --define "_db_backend $backend" --initdb --dbpath "$D" 2>/dev/null
	case $backend in
	sqlite) file=$D/rpmdb.sqlite ;;
	ndb) file=$D/Packages.db ;;
	bdb) file=$D/Packages ;;
	esac
	if [ ! -f "$file" ]; then
		echo "# $backend: $RPM cannot write this backend here, not tested with it"
		continue
	fi
	find "$T/top/RPMS" -name '*.rpm' -print0 |
		xargs -0 "$RPM" --define "_db_backend $backend" -i --nodeps --justdb --noscripts \
			--notriggers --ignorearch --ignoreos --dbpath "$D" 2>"$T/install.log"
	expect $backend "$D"
	if [ "$(wc -l <"$T/expected")" -eq "$rpms" ]; then
		ok "$backend: rpm -qa lists the $rpms installed packages"
	else
		not_ok "$backend: rpm -qa lists $(wc -l <"$T/expected") of $rpms packages"
		sed 's/^/# /' "$T/install.log"
	fi
	compare "$backend" "$file"
	compare_long "$backend" $backend "$D" "$file"
	compare_files "$backend" $backend "$D" "$file"
	if [ $backend = sqlite ]; then
		cp "$file" "$T/full.sqlite"
		cp "$T/expected" "$T/expected.full"
		cp "$T/expected.files" "$T/expected.files.full"
	fi
	# shellcheck disable=SC2086
	"$RPM" --define "_db_backend $backend" -e --justdb --nodeps --noscripts --notriggers \
		--dbpath "$D" $ERASE 2>>"$T/install.log"
	expect $backend "$D"
	compare "$backend after erasing 5 packages" "$file"
done

# Berkeley DB: the same header blobs loaded into hash databases.
if [ ! -f "$T/full.sqlite" ] || ! command -v sqlite3 >/dev/null ||
	! command -v db5.3_load >/dev/null; then
	n=$((n + 1))
	echo "ok $n - Berkeley DB # SKIP missing: sqlite3 and db5.3_load (apt-get install sqlite3 db5.3-util)"
	echo "1..$n"
	[[ ${CI:-} == true ]] && exit 1
	exit $failed
fi

# bdb PAGESIZE LORDER: a Packages hash file with rpm's layout: key 0 holds
# the next instance number, every other key is a header number in the byte
# order of the writer, its data the header blob.
bdb() {
	local ps=$1 lorder=$2 dir=$T/bdb-$1-$2 fmt
	if [ "$lorder" = 1234 ]; then
		fmt="printf('%02x%02x%02x%02x', hnum & 255, (hnum >> 8) & 255, (hnum >> 16) & 255, hnum >> 24)"
	else
		fmt="printf('%08x', hnum)"
	fi
	mkdir -p "$dir"
	{
		printf 'VERSION=3\nformat=bytevalue\ntype=hash\ndb_pagesize=%s\ndb_lorder=%s\nHEADER=END\n' \
			"$ps" "$lorder"
		printf ' 00000000\n %s\n' "$(sqlite3 "$T/full.sqlite" \
			"select $(echo "$fmt" | sed 's/hnum/(max(hnum)+1)/g') from Packages")"
		sqlite3 "$T/full.sqlite" "select $fmt, lower(hex(blob)) from Packages" |
			while IFS='|' read -r k v; do printf ' %s\n %s\n' "$k" "$v"; done
		printf 'DATA=END\n'
	} >"$dir/dump"
	if ! db5.3_load -f "$dir/dump" "$dir/Packages" 2>"$dir/err"; then
		not_ok "bdb page size $ps byte order $lorder: db5.3_load failed: $(cat "$dir/err")"
		return
	fi
	"$RPM" --define '_db_backend bdb_ro' -qa --dbpath "$dir" --qf "$QF" 2>"$dir/rpm.err" |
		sort >"$dir/rpm"
	if grep -q 'dummy database' "$dir/rpm.err"; then
		echo "# $RPM has no bdb_ro backend: the file is checked by hull only"
	elif diff -q "$T/expected" "$dir/rpm" >/dev/null; then
		ok "bdb page size $ps byte order $lorder: rpm's bdb_ro reads the file made by db_load"
	else
		not_ok "bdb page size $ps byte order $lorder: rpm's bdb_ro does not read it back"
	fi
	compare "bdb page size $ps byte order $lorder" "$dir/Packages"
	if "$LIST" -f "$dir/Packages" 2>/dev/null | sort | diff -q "$T/expected.files.full" - >/dev/null; then
		ok "bdb page size $ps byte order $lorder: hull's file lists are rpm -qal's"
	else
		not_ok "bdb page size $ps byte order $lorder: hull's file lists differ from rpm -qal"
	fi
}

# An empty database: libdb leaves the first bucket page blank (all zero).
printf 'VERSION=3\nformat=bytevalue\ntype=hash\nHEADER=END\nDATA=END\n' >"$T/empty.dump"
if db5.3_load -f "$T/empty.dump" "$T/empty.db" && "$LIST" "$T/empty.db" >"$T/got" 2>"$T/got.err" &&
	[ ! -s "$T/got" ]; then
	ok "bdb: an empty database gives no package and no error"
else
	not_ok "bdb: an empty database: $(cat "$T/got.err")"
fi

cp "$T/expected.full" "$T/expected"
bdb 512 1234
bdb 4096 1234
bdb 65536 1234
bdb 1024 4321
bdb 8192 4321

echo "1..$n"
exit $failed
