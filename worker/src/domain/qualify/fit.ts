import { MAX_COUNTED_ANSWERS, type FitRule } from '../../../../shared/rules'
import type { ResolvedRules } from './rules'
import { emailDomain, isFreemailDomain } from './freemail'
import { foldText, quoteValue } from './text'

/**
 * A lead's merged field values (newer non-empty values win: docs/completeness.md#merge-by-email).
 */
export type LeadFields = Readonly<Record<string, string | boolean | undefined>>

/** What the lead said about itself, as facts stage rules can test. */
export interface FitFacts {
  decisionMaker: boolean
  businessEmail: boolean
  company: boolean
  phone: boolean
  budgetStated: boolean
  timelineSoon: boolean
}

/** What else fit reads besides the fields: the lead's forms, first touch and opt-ins. */
export interface FitContext {
  /** Ids of the forms the lead submitted. */
  formIds?: readonly string[]
  /** The lead's first touch's `utm_source` and `utm_medium`. */
  source?: string | null
  medium?: string | null
  /** Asked for marketing email with a submission. */
  optIn?: boolean
}

export interface FitResult {
  score: number
  facts: FitFacts
  /** One line per fact that earned points, e.g. `+10 business email domain firma.de`. */
  reasons: string[]
}

const WORD = '[\\p{L}\\p{N}]'

function titlePatternSource(pattern: string): string {
  return foldText(pattern.trim())
    .split('*')
    .map((part) =>
      part
        .replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
        // "Head of" also matches "Head-of"; "Co-Founder" also "Co Founder" and "CoFounder".
        .replace(/\s+|-/g, (gap) => (gap === '-' ? '[\\s-]?' : '[\\s-]+')),
    )
    .join(`${WORD}*`)
}

const titleRegexCache = new Map<string, RegExp>()

/** One regex for a list of title patterns, compiled once per distinct list. */
function titleRegex(patterns: readonly string[]): RegExp | null {
  if (patterns.length === 0) return null
  const key = patterns.join('\n')
  let regex = titleRegexCache.get(key)
  if (!regex) {
    // Whole words only: "CTO" must not match "Director" or "Doctor".
    regex = new RegExp(
      `(?<!${WORD})(?:${patterns.map(titlePatternSource).join('|')})(?!${WORD})`,
      'u',
    )
    // Sites rarely change their titles; a small bound keeps a long-lived isolate lean.
    if (titleRegexCache.size >= 32) titleRegexCache.clear()
    titleRegexCache.set(key, regex)
  }
  return regex
}

/**
 * Whether a job title names a decision maker, by the site's title patterns
 * (see `TitlePatternSchema`: whole words, `*` for any letters, umlauts folded).
 */
export function isDecisionMakerTitle(title: string, patterns: readonly string[]): boolean {
  const regex = titleRegex(patterns)
  return regex !== null && regex.test(foldText(title))
}

