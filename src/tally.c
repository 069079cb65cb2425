/*
 * tally.c
 *		The kpi.tally type: text and binary I/O, validation, exact merge.
 *
 * A tally is an aggregate state that users store and ship (materialized
 * views, Citus, postgres_fdw), so every input path validates every field:
 * a tally that could not have come from task lines is refused.
 */
#include "postgres.h"

#include "kpi_eval.h"

#include "access/htup_details.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"

#define TALLY_SIZE sizeof(KpiTally)

/* Field order of the text form. */
static const char *const field_names[] = {
	"lines", "assigned", "quantity", "quality", "progress", "progress_strict",
	"quality_errors", "late_events", "quality_deduction", "progress_deduction"
};

#define NFIELDS lengthof(field_names)

KpiTally *
kpi_tally_new(uint16 quality_deduction, uint16 progress_deduction)
{
	KpiTally   *t = palloc0(TALLY_SIZE);

	SET_VARSIZE(t, TALLY_SIZE);
	t->version = KPI_TALLY_VERSION;
	t->quality_deduction = quality_deduction;
	t->progress_deduction = progress_deduction;
	return t;
}

static void BadTally(int sqlstate, const char *detail) pg_attribute_noreturn();

static void
BadTally(int sqlstate, const char *detail)
{
	ereport(ERROR,
			(errcode(sqlstate),
			 errmsg(sqlstate == ERRCODE_INVALID_BINARY_REPRESENTATION ?
					"invalid external binary kpi.tally value" :
					"invalid kpi.tally value"),
			 errdetail("%s", detail)));
}

/*
 * Refuse a tally that no set of task lines could produce.  sqlstate is the
 * code to report (22P02 for text input, 22P03 for binary input).
 */
void
kpi_tally_check(const KpiTally *t, int sqlstate)
{
	if (VARSIZE(t) != TALLY_SIZE || t->version != KPI_TALLY_VERSION)
		BadTally(sqlstate, "The tally has an unknown version or size.");
	if (t->flags != 0 || t->reserved != 0)
		BadTally(sqlstate, "The tally has reserved bits set.");
	if (t->quality_deduction > KPI_ONE || t->progress_deduction > KPI_ONE)
		BadTally(sqlstate, "A deduction rate is above 1.");
	if (t->lines < 0 || t->quality_errors < 0 || t->late_events < 0 ||
		t->assigned < 0 || t->quantity < 0 || t->quality < 0 ||
		t->progress < 0 || t->progress_strict < 0)
		BadTally(sqlstate, "A count or sum is negative.");
	if (t->quality > t->quantity || t->progress > t->quantity)
		BadTally(sqlstate, "Quality and progress credit cannot exceed quantity credit.");
	if (t->progress_strict > t->progress)
		BadTally(sqlstate, "Strict progress credit cannot exceed progress credit.");
	if (t->lines == 0 &&
		(t->quality_errors != 0 || t->late_events != 0 || t->assigned != 0 ||
		 t->quantity != 0))
		BadTally(sqlstate, "A tally of no lines must have all sums zero.");
}

/* Error unless two tallies were summed with the same deduction rates. */
static void
CheckSameRates(const KpiTally *a, const KpiTally *b)
{
	if (a->quality_deduction != b->quality_deduction ||
		a->progress_deduction != b->progress_deduction)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot merge kpi.tally values summed with different deduction rates"),
				 errdetail("One tally used quality and progress deductions %s and %s, the other %s and %s.",
						   kpi_fixed_cstring(a->quality_deduction),
						   kpi_fixed_cstring(a->progress_deduction),
						   kpi_fixed_cstring(b->quality_deduction),
						   kpi_fixed_cstring(b->progress_deduction))));
}

/* into += from, exactly; an empty side takes the other's rates. */
void
kpi_tally_merge(KpiTally *into, const KpiTally *from)
{
	if (from->lines == 0)
		return;
	if (into->lines == 0)
	{
		into->quality_deduction = from->quality_deduction;
		into->progress_deduction = from->progress_deduction;
	}
	else
		CheckSameRates(into, from);
	if (__builtin_add_overflow(into->lines, from->lines, &into->lines) ||
		__builtin_add_overflow(into->quality_errors, from->quality_errors, &into->quality_errors) ||
		__builtin_add_overflow(into->late_events, from->late_events, &into->late_events))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("kpi.tally count is out of range")));
	into->assigned = kpi_add128(into->assigned, from->assigned, "assigned weight");
	into->quantity = kpi_add128(into->quantity, from->quantity, "quantity credit");
	into->quality = kpi_add128(into->quality, from->quality, "quality credit");
	into->progress = kpi_add128(into->progress, from->progress, "progress credit");
	into->progress_strict = kpi_add128(into->progress_strict, from->progress_strict, "progress credit");
}

