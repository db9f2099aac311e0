import {
  buildFeatureSpace,
  indexOf,
  leadFeatures,
  NUMERIC_FEATURES,
  vectorize,
  type FeatureSpace,
  type LeadFacts,
} from './features'
import { auc, calibrationError, crossValidate } from './evaluate'
import { fitLogistic, sigmoid } from './logistic'

/**
 * Training and scoring of a site's learned score (docs/stages-and-scoring.md#learned-score). Pure:
 * examples in, a stored model and its figures out; a stored model and a lead in, its probability
 * and readable factors out.
 */

/** Fewer examples of either class than this, and nothing is trained at all. */
export const MIN_EXAMPLES_PER_CLASS = 10
/** The cross-validated AUC must beat the rule score's by this much for the model to be used. */
export const USED_MARGIN = 0.02
const LAMBDA = 0.01

/** A model as `score_models.model` keeps it (JSON). */
export interface StoredModel {
  names: string[]
  mean: number[]
  sd: number[]
  weights: number[]
  bias: number
  /** Fields whose answers are categories, as training saw them. */
  categorical: string[]
}

export interface TrainingExample {
  facts: LeadFacts
  positive: boolean
  /** The rule score (fit + engagement) the list shows. */
  ruleScore: number
}

export interface TrainingResult {
  model: StoredModel
  examples: number
  positives: number
  auc: number
  ruleAuc: number
  calibrationError: number
  used: boolean
}

export type TrainingOutcome =
  { ok: true; result: TrainingResult } | { ok: false; positives: number; negatives: number }

const round = (value: number, digits = 4) =>
  Number.isFinite(value) ? Math.round(value * 10 ** digits) / 10 ** digits : 0.5

/**
 * Trains on the examples: the feature space (vocabulary capped, standardisation), 5-fold
 * cross-validated AUC and calibration, the rule score's AUC on the same leads, and the final model
 * on all of them. Used only with `minPositives` positives and an AUC at least 0.02 above the rules'.
 */
export function trainModel(
  examples: readonly TrainingExample[],
  categorical: ReadonlySet<string>,
  settings: { minPositives: number },
): TrainingOutcome {
  const positives = examples.filter((example) => example.positive).length
  const negatives = examples.length - positives
  if (positives < MIN_EXAMPLES_PER_CLASS || negatives < MIN_EXAMPLES_PER_CLASS)
    return { ok: false, positives, negatives }
  const maps = examples.map((example) => leadFeatures(example.facts, categorical))
  const space = buildFeatureSpace(maps, { minCount: 5, maxFeatures: 500 })
  const lookup = indexOf(space)
  const xs = maps.map((map) => vectorize(map, space, lookup))
  const ys = Float64Array.from(examples, (example) => (example.positive ? 1 : 0))
  const d = space.names.length
  const outOfFold = crossValidate(xs, ys, d, { lambda: LAMBDA })
  const cvAuc = auc(outOfFold, ys)
  const ruleAuc = auc(
    examples.map((example) => example.ruleScore),
    ys,
  )
  const fitted = fitLogistic(xs, ys, d, { lambda: LAMBDA })
  const result: TrainingResult = {
    model: {
      ...space,
      weights: Array.from(fitted.weights, (w) => round(w, 6)),
      bias: round(fitted.bias, 6),
      categorical: [...categorical].sort(),
    },
    examples: examples.length,
    positives,
    auc: round(cvAuc),
    ruleAuc: round(ruleAuc),
    calibrationError: round(calibrationError(outOfFold, ys)),
    used: false,
  }
  result.used = positives >= settings.minPositives && result.auc >= result.ruleAuc + USED_MARGIN
  return { ok: true, result }
}

export interface LeadScore {
  probability: number
  /** The top factors, readable, such as `+0.8 answered occupation: teacher`. */
  factors: string[]
}

const MAX_FACTORS = 5
const MIN_FACTOR = 0.05

const plural = (n: number, one: string, many: string) =>
  n === 0 ? `no ${many}` : `${n} ${n === 1 ? one : many}`

/** How long engaged time reads: seconds below a minute, else minutes. */
function duration(seconds: number): string {
  return seconds < 60 ? `${Math.round(seconds)} s` : `${Math.round(seconds / 60)} min`
}

