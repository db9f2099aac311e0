import type { DailyCaps, FitRule, Points, Rules, StageRule } from '../../../../shared/rules'
import type { StageModel } from '../../../../shared/site'
import { INTENT_FORM_KINDS } from './form-kinds'

/**
 * The defaults of a site's qualification settings, and `resolveRules`, which
 * fills a site's own settings (`RulesSchema` in `shared/rules.ts`) with them.
 */

/** Default points (docs/stages-and-scoring.md#score). */
export const DEFAULT_POINTS: Required<Points> = {
  pageView: 2,
  returnVisit: 2,
  engagedTime: 10,
  content: 8,
  newsletter: 4,
  webinar: 10,
  pricingView: 5,
  intentForm: 15,
  decisionMaker: 20,
  businessEmail: 10,
  company: 5,
  phone: 5,
  budget: 15,
  timeline: 10,
  answers: 5,
  optIn: 6,
}

/**
 * The b2c model's points: a consumer has no job title or company to judge, and a freemail
 * address is the rule, so fit counts what a consumer tells and allows instead.
 */
export const DEFAULT_B2C_POINTS: Required<Points> = {
  ...DEFAULT_POINTS,
  decisionMaker: 0,
  businessEmail: 0,
  company: 0,
  phone: 8,
  budget: 10,
  timeline: 10,
  answers: 5,
  optIn: 8,
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

/** The built-in stage rules, as data (docs/stages-and-scoring.md#default-rules). Conditions read as "all of …, any of …". */
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
      // Asked for an offer or kept to the prices, and engaged beyond the one visit's request.
      id: 'b2c.interested',
      from: ['engaged'],
      to: 'interested',
      when: {
        all: [{ metric: 'engagement', atLeast: 'mqlThreshold' }],
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
  hotThreshold: number
  fitRules: readonly FitRule[]
  stageRules: { b2b: readonly StageRule[]; b2c: readonly StageRule[] }
}

export const DEFAULT_RULES: ResolvedRules = {
  mqlThreshold: 28,
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
  hotThreshold: 28,
  fitRules: [],
  stageRules: DEFAULT_STAGE_RULES,
}

/**
 * Fills a site's (already validated) settings with the defaults. Points and
 * caps merge key by key; lists (pricing paths, titles, a model's stage
 * rules) replace the default list whole.
 */
export function resolveRules(rules: Rules = {}, model: StageModel = 'b2b'): ResolvedRules {
  return {
    mqlThreshold: rules.mqlThreshold ?? DEFAULT_RULES.mqlThreshold,
    sqlThreshold: rules.sqlThreshold ?? DEFAULT_RULES.sqlThreshold,
    points: { ...(model === 'b2c' ? DEFAULT_B2C_POINTS : DEFAULT_POINTS), ...rules.points },
    dailyCaps: { ...DEFAULT_DAILY_CAPS, ...rules.dailyCaps },
    halfLifeDays: rules.halfLifeDays ?? DEFAULT_RULES.halfLifeDays,
    pricingPaths: rules.pricingPaths ?? DEFAULT_RULES.pricingPaths,
    repeatedPricingViews: rules.repeatedPricingViews ?? DEFAULT_RULES.repeatedPricingViews,
    decisionMakerTitles: rules.decisionMakerTitles ?? DEFAULT_RULES.decisionMakerTitles,
    timelineMonths: rules.timelineMonths ?? DEFAULT_RULES.timelineMonths,
    hotWindowDays: rules.hotWindowDays ?? DEFAULT_RULES.hotWindowDays,
    warmWindowDays: rules.warmWindowDays ?? DEFAULT_RULES.warmWindowDays,
    hotThreshold: rules.hotThreshold ?? DEFAULT_RULES.hotThreshold,
    fitRules: rules.fitRules ?? DEFAULT_RULES.fitRules,
    stageRules: {
      b2b: rules.stageRules?.b2b ?? DEFAULT_STAGE_RULES.b2b,
      b2c: rules.stageRules?.b2c ?? DEFAULT_STAGE_RULES.b2c,
    },
  }
}
