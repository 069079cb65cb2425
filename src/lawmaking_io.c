/*
 * lawmaking_io.c
 *		Text and binary input and output of kpi.lawmaking (rules.md LM1-LM4).
 *
 * The text form names every field; the binary form is fixed-width
 * big-endian.  Both are validated like every other way in (lawmaking.c's
 * kpi_lm_check_state), so a value no documents can give is refused.
 */
#include "postgres.h"

#include "lawmaking.h"

#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"

/* Text input helpers */

/* "name=" at *p, with optional space after the "=" */
static void
ExpectName(const char *str, const char **p, const char *name, int field)
{
	size_t		len = strlen(name);

	kpi_skip_space(p);
	if (strncmp(*p, name, len) != 0 || (*p)[len] != '=')
		kpi_syntax_error("kpi.lawmaking", str, psprintf("Expected \"%s=\" at field %d.", name, field));
	*p += len + 1;
	kpi_skip_space(p);
}

/* YYYY-MM-DD, a valid date from 0001-01-01 to 9999-12-31 */
static DateADT
ReadDate(const char *str, const char **p, const char *name)
{
	int			v[3] = {0, 0, 0};
	const int	width[3] = {4, 2, 2};
	int			y2;
	int			m2;
	int			d2;
	int			j;

	for (int part = 0; part < 3; part++)
	{
		for (int i = 0; i < width[part]; i++)
		{
			if (**p < '0' || **p > '9')
				kpi_syntax_error("kpi.lawmaking", str, psprintf("Field \"%s\" must be a date written YYYY-MM-DD.", name));
			v[part] = v[part] * 10 + (*(*p)++ - '0');
		}
		if (part < 2 && *(*p)++ != '-')
			kpi_syntax_error("kpi.lawmaking", str, psprintf("Field \"%s\" must be a date written YYYY-MM-DD.", name));
	}
	if (v[0] < 1 || v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > 31)
		kpi_syntax_error("kpi.lawmaking", str, psprintf("Field \"%s\" is not a date from 0001-01-01 to 9999-12-31.", name));
	j = date2j(v[0], v[1], v[2]);
	j2date(j, &y2, &m2, &d2);
	if (y2 != v[0] || m2 != v[1] || d2 != v[2])
		kpi_syntax_error("kpi.lawmaking", str, psprintf("Field \"%s\" is not a date from 0001-01-01 to 9999-12-31.", name));
	return j - POSTGRES_EPOCH_JDATE;
}

PG_FUNCTION_INFO_V1(lawmaking_in);

/*
 * Text input: (period_start=YYYY-MM-DD,period_end=YYYY-MM-DD,due_in_period=N,
 * ...) with every field in the order lawmaking_out writes it.
 */
Datum
lawmaking_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	const char *p = str;
	KpiLawmaking *s = kpi_lm_new_state(0, 0);

	kpi_skip_space(&p);
	if (*p++ != '(')
		kpi_syntax_error("kpi.lawmaking", str, "A kpi.lawmaking starts with \"(\".");
	ExpectName(str, &p, "period_start", 1);
	s->period_start = ReadDate(str, &p, "period_start");
	kpi_skip_space(&p);
	if (*p++ != ',')
		kpi_syntax_error("kpi.lawmaking", str, "Expected \",\" after field \"period_start\".");
	ExpectName(str, &p, "period_end", 2);
	s->period_end = ReadDate(str, &p, "period_end");
	for (int i = 0; i < LM_NCOUNTS; i++)
	{
		int128		v;

		kpi_skip_space(&p);
		if (*p++ != ',')
			kpi_syntax_error("kpi.lawmaking", str, psprintf("Expected \",\" before field \"%s\".", kpi_lm_count_names[i]));
		ExpectName(str, &p, kpi_lm_count_names[i], i + 3);
		if (!kpi_cstring_to_int128(p, 0, &v, &p))
			kpi_syntax_error("kpi.lawmaking", str, psprintf("Field \"%s\" must be a non-negative whole number.", kpi_lm_count_names[i]));
		if (v > PG_INT64_MAX)
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("kpi.lawmaking count is out of range"),
					 errdetail("Counts must fit in a bigint.")));
		s->counts[i] = (int64) v;
	}
	kpi_skip_space(&p);
	if (*p++ != ')')
		kpi_syntax_error("kpi.lawmaking", str, "A kpi.lawmaking ends with \")\".");
	kpi_skip_space(&p);
	if (*p != '\0')
		kpi_syntax_error("kpi.lawmaking", str, "Unexpected text after \")\".");
	kpi_lm_check_state(s, ERRCODE_INVALID_TEXT_REPRESENTATION);
	PG_RETURN_POINTER(s);
}

PG_FUNCTION_INFO_V1(lawmaking_out);

/* Text output; exact, and read back by lawmaking_in to the same bits. */
Datum
lawmaking_out(PG_FUNCTION_ARGS)
{
	KpiLawmaking *s = PG_GETARG_LM(0);
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfo(&buf, "(period_start=%s,period_end=%s",
					 kpi_lm_date_text(s->period_start), kpi_lm_date_text(s->period_end));
	for (int i = 0; i < LM_NCOUNTS; i++)
		appendStringInfo(&buf, ",%s=" INT64_FORMAT, kpi_lm_count_names[i], s->counts[i]);
	appendStringInfoChar(&buf, ')');
	PG_RETURN_CSTRING(buf.data);
}

PG_FUNCTION_INFO_V1(lawmaking_recv);

/* Binary input: version, flags, int2 reserved, two int4 dates, 9 int8 counts. */
Datum
lawmaking_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	KpiLawmaking *s;

	/* check the length first: pq_getmsg* would report a protocol error */
	if (buf->len - buf->cursor != LM_WIRE_SIZE)
		kpi_lm_bad_state(ERRCODE_INVALID_BINARY_REPRESENTATION,
				 psprintf("A binary kpi.lawmaking is %d bytes, not %d.",
						  LM_WIRE_SIZE, buf->len - buf->cursor));
	s = kpi_lm_new_state(0, 0);
	s->version = (uint8) pq_getmsgbyte(buf);
	s->flags = (uint8) pq_getmsgbyte(buf);
	s->reserved = (uint16) pq_getmsgint(buf, 2);
	s->period_start = (DateADT) pq_getmsgint(buf, 4);
	s->period_end = (DateADT) pq_getmsgint(buf, 4);
	for (int i = 0; i < LM_NCOUNTS; i++)
		s->counts[i] = pq_getmsgint64(buf);
	kpi_lm_check_state(s, ERRCODE_INVALID_BINARY_REPRESENTATION);
	PG_RETURN_POINTER(s);
}

PG_FUNCTION_INFO_V1(lawmaking_send);

Datum
lawmaking_send(PG_FUNCTION_ARGS)
{
	KpiLawmaking *s = PG_GETARG_LM(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, s->version);
	pq_sendbyte(&buf, s->flags);
	pq_sendint16(&buf, s->reserved);
	pq_sendint32(&buf, (uint32) s->period_start);
	pq_sendint32(&buf, (uint32) s->period_end);
	for (int i = 0; i < LM_NCOUNTS; i++)
		pq_sendint64(&buf, s->counts[i]);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}