/*
 * from -= part, for the moving-aggregate inverse.  Exact, since every sum is
 * an integer.  Returns false when part is not contained in from (then the
 * window machinery recomputes the frame).
 */
bool
kpi_tally_unmerge(KpiTally *from, const KpiTally *part)
{
	if (part->lines == 0)
		return true;
	if (part->lines > from->lines)
		return false;
	CheckSameRates(from, part);
	from->lines -= part->lines;
	from->quality_errors -= part->quality_errors;
	from->late_events -= part->late_events;
	from->assigned -= part->assigned;
	from->quantity -= part->quantity;
	from->quality -= part->quality;
	from->progress -= part->progress;
	from->progress_strict -= part->progress_strict;
	return true;
}



/* Digits with at most "scale" decimals: a number that failed only by size. */
static bool
WellFormed(const char *p, int scale)
{
	int			digits = 0;
	int			frac = -1;

	for (; (*p >= '0' && *p <= '9') || (*p == '.' && frac < 0); p++)
	{
		if (*p == '.')
			frac = 0;
		else if (frac >= 0)
			frac++;
		else
			digits++;
	}
	return digits > 0 && frac != 0 && frac <= scale;
}

PG_FUNCTION_INFO_V1(tally_in);

/*
 * Text input: (lines=N,assigned=X,...) with every field, in the order of
 * field_names, exactly as tally_out writes it.
 */
Datum
tally_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	const char *p = str;
	int128		vals[NFIELDS];
	KpiTally   *t;

	kpi_skip_space(&p);
	if (*p++ != '(')
		kpi_syntax_error("kpi.tally", str, "A kpi.tally starts with \"(\".");
	for (int i = 0; i < (int) NFIELDS; i++)
	{
		size_t		len = strlen(field_names[i]);
		int			scale = (i == 0 || i == 6 || i == 7) ? 0 :
			(i >= 8 ? KPI_DIGITS : KPI_PRODUCT_DIGITS);

		kpi_skip_space(&p);
		if (strncmp(p, field_names[i], len) != 0 || p[len] != '=')
			kpi_syntax_error("kpi.tally", str, psprintf("Expected \"%s=\" at field %d.", field_names[i], i + 1));
		p += len + 1;
		kpi_skip_space(&p);
		if (!kpi_cstring_to_int128(p, scale, &vals[i], &p))
		{
			if (WellFormed(p, scale))
				ereport(ERROR,
						(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
						 errmsg("kpi.tally field \"%s\" is out of range", field_names[i]),
						 errdetail("The value exceeds the 128-bit fixed-point range of a tally.")));
			kpi_syntax_error("kpi.tally", str, scale == 0 ?
						psprintf("Field \"%s\" must be a non-negative integer.", field_names[i]) :
						psprintf("Field \"%s\" must be a non-negative number with at most %d decimal places.",
								 field_names[i], scale));
		}
		kpi_skip_space(&p);
		if (*p++ != (i == (int) NFIELDS - 1 ? ')' : ','))
			kpi_syntax_error("kpi.tally", str, i == (int) NFIELDS - 1 ? "A kpi.tally ends with \")\"." :
						psprintf("Expected \",\" after field \"%s\".", field_names[i]));
	}
	kpi_skip_space(&p);
	if (*p != '\0')
		kpi_syntax_error("kpi.tally", str, "Unexpected text after \")\".");

	if (vals[0] > PG_INT64_MAX || vals[6] > PG_INT64_MAX || vals[7] > PG_INT64_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("kpi.tally count is out of range"),
				 errdetail("Counts must fit in a bigint.")));
	if (vals[8] > KPI_ONE || vals[9] > KPI_ONE)
		BadTally(ERRCODE_INVALID_TEXT_REPRESENTATION, "A deduction rate is above 1.");

	t = kpi_tally_new((uint16) vals[8], (uint16) vals[9]);
	t->lines = (int64) vals[0];
	t->assigned = vals[1];
	t->quantity = vals[2];
	t->quality = vals[3];
	t->progress = vals[4];
	t->progress_strict = vals[5];
	t->quality_errors = (int64) vals[6];
	t->late_events = (int64) vals[7];
	kpi_tally_check(t, ERRCODE_INVALID_TEXT_REPRESENTATION);
	PG_RETURN_KPI_TALLY(t);
}

PG_FUNCTION_INFO_V1(tally_out);

