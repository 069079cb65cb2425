/*
 * ledger.c
 *		The explanation ledger of a result (rules.md CS5-CS7, N0.3): building
 *		kpi.ledger_entry rows and their jsonb details, the aggregate
 *		kpi.ledger_lines (the rows of task lines) and kpi.ledger_close; the
 *		other rows and the ledgers of officials and agencies are in
 *		ledger_rows.c.
 *
 * A ledger row says how many of the 100 points one fact cost: a mark below
 * its maximum, a task line's shortfall in quantity, quality or progress, the
 * cap giving back over-completion, a leader criterion, a procedure part or
 * an index, and a last N0.3 row taking the rounding, so that the rows add up
 * to 100 - score.
 *
 * Each row's points are round(x / y, 6) of the same numerics the SQL of
 * 0.1.0 divided, and must keep its exact values and scales (the run seals
 * hash them as text).  A row is computed from the tally's exact integers;
 * numeric's division rounds to at least 12 decimals here before round()
 * rounds to 6, so the result differs from one exact rounding only when the
 * quotient lies within 10^-12 below a half: those rows, and any whose
 * numbers do not fit, take numeric's own path.
 */
#include "postgres.h"

#include "kpi_eval.h"
#include "ledger.h"

#include "catalog/pg_type.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/expandeddatum.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/typcache.h"

/* The row type kpi.ledger_entry, from the function's result type kpi.ledger_entry[]. */
TupleDesc
kpi_ledger_desc(FunctionCallInfo fcinfo)
{
	KpiFnExtra *x = kpi_fn_extra(fcinfo);

	if (x->result_desc == NULL)
	{
		static const Oid types[KPI_LEDGER_NATTS] = {TEXTOID, TEXTOID, INT8OID, NUMERICOID, JSONBOID};
		Oid			array = get_fn_expr_rettype(fcinfo->flinfo);
		Oid			elem = OidIsValid(array) ? get_element_type(array) : InvalidOid;
		MemoryContext old;
		TupleDesc	desc;

		if (!OidIsValid(elem))
			elog(ERROR, "could not determine the ledger row type");
		old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
		desc = BlessTupleDesc(lookup_rowtype_tupdesc_copy(elem, -1));
		MemoryContextSwitchTo(old);
		if (desc->natts != KPI_LEDGER_NATTS)
			elog(ERROR, "the ledger row type must have %d columns", KPI_LEDGER_NATTS);
		for (int i = 0; i < KPI_LEDGER_NATTS; i++)
			if (TupleDescAttr(desc, i)->atttypid != types[i])
				elog(ERROR, "column %d of the ledger row type has the wrong type", i + 1);
		x->result_desc = desc;
	}
	return x->result_desc;
}

void
kpi_ledger_init(KpiLedger *l, TupleDesc desc)
{
	l->desc = desc;
	l->n = 0;
	l->cap = 16;
	l->rows = palloc(l->cap * sizeof(Datum));
}

/* Append one row: rule_id, source_table (NULL: none), source_id (when has_source), points, detail. */
void
kpi_ledger_add(KpiLedger *l, const char *rule_id, const char *source_table, bool has_source,
		  int64 source_id, Datum points, bool points_null, Datum detail)
{
	Datum		values[KPI_LEDGER_NATTS];
	bool		nulls[KPI_LEDGER_NATTS] = {false, source_table == NULL, !has_source, points_null, false};

	values[0] = CStringGetTextDatum(rule_id);
	values[1] = source_table ? CStringGetTextDatum(source_table) : (Datum) 0;
	values[2] = Int64GetDatum(source_id);
	values[3] = points;
	values[4] = detail;
	if (l->n == l->cap)
	{
		l->cap *= 2;
		l->rows = repalloc(l->rows, l->cap * sizeof(Datum));
	}
	l->rows[l->n++] = HeapTupleGetDatum(heap_form_tuple(l->desc, values, nulls));
}

