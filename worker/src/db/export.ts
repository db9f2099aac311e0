/** Every row stored about a lead, as stored (data portability, GDPR Art. 20). */
export async function exportLeadRows(db: D1Database, leadId: string) {
  const [lead, submissions, consents, touchpoints, history, visitors, mails] = await db.batch([
    db.prepare('SELECT * FROM leads WHERE id = ?1').bind(leadId),
    db.prepare('SELECT * FROM submissions WHERE lead_id = ?1 ORDER BY created_at').bind(leadId),
    db
      .prepare(
        `SELECT consent_ledger.*, consent_texts.text AS text, consent_texts.version AS text_version
         FROM consent_ledger LEFT JOIN consent_texts ON consent_texts.id = consent_ledger.text_id
         WHERE consent_ledger.lead_id = ?1 ORDER BY consent_ledger.id`,
      )
      .bind(leadId),
    db
      .prepare('SELECT * FROM touchpoints WHERE lead_id = ?1 ORDER BY occurred_at, seq')
      .bind(leadId),
    db.prepare('SELECT * FROM stage_history WHERE lead_id = ?1 ORDER BY id').bind(leadId),
    db.prepare('SELECT visitor_id, created_at FROM lead_visitors WHERE lead_id = ?1').bind(leadId),
    db
      .prepare(
        'SELECT recipient, subject, body, created_at FROM outbox WHERE lead_id = ?1 ORDER BY id',
      )
      .bind(leadId),
  ])
  return {
    lead: lead?.results[0] ?? null,
    submissions: submissions?.results ?? [],
    consents: consents?.results ?? [],
    touchpoints: touchpoints?.results ?? [],
    stageHistory: history?.results ?? [],
    visitorIds: visitors?.results ?? [],
    mails: mails?.results ?? [],
  }
}
