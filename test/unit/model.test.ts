import { describe, expect, it } from 'vitest'
import {
  auc,
  calibrationError,
  crossValidate,
  seededRandom,
} from '../../worker/src/domain/model/evaluate'
import {
  buildFeatureSpace,
  leadFeatures,
  vectorize,
  type LeadFacts,
  type SparseVector,
} from '../../worker/src/domain/model/features'
import { fitLogistic, predict } from '../../worker/src/domain/model/logistic'
import { labelOf, scoreLead, trainModel } from '../../worker/src/domain/model/train'

/** A sparse vector of dense values. */
const dense = (values: number[]): SparseVector => ({
  index: Int32Array.from(values.map((_, i) => i)),
  value: Float64Array.from(values),
})

function facts(overrides: Partial<LeadFacts> = {}): LeadFacts {
  return {
    record: { email: 'anna@firma.de', firstName: 'Anna' },
    emailDomain: 'firma.de',
    firstSource: null,
    firstMedium: null,
    engagedSeconds: 0,
    visitDays: 1,
    pageViews: 1,
    pricingViews: 0,
    downloads: 0,
    submissions: [{ formId: 'wp', kind: 'whitepaper' }],
    consents: {},
    ...overrides,
  }
}

describe('auc', () => {
  it('equals the hand-computed Mann–Whitney value of a known ranking, ties counted half', () => {
    // Positives at 0.9, 0.5 (tied with a negative), 0.2; negatives at 0.7, 0.5, 0.1.
    // Pairs (pos > neg): 0.9 beats 3; 0.5 beats 0.1 and ties 0.5 (1.5); 0.2 beats 0.1 (1) → 5.5 / 9.
    expect(auc([0.9, 0.5, 0.2, 0.7, 0.5, 0.1], [1, 1, 1, 0, 0, 0])).toBeCloseTo(5.5 / 9, 12)
    expect(auc([1, 2, 3, 4], [0, 0, 1, 1])).toBe(1)
    expect(auc([1, 2, 3, 4], [1, 1, 0, 0])).toBe(0)
    expect(auc([5, 5, 5, 5], [1, 0, 1, 0])).toBe(0.5)
    expect(auc([1, 2], [1, 1])).toBeNaN()
  })
})

describe('calibrationError', () => {
  it('is small on a calibrated set and large on an overconfident one', () => {
    const random = seededRandom(7)
    const p: number[] = []
    const y: number[] = []
    for (let i = 0; i < 20_000; i++) {
      const probability = random()
      p.push(probability)
      y.push(random() < probability ? 1 : 0)
    }
    expect(calibrationError(p, y)).toBeLessThan(0.02)
    // Everyone predicted at 0.9 while a half convert: an error of 0.4.
    expect(
      calibrationError(
        p.map(() => 0.9),
        y,
      ),
    ).toBeCloseTo(0.4, 1)
  })
})

describe('fitLogistic and crossValidate', () => {
  it('ranks a separable set perfectly and favours the informative feature', () => {
    const random = seededRandom(3)
    const xs: SparseVector[] = []
    const ys: number[] = []
    for (let i = 0; i < 400; i++) {
      const label = i % 2
      // Feature 0 decides the label; feature 1 is noise.
      xs.push(dense([label ? 1 + random() : -1 - random(), random() * 2 - 1]))
      ys.push(label)
    }
    const out = crossValidate(xs, ys, 2)
    expect(auc(out, ys)).toBeGreaterThan(0.99)
    const model = fitLogistic(xs, ys, 2)
    expect(model.weights[0]!).toBeGreaterThan(1)
    expect(Math.abs(model.weights[0]!)).toBeGreaterThan(10 * Math.abs(model.weights[1]!))
    expect(predict(model, dense([2, 0]))).toBeGreaterThan(0.9)
    expect(predict(model, dense([-2, 0]))).toBeLessThan(0.1)
  })

  it('gets an AUC about 0.5 on noise, and is deterministic', () => {
    const random = seededRandom(11)
    const xs: SparseVector[] = []
    const ys: number[] = []
    for (let i = 0; i < 1000; i++) {
      xs.push(dense([random(), random(), random()]))
      ys.push(random() < 0.3 ? 1 : 0)
    }
    const out = crossValidate(xs, ys, 3)
    expect(Math.abs(auc(out, ys) - 0.5)).toBeLessThan(0.06)
    expect(Array.from(crossValidate(xs, ys, 3))).toEqual(Array.from(out))
  })

  it('gives calibrated probabilities where the data is calibrated', () => {
    const random = seededRandom(5)
    const xs: SparseVector[] = []
    const ys: number[] = []
    for (let i = 0; i < 5000; i++) {
      const x = random() * 4 - 2
      xs.push(dense([x]))
      ys.push(random() < 1 / (1 + Math.exp(-1.5 * x)) ? 1 : 0)
    }
    expect(calibrationError(crossValidate(xs, ys, 1), ys)).toBeLessThan(0.04)
  })
})