/* Append the rows of a kpi.ledger_entry[] (NULL: none). */
void
kpi_ledger_append(KpiLedger *l, ArrayType *a)
{
	Datum	   *elems;
	bool	   *nulls;
	int			n;

	if (a == NULL)
		return;
	if (ARR_ELEMTYPE(a) != l->desc->tdtypeid)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("ledger rows must be of type kpi.ledger_entry"),
				 errdetail("The array given has elements of type %s.", format_type_be(ARR_ELEMTYPE(a)))));
	deconstruct_array(a, ARR_ELEMTYPE(a), -1, false, TYPALIGN_DOUBLE, &elems, &nulls, &n);
	for (int i = 0; i < n; i++)
	{
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("a ledger row must not be NULL"),
					 errdetail("Element %d of the ledger rows given is NULL.", i + 1)));
		if (l->n == l->cap)
		{
			l->cap = Max(l->cap * 2, l->n + n);
			l->rows = repalloc(l->rows, l->cap * sizeof(Datum));
		}
		l->rows[l->n++] = elems[i];
	}
}

/*
 * Close the ledger with its N0.3 row, 100 - score - the rows' points (NULL
 * points count as none; a NULL score gives NULL), and return it as
 * kpi.ledger_entry[].
 */
ArrayType *
kpi_ledger_close(KpiLedger *l, Datum score, bool score_null)
{
	Numeric		sum = NULL;
	Numeric		rest = NULL;
	JsonbParseState *st = NULL;
	JsonbValue	k,
				v;

	for (int i = 0; i < l->n; i++)
	{
		HeapTupleHeader row = DatumGetHeapTupleHeader(l->rows[i]);
		HeapTupleData tuple;
		bool		isnull;
		Datum		p;

		tuple.t_len = HeapTupleHeaderGetDatumLength(row);
		tuple.t_data = row;
		p = heap_getattr(&tuple, 4, l->desc, &isnull);
		if (!isnull)
			sum = sum ? numeric_add_opt_error(sum, DatumGetNumeric(p), NULL) : DatumGetNumeric(p);
	}
	if (!score_null)
	{
		rest = numeric_sub_opt_error(int64_to_numeric(100), DatumGetNumeric(score), NULL);
		rest = numeric_sub_opt_error(rest, sum ? sum : int64_to_numeric(0), NULL);
	}

	pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
	k.type = jbvString;
	k.val.string.val = "score";
	k.val.string.len = 5;
	pushJsonbValue(&st, WJB_KEY, &k);
	v.type = score_null ? jbvNull : jbvNumeric;
	v.val.numeric = score_null ? NULL : DatumGetNumeric(score);
	pushJsonbValue(&st, WJB_VALUE, &v);
	kpi_ledger_add(l, "N0.3", NULL, false, 0, NumericGetDatum(rest), score_null, kpi_detail_end(&st));
	return construct_array(l->rows, l->n, l->desc->tdtypeid, -1, false, TYPALIGN_DOUBLE);
}

/* jsonb detail objects: keys and values pushed one by one, closed by kpi_detail_end. */
void
kpi_detail_key(JsonbParseState **st, const char *key)
{
	JsonbValue	k;

	k.type = jbvString;
	k.val.string.val = (char *) key;
	k.val.string.len = strlen(key);
	pushJsonbValue(st, WJB_KEY, &k);
}

void
kpi_detail_numeric(JsonbParseState **st, const char *key, Datum value, bool isnull)
{
	JsonbValue	v;

	kpi_detail_key(st, key);
	if (isnull)
		v.type = jbvNull;
	else
	{
		v.type = jbvNumeric;
		v.val.numeric = DatumGetNumeric(value);
	}
	pushJsonbValue(st, WJB_VALUE, &v);
}

void
kpi_detail_bool(JsonbParseState **st, const char *key, bool value, bool isnull)
{
	JsonbValue	v;

	kpi_detail_key(st, key);
	v.type = isnull ? jbvNull : jbvBool;
	v.val.boolean = value;
	pushJsonbValue(st, WJB_VALUE, &v);
}

