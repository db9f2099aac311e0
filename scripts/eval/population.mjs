/**
 * The scoring evaluation's simulator (issue 14, docs/stages-and-scoring.md#evaluation): a
 * population of visitors who become leads, with a known conversion behaviour and noise.
 *
 * Each lead has a hidden buying intent `u ~ N(0, 1)`. What the website sees depends on it, some
 * of it strongly (engaged time), some weakly (page views, visits), some not at all; and the
 * outcome depends on it and on the form, the source and the answers, each world drawing its own
 * effect sizes from `seed`, so no default can be tuned to one world. Pure and seeded: the same
 * seed gives the same population.
 */

/** Mulberry32: small, fast, good enough for a simulation. */
export function random(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const sigmoid = (x) => 1 / (1 + Math.exp(-x))

function tools(rand) {
  const uniform = (lo, hi) => lo + (hi - lo) * rand()
  const normal = () => {
    const u = 1 - rand()
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand())
  }
  const poisson = (mean) => {
    const limit = Math.exp(-mean)
    let k = 0
    for (let p = rand(); p > limit; p *= rand()) k++
    return k
  }
  const pick = (weights) => {
    const total = weights.reduce((sum, w) => sum + w, 0)
    let r = rand() * total
    for (let i = 0; i < weights.length; i++) if ((r -= weights[i]) < 0) return i
    return weights.length - 1
  }
  return { uniform, normal, poisson, pick, chance: (p) => rand() < p }
}

/** The worlds `npm run eval:scoring` replays: who the site sells to and which stage model it uses. */
export const WORLDS = [
  { name: 'b2b', audience: 'b2b', stageModel: 'b2b' },
  { name: 'consumers on the default (b2b) model', audience: 'b2c', stageModel: 'b2b' },
  { name: 'b2c', audience: 'b2c', stageModel: 'b2c' },
]

/** The forms of a simulated site: their kinds, and the questions each asks. */
export function formsOf(audience) {
  const person = [
    { name: 'email', type: 'email', required: true, label: 'Email' },
    { name: 'firstName', type: 'text', required: true, label: 'First name' },
    { name: 'lastName', type: 'text', required: true, label: 'Last name' },
  ]
  const situation = {
    name: 'situation',
    type: 'select',
    required: false,
    label: audience === 'b2b' ? 'Company size' : 'Your situation',
    options: ['a', 'b', 'c', 'd'].map((value) => ({ value, label: `Answer ${value}` })),
  }
  const optional = [
    { name: 'phone', type: 'tel', required: false, label: 'Phone' },
    { name: 'message', type: 'textarea', required: false, label: 'Message' },
  ]
  const business =
    audience === 'b2b'
      ? [
          { name: 'company', type: 'text', required: true, label: 'Company' },
          { name: 'jobTitle', type: 'text', required: false, label: 'Job title' },
        ]
      : []
  const consent = {
    purpose: 'marketing_email',
    text: 'Yes, send me news by email. I can withdraw at any time.',
    required: false,
  }
  const form = (kind, title, fields) => ({
    kind,
    title,
    fields: [...person, ...business, ...fields],
    consents: [consent],
  })
  return {
    enquiry: form('contact_sales', 'Get in touch', [situation, ...optional]),
    quote: form('quote_request', 'Ask for an offer', [situation, ...optional]),
    partner: form('quote_request', 'Recommended by a partner', [situation, optional[0]]),
    guide: form('ebook', 'The guide', [situation]),
    newsletter: form('newsletter', 'Newsletter', []),
  }
}

const SOURCES = [
  { source: 'google', medium: 'cpc' },
  { source: 'facebook', medium: 'paid_social' },
  { source: 'partner', medium: 'referral' },
  { source: 'newsletter', medium: 'email' },
  { source: null, medium: null },
]
const JOB_TITLES = {
  senior: ['Geschäftsführer', 'Head of Marketing', 'CEO', 'Leiterin Vertrieb'],
  other: ['Marketing Manager', 'Werkstudent', 'Assistant', 'Referentin'],
}

/**
 * A world's effect sizes, drawn from `seed`: the base rate, how strongly intent drives conversion
 * and each signal, and each form's, source's and answer's own effect.
 */
export function drawWorld(seed, audience) {
  const rand = random(seed * 7919 + 17)
  const { uniform, normal } = tools(rand)
  return {
    audience,
    base: uniform(-3.2, -1.8),
    intent: uniform(1.0, 1.8),
    time: { mean: uniform(3.6, 4.4), slope: uniform(0.35, 0.8), noise: uniform(0.7, 1.1) },
    pages: { mean: uniform(0.6, 1.2), slope: uniform(0, 0.25) },
    visits: { mean: uniform(-1.2, -0.4), slope: uniform(0, 0.3) },
    forms: {
      enquiry: normal() * 0.5,
      quote: normal() * 0.5,
      partner: uniform(1.5, 2.8),
      guide: uniform(-1.6, -0.4),
      newsletter: uniform(-2.2, -1),
    },
    formChoice: [uniform(3, 5), uniform(1, 3), uniform(0.4, 1), uniform(1, 3), uniform(0.5, 2)],
    sources: SOURCES.map(() => normal() * 0.6),
    answers: [normal(), normal(), normal(), normal()],
    unanswered: uniform(-1.5, -0.5),
    optionalSlope: uniform(0.3, 0.9),
    consentSlope: uniform(0.2, 0.7),
    seniorSlope: uniform(0.2, 0.8),
  }
}

