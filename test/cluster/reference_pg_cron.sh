#!/usr/bin/env bash
# Scheduling kpi.evaluate with pg_cron (Debian package postgresql-15-cron),
# on a throwaway cluster of its own started with shared_preload_libraries =
# 'pg_cron' (jobs run in background workers, database kpi_cron).
#
#   - installs postgresql-15-cron when it is missing (apt-get, as root); when
#     it cannot, that is one failed check with the reason;
#   - schedules the README recipe: close last month on the 1st at 02:00 and
#     the year on 10 December at 03:00 (before the 15 December deadline), and
#     checks cron.job holds them; runs the month job's command once (rolled
#     back) to show it is valid;
#   - proves the mechanism: a job evaluating March 2026 of the test data on a
#     '2 seconds' schedule (pg_cron >= 1.5; older versions: every minute,
#     waiting up to 75 s) succeeds in cron.job_run_details and writes the
#     run; its next firing is refused (already evaluated); then unscheduled.
#
# Usage: bash test/cluster/reference_pg_cron.sh OUTPREFIX
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib_cluster.bash"
. "$here/lib_reference.bash"
kc_setup "${1:-}"
echo "# reference_pg_cron.sh: scheduling kpi.evaluate with pg_cron"

PKG=postgresql-15-cron
DB=kpi_cron
if ! dpkg-query -W -f='${Status}' "$PKG" 2>/dev/null | grep -q "install ok installed"; then
	why=""
	if [ "$(id -u)" = 0 ]; then
		apt-get update -qq >/tmp/kpi_cron_apt.$$ 2>&1
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$PKG" >>/tmp/kpi_cron_apt.$$ 2>&1 ||
			why=$(tail -3 /tmp/kpi_cron_apt.$$)
		rm -f /tmp/kpi_cron_apt.$$
	elif sudo -n true 2>/dev/null; then
		sudo -n apt-get update -qq >/dev/null 2>&1
		DEBIAN_FRONTEND=noninteractive sudo -n apt-get install -y -qq "$PKG" >/dev/null 2>&1 ||
			why="sudo apt-get install $PKG failed"
	else
		why="not root and no sudo: cannot install $PKG"
	fi
	if [ -n "$why" ] || [ ! -f "$("$PG_CONFIG" --sharedir)/extension/pg_cron.control" ]; then
		kc_not_ok "the Debian package $PKG is installed" "${why:-pg_cron.control not found after installing}"
		kc_finish
		exit 0
	fi
fi
kc_ok "the Debian package $PKG is installed ($(dpkg-query -W -f='${Version}' "$PKG"))"

kc_start_node cron "shared_preload_libraries = 'pg_cron'" "cron.database_name = '$DB'" \
	"cron.use_background_workers = on" "max_worker_processes = 16" ||
	kc_bail "cannot start a cluster with shared_preload_libraries = 'pg_cron'"
P=$KC_PORT
on() { kc_psql "$P" "$DB" "$@"; }
q() { kc_psql "$P" "$DB" -At -c "$1"; }

kc_psql "$P" postgres -c "CREATE DATABASE $DB" || kc_bail "CREATE DATABASE $DB"
on -c "CREATE EXTENSION pg_cron" -c "CREATE EXTENSION kpi_eval_reference CASCADE" || kc_bail "CREATE EXTENSION pg_cron, kpi_eval_reference"
{ kr_org_sql; kr_march_sql; } | on || kc_bail "loading the organisation"
on -c "CALL kpi.evaluate('2026-01-01', 'month')" -c "CALL kpi.evaluate('2026-02-01', 'month')" 2>/dev/null ||
	kc_bail "evaluating January and February"
cron_version=$(q "SELECT extversion FROM pg_extension WHERE extname = 'pg_cron'")
kc_diag "pg_cron extension version $cron_version"

# the recipe (README, "Scheduling with pg_cron")
on >/dev/null <<-'SQL' || kc_bail "scheduling the recipe"
	SELECT cron.schedule('kpi-close-month', '0 2 1 * *',
	    $$CALL kpi.evaluate(date_trunc('month', now() - interval '1 month')::date, 'month')$$);
	SELECT cron.schedule('kpi-close-year', '0 3 10 12 *',
	    $$CALL kpi.evaluate(date_trunc('year', now())::date, 'year')$$);
