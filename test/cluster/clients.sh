#!/usr/bin/env bash
# Real clients of the reporting views (schema kpi_report), on a node of its
# own that listens on 127.0.0.1 (the JDBC driver speaks TCP only):
#
#  - Java: test/clients/ReportColumns.java, compiled here with the machine's
#    javac against the Debian JDBC driver (/usr/share/java/postgresql.jar) and
#    run under TZ=Asia/Ho_Chi_Minh: DatabaseMetaData.getColumns of every
#    view (no OTHER, ARRAY or custom type; numeric precision and scale as
#    declared; bilingual comments), scores as exact BigDecimal in the text
#    and the binary protocol, kpi.tally as a PGobject, dates as dates;
#  - Python: test/clients/psycopg_check.py with Debian's psycopg2
#    (/usr/bin/python3): every view's values of built-in types, scores as
#    Decimal, a binary COPY round trip of the stored kpi.tally values;
#  - the HTML report (test/sample/report_html.py) generated from the views and
#    loaded once in headless Chromium: each of its three charts must have
#    drawn bars (measured after layout), and the file must fetch nothing.
#
# Usage: bash test/cluster/clients.sh OUTPREFIX
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib_cluster.bash"
kc_setup "${1:-}"
echo "# clients.sh: JDBC, psycopg2 and Chromium on the reporting views"

JAR=/usr/share/java/postgresql.jar
PY=/usr/bin/python3
WORK=$(mktemp -d /tmp/kpi_clients.XXXXXX) || kc_bail "mktemp failed"
KC_CLEANUPS+=("rm -rf '$WORK'")
chmod 755 "$WORK"

kc_start_node tcp "listen_addresses = '127.0.0.1'" || kc_bail "starting a node on 127.0.0.1"
PORT=$KC_PORT
DB=kpi_clients
kc_psql "$PORT" postgres -c "CREATE DATABASE $DB" || kc_bail "CREATE DATABASE"
kc_psql "$PORT" "$DB" -c "CREATE EXTENSION kpi_eval_reference CASCADE" || kc_bail "CREATE EXTENSION"
kc_psql "$PORT" "$DB" -f "$here/../sample/reference_org.sql" || kc_bail "loading test/sample/reference_org.sql"
kc_psql "$PORT" "$DB" -c "SET client_min_messages = warning" \
	-c "CALL kpi.evaluate('2026-01-01', 'month')" -c "CALL kpi.evaluate('2026-02-01', 'month')" \
	-c "CALL kpi.evaluate('2026-01-01', 'year')" || kc_bail "kpi.evaluate"

# count_lines LOG: turns the "ok - ..." / "not ok - ..." lines of a client into checks
count_lines() {
	local line n=0
	while IFS= read -r line; do
		case "$line" in
		"ok - "*) kc_ok "${line#ok - }"; n=$((n + 1)) ;;
		"not ok - "*) kc_not_ok "${line#not ok - }"; n=$((n + 1)) ;;
		*) printf '#   %s\n' "$line" ;;
		esac
	done <"$1"
	[ "$n" -gt 0 ] || kc_not_ok "$2 printed no check" "$(tail -20 "$1")"
}

# Java
if javac -d "$WORK/java" -cp "$JAR" "$here/../clients/ReportColumns.java" >"$WORK/javac.log" 2>&1; then
	kc_ok "javac $(javac -version 2>&1 | cut -d' ' -f2) compiles test/clients/ReportColumns.java"
	TZ=Asia/Ho_Chi_Minh java -Duser.timezone=Asia/Ho_Chi_Minh -cp "$JAR:$WORK/java" ReportColumns \
		"jdbc:postgresql://127.0.0.1:$PORT/$DB?user=postgres" >"$WORK/java.log" 2>&1 ||
		kc_not_ok "java ReportColumns exited with an error" "$(tail -20 "$WORK/java.log")"
	count_lines "$WORK/java.log" "java ReportColumns"
else
	kc_not_ok "javac test/clients/ReportColumns.java" "$(cat "$WORK/javac.log")"
fi

# Python (psycopg2 over the unix socket)
DSN="host=$KC_SOCK port=$PORT dbname=$DB user=postgres"
TZ=Asia/Ho_Chi_Minh "$PY" "$here/../clients/psycopg_check.py" "$DSN" >"$WORK/py.log" 2>&1 ||
	kc_not_ok "psycopg_check.py exited with an error" "$(tail -20 "$WORK/py.log")"
count_lines "$WORK/py.log" "psycopg_check.py"

# The HTML report in headless Chromium (one start)
html=$WORK/report.html
if "$PY" "$here/../sample/report_html.py" "$DSN" "$html" 2026 >"$WORK/html.log" 2>&1; then
	kc_ok "report_html.py writes the report ($(wc -c <"$html") bytes)"
else
	kc_not_ok "report_html.py" "$(cat "$WORK/html.log")"
fi
[ -s "$html" ] || kc_bail "no HTML report to check"
# nothing to fetch: no src, href or url() anywhere, the only URL the SVG namespace
ext=$(grep -oiE '(src|href)=|url\(|@import|https?://[^" ]*' "$html" | grep -v '^http://www.w3.org/2000/svg$' | sort -u | tr '\n' ' ')
kc_is "$ext" "" "the HTML report references no file or network address"
chmod 644 "$html"
timeout 180 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
	--disable-background-networking --disable-component-update --disable-sync \
	--user-data-dir="$WORK/chromium-profile" --dump-dom "file://$html" >"$WORK/dom.html" 2>"$WORK/chromium.log"
rc=$?
kc_is "$rc" 0 "headless Chromium loads the report"
check=$(sed -n '/<pre id="render-check"/,/<\/pre>/p' "$WORK/dom.html")
kc_diag "$(printf '%s\n' "$check" | sed 's/<[^>]*>//g')"
for chart in chart-tiers chart-histogram chart-quality; do
	line=$(printf '%s\n' "$check" | grep -oE "$chart bars=[0-9]+ area=[0-9]+ box=[0-9]+x[0-9]+")
	bars=$(sed -n 's/.* bars=\([0-9]*\).*/\1/p' <<<"$line")
	area=$(sed -n 's/.* area=\([0-9]*\).*/\1/p' <<<"$line")
	box=$(sed -n 's/.* box=\([0-9]*\)x\([0-9]*\).*/\1 \2/p' <<<"$line")
	if [ -n "$line" ] && [ "${bars:-0}" -gt 0 ] && [ "${area:-0}" -gt 0 ] && [ "${box%% *}" -gt 0 ] && [ "${box##* }" -gt 0 ]; then
		kc_ok "$chart drawn in Chromium: $bars bars, $area px² of bars"
	else
		kc_not_ok "$chart drawn in Chromium" "measured: ${line:-nothing}" "$(tail -5 "$WORK/chromium.log")"
	fi
done
# the bars carry the numbers of the views: the official tiers of the year
# add up to the officials scored
got=$(grep -o 'data-value="[0-9]*"' "$html" | wc -l)
kc_cond "the report's charts have $got bars" "$got" -gt 5
want=$(kc_psql "$PORT" "$DB" -At -c "SELECT count(*) FROM kpi_report.official_result WHERE period_kind = 'year' AND score IS NOT NULL")
hist=$(sed -n '/id="chart-histogram"/,/<\/svg>/p' "$html" | sed -n 's/.*class="bar" data-value="\([0-9]*\)".*/\1/p' | awk '{ s += $1 } END { print s + 0 }')
kc_is "$hist" "$want" "the histogram counts every scored official of the year"

kc_finish
