/*
 * fixed.c
 *		Fixed-point arithmetic core: numeric <-> scaled integers, exact
 *		rational rounding.
 *
 * Task-line inputs arrive as numeric.  Converting them through numeric
 * arithmetic would allocate several times per row, so the on-disk numeric
 * format (stable across major versions, since pg_upgrade keeps it) is read
 * directly: it stores base-10000 digits, which map one to one onto our
 * 4-decimal fixed point.
 */
#include "postgres.h"

#include "kpi_eval.h"

#include "utils/builtins.h"
#include "utils/fmgrprotos.h"

static char *kpi_trimmed_cstring(int128 value, int scale);

/* Bits of the numeric header word (see src/backend/utils/adt/numeric.c). */
#define NUM_SIGN_MASK		0xC000
#define NUM_NEG				0x4000
#define NUM_SHORT			0x8000
#define NUM_SPECIAL			0xC000
#define NUM_EXT_SIGN_MASK	0xF000
#define NUM_NAN				0xC000
#define NUM_SHORT_SIGN_MASK	0x2000
#define NUM_SHORT_WEIGHT_SIGN_MASK 0x0040
#define NUM_SHORT_WEIGHT_MASK 0x003F
#define NUM_SHORT_DSCALE_MASK 0x1F80
#define NUM_SHORT_DSCALE_SHIFT 7
#define NUM_DSCALE_MASK		0x3FFF

/* Powers of ten, 10^0 to 10^18 (every one an int64 holds). */
const int64 kpi_pow10[19] = {
	INT64CONST(1), INT64CONST(10), INT64CONST(100), INT64CONST(1000), INT64CONST(10000),
	INT64CONST(100000), INT64CONST(1000000), INT64CONST(10000000), INT64CONST(100000000),
	INT64CONST(1000000000), INT64CONST(10000000000), INT64CONST(100000000000),
	INT64CONST(1000000000000), INT64CONST(10000000000000), INT64CONST(100000000000000),
	INT64CONST(1000000000000000), INT64CONST(10000000000000000), INT64CONST(100000000000000000),
	INT64CONST(1000000000000000000)
};

/* A numeric's header and digits, read in place (numeric.c's layout). */
typedef struct NumParts
{
	uint16		hdr;
	bool		negative;
	int			weight;			/* of the first digit, in powers of 10000 */
	int			dscale;			/* the display scale */
	const char *digits;			/* int16 each, unaligned */
	int			ndigits;
} NumParts;

/* false for NaN and the infinities (hdr tells which) */
static inline bool
num_parts(Datum num, NumParts *n)
{
	struct varlena *v = (struct varlena *) DatumGetPointer(num);
	const char *p;
	int			len;

	if (VARATT_IS_EXTENDED(v))
		v = pg_detoast_datum_packed(v);
	p = VARDATA_ANY(v);
	len = VARSIZE_ANY_EXHDR(v);
	if (len < (int) sizeof(uint16))
		elog(ERROR, "corrupt numeric value");
	memcpy(&n->hdr, p, sizeof(uint16));

	if ((n->hdr & NUM_SIGN_MASK) == NUM_SPECIAL)
		return false;
	if (n->hdr & NUM_SHORT)
	{
		n->negative = (n->hdr & NUM_SHORT_SIGN_MASK) != 0;
		n->weight = ((n->hdr & NUM_SHORT_WEIGHT_SIGN_MASK) ? ~NUM_SHORT_WEIGHT_MASK : 0) |
			(n->hdr & NUM_SHORT_WEIGHT_MASK);
		n->dscale = (n->hdr & NUM_SHORT_DSCALE_MASK) >> NUM_SHORT_DSCALE_SHIFT;
		n->digits = p + sizeof(uint16);
		n->ndigits = (len - sizeof(uint16)) / sizeof(int16);
	}
	else
	{
		int16		w;

		if (len < (int) (2 * sizeof(uint16)))
			elog(ERROR, "corrupt numeric value");
		n->negative = (n->hdr & NUM_SIGN_MASK) == NUM_NEG;
		n->dscale = n->hdr & NUM_DSCALE_MASK;
		memcpy(&w, p + sizeof(uint16), sizeof(int16));
		n->weight = w;
		n->digits = p + 2 * sizeof(uint16);
		n->ndigits = (len - 2 * sizeof(uint16)) / sizeof(int16);
	}
	return true;
}

