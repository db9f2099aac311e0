import type { SpendEntry } from './campaigns'

/**
 * Reads the spend of an ad platform's CSV export (docs/spend-import.md): Google Ads, LinkedIn
 * Campaign Manager and Meta Ads Manager, in English or German. Pure: it takes the rows as a CSV
 * parser answers them (`string[][]`), so the app parses the file and this module decides what
 * each row means. It answers per campaign name of the file the days to write, and each row it
 * could not read with a reason the app shows in words.
 */

/** A day's spend is at most this many minor units, as the API accepts (shared/campaigns.ts). */
export const MAX_DAY_AMOUNT = 1e13

/** Header rows are looked for in the first rows: exports put a title and a date range above. */
const HEADER_SEARCH_ROWS = 20

/** Header names, lower-cased, without a trailing `(EUR)`; the first found wins. */
const DATE_HEADERS = [
  'day',
  'tag',
  'date',
  'datum',
  'reporting starts',
  'berichtsbeginn',
  'start date (in utc)',
  'startdatum (in utc)',
  'start date',
  'startdatum',
]
/** Where a row covers a range: a row whose end differs from its start is no single day. */
const END_HEADERS = [
  'reporting ends',
  'berichtsende',
  'end date (in utc)',
  'enddatum (in utc)',
  'end date',
  'enddatum',
]
const CAMPAIGN_HEADERS = [
  'campaign',
  'kampagne',
  'campaign name',
  'kampagnenname',
  'name der kampagne',
]
const COST_HEADERS = [
  'cost',
  'kosten',
  'amount spent',
  'ausgegebener betrag',
  'total spent',
  'ausgaben insgesamt',
  'gesamtausgaben',
  'spend',
  'ausgaben',
]
const CURRENCY_HEADERS = ['currency code', 'währungscode', 'currency', 'währung']
/** Header words that say the file was exported in German, so `1.234` means 1234. */
const GERMAN_HEADERS = new Set(['tag', 'datum', 'kampagne', 'kosten', 'berichtsbeginn'])

/** Summary rows: Google's `Total: Account`, `Gesamt: Konto`, and plain `Total`/`Summe` rows. */
const SUMMARY = /^(total|totals|gesamt|gesamtergebnis|insgesamt|summe|ergebnis)\b/i
/** What exports write for a missing value. */
const BLANK = /^(|--|-|n\/a)$/i

export type RowReason =
  | 'no_campaign'
  | 'no_date'
  | 'bad_date'
  | 'date_range'
  | 'no_amount'
  | 'bad_amount'
  | 'negative_amount'
  | 'too_large'
  | 'bad_currency'
  | 'no_currency'
  | 'currency_conflict'

/** A row that was not read: its line in the file (1-based), why, and the cell at fault. */
export interface RowProblem {
  line: number
  reason: RowReason
  value: string
}

export interface CsvCampaign {
  /** The campaign's name as the file writes it (trimmed). */
  name: string
  /** One entry per day, by day, summed over the file's rows of that day. */
  entries: SpendEntry[]
  rows: number
}

export interface SpendColumns {
  date: string
  campaign: string
  cost: string
  currency: string | null
}

export type SpendCsv =
  | {
      ok: true
      columns: SpendColumns
      /** Where the currency came from: a column, the cost header's `(EUR)`, or the reader's choice. */
      currencyFrom: 'column' | 'header' | 'choice'
      campaigns: CsvCampaign[]
      problems: RowProblem[]
      /** Summary rows left out. */
      summaries: number
    }
  | { ok: false; reason: 'no_header' | 'empty'; missing: ('date' | 'campaign' | 'cost')[] }

export interface SpendCsvOptions {
  /** The currency (ISO 4217) of a file that names none. */
  currency?: string
}

const normalise = (cell: string) =>
  cell
    .replace(/^\uFEFF/, '')
    .trim()
    .replace(/\s+/g, ' ')
    .toLowerCase()

/** A header without its `(EUR)` and the currency it names. */
function headerParts(cell: string): { name: string; currency: string | null } {
  const text = normalise(cell)
  const match = /^(.*?)\s*\(([a-z]{3})\)$/.exec(text)
  if (match && match[1] && !match[1].endsWith('(in')) {
    return { name: match[1], currency: match[2]!.toUpperCase() }
  }
  return { name: text, currency: null }
}