SQL
kc_is "$(q "SELECT string_agg(format('%s|%s|%s|%s|%s', jobname, schedule, command, database, active), E'\n' ORDER BY jobname) FROM cron.job")" \
"kpi-close-month|0 2 1 * *|CALL kpi.evaluate(date_trunc('month', now() - interval '1 month')::date, 'month')|$DB|t
kpi-close-year|0 3 10 12 *|CALL kpi.evaluate(date_trunc('year', now())::date, 'year')|$DB|t" \
	"cron.job holds the month job (02:00 on the 1st) and the year job (03:00 on 10 December), active, in $DB"
kc_is "$(q "SELECT username FROM cron.job WHERE jobname = 'kpi-close-month'")" "$(q "SELECT current_user")" \
	"the jobs run as the role that scheduled them (the owner of the kpi tables)"
month_cmd=$(q "SELECT command FROM cron.job WHERE jobname = 'kpi-close-month'")
# last month has no data: the job is refused and writes nothing, so the real
# run is not blocked (rules.md DQ5)
out=$(on -c "BEGIN" -c "$month_cmd" -c "ROLLBACK" 2>&1)
if printf '%s' "$out" | grep -q "has no inputs"; then
	kc_ok "the month job's command runs (last month, no data: refused as empty, nothing written)"
else
	kc_not_ok "the month job's command runs" "$out"
fi
kc_is "$(q "SELECT kpi.evaluation_period_end(date_trunc('year', now())::date, 'year') = make_date(extract(year FROM now())::int, 12, 31)")" t \
	"the year job's period is the current calendar year"

# the mechanism: a job that evaluates March 2026 of the test data
if q "SELECT cron.schedule('kpi-test-march', '2 seconds', \$\$CALL kpi.evaluate('2026-03-01', 'month')\$\$)" >/dev/null 2>&1; then
	seconds=1; wait=20
	kc_ok "pg_cron $cron_version accepts the '2 seconds' schedule"
else
	seconds=0; wait=75
	kc_diag "pg_cron $cron_version has no seconds schedules (pg_cron >= 1.5): scheduling every minute instead"
	q "SELECT cron.schedule('kpi-test-march', '* * * * *', \$\$CALL kpi.evaluate('2026-03-01', 'month')\$\$)" >/dev/null ||
		kc_bail "scheduling the test job"
fi
job=$(q "SELECT jobid FROM cron.job WHERE jobname = 'kpi-test-march'")
t0=$(date +%s); ok=""
while [ $(( $(date +%s) - t0 )) -le $wait ]; do
	ok=$(q "SELECT count(*) FROM cron.job_run_details WHERE jobid = $job AND status = 'succeeded'")
	[ "$ok" -ge 1 ] 2>/dev/null && break
	sleep 0.5
done
kc_cond "the job ran and succeeded within $wait s (cron.job_run_details, after $(( $(date +%s) - t0 )) s)" "${ok:-0}" -ge 1
kc_is "$(q "SELECT count(*) || ',' || min(created_by) FROM kpi.evaluation_run WHERE period_start = '2026-03-01' AND period_kind = 'month'")/$(q "SELECT count(*) FROM kpi.current_official_result WHERE period_start = '2026-03-01'")" \
	"1,postgres/2" "it wrote March's run with the results of the 2 officials with March data"
if [ "$seconds" = 1 ]; then
	t0=$(date +%s); failed=0
	while [ $(( $(date +%s) - t0 )) -le 10 ]; do
		failed=$(q "SELECT count(*) FROM cron.job_run_details WHERE jobid = $job AND status = 'failed' AND return_message LIKE '%is already evaluated%'")
		[ "$failed" -ge 1 ] && break
		sleep 0.5
	done
	kc_cond "its next firing is refused: the period is already evaluated (failed in cron.job_run_details)" "$failed" -ge 1
fi
q "SELECT cron.unschedule('kpi-test-march')" >/dev/null
kc_is "$(q "SELECT count(*) FROM cron.job WHERE jobname = 'kpi-test-march'")/$(q "SELECT count(*) FROM kpi.evaluation_run WHERE period_start = '2026-03-01'")" \
	"0/1" "unscheduled; March still has exactly one run"

kc_finish
