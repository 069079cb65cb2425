#!/usr/bin/env bash
# kpi.tally across versions (issue 18): a node running the released 0.1.0
# library (built from the commit that last wrote the frozen
# sql/kpi_eval--0.1.0.sql, the release) next to a node running this build.  Checks, with tallies of generated task lines
# and some with sums beyond int64:
#  (a) the 0.1.0 node stores 120-byte (version 1) tallies, this build 64-byte
#      compact ones;
#  (b) binary COPY from the 0.1.0 node into this build, and from this build
#      into the 0.1.0 node: same text forms and same accessor results;
#  (c) a text dump (pg_dump) of the 0.1.0 node restored on this build;
#  (d) postgres_fdw from this build to the 0.1.0 node: kpi.tally_agg and
#      kpi.rollup shipped to it, their tallies merged with local ones;
#  (e) the 0.1.0 node's data directory started with this build's library
#      (the in-place upgrade), then ALTER EXTENSION kpi_eval UPDATE: the
#      stored version 1 values keep their bytes and every accessor result,
#      and roll up with version 2 values.
#
# Usage: bash test/cluster/tally_v1_node.sh OUTPREFIX   (needs the git history)
set -u
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
. "$here/lib_cluster.bash"
kc_setup "${1:-}"
echo "# tally_v1_node.sh: a 0.1.0 node and a 0.2.0 node exchange kpi.tally values"

rel=$(git -C "$repo" log -1 --format=%H -- sql/kpi_eval--0.1.0.sql 2>/dev/null)
[ -n "$rel" ] || kc_bail "no git history: cannot build the 0.1.0 library"
[ -n "${KPI_TREE:-}" ] || kc_bail "KPI_TREE is unset: run through test/run.sh"
kc_mkbase
NEW_BIN=$KC_BINDIR
src=$KC_BASE/src-0.1.0
mkdir -p "$src"
git -C "$repo" archive "$rel" | tar -x -C "$src" || kc_bail "extracting the 0.1.0 sources"
make -s -C "$src" PG_CONFIG="$PG_CONFIG" kpi_eval.so >"$KC_BASE/build-0.1.0.log" 2>&1 ||
	kc_bail "building the 0.1.0 library" "$(tail -5 "$KC_BASE/build-0.1.0.log")"
old_tree=$KC_BASE/tree-0.1.0
cp -a "$KPI_TREE" "$old_tree" && cp "$src/kpi_eval.so" "$old_tree/usr/lib/postgresql/15/lib/kpi_eval.so" ||
	kc_bail "making the 0.1.0 tree"
OLD_BIN=$old_tree/usr/lib/postgresql/15/bin
kc_diag "0.1.0 library built from $rel"

KC_BINDIR=$OLD_BIN kc_start_node old || kc_bail "cannot start the 0.1.0 node"
OLD=$KC_PORT
kc_start_node new || kc_bail "cannot start the 0.2.0 node"
NEW=$KC_PORT
old() { kc_psql "$OLD" postgres "$@"; }
new() { kc_psql "$NEW" postgres "$@"; }

# every accessor of a tally as one text (the same SQL on both nodes)
READINGS="CREATE FUNCTION readings(t kpi.tally) RETURNS text LANGUAGE sql AS \$\$
	SELECT concat_ws(' | ', t::text, encode(kpi.tally_send(t), 'hex'), kpi.tally_components(t)::text,
	       kpi.period_score(26.5, t), kpi.period_score(26.5, t, 100, 50, 100),
	       kpi.period_score(20, t, '{\"progress_reading\": \"strict\"}'), kpi.period_score(20, t, '{\"cap\": false}'),
	       kpi.task_pct(t), kpi.task_points(t, 50, 100, 100), kpi.quantity_pct(t), kpi.quality_pct(t),
	       kpi.progress_pct(t), kpi.progress_pct(t, '{\"progress_reading\": \"strict\"}')) \$\$;"
digest() { echo "SELECT md5(string_agg(k || ':' || readings(t), E'\n' ORDER BY k)) FROM $1;"; }

