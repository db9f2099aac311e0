import type { Touch } from '../domain/attribution'
import {
  eventsStatements,
  leadWriteCondition,
  newWriteNonce,
  writtenEventIds,
  type NewEvent,
} from './outbound'

/**
 * Stores a re-classification of a lead (new touchpoints arrived): scores,
 * reasons, state, temperature and stage, plus one history row per rule step.
 * Guarded by the version read, so a concurrent write makes it a no-op that
 * the caller retries; the history rows land only with the update (each
 * insert runs only if the statement before it changed one row). The events that report it join
 * the batch (docs/outbound.md#events); answers their ids, or `null` when nothing was written.
 */
export async function updateLeadScore(
  db: D1Database,
  update: {
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
  },
  events: readonly NewEvent[] = [],
): Promise<string[] | null> {
  const nonce = newWriteNonce()
  const reported = eventsStatements(db, events, leadWriteCondition(update.leadId, nonce))
  const results = await db.batch([
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
  ])
  // D1 counts the rows the daily-rollup triggers write (migration 0023) in `changes` too.
  return (results[0]?.meta.changes ?? 0) > 0 ? writtenEventIds(results) : null
}
