import { z } from 'zod'
import { B2B_RULE_STAGES, B2C_RULE_STAGES, FORM_KINDS, type Stage } from './vocabulary'

/**
 * A site's qualification settings (docs/stages-and-scoring.md#site-settings): thresholds, points,
 * daily caps, decay, pricing pages, decision-maker titles, temperature windows and, optionally, its
 * own stage rules. Every setting has a default; a site names only what it overrides, and the
 * worker fills in the rest (`resolveRules` in `worker/src/domain/qualify/rules.ts`).
 */

const count = (max: number) => z.number().int().min(0).max(max)

/**
 * Points per touchpoint or fact. Integers, so reasons read `+10`, not `+9.999`. Page views,
 * return visits and engaged time are worth less the more there are: `n` of them earn
 * `points × log2(1 + n)` in all (docs/stages-and-scoring.md#diminishing-returns).
 */
export const PointsSchema = z
  .object({
    /** Page views (not pricing pages): 1 earns this, 3 twice this, 7 three times. */
    pageView: count(1000),
    /** Visits on another day than any before, diminishing like page views. */
    returnVisit: count(1000),
    /** Engaged minutes (`engaged_time`), diminishing: 1 minute earns this, 3 twice, 7 thrice. */
    engagedTime: count(1000),
    /** A content download or content form (whitepaper, e-book, checklist). */
    content: count(1000),
    newsletter: count(1000),
    webinar: count(1000),
    /** A view of a page matching `pricingPaths`. */
    pricingView: count(1000),
    /** A `demo_request`, `quote_request` or `contact_sales` form. */
    intentForm: count(1000),
    decisionMaker: count(1000),
    businessEmail: count(1000),
    company: count(1000),
    phone: count(1000),
    budget: count(1000),
    timeline: count(1000),
    /** Per question answered beyond email and name, for at most `MAX_COUNTED_ANSWERS`. */
    answers: count(1000),
    /** Asked for marketing email (granted or awaiting double opt-in) with a submission. */
    optIn: count(1000),
  })
  .partial()
  .strict()
export type Points = z.infer<typeof PointsSchema>

/** Questions beyond email and name counted for `points.answers`. */
export const MAX_COUNTED_ANSWERS = 4

const FIELD_NAME = z
  .string()
  .regex(
    /^[a-zA-Z][a-zA-Z0-9_]{0,39}$/,
    'a field name: letters, digits and _, starting with a letter',
  )
const MATCH_VALUE = z.string().min(1).max(200)

/**
 * Points (also negative) for what a lead answered, the form it came through, or where it came
 * from (docs/stages-and-scoring.md#fit-rules). Every condition given must hold; they add to fit.
 */
export const FitRuleSchema = z
  .object({
    id: z
      .string()
      .min(1)
      .max(64)
      .regex(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case letters, digits, dots, dashes and underscores'),
    /** The field whose answer counts (`occupation`, `company`, a checkbox's name). */
    field: FIELD_NAME.optional(),
    /**
     * The answer is one of these (case, accents and spaces folded; `true`/`false` for a checkbox
     * or yes/no). Without it, `filled` decides; without either, the field is answered.
     */
    equals: z
      .array(z.union([MATCH_VALUE, z.boolean()]))
      .min(1)
      .max(50)
      .optional(),
    /** `false`: the field was left empty. */
    filled: z.boolean().optional(),
    /** The lead submitted one of these forms (form ids). */
    forms: z
      .array(z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/))
      .min(1)
      .max(50)
      .optional(),
    /** The lead's first touch came from one of these `utm_source`s (case folded). */
    source: z.array(MATCH_VALUE).min(1).max(50).optional(),
    medium: z.array(MATCH_VALUE).min(1).max(50).optional(),
    points: z.number().int().min(-1000).max(1000),
    /** The reason's words instead of the rule's description (`answered occupation: teacher`). */
    label: z.string().min(1).max(100).optional(),
  })
  .strict()
  .refine((rule) => rule.field || rule.forms || rule.source || rule.medium, {
    message: 'needs a field, forms, source or medium',
  })
  .refine((rule) => rule.field || (rule.equals === undefined && rule.filled === undefined), {
    message: '`equals` and `filled` need a `field`',
    path: ['field'],
  })
  .refine((rule) => rule.equals === undefined || rule.filled !== false, {
    message: 'an answer cannot both equal a value and be empty',
    path: ['filled'],
  })
