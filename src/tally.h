/*
 * tally.h
 *		The kpi.tally summary of task lines (rules.md CS4-CS8): its two
 *		storage layouts and the functions that read, check and merge them.
 *
 * The credits of one line are computed when the line is added, because the
 * 25% deductions are clamped per line (CS8: a line never earns negative
 * credit); the deduction rates are therefore fixed when summing and are
 * recorded in the tally.  Both progress readings of CS7 are kept, so the
 * reading is chosen when the tally is read.
 *
 * A tally is a plain-storage varlena in one of two layouts, told apart by
 * its version byte (doc/tally.md):
 *
 *  - version 2, compact (KpiTallyCompact, 64 bytes): int32 counts and int64
 *    sums.  What every real group of lines fits in, so the per-group state
 *    of a hash aggregate is one cache line.
 *  - version 1, wide (KpiTally, 120 bytes): int64 counts and int128 sums.
 *    The only layout of 0.1.0, so every stored 0.1.0 value is a wide value.
 *    A sum that leaves the compact range promotes the state to it, exactly.
 *
 * Values are canonical: whatever leaves an input function or an aggregate
 * is compact when it fits, so equal tallies have equal bytes in every plan.
 */
#ifndef KPI_TALLY_H
#define KPI_TALLY_H

#include "fixed.h"

#define KPI_TALLY_WIDE_VERSION	1
#define KPI_TALLY_VERSION		2

/* The wide layout (version 1): also the form every reader works on. */
typedef struct KpiTally
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	uint8		version;		/* KPI_TALLY_WIDE_VERSION */
	uint8		flags;			/* reserved, 0 */
	uint16		quality_deduction;	/* per failed review, units of 1/KPI_ONE */
	uint16		progress_deduction; /* per late event, units of 1/KPI_ONE */
	uint16		reserved;		/* 0 */
	int64		lines;			/* task lines summed */
	int64		quality_errors; /* failed quality reviews summed */
	int64		late_events;	/* late events summed */
	/* the sums below carry KPI_PRODUCT_DIGITS fractional digits */
	int128		assigned;		/* sum coef * assigned_qty */
	int128		quantity;		/* sum coef * completed_qty */
	int128		quality;		/* sum coef * max(0, passed - qd * errors) */
	int128		progress;		/* sum coef * max(0, completed - pd * late) */
	int128		progress_strict;	/* sum coef * max(0, completed - late) */
} KpiTally;

/* The compact layout (version 2): the same fields, narrower. */
typedef struct KpiTallyCompact
{
	int32		vl_len_;
	uint8		version;		/* KPI_TALLY_VERSION */
	uint8		flags;			/* reserved, 0 */
	uint16		quality_deduction;
	uint16		progress_deduction;
	uint16		reserved;		/* 0 */
	int32		lines;
	int32		quality_errors;
	int32		late_events;
	int64		assigned;
	int64		quantity;
	int64		quality;
	int64		progress;
	int64		progress_strict;
} KpiTallyCompact;

#define KPI_TALLY_WIDE_SIZE		sizeof(KpiTally)
#define KPI_TALLY_COMPACT_SIZE	sizeof(KpiTallyCompact)

/*
 * A tally argument, checked and in the wide form: buf is the caller's space
 * for the conversion of a compact value.
 */
#define PG_GETARG_KPI_TALLY(n, buf)	kpi_tally_read(PG_GETARG_DATUM(n), (buf))

/* tally.c */
extern KpiTally *kpi_tally_new(uint16 quality_deduction, uint16 progress_deduction);
extern KpiTallyCompact *kpi_tally_new_compact(uint16 quality_deduction,
											  uint16 progress_deduction);
extern const KpiTally *kpi_tally_read(Datum d, KpiTally *buf);
extern void kpi_tally_unpack(const struct varlena *v, KpiTally *out, int sqlstate);
extern void kpi_tally_check(const KpiTally *t, int sqlstate);
extern bool kpi_tally_compact_valid(const KpiTallyCompact *c);
extern struct varlena *kpi_tally_pack(const KpiTally *t);
extern bool kpi_tally_fits_compact(const KpiTally *t);
extern void kpi_tally_widen(const KpiTallyCompact *c, KpiTally *w);
extern void kpi_tally_merge(KpiTally *into, const KpiTally *from);
extern bool kpi_tally_unmerge(KpiTally *from, const KpiTally *part);

/*
 * Called by the executor as an aggregate or window aggregate support
 * function: only then may a state be changed in place (the executor owns it);
 * a direct call's argument is a user's value, to be copied.  Needs
 * nodes/execnodes.h.
 */
#define kpi_tally_in_aggregate(fcinfo) \
	((fcinfo)->context != NULL && \
	 (IsA((fcinfo)->context, AggState) || IsA((fcinfo)->context, WindowAggState)))

#endif							/* KPI_TALLY_H */