void
kpi_detail_text(JsonbParseState **st, const char *key, const char *value)
{
	JsonbValue	v;

	kpi_detail_key(st, key);
	v.type = jbvString;
	v.val.string.val = (char *) value;
	v.val.string.len = strlen(value);
	pushJsonbValue(st, WJB_VALUE, &v);
}

/* jsonb's order of object keys: the shorter first, then by their bytes */
static int
detail_key_cmp(const JsonbValue *a, const JsonbValue *b)
{
	if (a->val.string.len != b->val.string.len)
		return a->val.string.len < b->val.string.len ? -1 : 1;
	return memcmp(a->val.string.val, b->val.string.val, a->val.string.len);
}

/*
 * The detail object closed as pushJsonbValue's WJB_END_OBJECT closes it (its
 * keys sorted, a repeated key's last value kept) and made a jsonb, with an
 * insertion sort of its few keys instead of qsort_arg, which cost a third of
 * a detail (a year makes 12 an official).  Only the outermost object of st.
 */
Datum
kpi_detail_end(JsonbParseState **st)
{
	JsonbValue *obj = &(*st)->contVal;
	JsonbPair  *p = obj->val.object.pairs;
	int			n = obj->val.object.nPairs;
	int			kept = 0;

	Assert(obj->type == jbvObject && (*st)->next == NULL);
	for (int i = 1; i < n; i++)
	{
		JsonbPair	x = p[i];
		int			j = i;

		/* stable: pairs of one key stay in the order they were pushed */
		for (; j > 0 && detail_key_cmp(&p[j - 1].key, &x.key) > 0; j--)
			p[j] = p[j - 1];
		p[j] = x;
	}
	for (int i = 0; i < n; i++)
	{
		if (i + 1 < n && detail_key_cmp(&p[i].key, &p[i + 1].key) == 0)
			continue;			/* the later value of the key wins */
		p[kept++] = p[i];
	}
	obj->val.object.nPairs = kept;
	*st = NULL;
	return JsonbPGetDatum(JsonbValueToJsonb(obj));
}

/* round(num / den, 6) in numeric, as the SQL wrote it. */
Datum
kpi_numeric_round6(Numeric num, Numeric den)
{
	return DirectFunctionCall2(numeric_round,
							   NumericGetDatum(numeric_div_opt_error(num, den, NULL)),
							   Int32GetDatum(6));
}

/*
 * y = num / den (den > 0), the points times 10^6, rounded half away from
 * zero as round(x / y, 6) rounds numeric's quotient (see the head comment):
 * false when that might differ or the value is 10^8 or more, so that the
 * caller takes numeric's path.
 */
bool
kpi_fast_round6(int128 num, int128 den, Datum *result)
{
	const int128 limit = (int128) INT64CONST(100000000000000);	/* 10^14 */
	int128		q,
				r,
				gap;

	if (den <= 0 || den > ((int128) 1 << 120))
		return false;
	q = num / den;
	r = num % den;
	if (r < 0)
		r = -r;
	if (2 * r >= den)
		q += num < 0 ? -1 : 1;
	else
	{
		/* within 10^-12 below a half: numeric's rounding might reach it */
		gap = den - 2 * r;
		if (gap <= den / 1000000 + 1)
			return false;
	}
	if (q >= limit || q <= -limit)
		return false;
	*result = NumericGetDatum(int64_div_fast_to_numeric((int64) q, 6));
	return true;
}

/* a * b, false on overflow */
bool
kpi_mul128(int128 a, int128 b, int128 *r)
{
	return !__builtin_mul_overflow(a, b, r);
}

/*
 * points / k x (assigned - credit) / period_assigned (CS5-CS7; CS8 with the
 * signs turned and the period's own weight), rounded to 6 decimals: the
 * sums carry KPI_PRODUCT_DIGITS decimals, points (p, its fixed point when
 * p_ok) KPI_DIGITS.
 */