export type FitRule = z.infer<typeof FitRuleSchema>

/** How many touchpoints of one kind earn points on one (UTC) day. */
export const DailyCapsSchema = z
  .object({
    pageView: count(1000),
    pricingView: count(1000),
    content: count(1000),
    newsletter: count(1000),
    webinar: count(1000),
    intentForm: count(1000),
  })
  .partial()
  .strict()
export type DailyCaps = z.infer<typeof DailyCapsSchema>

/**
 * A URL path pattern, matched as whole path segments anywhere in the path,
 * case-insensitively: `/pricing` matches `/pricing`, `/en/pricing` and
 * `/pricing/teams`, not `/pricing-faq`. `*` stands for any characters within
 * one segment (`/preise*` matches `/preise-und-pakete`).
 */
export const PathPatternSchema = z
  .string()
  .max(200)
  .regex(
    /^(\/[A-Za-z0-9._~%*-]+)+\/?$/,
    'a path such as /pricing: segments of letters, digits, . _ ~ % - and *',
  )

/**
 * A job-title pattern, matched case-insensitively as whole words, with
 * umlauts folded (`Geschäftsführer` also matches `Geschaeftsfuehrer`); `*`
 * stands for any letters, for German compounds (`*leiter` matches
 * `Vertriebsleiter`).
 */
