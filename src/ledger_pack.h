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

/* a length-prefixed string, copied and terminated */
static inline char *
kpi_pack_cstring(PackReader *rd)
{
	int			len;
	const char *s = kpi_pack_bytes(rd, &len);

	return pnstrdup(s, len);
}

/*
 * A rule id's or source table's text: NULL for code 0, the bytes that follow
 * for code literal, else the dictionary's entry; *len its length.
 */
static inline const char *
kpi_pack_field_text(PackReader *rd, int code, int literal, const char *const *dict, int n,
					const char *what, int *len)
{
	const char *s;

	if (code == 0)
		return NULL;
	if (code == literal)
		return kpi_pack_bytes(rd, len);
	s = kpi_pack_dict(rd, dict, n, code, what);
	*len = strlen(s);
	return s;
}

/* An entry's head and rule bytes, taken apart (ledger_pack.c). */
typedef struct PackHead
{
	int			rule;			/* 0 NULL, 127 text follows, else a known rule id */
	bool		scale6;			/* points_lost: scale 6, its unscaled value follows */
	int			table;			/* 0 NULL, 15 text follows, else a known table */
	int			sid;			/* 0 NULL, 1 the previous entry's, 2 value follows */
	int			detail;			/* 0 NULL, 1 the previous entry's, 2 object, 3 jsonb text */
} PackHead;

static inline void
kpi_pack_head(PackReader *rd, PackHead *h)
{
	uint8		head = kpi_pack_byte(rd);
	uint8		rule = kpi_pack_byte(rd);

	h->table = head & 0x0F;
	h->sid = (head >> 4) & 3;
	h->detail = head >> 6;
	h->rule = rule & 0x7F;
	h->scale6 = (rule & 0x80) != 0;
}

/*
 * The entry's source id: false when NULL; on true, *sid is it (for the
 * previous entry's, *sid must still hold that, and prev says it had one).
 */
static inline bool
kpi_pack_source_id(PackReader *rd, const PackHead *h, bool prev, int64 *sid)
{
	if (h->sid == 0)
		return false;
	if (h->sid == 1)
	{
		if (!prev)
			kpi_pack_bad(rd, "a source id repeats an entry that has none");
		return true;
	}
	if (h->sid != 2)
		kpi_pack_bad(rd, "a source id has an unknown form");
	*sid = kpi_pack_zigzag(rd);
	return true;
}

extern Datum kpi_pack_detail(PackReader *rd, int mode);
extern uint64 kpi_pack_open(PackReader *rd, const char *data, int len, int sqlstate);

extern bytea *kpi_pack_entries(ArrayType *arr);
extern PackEntry *kpi_unpack_entries(const char *data, int len, int sqlstate, int *count);

#endif							/* KPI_LEDGER_PACK_H */
