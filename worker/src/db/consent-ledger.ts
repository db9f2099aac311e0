import type { ConsentEntry } from '../../../shared/leads'

interface ConsentRow {
  id: number
  purpose: string
  status: string
  method: string
  text_id: string | null
  text_sha256: string | null
  form_id: string | null
  page_url: string | null
  network: string | null
  user_agent: string | null
  created_at: string
}

function toConsentEntry(row: ConsentRow): ConsentEntry {
  return {
    id: row.id,
    purpose: row.purpose,
    status: row.status as ConsentEntry['status'],
    method: row.method,
    textId: row.text_id,
    textSha256: row.text_sha256,
    formId: row.form_id,
    pageUrl: row.page_url,
    network: row.network,
    userAgent: row.user_agent,
    createdAt: row.created_at,
  }
}

export async function listLeadConsents(db: D1Database, leadId: string): Promise<ConsentEntry[]> {
  const { results } = await db
    .prepare('SELECT * FROM consent_ledger WHERE lead_id = ?1 ORDER BY id')
    .bind(leadId)
    .all<ConsentRow>()
  return results.map(toConsentEntry)
}
