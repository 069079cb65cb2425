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
 * (escape_json, numeric_out, JsonEncodeDateTime, JsonbToCString), and a
 * ledger printed as its pack is read (numerics from their digits, details of
 * the known shapes from their typed values, in the keys' jsonb order), the
 * text is byte for byte the same without building a jsonb value per row: the
 * seal of a month costs about a quarter of what it did.
 * test/pgtap/ledger_pack.sql and test/pgtap/seal_text.sql compare the two
 * over random values.
 *
 * kpi.task_line_text is the other canonical text here: a task line's inputs
 * as its results' input digests print them.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"

#include "fixed.h"
#include "ledger_pack.h"

/* an integer, as "%d" and INT64_FORMAT print it, without parsing a format */
static void
seal_int(StringInfo out, int64 v)
{
	char		buf[MAXINT8LEN + 1];

	appendBinaryStringInfo(out, buf, pg_lltoa(v, buf));
}

/* a field after its comma: an integer, or null */
static void
seal_int_field(StringInfo out, int64 v, bool isnull)
{
	appendStringInfoString(out, ", ");
	if (isnull)
		appendStringInfoString(out, "null");
	else
		seal_int(out, v);
}

/*
 * A JSON string as escape_json writes it: copied whole when no byte of it
 * needs escaping (every rule id, table and key of a ledger), else escaped.
 */
static void
seal_string(StringInfo out, const char *s, int len)
{
	for (int i = 0; i < len; i++)
	{
		unsigned char c = (unsigned char) s[i];

		if (c < ' ' || c == '"' || c == '\\')
		{
			escape_json(out, pnstrdup(s, len));
			return;
		}
	}
	enlargeStringInfo(out, len + 2);
	out->data[out->len++] = '"';
	memcpy(out->data + out->len, s, len);
	out->len += len;
	out->data[out->len++] = '"';
	out->data[out->len] = '\0';
}

/* a numeric as jsonb prints it: its text, NaN and the infinities as strings */
static void
seal_numeric_text(StringInfo out, const char *s)
{
	if (strpbrk(s, "Nn") != NULL)
		escape_json(out, s);
	else
		appendStringInfoString(out, s);
}

/* a rule id or source table of the pack (kpi_pack_field_text) as a JSON string */
static void
seal_pack_text(StringInfo out, PackReader *rd, int code, int literal, const char *const *dict, int n,
			   const char *what)
{
	int			len;
	const char *s = kpi_pack_field_text(rd, code, literal, dict, n, what, &len);

	appendStringInfoString(out, ", ");
	if (s == NULL)
		appendStringInfoString(out, "null");
	else
		seal_string(out, s, len);
}

/* a numeric of the pack (ledger_pack.c: scale byte, or scale 6) */
static void
seal_pack_numeric(StringInfo out, PackReader *rd, bool scale6)
{
	char		buf[KPI_NUMERIC_TEXT];
	uint8		s = scale6 ? 6 : kpi_pack_byte(rd);

	appendStringInfoString(out, ", ");
	if (s <= 252)
	{
		kpi_decimal_text(kpi_pack_zigzag(rd), s, buf);
		appendStringInfoString(out, buf);
	}
	else if (s == 253)
		appendStringInfoString(out, "null");
	else if (s == 254)
	{
		Datum		n = DirectFunctionCall3(numeric_in, CStringGetDatum(kpi_pack_cstring(rd)),
										   ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));

		seal_numeric_text(out, DatumGetCString(DirectFunctionCall1(numeric_out, n)));
	}
	else
		kpi_pack_bad(rd, "a numeric has an unknown form");
}

/* a jsonb value, as JsonbToCString prints it alone or nested */
static void
seal_jsonb(StringInfo out, Datum v)
{
	Jsonb	   *jb = DatumGetJsonbP(v);

	(void) JsonbToCString(out, &jb->root, VARSIZE(jb));
}

/*
 * A detail object of a known shape: its keys are stored in their jsonb
 * order and values typed, so it prints as jsonb prints the object, without
 * building it.  Other details (other keys, json text) are built as jsonb.
 */
static void
seal_pack_detail(StringInfo out, PackReader *rd, int mode)
{
	const uint8 *start = rd->p;
	uint8		shape;
	char		buf[KPI_NUMERIC_TEXT];

	if (mode == 3 || (shape = kpi_pack_byte(rd)) == 0 || shape > N_SHAPES)
	{
		rd->p = start;
		seal_jsonb(out, kpi_pack_detail(rd, mode));
		return;
	}
	kpi_pack_init_shapes();
	appendStringInfoChar(out, '{');
	for (int i = 0; i < shape_len[shape - 1]; i++)
	{
		uint8		type;

		if (i > 0)
			appendStringInfoString(out, ", ");
		seal_string(out, shape_sorted[shape - 1][i], strlen(shape_sorted[shape - 1][i]));
		appendStringInfoString(out, ": ");
		type = kpi_pack_byte(rd);
		switch (type)
		{
			case 0:
				appendStringInfoString(out, "null");
				break;
			case 1:
			case 2:
				appendStringInfoString(out, type == 2 ? "true" : "false");
				break;
			case 3:
				{
					const char *ds = kpi_pack_dict(rd, pack_strings, n_pack_strings, kpi_pack_byte(rd),
												   "a detail string has an unknown code");

					seal_string(out, ds, strlen(ds));
				}
				break;
			case 4:
				escape_json(out, kpi_pack_cstring(rd));
				break;
			case 5:
				seal_jsonb(out, DirectFunctionCall1(jsonb_in, CStringGetDatum(kpi_pack_cstring(rd))));
				break;
			default:
				if (type >= 128)
					seal_int(out, type - 128);
				else
				{
					kpi_decimal_text(kpi_pack_zigzag(rd), type - 6, buf);
					appendStringInfoString(out, buf);
				}
				break;
		}
	}
	appendStringInfoChar(out, '}');
}

