import type { SpamReason } from '../../../shared/spam'

export type { SpamReason }

/**
 * Holds a suspected spam submission with its reason (docs/spam-and-abuse.md#spam-table); it never
 * becomes a lead.
 */
/**
 * A flood must not turn into a flood of writes: `rate` is held at most once
 * per site and minute; every other reason once per attempt.
 */
export async function insertSpam(
  db: D1Database,
  spam: {
    siteKey: string
    reason: SpamReason
    formId: string | null
    emailDomain: string | null
    payload: unknown
    now: string
  },
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

interface SpamRow {
  id: number
  reason: SpamReason
  form_id: string | null
  email_domain: string | null
  payload: string | null
  created_at: string
}

/** Newest first, keyset-paged by id; held for 30 days (see maintenance). */
export async function listSpam(
  db: D1Database,
  siteKey: string,
  filter: { reason?: string | undefined; beforeId?: number | undefined; limit: number },
) {
  const { results } = await db
    .prepare(
      `SELECT id, reason, form_id, email_domain, payload, created_at FROM spam
       WHERE site_key = ?1 AND (?2 IS NULL OR reason = ?2) AND (?3 IS NULL OR id < ?3)
       ORDER BY id DESC LIMIT ?4`,
    )
    .bind(siteKey, filter.reason ?? null, filter.beforeId ?? null, filter.limit)
    .all<SpamRow>()
  return results.map((row) => {
    let fields: string[] = []
    try {
      const payload = JSON.parse(row.payload ?? '{}') as { fields?: unknown }
      if (Array.isArray(payload.fields))
        fields = payload.fields.filter((f): f is string => typeof f === 'string')
    } catch {
      // a truncated payload lists no fields
    }
    return {
      id: row.id,
      reason: row.reason,
      formId: row.form_id,
      emailDomain: row.email_domain,
      fields,
      createdAt: row.created_at,
    }
  })
}
