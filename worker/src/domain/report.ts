import {
  NO_CAMPAIGN,
  type Attribution,
  type CampaignReport,
  type Conversion,
  type ReportRow,
} from '../../../shared/campaigns'
import {
  periodIndex,
  periodsOf,
  type CampaignSeries,
  type FormsReport,
  type Interval,
} from '../../../shared/reports'

/**
 * The campaign report's arithmetic (docs/report.md), pure: SQL counts and sums per
 * campaign (worker/src/db/reports.ts), this module turns the sums into rows,
 * costs, rates and medians, and renders the CSV.
 */

/** The label of the totals in `campaign`; a total is per currency, not per campaign. */
export const TOTAL_LABEL = '(total)'

/**
 * A stage's place in the funnel, the same for both stage models (docs/report.md#b2c-columns):
 * the b2c stages map by position onto the report's b2b-named columns
 * (`engaged` counts as an MQL, `interested` as an SQL, `need_recognized` as an
 * opportunity). `disqualified` stands outside the funnel, so a disqualified
 * lead counts for the stages it reached before.
 */
export const STAGE_RANK: Readonly<Record<string, number>> = {
  lead: 0,
  prospect: 0,
  mql: 1,
  engaged: 1,
  sql: 2,
  interested: 2,
  opportunity: 3,
  need_recognized: 3,
  customer: 4,
}
export const CUSTOMER_RANK = 4

/** Funnel figures of one campaign: each lead counted for every stage up to the highest it reached. */
export interface FunnelCounts {
  leads: number
  mqls: number
  sqls: number
  opportunities: number
  customers: number
}

export interface CampaignFunnel extends FunnelCounts {
  campaign: string
}

/** A sum of money of one campaign in one currency (spend or revenue). */
export interface CampaignMoney {
  campaign: string
  currency: string
  amount: number
}

/**
 * The one or two middle values of the customers' sales cycles (in days) of a
 * campaign, or of the whole cohort where `campaign` is null; SQL picks them so
 * that no list of leads reaches the worker.
 */
export interface CycleMiddle {
  campaign: string | null
  days: number
}

export interface ReportInput {
  from: string
  to: string
  attribution: Attribution
  funnel: readonly CampaignFunnel[]
  spend: readonly CampaignMoney[]
  revenue: readonly CampaignMoney[]
  middles: readonly CycleMiddle[]
}

/** `numerator / denominator` rounded half up to an integer; null for a zero divisor. Exact for safe integers. */
export function divideHalfUp(numerator: number, denominator: number): number | null {
  if (denominator === 0) return null
  const quotient = Math.floor(numerator / denominator)
  const remainder = numerator - quotient * denominator
  return 2 * remainder >= denominator ? quotient + 1 : quotient
}

/** A cost in whole minor units (half up); null without spend or with nothing to divide by. */
export function costPer(spend: number | null, count: number): number | null {
  return spend === null ? null : divideHalfUp(spend, count)
}

/** A share rounded half up to four decimals; null for a zero divisor. */
export function rate(part: number, whole: number): number | null {
  const scaled = divideHalfUp(part * 10_000, whole)
  return scaled === null ? null : scaled / 10_000
}

export function conversionOf(counts: FunnelCounts): Conversion {
  return {
    leadToMql: rate(counts.mqls, counts.leads),
    mqlToSql: rate(counts.sqls, counts.mqls),
    sqlToOpportunity: rate(counts.opportunities, counts.sqls),
    opportunityToCustomer: rate(counts.customers, counts.opportunities),
  }
}

/**
 * The median from its middle values (one for an odd count, two for an even
 * one), in days rounded half up to one decimal; null without customers.
 */
export function medianOfMiddles(middles: readonly number[]): number | null {
  if (middles.length === 0) return null
  const mean = middles.reduce((sum, value) => sum + value, 0) / middles.length
  // Durations are fractional days from julianday(); the epsilon keeps 20.05 from flooring to 20.0.
  return Math.round(mean * 10 + 1e-9) / 10
}

