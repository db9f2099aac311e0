import { z } from 'zod'
import type { EventType } from '../../../../shared/events'
import type { FormKind } from '../../../../shared/form'
import {
  CONTENT_FORM_KINDS,
  INTENT_FORM_KINDS,
  type DailyCaps,
  type ResolvedRules,
} from '../../../../shared/rules'
import { foldText, quoteValue } from './text'

/** One recorded interaction, as the worker hands it over (from `touchpoints` rows or a submission). */
export interface Touchpoint {
  type: EventType
  /** ISO 8601 time the touchpoint happened. */
  at: string
  /** The URL path (`/pricing`); a query or fragment is ignored. */
  path: string
  /** The kind of the form submitted, viewed or downloaded from, if any. */
  formKind?: FormKind
  /**
   * The form's or asset's title, shown in reasons (`+10 downloaded 'Whitepaper 2026'`).
   * Pass the same title for a gated form's submission and its download, so
   * the two count as one piece of content.
   */
  title?: string
}

/** What a touchpoint can earn points for; the keys of `points` and `dailyCaps`. */
export const SCORE_KINDS = [
  'pageView',
  'pricingView',
  'returnVisit',
  'content',
  'newsletter',
  'webinar',
  'intentForm',
] as const
export type ScoreKind = (typeof SCORE_KINDS)[number]
/** Kinds a touchpoint scores as directly; a return visit comes from the day, not one touchpoint. */
export type TouchpointScoreKind = Exclude<ScoreKind, 'returnVisit'> & keyof DailyCaps

const DAY_MS = 86_400_000
/**
 * Days of per-day tallies kept. Older days live on only in the decayed score
 * (after 90 days at the default half-life a point is worth an eighth), and a
 * touchpoint arriving for a day already dropped is ignored.
 */
export const STATE_DAYS = 90
/** Engagement reasons kept; older ones fold into one "earlier touchpoints" line. */
export const MAX_ENGAGEMENT_REASONS = 50
/** Distinct forms and downloads remembered per day for de-duplication. */
const MAX_KEYS_PER_DAY = 50
const MAX_LABEL = 80

const ISO_DAY = z.string().regex(/^\d{4}-\d{2}-\d{2}$/)
const FORM_KIND = z.enum([
  'whitepaper',
  'ebook',
  'checklist',
  'newsletter',
  'webinar',
  'demo_request',
  'quote_request',
  'contact_sales',
  'survey',
] as const satisfies readonly FormKind[])

const EngagementReasonSchema = z.object({
  day: ISO_DAY,
  kind: z.enum(SCORE_KINDS),
  points: z.number().min(0),
  /** Touchpoints that earned the points. */
  count: z.number().int().min(0),
  /** Page and pricing views seen that day, including those past the daily cap. */
  seen: z.number().int().min(0).optional(),
  /** The form's or asset's title. */
  label: z.string().max(200).optional(),
  /** The page, for pricing views and downloads. */
  path: z.string().max(200).optional(),
  form: FORM_KIND.optional(),
})
export type EngagementReason = z.infer<typeof EngagementReasonSchema>

const DayTallySchema = z.object({
  /** The day's earliest touchpoint. */
  t: z.string().max(40),
  /** Touchpoints that earned points, per kind: what the daily caps count. */
  n: z.partialRecord(z.enum(SCORE_KINDS), z.number().int().min(0)),
  /** Forms and content already counted that day. */
  k: z.array(z.string().max(200)).max(MAX_KEYS_PER_DAY).optional(),
})
export type DayTally = z.infer<typeof DayTallySchema>

const TIME = z.string().max(40).nullable()

/**
 * What the events endpoint needs to score new touchpoints without reading a
 * lead's history again. Stored as JSON in `leads.score_state`.
 */
