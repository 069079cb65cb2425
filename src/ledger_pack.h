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

extern bytea *kpi_pack_entries(ArrayType *arr);
extern PackEntry *kpi_unpack_entries(const char *data, int len, int sqlstate, int *count);

#endif							/* KPI_LEDGER_PACK_H */