/** The day after a `YYYY-MM-DD` day, so `[from, to]` can be queried as `[from, dayAfter(to))`. */
export function dayAfter(day: string): string {
  const date = new Date(`${day}T00:00:00Z`)
  date.setUTCDate(date.getUTCDate() + 1)
  return date.toISOString().slice(0, 10)
}

const ZERO: FunnelCounts = { leads: 0, mqls: 0, sqls: 0, opportunities: 0, customers: 0 }

function sumCounts(funnel: readonly FunnelCounts[]): FunnelCounts {
  return funnel.reduce<FunnelCounts>(
    (sum, f) => ({
      leads: sum.leads + f.leads,
      mqls: sum.mqls + f.mqls,
      sqls: sum.sqls + f.sqls,
      opportunities: sum.opportunities + f.opportunities,
      customers: sum.customers + f.customers,
    }),
    ZERO,
  )
}

function toRow(
  campaign: string,
  currency: string | null,
  counts: FunnelCounts,
  spend: number | null,
  revenue: number | null,
  medianSalesCycleDays: number | null,
): ReportRow {
  return {
    campaign,
    currency,
    spend,
    leads: counts.leads,
    mqls: counts.mqls,
    sqls: counts.sqls,
    opportunities: counts.opportunities,
    customers: counts.customers,
    revenue,
    cpl: costPer(spend, counts.leads),
    costPerMql: costPer(spend, counts.mqls),
    costPerSql: costPer(spend, counts.sqls),
    costPerOrder: costPer(spend, counts.customers),
    conversion: conversionOf(counts),
    medianSalesCycleDays,
  }
}

/** `(none)` sorts after every campaign; null currencies after every currency. */
function compareRows(a: ReportRow, b: ReportRow): number {
  const none = Number(a.campaign === NO_CAMPAIGN) - Number(b.campaign === NO_CAMPAIGN)
  if (none !== 0) return none
  if (a.campaign !== b.campaign) return a.campaign < b.campaign ? -1 : 1
  if (a.currency === b.currency) return 0
  if (a.currency === null) return 1
  if (b.currency === null) return -1
  return a.currency < b.currency ? -1 : 1
}

function moneyIndex(entries: readonly CampaignMoney[]): Map<string, Map<string, number>> {
  const index = new Map<string, Map<string, number>>()
  for (const { campaign, currency, amount } of entries) {
    const byCurrency = index.get(campaign) ?? new Map<string, number>()
    byCurrency.set(currency, (byCurrency.get(currency) ?? 0) + amount)
    index.set(campaign, byCurrency)
  }
  return index
}

function sumByCurrency(entries: readonly CampaignMoney[]): Map<string, number> {
  const sums = new Map<string, number>()
  for (const { currency, amount } of entries) sums.set(currency, (sums.get(currency) ?? 0) + amount)
  return sums
}

/**
 * Builds the report. Money never mixes currencies:
 * - a campaign gets one row per currency it has money in (spend dated in the
 *   range, or revenue of its customers), each row with that currency's spend
 *   and revenue and the campaign's funnel figures; a campaign without spend in
 *   a row's currency has `spend: null` and null costs;
 * - a campaign with no money at all (seen in UTM data, never paid for, no
 *   customer) gets one row with `currency: null`, `spend: null`, `revenue: null`;
 * - one total per currency: that currency's spend and revenue over the whole
 *   cohort's funnel (every lead counted once), so its costs are blended costs;
 *   a report without any money has one total with `currency: null`.
 */
