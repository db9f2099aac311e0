import { insertConsentStatement, type ConsentWrite } from './consent-ledger'

export type LeadTokenPurpose = 'optin' | 'consent'

export interface LeadTokenRow {
  token_hash: string
  lead_id: string
  site_key: string
  purpose: LeadTokenPurpose
  expires_at: string | null
  used_at: string | null
  created_at: string
}

export function insertLeadTokenStatement(
  db: D1Database,
  token: {
    hash: string
    leadId: string
    siteKey: string
    purpose: LeadTokenPurpose
    expiresAt: string | null
    now: string
  },
): D1PreparedStatement {
  return db
    .prepare(
      // A receipt token derived from its submission is inserted again by every replay.
      `INSERT INTO lead_tokens (token_hash, lead_id, site_key, purpose, expires_at, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
       ON CONFLICT (token_hash) DO NOTHING`,
    )
    .bind(token.hash, token.leadId, token.siteKey, token.purpose, token.expiresAt, token.now)
}

export async function findLeadToken(
  db: D1Database,
  hash: string,
  purpose: LeadTokenPurpose,
): Promise<LeadTokenRow | null> {
  return db
    .prepare('SELECT * FROM lead_tokens WHERE token_hash = ?1 AND purpose = ?2')
    .bind(hash, purpose)
    .first<LeadTokenRow>()
}

/**
 * Uses a single-use opt-in token and records what using it confirms, in one
 * transaction: the ledger entry is written only if this request is the one
 * that marked the token used, and only while the purpose's latest entry is
 * still a `pending` grant no newer than the link. So a withdrawal (or any
 * later answer) voids every older link: a withdrawal is final until consent
 * is given anew (docs/consent-and-privacy.md#withdrawal). False when the
 * token was used first by another request or is void.
 */
export async function useLeadToken(
  db: D1Database,
  hash: string,
  confirmation: ConsentWrite,
  /** Statements that report the confirmation (docs/outbound.md), guarded by themselves. */
  alongside: D1PreparedStatement[] = [],
): Promise<boolean> {
  const latest = (column: string) =>
    `(SELECT ${column} FROM consent_ledger WHERE lead_id = lead_tokens.lead_id AND purpose = ?3 ORDER BY id DESC LIMIT 1)`
  const [used] = await db.batch([
    db
      .prepare(
        `UPDATE lead_tokens SET used_at = ?2 WHERE token_hash = ?1 AND used_at IS NULL
           AND ${latest('status')} = 'pending' AND ${latest('created_at')} <= lead_tokens.created_at`,
      )
      .bind(hash, confirmation.now, confirmation.purpose),
    insertConsentStatement(db, confirmation, 'changes() = 1'),
    ...alongside,
  ])
  return (used?.meta.changes ?? 0) === 1
}