/*
 * The seal's lines of a packed ledger, read and printed in one pass (the
 * format: ledger_pack.c), every byte checked as kpi_unpack_entries does.
 */
static void
seal_pack(StringInfo out, const char *data, int len, int64 unit_id, bool unit_null)
{
	PackReader	rd;
	uint64		n;
	bool		have_sid = false;
	int64		sid = 0;
	int			detail_at = -1;		/* the previous entry's detail text in out */
	int			detail_len = 0;

	n = kpi_pack_open(&rd, data, len, ERRCODE_DATA_CORRUPTED);
	for (uint64 i = 0; i < n; i++)
	{
		PackHead	h;

		kpi_pack_head(&rd, &h);
		if (i > 0)
			appendStringInfoChar(out, '\n');
		appendStringInfoChar(out, '[');
		seal_int(out, (int64) (i + 1));	/* i < len: every entry takes bytes */
		seal_int_field(out, unit_id, unit_null);
		seal_pack_text(out, &rd, h.rule, 127, pack_rules, n_pack_rules, "a rule id has an unknown code");
		seal_pack_text(out, &rd, h.table, 15, pack_tables, n_pack_tables, "a source table has an unknown code");
		have_sid = kpi_pack_source_id(&rd, &h, have_sid, &sid);
		seal_int_field(out, sid, !have_sid);
		seal_pack_numeric(out, &rd, h.scale6);
		appendStringInfoString(out, ", ");
		if (h.detail == 0)
		{
			appendStringInfoString(out, "null");
			detail_at = -1;
		}
		else if (h.detail == 1)
		{
			if (detail_at < 0)
				kpi_pack_bad(&rd, "a detail repeats an entry that has none");
			enlargeStringInfo(out, detail_len);
			memcpy(out->data + out->len, out->data + detail_at, detail_len);
			detail_at = out->len;
			out->len += detail_len;
			out->data[out->len] = '\0';
		}
		else
		{
			detail_at = out->len;
			seal_pack_detail(out, &rd, h.detail);
			detail_len = out->len - detail_at;
		}
		appendStringInfoChar(out, ']');
	}
	if (rd.p != rd.end)
		kpi_pack_bad(&rd, "bytes follow its last entry");
}

PG_FUNCTION_INFO_V1(ledger_seal_text);
Datum
ledger_seal_text(PG_FUNCTION_ARGS)
{
	bytea	   *p;
	StringInfoData out;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	p = PG_GETARG_BYTEA_PP(0);
	initStringInfo(&out);
	seal_pack(&out, VARDATA_ANY(p), VARSIZE_ANY_EXHDR(p), PG_ARGISNULL(1) ? 0 : PG_GETARG_INT64(1),
			  PG_ARGISNULL(1));
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

	if (isnull)
	{
		appendStringInfoString(out, "null");
		return;
	}
	switch (typ)
	{
		case INT2OID:
			seal_int(out, DatumGetInt16(v));
			break;
		case INT4OID:
			seal_int(out, DatumGetInt32(v));
			break;
		case INT8OID:
			seal_int(out, DatumGetInt64(v));
			break;
		case NUMERICOID:
			{
				char		num[KPI_NUMERIC_TEXT];

				seal_numeric_text(out, kpi_numeric_text(v, num));
			}
			break;
		case BOOLOID:
			appendStringInfoString(out, DatumGetBool(v) ? "true" : "false");
			break;
		case DATEOID:
			escape_json(out, JsonEncodeDateTime(buf, v, DATEOID, NULL));
			break;
		case TEXTOID:
		case VARCHAROID:
			{
				text	   *t = DatumGetTextPP(v);

				seal_string(out, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
			}
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

PG_FUNCTION_INFO_V1(task_line_text);

/*
 * kpi.task_line_text(task_id, due, coef, assigned_qty, completed_qty,
 * passed_qty, quality_errors, late_events): concat_ws(',', ...) of them under
 * DateStyle ISO, which kpi.score_period and kpi.score_agencies set for their
 * input digests, a line each; NULLs left out as concat_ws leaves them out.
 * Printed here instead of by eight output functions a line (numerics as
 * numeric_out prints them, dates as date_out prints them in ISO), the same
 * text whatever the session's DateStyle.
 */
Datum
task_line_text(PG_FUNCTION_ARGS)
{
	StringInfoData out;
	bool		first = true;

	initStringInfo(&out);
	for (int i = 0; i < 8; i++)
	{
		char		buf[Max(KPI_NUMERIC_TEXT, MAXDATELEN + 1)];

		if (PG_ARGISNULL(i))
			continue;
		if (!first)
			appendStringInfoChar(&out, ',');
		first = false;
		switch (i)
		{
			case 0:
				seal_int(&out, PG_GETARG_INT64(0));
				break;
			case 1:
				{
					DateADT		d = PG_GETARG_DATEADT(1);
					struct pg_tm tm;

					if (DATE_NOT_FINITE(d))
						EncodeSpecialDate(d, buf);
					else
					{
						j2date(d + POSTGRES_EPOCH_JDATE, &tm.tm_year, &tm.tm_mon, &tm.tm_mday);
						EncodeDateOnly(&tm, USE_ISO_DATES, buf);
					}
					appendStringInfoString(&out, buf);
				}
				break;
			case 6:
			case 7:
				seal_int(&out, PG_GETARG_INT32(i));
				break;
			default:
				appendStringInfoString(&out, kpi_numeric_text(PG_GETARG_DATUM(i), buf));
				break;
		}
	}
	PG_RETURN_TEXT_P(cstring_to_text_with_len(out.data, out.len));
}
