/*
 * seal_text.c
 *		The canonical text of a run's seal (kpi.run_results_digest, version
 *		1), written directly instead of through jsonb in SQL:
 *		kpi.seal_array_text, the text jsonb_build_array(...)::text gives for
 *		scalar values, and kpi.ledger_seal_text, a packed ledger's lines.
 *
 * Version 1 of the seal prints each result's columns, and each entry of its
 * ledger as
 *		jsonb_build_array(line_no, unit_id, rule_id, source_table, source_id,
 *						  points_lost, detail)::text
 * joined by newlines.  Written here with the routines jsonb prints with
 * (escape_json, numeric_out, JsonEncodeDateTime, JsonbToCString), the text is
 * byte for byte the same without building a jsonb value per row: the seal
 * of a month costs about a third of what it did.  test/pgtap/ledger_pack.sql and
 * test/pgtap/seal_text.sql compare the two over random values.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
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

/*
 * One scalar as jsonb_build_array stores and prints it: integers and numerics
 * as JSON numbers (NaN and the infinities as strings, which JSON has no
 * number for), booleans as true or false, dates as ISO strings, text as JSON
 * strings.  Other types are refused: their jsonb text is not reproduced here.
 */
static void
seal_value(StringInfo out, Datum v, bool isnull, Oid typ, int argno)
{
	char		buf[MAXDATELEN + 1];
	char	   *s;

	if (isnull)
	{
		appendStringInfoString(out, "null");
		return;
	}
	switch (typ)
	{
		case INT2OID:
			appendStringInfo(out, "%d", (int) DatumGetInt16(v));
			break;
		case INT4OID:
			appendStringInfo(out, "%d", DatumGetInt32(v));
			break;
		case INT8OID:
			appendStringInfo(out, INT64_FORMAT, DatumGetInt64(v));
			break;
		case NUMERICOID:
			s = DatumGetCString(DirectFunctionCall1(numeric_out, v));
			if (strpbrk(s, "Nn") != NULL)
				escape_json(out, s);
			else
				appendStringInfoString(out, s);
			break;
		case BOOLOID:
			appendStringInfoString(out, DatumGetBool(v) ? "true" : "false");
			break;
		case DATEOID:
			escape_json(out, JsonEncodeDateTime(buf, v, DATEOID, NULL));
			break;
		case TEXTOID:
		case VARCHAROID:
			escape_json(out, TextDatumGetCString(v));
			break;
		default:
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("kpi.seal_array_text cannot print argument %d of type %s", argno + 1,
							format_type_be(typ)),
					 errdetail("Its arguments are integers, numerics, booleans, dates and text.")));
	}
}

PG_FUNCTION_INFO_V1(seal_array_text);
Datum
seal_array_text(PG_FUNCTION_ARGS)
{
	Datum	   *args;
	bool	   *nulls;
	Oid		   *types;
	int			n = extract_variadic_args(fcinfo, 0, true, &args, &types, &nulls);
	StringInfoData out;

	/* like jsonb_build_array: a NULL VARIADIC array gives NULL */
	if (n < 0)
		PG_RETURN_NULL();
	initStringInfo(&out);
	appendStringInfoChar(&out, '[');
	for (int i = 0; i < n; i++)
	{
		if (i > 0)
			appendStringInfoString(&out, ", ");
		seal_value(&out, args[i], nulls[i], types[i], i);
	}
	appendStringInfoChar(&out, ']');
	PG_RETURN_TEXT_P(cstring_to_text_with_len(out.data, out.len));
}