describe('leadFeatures', () => {
  it('reads behaviour, answers of categorical fields and consents, never contact values', () => {
    const map = leadFeatures(
      facts({
        record: {
          email: 'anna@firma.de',
          firstName: 'Anna',
          phone: '+49301234567',
          occupation: 'Teacher',
          newsletter: true,
          story: 'A long free text answer that is well beyond forty characters in length',
        },
        engagedSeconds: 840,
        firstSource: 'LinkedIn',
        firstMedium: 'Paid',
        consents: { marketing_email: 'granted', tracking: 'withdrawn' },
      }),
      new Set(['occupation', 'story']),
    )
    expect(map.get('engaged')).toBeCloseTo(Math.log1p(840), 12)
    expect(map.get('answer:occupation=teacher')).toBe(1)
    expect(map.get('answer:newsletter=true')).toBe(1)
    expect(map.get('filled:story')).toBe(1)
    expect(map.get('filled:phone')).toBe(1)
    expect(map.get('source:linkedin')).toBe(1)
    expect(map.get('medium:paid')).toBe(1)
    expect(map.get('form:wp')).toBe(1)
    expect(map.get('form_kind:whitepaper')).toBe(1)
    expect(map.get('business_email')).toBe(1)
    expect(map.get('consent:marketing_email')).toBe(1)
    expect(map.has('consent:tracking')).toBe(false)
    const names = [...map.keys()].join(' ')
    expect(names).not.toMatch(/anna|firma|4930|long free text/i)
  })

  it('does not count a free mail address as a business email', () => {
    const map = leadFeatures(facts({ emailDomain: 'gmail.com' }), new Set())
    expect(map.has('business_email')).toBe(false)
  })

  it('keeps numeric features and categories seen in 5 leads, standardised', () => {
    const maps = [
      ...Array.from({ length: 5 }, () => leadFeatures(facts({ firstSource: 'ads' }), new Set())),
      leadFeatures(facts({ firstSource: 'rare', engagedSeconds: 100 }), new Set()),
    ]
    const space = buildFeatureSpace(maps)
    expect(space.names).toContain('source:ads')
    expect(space.names).not.toContain('source:rare')
    expect(space.names.slice(0, 6)).toEqual([
      'engaged',
      'visit_days',
      'page_views',
      'pricing_views',
      'forms',
      'downloads',
    ])
    const x = vectorize(maps[5]!, space)
    expect(x.value[0]).toBeGreaterThan(2)
    expect(space.names.length).toBeLessThanOrEqual(500)
  })
})

describe('trainModel and scoreLead', () => {
  const settings = { minPositives: 50 }

  function population(n: number, seed: number) {
    const random = seededRandom(seed)
    return Array.from({ length: n }, () => {
      const teacher = random() < 0.4
      const engaged = Math.round(random() * 600)
      const positive = random() < (teacher ? 0.8 : 0.1) + engaged / 6000
      return {
        facts: facts({
          record: { email: 'x@y.de', occupation: teacher ? 'teacher' : 'other' },
          engagedSeconds: engaged,
        }),
        positive,
        ruleScore: 10,
      }
    })
  }

  it('is used when it ranks clearly better than the rules, with readable factors', () => {
    const outcome = trainModel(population(600, 2), new Set(['occupation']), settings)
    if (!outcome.ok) throw new Error('expected a model')
    const { result } = outcome
    expect(result.ruleAuc).toBe(0.5)
    expect(result.auc).toBeGreaterThan(0.75)
    expect(result.used).toBe(true)
    const teacher = scoreLead(
      result.model,
      facts({ record: { email: 'x@y.de', occupation: 'teacher' }, engagedSeconds: 840 }),
    )
    const other = scoreLead(result.model, facts({ record: { occupation: 'other' } }))
    expect(teacher.probability).toBeGreaterThan(other.probability)
    expect(teacher.factors[0]).toMatch(/^\+\d\.\d answered occupation: teacher$/)
    expect(teacher.factors.length).toBeLessThanOrEqual(5)
    expect(teacher.factors.join(' ')).not.toMatch(/x@y/)
  })

  it('is not used below the positives it needs, and not trained below 10 of a class', () => {
    const outcome = trainModel(population(600, 2), new Set(['occupation']), {
      minPositives: 10_000,
    })
    expect(outcome.ok && outcome.result.used).toBe(false)
    const few = population(600, 2).map((example, i) => ({ ...example, positive: i < 9 }))
    expect(trainModel(few, new Set(), settings)).toEqual({
      ok: false,
      positives: 9,
      negatives: 591,
    })
  })
})

describe('labelOf', () => {
  const now = new Date('2026-12-01T00:00:00Z')
  const lead = {
    stage: 'mql',
    reachedWon: false,
    createdAt: '2026-11-20T00:00:00Z',
    stageChangedAt: '2026-11-20T00:00:00Z',
  }
  it('labels outcomes and leaves leads in play out', () => {
    expect(labelOf({ ...lead, reachedWon: true, stage: 'disqualified' }, now, 90)).toBe(true)
    expect(labelOf({ ...lead, stage: 'disqualified' }, now, 90)).toBe(false)
    expect(labelOf(lead, now, 90)).toBeNull()
    expect(labelOf(lead, now, 5)).toBe(false)
    expect(labelOf({ ...lead, stageChangedAt: '2026-11-29T00:00:00Z' }, now, 5)).toBeNull()
  })
})
