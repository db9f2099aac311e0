import { z } from 'zod'
// Type-only imports: `site.ts` and `form.ts` import this module, so runtime
// imports from them would form a cycle. The literal lists below are checked
// against their types instead.
import type { FormKind } from './form'
import type { Stage } from './site'

/**
 * A site's qualification settings (docs/stages-and-scoring.md#site-settings): thresholds, points,
 * daily caps, decay, pricing pages, decision-maker titles, temperature windows and, optionally, its
 * own stage rules. Every setting has a default; a site names only what it overrides, and
 * `resolveRules` fills in the rest.
 */

const FORM_KIND_VALUES = [
  'whitepaper',
  'ebook',
  'checklist',
  'newsletter',
  'webinar',
  'demo_request',
  'quote_request',
  'contact_sales',
  'survey',
] as const satisfies readonly FormKind[]
// Fails to compile when `form.ts` gains a kind this list lacks.
const FORM_KINDS_COMPLETE: Exclude<FormKind, (typeof FORM_KIND_VALUES)[number]> extends never
  ? true
  : false = true
void FORM_KINDS_COMPLETE

/** Forms that show buying intent (rule `b2b.sql`: docs/stages-and-scoring.md#default-rules). */
export const INTENT_FORM_KINDS = ['demo_request', 'quote_request', 'contact_sales'] as const
/** Forms that hand out content (docs/stages-and-scoring.md#engagement-score). */
export const CONTENT_FORM_KINDS = ['whitepaper', 'ebook', 'checklist'] as const

/** Stages that rules may move a lead from and to; the rest are set by people. */
export const B2B_RULE_STAGES = ['lead', 'mql', 'sql'] as const satisfies readonly Stage[]
export const B2C_RULE_STAGES = [
  'prospect',
  'engaged',
  'interested',
  'need_recognized',
] as const satisfies readonly Stage[]

const count = (max: number) => z.number().int().min(0).max(max)

/** Points per touchpoint or fact. Integers, so reasons read `+10`, not `+9.999`. */
export const PointsSchema = z
  .object({
    /** A page view (not a pricing page). */
    pageView: count(1000),
    /** A visit on another day than any before. */
    returnVisit: count(1000),
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
  })
  .partial()
  .strict()
export type Points = z.infer<typeof PointsSchema>

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
    .object({ formKinds: z.array(z.enum(FORM_KIND_VALUES)).min(1).max(FORM_KIND_VALUES.length) })
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
    /** Replaces the default decision-maker titles (see `DEFAULT_DECISION_MAKER_TITLES`). */
    decisionMakerTitles: z.array(TitlePatternSchema).max(200).optional(),
    /** A stated timeline within this many months earns the timeline points. */
    timelineMonths: z.number().int().min(1).max(36).optional(),
    /** Hot: an intent form or pricing view within this many days. */
    hotWindowDays: z.number().int().min(1).max(365).optional(),
    /** Warm: any own interaction within this many days. */
    warmWindowDays: z.number().int().min(1).max(365).optional(),
    stageRules: StageRulesSchema.optional(),
  })
  .strict()
export type Rules = z.infer<typeof RulesSchema>

/** Default points (docs/stages-and-scoring.md#score). */
export const DEFAULT_POINTS: Required<Points> = {
  pageView: 1,
  returnVisit: 3,
  content: 10,
  newsletter: 5,
  webinar: 15,
  pricingView: 5,
  intentForm: 30,
  decisionMaker: 20,
  businessEmail: 10,
  company: 5,
  phone: 5,
  budget: 15,
  timeline: 10,
}

/**
 * Default daily caps (docs/stages-and-scoring.md#daily-caps): every kind counts
 * a bounded number of times a day, so reloading a page inflates nothing; the
 * form kinds get small caps too.
 */
export const DEFAULT_DAILY_CAPS: Required<DailyCaps> = {
  pageView: 10,
  pricingView: 3,
  content: 3,
  newsletter: 1,
  webinar: 2,
  intentForm: 1,
}

export const DEFAULT_PRICING_PATHS = ['/pricing', '/preise', '/kosten', '/angebot'] as const

/**
 * Decision-maker titles in German and English (docs/stages-and-scoring.md#fit-score), as
 * `TitlePatternSchema` patterns.
 */
// prettier-ignore
export const DEFAULT_DECISION_MAKER_TITLES = [
  // English
  'CEO', 'CTO', 'CFO', 'CMO', 'COO', 'CIO', 'CRO', 'CPO', 'CSO', 'CDO', 'CISO', 'Chief',
  'Founder', 'Co-Founder', 'Cofounder', 'Owner', 'Co-Owner', 'President', 'Vice President',
  'VP', 'SVP', 'EVP', 'Managing Director', 'Managing Partner', 'General Manager', 'Partner',
  'Director', 'Head of', 'Board Member',
  // German; `*` covers compounds such as Vertriebsleiterin or Verkaufsdirektor
  'Geschäftsführer', 'Geschäftsführerin', 'Geschäftsführung', 'Geschäftsführend*',
  'Geschäftsleitung', 'Inhaber', 'Inhaberin', '*inhaber', '*inhaberin', 'Eigentümer',
  'Eigentümerin', 'Gründer', 'Gründerin', 'Mitgründer*', 'Mitbegründer*', 'Vorstand',
  'Vorständin', 'Vorstands*', 'Prokurist', 'Prokuristin', 'Leiter', 'Leiterin', '*leiter',
  '*leiterin', 'Leitung', 'Direktor', 'Direktorin', '*direktor', '*direktorin',
  'Gesellschafter', 'Gesellschafterin', 'Unternehmer', 'Unternehmerin',
] as const

