import type { FormKind } from '../../../../../shared/vocabulary'
import type { EventType } from '../../../../../shared/events'
import { FORM_KIND_SCORES } from '../form-kinds'
import type { ResolvedRules } from '../rules'
import { foldText, quoteValue } from '../text'
import { isPricingPath } from './paths'
import {
  MAX_ENGAGEMENT_REASONS,
  MAX_FORM_IDS,
  MAX_KEYS_PER_DAY,
  STATE_DAYS,
  type CappedKind,
  type DIMINISHING_KINDS,
  type EngagementReason,
  type EngagementState,
  type ScoreKind,
  type TouchpointScoreKind,
} from './state'

const DAY_MS = 86_400_000
const MAX_LABEL = 80
/** Engaged time counted per UTC day: a tab left open and fiddled with all day earns no more. */
export const MAX_ENGAGED_SECONDS_PER_DAY = 4 * 3600

/** One recorded interaction, as the worker hands it over (from `touchpoints` rows or a submission). */
export interface Touchpoint {
  type: EventType
  /** ISO 8601 time the touchpoint happened. */
  at: string
  /** The URL path (`/pricing`); a query or fragment is ignored. */
  path: string
  /** The kind of the form submitted, viewed or downloaded from, if any. */
  formKind?: FormKind
  /** The id of the form submitted, for rules about one form (`fitRules`). */
  formId?: string
  /** Seconds of engaged time (an `engaged_time` touchpoint). */
  seconds?: number
  /**
   * The form's or asset's title, shown in reasons (`+10 downloaded 'Whitepaper 2026'`).
   * Pass the same title for a gated form's submission and its download, so
   * the two count as one piece of content.
   */
  title?: string
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
    case 'engaged_time':
      return touchpoint.seconds ? 'engagedTime' : null
    case 'form_submit':
      return formScoreKind(touchpoint.formKind)
    default:
      return null
  }
}

function formScoreKind(kind: FormKind | undefined): TouchpointScoreKind | null {
  return kind === undefined ? null : FORM_KIND_SCORES[kind]
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
    state.score = Math.max(0, round6(points))
    state.ref = new Date(time).toISOString()
  } else if (dayNumber(time) >= dayNumber(ref)) {
    state.score = Math.max(
      0,
      round6(state.score * decayFactor(dayNumber(time) - dayNumber(ref), rules) + points),
    )
    if (time > ref) state.ref = new Date(time).toISOString()
  } else {
    // A late touchpoint: its points have already aged by the day of `ref`.
    // A re-dated diminishing kind may take points back from a later day (`addDiminishing`).
    state.score = Math.max(
      0,
      round6(state.score + points * decayFactor(dayNumber(ref) - dayNumber(time), rules)),
    )
  }
  state.total += points
}

/** Views of a page and engaged time aggregate into one reason per day; forms get one each. */
const AGGREGATED: readonly ScoreKind[] = ['pageView', 'pricingView', 'engagedTime']

/**
 * What `amount` of a kind is worth in all: `points × log2(1 + amount)`, rounded to whole points,
 * so the first page view, return or minute counts most and each doubling adds the same again
 * (docs/stages-and-scoring.md#diminishing-returns).
 */
export function diminishing(points: number, amount: number): number {
  return amount <= 0 ? 0 : Math.round(points * Math.log2(1 + amount))
}

/** The points of going from `before` to `after` of a kind worth less the more there is. */
const growth = (points: number, before: number, after: number) =>
  diminishing(points, after) - diminishing(points, before)

type DiminishingKind = (typeof DIMINISHING_KINDS)[number]

/** How much of a diminishing kind a kept day holds: page views, a return, engaged minutes. */
function dayAmount(state: EngagementState, kind: DiminishingKind, day: string): number {
  const tally = state.days[day]
  if (!tally) return 0
  if (kind === 'pageView') return tally.n.pageView ?? 0
  if (kind === 'engagedTime') return (tally.n.engagedTime ?? 0) / 60
  return day === state.firstDay ? 0 : 1
}

/**
 * Scores `amount` more of a diminishing kind on `day`, `counter` being the kind's amount ever with
 * it, and returns that day's points. The first of a kind in time earns the most, whatever order
 * touchpoints arrive in: when one arrives for a day before others already scored, the later kept
 * days earn what they would have in time order, so the decayed score is the same either way.
 */
