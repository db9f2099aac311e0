import type { SpamReason } from '../../../shared/spam'
import type { ConsentGrant, Submission } from '../domain/capture-plan'

export type { SpamReason }

/**
 * A held copy keeps the validated submission whole, or, past this many characters of JSON, only
 * its field names (docs/spam-and-abuse.md#spam-table). The request limit (64 KB) keeps a real
 * submission under it; JSON is never cut mid-way.
 */
export const HELD_MAX_CHARS = 65_536

/** What a held copy keeps (docs/spam-and-abuse.md#spam-table), as JSON in `spam.payload`. */
export interface HeldPayload {
  formId: string
  /** The names of the fields sent; always there, also in copies held before releases. */
  fields: string[]
  /** The validated submission, whole; absent where only the names were kept. */
  submission?: Submission
  /** What the consent ledger needs of the request: the reduced network, the user agent, GPC. */
  received?: { network: string | null; userAgent: string | null; gpc: boolean }
  /** The consent answers as checked against the texts the form showed then, where they checked. */
  consents?: ConsentGrant[]
}

/**
 * Holds a suspected spam submission with its reason (docs/spam-and-abuse.md#spam-table); it becomes
 * a lead only when a person releases it.
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
    emailKey: string | null
    payload: HeldPayload
    now: string
  },
  /** Statements that run after the insert, in its batch (`changes()` tells whether it held). */
  alongside: D1PreparedStatement[] = [],
): Promise<D1Result[]> {
  let payload = JSON.stringify(spam.payload)
  if (payload.length > HELD_MAX_CHARS)
    payload = JSON.stringify({ formId: spam.payload.formId, fields: spam.payload.fields })
  const windowStart = new Date(Date.parse(spam.now) - 60_000).toISOString()
  const insert = db
    .prepare(
      `INSERT INTO spam (site_key, reason, form_id, email_domain, email_key, payload, created_at)
       SELECT ?1, ?2, ?3, ?4, ?8, ?5, ?6
       WHERE ?2 <> 'rate'
          OR NOT EXISTS (SELECT 1 FROM spam WHERE site_key = ?1 AND reason = 'rate' AND created_at > ?7)`,
    )
    .bind(
      spam.siteKey,
      spam.reason,
      spam.formId,
      spam.emailDomain,
      payload,
      spam.now,
      windowStart,
      spam.emailKey,
    )
  return db.batch([insert, ...alongside])
}

interface SpamRow {
  id: number
  reason: SpamReason
  form_id: string | null
  email_domain: string | null
  payload: string | null
  created_at: string
}

/** The payload as stored; a copy of before releases (or an unreadable one) has no submission. */
function readPayload(row: SpamRow): HeldPayload {
  try {
    const payload = JSON.parse(row.payload ?? '{}') as Partial<HeldPayload>
    return {
      ...payload,
      formId: typeof payload.formId === 'string' ? payload.formId : (row.form_id ?? ''),
      fields: Array.isArray(payload.fields)
        ? payload.fields.filter((f): f is string => typeof f === 'string')
        : [],
    }
  } catch {
    // a copy cut by an older version lists no fields
    return { formId: row.form_id ?? '', fields: [] }
  }
}

/** A list shows each text cut to this many characters; the release uses the whole. */
const SHOWN_CHARS = 500

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
    const payload = readPayload(row)
    const values = Object.fromEntries(
      Object.entries(payload.submission?.fields ?? {}).map(([name, value]) => [
        name,
        typeof value === 'string' ? value.slice(0, SHOWN_CHARS) : value,
      ]),
    )
    return {
      id: row.id,
      reason: row.reason,
      formId: row.form_id,
      emailDomain: row.email_domain,
      fields: payload.fields,
      createdAt: row.created_at,
      releasable: !!payload.submission,
      values,
    }
  })
}

/** One held copy of the site, with what it kept; `null` when there is none of that id. */
export async function findSpam(
  db: D1Database,
  siteKey: string,
  id: number,
): Promise<{ id: number; reason: SpamReason; createdAt: string; payload: HeldPayload } | null> {
  const row = await db
    .prepare(
      'SELECT id, reason, form_id, email_domain, payload, created_at FROM spam WHERE site_key = ?1 AND id = ?2',
    )
    .bind(siteKey, id)
    .first<SpamRow>()
  if (!row) return null
  return { id: row.id, reason: row.reason, createdAt: row.created_at, payload: readPayload(row) }
}

/** Deletes one held copy; answers whether it was there. */
export async function deleteSpam(db: D1Database, siteKey: string, id: number): Promise<boolean> {
  const result = await db
    .prepare('DELETE FROM spam WHERE site_key = ?1 AND id = ?2')
    .bind(siteKey, id)
    .run()
  return result.meta.changes === 1
}