{
	echo "CREATE EXTENSION kpi_eval VERSION '0.1.0';"
	echo "$READINGS"
	kc_gen_sql lines 300 6000 3 0.31
	echo "CREATE TABLE tt (k text PRIMARY KEY, t kpi.tally);
	INSERT INTO tt SELECT official || '/' || period,
	       kpi.tally_agg(coef, assigned_qty, completed_qty, passed_qty, quality_errors, late_events)
	FROM lines GROUP BY official, period;
	-- sums beyond int64: stored wide by both versions
	INSERT INTO tt SELECT 'big/' || g, kpi.tally_agg(100000 * g, 100000, 100000, 99999, g % 2, 1)
	FROM generate_series(1, 20) g, generate_series(1, 12) i GROUP BY g;"
} | old >/dev/null || kc_bail "loading the 0.1.0 node"
{
	echo "CREATE EXTENSION kpi_eval; CREATE EXTENSION postgres_fdw;"
	echo "$READINGS"
	echo "CREATE TABLE tt (k text PRIMARY KEY, t kpi.tally); CREATE TABLE back (k text PRIMARY KEY, t kpi.tally);"
} | new >/dev/null || kc_bail "setting up the 0.2.0 node"

# --- (a) the two layouts ------------------------------------------------------
r=$(old -At -c "SELECT extversion FROM pg_extension WHERE extname = 'kpi_eval'")
kc_is "$r" "0.1.0" "(a) the old node runs kpi_eval 0.1.0"
r=$(old -At -c "SELECT count(*) || '/' || count(*) FILTER (WHERE pg_column_size(t) = 120) FROM tt")
kc_cond "(a) the 0.1.0 library stores every tally in 120 bytes ($r)" "${r%/*}" = "${r#*/}" -a "${r%/*}" -gt 300
r=$(new -At -c "SELECT pg_column_size(kpi.tally_agg(1, true, true, 0, 0))")
kc_is "$r" "64" "(a) this build stores a compact tally in 64 bytes"
OLD_DIGEST=$(old -At -c "$(digest tt)")
old -At -c "COPY (SELECT k, readings(t) FROM tt ORDER BY k) TO STDOUT" >"$KC_BASE/readings-0.1.0.txt"

# --- (b) binary COPY in both directions --------------------------------------
old -c "COPY tt TO STDOUT (FORMAT binary)" >"$KC_BASE/tt.bin" &&
	new -c "COPY tt FROM STDIN (FORMAT binary)" <"$KC_BASE/tt.bin" ||
	kc_bail "binary COPY from the 0.1.0 node"
kc_is "$(new -At -c "$(digest tt)")" "$OLD_DIGEST" \
	"(b) binary COPY from the 0.1.0 node: every text form, binary form and accessor result equal"
r=$(new -At -c "SELECT count(*) FILTER (WHERE pg_column_size(t) = 64) || '/' || count(*) FILTER (WHERE pg_column_size(t) = 120) FROM tt")
kc_is "$r" "$(( $(new -At -c "SELECT count(*) FROM tt") - 20 ))/20" "(b) received values stored canonical: compact unless a sum exceeds int64 ($r)"
new -c "COPY tt TO STDOUT (FORMAT binary)" >"$KC_BASE/tt2.bin" &&
	old -c "CREATE TABLE back (k text PRIMARY KEY, t kpi.tally); COPY back FROM STDIN (FORMAT binary)" <"$KC_BASE/tt2.bin" ||
	kc_bail "binary COPY into the 0.1.0 node"
kc_is "$(old -At -c "$(digest back)")" "$OLD_DIGEST" "(b) binary COPY from this build into the 0.1.0 node: equal"

# --- (c) text dump -----------------------------------------------------------
"$NEW_BIN/pg_dump" -h "$KC_SOCK" -p "$OLD" -U postgres -d postgres -t tt --data-only --inserts \
	>"$KC_BASE/tt.sql" || kc_bail "pg_dump of the 0.1.0 node"
new -c "TRUNCATE back" && sed 's/INSERT INTO public.tt /INSERT INTO public.back /' "$KC_BASE/tt.sql" | new >/dev/null ||
	kc_bail "restoring the 0.1.0 dump"
kc_is "$(new -At -c "$(digest back)")" "$OLD_DIGEST" "(c) a text dump of the 0.1.0 node restored on this build: equal"

# --- (d) postgres_fdw to the 0.1.0 node ---------------------------------------
new >/dev/null <<SQL || kc_bail "creating the foreign tables"
CREATE SERVER old FOREIGN DATA WRAPPER postgres_fdw
	OPTIONS (host '$KC_SOCK', port '$OLD', dbname 'postgres', extensions 'kpi_eval');