export const TitlePatternSchema = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[\p{L}\p{N} .&/'*-]+$/u, "letters, digits, spaces, . & / ' - and *")
  .refine((value) => /[\p{L}\p{N}]/u.test(value), 'must contain a letter or digit')

/** Boolean facts about a lead that a stage rule can test. */
export const RULE_FACTS = [
  'complete',
  'decisionMaker',
  'businessEmail',
  'company',
  'phone',
  'budgetStated',
  'timelineSoon',
] as const
export type RuleFact = (typeof RULE_FACTS)[number]

/** Numbers about a lead that a stage rule can compare. */
export const RULE_METRICS = [
  /** Decayed engagement score now. */
  'engagement',
  'fit',
  /** Engaged minutes, ever. */
  'engagedMinutes',
  /** Page views that counted (after the daily cap), ever. */
  'pageViews',
  /** Pricing-page views that counted (after the daily cap), ever. */
  'pricingViews',
  /** Days with any touchpoint, ever. */
  'visitDays',
  /** Form submissions, ever (the same form twice on one day counts once). */
  'forms',
  'intentForms',
  'contentForms',
] as const
export type RuleMetric = (typeof RULE_METRICS)[number]

/** A metric may be compared with a number or with one of the site's settings. */
export const SETTING_REFS = ['mqlThreshold', 'sqlThreshold', 'repeatedPricingViews'] as const
export type SettingRef = (typeof SETTING_REFS)[number]

/** One test of a stage rule. */
export const RuleTestSchema = z.union([
  z
    .object({ fact: z.enum(RULE_FACTS), is: z.boolean().optional() })
    .strict()
    .describe('a fact is true (or, with `is: false`, false)'),
  z
    .object({
      metric: z.enum(RULE_METRICS),
      atLeast: z.union([z.number().min(0).max(100_000), z.enum(SETTING_REFS)]),
    })
    .strict()
    .describe('a number is at or above a value or setting'),
  z
    .object({ formKinds: z.array(z.enum(FORM_KINDS)).min(1).max(FORM_KINDS.length) })
    .strict()
    .describe('the lead has ever submitted a form of one of these kinds'),
])
export type RuleTest = z.infer<typeof RuleTestSchema>

/**
 * When a rule holds: every test of `all`, and at least one of `any` if given.
 * Two flat lists rather than a nested tree keep the JSON readable and the
 * schema describable in OpenAPI.
 */
export const RuleConditionSchema = z
  .object({
    all: z.array(RuleTestSchema).max(10).optional(),
    any: z.array(RuleTestSchema).max(10).optional(),
  })
  .strict()
  .refine(
    (when) => (when.all?.length ?? 0) + (when.any?.length ?? 0) > 0,
    'needs at least one test',
  )
export type RuleCondition = z.infer<typeof RuleConditionSchema>

const RULE_ID = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case letters, digits, dots, dashes and underscores')

function stageRuleSchema<const S extends readonly [Stage, ...Stage[]]>(stages: S) {
  const stage = z.enum(stages)
  return z
    .object({
      id: RULE_ID,
      /** Stages the rule moves a lead from; by default the stage just before `to`. */
      from: z.array(stage).min(1).max(stages.length).optional(),
      to: stage,
      when: RuleConditionSchema,
    })
    .strict()
    .refine((rule) => stages.indexOf(rule.to) > 0, {
      message: `a rule cannot move a lead to the first stage, ${stages[0]}`,
      path: ['to'],
    })
    .refine(
      (rule) => (rule.from ?? []).every((from) => stages.indexOf(from) < stages.indexOf(rule.to)),
      {
        message: 'rules only move a lead forward: every `from` must come before `to`',
        path: ['from'],
      },
    )
}

const uniqueIds = (rules: { id: string }[]) =>
  new Set(rules.map((rule) => rule.id)).size === rules.length

export const B2bStageRuleSchema = stageRuleSchema(B2B_RULE_STAGES)
export const B2cStageRuleSchema = stageRuleSchema(B2C_RULE_STAGES)
/** A declarative rule that moves a lead forward in its stage model. */
export type StageRule = z.infer<typeof B2bStageRuleSchema> | z.infer<typeof B2cStageRuleSchema>

/** A site's own stage rules; a model's list replaces that model's built-in rules whole. */
export const StageRulesSchema = z
  .object({
    b2b: z.array(B2bStageRuleSchema).min(1).max(20).refine(uniqueIds, 'rule ids must be unique'),
    b2c: z.array(B2cStageRuleSchema).min(1).max(20).refine(uniqueIds, 'rule ids must be unique'),
  })
  .partial()
  .strict()

export const RulesSchema = z
  .object({
    /** Engagement score at or above which a complete lead becomes an MQL. */
    mqlThreshold: z.number().int().min(0).max(10_000).optional(),
    /** Fit score at or above which an MQL with buying intent becomes an SQL. */
    sqlThreshold: z.number().int().min(0).max(10_000).optional(),
    points: PointsSchema.optional(),
    dailyCaps: DailyCapsSchema.optional(),
    /**
     * Engagement halves after this many days: older touchpoints count less
     * (docs/stages-and-scoring.md#decay).
     */
    halfLifeDays: z.number().min(1).max(3650).optional(),
    /** Replaces the default pricing pages; `[]` means the site has none. */
    pricingPaths: z.array(PathPatternSchema).max(50).optional(),
    /** Counted pricing-page views that show buying intent ("repeated pricing-page views"). */
    repeatedPricingViews: z.number().int().min(1).max(100).optional(),
    /** Replaces the default decision-maker titles. */
    decisionMakerTitles: z.array(TitlePatternSchema).max(200).optional(),
    /** A stated timeline within this many months earns the timeline points. */
    timelineMonths: z.number().int().min(1).max(36).optional(),
    /** Hot: an intent form or pricing view within this many days. */
    hotWindowDays: z.number().int().min(1).max(365).optional(),
    /** Warm: any own interaction within this many days. */
    warmWindowDays: z.number().int().min(1).max(365).optional(),
    /** Hot also needs this much engagement: one quick request is not yet a hot lead. */
    hotThreshold: z.number().int().min(0).max(10_000).optional(),
    /** Points for answers, forms and sources; they add to the model's fit points. */
    fitRules: z
      .array(FitRuleSchema)
      .max(100)
      .refine(uniqueIds, 'rule ids must be unique')
      .optional(),
    stageRules: StageRulesSchema.optional(),
  })
  .strict()
export type Rules = z.infer<typeof RulesSchema>