/* Text output; exact, and read back by tally_in to the same bits. */
Datum
tally_out(PG_FUNCTION_ARGS)
{
	KpiTally   *t = PG_GETARG_KPI_TALLY(0);
	StringInfoData s;

	initStringInfo(&s);
	appendStringInfo(&s, "(lines=" INT64_FORMAT ",assigned=%s,quantity=%s,quality=%s,"
					 "progress=%s,progress_strict=%s,quality_errors=" INT64_FORMAT
					 ",late_events=" INT64_FORMAT ",quality_deduction=%s,progress_deduction=%s)",
					 t->lines, kpi_sum_cstring(t->assigned), kpi_sum_cstring(t->quantity),
					 kpi_sum_cstring(t->quality), kpi_sum_cstring(t->progress),
					 kpi_sum_cstring(t->progress_strict), t->quality_errors, t->late_events,
					 kpi_fixed_cstring(t->quality_deduction),
					 kpi_fixed_cstring(t->progress_deduction));
	PG_RETURN_CSTRING(s.data);
}

/* Binary layout: version, flags, two int2 rates, three int8 counts, five int128 sums. */
#define TALLY_WIRE_SIZE (1 + 1 + 2 + 2 + 3 * 8 + 5 * 16)

static void
SendInt128(StringInfo buf, int128 v)
{
	pq_sendint64(buf, (int64) (v >> 64));
	pq_sendint64(buf, (int64) (uint64) v);
}

static int128
GetInt128(StringInfo buf)
{
	int64		hi = pq_getmsgint64(buf);
	uint64		lo = (uint64) pq_getmsgint64(buf);

	return (int128) (((uint128) (uint64) hi << 64) | lo);
}

PG_FUNCTION_INFO_V1(tally_recv);

Datum
tally_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	KpiTally   *t;
	int			version;

	/* check the length first: pq_getmsg* would report a protocol error */
	if (buf->len - buf->cursor != TALLY_WIRE_SIZE)
		BadTally(ERRCODE_INVALID_BINARY_REPRESENTATION,
				 psprintf("A binary kpi.tally is %d bytes, not %d.",
						  TALLY_WIRE_SIZE, buf->len - buf->cursor));
	version = pq_getmsgbyte(buf);
	t = kpi_tally_new(0, 0);
	t->version = (uint8) version;
	t->flags = (uint8) pq_getmsgbyte(buf);
	t->quality_deduction = (uint16) pq_getmsgint(buf, 2);
	t->progress_deduction = (uint16) pq_getmsgint(buf, 2);
	t->lines = pq_getmsgint64(buf);
	t->quality_errors = pq_getmsgint64(buf);
	t->late_events = pq_getmsgint64(buf);
	t->assigned = GetInt128(buf);
	t->quantity = GetInt128(buf);
	t->quality = GetInt128(buf);
	t->progress = GetInt128(buf);
	t->progress_strict = GetInt128(buf);
	kpi_tally_check(t, ERRCODE_INVALID_BINARY_REPRESENTATION);
	PG_RETURN_KPI_TALLY(t);
}

PG_FUNCTION_INFO_V1(tally_send);

Datum
tally_send(PG_FUNCTION_ARGS)
{
	KpiTally   *t = PG_GETARG_KPI_TALLY(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, t->version);
	pq_sendbyte(&buf, t->flags);
	pq_sendint16(&buf, t->quality_deduction);
	pq_sendint16(&buf, t->progress_deduction);
	pq_sendint64(&buf, t->lines);
	pq_sendint64(&buf, t->quality_errors);
	pq_sendint64(&buf, t->late_events);
	SendInt128(&buf, t->assigned);
	SendInt128(&buf, t->quantity);
	SendInt128(&buf, t->quality);
	SendInt128(&buf, t->progress);
	SendInt128(&buf, t->progress_strict);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(tally_components);

/* kpi.tally_components(t): every field of a tally, as exact numerics */
Datum
tally_components(PG_FUNCTION_ARGS)
{
	KpiTally   *t = PG_GETARG_KPI_TALLY(0);
	TupleDesc	tupdesc;
	Datum		values[10];
	bool		nulls[10] = {0};

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	tupdesc = BlessTupleDesc(tupdesc);
	values[0] = Int64GetDatum(t->lines);
	values[1] = NumericGetDatum(kpi_int128_to_numeric(t->assigned, KPI_PRODUCT_DIGITS));
	values[2] = NumericGetDatum(kpi_int128_to_numeric(t->quantity, KPI_PRODUCT_DIGITS));
	values[3] = NumericGetDatum(kpi_int128_to_numeric(t->quality, KPI_PRODUCT_DIGITS));
	values[4] = NumericGetDatum(kpi_int128_to_numeric(t->progress, KPI_PRODUCT_DIGITS));
	values[5] = NumericGetDatum(kpi_int128_to_numeric(t->progress_strict, KPI_PRODUCT_DIGITS));
	values[6] = Int64GetDatum(t->quality_errors);
	values[7] = Int64GetDatum(t->late_events);
	values[8] = NumericGetDatum(kpi_fixed_to_numeric(t->quality_deduction));
	values[9] = NumericGetDatum(kpi_fixed_to_numeric(t->progress_deduction));
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}