CREATE USER MAPPING FOR CURRENT_USER SERVER old OPTIONS (user 'postgres');
CREATE SCHEMA remote;
IMPORT FOREIGN SCHEMA public LIMIT TO (lines, tt) FROM SERVER old INTO remote;
SQL
r=$(new -At -c "EXPLAIN (VERBOSE, COSTS OFF) SELECT official, kpi.tally_agg(coef, assigned_qty, completed_qty, passed_qty, quality_errors, late_events) FROM remote.lines GROUP BY official" | grep -c 'Remote SQL: .*kpi\.tally_agg(')
kc_is "$r" "1" "(d) kpi.tally_agg is shipped to the 0.1.0 node"
r=$(new -At <<'SQL'
SELECT count(*) || '/' || count(*) FILTER (WHERE r.t::text = l.t::text)
FROM (SELECT official, kpi.tally_agg(coef, assigned_qty, completed_qty, passed_qty, quality_errors, late_events) AS t
      FROM remote.lines GROUP BY official) r
JOIN (SELECT split_part(k, '/', 1) AS official, kpi.rollup(t) AS t FROM back WHERE k NOT LIKE 'big/%' GROUP BY 1) l
  ON l.official = r.official::text;
SQL
)
kc_cond "(d) tallies computed by the 0.1.0 node equal this build's rollups of the copied ones ($r)" "${r%/*}" = "${r#*/}" -a "${r%/*}" -gt 250
r=$(new -At -c "SELECT readings(kpi.rollup(t)) = (SELECT readings(kpi.rollup(t)) FROM back) FROM (SELECT t FROM remote.tt WHERE k < '2' UNION ALL SELECT t FROM back WHERE k >= '2') s")
kc_is "$r" "t" "(d) 0.1.0 tallies fetched through postgres_fdw roll up with local ones exactly"

# --- (e) the 0.1.0 data directory under this build, then the update ----------
kc_as_owner "$OLD_BIN/pg_ctl" -D "$KC_BASE/old" -m fast -w stop >/dev/null 2>&1 ||
	kc_bail "stopping the 0.1.0 node"
kc_as_owner "$NEW_BIN/pg_ctl" -D "$KC_BASE/old" -l "$KC_BASE/old-upgraded.log" -w -t 60 start >/dev/null 2>&1 ||
	kc_bail "starting the 0.1.0 data directory with this build"
r=$(old -At -c "SELECT count(*) FILTER (WHERE pg_column_size(t) = 120) = count(*) FROM tt")
kc_is "$r" "t" "(e) the stored tallies are still in the 0.1.0 layout (120 bytes)"
old -At -c "COPY (SELECT k, readings(t) FROM tt ORDER BY k) TO STDOUT" >"$KC_BASE/readings-0.1.0-sql.txt"
kc_cond "(e) this library under the 0.1.0 SQL: every accessor result as with the 0.1.0 library" \
	"$(md5sum <"$KC_BASE/readings-0.1.0-sql.txt")" = "$(md5sum <"$KC_BASE/readings-0.1.0.txt")"
old -c "ALTER EXTENSION kpi_eval UPDATE" || kc_bail "ALTER EXTENSION kpi_eval UPDATE"
r=$(old -At -c "SELECT extversion FROM pg_extension WHERE extname = 'kpi_eval'")
kc_is "$r" "0.2.0" "(e) updated to 0.2.0"
old -At -c "COPY (SELECT k, readings(t) FROM tt ORDER BY k) TO STDOUT" >"$KC_BASE/readings-0.2.0.txt"
kc_cond "(e) after the update every stored tally gives every accessor result it gave under 0.1.0" \
	"$(md5sum <"$KC_BASE/readings-0.2.0.txt")" = "$(md5sum <"$KC_BASE/readings-0.1.0.txt")"
r=$(old -At <<'SQL'
SELECT bool_and(a.t::text = b.t::text)
FROM (SELECT split_part(k, '/', 1) AS o, kpi.rollup(t) AS t
      FROM (SELECT k, t FROM tt WHERE k < '2' UNION ALL SELECT k, t::text::kpi.tally FROM tt WHERE k >= '2') s
      GROUP BY 1) a
JOIN (SELECT split_part(k, '/', 1) AS o, kpi.rollup(t::text::kpi.tally) AS t FROM tt GROUP BY 1) b USING (o);
SQL
)
kc_is "$r" "t" "(e) stored version 1 values roll up with version 2 values exactly"
kc_finish