export function buildReport(input: ReportInput): CampaignReport {
  const funnel = new Map(input.funnel.map((f) => [f.campaign, f]))
  const spend = moneyIndex(input.spend)
  const revenue = moneyIndex(input.revenue)
  const middles = new Map<string | null, number[]>()
  for (const m of input.middles)
    middles.set(m.campaign, [...(middles.get(m.campaign) ?? []), m.days])

  const campaigns = new Set([...funnel.keys(), ...spend.keys(), ...revenue.keys()])
  const rows: ReportRow[] = []
  for (const campaign of campaigns) {
    const counts = funnel.get(campaign) ?? ZERO
    const median = medianOfMiddles(middles.get(campaign) ?? [])
    const spent = spend.get(campaign)
    const earned = revenue.get(campaign)
    const currencies = new Set([...(spent?.keys() ?? []), ...(earned?.keys() ?? [])])
    if (currencies.size === 0) {
      rows.push(toRow(campaign, null, counts, null, null, median))
      continue
    }
    for (const currency of currencies) {
      rows.push(
        toRow(
          campaign,
          currency,
          counts,
          spent?.get(currency) ?? null,
          earned?.get(currency) ?? 0,
          median,
        ),
      )
    }
  }
  rows.sort(compareRows)

  const cohort = sumCounts(input.funnel)
  const overallMedian = medianOfMiddles(middles.get(null) ?? [])
  const spendTotals = sumByCurrency(input.spend)
  const revenueTotals = sumByCurrency(input.revenue)
  const currencies = [...new Set([...spendTotals.keys(), ...revenueTotals.keys()])].sort()
  const totals =
    currencies.length === 0
      ? [toRow(TOTAL_LABEL, null, cohort, null, null, overallMedian)]
      : currencies.map((currency) =>
          toRow(
            TOTAL_LABEL,
            currency,
            cohort,
            spendTotals.get(currency) ?? null,
            revenueTotals.get(currency) ?? 0,
            overallMedian,
          ),
        )

  return { from: input.from, to: input.to, attribution: input.attribution, rows, totals }
}

/** Characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection"). */
const FORMULA_START = /^[=+\-@\t\r]/

/**
 * One RFC 4180 field: always quoted, inner quotes doubled. A text cell that a
 * spreadsheet would run as a formula gets a leading `'`, so
 * `=HYPERLINK(...)` arriving as a `utm_campaign` stays text. Numbers are ours
 * and are written as they are; null is an empty field.
 */
export function csvField(value: string | number | null): string {
  if (value === null) return '""'
  const text =
    typeof value === 'number' ? String(value) : FORMULA_START.test(value) ? `'${value}` : value
  return `"${text.replaceAll('"', '""')}"`
}

export const CSV_COLUMNS = [
  'kind',
  'campaign',
  'currency',
  'spend',
  'leads',
  'mqls',
  'sqls',
  'opportunities',
  'customers',
  'revenue',
  'cpl',
  'costPerMql',
  'costPerSql',
  'costPerOrder',
  'leadToMql',
  'mqlToSql',
  'sqlToOpportunity',
  'opportunityToCustomer',
  'medianSalesCycleDays',
] as const

function csvRecord(kind: 'campaign' | 'total', row: ReportRow): string {
  const c = row.conversion
  return [
    kind,
    row.campaign,
    row.currency,
    row.spend,
    row.leads,
    row.mqls,
    row.sqls,
    row.opportunities,
    row.customers,
    row.revenue,
    row.cpl,
    row.costPerMql,
    row.costPerSql,
    row.costPerOrder,
    c.leadToMql,
    c.mqlToSql,
    c.sqlToOpportunity,
    c.opportunityToCustomer,
    row.medianSalesCycleDays,
  ]
    .map(csvField)
    .join(',')
}

/** The report as RFC 4180 CSV: a header, the campaign rows, then the totals; CRLF after every record. */
export function reportToCsv(report: CampaignReport): string {
  const records = [
    CSV_COLUMNS.map(csvField).join(','),
    ...report.rows.map((row) => csvRecord('campaign', row)),
    ...report.totals.map((row) => csvRecord('total', row)),
  ]
  return records.map((record) => `${record}\r\n`).join('')
}

/** The sales-cycle buckets in days, `[fromDays, toDays)`; the last is open (`toDays: null`). */
export const SALES_CYCLE_BUCKETS: readonly (readonly [number, number | null])[] = [
  [0, 7],
  [7, 14],
  [14, 30],
  [30, 60],
  [60, 90],
  [90, 180],
  [180, null],
]

export interface SalesCycleDistribution {
  customers: number
  medianDays: number | null
  p90Days: number | null
  buckets: { fromDays: number; toDays: number | null; customers: number }[]
}

