/**
 * What the installation check reads (docs/app.md#install): per site, the origins it does not
 * allow that asked for it anyway (`origin_refusals`), and per allowed origin its first page view
 * and last event (`origin_activity`). Neither holds an address or a visitor id.
 */

const MINUTE = 60_000

/** A site remembers at most this many refused origins; further new ones are not stored. */
export const MAX_REFUSED_ORIGINS = 20

/** The kind of public request a page made: the widget's configuration, a form start, events, a lead. */
export type RefusedRequest = 'config' | 'start' | 'events' | 'leads'

export interface Refusal {
  siteKey: string
  origin: string
  request: RefusedRequest
  /** The collector path asked for, without the query (no personal data travels in it). */
  path: string
}

/**
 * Refusals seen in this isolate since its last write of each site and origin, and when that
 * write was. A page on a wrong origin asks several times a page view and a flood asks thousands
 * of times: the row is written at most once a minute, and the refusals in between are added to
 * the count of the next write rather than lost. Bounded, since any page can send any origin.
 */
const pending = new Map<string, { count: number; writtenAt: number }>()
const MAX_PENDING = 2000

/**
 * Records a refusal. Skipped in this isolate within a minute of its last write for the same
 * site and origin; in the database a row is likewise updated at most once a minute (other
 * isolates), and a new origin is stored only while the site has fewer than
 * `MAX_REFUSED_ORIGINS`. Answers whether a row was written.
 */
export async function recordRefusal(db: D1Database, refusal: Refusal, now: Date): Promise<boolean> {
  const key = `${refusal.siteKey}\n${refusal.origin}`
  const seen = pending.get(key) ?? { count: 0, writtenAt: -Infinity }
  seen.count += 1
  if (!pending.has(key)) {
    if (pending.size >= MAX_PENDING) pending.clear()
    pending.set(key, seen)
  }
  if (now.getTime() - seen.writtenAt < MINUTE) return false
  const at = now.toISOString()
  const result = await db
    .prepare(
      `INSERT INTO origin_refusals (site_key, origin, first_at, last_at, count, last_request, last_path)
       SELECT ?1, ?2, ?3, ?3, ?4, ?5, ?6
       WHERE EXISTS (SELECT 1 FROM origin_refusals WHERE site_key = ?1 AND origin = ?2)
          OR (SELECT count(*) FROM origin_refusals WHERE site_key = ?1) < ?8
       ON CONFLICT (site_key, origin) DO UPDATE SET
         last_at = excluded.last_at, count = origin_refusals.count + excluded.count,
         last_request = excluded.last_request, last_path = excluded.last_path
       WHERE origin_refusals.last_at <= ?7`,
    )
    .bind(
      refusal.siteKey,
      refusal.origin,
      at,
      seen.count,
      refusal.request,
      refusal.path,
      new Date(now.getTime() - MINUTE).toISOString(),
      MAX_REFUSED_ORIGINS,
    )
    .run()
  seen.writtenAt = now.getTime()
  const written = (result.meta.changes ?? 0) > 0
  // Counted once written; kept for the next write when another isolate wrote this minute.
  if (written) seen.count = 0
  return written
}

export interface RefusedOrigin {
  origin: string
  firstAt: string
  lastAt: string
  count: number
  lastRequest: RefusedRequest
  lastPath: string
}

interface RefusalRow {
  origin: string
  first_at: string
  last_at: string
  count: number
  last_request: string
  last_path: string
}

/** The site's refused origins, the latest first. */
export async function listRefusedOrigins(
  db: D1Database,
  siteKey: string,
): Promise<RefusedOrigin[]> {
  const { results } = await db
    .prepare(
      `SELECT origin, first_at, last_at, count, last_request, last_path FROM origin_refusals
       WHERE site_key = ?1 ORDER BY last_at DESC, origin LIMIT ?2`,
    )
    .bind(siteKey, MAX_REFUSED_ORIGINS)
    .all<RefusalRow>()
  return results.map((row) => ({
    origin: row.origin,
    firstAt: row.first_at,
    lastAt: row.last_at,
    count: row.count,
    lastRequest: row.last_request as RefusedRequest,
    lastPath: row.last_path,
  }))
}

/**
 * The statement that keeps an allowed origin's activity, run in the events ingest's batch (no
 * round trip of its own): the first page view is set once, the last event moves at most once a
 * minute, so a busy site writes this row at most once a minute per origin.
 */