/*
 * Convert a numeric datum to a non-negative fixed-point int64 with KPI_DIGITS
 * decimals.  Never rounds: a value with a nonzero digit beyond KPI_DIGITS is
 * refused, as is anything negative, special or too large.
 */
KpiFixedStatus
kpi_numeric_to_fixed(Datum num, int64 *result)
{
	NumParts	n;
	int64		acc = 0;

	if (!num_parts(num, &n))
		return (n.hdr & NUM_EXT_SIGN_MASK) == NUM_NAN ? KPI_FIXED_NAN : KPI_FIXED_INFINITE;

	/*
	 * Digit i is worth 10000^(weight - i) of the value, which is
	 * 10000^(weight - i + 1) of our fixed-point unit.  Exponents below 0 are
	 * beyond 4 decimals; exponents above 3 make the value 10^12 or more.
	 */
	for (int i = 0; i < n.ndigits; i++)
	{
		int16		d;
		int			e = n.weight - i + 1;

		memcpy(&d, n.digits + i * sizeof(int16), sizeof(int16));
		if (d == 0)
			continue;
		if (e < 0)
			return n.negative ? KPI_FIXED_NEGATIVE : KPI_FIXED_TOO_PRECISE;
		if (e > 3)
			return n.negative ? KPI_FIXED_NEGATIVE : KPI_FIXED_TOO_LARGE;
		switch (e)
		{
			case 0:
				acc += d;
				break;
			case 1:
				acc += (int64) d * INT64CONST(10000);
				break;
			case 2:
				acc += (int64) d * INT64CONST(100000000);
				break;
			case 3:
				acc += (int64) d * INT64CONST(1000000000000);
				break;
		}
	}
	if (n.negative && acc != 0)
		return KPI_FIXED_NEGATIVE;
	*result = acc;
	return KPI_FIXED_OK;
}

/*
 * The exact decimal of a finite numeric: unscaled x 10^-scale at its display
 * scale, which is what numeric_out prints.  False for NaN, the infinities,
 * an unscaled value beyond +-(2^63 - 1) and a scale beyond KPI_NUMERIC_SCALE.
 */
bool
kpi_numeric_decimal(Datum num, int64 *unscaled, int *scale)
{
	NumParts	n;
	int128		acc = 0;

	if (!num_parts(num, &n) || n.dscale > KPI_NUMERIC_SCALE)
		return false;
	for (int i = 0; i < n.ndigits; i++)
	{
		int16		d;
		int			e = 4 * (n.weight - i) + n.dscale;	/* the digit's power of ten, unscaled */

		memcpy(&d, n.digits + i * sizeof(int16), sizeof(int16));
		if (d == 0)
			continue;
		if (e < 0)
		{
			/* below the display scale: only zeros there, in a valid numeric */
			if (e <= -4 || d % kpi_pow10[-e] != 0)
				return false;
			acc += d / kpi_pow10[-e];
		}
		else if (e > 18)
			return false;		/* 10^19 or more */
		else
			acc += (int128) d * kpi_pow10[e];	/* below 10^23; at most five digits get here */
	}
	if (acc > PG_INT64_MAX)
		return false;
	*unscaled = n.negative ? -(int64) acc : (int64) acc;
	*scale = n.dscale;
	return true;
}

/*
 * The text of unscaled x 10^-scale, as numeric_out prints the numeric of that
 * value and scale; out has KPI_NUMERIC_TEXT bytes (scale at most
 * KPI_NUMERIC_SCALE).
 */
