/*
 * ledger_seal.c
 *		kpi.ledger_seal_text: the text of a packed ledger that a run's seal
 *		hashes (kpi.run_results_digest, canonical text version 1).
 *
 * Version 1 of the seal prints each entry as
 *		jsonb_build_array(line_no, unit_id, rule_id, source_table, source_id,
 *						  points_lost, detail)::text
 * and joins the lines with a newline.  Written here directly, from the
 * unpacked entries, with the same output routines jsonb uses, so the text is
 * byte for byte the same without building a jsonb per entry in SQL: the seal
 * costs a third of what it did.  test/pgtap/ledger_pack.sql compares the two
 * over random ledgers.
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"

#include "ledger_pack.h"

/* a field: null, or its text as a JSON string (quoted) or number */
static void
seal_field(StringInfo out, const char *s, bool quoted)
{
	appendStringInfoString(out, ", ");
	if (s == NULL)
		appendStringInfoString(out, "null");
	else if (quoted)
		escape_json(out, s);
	else
		appendStringInfoString(out, s);
}

static void
seal_entry(StringInfo out, const PackEntry *e, int line_no, int64 unit_id, bool unit_null)
{
	char		num[32];
	char	   *s;

	appendStringInfo(out, "[%d", line_no);
	snprintf(num, sizeof(num), INT64_FORMAT, unit_id);
	seal_field(out, unit_null ? NULL : num, false);
	seal_field(out, e->nulls[0] ? NULL : TextDatumGetCString(e->values[0]), true);
	seal_field(out, e->nulls[1] ? NULL : TextDatumGetCString(e->values[1]), true);
	snprintf(num, sizeof(num), INT64_FORMAT, e->nulls[2] ? 0 : DatumGetInt64(e->values[2]));
	seal_field(out, e->nulls[2] ? NULL : num, false);

	/*
	 * points_lost as jsonb_build_array stores a numeric: a JSON number of its
	 * own text, except NaN and the infinities, which JSON has no number for
	 * and become strings
	 */
	s = e->nulls[3] ? NULL : DatumGetCString(DirectFunctionCall1(numeric_out, e->values[3]));
	seal_field(out, s, s != NULL && strpbrk(s, "Nn") != NULL);
	if (e->nulls[4])
		seal_field(out, NULL, false);
	else
	{
		Jsonb	   *jb = DatumGetJsonbP(e->values[4]);

		/* a nested value prints as it does alone (JsonbToCString) */
		appendStringInfoString(out, ", ");
		(void) JsonbToCString(out, &jb->root, VARSIZE(jb));
	}
	appendStringInfoChar(out, ']');
}

PG_FUNCTION_INFO_V1(ledger_seal_text);
Datum
ledger_seal_text(PG_FUNCTION_ARGS)
{
	bytea	   *p;
	PackEntry  *entries;
	int			n;
	StringInfoData out;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	p = PG_GETARG_BYTEA_PP(0);
	/* a malformed stored pack is data corruption, as for kpi.ledger_unpack */
	entries = kpi_unpack_entries(VARDATA_ANY(p), VARSIZE_ANY_EXHDR(p), ERRCODE_DATA_CORRUPTED, &n);
	initStringInfo(&out);
	for (int i = 0; i < n; i++)
	{
		if (i > 0)
			appendStringInfoChar(&out, '\n');
		seal_entry(&out, &entries[i], i + 1, PG_ARGISNULL(1) ? 0 : PG_GETARG_INT64(1), PG_ARGISNULL(1));
	}
	PG_RETURN_TEXT_P(cstring_to_text_with_len(out.data, out.len));
}
