import { env } from 'cloudflare:workers'
import { NO_CAMPAIGN, type Attribution } from '../../shared/campaigns'
import {
  reportBinds,
  reportInputOf,
  seriesInputOf,
  SPEND_BY_DAY_SQL,
  SPEND_SQL,
} from '../../worker/src/db/reports'
import {
  CUSTOMER_RANK,
  STAGE_RANK,
  type CampaignCycle,
  type ReportInput,
  type SeriesInput,
} from '../../worker/src/domain/report'

/**
 * The oracle of the report tests: the campaign report's SQL as it was before the daily rollups
 * (migration 0023), reading every lead of the range from `leads_site_cohort`. The rollup-based
 * report (worker/src/db/reports.ts) must give exactly its figures (report-rollups.happy.test.ts).
 */

/** Attribution chooses a column, from this fixed map only (never from input). */
const CAMPAIGN_COLUMN: Record<Attribution, string> = {
  first: 'first_campaign',
  last: 'last_campaign',
}

/** `CASE <stage> WHEN 'lead' THEN 0 … ELSE -1 END`, from the domain's one table of stage ranks. */
function rankOf(column: string): string {
  const arms = Object.entries(STAGE_RANK).map(([stage, rank]) => `WHEN '${stage}' THEN ${rank}`)
  return `CASE ${column} ${arms.join(' ')} ELSE -1 END`
}

/**
 * The cohort and its customers (`won`), shared by the report, its time series
 * and the sales-cycle distribution; `day` is the UTC day the lead was created.
 * `customersOnly` keeps only the cohort's customers, all that `won` needs, for
 * the statements that read nothing else.
 */
function cohortCtes(attribution: Attribution, { customersOnly = false } = {}): string {
  const campaign = CAMPAIGN_COLUMN[attribution]
  const reached = `MAX(${rankOf('l.stage')}, l.history_rank)`
  return `WITH cohort AS MATERIALIZED (
  SELECT l.id, COALESCE(l.${campaign}, '${NO_CAMPAIGN}') AS campaign, l.first_seen_at,
    substr(l.created_at, 1, 10) AS day, ${reached} AS reached
  FROM leads AS l INDEXED BY leads_site_cohort
  WHERE l.site_key = ?1 AND l.created_at >= ?2 AND l.created_at < ?3${
    customersOnly
      ? `
    AND ${reached} >= ${CUSTOMER_RANK}`
      : ''
  }
),
won AS MATERIALIZED (
  SELECT c.campaign, c.day, h.value_amount AS amount, h.value_currency AS currency,
    julianday(h.created_at) - julianday(c.first_seen_at) AS days
  FROM cohort AS c
  JOIN stage_history AS h ON h.id = (
    SELECT MAX(s.id) FROM stage_history AS s WHERE s.lead_id = c.id AND s.to_stage = 'customer')
  WHERE c.reached >= ${CUSTOMER_RANK}
)`
}

/**
 * One statement, so the cohort is read once (`MATERIALIZED`): its rows say
 * by `kind` what they carry.
 * - `funnel`: per campaign, `value` = leads, then the leads that reached each later stage;
 * - `revenue`: per campaign and deal currency, `value` = the sum of deal values (`TOTAL`, which
 *   cannot overflow; see `SPEND_SQL`);
 * - `middle`: the one or two middle sales cycles (days) per campaign, and of
 *   the whole cohort where `campaign` is null, so the median needs no list.
 * A lead's highest stage is the highest in its history or its current stage;
 * its deal is the latest `customer` entry of its history, which survives a
 * later move (a customer who is disqualified afterwards still closed a deal).
 * Binds: ?1 site, ?2 first instant, ?3 instant after the last day.
 */
export function cohortSql(attribution: Attribution): string {
  return `${cohortCtes(attribution)},
ranked AS (
  SELECT campaign, days, ROW_NUMBER() OVER (PARTITION BY campaign ORDER BY days) AS n,
    COUNT(*) OVER (PARTITION BY campaign) AS total
  FROM won
),
ranked_all AS (
  SELECT days, ROW_NUMBER() OVER (ORDER BY days) AS n, COUNT(*) OVER () AS total FROM won
)
SELECT 'funnel' AS kind, campaign, NULL AS currency, COUNT(*) AS value,
  SUM(reached >= 1) AS mqls, SUM(reached >= 2) AS sqls, SUM(reached >= 3) AS opportunities,
  SUM(reached >= ${CUSTOMER_RANK}) AS customers
FROM cohort GROUP BY campaign
UNION ALL
SELECT 'revenue', campaign, currency, TOTAL(amount), NULL, NULL, NULL, NULL
FROM won WHERE currency IS NOT NULL AND amount IS NOT NULL GROUP BY campaign, currency
UNION ALL
SELECT 'middle', campaign, NULL, days, NULL, NULL, NULL, NULL
FROM ranked WHERE n IN ((total + 1) / 2, (total + 2) / 2)
UNION ALL
SELECT 'middle', NULL, NULL, days, NULL, NULL, NULL, NULL
FROM ranked_all WHERE n IN ((total + 1) / 2, (total + 2) / 2)`
}

export function seriesSql(attribution: Attribution): string {
  return `${cohortCtes(attribution)}
SELECT 'funnel' AS kind, campaign, day, NULL AS currency, COUNT(*) AS value,
  SUM(reached >= 1) AS mqls, SUM(reached >= 2) AS sqls, SUM(reached >= 3) AS opportunities,
  SUM(reached >= ${CUSTOMER_RANK}) AS customers
FROM cohort GROUP BY campaign, day
UNION ALL
SELECT 'revenue', campaign, day, currency, TOTAL(amount), NULL, NULL, NULL, NULL
FROM won WHERE currency IS NOT NULL AND amount IS NOT NULL GROUP BY campaign, day, currency`
}

/** The old sales-cycle statement: the cohort's customers, ascending. */
export function salesCycleSql(attribution: Attribution): string {
  return `${cohortCtes(attribution, { customersOnly: true })}
SELECT campaign, days FROM won ORDER BY days`
}

type Query = { siteKey: string; from: string; to: string; attribution: Attribution }

/** The report's input as the old SQL computes it, read in one batch. */
export async function oracleReport(query: Query): Promise<ReportInput> {
  const binds = reportBinds(query.siteKey, query.from, query.to)
  const [cohort, spend] = await env.DB.batch([
    env.DB.prepare(cohortSql(query.attribution)).bind(...binds.cohort),
    env.DB.prepare(SPEND_SQL).bind(...binds.spend),
  ])
  return reportInputOf(query, cohort!.results, spend!.results)
}

/** The series' input and the customers' sales cycles as the old SQL computes them. */
export async function oracleSeries(
  query: Query,
): Promise<{ days: SeriesInput; cycles: CampaignCycle[] }> {
  const binds = reportBinds(query.siteKey, query.from, query.to)
  const [series, spend, won] = await env.DB.batch([
    env.DB.prepare(seriesSql(query.attribution)).bind(...binds.cohort),
    env.DB.prepare(SPEND_BY_DAY_SQL).bind(...binds.spend),
    env.DB.prepare(salesCycleSql(query.attribution)).bind(...binds.cohort),
  ])
  return {
    days: seriesInputOf(series!.results, spend!.results),
    cycles: won!.results as CampaignCycle[],
  }
}
