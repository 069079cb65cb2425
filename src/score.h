/*
 * score.h
 *		Reading tallies into results (score.c, tier.c, period_agg.c,
 *		organisation.c, agency.c, indices.c): the result row, tiers, criterion d.
 */
#ifndef KPI_SCORE_H
#define KPI_SCORE_H

#include "rules.h"

#include "utils/array.h"

/* period_agg.c */
extern bool kpi_below_complete(int64 score, int64 threshold_complete);
extern int64 kpi_criterion_d(int64 below, int64 leader_full, int64 leader_reduced);
extern ArrayType *kpi_state_array(FunctionCallInfo fcinfo, int argno, int len,
								  bool writable, const char *caller, int64 **v);


/* tier.c */
extern int	kpi_tier_rank(int64 score, const KpiRules *rules);
extern const Oid *kpi_tier_oids(FunctionCallInfo fcinfo, Oid typoid);
extern int	kpi_tier_index(FunctionCallInfo fcinfo, Oid typoid, Oid value);
extern const char *const kpi_tier_names[4];

/*
 * One official's period as kpi.score_detail shows it (score.c): a, b, c,
 * KQ, T, the score (NULL when not scored) and its tier index (-1 then), and
 * for a leader d, dd, e.
 */
#define KPI_SCORE_DETAIL_NATTS 10
typedef struct KpiScoreDetail
{
	Numeric		pct[3];
	Numeric		task_pct;
	Numeric		task_points;
	Numeric		score;
	int64		score_fixed;	/* the score in fixed point, when scored */
	int			tier;
	bool		leader;
	int64		lc[3];
} KpiScoreDetail;

/* score.c */
extern int64 kpi_general_fixed(Datum general, const KpiRules *rules);
extern int64 kpi_leader_fixed(Datum value, const char *what, const KpiRules *rules);
extern void kpi_score_detail(const KpiTally *t, const int64 *general, const int64 *lc,
							 const KpiRules *rules, KpiScoreDetail *sd);
extern Datum kpi_score_detail_datum(FunctionCallInfo fcinfo, TupleDesc desc,
									const KpiScoreDetail *sd, const Datum *lcd);
extern TupleDesc kpi_score_detail_desc(FunctionCallInfo fcinfo);
extern int64 kpi_score_arg(Datum score, const char *what, const KpiRules *rules);
extern void kpi_component_credits(const KpiTally *t, bool strict, bool cap, int128 parts[3]);
extern Numeric kpi_component_pct(const KpiTally *t, const int128 parts[3], int which);
extern Numeric kpi_sum_marks(ArrayType *marks, const int64 *max, int nmax,
							 const char *form, const char *key);

/* agency.c */
extern bool kpi_task_fraction(const KpiTally *t, const KpiRules *rules,
							  Numeric *num, Numeric *den);

/* indices.c */
extern int	kpi_index_code(const char *code, int len);
extern Numeric kpi_num_trim(Numeric value);


#endif							/* KPI_SCORE_H */
