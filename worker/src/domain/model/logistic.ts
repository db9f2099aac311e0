import type { SparseVector } from './features'

/**
 * L2-regularised logistic regression on sparse features (docs/stages-and-scoring.md#learned-score),
 * fitted by L-BFGS with a backtracking (Armijo) line search: deterministic, a few dozen passes over
 * the data. Minimises the mean log loss plus `lambda / 2 · |w|²` (the bias is not penalised).
 */

export interface LogisticModel {
  weights: Float64Array
  bias: number
}

export interface FitOptions {
  /** L2 strength on the mean loss; default 0.01. */
  lambda?: number
  maxIterations?: number
  /** Stop when the gradient's largest component is below this. */
  tolerance?: number
  /** L-BFGS memory. */
  memory?: number
}

export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z))
  const e = Math.exp(z)
  return e / (1 + e)
}

/** log(1 + e^z) without overflow. */
function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))
}

function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!
  return sum
}

/** The linear score `w·x + b` of a sparse vector (parameters: weights then the bias last). */
function linear(params: Float64Array, x: SparseVector, d: number): number {
  let z = params[d]!
  for (let k = 0; k < x.index.length; k++) z += params[x.index[k]!]! * x.value[k]!
  return z
}

/** Objective and gradient at `params` (length d + 1, the bias last). */
function evaluate(
  params: Float64Array,
  xs: readonly SparseVector[],
  ys: ArrayLike<number>,
  d: number,
  lambda: number,
  gradient: Float64Array,
): number {
  gradient.fill(0)
  const n = xs.length
  let loss = 0
  for (let i = 0; i < n; i++) {
    const x = xs[i]!
    const z = linear(params, x, d)
    const y = ys[i]!
    loss += softplus(z) - y * z
    const r = sigmoid(z) - y
    for (let k = 0; k < x.index.length; k++) gradient[x.index[k]!]! += r * x.value[k]!
    gradient[d]! += r
  }
  let penalty = 0
  for (let j = 0; j < d; j++) {
    gradient[j] = gradient[j]! / n + lambda * params[j]!
    penalty += params[j]! * params[j]!
  }
  gradient[d] = gradient[d]! / n
  return loss / n + (lambda / 2) * penalty
}

/** Fits the model on sparse vectors of dimension `d` with labels 0/1. */
export function fitLogistic(
  xs: readonly SparseVector[],
  ys: ArrayLike<number>,
  d: number,
  options: FitOptions = {},
): LogisticModel {
  const lambda = options.lambda ?? 0.01
  const maxIterations = options.maxIterations ?? 200
  const tolerance = options.tolerance ?? 1e-6
  const memory = options.memory ?? 8
  const size = d + 1
  let x = new Float64Array(size)
  // Start the bias at the base rate's log odds: the first steps then learn the features.
  let positives = 0
  for (let i = 0; i < xs.length; i++) positives += ys[i]!
  const rate = Math.min(1 - 1e-6, Math.max(1e-6, positives / Math.max(1, xs.length)))
  x[d] = Math.log(rate / (1 - rate))
  let g = new Float64Array(size)
  let f = evaluate(x, xs, ys, d, lambda, g)
  const ss: Float64Array[] = []
  const yy: Float64Array[] = []
  const rho: number[] = []
  const candidate = new Float64Array(size)
  const gNew = new Float64Array(size)
  const direction = new Float64Array(size)
  const alpha = new Float64Array(memory)
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    let gMax = 0
    for (let j = 0; j < size; j++) gMax = Math.max(gMax, Math.abs(g[j]!))
    if (gMax < tolerance) break
    // Two-loop recursion: direction = -H·g.
    for (let j = 0; j < size; j++) direction[j] = -g[j]!
    for (let m = ss.length - 1; m >= 0; m--) {
      const a = rho[m]! * dot(ss[m]!, direction)
      alpha[m] = a
      const y = yy[m]!
      for (let j = 0; j < size; j++) direction[j] = direction[j]! - a * y[j]!
    }
    if (ss.length) {
      const last = ss.length - 1
      const scale = dot(ss[last]!, yy[last]!) / dot(yy[last]!, yy[last]!)
      for (let j = 0; j < size; j++) direction[j] = direction[j]! * scale
    }
    for (let m = 0; m < ss.length; m++) {
      const b = rho[m]! * dot(yy[m]!, direction)
      const s = ss[m]!
      for (let j = 0; j < size; j++) direction[j] = direction[j]! + (alpha[m]! - b) * s[j]!
    }
    let slope = dot(g, direction)
    if (!(slope < 0)) {
      // Not a descent direction: forget the curvature pairs, take the gradient.
      ss.length = yy.length = rho.length = 0
      for (let j = 0; j < size; j++) direction[j] = -g[j]!
      slope = dot(g, direction)
    }
    let step = ss.length ? 1 : 1 / Math.max(1, Math.sqrt(-slope))
    let fNew = Infinity
    for (let tries = 0; tries < 40; tries++) {
      for (let j = 0; j < size; j++) candidate[j] = x[j]! + step * direction[j]!
      fNew = evaluate(candidate, xs, ys, d, lambda, gNew)
      if (fNew <= f + 1e-4 * step * slope) break
      step /= 2
    }
    if (!(fNew <= f)) break
    const s = new Float64Array(size)
    const y = new Float64Array(size)
    for (let j = 0; j < size; j++) {
      s[j] = candidate[j]! - x[j]!
      y[j] = gNew[j]! - g[j]!
    }
    const sy = dot(s, y)
    if (sy > 1e-12) {
      if (ss.length === memory) {
        ss.shift()
        yy.shift()
        rho.shift()
      }
      ss.push(s)
      yy.push(y)
      rho.push(1 / sy)
    }
    const change = f - fNew
    x = Float64Array.from(candidate)
    g = Float64Array.from(gNew)
    f = fNew
    if (change < 1e-10 * Math.max(1, Math.abs(f))) break
  }
  return { weights: x.slice(0, d), bias: x[d]! }
}

/** The model's probability for one sparse vector. */
export function predict(model: LogisticModel, x: SparseVector): number {
  let z = model.bias
  for (let k = 0; k < x.index.length; k++) z += (model.weights[x.index[k]!] ?? 0) * x.value[k]!
  return sigmoid(z)
}
