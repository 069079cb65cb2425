/*
 * ledger_unpack.c
 *		kpi.ledger_pack: the reader of the packed format (ledger_pack.c
 *		describes it), which checks every byte, and the SQL functions: the
 *		type's text and binary input and output, kpi.ledger_pack,
 *		kpi.ledger_unpack, kpi.ledger_entries and kpi.ledger_pack_length.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/numeric.h"
#include "utils/syscache.h"
#include "utils/typcache.h"

#include "fixed.h"
#include "ledger_pack.h"

/* Reading ---------------------------------------------------------------- */

void
kpi_pack_bad(PackReader *rd, const char *what)
{
	ereport(ERROR,
			(errcode(rd->errcode),
			 errmsg("invalid kpi.ledger_pack value"),
			 errdetail("The packed ledger is malformed: %s.", what)));
}

static Datum
unscaled_numeric(int64 unscaled, int scale)
{
	char		out[KPI_NUMERIC_TEXT];

	kpi_decimal_text(unscaled, scale, out);
	return DirectFunctionCall3(numeric_in, CStringGetDatum(out), ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));
}

static Datum
text_numeric(PackReader *rd)
{
	return DirectFunctionCall3(numeric_in, CStringGetDatum(kpi_pack_cstring(rd)),
							   ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));
}

static Datum
get_numeric(PackReader *rd, bool *isnull, bool scale6)
{
	uint8		s;

	*isnull = false;
	if (scale6)
		return unscaled_numeric(kpi_pack_zigzag(rd), 6);
	s = kpi_pack_byte(rd);
	if (s <= 252)
		return unscaled_numeric(kpi_pack_zigzag(rd), s);
	if (s == 253)
	{
		*isnull = true;
		return (Datum) 0;
	}
	if (s == 254)
		return text_numeric(rd);
	kpi_pack_bad(rd, "a numeric has an unknown form");
}

Datum
kpi_pack_detail(PackReader *rd, int mode)
{
	JsonbParseState *st = NULL;
	JsonbValue *res;
	uint64		n;
	uint8		shape;

	if (mode == 3)
		return DirectFunctionCall1(jsonb_in, CStringGetDatum(kpi_pack_cstring(rd)));
	shape = kpi_pack_byte(rd);
	if (shape > N_SHAPES)
		kpi_pack_bad(rd, "a detail has an unknown shape");
	kpi_pack_init_shapes();
	n = shape > 0 ? (uint64) shape_len[shape - 1] : kpi_pack_varint(rd);
	if (n > (uint64) (rd->end - rd->p))
		kpi_pack_bad(rd, "an object has more keys than bytes");
	pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
	for (uint64 i = 0; i < n; i++)
	{
		JsonbValue	k;
		JsonbValue	v;
		uint8		type;
		int			len;

		k.type = jbvString;
		if (shape > 0)
		{
			k.val.string.val = (char *) shape_sorted[shape - 1][i];
			k.val.string.len = strlen(k.val.string.val);
		}
		else
		{
			uint8		code = kpi_pack_byte(rd);

			if (code == 0)
			{
				k.val.string.val = (char *) kpi_pack_bytes(rd, &len);
				k.val.string.len = len;
			}
			else
			{
				k.val.string.val = (char *) kpi_pack_dict(rd, pack_keys, n_pack_keys, code, "a detail key has an unknown code");
				k.val.string.len = strlen(k.val.string.val);
			}
		}
		pushJsonbValue(&st, WJB_KEY, &k);
		type = kpi_pack_byte(rd);
		switch (type)
		{
			case 0:
				v.type = jbvNull;
				break;
			case 1:
			case 2:
				v.type = jbvBool;
				v.val.boolean = type == 2;
				break;
			case 3:
				v.type = jbvString;
				v.val.string.val = (char *) kpi_pack_dict(rd, pack_strings, n_pack_strings, kpi_pack_byte(rd),
													   "a detail string has an unknown code");
				v.val.string.len = strlen(v.val.string.val);
				break;
			case 4:
				v.type = jbvString;
				v.val.string.val = (char *) kpi_pack_bytes(rd, &len);
				v.val.string.len = len;
				break;
			case 5:
				{
					Jsonb	   *jb = DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum(kpi_pack_cstring(rd))));

					v.type = jbvBinary;
					v.val.binary.data = &jb->root;
					v.val.binary.len = VARSIZE(jb) - VARHDRSZ;
				}
				break;
			default:
				v.type = jbvNumeric;
				if (type >= 128)
					v.val.numeric = DatumGetNumeric(unscaled_numeric(type - 128, 0));
				else			/* 6 .. 127: scale 0 .. 121 */
					v.val.numeric = DatumGetNumeric(unscaled_numeric(kpi_pack_zigzag(rd), type - 6));
				break;
		}
		pushJsonbValue(&st, WJB_VALUE, &v);
	}
	res = pushJsonbValue(&st, WJB_END_OBJECT, NULL);
	if (st == NULL && res->val.object.nPairs != (int) n)
		kpi_pack_bad(rd, "a detail object repeats a key");
	return JsonbPGetDatum(JsonbValueToJsonb(res));
}

