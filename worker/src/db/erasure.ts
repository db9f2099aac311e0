import { eventStatements, type NewEvent } from './outbound'

/**
 * Erases every personal datum of a lead from every table (GDPR Art. 17;
 * docs/consent-and-privacy.md#erasure) in one transaction. What reports need stays as an anonymous
 * tombstone: the lead row keeps its id, stage, campaign touches, times and
 * deal value, so past campaign figures do not change. The lead's earlier outbound events go with
 * their deliveries, sent or not (they carried its data), and `erased` (docs/outbound.md#events),
 * which names the lead's id alone, takes their place. Answers the new event's id, or `null` when
 * the lead was not there to erase.
 */
export async function eraseLead(
  db: D1Database,
  siteKey: string,
  leadId: string,
  now: string,
  erased: NewEvent,
): Promise<string | null> {
  // Every statement names the site too: a lead id of another site erases nothing.
  const owned = await db
    .prepare('SELECT 1 AS owned FROM leads WHERE site_key = ?1 AND id = ?2 AND erased_at IS NULL')
    .bind(siteKey, leadId)
    .first()
  if (!owned) return null
  // Written only by the erasure that erased it, at this time.
  const event = eventStatements(db, erased, {
    sql: 'EXISTS (SELECT 1 FROM leads WHERE id = ?C1 AND erased_at = ?C2)',
    params: [leadId, now],
  })
  const [, lead] = await db.batch([
    // Held spam that named the lead's address goes too (docs/spam-and-abuse.md#spam-table); first,
    // while the lead still has its email key.
    db
      .prepare(
        `DELETE FROM spam WHERE site_key = ?1 AND email_key IS NOT NULL
           AND email_key = (SELECT email_key FROM leads WHERE site_key = ?1 AND id = ?2)`,
      )
      .bind(siteKey, leadId),
    db
      .prepare(
        `UPDATE leads SET email = NULL, email_key = NULL, email_domain = NULL, first_name = NULL, last_name = NULL,
           company = NULL, job_title = NULL, phone = NULL, fields = '{}', missing = '[]', score_reasons = '[]',
           score_state = '{}', external_id = NULL, conversion_probability = NULL, conversion_factors = '[]',
           erased_at = ?3, updated_at = ?3, version = version + 1
         WHERE site_key = ?1 AND id = ?2 AND erased_at IS NULL`,
      )
      .bind(siteKey, leadId, now),
    // Submissions stay as anonymous rows, so a replayed submission id cannot bring the lead back;
    // their answer loses the download link.
    db
      .prepare(
        `UPDATE submissions SET fields = '{}', page_url = '', referrer = NULL, utm = NULL,
           response = json_remove(response, '$.download')
         WHERE lead_id = ?1 AND site_key = ?2`,
      )
      .bind(leadId, siteKey),
    // The ledger keeps that a consent existed and when; not where from or with which browser.
    db
      .prepare(
        'UPDATE consent_ledger SET network = NULL, user_agent = NULL, page_url = NULL WHERE lead_id = ?1 AND site_key = ?2',
      )
      .bind(leadId, siteKey),
    // Touchpoints keep type, time and campaign; addresses, identifiers, referrers and click ids go.
    db
      .prepare(
        `UPDATE touchpoints SET visitor_id = NULL, daily_hash = NULL, referrer = NULL, props = NULL,
           url = '', path = '', utm_term = NULL, utm_content = NULL
         WHERE lead_id = ?1 AND site_key = ?2`,
      )
      .bind(leadId, siteKey),
    db
      .prepare('UPDATE stage_history SET reason = NULL WHERE lead_id = ?1 AND site_key = ?2')
      .bind(leadId, siteKey),
    db
      .prepare('DELETE FROM lead_visitors WHERE lead_id = ?1 AND site_key = ?2')
      .bind(leadId, siteKey),
    db
      .prepare('DELETE FROM lead_tokens WHERE lead_id = ?1 AND site_key = ?2')
      .bind(leadId, siteKey),
    db.prepare('DELETE FROM outbox WHERE lead_id = ?1 AND site_key = ?2').bind(leadId, siteKey),
    db
      .prepare(
        `DELETE FROM outbound_attempts WHERE delivery_id IN (SELECT d.delivery_id FROM outbound_deliveries d
           JOIN outbound_events e ON e.event_id = d.event_id WHERE e.site_key = ?2 AND e.lead_id = ?1)`,
      )
      .bind(leadId, siteKey),
    db
      .prepare(
        `DELETE FROM outbound_deliveries WHERE event_id IN (SELECT event_id FROM outbound_events
           WHERE site_key = ?2 AND lead_id = ?1)`,
      )
      .bind(leadId, siteKey),
    // The version counter lives on: `erased` keeps counting after what receivers have seen.
    db
      .prepare(
        `UPDATE outbound_events SET payload = json_object('type', type, 'timestamp', created_at,
           'data', json_object('siteKey', site_key, 'leadId', lead_id, 'version', version, 'erased', json('true')))
         WHERE site_key = ?2 AND lead_id = ?1`,
      )
      .bind(leadId, siteKey),
    db.prepare('DELETE FROM crm_links WHERE lead_id = ?1 AND site_key = ?2').bind(leadId, siteKey),
    ...event.statements,
  ])
  return (lead?.meta.changes ?? 0) > 0 ? event.eventId : null
}
