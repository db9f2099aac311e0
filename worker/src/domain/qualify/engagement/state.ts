import { z } from 'zod'
import type { DailyCaps } from '../../../../../shared/rules'
import { FORM_KINDS } from '../../../../../shared/vocabulary'

/**
 * A lead's engagement state: what the events endpoint needs to score new
 * touchpoints without reading the lead's history again, stored as JSON in
 * `leads.score_state`, and how it is read and written.
 */

/** What a touchpoint can earn points for; the keys of `points` and `dailyCaps`. */
export const SCORE_KINDS = [
  'pageView',
  'engagedTime',
  'pricingView',
  'returnVisit',
  'content',
  'newsletter',
  'webinar',
  'intentForm',
] as const
export type ScoreKind = (typeof SCORE_KINDS)[number]
/** Kinds a touchpoint scores as directly; a return visit comes from the day, not one touchpoint. */
export type TouchpointScoreKind = Exclude<ScoreKind, 'returnVisit'>
/** Kinds counted a bounded number of times a day. */
export type CappedKind = TouchpointScoreKind & keyof DailyCaps
/**
 * Kinds worth less the more there are (docs/stages-and-scoring.md#diminishing-returns): their
 * points are the growth of `points × log2(1 + amount)`, the amount being page views, return visits
 * or engaged minutes, ever.
 */
export const DIMINISHING_KINDS = ['pageView', 'returnVisit', 'engagedTime'] as const
/** Forms remembered by id, for rules that give a form's leads points of their own. */
export const MAX_FORM_IDS = 50

/**
 * Days of per-day tallies kept. Older days live on only in the decayed score
 * (after 90 days at the default half-life a point is worth an eighth), and a
 * touchpoint arriving for a day already dropped is ignored.
 */
export const STATE_DAYS = 90
/** Engagement reasons kept; older ones fold into one "earlier touchpoints" line. */
export const MAX_ENGAGEMENT_REASONS = 50
/** Distinct forms and downloads remembered per day for de-duplication. */
export const MAX_KEYS_PER_DAY = 50

const ISO_DAY = z.string().regex(/^\d{4}-\d{2}-\d{2}$/)
const FORM_KIND = z.enum(FORM_KINDS)

const EngagementReasonSchema = z.object({
  day: ISO_DAY,
  kind: z.enum(SCORE_KINDS),
  points: z.number().min(0),
  /** Touchpoints that earned the points. */
  count: z.number().int().min(0),
  /** Engaged seconds of the day, for `engagedTime`. */
  seconds: z.number().int().min(0).optional(),
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
  /** Page views that counted (within the daily cap), ever; a state stored before counts none. */
  pageViews: z.number().int().min(0).default(0),
  /** Return visits (days after the first), ever, as scored. */
  returns: z.number().int().min(0).default(0),
  /** Engaged seconds, ever (`engaged_time` touchpoints). */
  engagedSeconds: z.number().int().min(0).default(0),
  /** Ids of the forms submitted, at most `MAX_FORM_IDS`. */
  formIds: z.array(z.string().max(64)).max(MAX_FORM_IDS).default([]),
  /** Asked for marketing email with a submission, ever (a fact of fit, kept here with the rest). */
  optIn: z.boolean().default(false),
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
    pageViews: 0,
    returns: 0,
    engagedSeconds: 0,
    formIds: [],
    optIn: false,
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