export function noteOriginActivity(
  db: D1Database,
  siteKey: string,
  origin: string,
  hasPageView: boolean,
  now: Date,
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO origin_activity (site_key, origin, first_page_view_at, last_event_at)
       VALUES (?1, ?2, CASE WHEN ?3 = 1 THEN ?4 END, ?4)
       ON CONFLICT (site_key, origin) DO UPDATE SET
         first_page_view_at = COALESCE(origin_activity.first_page_view_at, excluded.first_page_view_at),
         last_event_at = excluded.last_event_at
       WHERE (origin_activity.first_page_view_at IS NULL AND excluded.first_page_view_at IS NOT NULL)
          OR origin_activity.last_event_at <= ?5`,
    )
    .bind(
      siteKey,
      origin,
      hasPageView ? 1 : 0,
      now.toISOString(),
      new Date(now.getTime() - MINUTE).toISOString(),
    )
}

/**
 * What this isolate wrote to `origin_activity` lately, so that most batches of a busy origin
 * carry no extra statement at all: one is added only when the row may change (the first batch
 * here, a minute after the last write, or the first page view). Bounded like `pending`.
 */
const noted = new Map<string, { at: number; pageView: boolean }>()

/**
 * The activity statement for this batch, or null when it would change nothing; `noted()` is
 * to be called once the batch has landed.
 */
export function originActivityNote(
  db: D1Database,
  siteKey: string,
  origin: string,
  hasPageView: boolean,
  now: Date,
): { statement: D1PreparedStatement; noted: () => void } | null {
  const key = `${siteKey}\n${origin}`
  const seen = noted.get(key)
  if (seen && now.getTime() - seen.at < MINUTE && (seen.pageView || !hasPageView)) return null
  return {
    statement: noteOriginActivity(db, siteKey, origin, hasPageView, now),
    noted: () => {
      if (!noted.has(key) && noted.size >= MAX_PENDING) noted.clear()
      noted.set(key, { at: now.getTime(), pageView: hasPageView || !!seen?.pageView })
    },
  }
}

export interface OriginActivity {
  origin: string
  firstPageViewAt: string | null
  lastEventAt: string | null
}

/** The activity of each of `origins` (the site's allowed ones), in their order. */
export async function listOriginActivity(
  db: D1Database,
  siteKey: string,
  origins: string[],
): Promise<OriginActivity[]> {
  const { results } = await db
    .prepare(
      `SELECT origin, first_page_view_at, last_event_at FROM origin_activity
       WHERE site_key = ?1 AND origin IN (SELECT value FROM json_each(?2))`,
    )
    .bind(siteKey, JSON.stringify(origins))
    .all<{ origin: string; first_page_view_at: string | null; last_event_at: string }>()
  const byOrigin = new Map(results.map((row) => [row.origin, row]))
  return origins.map((origin) => ({
    origin,
    firstPageViewAt: byOrigin.get(origin)?.first_page_view_at ?? null,
    lastEventAt: byOrigin.get(origin)?.last_event_at ?? null,
  }))
}

export interface RecentEvent {
  type: string
  path: string
  origin: string
  formId: string | null
  receivedAt: string
}

/**
 * The site's newest touchpoints (index touchpoints_site_received): what, where and when only,
 * never a visitor id, hash or property.
 */
export async function listRecentEvents(
  db: D1Database,
  siteKey: string,
  limit = 20,
): Promise<RecentEvent[]> {
  const { results } = await db
    .prepare(
      `SELECT type, url, path, form_id, received_at FROM touchpoints
       WHERE site_key = ?1 ORDER BY received_at DESC, seq DESC LIMIT ?2`,
    )
    .bind(siteKey, limit)
    .all<{ type: string; url: string; path: string; form_id: string | null; received_at: string }>()
  return results.map((row) => ({
    type: row.type,
    path: row.path,
    origin: originOf(row.url),
    formId: row.form_id,
    receivedAt: row.received_at,
  }))
}

function originOf(url: string): string {
  try {
    return new URL(url).origin
  } catch {
    return ''
  }
}

/**
 * Allows `origin` on the site in one transaction, so two admins allowing at once both land: the
 * origin is appended to `allowed_origins` unless it is there or the site has 50, the origin
 * index follows, and the origin's refusal record goes. Answers the site's origins after it, or
 * null for no such site.
 */
export async function allowOrigin(
  db: D1Database,
  siteKey: string,
  origin: string,
  maxOrigins: number,
  now: string,
): Promise<string[] | null> {
  const results = await db.batch([
    db
      .prepare(
        `UPDATE sites SET allowed_origins = json_insert(allowed_origins, '$[#]', ?2), updated_at = ?4
         WHERE site_key = ?1 AND json_array_length(allowed_origins) < ?3
           AND NOT EXISTS (SELECT 1 FROM json_each(sites.allowed_origins) WHERE value = ?2)`,
      )
      .bind(siteKey, origin, maxOrigins, now),
    db
      .prepare(
        `INSERT OR IGNORE INTO site_origins (origin, site_key)
         SELECT ?2, ?1 WHERE EXISTS (
           SELECT 1 FROM sites, json_each(sites.allowed_origins) WHERE site_key = ?1 AND value = ?2)`,
      )
      .bind(siteKey, origin),
    db
      .prepare(
        `DELETE FROM origin_refusals WHERE site_key = ?1 AND origin = ?2 AND EXISTS (
           SELECT 1 FROM sites, json_each(sites.allowed_origins) WHERE site_key = ?1 AND value = ?2)`,
      )
      .bind(siteKey, origin),
    db.prepare('SELECT allowed_origins FROM sites WHERE site_key = ?1').bind(siteKey),
  ])
  const row = results[3]!.results[0] as { allowed_origins: string } | undefined
  return row ? (JSON.parse(row.allowed_origins) as string[]) : null
}

/** Refusal records whose last refusal is older than 30 days (the maintenance job). */
export async function purgeOldRefusals(db: D1Database, now: Date): Promise<number> {
  const result = await db
    .prepare('DELETE FROM origin_refusals WHERE last_at <= ?1')
    .bind(new Date(now.getTime() - 30 * 24 * 3600 * 1000).toISOString())
    .run()
  return result.meta.changes ?? 0
}