export const EngagementStateSchema = z.object({
  v: z.literal(1),
  /** Decayed engagement score as of `ref`. */
  score: z.number().finite().min(0),
  ref: TIME,
  /** Every point ever awarded, undecayed: the reasons plus `earlier` add up to it. */
  total: z.number().finite().min(0),
  /** Per-day tallies for the daily caps, at most the last `STATE_DAYS` days. */
  days: z.record(ISO_DAY, DayTallySchema),
  /** Days with any touchpoint, ever, and the first of them. */
  visitDays: z.number().int().min(0),
  firstDay: ISO_DAY.nullable(),
  /** Form submissions per kind, ever (the same form twice on one day counts once). */
  forms: z.partialRecord(FORM_KIND, z.number().int().min(0)),
  /** Pricing-page views that counted (within the daily cap), ever. */
  pricingViews: z.number().int().min(0),
  lastInteractionAt: TIME,
  lastIntentAt: TIME,
  lastPricingAt: TIME,
  /** The latest reasons, oldest first. */
  reasons: z.array(EngagementReasonSchema).max(MAX_ENGAGEMENT_REASONS),
  /** Points of reasons folded away to keep the list bounded. */
  earlier: z.number().finite().min(0),
})
export type EngagementState = z.infer<typeof EngagementStateSchema>

/** The state of a lead with no touchpoint yet. */
export function emptyEngagementState(): EngagementState {
  return {
    v: 1,
    score: 0,
    ref: null,
    total: 0,
    days: {},
    visitDays: 0,
    firstDay: null,
    forms: {},
    pricingViews: 0,
    lastInteractionAt: null,
    lastIntentAt: null,
    lastPricingAt: null,
    reasons: [],
    earlier: 0,
  }
}

/**
 * Reads `leads.score_state`. The column's default `{}`, an empty value or
 * anything unreadable gives the empty state, so a bad row degrades to
 * re-scoring from new touchpoints instead of failing a request.
 */
export function parseEngagementState(text: string | null | undefined): EngagementState {
  if (!text) return emptyEngagementState()
  try {
    const parsed = EngagementStateSchema.safeParse(JSON.parse(text))
    return parsed.success ? parsed.data : emptyEngagementState()
  } catch {
    return emptyEngagementState()
  }
}

/** The JSON stored in `leads.score_state`. */
export function serializeEngagementState(state: EngagementState): string {
  return JSON.stringify(state)
}

