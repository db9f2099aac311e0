import {
  eventsStatements,
  leadWriteCondition,
  newWriteNonce,
  writtenEventIds,
  type NewEvent,
} from './outbound'

/**
 * A stage set by a person: the lead's stage is locked against rules
 * (`stage_set_by = 'manual'`) and the change joins the history, with the
 * token that made it, the reason and, for `customer`, the deal value.
 * Guarded by the lead's version so a concurrent change is not overwritten. The events that report
 * it (docs/outbound.md#events) join the batch; answers their ids, or `null` when the lead changed
 * meanwhile and nothing was written.
 */
export async function applyManualStage(
  db: D1Database,
  change: {
    siteKey: string
    leadId: string
    expectedVersion: number
    from: string
    to: string
    tokenId: string
    reason: string | null
    value: { amount: number; currency: string } | null
    now: string
    /** When the change happened, if earlier than `now`: an imported outcome (docs/import.md). */
    at?: string
  },
  events: readonly NewEvent[] = [],
): Promise<string[] | null> {
  const isCustomer = change.to === 'customer'
  const nonce = newWriteNonce()
  const reported = eventsStatements(db, events, leadWriteCondition(change.leadId, nonce))
  const results = await db.batch([
    db
      .prepare(
        `UPDATE leads SET stage = ?3, stage_set_by = 'manual', stage_changed_at = ?9,
           customer_at = CASE WHEN ?5 THEN ?9 ELSE NULL END,
           deal_amount = CASE WHEN ?5 THEN ?6 ELSE NULL END,
           deal_currency = CASE WHEN ?5 THEN ?7 ELSE NULL END,
           updated_at = ?4, version = version + 1, write_nonce = ?10
         WHERE site_key = ?1 AND id = ?2 AND version = ?8`,
      )
      .bind(
        change.siteKey,
        change.leadId,
        change.to,
        change.now,
        isCustomer ? 1 : 0,
        change.value?.amount ?? null,
        change.value?.currency ?? null,
        change.expectedVersion,
        change.at ?? change.now,
        nonce,
      ),
    db
      .prepare(
        `INSERT INTO stage_history (site_key, lead_id, from_stage, to_stage, cause, token_id, reason, value_amount, value_currency, created_at)
         SELECT ?1, ?2, ?3, ?4, 'manual', ?5, ?6, ?7, ?8, ?9
         WHERE changes() = 1`,
      )
      .bind(
        change.siteKey,
        change.leadId,
        change.from,
        change.to,
        change.tokenId,
        change.reason,
        change.value?.amount ?? null,
        change.value?.currency ?? null,
        change.at ?? change.now,
      ),
    ...reported.statements,
  ])
  // D1 counts the rows the daily-rollup triggers write (migration 0023) in `changes` too.
  return (results[0]?.meta.changes ?? 0) > 0 ? writtenEventIds(results) : null
}
