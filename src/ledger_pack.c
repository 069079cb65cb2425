/*
 * ledger_pack.c
 *		kpi.ledger_pack: an official's explanation ledger (kpi.ledger_entry[])
 *		in one compact varlena, stored in its kpi.official_result row.  This
 *		file holds the format, its dictionaries and the writer; the reader and
 *		the SQL functions are in ledger_unpack.c.
 *
 * A result's ledger is a few rows (3.8 on average) whose texts repeat from
 * row to row and result to result: rule ids, source tables, the detail keys
 * of a task line.  As rows of a table they cost ~300 bytes each (tuple
 * header, index entry, ~200 bytes of jsonb detail); packed they cost a few
 * bytes each.  The encoding round-trips exactly: kpi.ledger_unpack gives
 * back entries whose text (numeric scales, jsonb) is the text packed, which
 * the seals (kpi.run_results_digest) hash.
 *
 * Format version 1 (every integer a LEB128 varint, signed ones zigzagged):
 *
 *	 version byte (1), entry count
 *	 per entry:
 *	   head byte: bits 0-3 source_table (0 NULL, 1-14 a known table, 15 text
 *	              follows), bits 4-5 source_id (0 NULL, 1 the previous
 *	              entry's, 2 value follows), bits 6-7 detail (0 NULL, 1 the
 *	              previous entry's, 2 an object follows, 3 jsonb text follows)
 *	   rule byte: bits 0-6 the rule id (0 NULL, 1-126 a known rule id, 127
 *	              text follows); bit 7: points_lost has scale 6 and its
 *	              unscaled value alone follows
 *	   [rule id text] [source_table text] [source_id] [points_lost] [detail]
 *	 numeric: a scale byte s; s <= 252: the unscaled value (value x 10^s)
 *	   follows; 253 NULL; 254 the numeric's text follows
 *	 object: a shape byte: 0, then the key count and per key a key byte (0:
 *	   text follows, else a known key) and the value; or a known shape (the
 *	   keys of a CS3, CS5-CS7, CS8, CS10, CS12, CS14, CS15, CY1 or N0.3
 *	   detail), then the values alone, in the keys' jsonb order
 *	 value: a type byte: 0 null, 1 false, 2 true, 3 a known string (its code
 *	   byte follows), 4 a string's text follows, 5 the value's json text
 *	   follows (arrays, objects, numerics that do not fit), 6 + s (s <= 121)
 *	   a numeric of scale s, its unscaled value follows; 128 + i the integer
 *	   i (0-127, scale 0)
 *	 text: length, bytes (of the database encoding, as stored)
 *
 * The text form of the type is the kpi.ledger_entry[] text, so COPY and
 * pg_dump read and write ledgers as before; the binary form is the packed
 * bytes, checked on receipt.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"
#include "utils/typcache.h"

#include "fixed.h"
#include "ledger_pack.h"

const char *const pack_rules[] = {
	"CS3", "CS5", "CS6", "CS7", "CS8", "CS10", "CS12", "CS14", "CS15", "CY1", "N0.3",
	"AG2", "AG3", "IX1", "IX2", "IX3", "IX4", "CS4", "CS9", "CS11", "CS13"
};
const char *const pack_tables[] = {
	"general_mark", "task_line", "unit", "leader_criteria", "assessment", "official_result",
	"disciplinary_record", "quota_approval", "agency_input", "index_value"
};
const char *const pack_keys[] = {
	"mark_no", "mark", "max", "coef", "assigned_qty", "completed_qty", "passed_qty",
	"quality_errors", "late_events", "progress_reading", "component", "pct", "criterion",
	"value", "recorded", "item", "self", "approved", "score", "period_start", "period_kind",
	"periods", "kind", "form", "duty_related", "decided_on", "disqualifies", "quota_group",
	"unit_id", "task_group", "candidates", "good", "kept", "rate", "decision", "tie", "demoted",
	"work_plan"
};
/* the key sets of the details kpi.score_period writes: code = index + 1 */
static const char *const *const pack_shapes[] = {
	(const char *const[]) {"coef", "assigned_qty", "completed_qty", "passed_qty", "quality_errors",
	"late_events", "progress_reading", NULL},	/* CS5-CS7 */
	(const char *const[]) {"score", NULL},	/* N0.3 */
	(const char *const[]) {"mark_no", "mark", "max", NULL},	/* CS3 */
	(const char *const[]) {"component", "pct", NULL},	/* CS8 */
	(const char *const[]) {"criterion", "value", "recorded", NULL},	/* CS10 */
	(const char *const[]) {"item", "self", "approved", NULL},	/* CY1 */
	(const char *const[]) {"period_start", "period_kind", "score", "periods", NULL},	/* CS12 */
	(const char *const[]) {"kind", "form", "duty_related", "decided_on", "disqualifies", NULL},	/* CS14 */
	(const char *const[]) {"quota_group", "unit_id", "task_group", "candidates", "good", "kept", "rate",
	"decision", "tie", "demoted", NULL},	/* CS15 */
	(const char *const[]) {"coef", "assigned_qty", "completed_qty", "passed_qty", "quality_errors",
	"late_events", "progress_reading", "work_plan", NULL}	/* agency work-plan lines */
};

