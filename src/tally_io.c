/*
 * tally_io.c
 *		kpi.tally text and binary I/O and kpi.tally_components.
 *
 * Neither external form depends on the storage layout (tally.h): the text
 * form lists every field by name, and the binary form is the one of 0.1.0
 * (version byte 1, int64 counts, int128 sums), so that a node running 0.1.0
 * and one running 0.2.0 read each other's values in both directions.  Input
 * is checked (tally.c) and stored canonical: compact when it fits.  Output
 * only needs a known layout, so a dump or COPY of a table holding a value
 * that 0.1.0 accepted and 0.2.0 refuses still runs (the refusal comes when
 * the value is read back or used).
 */
#include "postgres.h"

#include "kpi_eval.h"

#include "access/htup_details.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"

/* Field order of the text form. */
static const char *const field_names[] = {
	"lines", "assigned", "quantity", "quality", "progress", "progress_strict",
	"quality_errors", "late_events", "quality_deduction", "progress_deduction"
};

#define NFIELDS lengthof(field_names)

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

/* The wide form of a tally datum of either layout, unchecked (for output). */
static void
Unpacked(Datum d, KpiTally *buf)
{
	kpi_tally_unpack(PG_DETOAST_DATUM(d), buf, ERRCODE_DATA_CORRUPTED);
}

PG_FUNCTION_INFO_V1(tally_in);

/*
 * Text input: (lines=N,assigned=X,...) with every field, in the order of
 * field_names, exactly as tally_out writes it (the same in 0.1.0).
 */
Datum
tally_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	const char *p = str;
	int128		vals[NFIELDS];
	KpiTally	t;

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
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid kpi.tally value"),
				 errdetail("A deduction rate is above 1.")));

	memset(&t, 0, sizeof(t));
	t.quality_deduction = (uint16) vals[8];
	t.progress_deduction = (uint16) vals[9];
	t.lines = (int64) vals[0];
	t.assigned = vals[1];
	t.quantity = vals[2];
	t.quality = vals[3];
	t.progress = vals[4];
	t.progress_strict = vals[5];
	t.quality_errors = (int64) vals[6];
	t.late_events = (int64) vals[7];
	kpi_tally_check(&t, ERRCODE_INVALID_TEXT_REPRESENTATION);
	PG_RETURN_POINTER(kpi_tally_pack(&t));
}

/* the longest text: its labels (132 bytes), 7 sums, 3 counts and the NUL */
#define TALLY_TEXT_MAX (133 + 7 * KPI_INT128_TEXT + 3 * MAXINT8LEN)

/* a label of tally_out's text, copied at p; returns its end */
static inline char *
text_label(char *p, const char *label)
{
	size_t		n = strlen(label);

	memcpy(p, label, n);
	return p + n;
}

PG_FUNCTION_INFO_V1(tally_out);

/* Text output; exact, and read back by tally_in to the same bits. */
Datum
tally_out(PG_FUNCTION_ARGS)
{
	KpiTally	t;
	char	   *out = palloc(TALLY_TEXT_MAX);
	char	   *p = out;

	/* printed straight into the result: a year prints millions of tallies into its digests */
	Unpacked(PG_GETARG_DATUM(0), &t);
	{
		/* scale -1: a count */
		const struct
		{
			const char *label;
			int128		value;
			int			scale;
		}			f[] = {
			{"(lines=", t.lines, -1},
			{",assigned=", t.assigned, KPI_PRODUCT_DIGITS},
			{",quantity=", t.quantity, KPI_PRODUCT_DIGITS},
			{",quality=", t.quality, KPI_PRODUCT_DIGITS},
			{",progress=", t.progress, KPI_PRODUCT_DIGITS},
			{",progress_strict=", t.progress_strict, KPI_PRODUCT_DIGITS},
			{",quality_errors=", t.quality_errors, -1},
			{",late_events=", t.late_events, -1},
			{",quality_deduction=", t.quality_deduction, KPI_DIGITS},
			{",progress_deduction=", t.progress_deduction, KPI_DIGITS},
		};

		for (int i = 0; i < (int) lengthof(f); i++)
		{
			p = text_label(p, f[i].label);
			if (f[i].scale < 0)
				p += pg_lltoa((int64) f[i].value, p);
			else
				p += kpi_trimmed_text(f[i].value, f[i].scale, p);
		}
	}
	p = text_label(p, ")");
	*p = '\0';
	Assert(p < out + TALLY_TEXT_MAX);
	PG_RETURN_CSTRING(out);
}

/*
 * Binary layout (0.1.0's, whatever the storage layout): version 1, flags,
 * two int2 rates, three int8 counts, five int128 sums.
 */
#define TALLY_WIRE_VERSION 1
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
	KpiTally	t;

	/* check the length first: pq_getmsg* would report a protocol error */
	if (buf->len - buf->cursor != TALLY_WIRE_SIZE)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid external binary kpi.tally value"),
				 errdetail("A binary kpi.tally is %d bytes, not %d.",
						   TALLY_WIRE_SIZE, buf->len - buf->cursor)));
	if (pq_getmsgbyte(buf) != TALLY_WIRE_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid external binary kpi.tally value"),
				 errdetail("The tally has an unknown version or size.")));
	memset(&t, 0, sizeof(t));
	t.flags = (uint8) pq_getmsgbyte(buf);
	t.quality_deduction = (uint16) pq_getmsgint(buf, 2);
	t.progress_deduction = (uint16) pq_getmsgint(buf, 2);
	t.lines = pq_getmsgint64(buf);
	t.quality_errors = pq_getmsgint64(buf);
	t.late_events = pq_getmsgint64(buf);
	t.assigned = GetInt128(buf);
	t.quantity = GetInt128(buf);
	t.quality = GetInt128(buf);
	t.progress = GetInt128(buf);
	t.progress_strict = GetInt128(buf);
	kpi_tally_check(&t, ERRCODE_INVALID_BINARY_REPRESENTATION);
	PG_RETURN_POINTER(kpi_tally_pack(&t));
}

PG_FUNCTION_INFO_V1(tally_send);

Datum
tally_send(PG_FUNCTION_ARGS)
{
	KpiTally	t;
	StringInfoData buf;

	Unpacked(PG_GETARG_DATUM(0), &t);
	pq_begintypsend(&buf);
	pq_sendbyte(&buf, TALLY_WIRE_VERSION);
	pq_sendbyte(&buf, t.flags);
	pq_sendint16(&buf, t.quality_deduction);
	pq_sendint16(&buf, t.progress_deduction);
	pq_sendint64(&buf, t.lines);
	pq_sendint64(&buf, t.quality_errors);
	pq_sendint64(&buf, t.late_events);
	SendInt128(&buf, t.assigned);
	SendInt128(&buf, t.quantity);
	SendInt128(&buf, t.quality);
	SendInt128(&buf, t.progress);
	SendInt128(&buf, t.progress_strict);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(tally_components);

/* kpi.tally_components(t): every field of a tally, as exact numerics */
Datum
tally_components(PG_FUNCTION_ARGS)
{
	KpiTally	buf;
	const KpiTally *t = PG_GETARG_KPI_TALLY(0, &buf);
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
