#!/usr/bin/env bash
# Release metadata agrees with the build: META.json (PGXN, meta-spec 1.0.0),
# the control files, the Makefile, the Debian packaging and LICENSE name the
# same extensions, versions and licence.  No cluster, no build.
#   bash test/meta.sh [OUT]     (counts to OUT.passed / OUT.failed)
set -u
cd "$(dirname "$0")/.."
. test/lib.sh
out=${1:-}

mk() { sed -n "s/^$1[[:space:]]*=[[:space:]]*//p" Makefile; }	# a plain variable of the Makefile
control() {	# control EXTENSION KEY: the value of KEY in EXTENSION.control
	sed -n "s/^$2[[:space:]]*=[[:space:]]*'\(.*\)'[[:space:]]*$/\1/p" "$1.control"
}
# meta PATH: the value at PATH (keys separated by /) of META.json, or the
# keys of an object (sorted, space-separated), or "<missing>"
meta() {
	perl -MJSON::PP -e '
		local $/; open my $f, "<", "META.json" or die "META.json: $!\n";
		my $v = JSON::PP->new->decode(<$f>);
		for my $k (split m{/}, $ARGV[0]) {
			if (ref $v eq "HASH" && exists $v->{$k}) { $v = $v->{$k} }
			else { print "<missing>\n"; exit }
		}
		print ref $v eq "HASH" ? join(" ", sort keys %$v) : ref $v eq "ARRAY" ? join(" ", @$v) : $v, "\n";
	' "$1"
}

extversion=$(mk EXTVERSION)
extensions=$(mk EXTENSION)
released=$(mk RELEASED)

if perl -MJSON::PP -e 'local $/; JSON::PP->new->decode(<STDIN>)' <META.json 2>/dev/null; then
	tap_ok "META.json is valid JSON"
else
	tap_not_ok "META.json is valid JSON" "$(perl -MJSON::PP -e 'local $/; JSON::PP->new->decode(<STDIN>)' <META.json 2>&1)"
	tap_done "$out"
	exit 1
fi
tap_is "$(meta meta-spec/version)" 1.0.0 "META.json follows PGXN meta-spec 1.0.0"
for k in name abstract version maintainer license provides; do
	v=$(meta "$k")
	if [ "$v" != "<missing>" ] && [ -n "$v" ]; then tap_ok "META.json has $k"
	else tap_not_ok "META.json has $k"; fi
done
tap_is "$(meta name)" kpi_eval "distribution name"
tap_is "$(meta version)" "$extversion" "META.json version = Makefile EXTVERSION ($extversion)"
tap_is "$(meta provides)" "$(printf '%s\n' $extensions | sort | xargs)" \
	"META.json provides exactly the Makefile's EXTENSION list"

# a version that is not released yet is "testing" or "unstable"; a released one "stable"
status=$(meta release_status)
case " $released " in
*" $extversion "*) tap_is "$status" stable "release_status of the released $extversion" ;;
*)
	if [ "$status" = testing ] || [ "$status" = unstable ]; then
		tap_ok "release_status of the unreleased $extversion is $status"
	else
		tap_not_ok "release_status of the unreleased $extversion is testing or unstable" "got: $status"
	fi ;;
esac

for e in $extensions; do
	tap_is "$(control "$e" default_version)" "$extversion" "$e.control default_version = EXTVERSION"
	tap_is "$(meta "provides/$e/version")" "$extversion" "META.json provides $e at version $extversion"
	tap_is "$(meta "provides/$e/abstract")" "$(control "$e" comment | sed "s/''/'/g")" \
		"META.json abstract of $e = its control file's comment"
	for k in file docfile; do
		f=$(meta "provides/$e/$k")
		if [ -f "$f" ]; then tap_ok "$e: $k $f exists"
		else tap_not_ok "$e: $k exists" "got: $f"; fi
	done
done
for v in $released; do
	for e in $extensions; do
		if [ -f "sql/$e--$v.sql" ]; then tap_ok "released $e $v has its frozen install script"
		else tap_not_ok "released $e $v has its frozen install script" "missing: sql/$e--$v.sql"; fi
	done
done

# licence: META.json, LICENSE and debian/copyright say the same
tap_is "$(meta license)" postgresql "META.json licence is postgresql"
if head -1 LICENSE | grep -qx 'PostgreSQL License' && grep -q '^Copyright (c) 2026, The kpi_eval developers$' LICENSE; then
	tap_ok "LICENSE is the PostgreSQL License of the kpi_eval developers"
else
	tap_not_ok "LICENSE is the PostgreSQL License of the kpi_eval developers"
fi
# the licence's three paragraphs, as debian/copyright quotes them
lic_body=$(sed -n '/^Permission to use/,$p' LICENSE | tr -s ' \n' '  ')
cop_body=$(sed -n '/^License: PostgreSQL$/,$p' debian/copyright | sed -n '/Permission to use/,$p' |
	sed -e 's/^ //' -e '/^\.$/d' | tr -s ' \n' '  ')
tap_is "$cop_body" "$lic_body" "debian/copyright quotes LICENSE word for word"

# Debian: the package version is the extension version (a development
# version sorts before its release: 0.2.0~dev < 0.2.0)
if command -v dpkg-parsechangelog >/dev/null; then
	debver=$(dpkg-parsechangelog -S Version)
	upstream=${debver%%[~-]*}
	tap_is "$upstream" "$extversion" "debian/changelog version $debver is of EXTVERSION"
	case " $released " in
	*" $extversion "*) tap_is "$debver" "$extversion" "a released version is packaged as itself" ;;
	*) tap_is "${debver#"$extversion"}" "~dev" "the unreleased $extversion is packaged as $extversion~dev" ;;
	esac
else
	tap_not_ok "dpkg-parsechangelog (dpkg-dev) is installed"
fi
# debian/control is the one pg_buildext generates from control.in and pgversions
if command -v pg_buildext >/dev/null; then
	if msg=$(pg_buildext checkcontrol 2>&1); then tap_ok "debian/control is up to date (pg_buildext checkcontrol)"
	else tap_not_ok "debian/control is up to date (pg_buildext checkcontrol)" "$msg"; fi
else
	tap_not_ok "pg_buildext (postgresql-common) is installed"
fi
tap_is "$(grep -v '^#' debian/pgversions | xargs)" 15 "debian/pgversions: PostgreSQL 15"
tap_is "$(sed -n 's/^Package: //p' debian/control | xargs)" "postgresql-15-kpi-eval" "debian/control's binary package"
tap_done "$out"
[ "$TAP_FAILED" = 0 ]
