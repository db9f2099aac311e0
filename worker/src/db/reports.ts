import { NO_CAMPAIGN, type Attribution } from '../../../shared/campaigns'
import {
  CUSTOMER_RANK,
  dayAfter,
  type CampaignCycle,
  type FormCounts,
  type ReportInput,
  type SeriesInput,
} from '../domain/report'
import { rollupFunnelSql } from './rollups'

/**
 * The campaign report's SQL (docs/report.md). Everything is counted and summed in D1, grouped by
 * campaign: no lead and no touchpoint is loaded into the worker. The funnel counts come from the
 * daily rollups (migration 0023, db/rollups.ts): a few rows per day and campaign, however many
 * leads the range has. Only the cohort's customers are read lead by lead, for their deal and
 * sales cycle (revenue, the medians, the sales-cycle distribution): through the partial index
 * `leads_site_won` of the leads with a `customer` entry in their history, and their latest
 * `customer` entry through `stage_history_lead_stage` (migration 0002). The touchpoints table is
 * never read, because a lead already carries its first and last campaign touch.
 */

/** What the report queries run on: a database or a D1 session (docs/scale.md#daily-rollups). */
export type ReportReader = Pick<D1Database, 'prepare' | 'batch'>

/** Attribution chooses a column, from this fixed map only (never from input). */
const CAMPAIGN_COLUMN: Record<Attribution, string> = {
  first: 'first_campaign',
  last: 'last_campaign',
}

/**
 * The cohort's customers: the leads created in the range with a `customer` entry in their
 * history (`history_rank` 4 is kept up by migration 0011's trigger from exactly those entries),
 * each with its deal from the latest `customer` entry (which survives a later move: a customer
 * disqualified afterwards still closed a deal) and its sales cycle in days from its first
 * touchpoint, or its creation, to that entry; `day` is the UTC day the lead was created. A lead
 * whose stage is `customer` without such an entry counts as a customer in the funnel and has no
 * deal here, as before the rollups.
 * Binds: ?1 site, ?2 first instant, ?3 instant after the last day.
 */
function wonCte(attribution: Attribution): string {
  const campaign = CAMPAIGN_COLUMN[attribution]
  return `WITH won AS MATERIALIZED (
  SELECT COALESCE(l.${campaign}, '${NO_CAMPAIGN}') AS campaign, substr(l.created_at, 1, 10) AS day,
    h.value_amount AS amount, h.value_currency AS currency,
    julianday(h.created_at) - julianday(l.first_seen_at) AS days
  FROM leads AS l INDEXED BY leads_site_won
  JOIN stage_history AS h ON h.id = (
    SELECT MAX(s.id) FROM stage_history AS s WHERE s.lead_id = l.id AND s.to_stage = 'customer')
  WHERE l.site_key = ?1 AND l.created_at >= ?2 AND l.created_at < ?3 AND l.history_rank >= ${CUSTOMER_RANK}
)`
}

/**
 * One statement, so the customers are read once (`MATERIALIZED`) and the figures come from one
 * state of the database: its rows say by `kind` what they carry.
 * - `funnel`: per campaign, `value` = leads, then the leads that reached each later stage (from
 *   the rollups: a lead counts for every stage up to the highest in its history or its current one);
 * - `revenue`: per campaign and deal currency, `value` = the sum of deal values (`TOTAL`, which
 *   cannot overflow; see `SPEND_SQL`);
 * - `middle`: the one or two middle sales cycles (days) per campaign, and of
 *   the whole cohort where `campaign` is null, so the median needs no list.
 * Binds (`reportBinds(...).rollup`): ?1 site, ?2 first instant, ?3 instant after the last day,
 * ?4 first day, ?5 last day.
 */
