import type { SparseVector } from './features'
import { fitLogistic, predict, type FitOptions } from './logistic'

/**
 * How well a score ranks and how honest its probabilities are
 * (docs/stages-and-scoring.md#learned-score): ROC AUC by Mann–Whitney, expected calibration error,
 * and out-of-fold predictions of a k-fold cross-validation.
 */

/**
 * ROC AUC: the chance that a random positive scores above a random negative, ties counted half
 * (the Mann–Whitney U over average ranks). `NaN` without both classes.
 */
export function auc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const n = scores.length
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!)
  let positives = 0
  let rankSum = 0
  for (let start = 0; start < n;) {
    let end = start
    while (end + 1 < n && scores[order[end + 1]!] === scores[order[start]!]) end++
    // Ranks start..end (1-based: start+1..end+1) share their average.
    const rank = (start + end) / 2 + 1
    for (let k = start; k <= end; k++) {
      if (labels[order[k]!] === 1) {
        positives++
        rankSum += rank
      }
    }
    start = end + 1
  }
  const negatives = n - positives
  if (!positives || !negatives) return Number.NaN
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives)
}

/**
 * Expected calibration error over `bins` equal-width bins of the predicted probability: the
 * share-weighted mean gap between the mean prediction and the observed rate of each bin.
 */
export function calibrationError(
  probabilities: ArrayLike<number>,
  labels: ArrayLike<number>,
  bins = 10,
): number {
  const n = probabilities.length
  if (!n) return 0
  const count = new Float64Array(bins)
  const predicted = new Float64Array(bins)
  const observed = new Float64Array(bins)
  for (let i = 0; i < n; i++) {
    const p = probabilities[i]!
    const bin = Math.min(bins - 1, Math.max(0, Math.floor(p * bins)))
    count[bin]!++
    predicted[bin]! += p
    observed[bin]! += labels[i]!
  }
  let error = 0
  for (let b = 0; b < bins; b++) {
    if (count[b]) error += Math.abs(predicted[b]! - observed[b]!) / n
  }
  return error
}

/** A small deterministic generator (mulberry32), for fold assignment and test data. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * Stratified fold of each example: positives and negatives each shuffled with the seed and dealt
 * round-robin, so every fold holds about the same share of each class.
 */
export function assignFolds(labels: ArrayLike<number>, folds: number, seed = 1): Int32Array {
  const random = seededRandom(seed)
  const fold = new Int32Array(labels.length)
  for (const cls of [0, 1]) {
    const members: number[] = []
    for (let i = 0; i < labels.length; i++) if (labels[i] === cls) members.push(i)
    for (let i = members.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1))
      ;[members[i], members[j]] = [members[j]!, members[i]!]
    }
    members.forEach((member, at) => (fold[member] = at % folds))
  }
  return fold
}

/** Out-of-fold probabilities of a `folds`-fold cross-validation. */
export function crossValidate(
  xs: readonly SparseVector[],
  ys: ArrayLike<number>,
  d: number,
  { folds = 5, seed = 1, ...fit }: FitOptions & { folds?: number; seed?: number } = {},
): Float64Array {
  const fold = assignFolds(ys, folds, seed)
  const out = new Float64Array(xs.length)
  for (let k = 0; k < folds; k++) {
    const trainX: SparseVector[] = []
    const trainY: number[] = []
    for (let i = 0; i < xs.length; i++) {
      if (fold[i] !== k) {
        trainX.push(xs[i]!)
        trainY.push(ys[i]!)
      }
    }
    const model = fitLogistic(trainX, trainY, d, fit)
    for (let i = 0; i < xs.length; i++) if (fold[i] === k) out[i] = predict(model, xs[i]!)
  }
  return out
}
