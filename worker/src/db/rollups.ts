import type { Attribution } from '../../../shared/campaigns'
import { CUSTOMER_RANK } from '../domain/report'

/**
 * The daily rollups of the campaign report's cohort (migration 0023, docs/scale.md#daily-rollups):
 * per site, UTC creation day, first and last campaign touch (`(none)` without one) and highest
 * rank reached, the number of leads. Triggers on `leads` keep them in the same transaction as
 * every write; `npm run rollups:rebuild` (scripts/rollups-rebuild.sql) recomputes them.
 */

/** Attribution chooses a rollup column, from this fixed map only (never from input). */
const ROLLUP_CAMPAIGN: Record<Attribution, string> = {
  first: 'first_campaign',
  last: 'last_campaign',
}

/**
 * The funnel counts of the leads created in a range of days, per campaign (and per day with
 * `byDay`): `value` = leads, then the leads that reached each later stage, counted from the
 * rollups' ranks as the report counts a lead for every stage up to the highest it reached. A
 * campaign appears only with leads (the triggers drop rows at 0; `HAVING` guards a rebuild in
 * progress). Its rows have the shape of the report's other rows (`kind`, `campaign`, `currency`,
 * `value`, …) so it can stand in a `UNION ALL` with them. Binds: ?1 site, ?4 first day, ?5 last
 * day (`YYYY-MM-DD`, both inclusive).
 */
export function rollupFunnelSql(attribution: Attribution, { byDay = false } = {}): string {
  const campaign = ROLLUP_CAMPAIGN[attribution]
  const count = (rank: number) => `SUM(CASE WHEN reached >= ${rank} THEN leads ELSE 0 END)`
  return `SELECT 'funnel' AS kind, ${campaign} AS campaign,${byDay ? ' day,' : ''} NULL AS currency,
  SUM(leads) AS value, ${count(1)} AS mqls, ${count(2)} AS sqls, ${count(3)} AS opportunities,
  ${count(CUSTOMER_RANK)} AS customers
FROM lead_rollups
WHERE site_key = ?1 AND day >= ?4 AND day <= ?5
GROUP BY ${campaign}${byDay ? ', day' : ''}
HAVING SUM(leads) > 0`
}

/** One row of the rollup table, as the rebuild and the tests read it. */
export interface RollupRow {
  day: string
  first_campaign: string
  last_campaign: string
  reached: number
  leads: number
}

/** A site's rollup rows in key order (for checks and the rebuild's tests). */
export async function listRollups(
  db: Pick<D1Database, 'prepare'>,
  siteKey: string,
): Promise<RollupRow[]> {
  const { results } = await db
    .prepare(
      `SELECT day, first_campaign, last_campaign, reached, leads FROM lead_rollups
       WHERE site_key = ?1 ORDER BY day, first_campaign, last_campaign, reached`,
    )
    .bind(siteKey)
    .all<RollupRow>()
  return results
}
