import type { StageChange } from '../../../shared/leads'

interface StageHistoryRow {
  from_stage: string | null
  to_stage: string
  cause: string
  rule_id: string | null
  token_id: string | null
  reason: string | null
  value_amount: number | null
  value_currency: string | null
  created_at: string
}

function toStageChange(row: StageHistoryRow): StageChange {
  return {
    from: row.from_stage,
    to: row.to_stage,
    cause: row.cause as StageChange['cause'],
    ruleId: row.rule_id,
    tokenId: row.token_id,
    reason: row.reason,
    value:
      row.value_amount !== null && row.value_currency !== null
        ? { amount: row.value_amount, currency: row.value_currency }
        : null,
    at: row.created_at,
  }
}

export async function listStageHistory(db: D1Database, leadId: string): Promise<StageChange[]> {
  const { results } = await db
    .prepare('SELECT * FROM stage_history WHERE lead_id = ?1 ORDER BY id')
    .bind(leadId)
    .all<StageHistoryRow>()
  return results.map(toStageChange)
}
