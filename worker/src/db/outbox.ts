export interface OutboxMessage {
  siteKey: string
  /** The lead the mail is about; null for mail to the app's users (docs/app-sign-in.md). */
  leadId: string | null
  to: string
  subject: string
  text: string
}

export function insertOutboxStatement(
  db: D1Database,
  message: OutboxMessage,
  now: string,
): D1PreparedStatement {
  return db
    .prepare(
      'INSERT INTO outbox (site_key, lead_id, recipient, subject, body, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)',
    )
    .bind(message.siteKey, message.leadId, message.to, message.subject, message.text, now)
}