/**
 * The distribution of the customers' sales cycles (days, ascending). The median
 * is taken from the same middle values as the report's (`medianOfMiddles`), so it
 * equals `medianSalesCycleDays`; p90 is the nearest-rank 90th percentile, to one decimal.
 */
export function salesCycleDistribution(days: readonly number[]): SalesCycleDistribution {
  const sorted = [...days].sort((a, b) => a - b)
  const n = sorted.length
  const p90 = n === 0 ? null : Math.round(sorted[Math.ceil(0.9 * n) - 1]! * 10 + 1e-9) / 10
  return {
    customers: n,
    medianDays: medianOfMiddles(middlesOf(sorted)),
    p90Days: p90,
    buckets: SALES_CYCLE_BUCKETS.map(([fromDays, toDays]) => ({
      fromDays,
      toDays,
      customers: sorted.filter(
        (d) => (fromDays === 0 || d >= fromDays) && (toDays === null || d < toDays),
      ).length,
    })),
  }
}

/** Per-day sums of the campaign report (worker/src/db/reports.ts `queryCampaignSeries`). */
export interface SeriesInput {
  funnel: readonly (CampaignFunnel & { day: string })[]
  spend: readonly (CampaignMoney & { day: string })[]
  /** Which campaign has revenue in which currency (it decides the report's rows), and how much. */
  revenue: readonly (CampaignMoney & { day: string })[]
}

/** A customer's sales cycle in days, with the campaign the cohort gives it. */
export interface CampaignCycle {
  campaign: string
  days: number
}

/** The one or two middle values of ascending `days` (their mean is the median). */
function middlesOf(days: readonly number[]): number[] {
  const n = days.length
  const ranks = n === 0 ? [] : [...new Set([Math.floor((n + 1) / 2), Math.floor((n + 2) / 2)])]
  return ranks.map((rank) => days[rank - 1]!)
}

/**
 * The report's input from the series' daily sums and the customers' sales cycles (ascending), so
 * the dashboard reads its cohort once for the report and its series (docs/app.md#dashboard): the
 * days of each campaign summed, and the middles picked as the report's SQL picks them. Every sum
 * is of integers below 2^53, so adding the days gives exactly the report's sums.
 */
export function reportInputFromDays(
  query: { from: string; to: string; attribution: Attribution },
  days: SeriesInput,
  cycles: readonly CampaignCycle[],
): ReportInput {
  const funnel = new Map<string, CampaignFunnel>()
  for (const { campaign, leads, mqls, sqls, opportunities, customers } of days.funnel) {
    const sum = funnel.get(campaign) ?? {
      campaign,
      leads: 0,
      mqls: 0,
      sqls: 0,
      opportunities: 0,
      customers: 0,
    }
    sum.leads += leads
    sum.mqls += mqls
    sum.sqls += sqls
    sum.opportunities += opportunities
    sum.customers += customers
    funnel.set(campaign, sum)
  }
  const sumMoney = (entries: readonly CampaignMoney[]) => {
    const sums = new Map<string, CampaignMoney>()
    for (const { campaign, currency, amount } of entries) {
      const key = JSON.stringify([campaign, currency])
      const sum = sums.get(key) ?? { campaign, currency, amount: 0 }
      sum.amount += amount
      sums.set(key, sum)
    }
    return [...sums.values()]
  }
  const byCampaign = new Map<string, number[]>()
  for (const { campaign, days: d } of cycles) {
    const list = byCampaign.get(campaign)
    if (list) list.push(d)
    else byCampaign.set(campaign, [d])
  }
  const middles: CycleMiddle[] = [
    ...[...byCampaign].flatMap(([campaign, list]) =>
      middlesOf(list).map((d) => ({ campaign, days: d })),
    ),
    ...middlesOf(cycles.map((cycle) => cycle.days)).map((d) => ({ campaign: null, days: d })),
  ]
  return {
    ...query,
    funnel: [...funnel.values()],
    spend: sumMoney(days.spend),
    revenue: sumMoney(days.revenue),
    middles,
  }
}

