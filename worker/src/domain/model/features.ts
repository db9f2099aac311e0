import { isFreemailDomain } from '../qualify/freemail'

/**
 * The features of the learned score (docs/stages-and-scoring.md#learned-score): what a lead's
 * record and touchpoints hold, as a sparse map of feature name to value. Pure; the database side
 * (worker/src/db/model-facts.ts) gathers the facts.
 */

/** What the model may know of one lead: website-visible behaviour and its answers, no contact data. */
export interface LeadFacts {
  /** The lead's record: its standard columns and its `fields` JSON (normalised values). */
  record: Record<string, string | number | boolean>
  emailDomain: string | null
  firstSource: string | null
  firstMedium: string | null
  /** Sum of `engaged_time` touchpoint values, in seconds. */
  engagedSeconds: number
  /** Distinct UTC days with a touchpoint. */
  visitDays: number
  pageViews: number
  pricingViews: number
  downloads: number
  /** One entry per submission: its form id and the form's kind (null when the form is gone). */
  submissions: { formId: string; kind: string | null }[]
  /** The latest ledger status per consent purpose. */
  consents: Record<string, string>
}

/**
 * Fields whose values the model never reads, only whether they were given: contact data and
 * free text, so no personal value can become a feature or a reason.
 */
const NEVER_ANSWERS = new Set([
  'email',
  'firstName',
  'lastName',
  'company',
  'jobTitle',
  'phone',
  'website',
  'message',
])

/** Numeric features, in this order; each `log1p` of a count (or of seconds), then standardised. */
export const NUMERIC_FEATURES = [
  'engaged',
  'visit_days',
  'page_views',
  'pricing_views',
  'forms',
  'downloads',
] as const
export type NumericFeature = (typeof NUMERIC_FEATURES)[number]

/** A sparse feature map: name → value (binary features are 1, absent ones left out). */
export type FeatureMap = Map<string, number>

const MAX_ANSWER_LENGTH = 40
const YES_NO = /^(yes|no|ja|nein|true|false|y|n)$/i

/** A lower-cased, trimmed, bounded category (source, medium, answer). */
function category(value: string): string {
  return value.trim().toLowerCase().slice(0, MAX_ANSWER_LENGTH)
}

/**
 * The lead's features. `categorical` names the fields whose answers are categories (select
 * options and checkboxes of the site's forms); booleans and yes/no answers count as categories
 * in any field. Values longer than 40 characters never become a category.
 */
export function leadFeatures(facts: LeadFacts, categorical: ReadonlySet<string>): FeatureMap {
  const features: FeatureMap = new Map()
  const numeric: Record<NumericFeature, number> = {
    engaged: facts.engagedSeconds,
    visit_days: facts.visitDays,
    page_views: facts.pageViews,
    pricing_views: facts.pricingViews,
    forms: facts.submissions.length,
    downloads: facts.downloads,
  }
  for (const name of NUMERIC_FEATURES) features.set(name, Math.log1p(Math.max(0, numeric[name])))
  for (const { formId, kind } of facts.submissions) {
    features.set(`form:${formId}`, 1)
    if (kind) features.set(`form_kind:${kind}`, 1)
  }
  if (facts.firstSource) features.set(`source:${category(facts.firstSource)}`, 1)
  if (facts.firstMedium) features.set(`medium:${category(facts.firstMedium)}`, 1)
  if (facts.emailDomain && !isFreemailDomain(facts.emailDomain)) features.set('business_email', 1)
  for (const [field, value] of Object.entries(facts.record)) {
    if (value === '' || value === false || value === null || value === undefined) continue
    features.set(`filled:${field}`, 1)
    if (NEVER_ANSWERS.has(field)) continue
    const text = typeof value === 'string' ? value : String(value)
    const isCategory =
      typeof value === 'boolean' ||
      YES_NO.test(text.trim()) ||
      (categorical.has(field) && text.length <= MAX_ANSWER_LENGTH)
    if (isCategory) features.set(`answer:${field}=${category(text)}`, 1)
  }
  for (const [purpose, status] of Object.entries(facts.consents)) {
    if (status === 'granted' || status === 'confirmed') features.set(`consent:${purpose}`, 1)
  }
  return features
}

/** How the features become a vector: the vocabulary and the training set's standardisation. */
export interface FeatureSpace {
  /** Feature names, index = position in the weight vector. */
  names: string[]
  /** Training mean of every feature (binary ones too: readable factors are measured from it). */
  mean: number[]
  /** Training standard deviation of the numeric features (1 for binary ones). */
  sd: number[]
}

/** A sparse vector: indices into the feature space and their (standardised) values. */
export interface SparseVector {
  index: Int32Array
  value: Float64Array
}

/**
 * The feature space of a training set: every numeric feature, and every binary feature seen in
 * at least `minCount` leads, the most frequent first, at most `maxFeatures` in all (ties by name,
 * so the space is deterministic).
 */
export function buildFeatureSpace(
  maps: readonly FeatureMap[],
  { minCount = 5, maxFeatures = 500 } = {},
): FeatureSpace {
  const counts = new Map<string, number>()
  for (const map of maps) {
    for (const name of map.keys()) counts.set(name, (counts.get(name) ?? 0) + 1)
  }
  const numeric = new Set<string>(NUMERIC_FEATURES)
  const binary = [...counts]
    .filter(([name, count]) => !numeric.has(name) && count >= minCount)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, Math.max(0, maxFeatures - NUMERIC_FEATURES.length))
    .map(([name]) => name)
  const names = [...NUMERIC_FEATURES, ...binary]
  const n = Math.max(1, maps.length)
  const mean = names.map((name) => maps.reduce((sum, map) => sum + (map.get(name) ?? 0), 0) / n)
  const sd = names.map((name, i) => {
    if (!numeric.has(name)) return 1
    const m = mean[i]!
    const variance = maps.reduce((sum, map) => sum + ((map.get(name) ?? 0) - m) ** 2, 0) / n
    return variance > 1e-12 ? Math.sqrt(variance) : 1
  })
  return { names, mean, sd }
}

/**
 * A lead's vector in the space: numeric features standardised (so a lead with none has a
 * non-zero value there), binary ones 1 where present; features outside the vocabulary dropped.
 */
export function vectorize(
  map: FeatureMap,
  space: FeatureSpace,
  lookup?: Map<string, number>,
): SparseVector {
  const position = lookup ?? indexOf(space)
  const index: number[] = []
  const value: number[] = []
  for (let i = 0; i < NUMERIC_FEATURES.length && i < space.names.length; i++) {
    const raw = map.get(space.names[i]!) ?? 0
    index.push(i)
    value.push((raw - space.mean[i]!) / space.sd[i]!)
  }
  for (const [name, raw] of map) {
    const at = position.get(name)
    if (at === undefined || at < NUMERIC_FEATURES.length) continue
    index.push(at)
    value.push(raw)
  }
  return { index: Int32Array.from(index), value: Float64Array.from(value) }
}

/** Name → position, for vectorising many leads. */
export function indexOf(space: FeatureSpace): Map<string, number> {
  return new Map(space.names.map((name, i) => [name, i]))
}
