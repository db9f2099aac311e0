import { NO_CAMPAIGN, type CampaignReport, type ReportRow } from '../../../shared/campaigns'
import type { StageModel } from '../../../shared/site'

/**
 * The campaign report as a CSV for people (docs/report.md#readable-csv): headers
 * in words, campaign names beside their keys, money in major units with the
 * currency, rates as percentages. German uses `;` between fields and a decimal
 * comma, as spreadsheet programs set to German expect; a UTF-8 byte order mark
 * makes them read the umlauts right.
 */

export type CsvLang = 'de' | 'en'

const HEADERS: Record<CsvLang, Record<StageModel, readonly string[]>> = {
  en: {
    b2b: ['MQLs', 'SQLs', 'Opportunities', 'Customers'],
    b2c: ['Engaged', 'Interested', 'Need recognised', 'Customers'],
  },
  de: {
    b2b: ['MQLs', 'SQLs', 'Opportunities', 'Kunden'],
    b2c: ['Engagiert', 'Interessiert', 'Bedarf erkannt', 'Kunden'],
  },
}

const WORDS = {
  en: {
    campaign: 'Campaign',
    key: 'Campaign key',
    currency: 'Currency',
    spend: 'Spend',
    leads: 'Leads',
    revenue: 'Revenue',
    cpl: 'Cost per lead',
    per: (stage: string) => `Cost per ${stage}`,
    perOrder: 'Cost per order',
    rate: (a: string, b: string) => `${a} → ${b} (%)`,
    median: 'Median sales cycle (days)',
    total: 'Total',
    none: '(no campaign)',
  },
  de: {
    campaign: 'Kampagne',
    key: 'Kampagnenschlüssel',
    currency: 'Währung',
    spend: 'Ausgaben',
    leads: 'Leads',
    revenue: 'Umsatz',
    cpl: 'Kosten pro Lead',
    per: (stage: string) => `Kosten pro ${stage}`,
    perOrder: 'Kosten pro Auftrag',
    rate: (a: string, b: string) => `${a} → ${b} (%)`,
    median: 'Median Verkaufszyklus (Tage)',
    total: 'Gesamt',
    none: '(ohne Kampagne)',
  },
} as const

/** The singular stage names for the rate headers. */
const RATE_STAGES: Record<CsvLang, Record<StageModel, readonly string[]>> = {
  en: {
    b2b: ['Lead', 'MQL', 'SQL', 'Opportunity', 'Customer'],
    b2c: ['Lead', 'Engaged', 'Interested', 'Need recognised', 'Customer'],
  },
  de: {
    b2b: ['Lead', 'MQL', 'SQL', 'Opportunity', 'Kunde'],
    b2c: ['Lead', 'Engagiert', 'Interessiert', 'Bedarf erkannt', 'Kunde'],
  },
}

/** Fraction digits of a currency's minor unit (ISO 4217: EUR 2, JPY 0, KWD 3). */
export function minorDigits(currency: string): number {
  try {
    return (
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
        .maximumFractionDigits ?? 2
    )
  } catch {
    return 2
  }
}

/** An integer scaled by 10^digits written exactly, without floating point: (12345, 2) → "123.45". */
export function scaled(value: number, digits: number, comma: boolean): string {
  const sign = value < 0 ? '-' : ''
  const abs = Math.abs(value)
  if (digits === 0) return `${sign}${abs}`
  const unit = 10 ** digits
  const whole = Math.floor(abs / unit)
  const fraction = String(abs - whole * unit).padStart(digits, '0')
  return `${sign}${whole}${comma ? ',' : '.'}${fraction}`
}

/** Characters that make a spreadsheet read a text cell as a formula (as in the machine CSV). */
const FORMULA_START = /^[=+\-@\t\r]/

function textField(value: string): string {
  const text = FORMULA_START.test(value) ? `'${value}` : value
  return `"${text.replaceAll('"', '""')}"`
}

export function readableReportCsv(
  report: CampaignReport,
  options: { lang: CsvLang; stageModel: StageModel; names: ReadonlyMap<string, string> },
): string {
  const { lang, stageModel, names } = options
  const w = WORDS[lang]
  const comma = lang === 'de'
  const separator = lang === 'de' ? ';' : ','
  const [mqls, sqls, opportunities, customers] = HEADERS[lang][stageModel] as [
    string,
    string,
    string,
    string,
  ]
  const s = RATE_STAGES[lang][stageModel]
  const header = [
    w.campaign,
    w.key,
    w.currency,
    w.spend,
    w.leads,
    mqls,
    sqls,
    opportunities,
    customers,
    w.revenue,
    w.cpl,
    w.per(s[1]!),
    w.per(s[2]!),
    w.perOrder,
    w.rate(s[0]!, s[1]!),
    w.rate(s[1]!, s[2]!),
    w.rate(s[2]!, s[3]!),
    w.rate(s[3]!, s[4]!),
    w.median,
  ]
  const money = (minor: number | null, currency: string | null) =>
    minor === null || currency === null ? '' : scaled(minor, minorDigits(currency), comma)
  const percent = (value: number | null) =>
    value === null ? '' : scaled(Math.round(value * 10_000), 2, comma)
  const days = (value: number | null) =>
    value === null ? '' : scaled(Math.round(value * 10), 1, comma)
  const record = (row: ReportRow, total: boolean) => {
    const name = total
      ? w.total
      : row.campaign === NO_CAMPAIGN
        ? w.none
        : (names.get(row.campaign) ?? row.campaign)
    const c = row.conversion
    return [
      textField(name),
      textField(total || row.campaign === NO_CAMPAIGN ? '' : row.campaign),
      textField(row.currency ?? ''),
      money(row.spend, row.currency),
      String(row.leads),
      String(row.mqls),
      String(row.sqls),
      String(row.opportunities),
      String(row.customers),
      money(row.revenue, row.currency),
      money(row.cpl, row.currency),
      money(row.costPerMql, row.currency),
      money(row.costPerSql, row.currency),
      money(row.costPerOrder, row.currency),
      percent(c.leadToMql),
      percent(c.mqlToSql),
      percent(c.sqlToOpportunity),
      percent(c.opportunityToCustomer),
      days(row.medianSalesCycleDays),
    ].join(separator)
  }
  const records = [
    header.map(textField).join(separator),
    ...report.rows.map((row) => record(row, false)),
    ...report.totals.map((row) => record(row, true)),
  ]
  return `\uFEFF${records.map((r) => `${r}\r\n`).join('')}`
}