/**
 * The campaign report cut into periods (docs/report.md#time-series). The
 * series are the report's rows over the whole range (one per campaign and
 * currency, `currency: null` for a campaign without money), so that the sum
 * over the periods of leads, MQLs, SQLs, customers and spend equals the row.
 * A period's costs follow the report's rules: half up, and null without spend
 * in that currency in the period or with nothing to divide by.
 */
export function buildSeries(
  query: { from: string; to: string; interval: Interval; attribution: Attribution },
  input: SeriesInput,
): CampaignSeries {
  const periods = periodsOf(query.from, query.to, query.interval)
  const slot = (day: string) => periodIndex(query.from, day, query.interval)
  const counts = new Map<string, Omit<FunnelCounts, 'opportunities'>[]>()
  const empty = () => periods.map(() => ({ leads: 0, mqls: 0, sqls: 0, customers: 0 }))
  for (const f of input.funnel) {
    const list = counts.get(f.campaign) ?? empty()
    const at = list[slot(f.day)]
    if (at) {
      at.leads += f.leads
      at.mqls += f.mqls
      at.sqls += f.sqls
      at.customers += f.customers
    }
    counts.set(f.campaign, list)
  }
  const spend = new Map<string, Map<string, (number | null)[]>>()
  for (const s of input.spend) {
    const byCurrency = spend.get(s.campaign) ?? new Map<string, (number | null)[]>()
    const list = byCurrency.get(s.currency) ?? periods.map(() => null)
    const i = slot(s.day)
    if (i >= 0 && i < list.length) list[i] = (list[i] ?? 0) + s.amount
    byCurrency.set(s.currency, list)
    spend.set(s.campaign, byCurrency)
  }
  const currencies = new Map<string, Set<string>>()
  for (const { campaign, currency } of [...input.spend, ...input.revenue])
    currencies.set(campaign, (currencies.get(campaign) ?? new Set()).add(currency))

  const campaigns = new Set([...counts.keys(), ...currencies.keys()])
  const series: CampaignSeries['series'] = []
  for (const campaign of campaigns) {
    const funnel = counts.get(campaign) ?? empty()
    const keys = [...(currencies.get(campaign) ?? [])]
    for (const currency of keys.length === 0 ? [null] : keys) {
      const spent = currency === null ? undefined : spend.get(campaign)?.get(currency)
      series.push({
        campaign,
        currency,
        points: periods.map((period, i) => {
          const c = funnel[i]!
          const amount = spent?.[i] ?? null
          return {
            ...period,
            spend: amount,
            ...c,
            cpl: costPer(amount, c.leads),
            costPerSql: costPer(amount, c.sqls),
          }
        }),
      })
    }
  }
  series.sort((a, b) => {
    const none = Number(a.campaign === NO_CAMPAIGN) - Number(b.campaign === NO_CAMPAIGN)
    if (none !== 0) return none
    if (a.campaign !== b.campaign) return a.campaign < b.campaign ? -1 : 1
    if (a.currency === b.currency) return 0
    if (a.currency === null) return 1
    if (b.currency === null) return -1
    return a.currency < b.currency ? -1 : 1
  })
  return { ...query, periods, series }
}

export interface FormCounts {
  formId: string
  kind: string
  title: string
  views: number
  starts: number
  submissions: number
}

/** The form funnel's rates (docs/report.md#forms), by the report's rounding; a drop-off never goes below 0. */
export function formsReport(
  query: { from: string; to: string },
  counts: readonly FormCounts[],
): FormsReport {
  return {
    from: query.from,
    to: query.to,
    forms: counts.map((c) => ({
      ...c,
      viewToStart: rate(c.starts, c.views),
      startToSubmission: rate(c.submissions, c.starts),
      viewToSubmission: rate(c.submissions, c.views),
      dropOffAfterView: rate(Math.max(c.views - c.starts, 0), c.views),
      dropOffAfterStart: rate(Math.max(c.starts - c.submissions, 0), c.starts),
    })),
  }
}
