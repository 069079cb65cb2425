#!/usr/bin/env bash
# The Debian package: builds postgresql-15-kpi-eval with dpkg-buildpackage in
# a temporary copy of the source tree, checks the .deb's control fields and
# file list, extracts it (dpkg-deb -x) into a private copy of the PostgreSQL
# 15 tree, starts a throwaway cluster from that tree and runs there what the
# package's autopkgtest runs (the pg_regress suite, make installcheck), then
# CREATE EXTENSION kpi_eval_reference CASCADE and the update path from every
# released version.  The .deb is never installed (no dpkg -i, no apt) and the
# system PostgreSQL directories are never written.
#   bash test/package.sh [OUT]     (counts to OUT.passed / OUT.failed)
# The build passes nocheck: the build-time test (dh_pgxs_test, the same
# suite against the staged files) would only repeat the installcheck below.
set -u
cd "$(dirname "$0")/.."
. test/lib.sh
out=${1:-}
top=$PWD

ensure_deps $KPI_DEB_PACKAGES
missing=""
for t in dpkg-buildpackage dpkg-deb dpkg-parsechangelog dh pg_buildext; do
	command -v "$t" >/dev/null || missing="$missing $t"
done
[ -f /usr/share/perl5/Debian/Debhelper/Sequence/pgxs.pm ] || missing="$missing dh-pgxs"
if [ -n "$missing" ]; then
	echo "# skipped: the packaging tools are not installed:$missing"
	tap_done "$out"
	exit 0
fi

mk() { sed -n "s/^$1[[:space:]]*=[[:space:]]*//p" Makefile; }
extversion=$(mk EXTVERSION)
extensions=$(mk EXTENSION)
released=$(mk RELEASED)
pkg=postgresql-15-kpi-eval
before=$(dpkg-query -W -f='${Status} ${Version}' "$pkg" 2>/dev/null)

WORK=$(mktemp -d /tmp/kpi_pkg.XXXXXX) || exit 1
chmod 755 "$WORK"	# the cluster's owner (postgres) reads the private tree in it
finish() {
	stop_cluster
	rm -rf "$WORK"
}
trap finish EXIT
bail() {	# a step that the rest depends on failed
	tap_not_ok "$@"
	tap_done "$out"
	exit 1
}

# 1. The source tree as a release would have it: the tracked and new files,
#    not the build products of a developer's tree.
src=$WORK/kpi-eval-$extversion
mkdir "$src"
if git rev-parse --git-dir >/dev/null 2>&1; then
	git ls-files -co --exclude-standard -z | tar --null -T - -cf - | tar -xf - -C "$src"
else
	cp -a . "$src" && rm -rf "$src/test/out" && make -s -C "$src" clean >/dev/null 2>&1
fi

# 2. Build (one PostgreSQL version, out of tree in build-15/, as pg_buildext does).
echo "== dpkg-buildpackage -us -uc -b (in $src)"
t0=$(date +%s)
if (cd "$src" && DEB_BUILD_OPTIONS=nocheck dpkg-buildpackage -us -uc -b -Pnocheck) >"$WORK/build.log" 2>&1; then
	tap_ok "dpkg-buildpackage -us -uc -b builds the package ($(( $(date +%s) - t0 )) s)"
else
	tail -40 "$WORK/build.log"
	bail "dpkg-buildpackage -us -uc -b builds the package"
fi
debver=$(cd "$src" && dpkg-parsechangelog -S Version)
deb=$WORK/${pkg}_${debver}_$(dpkg --print-architecture).deb
[ -f "$deb" ] || bail "the build wrote $(basename "$deb")" "$(ls "$WORK")"
tap_ok "the build wrote $(basename "$deb")"

# 3. Control fields and files.
tap_is "$(dpkg-deb -f "$deb" Package)" "$pkg" "binary package name"
tap_is "$(dpkg-deb -f "$deb" Version)" "$debver" "package version = debian/changelog"
if dpkg-deb -f "$deb" Depends | grep -qE '(^|, )postgresql-15( |,|$)'; then
	tap_ok "the package depends on postgresql-15"
else
	tap_not_ok "the package depends on postgresql-15" "Depends: $(dpkg-deb -f "$deb" Depends)"
fi
dpkg-deb -c "$deb" | awk '{ print $6 }' | sed 's|^\./|/|' | grep -v '/$' | sort >"$WORK/files"
extdir=/usr/share/postgresql/15/extension
libdir=/usr/lib/postgresql/15/lib
expected_ext=$(
	for e in $extensions; do
		echo "$extdir/$e.control"
		for v in $released $extversion; do echo "$extdir/$e--$v.sql"; done
		for v in $released; do echo "$extdir/$e--$v--$extversion.sql"; done
	done | sort)
tap_is "$(grep "^$extdir/" "$WORK/files" | xargs)" "$(echo $expected_ext)" \
	"the extension directory holds both control files, the install scripts of $released and $extversion and the update scripts, nothing else"
for f in "$libdir/kpi_eval.so" /usr/share/doc/$pkg/{copyright,changelog.gz,README.md.gz,CHANGELOG.md.gz}; do
	if grep -qx "$f" "$WORK/files"; then tap_ok "the package ships $f"
	else tap_not_ok "the package ships $f"; fi
done
if grep -q '^with_llvm[[:space:]]*=[[:space:]]*yes' "$(dirname "$("$PG_CONFIG" --pgxs)")/../Makefile.global"; then
	if grep -qx "$libdir/bitcode/kpi_eval.index.bc" "$WORK/files"; then tap_ok "the package ships the JIT bitcode index"
	else tap_not_ok "the package ships the JIT bitcode index"; fi
fi
stray=$(grep -vE "^($extdir/|$libdir/|/usr/share/doc/$pkg/)" "$WORK/files")
tap_is "$stray" "" "no file outside the extension, library and doc directories"