/** Answers that say there is no budget (yet), in German and English, folded. */
const NO_BUDGET =
  /^(?:no|none|nein|n\/?a|-+|\?+|0+(?:[.,]0+)?\s*(?:€|eur|euro|\$|usd|chf)?|kein(?:e|es|s)?(?:\s+budget)?|keine\s+angabe|k\.?\s*a\.?|unknown|unbekannt|weiss\s+(?:ich\s+)?nicht|not\s+sure|unsure|don'?t\s+know|no\s+budget(?:\s+yet)?|noch\s+(?:kein(?:e|s)?\s+budget|offen|unklar|nicht\s+(?:bekannt|festgelegt|klar))|offen|unklar|tbd|tba)$/

/** Whether a budget answer states a budget: a value that is not "none" or "don't know". */
export function isBudgetStated(value: string | boolean | undefined): boolean {
  if (typeof value === 'boolean') return value
  if (value === undefined) return false
  const folded = foldText(value).replace(/\s+/g, ' ').trim()
  return folded !== '' && !NO_BUDGET.test(folded)
}

const DAYS_PER_MONTH = 30.44

/** Unit words to months, German and English, folded. */
const UNIT_MONTHS: [RegExp, number][] = [
  [/^(?:d|days?|tag|tage|tagen)$/, 1 / DAYS_PER_MONTH],
  [/^(?:w|wks?|weeks?|woche|wochen)$/, 7 / DAYS_PER_MONTH],
  [/^(?:m|mo|mos|mon|months?|monat|monate|monaten)$/, 1],
  [/^(?:q|quarters?|quartal|quartale|quartalen)$/, 3],
  [/^(?:y|yrs?|years?|jahr|jahre|jahren)$/, 12],
]

/** Phrases and how many months ahead they mean at most. */
const PHRASE_MONTHS: [RegExp, number][] = [
  [
    /\b(?:asap|immediately|right away|urgent(?:ly)?|now|sofort|umgehend|dringend|zeitnah|bald|schnellstmoeglich|so schnell wie moeglich|kurzfristig|short[- ]term)\b/,
    0,
  ],
  [/\b(?:this|next) week\b|\b(?:diese|naechste|kommende) woche\b/, 0.5],
  [/\bthis month\b|\b(?:diesen|dieser|in diesem) monat\b/, 1],
  [/\bnext month\b|\b(?:naechsten|naechster|kommenden|im naechsten) monat\b/, 2],
  [/\bthis quarter\b|\b(?:dieses|in diesem|im laufenden) quartal\b/, 3],
  [/\bnext quarter\b|\b(?:naechstes|im naechsten|kommendes) quartal\b/, 6],
  [
    /\b(?:this|next) year\b|\b(?:dieses|naechstes|kommendes) jahr\b|\b(?:mittelfristig|langfristig|medium[- ]term|long[- ]term)\b/,
    12,
  ],
]

/** "More than", "later than", "over": the number is a lower bound, not a deadline. */
const LOWER_BOUND =
  /(?:(?:^|\s)(?:more than|longer than|later than|over|mehr als|laenger als|spaeter als|ueber)|>)\s*$/

/** "Not within 3 months", "nicht sofort": a negated answer is no near timeline. */
const NEGATED = /(?:^|\s)(?:not|nicht|kein|keine|no)(?:\s|$)/

function addMonths(date: Date, months: number): Date {
  const result = new Date(date.getTime())
  result.setUTCMonth(result.getUTCMonth() + months)
  return result
}

function datedTimeline(folded: string): Date | null {
  let match = /\b(\d{4})-(\d{2})(?:-(\d{2}))?\b/.exec(folded)
  if (match) return utcDate(Number(match[1]), Number(match[2]), Number(match[3] ?? 1))
  match = /\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b/.exec(folded)
  if (match) return utcDate(Number(match[3]), Number(match[2]), Number(match[1]))
  match = /\bq([1-4])\s*[/-]?\s*(\d{4})\b|\b([1-4])\.?\s*quartal\s*(\d{4})\b/.exec(folded)
  if (match) {
    const quarter = Number(match[1] ?? match[3])
    return utcDate(Number(match[2] ?? match[4]), quarter * 3 - 2, 1)
  }
  match = /\b(\d{1,2})[./](\d{4})\b/.exec(folded)
  if (match) return utcDate(Number(match[2]), Number(match[1]), 1)
  return null
}

function utcDate(year: number, month: number, day: number): Date | null {
  if (month < 1 || month > 12 || day < 1 || day > 31) return null
  return new Date(Date.UTC(year, month - 1, day))
}

/**
 * Whether a timeline answer ("sofort", "within 3 months", "1-3 Monate",
 * "Q1 2027", "2027-01-15") falls within `months` months of `now`. An answer
 * this cannot read earns nothing, rather than guessing.
 */
export function isTimelineWithin(
  value: string | boolean | undefined,
  months: number,
  now: Date,
): boolean {
  if (typeof value === 'boolean') return value
  if (value === undefined) return false
  const folded = foldText(value).replace(/\s+/g, ' ').trim()
  if (folded === '') return false

  const dated = datedTimeline(folded)
  if (dated) return dated.getTime() <= addMonths(now, months).getTime()
  if (NEGATED.test(folded)) return false

  const span =
    /(\d+(?:[.,]\d+)?)\s*(?:(?:-|–|bis|to)\s*(\d+(?:[.,]\d+)?))?\s*(\+)?\s*([a-z]+)\b(\+)?/g
  for (const match of folded.matchAll(span)) {
    const unit = UNIT_MONTHS.find(([pattern]) => pattern.test(match[4] ?? ''))
    if (!unit) continue
    if (match[3] || match[5] || LOWER_BOUND.test(folded.slice(0, match.index))) return false
    const upper = Number((match[2] ?? match[1] ?? '').replace(',', '.'))
    return upper * unit[1] <= months
  }

  for (const [pattern, ahead] of PHRASE_MONTHS) {
    if (pattern.test(folded)) return ahead <= months
  }
  return false
}

function present(value: string | boolean | undefined): value is string {
  return typeof value === 'string' && value.trim() !== ''
}

/**
 * Not counted as an answered question: who the lead is, and the fields that earn points of their
 * own above.
 */
const NOT_QUESTIONS = new Set([
  'email',
  'firstName',
  'lastName',
  'name',
  'jobTitle',
  'company',
  'phone',
  'budget',
  'timeline',
])

const answered = (value: string | boolean | undefined) => value === true || present(value)

const folded = (value: string) => foldText(value).replace(/\s+/g, ' ').trim()

/** Whether a fit rule holds for the lead (docs/stages-and-scoring.md#fit-rules). */
export function fitRuleHolds(rule: FitRule, fields: LeadFields, context: FitContext): boolean {
  if (rule.forms && !rule.forms.some((form) => context.formIds?.includes(form))) return false
  const from = (wanted: readonly string[] | undefined, actual: string | null | undefined) =>
    !wanted || (!!actual && wanted.some((value) => folded(value) === folded(actual)))
  if (!from(rule.source, context.source) || !from(rule.medium, context.medium)) return false
  if (!rule.field) return true
  const value = fields[rule.field]
  if (rule.filled === false) return !answered(value)
  if (!rule.equals) return answered(value)
  return rule.equals.some((wanted) =>
    typeof wanted === 'boolean'
      ? value === wanted
      : typeof value === 'string' && folded(value) === folded(wanted),
  )
}

/** A fit rule's reason without its points: its label, or what it tests. */
function describeFitRule(rule: FitRule, fields: LeadFields): string {
  if (rule.label) return rule.label
  const parts: string[] = []
  if (rule.field) {
    const value = fields[rule.field]
    parts.push(
      rule.filled === false
        ? `left ${rule.field} empty`
        : typeof value === 'string' && rule.equals
          ? `answered ${rule.field}: ${quoteValue(value, 40)}`
          : typeof value === 'boolean'
            ? `answered ${rule.field}: ${value ? 'yes' : 'no'}`
            : `answered ${rule.field}`,
    )
  }
  if (rule.forms) parts.push(`came through form ${rule.forms.join(' or ')}`)
  if (rule.source) parts.push(`source ${rule.source.join(' or ')}`)
  if (rule.medium) parts.push(`medium ${rule.medium.join(' or ')}`)
  return parts.join(', ')
}

/**
 * The fit score (docs/stages-and-scoring.md#fit-score): what the lead said about itself. Reads the
 * standard fields `email`, `jobTitle`, `company`, `phone`, `budget` and
 * `timeline`, counts the other questions answered, and applies the site's fit rules over answers,
 * forms and sources (`context`); `now` dates a timeline such as "Q1 2027".
 */
export function scoreFit(
  fields: LeadFields,
  rules: ResolvedRules,
  now: Date,
  context: FitContext = {},
): FitResult {
  const points = rules.points
  const reasons: string[] = []
  let score = 0
  const award = (amount: number, reason: string) => {
    if (amount <= 0) return
    score += amount
    reasons.push(`+${amount} ${reason}`)
  }

  const jobTitle = fields.jobTitle
  const decisionMaker =
    present(jobTitle) && isDecisionMakerTitle(jobTitle, rules.decisionMakerTitles)
  if (decisionMaker) award(points.decisionMaker, `decision maker (${quoteValue(jobTitle)})`)

  const domain = present(fields.email) ? emailDomain(fields.email) : null
  const businessEmail = domain !== null && !isFreemailDomain(domain)
  if (businessEmail) award(points.businessEmail, `business email domain ${domain}`)

  const company = present(fields.company)
  if (company) award(points.company, `company given (${quoteValue(fields.company as string)})`)

  const phone = present(fields.phone)
  if (phone) award(points.phone, 'phone given')

  const budgetStated = isBudgetStated(fields.budget)
  if (budgetStated) {
    const budget = fields.budget
    award(
      points.budget,
      typeof budget === 'string' ? `budget stated (${quoteValue(budget)})` : 'budget stated',
    )
  }

  const timelineSoon = isTimelineWithin(fields.timeline, rules.timelineMonths, now)
  if (timelineSoon) {
    const timeline = fields.timeline
    const within = `timeline within ${rules.timelineMonths} month${rules.timelineMonths === 1 ? '' : 's'}`
    award(
      points.timeline,
      typeof timeline === 'string' ? `${within} (${quoteValue(timeline)})` : within,
    )
  }

  const questions = Object.keys(fields).filter(
    (name) => !NOT_QUESTIONS.has(name) && answered(fields[name]),
  ).length
  const counted = Math.min(questions, MAX_COUNTED_ANSWERS)
  if (counted > 0)
    award(
      counted * points.answers,
      `answered ${questions} question${questions === 1 ? '' : 's'}${questions > counted ? ` (${counted} counted)` : ''}`,
    )
  if (context.optIn) award(points.optIn, 'asked for marketing email')

  for (const rule of rules.fitRules) {
    if (rule.points === 0 || !fitRuleHolds(rule, fields, context)) continue
    score += rule.points
    reasons.push(`${rule.points > 0 ? '+' : ''}${rule.points} ${describeFitRule(rule, fields)}`)
  }

  return {
    score,
    facts: { decisionMaker, businessEmail, company, phone, budgetStated, timelineSoon },
    reasons,
  }
}
