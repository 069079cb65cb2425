/*
 * lawmaking.h
 *		The kpi.lawmaking summary (rules.md LM1-LM4), shared by lawmaking.c
 *		(aggregate, accessors, score) and lawmaking_io.c (text and binary I/O).
 */
#ifndef KPI_LAWMAKING_H
#define KPI_LAWMAKING_H

#include "kpi_eval.h"

#include "utils/date.h"
#include "utils/datetime.h"

#define LM_VERSION 1

/* The counts, in the order of the text and binary forms. */
#define LM_DUE			0		/* due in the period */
#define LM_ON_TIME		1		/* due in the period, issued by the due date */
#define LM_LATE			2		/* issued in the period after the due date */
#define LM_BACKLOG		3		/* due by the period end, not issued by then */
#define LM_ISSUED		4		/* issued in the period */
#define LM_FIRST_PASS	5		/* issued in the period, never returned */
#define LM_DETECTED		6		/* obstacles detected */
#define LM_RESOLVED		7		/* obstacles resolved */
#define LM_INITIATIVES	8		/* institutional initiatives */
#define LM_NCOUNTS		9

extern const char *const kpi_lm_count_names[LM_NCOUNTS];

typedef struct KpiLawmaking
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	uint8		version;		/* LM_VERSION */
	uint8		flags;			/* reserved, 0 */
	uint16		reserved;		/* 0 */
	DateADT		period_start;
	DateADT		period_end;		/* inclusive */
	int64		counts[LM_NCOUNTS];
} KpiLawmaking;

#define LM_SIZE sizeof(KpiLawmaking)
#define LM_WIRE_SIZE (1 + 1 + 2 + 4 + 4 + LM_NCOUNTS * 8)
#define PG_GETARG_LM(n) ((KpiLawmaking *) PG_DETOAST_DATUM(PG_GETARG_DATUM(n)))

/* Period bounds are dates from 0001-01-01 to 9999-12-31. */
#define MIN_BOUND (date2j(1, 1, 1) - POSTGRES_EPOCH_JDATE)
#define MAX_BOUND (date2j(9999, 12, 31) - POSTGRES_EPOCH_JDATE)

extern KpiLawmaking *kpi_lm_new_state(DateADT start, DateADT end);
extern char *kpi_lm_date_text(DateADT d);
extern void kpi_lm_bad_state(int sqlstate, const char *detail) pg_attribute_noreturn();
extern void kpi_lm_check_state(const KpiLawmaking *s, int sqlstate);

#endif							/* KPI_LAWMAKING_H */