/**
 * The built-in stage rules, as data (docs/stages-and-scoring.md#default-rules). Conditions read as
 * "all of …, any of …".
 */
export const DEFAULT_STAGE_RULES: { b2b: StageRule[]; b2c: StageRule[] } = {
  b2b: [
    {
      id: 'b2b.mql',
      from: ['lead'],
      to: 'mql',
      when: { all: [{ fact: 'complete' }, { metric: 'engagement', atLeast: 'mqlThreshold' }] },
    },
    {
      id: 'b2b.sql',
      from: ['mql'],
      to: 'sql',
      when: {
        all: [{ metric: 'fit', atLeast: 'sqlThreshold' }],
        any: [
          { formKinds: [...INTENT_FORM_KINDS] },
          { metric: 'pricingViews', atLeast: 'repeatedPricingViews' },
        ],
      },
    },
  ],
  b2c: [
    {
      // Got in touch for more information: a second form, a webinar or a
      // request, or sustained engagement. One newsletter signup or one
      // download is the answer that made the prospect, not yet more.
      id: 'b2c.engaged',
      from: ['prospect'],
      to: 'engaged',
      when: {
        all: [{ fact: 'complete' }],
        any: [
          { metric: 'forms', atLeast: 2 },
          { formKinds: ['webinar', ...INTENT_FORM_KINDS] },
          { metric: 'engagement', atLeast: 'mqlThreshold' },
        ],
      },
    },
    {
      id: 'b2c.interested',
      from: ['engaged'],
      to: 'interested',
      when: {
        any: [
          { formKinds: [...INTENT_FORM_KINDS] },
          { metric: 'pricingViews', atLeast: 'repeatedPricingViews' },
        ],
      },
    },
    {
      // Sees that the product meets a need: said what it may cost or when.
      id: 'b2c.need_recognized',
      from: ['interested'],
      to: 'need_recognized',
      when: { any: [{ fact: 'budgetStated' }, { fact: 'timelineSoon' }] },
    },
  ],
}

/** Every setting filled in: what the qualification functions work with. */
export interface ResolvedRules {
  mqlThreshold: number
  sqlThreshold: number
  points: Required<Points>
  dailyCaps: Required<DailyCaps>
  halfLifeDays: number
  pricingPaths: readonly string[]
  repeatedPricingViews: number
  decisionMakerTitles: readonly string[]
  timelineMonths: number
  hotWindowDays: number
  warmWindowDays: number
  stageRules: { b2b: readonly StageRule[]; b2c: readonly StageRule[] }
}

export const DEFAULT_RULES: ResolvedRules = {
  mqlThreshold: 25,
  sqlThreshold: 30,
  points: DEFAULT_POINTS,
  dailyCaps: DEFAULT_DAILY_CAPS,
  halfLifeDays: 30,
  pricingPaths: DEFAULT_PRICING_PATHS,
  repeatedPricingViews: 3,
  decisionMakerTitles: DEFAULT_DECISION_MAKER_TITLES,
  timelineMonths: 3,
  hotWindowDays: 14,
  warmWindowDays: 30,
  stageRules: DEFAULT_STAGE_RULES,
}

/**
 * Fills a site's (already validated) settings with the defaults. Points and
 * caps merge key by key; lists (pricing paths, titles, a model's stage
 * rules) replace the default list whole.
 */
export function resolveRules(rules: Rules = {}): ResolvedRules {
  return {
    mqlThreshold: rules.mqlThreshold ?? DEFAULT_RULES.mqlThreshold,
    sqlThreshold: rules.sqlThreshold ?? DEFAULT_RULES.sqlThreshold,
    points: { ...DEFAULT_POINTS, ...rules.points },
    dailyCaps: { ...DEFAULT_DAILY_CAPS, ...rules.dailyCaps },
    halfLifeDays: rules.halfLifeDays ?? DEFAULT_RULES.halfLifeDays,
    pricingPaths: rules.pricingPaths ?? DEFAULT_RULES.pricingPaths,
    repeatedPricingViews: rules.repeatedPricingViews ?? DEFAULT_RULES.repeatedPricingViews,
    decisionMakerTitles: rules.decisionMakerTitles ?? DEFAULT_RULES.decisionMakerTitles,
    timelineMonths: rules.timelineMonths ?? DEFAULT_RULES.timelineMonths,
    hotWindowDays: rules.hotWindowDays ?? DEFAULT_RULES.hotWindowDays,
    warmWindowDays: rules.warmWindowDays ?? DEFAULT_RULES.warmWindowDays,
    stageRules: {
      b2b: rules.stageRules?.b2b ?? DEFAULT_STAGE_RULES.b2b,
      b2c: rules.stageRules?.b2c ?? DEFAULT_STAGE_RULES.b2c,
    },
  }
}