StaticAssertDecl(lengthof(pack_shapes) == N_SHAPES, "N_SHAPES is the number of shapes");

/* each shape's keys in jsonb order (shorter first, then bytewise) */
const char *shape_sorted[N_SHAPES][MAX_SHAPE_KEYS];
int			shape_len[N_SHAPES];

static int
jsonb_key_cmp(const void *a, const void *b)
{
	const char *ka = *(const char *const *) a;
	const char *kb = *(const char *const *) b;
	size_t		la = strlen(ka),
				lb = strlen(kb);

	if (la != lb)
		return la < lb ? -1 : 1;
	return memcmp(ka, kb, la);
}

void
kpi_pack_init_shapes(void)
{
	if (shape_len[0] > 0)
		return;
	for (int i = 0; i < N_SHAPES; i++)
	{
		int			n = 0;

		while (pack_shapes[i][n] != NULL)
		{
			Assert(n < MAX_SHAPE_KEYS);
			shape_sorted[i][n] = pack_shapes[i][n];
			n++;
		}
		qsort(shape_sorted[i], n, sizeof(const char *), jsonb_key_cmp);
		shape_len[i] = n;
	}
}

const char *const pack_strings[] = {
	"partial", "strict", "quantity", "quality", "progress", "d", "dd", "e", "month", "quarter",
	"year", "default"
};

const int	n_pack_rules = N_OF(pack_rules);
const int	n_pack_tables = N_OF(pack_tables);
const int	n_pack_keys = N_OF(pack_keys);
const int	n_pack_strings = N_OF(pack_strings);

/* Writing ---------------------------------------------------------------- */

static void
put_varint(StringInfo buf, uint64 v)
{
	while (v >= 0x80)
	{
		appendStringInfoCharMacro(buf, (char) ((v & 0x7F) | 0x80));
		v >>= 7;
	}
	appendStringInfoCharMacro(buf, (char) v);
}

static void
put_zigzag(StringInfo buf, int64 v)
{
	put_varint(buf, ((uint64) v << 1) ^ (uint64) (v >> 63));
}

static void
put_bytes(StringInfo buf, const char *s, int len)
{
	put_varint(buf, (uint64) len);
	appendBinaryStringInfo(buf, s, len);
}

static int
code_of(const char *const *dict, int n, const char *s, int len)
{
	for (int i = 0; i < n; i++)
		if ((int) strlen(dict[i]) == len && memcmp(dict[i], s, len) == 0)
			return i + 1;
	return 0;
}

/* a numeric; true: it has scale 6 and only its unscaled value was written */
static bool
put_numeric(StringInfo buf, Datum num, bool isnull)
{
	char	   *txt;
	int			scale;
	int64		unscaled;

	if (isnull)
	{
		appendStringInfoCharMacro(buf, (char) 253);
		return false;
	}
	/* a finite numeric whose unscaled value fits int64 by its scale and value, another as its text */
	if (kpi_numeric_decimal(num, &unscaled, &scale))
	{
		if (scale != 6)
			appendStringInfoCharMacro(buf, (char) scale);
		put_zigzag(buf, unscaled);
		return scale == 6;
	}
	txt = DatumGetCString(DirectFunctionCall1(numeric_out, num));
	appendStringInfoCharMacro(buf, (char) 254);
	put_bytes(buf, txt, strlen(txt));
	pfree(txt);
	return false;
}

/* a detail's number of scale at most 121: 128 + n for 0 to 127, else 6 + scale and its value */
static void
put_json_decimal(StringInfo buf, int64 unscaled, int scale)
{
	if (scale == 0 && unscaled >= 0 && unscaled <= 127)
		appendStringInfoCharMacro(buf, (char) (128 + unscaled));
	else
	{
		appendStringInfoCharMacro(buf, (char) (6 + scale));
		put_zigzag(buf, unscaled);
	}
}