Datum
kpi_share_points(Datum points, bool p_ok, int64 p, int k, int128 assigned, int128 credit,
			int128 period_assigned)
{
	int128		num,
				den;
	Datum		result;

	/* y = p (assigned - credit) 10^2 / (k period_assigned) */
	if (p_ok && kpi_mul128((int128) p, assigned - credit, &num) && kpi_mul128(num, 100, &num) &&
		kpi_mul128((int128) k, period_assigned, &den) && kpi_fast_round6(num, den, &result))
		return result;
	return kpi_numeric_round6(numeric_mul_opt_error(DatumGetNumeric(points),
											   numeric_sub_opt_error(kpi_int128_to_numeric(assigned, KPI_PRODUCT_DIGITS),
																	 kpi_int128_to_numeric(credit, KPI_PRODUCT_DIGITS),
																	 NULL),
											   NULL),
						 numeric_mul_opt_error(int64_to_numeric(k),
											   kpi_int128_to_numeric(period_assigned, KPI_PRODUCT_DIGITS),
											   NULL));
}

/* The fixed point of a numeric, when it has one (else false). */
bool
kpi_fixed_of(Datum num, int64 *v)
{
	return kpi_numeric_to_fixed(num, v) == KPI_FIXED_OK;
}

/* kpi.ledger_lines ---------------------------------------------------------- */

/* The rows of one line t (CS5-CS7), appended to the ledger l. */
static void
LineRows(FunctionCallInfo fcinfo, KpiLedger *l, const KpiTally *t, const int128 credit[3], bool strict)
{
	static const char *const rules[3] = {"CS5", "CS6", "CS7"};
	static const char *const fact_names[4] = {"coef", "assigned_qty", "completed_qty", "passed_qty"};
	KpiTally	buf;
	const KpiTally *period = PG_ARGISNULL(9) ? NULL : PG_GETARG_KPI_TALLY(9, &buf);
	bool		points_null = PG_ARGISNULL(10) || period == NULL;
	Datum		points = PG_ARGISNULL(10) ? (Datum) 0 : PG_GETARG_DATUM(10);
	/* KQ's divisor (CS9): 6 for a leader, 3 otherwise and for a work plan */
	int			k = !PG_ARGISNULL(11) && PG_GETARG_BOOL(11) ? 6 : 3;
	int64		p = 0;
	bool		p_ok = !points_null && kpi_fixed_of(points, &p);
	int64		task_id = PG_ARGISNULL(1) ? 0 : PG_GETARG_INT64(1);
	JsonbParseState *st = NULL;
	Datum		detail;

	/* nothing assigned in the period: not scored (N0.4), no share to explain */
	if (period != NULL && period->assigned == 0)
		return;
	pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
	for (int j = 0; j < 4; j++)
		kpi_detail_numeric(&st, fact_names[j], PG_ARGISNULL(3 + j) ? (Datum) 0 : PG_GETARG_DATUM(3 + j),
						   PG_ARGISNULL(3 + j));
	for (int j = 0; j < 2; j++)
		kpi_detail_numeric(&st, j == 0 ? "quality_errors" : "late_events",
						   PG_ARGISNULL(7 + j) ? (Datum) 0 : NumericGetDatum(int64_to_numeric(PG_GETARG_INT32(7 + j))),
						   PG_ARGISNULL(7 + j));
	kpi_detail_text(&st, "progress_reading", strict ? "strict" : "partial");
	if (!PG_ARGISNULL(12) && PG_GETARG_BOOL(12))
		kpi_detail_bool(&st, "work_plan", true, false);
	detail = kpi_detail_end(&st);
	for (int c = 0; c < 3; c++)
	{
		if (credit[c] == t->assigned)
			continue;
		kpi_ledger_add(l, rules[c], "task_line", !PG_ARGISNULL(1), task_id,
					   points_null ? (Datum) 0 :
					   kpi_share_points(points, p_ok, p, k, t->assigned, credit[c], period->assigned),
					   points_null, detail);
	}
}