/** What a numeric feature says of the lead, from its raw count. */
function describeNumeric(name: string, facts: LeadFacts): string {
  switch (name) {
    case 'engaged':
      return `engaged ${duration(facts.engagedSeconds)}`
    case 'visit_days':
      return plural(facts.visitDays, 'visit day', 'visit days')
    case 'page_views':
      return plural(facts.pageViews, 'page view', 'page views')
    case 'pricing_views':
      return plural(facts.pricingViews, 'pricing page view', 'pricing page views')
    case 'forms':
      return plural(facts.submissions.length, 'form submitted', 'forms submitted')
    default:
      return plural(facts.downloads, 'download', 'downloads')
  }
}

const FILLED_WORDS: Record<string, [string, string]> = {
  phone: ['phone given', 'no phone'],
  company: ['company given', 'no company'],
}

/**
 * What a binary feature says, present or absent; `null` for absent categories (a lead that did
 * not answer `teacher` is not told so). Values are the vocabulary's categories only.
 */
function describeBinary(name: string, present: boolean): string | null {
  const [kind, rest = ''] = splitOnce(name, ':')
  if (kind === 'business_email') return present ? 'business email' : 'no business email'
  if (kind === 'filled') {
    const words = FILLED_WORDS[rest]
    if (words) return present ? words[0] : words[1]
    return present ? `answered ${rest}` : `did not answer ${rest}`
  }
  if (kind === 'consent') return present ? `consent to ${rest}` : `no consent to ${rest}`
  if (!present) return null
  if (kind === 'answer') {
    const [field, value = ''] = splitOnce(rest, '=')
    return `answered ${field}: ${value}`
  }
  if (kind === 'form') return `submitted form ${rest}`
  if (kind === 'form_kind') return `submitted a ${rest} form`
  if (kind === 'source') return `came from ${rest}`
  if (kind === 'medium') return `came by ${rest}`
  return null
}

function splitOnce(text: string, separator: string): [string, string?] {
  const at = text.indexOf(separator)
  return at < 0 ? [text] : [text.slice(0, at), text.slice(at + separator.length)]
}

/**
 * A lead's probability under a stored model, and its factors: each feature's contribution to the
 * log odds measured from the training set's average lead (`w · (x − mean)`), the largest 5 by
 * size, signed to one decimal. Only vocabulary features appear, so no personal value can.
 */
export function scoreLead(model: StoredModel, facts: LeadFacts): LeadScore {
  const space: FeatureSpace = model
  const map = leadFeatures(facts, new Set(model.categorical))
  const x = vectorize(map, space)
  let z = model.bias
  for (let k = 0; k < x.index.length; k++) z += (model.weights[x.index[k]!] ?? 0) * x.value[k]!
  const contributions: { text: string; value: number }[] = []
  for (let j = 0; j < model.names.length; j++) {
    const name = model.names[j]!
    const weight = model.weights[j] ?? 0
    const numeric = j < NUMERIC_FEATURES.length
    const present = map.has(name)
    const value = numeric
      ? weight * (((map.get(name) ?? 0) - model.mean[j]!) / model.sd[j]!)
      : weight * ((present ? 1 : 0) - model.mean[j]!)
    if (Math.abs(value) < MIN_FACTOR) continue
    const text = numeric ? describeNumeric(name, facts) : describeBinary(name, present)
    if (text) contributions.push({ text, value })
  }
  contributions.sort((a, b) => Math.abs(b.value) - Math.abs(a.value) || (a.text < b.text ? -1 : 1))
  return {
    probability: Math.round(sigmoid(z) * 1e4) / 1e4,
    factors: contributions
      .slice(0, MAX_FACTORS)
      .map(({ text, value }) => `${value > 0 ? '+' : '-'}${Math.abs(value).toFixed(1)} ${text}`),
  }
}

const DAY_MS = 24 * 3600 * 1000

/**
 * A lead's label: positive once it reached `opportunity` or `customer` (now or in its history);
 * negative when `disqualified`, or when neither it was created nor its stage moved for
 * `negativeAfterDays` days; otherwise (still in play) no example at all.
 */
export function labelOf(
  lead: { stage: string; reachedWon: boolean; createdAt: string; stageChangedAt: string },
  now: Date,
  negativeAfterDays: number,
): boolean | null {
  if (lead.reachedWon) return true
  if (lead.stage === 'disqualified') return false
  const cutoff = new Date(now.getTime() - negativeAfterDays * DAY_MS).toISOString()
  return lead.createdAt <= cutoff && lead.stageChangedAt <= cutoff ? false : null
}
