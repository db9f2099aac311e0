import type { Site } from '../../../shared/site'
import { readFormFacts, readLeadFacts, type LeadScope } from '../db/model-facts'
import {
  findLatestModel,
  insertModel,
  sitesToRescore,
  sitesToTrain,
  storeLeadScores,
  type ScoreModel,
} from '../db/score-models'
import { findSite } from '../db/sites'
import { labelOf, scoreLead, trainModel, type TrainingExample } from '../domain/model/train'
import { resolveRules } from '../domain/qualify'
import { HttpProblem } from '../lib/problem'

/**
 * The learned score's work on the database (docs/stages-and-scoring.md#learned-score): training a
 * site's model from its outcomes, scoring one lead after it was (re)classified, and rescoring the
 * site's leads in bounded batches after a new version.
 */

/** Leads read per batch when training, and at most this many batches (20,000 leads). */
const TRAIN_CHUNK = 1000
const TRAIN_CHUNKS = 20
/** Leads rescored per D1 batch. */
export const RESCORE_BATCH = 500

/**
 * Trains a new version from the site's leads with an outcome and stores it. Refuses with
 * `too_few_examples` (nothing stored) below 10 examples of either class.
 */
export async function trainSiteModel(db: D1Database, site: Site, now: Date): Promise<ScoreModel> {
  const forms = await readFormFacts(db, site.siteKey)
  const { pricingPaths } = resolveRules(site.rules)
  const examples: TrainingExample[] = []
  let afterId = ''
  for (let chunk = 0; chunk < TRAIN_CHUNKS; chunk++) {
    const rows = await readLeadFacts(
      db,
      site.siteKey,
      { kind: 'after', afterId, limit: TRAIN_CHUNK },
      forms,
      pricingPaths,
    )
    for (const row of rows) {
      const positive = labelOf(row, now, site.model.negativeAfterDays)
      if (positive !== null) examples.push({ facts: row.facts, positive, ruleScore: row.score })
    }
    if (rows.length < TRAIN_CHUNK) break
    afterId = rows[rows.length - 1]!.id
  }
  const outcome = trainModel(examples, forms.categorical, site.model)
  if (!outcome.ok)
    throw new HttpProblem({
      code: 'too_few_examples',
      detail: `Training needs at least 10 leads of each outcome; the site has ${outcome.positives} that reached opportunity or customer and ${outcome.negatives} disqualified or without progress for ${site.model.negativeAfterDays} days.`,
    })
  const { result } = outcome
  return insertModel(db, site.siteKey, { ...result, trainedAt: now.toISOString() })
}

/** Scores the leads of `scope` under `model` (probability null when it is not used). */
async function scoreScope(
  db: D1Database,
  site: Site,
  model: ScoreModel,
  scope: LeadScope,
  forms?: Awaited<ReturnType<typeof readFormFacts>>,
): Promise<number> {
  const rows = await readLeadFacts(
    db,
    site.siteKey,
    scope,
    forms ?? (await readFormFacts(db, site.siteKey)),
    resolveRules(site.rules).pricingPaths,
  )
  await storeLeadScores(
    db,
    model.version,
    rows.map((row) => {
      if (!model.used) return { leadId: row.id, probability: null, factors: [] }
      const score = scoreLead(model.model, row.facts)
      return { leadId: row.id, probability: score.probability, factors: score.factors }
    }),
  )
  return rows.length
}

/**
 * Rescores the leads the site's latest version has not scored yet, `RESCORE_BATCH` at a time, for
 * at most `maxBatches` batches; answers whether every lead is done.
 */
export async function rescoreSite(
  db: D1Database,
  site: Site,
  maxBatches: number,
): Promise<boolean> {
  const model = await findLatestModel(db, site.siteKey)
  if (!model) return true
  const forms = await readFormFacts(db, site.siteKey)
  for (let batch = 0; batch < maxBatches; batch++) {
    const scope = { kind: 'unscored', version: model.version, limit: RESCORE_BATCH } as const
    const scored = await scoreScope(db, site, model, scope, forms)
    if (scored < RESCORE_BATCH) return true
  }
  return false
}

/**
 * Scores one lead after it was (re)classified, under the site's latest model; without a model it
 * keeps `null`. Never fails the request that called it: a failure leaves the lead for the next
 * rescoring of its site.
 */
export async function scoreLeadNow(db: D1Database, site: Site, leadId: string): Promise<void> {
  await scoreLeadsNow(db, site, [leadId])
}

/**
 * `scoreLeadNow` for the leads one batch of touchpoints reclassified: one model read and one
 * batch of facts per `RESCORE_BATCH` leads, not one round trip per lead.
 */
export async function scoreLeadsNow(
  db: D1Database,
  site: Site,
  leadIds: readonly string[],
): Promise<void> {
  if (!leadIds.length) return
  try {
    const model = await findLatestModel(db, site.siteKey)
    if (!model) return
    for (let start = 0; start < leadIds.length; start += RESCORE_BATCH) {
      const slice = leadIds.slice(start, start + RESCORE_BATCH)
      const scope =
        slice.length === 1
          ? { kind: 'one' as const, leadId: slice[0]! }
          : { kind: 'ids' as const, leadIds: slice }
      await scoreScope(db, site, model, scope)
    }
  } catch (error) {
    console.error(`lead score failed: ${error instanceof Error ? error.name : 'error'}`)
  }
}

/** Sites trained per cron run, and rescoring batches per site and run. */
const CRON_TRAININGS = 3
const CRON_RESCORE_SITES = 10
const CRON_RESCORE_BATCHES = 10

/**
 * The hourly share of the learned score: trains (a few) sites whose outcomes changed since their
 * latest model, then continues rescoring sites whose latest version has not scored every lead.
 * Counts only are answered, for the log.
 */
export async function runModelUpkeep(
  db: D1Database,
  now: Date,
): Promise<{ trained: number; skipped: number; rescoring: number }> {
  let trained = 0
  let skipped = 0
  // More candidates than trainings, in random order among the untrained: a site that cannot be
  // trained yet (too few negatives) does not keep the others waiting hour after hour.
  for (const siteKey of await sitesToTrain(db, CRON_TRAININGS * 5)) {
    if (trained >= CRON_TRAININGS) break
    const site = await findSite(db, siteKey)
    if (!site) continue
    try {
      await trainSiteModel(db, site, now)
      trained++
    } catch (error) {
      if (!(error instanceof HttpProblem)) throw error
      skipped++
    }
  }
  let rescoring = 0
  for (const siteKey of await sitesToRescore(db, CRON_RESCORE_SITES)) {
    const site = await findSite(db, siteKey)
    if (site && !(await rescoreSite(db, site, CRON_RESCORE_BATCHES))) rescoring++
  }
  return { trained, skipped, rescoring }
}