function findColumn(names: string[], candidates: string[]): number {
  for (const candidate of candidates) {
    const index = names.indexOf(candidate)
    if (index >= 0) return index
  }
  return -1
}

/** The number of decimal places of a currency's minor unit (EUR 2, JPY 0, KWD 3). */
export function minorDigits(currency: string): number {
  try {
    const format = new Intl.NumberFormat('en', { style: 'currency', currency })
    return format.resolvedOptions().maximumFractionDigits ?? 2
  } catch {
    return 2
  }
}

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})(?:[ T].*)?$/
const SLASH_YMD = /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/
const US_DAY = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/
const GERMAN_DAY = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/

/** A day as `YYYY-MM-DD` from ISO, `YYYY/MM/DD`, US `MM/DD/YYYY` or German `DD.MM.YYYY`. */
export function parseDay(cell: string): string | null {
  const text = cell.trim()
  let parts: [string, string, string] | null = null
  let match = ISO_DAY.exec(text) ?? SLASH_YMD.exec(text)
  if (match) parts = [match[1]!, match[2]!, match[3]!]
  else if ((match = US_DAY.exec(text))) parts = [match[3]!, match[1]!, match[2]!]
  else if ((match = GERMAN_DAY.exec(text))) parts = [match[3]!, match[2]!, match[1]!]
  if (!parts) return null
  const day = `${parts[0]}-${parts[1].padStart(2, '0')}-${parts[2].padStart(2, '0')}`
  const date = new Date(`${day}T00:00:00Z`)
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === day ? day : null
}