/* The state at argno as an expanded array this aggregate may change (NULL: none yet). */
ExpandedArrayHeader *
kpi_ledger_state(FunctionCallInfo fcinfo, int argno, Oid elemtype)
{
	MemoryContext aggcxt;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "ledger aggregate support function called in non-aggregate context");
	if (PG_ARGISNULL(argno))
		return construct_empty_expanded_array(elemtype, aggcxt, NULL);
	if (VARATT_IS_EXTERNAL_EXPANDED_RW(DatumGetPointer(PG_GETARG_DATUM(argno))))
		return (ExpandedArrayHeader *) DatumGetEOHP(PG_GETARG_DATUM(argno));
	return (ExpandedArrayHeader *) DatumGetEOHP(expand_array(PG_GETARG_DATUM(argno), aggcxt, NULL));
}

/* Append the rows of l to the expanded array state. */
void
kpi_ledger_state_append(ExpandedArrayHeader *eah, const KpiLedger *l)
{
	for (int i = 0; i < l->n; i++)
	{
		int			idx = (eah->ndims == 0 ? 0 : eah->dims[0]) + 1;

		array_set_element(EOHPGetRWDatum(&eah->hdr), 1, &idx, l->rows[i], false,
						  -1, -1, false, TYPALIGN_DOUBLE);
	}
}

PG_FUNCTION_INFO_V1(ledger_lines_trans);

/*
 * kpi.ledger_lines transition: (state, task_id, t, coef, assigned_qty,
 * completed_qty, passed_qty, quality_errors, late_events, period, points,
 * leader, work_plan, rules).  A line whose credits all equal its weight has
 * no row and leaves the state as it is; otherwise its rows are appended, each
 * points / k x (assigned - credit) / the period's weight.  The state is a
 * kpi.ledger_entry[], so partial states combine (kpi.ledger_lines_combine).
 */