/*
 * Starts reading packed bytes: checks the version, returns the entry count
 * (checked against the bytes there are); a malformed value is an error of
 * sqlstate.
 */
uint64
kpi_pack_open(PackReader *rd, const char *data, int len, int sqlstate)
{
	uint64		n;

	rd->p = (const uint8 *) data;
	rd->end = rd->p + len;
	rd->errcode = sqlstate;
	if (len < 1 || rd->p[0] != PACK_VERSION)
		ereport(ERROR,
				(errcode(sqlstate),
				 errmsg("invalid kpi.ledger_pack value"),
				 len < 1 ? errdetail("The packed ledger is empty.")
				 : errdetail("Its format version is %d; this kpi_eval reads version %d.", rd->p[0], PACK_VERSION)));
	rd->p++;
	n = kpi_pack_varint(rd);
	/* every entry takes at least 3 bytes */
	if (n > (uint64) (rd->end - rd->p) / 3)
		kpi_pack_bad(rd, "it counts more entries than it holds");
	return n;
}

/* packed bytes -> entries (palloc'd, *count of them); a malformed value is an error of sqlstate */
PackEntry *
kpi_unpack_entries(const char *data, int len, int sqlstate, int *count)
{
	PackReader	rd;
	uint64		n;
	PackEntry  *entries;

	n = kpi_pack_open(&rd, data, len, sqlstate);
	entries = palloc0(sizeof(PackEntry) * (n > 0 ? n : 1));
	for (uint64 i = 0; i < n; i++)
	{
		PackEntry  *e = &entries[i];
		PackHead	h;
		const char *t;
		int			tlen;
		int64		sid = i > 0 ? DatumGetInt64(entries[i - 1].values[2]) : 0;

		kpi_pack_head(&rd, &h);
		t = kpi_pack_field_text(&rd, h.rule, 127, pack_rules, n_pack_rules, "a rule id has an unknown code", &tlen);
		e->nulls[0] = t == NULL;
		if (t != NULL)
			e->values[0] = PointerGetDatum(cstring_to_text_with_len(t, tlen));
		t = kpi_pack_field_text(&rd, h.table, 15, pack_tables, n_pack_tables, "a source table has an unknown code",
								&tlen);
		e->nulls[1] = t == NULL;
		if (t != NULL)
			e->values[1] = PointerGetDatum(cstring_to_text_with_len(t, tlen));
		e->nulls[2] = !kpi_pack_source_id(&rd, &h, i > 0 && !entries[i - 1].nulls[2], &sid);
		e->values[2] = Int64GetDatum(sid);
		e->values[3] = get_numeric(&rd, &e->nulls[3], h.scale6);
		if (h.detail == 0)
			e->nulls[4] = true;
		else if (h.detail == 1)
		{
			if (i == 0 || entries[i - 1].nulls[4])
				kpi_pack_bad(&rd, "a detail repeats an entry that has none");
			e->values[4] = entries[i - 1].values[4];
		}
		else
			e->values[4] = kpi_pack_detail(&rd, h.detail);
	}
	if (rd.p != rd.end)
		kpi_pack_bad(&rd, "bytes follow its last entry");
	*count = (int) n;
	return entries;
}

static Oid
ledger_entry_type(void)
{
	Oid			nsp = get_namespace_oid("kpi", false);
	Oid			typ = GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid,
									  CStringGetDatum("ledger_entry"), ObjectIdGetDatum(nsp));

	if (!OidIsValid(typ))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("type kpi.ledger_entry does not exist"),
				 errdetail("The text form of kpi.ledger_pack is a kpi.ledger_entry[], which extension kpi_eval_reference defines.")));
	return typ;
}

