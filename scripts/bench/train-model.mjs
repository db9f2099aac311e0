/**
 * The learned score's CPU cost (docs/stages-and-scoring.md#learned-score): trains on 10,000
 * synthetic leads with known conversion behaviour (answers, forms, sources, engaged time, noise)
 * the way the worker does — the feature space, 5-fold cross-validation and the final fit — and
 * prints the training time, the cross-validated AUC, the rule-score stand-in's AUC and the time to
 * score every lead. The worker's TypeScript is bundled with esbuild (vite's and wrangler's bundler).
 *
 *   npm run bench:model            # 10,000 leads
 *   npm run bench:model -- 50000   # another size
 */
import { build } from 'esbuild'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'

const ROOT = path.resolve(import.meta.dirname, '../..')
const LEADS = Number(process.argv[2] ?? 10_000)

const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-model-'))
await build({
  entryPoints: ['train', 'evaluate'].map((name) =>
    path.join(ROOT, `worker/src/domain/model/${name}.ts`),
  ),
  bundle: true,
  platform: 'node',
  format: 'esm',
  outdir: dir,
  outExtension: { '.js': '.mjs' },
  logLevel: 'error',
})
const { trainModel, scoreLead } = await import(pathToFileURL(path.join(dir, 'train.mjs')).href)
const { seededRandom } = await import(pathToFileURL(path.join(dir, 'evaluate.mjs')).href)

const random = seededRandom(2026)
const pick = (list) => list[Math.floor(random() * list.length)]
const SOURCES = ['google', 'facebook', 'newsletter', 'partner', 'linkedin', 'bing', 'direct']
const MEDIUMS = ['cpc', 'social', 'email', 'referral', 'organic']
const FORMS = [
  { formId: 'enquiry', kind: 'contact_sales', lift: 0.6 },
  { formId: 'partner-referral', kind: 'quote_request', lift: 2.2 },
  { formId: 'guide', kind: 'ebook', lift: -0.4 },
  { formId: 'newsletter', kind: 'newsletter', lift: -0.8 },
]
const OCCUPATIONS = { teacher: 1.6, nurse: 0.7, student: -0.9, retired: -0.3, other: 0 }

function syntheticLead() {
  const form = pick(FORMS)
  const source = pick(SOURCES)
  const answered = random() < 0.7
  const occupation = answered ? pick(Object.keys(OCCUPATIONS)) : null
  const engagedSeconds = Math.round(Math.exp(3 + random() * 4))
  const phone = random() < 0.5
  const consent = random() < 0.6
  const visitDays = 1 + Math.floor(random() * random() * 6)
  const pageViews = visitDays + Math.floor(random() * 12)
  let logit = -2.2 + form.lift + (occupation ? OCCUPATIONS[occupation] : -0.8)
  logit += 0.45 * Math.log1p(engagedSeconds / 60) + (consent ? 0.5 : 0) + (phone ? 0.3 : 0)
  logit += source === 'partner' ? 0.8 : 0
  logit += (random() - 0.5) * 1.5 // noise the features do not see
  const positive = random() < 1 / (1 + Math.exp(-logit))
  return {
    facts: {
      record: {
        email: 'someone@example.com',
        firstName: 'Someone',
        ...(phone ? { phone: '+4930123456' } : {}),
        ...(occupation ? { occupation } : {}),
      },
      emailDomain: random() < 0.3 ? 'firma.example' : 'gmail.com',
      firstSource: source,
      firstMedium: pick(MEDIUMS),
      engagedSeconds,
      visitDays,
      pageViews,
      pricingViews: random() < 0.2 ? 1 : 0,
      downloads: form.kind === 'ebook' ? 1 : 0,
      submissions: [{ formId: form.formId, kind: form.kind }],
      consents: consent ? { marketing_email: 'granted' } : {},
    },
    positive,
    // The rule score's stand-in: counts of visits and views, as the default rules weigh them.
    ruleScore: Math.min(30, pageViews) + 10 * Math.min(3, visitDays),
  }
}

const examples = Array.from({ length: LEADS }, syntheticLead)
const started = performance.now()
const outcome = trainModel(examples, new Set(['occupation']), { minPositives: 50 })
const trainingMs = performance.now() - started
if (!outcome.ok) throw new Error('too few examples')
const { result } = outcome
const scoring = performance.now()
let factors = []
for (const example of examples) factors = scoreLead(result.model, example.facts).factors
const scoringMs = performance.now() - scoring
await rm(dir, { recursive: true, force: true })

console.log(`leads                 ${LEADS} (${result.positives} positives)`)
console.log(`features              ${result.model.names.length}`)
console.log(`training incl. 5-fold ${Math.round(trainingMs)} ms`)
console.log(`cross-validated AUC   ${result.auc}`)
console.log(`rule stand-in AUC     ${result.ruleAuc}`)
console.log(`calibration error     ${result.calibrationError}`)
console.log(`used                  ${result.used}`)
console.log(`scoring every lead    ${Math.round(scoringMs)} ms`)
console.log(`factors of the last   ${factors.join(' | ')}`)
