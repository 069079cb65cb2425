/*
 * ledger_pack.h
 *		kpi.ledger_pack, shared by its writer (ledger_pack.c) and its reader
 *		and SQL functions (ledger_unpack.c); the format is described in
 *		ledger_pack.c.
 */
#ifndef KPI_LEDGER_PACK_H
#define KPI_LEDGER_PACK_H

#include "utils/array.h"

#define PACK_VERSION 1
#define N_FIELDS 5				/* of kpi.ledger_entry */
#define N_OF(a) ((int) lengthof(a))

/* the known strings: code = index + 1 (never reorder, only append) */
extern const char *const pack_rules[];
extern const int n_pack_rules;
extern const char *const pack_tables[];
extern const int n_pack_tables;
extern const char *const pack_keys[];
extern const int n_pack_keys;
extern const char *const pack_strings[];
extern const int n_pack_strings;

/* the key sets of known details, each in jsonb order (kpi_pack_init_shapes) */
#define N_SHAPES 10
#define MAX_SHAPE_KEYS 12
extern const char *shape_sorted[N_SHAPES][MAX_SHAPE_KEYS];
extern int	shape_len[N_SHAPES];
extern void kpi_pack_init_shapes(void);

/* one entry: the fields of a kpi.ledger_entry */
typedef struct PackEntry
{
	Datum		values[N_FIELDS];
	bool		nulls[N_FIELDS];
} PackEntry;

/* reading a pack: every read checked against its end (ledger_unpack.c) */
typedef struct PackReader
{
	const uint8 *p;
	const uint8 *end;
	int			errcode;		/* of a malformed value: corrupted, or bad input */
} PackReader;

extern void kpi_pack_bad(PackReader *rd, const char *what) pg_attribute_noreturn();

static inline uint8
kpi_pack_byte(PackReader *rd)
{
	if (rd->p >= rd->end)
		kpi_pack_bad(rd, "it ends inside an entry");
	return *rd->p++;
}

static inline uint64
kpi_pack_varint(PackReader *rd)
{
	uint64		v = 0;

	for (int shift = 0; shift < 64; shift += 7)
	{
		uint8		b = kpi_pack_byte(rd);

		v |= (uint64) (b & 0x7F) << shift;
		if (!(b & 0x80))
			return v;
	}
	kpi_pack_bad(rd, "a number is too long");
}

static inline int64
kpi_pack_zigzag(PackReader *rd)
{
	uint64		u = kpi_pack_varint(rd);

	return (int64) (u >> 1) ^ -(int64) (u & 1);
}

/* a length-prefixed string; *len its length (not terminated) */
static inline const char *
kpi_pack_bytes(PackReader *rd, int *len)
{
	uint64		n = kpi_pack_varint(rd);
	const char *s;

	if (n > (uint64) (rd->end - rd->p))
		kpi_pack_bad(rd, "a text runs past its end");
	s = (const char *) rd->p;
	rd->p += n;
	*len = (int) n;
	return s;
}

static inline const char *
kpi_pack_dict(PackReader *rd, const char *const *dict, int n, int code, const char *what)
{
	if (code < 1 || code > n)
		kpi_pack_bad(rd, what);
	return dict[code - 1];
}

#define KPI_PACK_NUMERIC_TEXT 300
extern void kpi_pack_unscaled_text(int64 unscaled, int scale, char *out);
extern Datum kpi_pack_detail(PackReader *rd, int mode);
extern uint64 kpi_pack_open(PackReader *rd, const char *data, int len, int sqlstate);

extern bytea *kpi_pack_entries(ArrayType *arr);
extern PackEntry *kpi_unpack_entries(const char *data, int len, int sqlstate, int *count);

#endif							/* KPI_LEDGER_PACK_H */