static void
put_json_value(StringInfo buf, JsonbValue *v)
{
	int			code;
	char	   *txt;
	int			scale;
	int64		unscaled;

	switch (v->type)
	{
		case jbvNull:
			appendStringInfoCharMacro(buf, 0);
			return;
		case jbvBool:
			appendStringInfoCharMacro(buf, v->val.boolean ? 2 : 1);
			return;
		case jbvString:
			code = code_of(pack_strings, n_pack_strings, v->val.string.val, v->val.string.len);
			if (code > 0)
			{
				appendStringInfoCharMacro(buf, 3);
				appendStringInfoCharMacro(buf, (char) code);
			}
			else
			{
				appendStringInfoCharMacro(buf, 4);
				put_bytes(buf, v->val.string.val, v->val.string.len);
			}
			return;
		case jbvNumeric:
			/* by its scale and value when they fit, else as its text */
			if (kpi_numeric_decimal(NumericGetDatum(v->val.numeric), &unscaled, &scale) && scale <= 121)
			{
				put_json_decimal(buf, unscaled, scale);
				return;
			}
			txt = DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(v->val.numeric)));
			appendStringInfoCharMacro(buf, 5);
			put_bytes(buf, txt, strlen(txt));
			pfree(txt);
			return;
		case jbvBinary:
			txt = JsonbToCString(NULL, v->val.binary.data, v->val.binary.len);
			appendStringInfoCharMacro(buf, 5);
			put_bytes(buf, txt, strlen(txt));
			pfree(txt);
			return;
		default:
			elog(ERROR, "unexpected jsonb value type %d in a ledger detail", (int) v->type);
	}
}

/* the detail as an object of known keys (mode 2), or as its text (mode 3) */
static int
put_detail(StringInfo buf, Jsonb *jb)
{
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;
	uint32		n;

	if (!JB_ROOT_IS_OBJECT(jb) || JB_ROOT_IS_SCALAR(jb))
	{
		char	   *txt = JsonbToCString(NULL, &jb->root, VARSIZE(jb));

		put_bytes(buf, txt, strlen(txt));
		pfree(txt);
		return 3;
	}
	n = JB_ROOT_COUNT(jb);
	kpi_pack_init_shapes();
	if (n <= MAX_SHAPE_KEYS)
	{
		/* its pairs read once (a detail's values are scalars), then the shapes matched */
		JsonbValue	keys[MAX_SHAPE_KEYS];
		JsonbValue	vals[MAX_SHAPE_KEYS];
		int			nk = 0;
		int			nv = 0;

		it = JsonbIteratorInit(&jb->root);
		while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
		{
			if (tok == WJB_KEY && nk < MAX_SHAPE_KEYS)
				keys[nk++] = v;
			else if (tok == WJB_VALUE && nv < MAX_SHAPE_KEYS)
				vals[nv++] = v;
		}
		Assert(nk == (int) n && nv == (int) n);
		for (int sh = 0; sh < N_SHAPES; sh++)
		{
			bool		match = (int) n == shape_len[sh];

			for (int k = 0; match && k < (int) n; k++)
				match = (int) strlen(shape_sorted[sh][k]) == keys[k].val.string.len
					&& memcmp(shape_sorted[sh][k], keys[k].val.string.val, keys[k].val.string.len) == 0;
			if (!match)
				continue;
			appendStringInfoCharMacro(buf, (char) (sh + 1));
			for (int k = 0; k < (int) n; k++)
				put_json_value(buf, &vals[k]);
			return 2;
		}
	}
	appendStringInfoCharMacro(buf, 0);
	put_varint(buf, n);
	it = JsonbIteratorInit(&jb->root);
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		if (tok == WJB_KEY)
		{
			int			code = code_of(pack_keys, n_pack_keys, v.val.string.val, v.val.string.len);

			appendStringInfoCharMacro(buf, (char) code);
			if (code == 0)
				put_bytes(buf, v.val.string.val, v.val.string.len);
		}
		else if (tok == WJB_VALUE)
			put_json_value(buf, &v);
	}
	return 2;
}

