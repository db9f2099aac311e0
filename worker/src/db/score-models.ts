import type { ModelSummary } from '../../../shared/model'
import type { StoredModel } from '../domain/model/train'
import { parseJson } from './json'

/** The stored versions of a site's learned score (migration 0017, docs/stages-and-scoring.md#learned-score). */

interface ScoreModelRow {
  site_key: string
  version: number
  trained_at: string
  examples: number
  positives: number
  auc: number
  rule_auc: number
  calibration_error: number
  used: number
  model: string
}

export interface ScoreModel extends ModelSummary {
  model: StoredModel
}

function toModel(row: ScoreModelRow): ScoreModel {
  return {
    version: row.version,
    trainedAt: row.trained_at,
    examples: row.examples,
    positives: row.positives,
    auc: row.auc,
    ruleAuc: row.rule_auc,
    calibrationError: row.calibration_error,
    used: row.used === 1,
    model: parseJson<StoredModel>(row.model, {
      names: [],
      mean: [],
      sd: [],
      weights: [],
      bias: 0,
      categorical: [],
    }),
  }
}

export function toModelSummary({ model: _model, ...summary }: ScoreModel): ModelSummary {
  return summary
}

/** The site's latest model version, or null before its first training. */
export async function findLatestModel(db: D1Database, siteKey: string): Promise<ScoreModel | null> {
  const row = await db
    .prepare('SELECT * FROM score_models WHERE site_key = ?1 ORDER BY version DESC LIMIT 1')
    .bind(siteKey)
    .first<ScoreModelRow>()
  return row ? toModel(row) : null
}

/** Stores a new version (the next number of the site's); answers it. */
export async function insertModel(
  db: D1Database,
  siteKey: string,
  model: Omit<ScoreModel, 'version'>,
): Promise<ScoreModel> {
  const row = await db
    .prepare(
      `INSERT INTO score_models (site_key, version, trained_at, examples, positives, auc, rule_auc, calibration_error, used, model)
       VALUES (?1, (SELECT COALESCE(MAX(version), 0) + 1 FROM score_models WHERE site_key = ?1), ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
       RETURNING *`,
    )
    .bind(
      siteKey,
      model.trainedAt,
      model.examples,
      model.positives,
      model.auc,
      model.ruleAuc,
      model.calibrationError,
      model.used ? 1 : 0,
      JSON.stringify(model.model),
    )
    .first<ScoreModelRow>()
  if (!row) throw new Error('model insert returned nothing')
  return toModel(row)
}

/** Sets leads' probabilities and factors under a model version, in one batch. */
export async function storeLeadScores(
  db: D1Database,
  version: number,
  scores: { leadId: string; probability: number | null; factors: string[] }[],
): Promise<void> {
  if (!scores.length) return
  const statement = db.prepare(
    `UPDATE leads SET conversion_probability = ?2, conversion_factors = ?3, model_version = ?4
     WHERE id = ?1 AND erased_at IS NULL`,
  )
  await db.batch(
    scores.map((score) =>
      statement.bind(score.leadId, score.probability, JSON.stringify(score.factors), version),
    ),
  )
}

/**
 * Sites whose outcomes changed since their latest model (a manual outcome after it was trained,
 * or none trained yet), oldest model first and the never-trained in random order: the cron trains
 * these. Only sites with at least 10 leads that reached `opportunity` or `customer` and 10 others
 * qualify; one that still cannot be trained (too few negatives) is skipped and, being drawn at
 * random, does not hold the others up every hour.
 */
export async function sitesToTrain(db: D1Database, limit: number): Promise<string[]> {
  const { results } = await db
    .prepare(
      `SELECT s.site_key FROM sites AS s
       LEFT JOIN (SELECT site_key, MAX(trained_at) AS trained_at FROM score_models GROUP BY site_key) AS m
         ON m.site_key = s.site_key
       WHERE EXISTS (SELECT 1 FROM stage_history AS h
         WHERE h.site_key = s.site_key AND h.cause = 'manual'
           AND h.to_stage IN ('opportunity', 'customer', 'disqualified')
           AND (m.trained_at IS NULL OR h.created_at > m.trained_at))
         AND (SELECT COUNT(DISTINCT h.lead_id) FROM stage_history AS h
           WHERE h.site_key = s.site_key AND h.to_stage IN ('opportunity', 'customer')) >= 10
         AND (SELECT COUNT(*) FROM leads AS l WHERE l.site_key = s.site_key AND l.erased_at IS NULL
           AND l.stage NOT IN ('opportunity', 'customer')) >= 10
       ORDER BY COALESCE(m.trained_at, ''), random() LIMIT ?1`,
    )
    .bind(limit)
    .all<{ site_key: string }>()
  return results.map((row) => row.site_key)
}

/** Sites whose latest model version has not scored every lead yet (the cron continues these). */
export async function sitesToRescore(db: D1Database, limit: number): Promise<string[]> {
  const { results } = await db
    .prepare(
      `SELECT m.site_key FROM score_models AS m
       WHERE m.version = (SELECT MAX(version) FROM score_models WHERE site_key = m.site_key)
         AND EXISTS (SELECT 1 FROM leads WHERE leads.site_key = m.site_key AND leads.erased_at IS NULL
           AND (leads.model_version IS NULL OR leads.model_version < m.version))
       LIMIT ?1`,
    )
    .bind(limit)
    .all<{ site_key: string }>()
  return results.map((row) => row.site_key)
}