/* entries -> kpi.ledger_entry[] (typ: kpi.ledger_entry) */
static ArrayType *
entries_array(PackEntry *entries, int n, Oid typ)
{
	TupleDesc	tupdesc = lookup_rowtype_tupdesc(typ, -1);
	Datum	   *elems = palloc(sizeof(Datum) * (n > 0 ? n : 1));
	ArrayType  *arr;

	for (int i = 0; i < n; i++)
		elems[i] = HeapTupleGetDatum(heap_form_tuple(tupdesc, entries[i].values, entries[i].nulls));
	ReleaseTupleDesc(tupdesc);
	arr = construct_array(elems, n, typ, -1, false, TYPALIGN_DOUBLE);
	return arr;
}

/* SQL functions ------------------------------------------------------------ */

/* the entries of a stored pack (a malformed one is data corruption) */
static PackEntry *
stored_entries(bytea *p, int *count)
{
	return kpi_unpack_entries(VARDATA_ANY(p), VARSIZE_ANY_EXHDR(p), ERRCODE_DATA_CORRUPTED, count);
}

PG_FUNCTION_INFO_V1(ledger_pack_in);
Datum
ledger_pack_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	Datum		arr = OidInputFunctionCall(F_ARRAY_IN, str, ledger_entry_type(), -1);

	PG_RETURN_BYTEA_P(kpi_pack_entries(DatumGetArrayTypeP(arr)));
}

PG_FUNCTION_INFO_V1(ledger_pack_out);
Datum
ledger_pack_out(PG_FUNCTION_ARGS)
{
	int			n;
	PackEntry  *e = stored_entries(PG_GETARG_BYTEA_PP(0), &n);

	PG_RETURN_CSTRING(OidOutputFunctionCall(F_ARRAY_OUT, PointerGetDatum(entries_array(e, n, ledger_entry_type()))));
}

PG_FUNCTION_INFO_V1(ledger_pack_recv);
Datum
ledger_pack_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			len = buf->len - buf->cursor;
	const char *data = pq_getmsgbytes(buf, len);
	int			n;
	bytea	   *result;

	(void) kpi_unpack_entries(data, len, ERRCODE_INVALID_BINARY_REPRESENTATION, &n);
	result = (bytea *) palloc(VARHDRSZ + len);
	SET_VARSIZE(result, VARHDRSZ + len);
	memcpy(VARDATA(result), data, len);
	PG_RETURN_BYTEA_P(result);
}

PG_FUNCTION_INFO_V1(ledger_pack_send);
Datum
ledger_pack_send(PG_FUNCTION_ARGS)
{
	bytea	   *p = PG_GETARG_BYTEA_PP(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbytes(&buf, VARDATA_ANY(p), VARSIZE_ANY_EXHDR(p));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(ledger_pack_make);
Datum
ledger_pack_make(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(kpi_pack_entries(PG_GETARG_ARRAYTYPE_P(0)));
}

PG_FUNCTION_INFO_V1(ledger_pack_entries);
Datum
ledger_pack_entries(PG_FUNCTION_ARGS)
{
	int			n;
	PackEntry  *e = stored_entries(PG_GETARG_BYTEA_PP(0), &n);
	Oid			typ = get_fn_expr_rettype(fcinfo->flinfo);

	/* the element type of the declared result; else looked up by name */
	typ = OidIsValid(typ) ? get_element_type(typ) : InvalidOid;
	if (!OidIsValid(typ))
		typ = ledger_entry_type();
	PG_RETURN_ARRAYTYPE_P(entries_array(e, n, typ));
}

PG_FUNCTION_INFO_V1(ledger_pack_unpack);
Datum
ledger_pack_unpack(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	int			n;
	PackEntry  *e;

	InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
	if (rsinfo->setDesc->natts != N_FIELDS)
		elog(ERROR, "kpi.ledger_unpack must return kpi.ledger_entry");
	e = stored_entries(PG_GETARG_BYTEA_PP(0), &n);
	for (int i = 0; i < n; i++)
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, e[i].values, e[i].nulls);
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(ledger_pack_count);
Datum
ledger_pack_count(PG_FUNCTION_ARGS)
{
	bytea	   *p = PG_GETARG_BYTEA_PP(0);
	PackReader	rd;

	rd.p = (const uint8 *) VARDATA_ANY(p);
	rd.end = rd.p + VARSIZE_ANY_EXHDR(p);
	rd.errcode = ERRCODE_DATA_CORRUPTED;
	if (rd.p >= rd.end || rd.p[0] != PACK_VERSION)
		kpi_pack_bad(&rd, "its format version is unknown");
	rd.p++;
	PG_RETURN_INT32((int32) kpi_pack_varint(&rd));
}