Datum
ledger_lines_trans(PG_FUNCTION_ARGS)
{
	KpiTally	buf;
	const KpiTally *t;
	int128		credit[3];
	bool		strict;
	KpiLedger	l;
	ExpandedArrayHeader *eah;

	t = PG_ARGISNULL(2) ? NULL : PG_GETARG_KPI_TALLY(2, &buf);
	if (t == NULL || (t->quantity == t->assigned && t->quality == t->assigned &&
					  t->progress == t->assigned && t->progress_strict == t->assigned))
	{
		if (!AggCheckCallContext(fcinfo, NULL))
			elog(ERROR, "ledger aggregate support function called in non-aggregate context");
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	strict = PG_ARGISNULL(13) ? kpi_rules_default()->strict_progress :
		kpi_rules_value(fcinfo, PG_GETARG_DATUM(13))->strict_progress;
	kpi_component_credits(t, strict, false, credit);
	kpi_ledger_init(&l, kpi_ledger_desc(fcinfo));
	LineRows(fcinfo, &l, t, credit, strict);
	if (l.n == 0)
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	eah = kpi_ledger_state(fcinfo, 0, l.desc->tdtypeid);
	kpi_ledger_state_append(eah, &l);
	PG_RETURN_DATUM(EOHPGetRWDatum(&eah->hdr));
}

PG_FUNCTION_INFO_V1(ledger_lines_combine);

/* kpi.ledger_lines combine function: the rows of both partial states */
Datum
ledger_lines_combine(PG_FUNCTION_ARGS)
{
	KpiLedger	l;
	ExpandedArrayHeader *eah;

	if (PG_ARGISNULL(1))
	{
		if (!AggCheckCallContext(fcinfo, NULL))
			elog(ERROR, "ledger aggregate support function called in non-aggregate context");
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	kpi_ledger_init(&l, kpi_ledger_desc(fcinfo));
	kpi_ledger_append(&l, PG_GETARG_ARRAYTYPE_P(1));
	eah = kpi_ledger_state(fcinfo, 0, l.desc->tdtypeid);
	kpi_ledger_state_append(eah, &l);
	PG_RETURN_DATUM(EOHPGetRWDatum(&eah->hdr));
}

/* A row of a ledger aggregate's state with its sort key. */
typedef struct SortedRow
{
	int64		key[2];
	Datum		row;
} SortedRow;

static int
SortedRowCmp(const void *a, const void *b)
{
	const SortedRow *x = (const SortedRow *) a;
	const SortedRow *y = (const SortedRow *) b;

	for (int i = 0; i < 2; i++)
		if (x->key[i] != y->key[i])
			return x->key[i] < y->key[i] ? -1 : 1;
	return 0;
}

/*
 * The final function of a ledger aggregate: the rows of the state at
 * argument 0 in the order of key (a row, its column values), whatever order
 * the rows came in; NULL for a NULL state.
 */
Datum
kpi_ledger_final_sorted(FunctionCallInfo fcinfo, KpiLedgerKey key)
{
	KpiLedger	l;
	SortedRow  *rows;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	kpi_ledger_init(&l, kpi_ledger_desc(fcinfo));
	kpi_ledger_append(&l, PG_GETARG_ARRAYTYPE_P(0));
	rows = palloc(Max(l.n, 1) * sizeof(SortedRow));
	for (int i = 0; i < l.n; i++)
	{
		HeapTupleHeader h = DatumGetHeapTupleHeader(l.rows[i]);
		HeapTupleData tuple;
		Datum		values[KPI_LEDGER_NATTS];
		bool		nulls[KPI_LEDGER_NATTS];

		tuple.t_len = HeapTupleHeaderGetDatumLength(h);
		tuple.t_data = h;
		heap_deform_tuple(&tuple, l.desc, values, nulls);
		key(values, nulls, rows[i].key);
		rows[i].row = l.rows[i];
	}
	qsort(rows, l.n, sizeof(SortedRow), SortedRowCmp);
	for (int i = 0; i < l.n; i++)
		l.rows[i] = rows[i].row;
	PG_RETURN_ARRAYTYPE_P(construct_array(l.rows, l.n, l.desc->tdtypeid, -1, false, TYPALIGN_DOUBLE));
}

/* The order of kpi.ledger_lines: by task line (source_id), then CS5, CS6, CS7. */
static void
LineKey(const Datum *values, const bool *nulls, int64 key[2])
{
	text	   *rule = nulls[0] ? NULL : DatumGetTextPP(values[0]);

	key[0] = nulls[2] ? PG_INT64_MAX : DatumGetInt64(values[2]);
	key[1] = rule && VARSIZE_ANY_EXHDR(rule) > 0 ? VARDATA_ANY(rule)[VARSIZE_ANY_EXHDR(rule) - 1] : 0;
}

PG_FUNCTION_INFO_V1(ledger_lines_final);

/*
 * kpi.ledger_lines final function: the rows in task_id order, CS5, CS6, CS7
 * within a line (the order they were added in, whatever the plan).
 */
Datum
ledger_lines_final(PG_FUNCTION_ARGS)
{
	return kpi_ledger_final_sorted(fcinfo, LineKey);
}

PG_FUNCTION_INFO_V1(ledger_close);

/*
 * kpi.ledger_close(entries, score): the entries (NULL: none) and a last N0.3
 * row taking the rest, 100 - score - their points (N0.3).
 */
Datum
ledger_close(PG_FUNCTION_ARGS)
{
	KpiLedger	l;

	kpi_ledger_init(&l, kpi_ledger_desc(fcinfo));
	kpi_ledger_append(&l, KPI_ARRAY_ARG(0));
	PG_RETURN_ARRAYTYPE_P(kpi_ledger_close(&l, PG_ARGISNULL(1) ? (Datum) 0 : PG_GETARG_DATUM(1),
									  PG_ARGISNULL(1)));
}
