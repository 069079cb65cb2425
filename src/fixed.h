/*
 * fixed.h
 *		Fixed-point arithmetic (fixed.c): inputs as scaled int64, sums as
 *		int128, exact numeric conversions and rounding (rules.md N0.2-N0.3).
 *
 * Every quantity the extension sums is a fixed-point integer, so that the
 * same rows give the same bits in any order and any plan (rules.md N0.2).
 */
#ifndef KPI_FIXED_H
#define KPI_FIXED_H

#include "postgres.h"

#include "fmgr.h"
#include "utils/numeric.h"

#ifndef HAVE_INT128
#error "kpi_eval needs a 128-bit integer type"
#endif

/*
 * Inputs (coefficients, quantities, rates, marks, scores) are exact decimals
 * with at most KPI_DIGITS fractional digits, held as int64 in units of
 * 1/KPI_ONE.  Their magnitude is below KPI_INPUT_LIMIT units of the SQL value,
 * so a scaled input is below 10^16 and a product of two is below 10^32, far
 * inside int128.
 */
#define KPI_DIGITS			4
#define KPI_ONE				INT64CONST(10000)
#define KPI_SCALED_LIMIT	INT64CONST(10000000000000000)	/* 10^16 */
#define KPI_INPUT_LIMIT_TEXT "1000000000000"

/* Sums of products carry 2 * KPI_DIGITS fractional digits. */
#define KPI_PRODUCT_DIGITS	(2 * KPI_DIGITS)

/* The decimals printed from their digits (kpi_decimal_text), and their text's size. */
#define KPI_NUMERIC_SCALE	252
#define KPI_NUMERIC_TEXT	300
/* the text of a fixed-point int128 (kpi_trimmed_text): 39 digits, sign, point, "0." */
#define KPI_INT128_TEXT		48

/* Result of converting a numeric to fixed point. */
typedef enum KpiFixedStatus
{
	KPI_FIXED_OK,
	KPI_FIXED_NAN,
	KPI_FIXED_INFINITE,
	KPI_FIXED_NEGATIVE,
	KPI_FIXED_TOO_PRECISE,
	KPI_FIXED_TOO_LARGE
} KpiFixedStatus;

/* fixed.c */
extern const int64 kpi_pow10[19];
extern KpiFixedStatus kpi_numeric_to_fixed(Datum num, int64 *result);
extern int64 kpi_fixed_arg(Datum num, const char *what, const char *context);
extern void kpi_report_fixed(KpiFixedStatus status, const char *what,
							 const char *context, Datum num) pg_attribute_noreturn();
extern bool kpi_numeric_decimal(Datum num, int64 *unscaled, int *scale);
extern void kpi_decimal_text(int64 unscaled, int scale, char *out);
extern const char *kpi_numeric_text(Datum num, char *out);
extern Numeric kpi_int128_to_numeric(int128 value, int scale);
extern Numeric kpi_fixed_to_numeric(int64 value);
extern char *kpi_fixed_cstring(int64 value);
extern char *kpi_sum_cstring(int128 value);
extern int	kpi_trimmed_text(int128 value, int scale, char *out);
extern bool kpi_cstring_to_int128(const char *str, int scale, int128 *result,
								  const char **endptr);
extern void kpi_overflow128(const char *what) pg_attribute_noreturn();
extern void kpi_skip_space(const char **p);
extern void kpi_syntax_error(const char *type, const char *str,
							 const char *detail) pg_attribute_noreturn();
extern Numeric kpi_num_add(Numeric a, Numeric b);
extern Numeric kpi_num_mul(Numeric a, Numeric b);
extern Numeric kpi_num_div(Numeric a, Numeric b);
extern Numeric kpi_num_int(int64 v);
extern Numeric kpi_round_ratio(Numeric num, Numeric den, int scale);

/* Overflow-checked int128 addition; inline because it runs per task line. */
static inline int128
kpi_add128(int128 a, int128 b, const char *what)
{
	int128		r;

	if (unlikely(__builtin_add_overflow(a, b, &r)))
		kpi_overflow128(what);
	return r;
}

/*
 * kpi_fixed_arg for the common case, inline: an uncompressed numeric in the
 * short format (what every value below 10^12 with few digits is), zero or
 * positive, with no digit beyond KPI_DIGITS decimals.  Anything else,
 * including every error, takes the general path.
 *
 * The base-10000 digits d[0..n-1] (numeric strips zero digits at both ends)
 * are worth sum d[i] 10000^(weight - i + 1) units of 1/KPI_ONE, which is
 * Horner's sum over the digits times 10000^(weight - n + 2): exact when that
 * exponent is not negative (no digit below 10^-4) and weight <= 2 (below
 * 10^12).  Then n <= 4, and the result is below 10^16.
 */
static inline int64
kpi_numeric_digit(const char *p, int i)
{
	int16		d;

	memcpy(&d, p + sizeof(uint16) + i * sizeof(int16), sizeof(int16));
	return d;
}

static pg_attribute_always_inline int64
kpi_fixed_arg_fast(Datum num, const char *what, const char *context)
{
	static const int64 scale[5] = {1, INT64CONST(10000), INT64CONST(100000000),
	INT64CONST(1000000000000), INT64CONST(10000000000000000)};
	struct varlena *v = (struct varlena *) DatumGetPointer(num);
	const char *p;
	int			len;
	uint16		hdr;
	int			weight;
	int			n;
	int			e;
	int64		acc = 0;

	if (VARATT_IS_SHORT(v))
	{
		p = VARDATA_SHORT(v);
		len = VARSIZE_SHORT(v) - VARHDRSZ_SHORT;
	}
	else if (VARATT_IS_4B_U(v))
	{
		p = VARDATA(v);
		len = VARSIZE(v) - VARHDRSZ;
	}
	else
		return kpi_fixed_arg(num, what, context);
	if (unlikely(len < (int) sizeof(uint16)))
		return kpi_fixed_arg(num, what, context);
	memcpy(&hdr, p, sizeof(uint16));
	/* short format (0x8000), positive (0x2000 clear) */
	if (unlikely((hdr & 0xE000) != 0x8000))
		return kpi_fixed_arg(num, what, context);
	/* the 7-bit weight, sign-extended */
	weight = (int) (int8) (uint8) (hdr << 1) >> 1;
	n = (len - (int) sizeof(uint16)) / (int) sizeof(int16);
	e = weight - n + 2;
	if (unlikely(e < 0 || weight > 2))
		return kpi_fixed_arg(num, what, context);
	/* a short varlena is not aligned: memcpy (one load on common targets) */
#define KPI_DIGIT(i) kpi_numeric_digit(p, i)
	switch (n)
	{
		case 0:
			return 0;
		case 1:
			acc = KPI_DIGIT(0);
			break;
		case 2:
			acc = KPI_DIGIT(0) * 10000 + KPI_DIGIT(1);
			break;
		case 3:
			acc = (KPI_DIGIT(0) * 10000 + KPI_DIGIT(1)) * 10000 + KPI_DIGIT(2);
			break;
		default:
			acc = ((KPI_DIGIT(0) * 10000 + KPI_DIGIT(1)) * 10000 + KPI_DIGIT(2)) * 10000 +
				KPI_DIGIT(3);
			break;
	}
#undef KPI_DIGIT
	return acc * scale[e];
}

#endif							/* KPI_FIXED_H */
