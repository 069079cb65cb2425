#!/usr/bin/env bash
# Every rule id that the sources, the tests, the benchmarks and the
# documentation cite (CS5, N0.3, AG3, E1, ...) is defined by a row of RULES.md,
# and every row of RULES.md is an id of those families.  Needs no cluster.
#
# Usage: bash test/cluster/rules_doc.sh OUTPREFIX
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$here/lib_cluster.bash"
kc_setup "${1:-}"
echo "# rules_doc.sh: the rule ids cited are those RULES.md defines"

ids='(CS|AG|IX|LM|GN|RS|E|CY|PAY|DQ)[0-9]+|N0\.[0-9]+'
cd "$root" || kc_bail "cd $root"
[ -f RULES.md ] || kc_bail "no RULES.md"
defined=$(grep -oE "^\| ($ids) \|" RULES.md | grep -oE "$ids" | sort -u)
# the released install scripts are frozen copies of the sources: not read
cited=$(find src sql expected test bench doc README*.md -type f \
	\( -name '*.sql' -o -name '*.out' -o -name '*.c' -o -name '*.h' -o -name '*.sh' -o -name '*.bash' \
	   -o -name '*.md' -o -name '*.py' -o -name '*.java' \) \
	! -name 'kpi_eval--*.sql' ! -name 'kpi_eval_reference--*.sql' -print0 2>/dev/null |
	xargs -0 grep -ohwE "$ids" | sort -u)
missing=$(comm -23 <(echo "$cited") <(echo "$defined") | tr '\n' ' ')
kc_is "$missing" "" "every cited rule id ($(echo "$cited" | wc -l) of them) has a row in RULES.md"
kc_cond "RULES.md defines the families N0, CS, GN, AG, LM, IX, RS, E, CY, PAY, DQ" \
	"$(for f in N0 CS GN AG LM IX RS E CY PAY DQ; do echo "$defined" | grep -q "^$f[0-9.]" || echo "$f"; done | wc -l)" -eq 0
rows=$(grep -cE '^\| [A-Z]' RULES.md)
odd=$(grep -E '^\| [A-Z0-9.]+ \|' RULES.md | grep -vE "^\| ($ids) \|" | grep -vE '^\| (Id|What) \|' | head -3)
kc_is "$odd" "" "every row of RULES.md starts with a rule id ($rows rows)"
kc_finish