function pathSegments(path: string): string[] {
  const bare = path.split(/[?#]/, 1)[0] ?? ''
  return bare
    .split('/')
    .filter((segment) => segment !== '')
    .map((segment) => {
      try {
        return decodeURIComponent(segment).toLowerCase()
      } catch {
        return segment.toLowerCase()
      }
    })
}

function segmentMatcher(segment: string): (value: string) => boolean {
  if (!segment.includes('*')) return (value) => value === segment
  const regex = new RegExp(
    `^${segment
      .split('*')
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  )
  return (value) => regex.test(value)
}

/**
 * Whether a URL path is a pricing page by the site's patterns (see
 * `PathPatternSchema`): the pattern's segments appear, in order and
 * contiguous, anywhere in the path, so `/pricing` matches `/en/pricing`.
 */
export function isPricingPath(path: string, patterns: readonly string[]): boolean {
  const segments = pathSegments(path)
  return patterns.some((pattern) => {
    const matchers = pathSegments(pattern).map(segmentMatcher)
    if (matchers.length === 0) return false
    for (let start = 0; start + matchers.length <= segments.length; start++) {
      if (matchers.every((match, offset) => match(segments[start + offset] ?? ''))) return true
    }
    return false
  })
}

/** The kind a touchpoint scores as, if any: form views, form starts and CTA clicks score nothing. */
export function scoreKindOf(
  touchpoint: Touchpoint,
  rules: ResolvedRules,
): TouchpointScoreKind | null {
  switch (touchpoint.type) {
    case 'page_view':
      // A pricing view earns the pricing points instead of a page view's, not both.
      return isPricingPath(touchpoint.path, rules.pricingPaths) ? 'pricingView' : 'pageView'
    case 'download':
      return 'content'
    case 'form_submit':
      return formScoreKind(touchpoint.formKind)
    default:
      return null
  }
}

function formScoreKind(kind: FormKind | undefined): TouchpointScoreKind | null {
  if (kind === undefined || kind === 'survey') return null
  if (kind === 'newsletter') return 'newsletter'
  if (kind === 'webinar') return 'webinar'
  if ((INTENT_FORM_KINDS as readonly FormKind[]).includes(kind)) return 'intentForm'
  if ((CONTENT_FORM_KINDS as readonly FormKind[]).includes(kind)) return 'content'
  return null
}

function isoDay(time: number): string {
  return new Date(time).toISOString().slice(0, 10)
}

function laterOf(current: string | null, time: number): string {
  return current !== null && Date.parse(current) >= time ? current : new Date(time).toISOString()
}

/** Keeps the stored score short; a millionth of a point changes no threshold. */
function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6
}

/**
 * Decay counts whole UTC days: points keep their full worth on the day they
 * are earned, so a score does not sag below a threshold between a submission
 * and the page view a minute later.
 */
function dayNumber(time: number): number {
  return Math.floor(time / DAY_MS)
}

function decayFactor(elapsedDays: number, rules: ResolvedRules): number {
  return Math.pow(0.5, elapsedDays / rules.halfLifeDays)
}

/** Adds points dated `time` to the decayed score, whatever order touchpoints arrive in. */
function addDecayed(state: EngagementState, points: number, time: number, rules: ResolvedRules) {
  const ref = state.ref === null ? NaN : Date.parse(state.ref)
  if (Number.isNaN(ref)) {
    state.score = round6(points)
    state.ref = new Date(time).toISOString()
  } else if (dayNumber(time) >= dayNumber(ref)) {
    state.score = round6(
      state.score * decayFactor(dayNumber(time) - dayNumber(ref), rules) + points,
    )
    if (time > ref) state.ref = new Date(time).toISOString()
  } else {
    // A late touchpoint: its points have already aged by the day of `ref`.
    state.score = round6(
      state.score + points * decayFactor(dayNumber(ref) - dayNumber(time), rules),
    )
  }
  state.total += points
}

/** Views of a page aggregate into one reason per day; forms and downloads get one each. */
const AGGREGATED: readonly ScoreKind[] = ['pageView', 'pricingView']

function addReason(state: EngagementState, reason: EngagementReason) {
  if (AGGREGATED.includes(reason.kind)) {
    const same = state.reasons.find((item) => item.day === reason.day && item.kind === reason.kind)
    if (same) {
      same.seen = (same.seen ?? same.count) + (reason.seen ?? reason.count)
      same.points += reason.points
      same.count += reason.count
      return
    }
  }
  state.reasons.push(reason)
  while (state.reasons.length > MAX_ENGAGEMENT_REASONS) {
    const oldest = state.reasons.shift()
    if (oldest) state.earlier += oldest.points
  }
}

/** A touchpoint of an aggregated kind past the daily cap: shown in its reason, worth nothing. */
function noteCapped(state: EngagementState, day: string, kind: ScoreKind) {
  const same = state.reasons.find((item) => item.day === day && item.kind === kind)
  if (same) same.seen = (same.seen ?? same.count) + 1
}

function dedupeKey(kind: string, touchpoint: Touchpoint): string {
  return `${kind}:${foldText(touchpoint.title ?? touchpoint.path).slice(0, 150)}`
}

export interface ApplyOptions {
  /** Touchpoints dated after this (a visitor's clock running fast) count as happening now. */
  now?: Date
}

/**
 * Scores new touchpoints into a lead's engagement state, without its history
 * (docs/stages-and-scoring.md#engagement-score): daily caps per kind, one return visit per new day,
 * the same form or download once a day, points decayed by the half-life. Returns a new state; the
 * input is not changed. Touchpoints for days older than the kept tallies are ignored, as are those
 * with an unreadable time.
 */
export function applyTouchpoints(
  previous: EngagementState,
  touchpoints: readonly Touchpoint[],
  rules: ResolvedRules,
  options: ApplyOptions = {},
): EngagementState {
  const state = structuredClone(previous)
  const nowMs = options.now?.getTime()
  const dated = touchpoints
    .map((touchpoint) => {
      const at = Date.parse(touchpoint.at)
      return { touchpoint, at: nowMs !== undefined && at > nowMs ? nowMs : at }
    })
    .filter((item) => !Number.isNaN(item.at))
    // Earliest first, so the first touchpoints of a day are the ones that count.
    .sort((a, b) => a.at - b.at)

  let latestDay = Object.keys(state.days).sort().pop()
  for (const { touchpoint, at } of dated) {
    const day = isoDay(at)
    if (
      latestDay !== undefined &&
      day < isoDay(Date.parse(`${latestDay}T00:00:00Z`) - STATE_DAYS * DAY_MS)
    ) {
      continue
    }
    if (latestDay === undefined || day > latestDay) latestDay = day
    scoreTouchpoint(state, touchpoint, at, day, rules)
  }

  if (latestDay !== undefined) {
    const oldest = isoDay(Date.parse(`${latestDay}T00:00:00Z`) - STATE_DAYS * DAY_MS)
    for (const day of Object.keys(state.days)) if (day < oldest) delete state.days[day]
  }
  return state
}

function scoreTouchpoint(
  state: EngagementState,
  touchpoint: Touchpoint,
  at: number,
  day: string,
  rules: ResolvedRules,
) {
  let tally = state.days[day]
  if (!tally) {
    tally = { t: new Date(at).toISOString(), n: {} }
    state.days[day] = tally
    state.visitDays += 1
    const formerFirst = state.firstDay
    if (formerFirst === null || day < formerFirst) state.firstDay = day
    if (formerFirst !== null && rules.points.returnVisit > 0) {
      // Coming back on another day is engagement of its own
      // (docs/stages-and-scoring.md#engagement-score). When a late touchpoint turns out to be from
      // the first day, the former first day is the return, so the points are dated as in time
      // order.
      const late = day < formerFirst
      const returnDay = late ? formerFirst : day
      const returnAt = late
        ? Date.parse(state.days[formerFirst]?.t ?? `${formerFirst}T00:00:00Z`)
        : at
      addDecayed(state, rules.points.returnVisit, returnAt, rules)
      addReason(state, {
        day: returnDay,
        kind: 'returnVisit',
        points: rules.points.returnVisit,
        count: 1,
      })
    }
  } else if (at < Date.parse(tally.t)) {
    tally.t = new Date(at).toISOString()
  }
  // Every touchpoint is the visitor's own interaction: it makes a lead warm
  // (docs/stages-and-scoring.md#temperature).
  state.lastInteractionAt = laterOf(state.lastInteractionAt, at)

  const today = tally
  const remember = (key: string): boolean => {
    const keys = (today.k ??= [])
    if (keys.includes(key)) return false
    // Past the bound the day's form caps still limit points; only de-duplication stops.
    if (keys.length < MAX_KEYS_PER_DAY) keys.push(key)
    return true
  }

  if (touchpoint.type === 'form_submit' && touchpoint.formKind) {
    if (remember(dedupeKey(`form.${touchpoint.formKind}`, touchpoint))) {
      state.forms[touchpoint.formKind] = (state.forms[touchpoint.formKind] ?? 0) + 1
    }
  }

  const kind = scoreKindOf(touchpoint, rules)
  if (kind === null) return
  if (kind === 'intentForm') state.lastIntentAt = laterOf(state.lastIntentAt, at)
  if (kind === 'pricingView') state.lastPricingAt = laterOf(state.lastPricingAt, at)

  const aggregated = AGGREGATED.includes(kind)
  // A gated form's submission and its download are one piece of content.
  if (!aggregated && !remember(dedupeKey(kind, touchpoint))) return

  const counted = tally.n[kind] ?? 0
  if (counted >= rules.dailyCaps[kind]) {
    if (aggregated) noteCapped(state, day, kind)
    return
  }
  tally.n[kind] = counted + 1
  if (kind === 'pricingView') state.pricingViews += 1

  const points = rules.points[kind]
  if (points <= 0) return
  addDecayed(state, points, at, rules)
  addReason(state, {
    day,
    kind,
    points,
    count: 1,
    ...(aggregated ? { seen: 1 } : {}),
    ...(touchpoint.title ? { label: quoteValue(touchpoint.title, MAX_LABEL) } : {}),
    ...(kind === 'pricingView' || kind === 'content'
      ? { path: quoteValue(touchpoint.path.split(/[?#]/, 1)[0] ?? '', MAX_LABEL) }
      : {}),
    ...(touchpoint.formKind ? { form: touchpoint.formKind } : {}),
  })
}

/**
 * The engagement score at `now`: the stored score decayed by the half-life,
 * `score_ref * 0.5^((now - ref) / halfLife)`, counted in whole UTC days. A
 * time before `ref` gives the stored score, never more.
 */
export function engagementAt(state: EngagementState, now: Date, rules: ResolvedRules): number {
  if (state.ref === null) return 0
  const elapsed = dayNumber(now.getTime()) - dayNumber(Date.parse(state.ref))
  if (Number.isNaN(elapsed) || elapsed <= 0) return state.score
  return state.score * decayFactor(elapsed, rules)
}

const INTENT_WORDS: Partial<Record<FormKind, string>> = {
  demo_request: 'requested a demo',
  quote_request: 'requested a quote',
  contact_sales: 'asked sales to get in touch',
}

function times(count: number): string {
  return count === 1 ? 'once' : `${count} times`
}

function describeReason(reason: EngagementReason): string {
  const points = `+${reason.points}`
  const seen = reason.seen ?? reason.count
  const capped = seen > reason.count ? ` (${reason.count} counted, daily cap)` : ''
  const quoted = reason.label ? ` '${reason.label}'` : ''
  switch (reason.kind) {
    case 'pageView':
      return capped
        ? `${points} viewed pages ${times(seen)} on ${reason.day}${capped}`
        : `${points} viewed ${reason.count} page${reason.count === 1 ? '' : 's'} on ${reason.day}`
    case 'pricingView':
      return `${points} viewed ${reason.count === 1 && reason.path ? `pricing page ${reason.path}` : 'pricing pages'} ${times(seen)} on ${reason.day}${capped}`
    case 'returnVisit':
      return `${points} came back on ${reason.day}`
    case 'content':
      return `${points} downloaded${quoted || (reason.path ? ` ${reason.path}` : ' content')}`
    case 'newsletter':
      return `${points} signed up for the newsletter`
    case 'webinar':
      return `${points} registered for webinar${quoted}`
    case 'intentForm': {
      const words = (reason.form && INTENT_WORDS[reason.form]) ?? 'sent an intent form'
      return `${points} ${words}${reason.label ? ` (${quoted.trim()})` : ''}`
    }
  }
}

function formatPoints(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1)
}

/**
 * Human-readable engagement reasons, newest first: one line per form,
 * download, return visit and day of page views, then the points of reasons
 * folded away, then how much the half-life has taken off. The lines add up
 * to the engagement score at `now` (to a tenth).
 */
export function describeEngagement(
  state: EngagementState,
  now: Date,
  rules: ResolvedRules,
): string[] {
  const lines = state.reasons
    .map((reason, index) => ({ reason, index }))
    .sort((a, b) => b.reason.day.localeCompare(a.reason.day) || b.index - a.index)
    .map(({ reason }) => describeReason(reason))
  if (state.earlier > 0) lines.push(`+${formatPoints(state.earlier)} earlier touchpoints`)
  const aged = state.total - engagementAt(state, now, rules)
  if (aged >= 0.05) {
    lines.push(
      `-${aged.toFixed(1)} older touchpoints count less (half-life ${rules.halfLifeDays} days)`,
    )
  }
  return lines
}
