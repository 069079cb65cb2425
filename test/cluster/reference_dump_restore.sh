#!/usr/bin/env bash
# pg_dump / pg_restore round trip of the reference schema, on the cluster the
# test harness provides (PGHOST, PGPORT, PGUSER set, a superuser; own
# databases and role, dropped at exit).
#
# A small organisation (test/cluster/lib_reference.bash) is evaluated (two
# months, the year, a superseded run), dumped with pg_dump -Fc and restored
# with pg_restore into a fresh database, where CREATE EXTENSION comes from the
# dump.  Then: every kpi table has the same rows (count and md5 of its rows
# in primary-key order), the sequences the same values, the seeded rule set
# is there once, the policies and grants are back (a reporting role sees the
# same rows), and the restored database keeps working: new rows get new ids
# (no duplicate key), March is evaluated as the next run, an evaluated period
# is still refused without supersede.
#
# Usage: bash test/cluster/reference_dump_restore.sh OUTPREFIX
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib_cluster.bash"
. "$here/lib_reference.bash"
kc_setup "${1:-}"
echo "# reference_dump_restore.sh: pg_dump -Fc / pg_restore of the reference schema"

SRC=kpi_dump_src_$$
DST=kpi_dump_dst_$$
ROLE=kpi_dump_reader_$$
WORK=$(mktemp -d /tmp/kpi_dump.XXXXXX)
chmod 755 "$WORK"
KC_CLEANUPS+=("rm -rf '$WORK'")
KC_CLEANUPS+=("psql -X -q -d postgres -c 'DROP DATABASE IF EXISTS $SRC WITH (FORCE)' -c 'DROP DATABASE IF EXISTS $DST WITH (FORCE)' -c 'DROP ROLE IF EXISTS $ROLE'")

on() { local d=$1; shift; psql -X -q -v ON_ERROR_STOP=1 -d "$d" "$@"; }
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$1" -c "$2"; }
state() {
	local out
	out=$(psql -X -q -At -d "$1" -v ON_ERROR_STOP=1 -c '\set VERBOSITY verbose' -c "$2" 2>&1)
	if [[ $out =~ ERROR:\ +([0-9A-Z]{5}): ]]; then echo "${BASH_REMATCH[1]}"; else echo 00000; fi
}

psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE $SRC" ||
	kc_bail "cannot create database $SRC on the harness cluster"
on "$SRC" -c "CREATE EXTENSION kpi_eval_reference CASCADE" || kc_bail "CREATE EXTENSION kpi_eval_reference CASCADE"
kr_org_sql | on "$SRC" || kc_bail "loading the organisation"
on "$SRC" <<-SQL >/dev/null 2>&1 || kc_bail "evaluating in $SRC"
	CALL kpi.evaluate('2026-01-01', 'month');
	CALL kpi.evaluate('2026-02-01', 'month');
	CALL kpi.evaluate('2026-02-01', 'month', supersede => true);
	-- an approved quota rate and a named quota group (dumped like the inputs)
	INSERT INTO kpi.quota_approval (year, unit_id, rate, decision) VALUES (2026, 2, 0.5, 'QĐ 7/QĐ-STP');
	UPDATE kpi.official SET quota_group = 'Lãnh đạo' WHERE is_leader;
	CALL kpi.evaluate('2026-01-01', 'year');
	-- a rule set of yours for 2027 (dumped), beside the seeded one (not dumped)
	INSERT INTO kpi.rule_set (name, effective, rules) VALUES ('Quy định 2027', '[2027-01-01,)', '{"quota_rate": 0.25}');
	-- a reporting role and its grant (dumped as the tables' ACLs)
	CREATE ROLE $ROLE NOLOGIN;
	GRANT USAGE ON SCHEMA kpi TO $ROLE;
	GRANT SELECT ON ALL TABLES IN SCHEMA kpi TO $ROLE;
	UPDATE kpi.unit SET reporting_role = '$ROLE' WHERE unit_id = 2;
SQL

# dump and restore into a fresh database
if pg_dump -Fc -f "$WORK/kpi.dump" "$SRC" 2>"$WORK/dump.err"; then
	kc_ok "pg_dump -Fc of the evaluated database"
else
	kc_bail "pg_dump failed" "$(cat "$WORK/dump.err")"
fi
kc_cond "the dump's table of contents has the extension and the data of the kpi tables, not the tables' DDL" \
	"$(pg_restore -l "$WORK/kpi.dump" | grep -cE ' EXTENSION - kpi_eval| TABLE DATA kpi ')" -ge 16 \
	-a "$(pg_restore -l "$WORK/kpi.dump" | grep -cE ' TABLE kpi ')" -eq 0
psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE $DST TEMPLATE template0" || kc_bail "CREATE DATABASE $DST"
if pg_restore --exit-on-error -d "$DST" "$WORK/kpi.dump" 2>"$WORK/restore.err" && [ ! -s "$WORK/restore.err" ]; then
	kc_ok "pg_restore into a fresh database: no error, no warning"
else
	kc_not_ok "pg_restore into a fresh database: no error, no warning" "$(head -20 "$WORK/restore.err")"
fi

# the same rows in every table, in primary-key order
gen="SELECT c.relname, format('SELECT count(*) || '' '' || coalesce(md5(string_agg(t::text, E''\\n'' ORDER BY %s)), ''-'') FROM %s t',
        (SELECT string_agg(format('t.%I', a.attname), ', ' ORDER BY k.n)
           FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY k(attnum, n)
           JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
          WHERE i.indrelid = c.oid AND i.indisprimary),
        c.oid::regclass)
     FROM pg_class c WHERE c.relnamespace = 'kpi'::regnamespace AND c.relkind = 'r' ORDER BY 1"
