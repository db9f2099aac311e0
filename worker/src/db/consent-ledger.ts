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

export interface ConsentWrite {
  siteKey: string
  leadId: string
  purpose: string
  status: 'granted' | 'withdrawn' | 'pending' | 'confirmed'
  method: 'checkbox' | 'double_opt_in' | 'link'
  textId: string | null
  textSha256: string | null
  formId: string | null
  pageUrl: string | null
  network: string | null
  userAgent: string | null
  now: string
}

export function insertConsentStatement(
  db: D1Database,
  entry: ConsentWrite,
  guard = 'true',
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO consent_ledger (site_key, lead_id, purpose, status, method, text_id, text_sha256, form_id, page_url,
         network, user_agent, created_at)
       SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12 WHERE ${guard}`,
    )
    .bind(
      entry.siteKey,
      entry.leadId,
      entry.purpose,
      entry.status,
      entry.method,
      entry.textId,
      entry.textSha256,
      entry.formId,
      entry.pageUrl,
      entry.network,
      entry.userAgent,
      entry.now,
    )
}

export interface ReceiptRow extends ConsentRow {
  text: string | null
  version: number | null
}

/** The ledger with the exact texts shown, for the lead's own receipt. */
export async function listReceipt(db: D1Database, leadId: string): Promise<ReceiptRow[]> {
  const { results } = await db
    .prepare(
      `SELECT consent_ledger.*, consent_texts.text, consent_texts.version FROM consent_ledger
       LEFT JOIN consent_texts ON consent_texts.id = consent_ledger.text_id
       WHERE consent_ledger.lead_id = ?1 ORDER BY consent_ledger.id`,
    )
    .bind(leadId)
    .all<ReceiptRow>()
  return results
}

/** Each purpose's latest status: what the lead has agreed to now. */
export function currentConsents(
  rows: readonly {
    purpose: string
    status: string
    text_id: string | null
    text_sha256: string | null
  }[],
) {
  const current = new Map<
    string,
    { status: string; textId: string | null; textSha256: string | null }
  >()
  for (const row of rows) {
    const previous = current.get(row.purpose)
    // A double opt-in confirmation keeps the text of the pending grant it confirms.
    current.set(row.purpose, {
      status: row.status,
      textId: row.text_id ?? previous?.textId ?? null,
      textSha256: row.text_sha256 ?? previous?.textSha256 ?? null,
    })
  }
  return current
}

/** Whether a submission of a lead not erased granted (or signed up for) any consent. */
export async function submissionGaveConsent(
  db: D1Database,
  leadId: string,
  submissionId: string,
): Promise<boolean> {
  const row = await db
    .prepare(
      `SELECT 1 FROM consent_ledger JOIN leads ON leads.id = consent_ledger.lead_id
       WHERE consent_ledger.lead_id = ?1 AND consent_ledger.submission_id = ?2
         AND consent_ledger.status IN ('granted', 'pending') AND leads.erased_at IS NULL LIMIT 1`,
    )
    .bind(leadId, submissionId)
    .first()
  return row !== null
}