void
kpi_decimal_text(int64 unscaled, int scale, char *out)
{
	char		digits[MAXINT8LEN + 1];
	uint64		mag = unscaled < 0 ? -(uint64) unscaled : (uint64) unscaled;
	int			nd = pg_ulltoa_n(mag, digits);
	char	   *o = out;

	if (unscaled < 0)
		*o++ = '-';
	if (nd <= scale)
	{
		*o++ = '0';
		*o++ = '.';
		for (int i = 0; i < scale - nd; i++)
			*o++ = '0';
		memcpy(o, digits, nd);
		o += nd;
	}
	else
	{
		memcpy(o, digits, nd - scale);
		o += nd - scale;
		if (scale > 0)
		{
			*o++ = '.';
			memcpy(o, digits + nd - scale, scale);
			o += scale;
		}
	}
	*o = '\0';
}

/*
 * numeric_out's text of a numeric, printed from its digits when it fits
 * int64 (every value kpi_eval stores), else by numeric_out: into out
 * (KPI_NUMERIC_TEXT bytes) or palloc'd.
 */
const char *
kpi_numeric_text(Datum num, char *out)
{
	int64		unscaled;
	int			scale;

	if (kpi_numeric_decimal(num, &unscaled, &scale))
	{
		kpi_decimal_text(unscaled, scale, out);
		return out;
	}
	return DatumGetCString(DirectFunctionCall1(numeric_out, num));
}

/*
 * Report a failed conversion.  "what" names the value, "context" what it
 * belongs to (for example "task line"), so messages read "task line coef ...".
 */
void
kpi_report_fixed(KpiFixedStatus status, const char *what, const char *context,
				 Datum num)
{
	char	   *shown = DatumGetCString(DirectFunctionCall1(numeric_out, num));

	switch (status)
	{
		case KPI_FIXED_NAN:
		case KPI_FIXED_INFINITE:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s %s must be a finite number", context, what),
					 errdetail("The value given is %s.", shown)));
			break;
		case KPI_FIXED_NEGATIVE:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s %s must not be negative", context, what),
					 errdetail("The value given is %s.", shown)));
			break;
		case KPI_FIXED_TOO_PRECISE:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s %s has more than %d decimal places", context, what, KPI_DIGITS),
					 errdetail("The value given is %s; kpi_eval never rounds an input.", shown),
					 errhint("Round the value to %d decimal places before passing it.", KPI_DIGITS)));
			break;
		case KPI_FIXED_TOO_LARGE:
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("%s %s is out of range", context, what),
					 errdetail("The value given is %s; values must be less than " KPI_INPUT_LIMIT_TEXT ".", shown)));
			break;
		case KPI_FIXED_OK:
			break;
	}
	elog(ERROR, "unexpected fixed-point status %d", (int) status);
}

/* Convert a numeric argument or report why it cannot be used. */
int64
kpi_fixed_arg(Datum num, const char *what, const char *context)
{
	int64		v;
	KpiFixedStatus status = kpi_numeric_to_fixed(num, &v);

	if (status != KPI_FIXED_OK)
		kpi_report_fixed(status, what, context, num);
	return v;
}

/* The error of kpi_add128, out of line. */
void
kpi_overflow128(const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("kpi.tally %s is out of range", what),
			 errdetail("The sum exceeds the 128-bit fixed-point range of a tally.")));
}

/* kpi_trimmed_text of a magnitude within 64 bits: its two parts printed whole */
static int
trimmed_text64(bool negative, uint64 u, int scale, char *out)
{
	uint64		ip = u / (uint64) kpi_pow10[scale];
	uint64		fp = u % (uint64) kpi_pow10[scale];
	char	   *o = out;

	if (negative)
		*o++ = '-';
	o += pg_ulltoa_n(ip, o);
	if (fp != 0)
	{
		int			nd = scale;

		while (fp % 10 == 0)	/* the fraction's trailing zeros */
		{
			fp /= 10;
			nd--;
		}
		*o++ = '.';
		/* nd digits, leading zeros included */
		for (int i = nd - 1; i >= 0; i--)
		{
			o[i] = '0' + (int) (fp % 10);
			fp /= 10;
		}
		o += nd;
	}
	*o = '\0';
	return (int) (o - out);
}