# 4. A private PostgreSQL tree with the package extracted into it (and any
#    kpi_eval files of the system directories removed from the copy, so that
#    only the package's files can be found).
tree=$WORK/tree
mkdir -p "$tree$(dirname $KPI_PG_LIB)" "$tree$(dirname $KPI_PG_SHARE)"
cp -a "$KPI_PG_LIB" "$tree$(dirname $KPI_PG_LIB)/" && cp -a "$KPI_PG_SHARE" "$tree$(dirname $KPI_PG_SHARE)/" ||
	bail "copy of the PostgreSQL tree"
rm -rf "$tree$extdir"/kpi_eval* "$tree$libdir"/kpi_eval.so "$tree$libdir"/bitcode/kpi_eval*
dpkg-deb -x "$deb" "$tree" || bail "dpkg-deb -x into the private tree"
tap_ok "dpkg-deb -x extracts the package into the private tree"
if msg=$(cd "$tree$extdir" && sed 's|  sql/|  |' "$top/sql/released.sha256" | sha256sum --quiet -c - 2>&1); then
	tap_ok "the packaged install scripts of released versions match sql/released.sha256"
else
	tap_not_ok "the packaged install scripts of released versions match sql/released.sha256" "$msg"
fi
KPI_BINDIR=$tree$KPI_PG_LIB/bin
start_cluster >"$WORK/cluster.log" 2>&1 || { cat "$WORK/cluster.log"; bail "a cluster starts from the private tree"; }
tap_is "$(psql -X -At -c "SELECT setting FROM pg_config WHERE name = 'SHAREDIR'")" "$tree$KPI_PG_SHARE" \
	"the cluster reads the private tree's share directory"

# 5. What the autopkgtest runs (debian/tests/installcheck: pg_buildext
#    installcheck, i.e. the pg_regress suite of make installcheck), here in
#    the build's VPATH directory build-15/ as the build-time test runs it.
echo "== make installcheck (pg_regress) against the packaged files"
make -C "$src/build-15" -f "$src/Makefile" PG_CONFIG="$PG_CONFIG" USE_PGXS=1 installcheck \
	>"$WORK/installcheck.log" 2>&1
rc=$?
ran=0
while read -r name result; do
	ran=$((ran + 1))
	if [ "$result" = ok ]; then tap_ok "installcheck: $name"
	else tap_not_ok "installcheck: $name"; fi
done < <(sed -nE 's/^(test| ) +([a-z_0-9]+) +\.\.\. (ok|FAILED|failed).*/\2 \3/p' "$WORK/installcheck.log")
regress=$(ls "$top"/sql/*.sql | xargs -n1 basename | sed 's/\.sql$//' | grep -vE '^kpi_eval(_reference)?--' | wc -l)
specs=$(ls "$top"/specs/*.spec 2>/dev/null | wc -l)
tap_is "$ran" "$((regress + specs))" "installcheck ran every pg_regress test of sql/ and every isolation spec of specs/"
if [ "$rc" != 0 ]; then
	tap_not_ok "make installcheck succeeds" "$(tail -20 "$WORK/installcheck.log")"
	[ -f "$src/build-15/regression.diffs" ] && head -100 "$src/build-15/regression.diffs"
fi

# 6. CREATE EXTENSION from the package, in a new database; the library the
#    backend maps is the package's.
PSQL="psql -X -q -At -v ON_ERROR_STOP=1"
$PSQL -c "CREATE DATABASE kpi_pkg" || bail "CREATE DATABASE kpi_pkg"
got=$($PSQL -d kpi_pkg 2>&1 <<-'EOF'
	SET client_min_messages = warning;
	CREATE EXTENSION kpi_eval_reference CASCADE;
	SELECT string_agg(extname || ' ' || extversion, ', ' ORDER BY extname) FROM pg_extension WHERE extname LIKE 'kpi_eval%';
	SELECT pg_backend_pid() AS pid \gset
	\setenv KPI_BACKEND :pid
	\! grep -o '/[^ ]*/kpi_eval\.so' /proc/$KPI_BACKEND/maps | sort -u
EOF
)
tap_is "$(echo "$got" | sed -n 1p)" "kpi_eval $extversion, kpi_eval_reference $extversion" \
	"CREATE EXTENSION kpi_eval_reference CASCADE installs both extensions at $extversion"
tap_is "$(echo "$got" | sed -n 2,\$p)" "$tree$libdir/kpi_eval.so" "the backend loads the package's kpi_eval.so"

# 7. The packaged update scripts: every released version updates to the current one.
for v in $released; do
	db=kpi_pkg_${v//./_}
	$PSQL -c "CREATE DATABASE $db" || bail "CREATE DATABASE $db"
	got=$($PSQL -d "$db" 2>&1 <<-EOF
		CREATE EXTENSION kpi_eval VERSION '$v';
		CREATE EXTENSION kpi_eval_reference VERSION '$v';
		ALTER EXTENSION kpi_eval UPDATE;
		ALTER EXTENSION kpi_eval_reference UPDATE;
		SELECT string_agg(extname || ' ' || extversion, ', ' ORDER BY extname) FROM pg_extension WHERE extname LIKE 'kpi_eval%';
	EOF
	)
	tap_is "$got" "kpi_eval $extversion, kpi_eval_reference $extversion" \
		"the packaged update scripts take $v to $extversion (ALTER EXTENSION ... UPDATE)"
done

tap_is "$(dpkg-query -W -f='${Status} ${Version}' "$pkg" 2>/dev/null)" "$before" \
	"the system's dpkg state of $pkg is unchanged (the .deb was not installed)"
tap_done "$out"
[ "$TAP_FAILED" = 0 ]