ntables=0
while IFS='|' read -r tbl sql; do
	ntables=$((ntables + 1))
	a=$(q "$SRC" "$sql") b=$(q "$DST" "$sql")
	if [ -n "$a" ] && [ "$a" = "$b" ]; then kc_ok "kpi.$tbl: the same rows after the restore (${a%% *} rows, md5 in key order)"
	else kc_not_ok "kpi.$tbl: the same rows after the restore" "before: $a" "after:  $b"; fi
done < <(q "$SRC" "$gen")
kc_is "$ntables" 25 "the comparison covered the 25 kpi tables"
kc_cond "the source had results to compare (official results, ledger rows, an agency result)" \
	"$(q "$SRC" "SELECT count(*) FROM kpi.ledger")" -gt 0 -a "$(q "$SRC" "SELECT count(*) FROM kpi.agency_result")" = 1
seqs="SELECT string_agg(sequencename || '=' || coalesce(last_value::text, 'NULL'), ',' ORDER BY sequencename) FROM pg_sequences WHERE schemaname = 'kpi'"
kc_is "$(q "$DST" "$seqs")" "$(q "$SRC" "$seqs")" "the kpi sequences have the same values"
kc_is "$(q "$DST" "SELECT count(*) FILTER (WHERE seeded) || ' ' || count(*) FROM kpi.rule_set")" "1 3" \
	"the seeded Decree 335 rule set is there once, beside the 2 rule sets of yours"
members="SELECT count(*) FROM pg_depend WHERE refclassid = 'pg_extension'::regclass AND deptype = 'e' AND refobjid = (SELECT oid FROM pg_extension WHERE extname = 'kpi_eval')"
kc_is "$(q "$DST" "$members")" "$(q "$SRC" "$members")" "the restored extension has the same members"
pol="SELECT count(*) || ' ' || string_agg(DISTINCT tablename, ',') FROM pg_policies WHERE schemaname = 'kpi'"
kc_is "$(q "$DST" "$pol")" "$(q "$SRC" "$pol")" "the row-level security policies are there once"
seen="SET ROLE $ROLE; SELECT string_agg(DISTINCT unit_id::text, ',') || ' ' || count(*) FROM kpi.current_official_result"
kc_is "$(q "$DST" "$seen")" "$(q "$SRC" "$seen")" "the reporting role's grants came back: it sees the same rows (its subtree)"
kc_is "$(q "$DST" "$seen")" "2 9" "(unit 2's 3 officials in the current runs of January, February and the year)"

# the restored database keeps working
kr_march_sql | on "$DST" 2>"$WORK/march.err" && on "$DST" <<-'SQL' 2>>"$WORK/march.err"
	INSERT INTO kpi.disciplinary_record (official_id, decided_on, kind, form, duty_related)
	VALUES (6, '2026-03-05', 'discipline', 'khien_trach', false);
	INSERT INTO kpi.lawmaking_document (unit_id, role, title, due) VALUES (3, 'appraisal', 'Thẩm định C', '2026-04-30');
	INSERT INTO kpi.rule_set (name, effective, rules, is_draft) VALUES ('Dự thảo sau khôi phục', '[2026-01-01,)', '{}', true);
SQL
if [ $? -eq 0 ] && [ ! -s "$WORK/march.err" ]; then
	kc_ok "new task lines, marks, records, documents and rule sets in the restored database (no duplicate key)"
else
	kc_not_ok "new rows in the restored database" "$(head -5 "$WORK/march.err")"
fi
kc_is "$(q "$DST" "SELECT (SELECT min(task_id) FROM kpi.task_line WHERE due = '2026-03-20') > (SELECT max(task_id) FROM kpi.task_line WHERE due < '2026-03-01')
                   AND (SELECT max(rule_set_id) FROM kpi.rule_set) = 4")" t "the identities continue after the restored ones"
if on "$DST" -c "CALL kpi.evaluate('2026-03-01', 'month')" >/dev/null 2>"$WORK/eval.err"; then
	kc_ok "CALL kpi.evaluate of March in the restored database"
else
	kc_not_ok "CALL kpi.evaluate of March in the restored database" "$(cat "$WORK/eval.err")"
fi
kc_is "$(q "$DST" "SELECT max(run_id) || ' ' || count(*) FILTER (WHERE period_start = '2026-03-01') FROM kpi.evaluation_run")" \
	"$(( $(q "$SRC" "SELECT max(run_id) FROM kpi.evaluation_run") + 1 )) 1" "March's run takes the next run id"
kc_is "$(q "$DST" "SELECT count(*) FROM kpi.current_official_result WHERE period_start = '2026-03-01' AND period_kind = 'month'")" 2 \
	"March has the results of the 2 officials with March data"
kc_is "$(state "$DST" "CALL kpi.evaluate('2026-01-01', 'month')")" 55000 \
	"a period evaluated before the dump is still refused without supersede (55000)"
kc_is "$(state "$DST" "CALL kpi.evaluate('2026-01-01', 'year', supersede => true)")/$(q "$DST" "SELECT count(*) FROM kpi.run_supersession")" \
	"00000/2" "the year is evaluated again with supersede (2 superseded runs)"
kc_is "$(state "$DST" "UPDATE kpi.official_result SET score = 0")/$(state "$DST" "DELETE FROM kpi.rule_set WHERE seeded")" \
	"55000/55000" "the restored results are still append-only and the seeded rule set read-only (55000)"

kc_finish