export function cohortSql(attribution: Attribution): string {
  return `${wonCte(attribution)},
ranked AS (
  SELECT campaign, days, ROW_NUMBER() OVER (PARTITION BY campaign ORDER BY days) AS n,
    COUNT(*) OVER (PARTITION BY campaign) AS total
  FROM won
),
ranked_all AS (
  SELECT days, ROW_NUMBER() OVER (ORDER BY days) AS n, COUNT(*) OVER () AS total FROM won
)
${rollupFunnelSql(attribution)}
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

/**
 * Spend per campaign and currency dated in the range. Binds: ?1 site, ?2 first day, ?3 last day.
 * Money is summed with `TOTAL`, not `SUM`: `SUM` of integers fails past 2^63 ("integer
 * overflow"), `TOTAL` never fails. Imports keep a site's spend per currency within
 * `MAX_SPEND_TOTAL` (2^53 − 1), below which `TOTAL` is exact; revenue too is exact below 2^53.
 */
export const SPEND_SQL = `SELECT campaign_key AS campaign, currency, TOTAL(amount) AS amount
FROM campaign_spend
WHERE site_key = ?1 AND day >= ?2 AND day <= ?3
GROUP BY campaign_key, currency`

interface CohortRow {
  kind: 'funnel' | 'revenue' | 'middle'
  campaign: string | null
  currency: string | null
  value: number
  mqls: number | null
  sqls: number | null
  opportunities: number | null
  customers: number | null
}

interface SpendRow {
  campaign: string
  currency: string
  amount: number
}

/**
 * The binds of the statements for a site and an inclusive range of UTC days: `cohort` the
 * instants of the leads' creation (`[from, to + 1 day)`), `rollup` those and the days (the rollups
 * are by day), `spend` the days.
 */
export function reportBinds(siteKey: string, from: string, to: string) {
  const cohort = [siteKey, `${from}T00:00:00.000Z`, `${dayAfter(to)}T00:00:00.000Z`] as const
  return {
    cohort,
    rollup: [...cohort, from, to] as const,
    spend: [siteKey, from, to] as const,
  }
}

/** The report's input from the rows of `cohortSql` and `SPEND_SQL` (or of statements like them). */
export function reportInputOf(
  query: { from: string; to: string; attribution: Attribution },
  cohortRows: readonly unknown[],
  spendRows: readonly unknown[],
): ReportInput {
  const funnel: ReportInput['funnel'][number][] = []
  const revenue: ReportInput['revenue'][number][] = []
  const middles: ReportInput['middles'][number][] = []
  for (const row of cohortRows as CohortRow[]) {
    if (row.kind === 'funnel' && row.campaign !== null) {
      funnel.push({
        campaign: row.campaign,
        leads: row.value,
        mqls: row.mqls ?? 0,
        sqls: row.sqls ?? 0,
        opportunities: row.opportunities ?? 0,
        customers: row.customers ?? 0,
      })
    } else if (row.kind === 'revenue' && row.campaign !== null && row.currency !== null) {
      revenue.push({ campaign: row.campaign, currency: row.currency, amount: row.value })
    } else if (row.kind === 'middle') {
      middles.push({ campaign: row.campaign, days: row.value })
    }
  }
  const spent = (spendRows as SpendRow[]).map(({ campaign, currency, amount }) => ({
    campaign,
    currency,
    amount,
  }))
  return {
    from: query.from,
    to: query.to,
    attribution: query.attribution,
    funnel,
    spend: spent,
    revenue,
    middles,
  }
}

/** Reads the report's sums in one round trip, from one consistent state of the database. */
export async function queryCampaignReport(
  db: ReportReader,
  query: { siteKey: string; from: string; to: string; attribution: Attribution },
): Promise<ReportInput> {
  const binds = reportBinds(query.siteKey, query.from, query.to)
  const [cohort, spend] = await db.batch<CohortRow | SpendRow>([
    db.prepare(cohortSql(query.attribution)).bind(...binds.rollup),
    db.prepare(SPEND_SQL).bind(...binds.spend),
  ])
  return reportInputOf(query, cohort?.results ?? [], spend?.results ?? [])
}

/**
 * The sales cycles (days, ascending) of the cohort's customers, of one campaign
 * when ?4 is not null: the same `won` rows whose middles give the report's median.
 * Only numbers leave D1. Binds: ?1 site, ?2 first instant, ?3 instant after the last day, ?4 campaign.
 */
export function salesCycleSql(attribution: Attribution): string {
  return `${wonCte(attribution)}
SELECT campaign, days FROM won WHERE ?4 IS NULL OR campaign = ?4 ORDER BY days`
}

/** The sales cycles, ascending, each with the customer's campaign. */
export async function querySalesCycles(
  db: ReportReader,
  query: { siteKey: string; from: string; to: string; attribution: Attribution; campaign?: string },
): Promise<CampaignCycle[]> {
  const binds = reportBinds(query.siteKey, query.from, query.to)
  const result = await db
    .prepare(salesCycleSql(query.attribution))
    .bind(...binds.cohort, query.campaign ?? null)
    .all<CampaignCycle>()
  return result.results
}

/**
 * The campaign report per UTC day, from the same sources: funnel counts per campaign and
 * creation day (the rollups), revenue per campaign, day and currency (the customers). The worker
 * folds the days into periods (domain/report.ts `buildSeries`). Binds as `cohortSql`.
 */
export function seriesSql(attribution: Attribution): string {
  return `${wonCte(attribution)}
${rollupFunnelSql(attribution, { byDay: true })}
UNION ALL
SELECT 'revenue', campaign, day, currency, TOTAL(amount), NULL, NULL, NULL, NULL
FROM won WHERE currency IS NOT NULL AND amount IS NOT NULL GROUP BY campaign, day, currency`
}

/** Spend per campaign, currency and day in the range; binds as `SPEND_SQL`. */
export const SPEND_BY_DAY_SQL = `SELECT campaign_key AS campaign, day, currency, TOTAL(amount) AS amount
FROM campaign_spend
WHERE site_key = ?1 AND day >= ?2 AND day <= ?3
GROUP BY campaign_key, day, currency`

interface SeriesRow {
  kind: 'funnel' | 'revenue'
  campaign: string
  day: string
  currency: string | null
  value: number
  mqls: number | null
  sqls: number | null
  opportunities: number | null
  customers: number | null
}

/** The series' input from the rows of `seriesSql` and `SPEND_BY_DAY_SQL` (or of statements like them). */
export function seriesInputOf(
  seriesRows: readonly unknown[],
  spendRows: readonly unknown[],
): SeriesInput {
  const funnel: SeriesInput['funnel'][number][] = []
  const revenue: SeriesInput['revenue'][number][] = []
  for (const row of seriesRows as SeriesRow[]) {
    if (row.kind === 'funnel') {
      funnel.push({
        campaign: row.campaign,
        day: row.day,
        leads: row.value,
        mqls: row.mqls ?? 0,
        sqls: row.sqls ?? 0,
        opportunities: row.opportunities ?? 0,
        customers: row.customers ?? 0,
      })
    } else if (row.currency !== null) {
      revenue.push({
        campaign: row.campaign,
        day: row.day,
        currency: row.currency,
        amount: row.value,
      })
    }
  }
  const spent = (spendRows as (SpendRow & { day: string })[]).map(
    ({ campaign, day, currency, amount }) => ({ campaign, day, currency, amount }),
  )
  return { funnel, spend: spent, revenue }
}

/** Reads the per-day sums of the series in one round trip. */
export async function queryCampaignSeries(
  db: ReportReader,
  query: { siteKey: string; from: string; to: string; attribution: Attribution },
): Promise<SeriesInput> {
  return (await querySeriesAndCycles(db, query, { cycles: false })).days
}

/**
 * The series' per-day sums and, unless `cycles` is false, the customers' sales cycles (the
 * dashboard's report is summed from both, docs/report.md#dashboard), in one batch so that both
 * see the same state of the database.
 */
export async function querySeriesAndCycles(
  db: ReportReader,
  query: { siteKey: string; from: string; to: string; attribution: Attribution },
  { cycles = true } = {},
): Promise<{ days: SeriesInput; cycles: CampaignCycle[] }> {
  const binds = reportBinds(query.siteKey, query.from, query.to)
  const [series, spend, won] = await db.batch<
    SeriesRow | (SpendRow & { day: string }) | CampaignCycle
  >([
    db.prepare(seriesSql(query.attribution)).bind(...binds.rollup),
    db.prepare(SPEND_BY_DAY_SQL).bind(...binds.spend),
    ...(cycles ? [db.prepare(salesCycleSql(query.attribution)).bind(...binds.cohort, null)] : []),
  ])
  return {
    days: seriesInputOf(series?.results ?? [], spend?.results ?? []),
    cycles: (won?.results ?? []) as CampaignCycle[],
  }
}

/**
 * Per form of the site: its `form_view` and `form_start` events received in the
 * range (through `touchpoints_site_received`) and its accepted submissions
 * (docs/report.md#forms). Binds: ?1 site, ?2 first instant, ?3 instant after the last day.
 */
export const FORMS_SQL = `WITH events AS (
  SELECT form_id, SUM(type = 'form_view') AS views, SUM(type = 'form_start') AS starts
  FROM touchpoints
  WHERE site_key = ?1 AND received_at >= ?2 AND received_at < ?3
    AND type IN ('form_view', 'form_start') AND form_id IS NOT NULL
  GROUP BY form_id
),
sent AS (
  SELECT form_id, COUNT(*) AS submissions
  FROM submissions
  WHERE site_key = ?1 AND created_at >= ?2 AND created_at < ?3
  GROUP BY form_id
)
SELECT f.form_id AS formId, f.kind, f.title, COALESCE(e.views, 0) AS views,
  COALESCE(e.starts, 0) AS starts, COALESCE(s.submissions, 0) AS submissions
FROM forms AS f
LEFT JOIN events AS e ON e.form_id = f.form_id
LEFT JOIN sent AS s ON s.form_id = f.form_id
WHERE f.site_key = ?1
ORDER BY f.form_id`

export async function queryFormCounts(
  db: ReportReader,
  query: { siteKey: string; from: string; to: string },
): Promise<FormCounts[]> {
  const binds = reportBinds(query.siteKey, query.from, query.to)
  const { results } = await db
    .prepare(FORMS_SQL)
    .bind(...binds.cohort)
    .all<FormCounts>()
  return results
}

/** The names the site gave its campaigns, by key (for the readable CSV). */
export async function queryCampaignNames(
  db: ReportReader,
  siteKey: string,
): Promise<Map<string, string>> {
  const { results } = await db
    .prepare(
      'SELECT campaign_key AS campaign, name FROM campaigns WHERE site_key = ?1 AND name IS NOT NULL',
    )
    .bind(siteKey)
    .all<{ campaign: string; name: string }>()
  return new Map(results.map((row) => [row.campaign, row.name]))
}