/*
 * Exact decimal text of a fixed-point int128 with "scale" fraction digits,
 * without the fraction's trailing zeros (nor its point when nothing is left),
 * into out (KPI_INT128_TEXT bytes); returns its length.
 */
int
kpi_trimmed_text(int128 value, int scale, char *out)
{
	char		buf[KPI_INT128_TEXT];
	char	   *end = buf + sizeof(buf);
	char	   *p = end;
	uint128		u = value < 0 ? -(uint128) value : (uint128) value;
	int			ndig = 0;

	Assert(scale >= 0 && scale <= KPI_PRODUCT_DIGITS);
	if (u <= PG_UINT64_MAX)
		return trimmed_text64(value < 0, (uint64) u, scale, out);
	/* 128-bit division is a library call: the digits that fit 64 bits without it */
	while (u > PG_UINT64_MAX)
	{
		*--p = '0' + (int) (u % 10);
		u /= 10;
		ndig++;
		if (ndig == scale)
			*--p = '.';
	}
	for (uint64 w = (uint64) u;;)
	{
		*--p = '0' + (int) (w % 10);
		w /= 10;
		ndig++;
		if (ndig == scale)
			*--p = '.';
		if (w == 0 && ndig >= scale)
			break;
	}
	if (scale > 0 && *p == '.')
		*--p = '0';
	if (value < 0)
		*--p = '-';
	if (scale > 0)
	{
		while (end[-1] == '0')
			end--;
		if (end[-1] == '.')
			end--;
	}
	memcpy(out, p, end - p);
	out[end - p] = '\0';
	return (int) (end - p);
}

/* Shortest exact text of a KPI_DIGITS fixed-point value ("0.25", "90"). */
char *
kpi_fixed_cstring(int64 value)
{
	return kpi_trimmed_cstring(value, KPI_DIGITS);
}

/*
 * Parse a non-negative decimal with at most "scale" fraction digits into a
 * fixed-point int128.  Returns false on bad syntax, extra digits or overflow;
 * *endptr is left after the last character used.
 */
bool
kpi_cstring_to_int128(const char *str, int scale, int128 *result,
					  const char **endptr)
{
	const char *p = str;
	int128		acc = 0;
	int			frac = -1;
	bool		any = false;

	while (*p == '0' || (*p >= '1' && *p <= '9') || (*p == '.' && frac < 0))
	{
		if (*p == '.')
		{
			frac = 0;
			p++;
			continue;
		}
		if (frac >= 0 && ++frac > scale)
			return false;
		if (__builtin_mul_overflow(acc, 10, &acc) ||
			__builtin_add_overflow(acc, *p - '0', &acc))
			return false;
		any = true;
		p++;
	}
	if (!any || frac == 0)
		return false;
	for (int i = frac < 0 ? 0 : frac; i < scale; i++)
		if (__builtin_mul_overflow(acc, 10, &acc))
			return false;
	*result = acc;
	*endptr = p;
	return true;
}

/* Shortest exact text of a sum with KPI_PRODUCT_DIGITS fraction digits. */
char *
kpi_sum_cstring(int128 value)
{
	return kpi_trimmed_cstring(value, KPI_PRODUCT_DIGITS);
}

/* Exact text of a fixed-point int128, without trailing fraction zeros, palloc'd. */
static char *
kpi_trimmed_cstring(int128 value, int scale)
{
	char		buf[KPI_INT128_TEXT];
	int			len = kpi_trimmed_text(value, scale, buf);

	return pnstrdup(buf, len);
}

