export type SpamReason = 'honeypot' | 'too_fast' | 'turnstile' | 'rate' | 'disposable'

/** Holds a suspected spam submission with its reason (SPEC §6); it never becomes a lead. */
/**
 * A flood must not turn into a flood of writes: `rate` is held at most once
 * per site and minute; every other reason once per attempt.
 */
export async function insertSpam(
  db: D1Database,
  spam: { siteKey: string; reason: SpamReason; formId: string | null; emailDomain: string | null; payload: unknown; now: string },
): Promise<void> {
  // Bounded: the payload was validated, but a held copy need not be whole.
  const payload = JSON.stringify(spam.payload).slice(0, 8000)
  const windowStart = new Date(Date.parse(spam.now) - 60_000).toISOString()
  await db
    .prepare(
      `INSERT INTO spam (site_key, reason, form_id, email_domain, payload, created_at)
       SELECT ?1, ?2, ?3, ?4, ?5, ?6
       WHERE ?2 <> 'rate'
          OR NOT EXISTS (SELECT 1 FROM spam WHERE site_key = ?1 AND reason = 'rate' AND created_at > ?7)`,
    )
    .bind(spam.siteKey, spam.reason, spam.formId, spam.emailDomain, payload, spam.now, windowStart)
    .run()
}