function addDiminishing(
  state: EngagementState,
  kind: DiminishingKind,
  day: string,
  amount: number,
  counter: number,
  rules: ResolvedRules,
): number {
  const points = rules.points[kind]
  const later = Object.keys(state.days)
    .filter((other) => other > day)
    .sort()
    .map((other) => ({ day: other, amount: dayAmount(state, kind, other) }))
    .filter((other) => other.amount > 0)
  const laterAmount = later.reduce((total, other) => total + other.amount, 0)
  let before = Math.max(0, counter - amount - laterAmount)
  const own = growth(points, before, before + amount)
  before += amount
  for (const other of later) {
    const moved =
      growth(points, before, before + other.amount) -
      growth(points, before - amount, before - amount + other.amount)
    before += other.amount
    if (moved === 0) continue
    addDecayed(state, moved, Date.parse(state.days[other.day]!.t), rules)
    const reason = state.reasons.find((item) => item.day === other.day && item.kind === kind)
    if (reason) reason.points = Math.max(0, reason.points + moved)
    else state.earlier = Math.max(0, state.earlier + moved)
  }
  return own
}

function addReason(state: EngagementState, reason: EngagementReason) {
  if (AGGREGATED.includes(reason.kind)) {
    const same = state.reasons.find((item) => item.day === reason.day && item.kind === reason.kind)
    if (same) {
      same.seen = (same.seen ?? same.count) + (reason.seen ?? reason.count)
      same.points += reason.points
      same.count += reason.count
      if (reason.seconds !== undefined) same.seconds = (same.seconds ?? 0) + reason.seconds
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
 * (docs/stages-and-scoring.md#engagement-score): daily caps per kind, one return visit per new day, the same form
 * or download once a day, points decayed by the half-life. Returns a new
 * state; the input is not changed. Touchpoints for days older than the kept
 * tallies are ignored, as are those with an unreadable time.
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
    if (formerFirst !== null) state.returns += 1
    // Coming back on another day is engagement of its own
    // (docs/stages-and-scoring.md#engagement-score). When a
    // late touchpoint turns out to be from the first day, the former first
    // day is the return, so the points are dated as in time order.
    const late = formerFirst !== null && day < formerFirst
    const returnDay = late ? formerFirst : day
    const returnPoints =
      formerFirst === null
        ? 0
        : addDiminishing(state, 'returnVisit', returnDay, 1, state.returns, rules)
    if (formerFirst !== null && returnPoints > 0) {
      const returnAt = late
        ? Date.parse(state.days[formerFirst]?.t ?? `${formerFirst}T00:00:00Z`)
        : at
      addDecayed(state, returnPoints, returnAt, rules)
      addReason(state, { day: returnDay, kind: 'returnVisit', points: returnPoints, count: 1 })
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
  const formId = touchpoint.type === 'form_submit' ? touchpoint.formId : undefined
  if (formId && !state.formIds.includes(formId) && state.formIds.length < MAX_FORM_IDS)
    state.formIds.push(formId)

  const kind = scoreKindOf(touchpoint, rules)
  if (kind === null) return
  if (kind === 'intentForm') state.lastIntentAt = laterOf(state.lastIntentAt, at)
  if (kind === 'pricingView') state.lastPricingAt = laterOf(state.lastPricingAt, at)

  const aggregated = AGGREGATED.includes(kind)
  // A gated form's submission and its download are one piece of content.
  if (!aggregated && !remember(dedupeKey(kind, touchpoint))) return

  if (kind === 'engagedTime') return scoreEngagedTime(state, touchpoint, at, day, rules)
  const counted = tally.n[kind] ?? 0
  if (counted >= rules.dailyCaps[kind as CappedKind]) {
    if (aggregated) noteCapped(state, day, kind)
    return
  }
  tally.n[kind] = counted + 1
  if (kind === 'pricingView') state.pricingViews += 1
  if (kind === 'pageView') state.pageViews += 1

  const points =
    kind === 'pageView'
      ? addDiminishing(state, 'pageView', day, 1, state.pageViews, rules)
      : rules.points[kind]
  // A page view past the first few may be worth nothing more, but still shows in its day's line.
  if (points <= 0 && !(kind === 'pageView' && rules.points.pageView > 0)) return
  if (points > 0) addDecayed(state, points, at, rules)
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
 * Engaged time: the day's seconds up to `MAX_ENGAGED_SECONDS_PER_DAY`, worth the growth of
 * `points.engagedTime × log2(1 + minutes)` over all the lead's engaged minutes.
 */
function scoreEngagedTime(
  state: EngagementState,
  touchpoint: Touchpoint,
  at: number,
  day: string,
  rules: ResolvedRules,
) {
  const tally = state.days[day]!
  const before = tally.n.engagedTime ?? 0
  const seconds = Math.max(
    0,
    Math.min(Math.floor(touchpoint.seconds ?? 0), MAX_ENGAGED_SECONDS_PER_DAY - before),
  )
  if (seconds === 0) return
  tally.n.engagedTime = before + seconds
  const total = state.engagedSeconds
  state.engagedSeconds = total + seconds
  if (rules.points.engagedTime <= 0) return
  const points = addDiminishing(
    state,
    'engagedTime',
    day,
    seconds / 60,
    state.engagedSeconds / 60,
    rules,
  )
  if (points > 0) addDecayed(state, points, at, rules)
  addReason(state, { day, kind: 'engagedTime', points, count: 1, seconds })
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