/* Numeric from a fixed-point int128 with "scale" fraction digits. */
Numeric
kpi_int128_to_numeric(int128 value, int scale)
{
	char	   *s;

	/*
	 * Within int64 (every tally of real inputs), the digits go to the numeric
	 * directly: the same value and display scale as the text's, without
	 * printing and parsing it.
	 */
	if (value >= PG_INT64_MIN && value <= PG_INT64_MAX)
	{
		int64		v = (int64) value;

		while (scale > 0 && v % 10 == 0)
		{
			v /= 10;
			scale--;
		}
		return int64_div_fast_to_numeric(v, scale);
	}
	s = kpi_trimmed_cstring(value, scale);

	return DatumGetNumeric(DirectFunctionCall3(numeric_in, CStringGetDatum(s),
											   ObjectIdGetDatum(InvalidOid),
											   Int32GetDatum(-1)));
}

/* Numeric from a KPI_DIGITS fixed-point value, with trailing zeros dropped. */
Numeric
kpi_fixed_to_numeric(int64 value)
{
	int			scale = KPI_DIGITS;

	while (scale > 0 && value % 10 == 0)
	{
		value /= 10;
		scale--;
	}
	return int64_div_fast_to_numeric(value, scale);
}

Numeric
kpi_num_int(int64 v)
{
	return int64_to_numeric(v);
}

Numeric
kpi_num_add(Numeric a, Numeric b)
{
	return numeric_add_opt_error(a, b, NULL);
}

Numeric
kpi_num_mul(Numeric a, Numeric b)
{
	return numeric_mul_opt_error(a, b, NULL);
}

/* Division at numeric's own result scale (at least 16 significant digits). */
Numeric
kpi_num_div(Numeric a, Numeric b)
{
	return numeric_div_opt_error(a, b, NULL);
}

/*
 * Round the exact rational num/den half away from zero to "scale" decimals
 * (rules.md N0.3).  Only integer truncation is used, so no intermediate
 * rounding can move a value across a tier boundary.
 */
Numeric
kpi_round_ratio(Numeric num, Numeric den, int scale)
{
	Numeric		pow10 = int64_to_numeric(1);
	Numeric		two = int64_to_numeric(2);
	Numeric		absnum;
	Numeric		q;
	bool		negative;

	Assert(scale >= 0 && scale <= KPI_DIGITS);
	negative = DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(num),
												 NumericGetDatum(int64_to_numeric(0)))) < 0;
	absnum = DatumGetNumeric(DirectFunctionCall1(numeric_abs, NumericGetDatum(num)));
	for (int i = 0; i < scale; i++)
		pow10 = kpi_num_mul(pow10, int64_to_numeric(10));

	/* floor((2 * |num| * 10^scale + den) / (2 * den)), all exact */
	q = DatumGetNumeric(DirectFunctionCall2(numeric_div_trunc,
											NumericGetDatum(kpi_num_add(kpi_num_mul(kpi_num_mul(two, absnum), pow10), den)),
											NumericGetDatum(kpi_num_mul(two, den))));
	if (negative)
		q = DatumGetNumeric(DirectFunctionCall1(numeric_uminus, NumericGetDatum(q)));
	/* q / 10^scale is exact; numeric_round only fixes the display scale */
	return DatumGetNumeric(DirectFunctionCall2(numeric_round,
											   NumericGetDatum(kpi_num_div(q, pow10)),
											   Int32GetDatum(scale)));
}

/* Skip white space in text input. */
void
kpi_skip_space(const char **p)
{
	while (**p == ' ' || **p == '\t' || **p == '\n' || **p == '\r')
		(*p)++;
}

/* Report malformed text input of one of our types (22P02). */
void
kpi_syntax_error(const char *type, const char *str, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type %s: \"%s\"", type, str),
			 errdetail("%s", detail)));
}