/** A cost cell without currency signs, codes and spaces: digits, separators, a sign. */
function bareNumber(cell: string): { text: string; negative: boolean } {
  let text = cell.trim()
  let negative = false
  if (/^\(.*\)$/.test(text)) {
    negative = true
    text = text.slice(1, -1)
  }
  text = text.replace(/[A-Za-z€$£¥\s\u00A0\u202F']/g, '')
  if (text.startsWith('-') || text.startsWith('\u2212')) {
    negative = true
    text = text.slice(1)
  }
  return { text, negative }
}

/**
 * The decimal mark a cell shows, or null where it cannot say: `1,234.56` and `12,5` say, but a
 * lone separator before exactly three digits (`1,234`, `1.234`) may group thousands either way.
 */
function decimalMarkOf(text: string): '.' | ',' | null {
  const dot = text.lastIndexOf('.')
  const comma = text.lastIndexOf(',')
  if (dot >= 0 && comma >= 0) return dot > comma ? '.' : ','
  const mark = dot >= 0 ? '.' : comma >= 0 ? ',' : null
  if (!mark) return null
  if (text.split(mark).length > 2) return mark === '.' ? ',' : '.'
  return text.length - text.indexOf(mark) - 1 === 3 ? null : mark
}

/**
 * A decimal number in minor units, rounded half up in integer arithmetic, or null when the text
 * is not a number written with `decimal` as its mark (thousands in groups of three).
 */
export function toMinorUnits(text: string, decimal: '.' | ',', digits: number): number | null {
  const group = decimal === '.' ? ',' : '.'
  const [whole = '', fraction = '', ...rest] = text.split(decimal)
  if (rest.length || (!whole && !fraction)) return null
  const grouped = whole.split(group)
  if (grouped.length > 1 && !/^\d{1,3}$/.test(grouped[0]!)) return null
  if (grouped.slice(1).some((part) => !/^\d{3}$/.test(part))) return null
  const integer = grouped.join('') || '0'
  if (!/^\d+$/.test(integer) || !/^\d*$/.test(fraction) || integer.length > 16) return null
  const kept = fraction.padEnd(digits, '0').slice(0, digits)
  const roundUp = (fraction[digits] ?? '0') >= '5' ? 1 : 0
  return Number(integer) * 10 ** digits + Number(kept || '0') + roundUp
}

/**
 * Reads a spend export. The header is the first of the first rows that names a date, a campaign
 * and a cost column; rows above it (titles, date ranges) are left out. Rows of one campaign and
 * day are summed; summary rows are counted and left out; every other row that cannot be read is
 * answered in `problems`, so nothing is lost without a word.
 */
export function readSpendCsv(rows: readonly string[][], options: SpendCsvOptions = {}): SpendCsv {
  const filled = rows.filter((row) => row.some((cell) => cell.trim() !== ''))
  if (!filled.length) return { ok: false, reason: 'empty', missing: ['date', 'campaign', 'cost'] }

  let headerIndex = -1
  let best: ('date' | 'campaign' | 'cost')[] = ['date', 'campaign', 'cost']
  for (let i = 0; i < Math.min(rows.length, HEADER_SEARCH_ROWS); i++) {
    const names = rows[i]!.map((cell) => headerParts(cell).name)
    const missing = (
      [
        ['date', DATE_HEADERS],
        ['campaign', CAMPAIGN_HEADERS],
        ['cost', COST_HEADERS],
      ] as const
    )
      .filter(([, candidates]) => findColumn(names, [...candidates]) < 0)
      .map(([what]) => what)
    if (!missing.length) {
      headerIndex = i
      break
    }
    if (missing.length < best.length) best = missing
  }
  if (headerIndex < 0) return { ok: false, reason: 'no_header', missing: best }

  const header = rows[headerIndex]!.map(headerParts)
  const names = header.map((part) => part.name)
  const dateColumn = findColumn(names, DATE_HEADERS)
  const isStart = !['day', 'tag', 'date', 'datum'].includes(names[dateColumn]!)
  const endColumn = isStart ? findColumn(names, END_HEADERS) : -1
  const campaignColumn = findColumn(names, CAMPAIGN_HEADERS)
  const costColumn = findColumn(names, COST_HEADERS)
  const currencyColumn = findColumn(names, CURRENCY_HEADERS)
  const headerCurrency = header[costColumn]!.currency
  const choice = options.currency && /^[A-Z]{3}$/.test(options.currency) ? options.currency : null
  const currencyFrom = currencyColumn >= 0 ? 'column' : headerCurrency ? 'header' : 'choice'
  const raw = rows[headerIndex]!

  const body = rows.slice(headerIndex + 1).map((row, offset) => ({
    row,
    line: headerIndex + offset + 2,
  }))

  // The decimal mark is decided once for the file, from the cells that show it; where none
  // does, the header's language decides (a German export groups thousands with a dot).
  const votes = { '.': 0, ',': 0 }
  for (const { row } of body) {
    const mark = decimalMarkOf(bareNumber(row[costColumn] ?? '').text)
    if (mark) votes[mark] += 1
  }
  const german = names.some((name) => GERMAN_HEADERS.has(name))
  const decimal: '.' | ',' =
    votes[','] > votes['.'] || (votes[','] === votes['.'] && german) ? ',' : '.'

  const problems: RowProblem[] = []
  let summaries = 0
  const byCampaign = new Map<string, { rows: number; days: Map<string, SpendEntry> }>()

  for (const { row, line } of body) {
    if (!row.some((cell) => cell.trim() !== '')) continue
    const cell = (index: number) => (index >= 0 ? (row[index] ?? '').trim() : '')
    const dateCell = cell(dateColumn)
    const campaign = cell(campaignColumn)
    if (
      (BLANK.test(dateCell) || BLANK.test(campaign) || SUMMARY.test(campaign)) &&
      row.some((value) => SUMMARY.test(value.trim()))
    ) {
      summaries += 1
      continue
    }
    const fail = (reason: RowReason, value: string) => problems.push({ line, reason, value })
    if (BLANK.test(campaign)) {
      fail('no_campaign', raw[campaignColumn] ?? '')
      continue
    }
    if (BLANK.test(dateCell)) {
      fail('no_date', campaign)
      continue
    }
    const day = parseDay(dateCell)
    if (!day) {
      fail('bad_date', dateCell)
      continue
    }
    if (endColumn >= 0 && !BLANK.test(cell(endColumn))) {
      const end = parseDay(cell(endColumn))
      if (end !== day) {
        fail('date_range', `${dateCell} – ${cell(endColumn)}`)
        continue
      }
    }
    let currency: string | null = null
    if (currencyColumn >= 0 && !BLANK.test(cell(currencyColumn))) {
      currency = cell(currencyColumn).toUpperCase()
      if (!/^[A-Z]{3}$/.test(currency)) {
        fail('bad_currency', cell(currencyColumn))
        continue
      }
    } else currency = headerCurrency ?? choice
    if (!currency) {
      fail('no_currency', campaign)
      continue
    }
    const costCell = cell(costColumn)
    if (BLANK.test(costCell)) {
      fail('no_amount', costCell)
      continue
    }
    const { text, negative } = bareNumber(costCell)
    const amount = toMinorUnits(text, decimal, minorDigits(currency))
    if (amount === null) {
      fail('bad_amount', costCell)
      continue
    }
    if (negative && amount > 0) {
      fail('negative_amount', costCell)
      continue
    }
    const entry = byCampaign.get(campaign) ?? { rows: 0, days: new Map<string, SpendEntry>() }
    const known = entry.days.get(day)
    if (known && known.currency !== currency) {
      fail('currency_conflict', `${currency} / ${known.currency}`)
      continue
    }
    const sum = (known?.amount ?? 0) + amount
    if (sum > MAX_DAY_AMOUNT) {
      fail('too_large', costCell)
      continue
    }
    entry.days.set(day, { date: day, amount: sum, currency })
    entry.rows += 1
    byCampaign.set(campaign, entry)
  }

  const campaigns = [...byCampaign.entries()]
    .map(([name, { rows: count, days }]) => ({
      name,
      rows: count,
      entries: [...days.values()].sort((a, b) => (a.date < b.date ? -1 : 1)),
    }))
    .sort((a, b) => a.name.localeCompare(b.name))
  return {
    ok: true,
    columns: {
      date: raw[dateColumn]!.trim(),
      campaign: raw[campaignColumn]!.trim(),
      cost: raw[costColumn]!.replace(/^\uFEFF/, '').trim(),
      currency: currencyColumn >= 0 ? raw[currencyColumn]!.trim() : null,
    },
    currencyFrom,
    campaigns,
    problems,
    summaries,
  }
}

/** `utm_campaign` as the worker stores it: trimmed and lower-cased (docs/report.md). */
export const toCampaignKey = (value: string) => value.trim().toLowerCase()

/**
 * The site's campaign for each campaign name of a file: the campaign whose key is the name
 * (as a `utm_campaign`), else the one whose name it is, compared without case; null where none
 * matches, for the reader to map or create.
 */
export function matchCampaigns(
  names: readonly string[],
  campaigns: readonly { campaignKey: string; name: string | null }[],
): Map<string, string | null> {
  const byKey = new Set(campaigns.map((campaign) => campaign.campaignKey))
  const byName = new Map<string, string>()
  for (const campaign of campaigns) {
    const name = campaign.name?.trim().toLowerCase()
    if (name && !byName.has(name)) byName.set(name, campaign.campaignKey)
  }
  return new Map(
    names.map((name) => {
      const key = toCampaignKey(name)
      return [name, byKey.has(key) ? key : (byName.get(key) ?? null)]
    }),
  )
}

/**
 * The days to write per campaign key, once the file's names are mapped to keys: names mapped to
 * one key are summed per day; a day that two names give in different currencies is a conflict,
 * answered with the names, and neither is written for that day.
 */
export function planImport(
  campaigns: readonly CsvCampaign[],
  keyOf: (name: string) => string | null,
): { byKey: Map<string, SpendEntry[]>; conflicts: { key: string; date: string }[] } {
  const days = new Map<string, Map<string, SpendEntry | 'conflict'>>()
  for (const campaign of campaigns) {
    const key = keyOf(campaign.name)
    if (!key) continue
    const forKey = days.get(key) ?? new Map<string, SpendEntry | 'conflict'>()
    for (const entry of campaign.entries) {
      const known = forKey.get(entry.date)
      if (known === 'conflict') continue
      if (known && known.currency !== entry.currency) forKey.set(entry.date, 'conflict')
      else forKey.set(entry.date, { ...entry, amount: (known?.amount ?? 0) + entry.amount })
    }
    days.set(key, forKey)
  }
  const byKey = new Map<string, SpendEntry[]>()
  const conflicts: { key: string; date: string }[] = []
  for (const [key, forKey] of days) {
    const entries: SpendEntry[] = []
    for (const [date, entry] of forKey) {
      if (entry === 'conflict') conflicts.push({ key, date })
      else entries.push(entry)
    }
    byKey.set(
      key,
      entries.sort((a, b) => (a.date < b.date ? -1 : 1)),
    )
  }
  return { byKey, conflicts }
}