static void
put_text(StringInfo buf, Datum d)
{
	text	   *t = DatumGetTextPP(d);

	put_bytes(buf, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
}

/* kpi.ledger_entry[] -> packed bytes (a varlena) */
bytea *
kpi_pack_entries(ArrayType *arr)
{
	Oid			elemtype = ARR_ELEMTYPE(arr);
	TupleDesc	tupdesc;
	Datum	   *elems;
	bool	   *elemnulls;
	int			n;
	StringInfoData buf;
	Datum		prev_sid = 0;
	bool		have_sid = false;
	Jsonb	   *prev_detail = NULL;
	bytea	   *result;

	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("a ledger is a one-dimensional array of kpi.ledger_entry"),
				 errdetail("The array has %d dimensions.", ARR_NDIM(arr))));
	if (ARR_NDIM(arr) == 1 && ARR_LBOUND(arr)[0] != 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("a ledger array must start at subscript 1"),
				 errdetail("Its first subscript is %d; the entries are numbered from 1 (line_no).", ARR_LBOUND(arr)[0])));
	tupdesc = lookup_rowtype_tupdesc(elemtype, -1);
	if (tupdesc->natts != N_FIELDS
		|| TupleDescAttr(tupdesc, 0)->atttypid != TEXTOID
		|| TupleDescAttr(tupdesc, 1)->atttypid != TEXTOID
		|| TupleDescAttr(tupdesc, 2)->atttypid != INT8OID
		|| TupleDescAttr(tupdesc, 3)->atttypid != NUMERICOID
		|| TupleDescAttr(tupdesc, 4)->atttypid != JSONBOID)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("kpi.ledger_pack packs arrays of kpi.ledger_entry"),
				 errdetail("Type %s is not (rule_id text, source_table text, source_id bigint, points_lost numeric, detail jsonb).",
						   format_type_be(elemtype))));
	deconstruct_array(arr, elemtype, -1, false, TYPALIGN_DOUBLE, &elems, &elemnulls, &n);

	initStringInfo(&buf);
	appendStringInfoCharMacro(&buf, PACK_VERSION);
	put_varint(&buf, (uint64) n);
	for (int i = 0; i < n; i++)
	{
		HeapTupleHeader th;
		HeapTupleData tuple;
		Datum		values[N_FIELDS];
		bool		nulls[N_FIELDS];
		int			head_at;
		int			head = 0;
		int			rule_at;
		int			rule;
		int			code;

		if (elemnulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("a ledger entry must not be NULL"),
					 errdetail("Element %d of the array is NULL; an entry's fields may be NULL, the entry may not.", i + 1)));
		th = DatumGetHeapTupleHeader(elems[i]);
		tuple.t_len = HeapTupleHeaderGetDatumLength(th);
		ItemPointerSetInvalid(&tuple.t_self);
		tuple.t_tableOid = InvalidOid;
		tuple.t_data = th;
		heap_deform_tuple(&tuple, tupdesc, values, nulls);

		head_at = buf.len;
		appendStringInfoCharMacro(&buf, 0);		/* head, set below */
		/* rule id (and whether points_lost has scale 6, set below) */
		rule_at = buf.len;
		rule = 0;
		if (!nulls[0])
		{
			text	   *t = DatumGetTextPP(values[0]);

			code = code_of(pack_rules, n_pack_rules, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
			rule = code > 0 ? code : 127;
		}
		appendStringInfoCharMacro(&buf, 0);
		if (rule == 127)
			put_text(&buf, values[0]);
		/* source table */
		if (!nulls[1])
		{
			text	   *t = DatumGetTextPP(values[1]);

			code = code_of(pack_tables, n_pack_tables, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
			if (code > 14)
				code = 0;
			head |= code > 0 ? code : 15;
			if (code == 0)
				put_text(&buf, values[1]);
		}
		/* source id */
		if (!nulls[2])
		{
			if (have_sid && DatumGetInt64(prev_sid) == DatumGetInt64(values[2]))
				head |= 1 << 4;
			else
			{
				head |= 2 << 4;
				put_zigzag(&buf, DatumGetInt64(values[2]));
			}
			prev_sid = values[2];
		}
		have_sid = !nulls[2];
		/* points lost */
		if (put_numeric(&buf, values[3], nulls[3]))
			rule |= 0x80;
		buf.data[rule_at] = (char) rule;
		/* detail */
		if (!nulls[4])
		{
			Jsonb	   *jb = DatumGetJsonbP(values[4]);

			if (prev_detail != NULL && VARSIZE(prev_detail) == VARSIZE(jb)
				&& memcmp(prev_detail, jb, VARSIZE(jb)) == 0)
				head |= 1 << 6;
			else
				head |= put_detail(&buf, jb) << 6;
			prev_detail = jb;
		}
		else
			prev_detail = NULL;
		buf.data[head_at] = (char) head;
	}
	ReleaseTupleDesc(tupdesc);

	result = (bytea *) palloc(VARHDRSZ + buf.len);
	SET_VARSIZE(result, VARHDRSZ + buf.len);
	memcpy(VARDATA(result), buf.data, buf.len);
	pfree(buf.data);
	return result;
}
