export type SpamReason = 'honeypot' | 'too_fast' | 'turnstile' | 'rate' | 'disposable'

/** Holds a suspected spam submission with its reason (SPEC §6); it never becomes a lead. */
export async function insertSpam(
  db: D1Database,
  spam: { siteKey: string; reason: SpamReason; formId: string | null; emailDomain: string | null; payload: unknown; now: string },
): Promise<void> {
  // Bounded: the payload was validated, but a held copy need not be whole.
  const payload = JSON.stringify(spam.payload).slice(0, 8000)
  await db
    .prepare(
      'INSERT INTO spam (site_key, reason, form_id, email_domain, payload, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)',
    )
    .bind(spam.siteKey, spam.reason, spam.formId, spam.emailDomain, payload, spam.now)
    .run()
}