/**
 * `count` leads of a world: what the site sees of each (visits with page views and engaged
 * seconds, the form and its answers, the source, the consent) and whether it converts.
 */
export function drawLeads(world, count, seed) {
  const rand = random(seed)
  const { uniform, normal, poisson, pick, chance } = tools(rand)
  const formNames = Object.keys(world.forms)
  const leads = []
  for (let i = 0; i < count; i++) {
    const u = normal()
    const form = formNames[pick(world.formChoice)]
    const sourceIndex = form === 'partner' ? 2 : pick([4, 3, 1, 1, 2])
    const engaged = Math.round(
      Math.min(
        7200,
        Math.max(3, Math.exp(world.time.mean + world.time.slope * u + world.time.noise * normal())),
      ),
    )
    const pageViews = 1 + poisson(Math.exp(world.pages.mean + world.pages.slope * u))
    const visits = Math.min(
      pageViews,
      1 + poisson(Math.exp(world.visits.mean + world.visits.slope * u)),
    )
    const asked = form !== 'newsletter'
    const answer =
      asked && chance(sigmoid(0.8 + world.optionalSlope * u))
        ? pick([1, 1, 1, 1].map((w, k) => w * Math.exp(0.4 * k * u)))
        : null
    const phone =
      form !== 'newsletter' && form !== 'guide' && chance(sigmoid(-0.6 + world.optionalSlope * u))
    const message =
      (form === 'enquiry' || form === 'quote') && chance(sigmoid(-0.4 + world.optionalSlope * u))
    const consent = chance(sigmoid(0.1 + world.consentSlope * u))
    const senior = world.audience === 'b2b' && chance(sigmoid(-0.8 + world.seniorSlope * u))
    const business = world.audience === 'b2b' ? chance(0.7) : chance(0.05)
    const logit =
      world.base +
      world.intent * u +
      world.forms[form] +
      world.sources[sourceIndex] +
      (answer === null ? (asked ? world.unanswered : 0) : world.answers[answer]) +
      0.5 * normal()
    leads.push({
      index: i,
      form,
      ...SOURCES[sourceIndex],
      engaged,
      pageViews,
      visits,
      answers: {
        ...(answer === null ? {} : { situation: ['a', 'b', 'c', 'd'][answer] }),
        ...(phone ? { phone: `+4930${String(1000000 + Math.floor(uniform(0, 8999999)))}` } : {}),
        ...(message ? { message: 'Please call me about an offer.' } : {}),
        ...(world.audience === 'b2b'
          ? {
              company: `Firma ${i} GmbH`,
              jobTitle: senior ? JOB_TITLES.senior[i % 4] : JOB_TITLES.other[i % 4],
            }
          : {}),
      },
      business,
      consent,
      converted: chance(sigmoid(logit)),
    })
  }
  return leads
}

/**
 * ROC AUC of `scores` for `labels` (Mann–Whitney: the chance that a random positive scores above
 * a random negative, ties counting half). `NaN` without both classes.
 */
export function auc(scores, labels) {
  const items = scores
    .map((score, i) => ({ score, label: labels[i] }))
    .sort((a, b) => a.score - b.score)
  let rankSum = 0
  let positives = 0
  for (let i = 0; i < items.length;) {
    let j = i
    while (j < items.length && items[j].score === items[i].score) j++
    const rank = (i + 1 + j) / 2
    for (let k = i; k < j; k++) if (items[k].label) ((rankSum += rank), positives++)
    i = j
  }
  const negatives = items.length - positives
  if (!positives || !negatives) return NaN
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives)
}

/** Expected calibration error over ten equal-width bins of predicted probability. */
export function calibrationError(probabilities, labels) {
  const bins = Array.from({ length: 10 }, () => ({ n: 0, p: 0, y: 0 }))
  probabilities.forEach((p, i) => {
    const bin = bins[Math.min(9, Math.floor(p * 10))]
    bin.n++
    bin.p += p
    bin.y += labels[i] ? 1 : 0
  })
  const n = probabilities.length
  return bins.reduce(
    (sum, bin) => (bin.n ? sum + (bin.n / n) * Math.abs(bin.p / bin.n - bin.y / bin.n) : sum),
    0,
  )
}
