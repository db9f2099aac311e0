import type { Touch } from '../domain/attribution'
import type { LeadRow } from './leads'
import {
  eventsStatements,
  leadWriteCondition,
  newWriteNonce,
  writtenEventIds,
  type NewEvent,
} from './outbound'

/** A re-classification of one lead: what `updateLeadScores` writes for it. */
export interface LeadScoreUpdate {
  leadId: string
  expectedVersion: number
  siteKey: string
  stage: string
  temperature: string
  fit: number
  engagement: number
  reasons: string[]
  state: string
  changes: { from: string | null; to: string; ruleId: string }[]
  /** Campaign touches after the new touchpoints (first only moves when there was none). */
  touches: { first: Touch; last: Touch }
  now: string
  /** The events that report it (docs/outbound.md#events). */
  events: readonly NewEvent[]
}

/**
 * The ids drive the read (`CROSS JOIN` keeps that order): each lead is found by its primary key,
 * never by a walk of the site's leads.
 */
export const LEADS_TO_SCORE_SQL = `SELECT leads.* FROM json_each(?2) AS ids CROSS JOIN leads
  WHERE leads.id = ids.value AND leads.site_key = ?1 AND leads.erased_at IS NULL`

/**
 * The live leads among `leadIds` of the site, in one read (the ids travel as one JSON parameter;
 * D1 binds at most 100 values): what the reclassification of a batch of touchpoints starts from.
 */
export async function findLeadsToScore(
  db: D1Database,
  siteKey: string,
  leadIds: readonly string[],
): Promise<LeadRow[]> {
  if (!leadIds.length) return []
  const { results } = await db
    .prepare(LEADS_TO_SCORE_SQL)
    .bind(siteKey, JSON.stringify(leadIds))
    .all<LeadRow>()
  return results
}

/**
 * Stores re-classifications of leads (new touchpoints arrived), all in one `db.batch`: per lead
 * its scores, reasons, state, temperature and stage, one history row per rule step and the events
 * that report it. Each lead's update is guarded by the version read, so a concurrent write makes
 * that lead's statements a no-op the caller retries, while the other leads' land; its history
 * rows land only with its update (each insert runs only if the statement before it changed one
 * row), its events only with its write nonce. Answers, per update in order, the ids of its
 * events, or `null` when it was not written.
 */
export async function updateLeadScores(
  db: D1Database,
  updates: readonly LeadScoreUpdate[],
): Promise<(string[] | null)[]> {
  if (!updates.length) return []
  const parts = updates.map((update) => leadScoreStatements(db, update))
  const results = await db.batch(parts.flat())
  let at = 0
  return parts.map((statements) => {
    const own = results.slice(at, at + statements.length)
    at += statements.length
    // D1 counts the rows the daily-rollup triggers write (migration 0023) in `changes` too.
    return (own[0]?.meta.changes ?? 0) > 0 ? writtenEventIds(own) : null
  })
}

function leadScoreStatements(db: D1Database, update: LeadScoreUpdate): D1PreparedStatement[] {
  const nonce = newWriteNonce()
  const reported = eventsStatements(db, update.events, leadWriteCondition(update.leadId, nonce))
  return [
    db
      .prepare(
        `UPDATE leads SET stage = ?3, temperature = ?4, fit_score = ?5, engagement_score = ?6, score_reasons = ?7,
           score_state = ?8, updated_at = ?9,
           first_source = ?10, first_medium = ?11, first_campaign = ?12, first_touch_at = ?13,
           last_source = ?14, last_medium = ?15, last_campaign = ?16, last_touch_at = ?17,
           stage_changed_at = CASE WHEN stage = ?3 THEN stage_changed_at ELSE ?9 END,
           version = version + 1, write_nonce = ?18
         WHERE id = ?1 AND version = ?2`,
      )
      .bind(
        update.leadId,
        update.expectedVersion,
        update.stage,
        update.temperature,
        update.fit,
        update.engagement,
        JSON.stringify(update.reasons),
        update.state,
        update.now,
        update.touches.first.source,
        update.touches.first.medium,
        update.touches.first.campaign,
        update.touches.first.at,
        update.touches.last.source,
        update.touches.last.medium,
        update.touches.last.campaign,
        update.touches.last.at,
        nonce,
      ),
    ...update.changes.map((change) =>
      db
        .prepare(
          `INSERT INTO stage_history (site_key, lead_id, from_stage, to_stage, cause, rule_id, created_at)
           SELECT ?1, ?2, ?3, ?4, 'rule', ?5, ?6
           WHERE changes() = 1`,
        )
        .bind(update.siteKey, update.leadId, change.from, change.to, change.ruleId, update.now),
    ),
    ...reported.statements,
  ]
}
