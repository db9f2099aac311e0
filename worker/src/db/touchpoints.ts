import type { TouchpointInput } from '../../../shared/events'
import { JOURNEY_PAGE_MAX } from '../../../shared/leads'
import { campaignKey } from '../domain/attribution'
import { campaignParams, originAndPath, storedReferrer, withoutQuery } from '../domain/url'

/** A touchpoint ready to store: normalised URL parts, clamped time, lower-cased campaign key. */
export interface TouchpointWrite {
  eventId: string
  type: string
  occurredAt: string
  url: string
  path: string
  referrer: string | null
  utmSource: string | null
  utmMedium: string | null
  utmCampaign: string | null
  utmTerm: string | null
  utmContent: string | null
  formId: string | null
  props: string | null
  /** Seconds of engaged time, only on `engaged_time` (docs/wire-contract.md#engaged-time). */
  value?: number | null
  /** The event id of the `page_view` an `engaged_time` belongs to. */
  pageViewId?: string | null
}

const MAX_AGE_MS = 30 * 24 * 3600 * 1000

function clean(value: string | undefined): string | null {
  const trimmed = value?.trim()
  return trimmed ? trimmed : null
}

/**
 * Prepares an event for storage. Client clocks are not trusted beyond reason:
 * a time in the future becomes the receive time, one older than 30 days
 * (a queue that waited too long) becomes 30 days ago. `consented`: the
 * visitor gave tracking consent (sent a visitor id).
 */
/**
 * Click ids identify a person at an ad network: kept only with tracking consent
 * (docs/consent-and-privacy.md#urls-and-click-ids).
 */
const CLICK_IDS = new Set([
  'gclid',
  'fbclid',
  'msclkid',
  'gbraid',
  'wbraid',
  'dclid',
  'ttclid',
  'li_fat_id',
])

export function toTouchpointWrite(
  event: TouchpointInput,
  receivedAt: Date,
  consented = false,
): TouchpointWrite {
  const ts = Date.parse(event.ts)
  const clamped = Math.min(Math.max(ts, receivedAt.getTime() - MAX_AGE_MS), receivedAt.getTime())
  // A page view without `utm` or `props` takes them from its URL's query, as the widget sends it
  // (docs/wire-contract.md#events); what a client sent explicitly stands.
  const fromUrl = event.type === 'page_view' ? campaignParams(event.url) : {}
  const utm = event.utm ?? fromUrl.utm
  const props = Object.fromEntries(
    Object.entries(event.props ?? fromUrl.clickIds ?? {})
      .filter(([key]) => consented || !CLICK_IDS.has(key.toLowerCase()))
      .map(([key, value]) => [key, withoutQuery(value)]),
  )
  return {
    eventId: event.id,
    type: event.type,
    occurredAt: new Date(clamped).toISOString(),
    url: originAndPath(event.url),
    path: new URL(event.url).pathname,
    referrer: storedReferrer(event.referrer),
    utmSource: clean(utm?.source),
    utmMedium: clean(utm?.medium),
    utmCampaign: campaignKey(utm?.campaign),
    utmTerm: clean(utm?.term),
    utmContent: clean(utm?.content),
    formId: event.formId ?? null,
    props: Object.keys(props).length ? JSON.stringify(props) : null,
    value: event.value ?? null,
    pageViewId: event.pageViewId ?? null,
  }
}

/**
 * Inserts a batch in one statement (the rows travel as one JSON parameter;
 * D1 limits bound parameters per statement). An event id seen before for the
 * site is skipped, so retries are safe. Returns the rows that were new.
 */
export async function insertTouchpoints(
  db: D1Database,
  batch: TouchpointBatch,
): Promise<InsertedTouchpoint[]> {
  const { results } = await touchpointInsert(db, batch).all<InsertedTouchpoint>()
  return results
}

export interface TouchpointBatch {
  siteKey: string
  receivedAt: string
  visitorId: string | null
  dailyHash: string | null
  leadId?: string | null
  rows: TouchpointWrite[]
}

/**
 * One statement per batch whatever its size: the rows travel as one JSON parameter, within D1's
 * 100 bound parameters (docs/scale.md#ingest-cost-flat-in-the-sites-size). The visitor's lead is
 * found by `lead_visitors`' primary key, the conflict by `UNIQUE (site_key, event_id)`.
 */
export const TOUCHPOINT_INSERT_SQL = `INSERT INTO touchpoints (site_key, event_id, type, occurred_at, received_at, url, path, referrer,
     utm_source, utm_medium, utm_campaign, utm_term, utm_content, form_id, props, value, page_view_id, visitor_id, daily_hash, lead_id)
   SELECT ?1, e.value ->> 'eventId', e.value ->> 'type', e.value ->> 'occurredAt', ?2, e.value ->> 'url',
     e.value ->> 'path', e.value ->> 'referrer', e.value ->> 'utmSource', e.value ->> 'utmMedium',
     e.value ->> 'utmCampaign', e.value ->> 'utmTerm', e.value ->> 'utmContent', e.value ->> 'formId',
     e.value ->> 'props', e.value ->> 'value', e.value ->> 'pageViewId', ?3, ?4,
     COALESCE(?5, (SELECT lead_id FROM lead_visitors WHERE site_key = ?1 AND visitor_id = ?3))
   FROM json_each(?6) AS e WHERE true
   ON CONFLICT (site_key, event_id) DO NOTHING
   RETURNING type, occurred_at, path, form_id, value, lead_id, utm_source, utm_medium, utm_campaign`

/**
 * The statement `insertTouchpoints` runs, for a `db.batch` beside other statements; its
 * results are the `InsertedTouchpoint` rows.
 */
export function touchpointInsert(db: D1Database, batch: TouchpointBatch): D1PreparedStatement {
  return db
    .prepare(TOUCHPOINT_INSERT_SQL)
    .bind(
      batch.siteKey,
      batch.receivedAt,
      batch.visitorId,
      batch.dailyHash,
      batch.leadId ?? null,
      JSON.stringify(batch.rows),
    )
}

/** What an insert hands back of each new row: enough to score it for its lead. */
export interface InsertedTouchpoint {
  type: string
  occurred_at: string
  path: string
  form_id: string | null
  value: number | null
  lead_id: string | null
  utm_source: string | null
  utm_medium: string | null
  utm_campaign: string | null
}

export interface JourneyRow {
  /** The row's insertion order (its rowid): breaks ties of `occurred_at` in every ordered read. */
  seq: number
  event_id: string
  type: string
  occurred_at: string
  url: string
  path: string
  referrer: string | null
  utm_source: string | null
  utm_medium: string | null
  utm_campaign: string | null
  form_id: string | null
  /** Seconds of engaged time, only on `engaged_time`. */
  value: number | null
  /** The `page_view`'s event id, only on `engaged_time`. */
  page_view_id: string | null
}

const JOURNEY_COLUMNS = `seq, event_id, type, occurred_at, url, path, referrer, utm_source, utm_medium,
  utm_campaign, form_id, value, page_view_id`

/** A position in a time-ordered read of touchpoints: the last row's time and `seq`. */
export interface TouchpointPosition {
  occurredAt: string
  seq: number
}

/**
 * A page of a lead's journey, newest first (`touchpoints_lead`, a range search from the newest);
 * `before` continues after the last row of the page before
 * (docs/scale.md#ingest-cost-flat-in-the-sites-size).
 */
export const LEAD_JOURNEY_SQL = `SELECT ${JOURNEY_COLUMNS} FROM touchpoints
  WHERE lead_id = ?1 AND (occurred_at, seq) < (?2, ?3)
  ORDER BY occurred_at DESC, seq DESC LIMIT ?4`

export async function listLeadTouchpoints(
  db: D1Database,
  leadId: string,
  page: { before?: TouchpointPosition; limit: number },
): Promise<JourneyRow[]> {
  // After every stored time: ISO times start with a digit.
  const before = page.before ?? { occurredAt: '~', seq: Number.MAX_SAFE_INTEGER }
  const { results } = await db
    .prepare(LEAD_JOURNEY_SQL)
    .bind(leadId, before.occurredAt, before.seq, Math.min(page.limit, JOURNEY_PAGE_MAX + 1))
    .all<JourneyRow>()
  return results
}

/**
 * One page of a visitor's unattached touchpoints, oldest first, after a position
 * (`touchpoints_visitor_unattached`, migration 0022: a range search bounded by the visitor). Named,
 * since without statistics SQLite rates `touchpoints_visitor_time` the same, which also walks the
 * visitor's touchpoints already attached to a lead.
 */
export const UNATTACHED_VISITOR_SQL = `SELECT ${JOURNEY_COLUMNS}
  FROM touchpoints INDEXED BY touchpoints_visitor_unattached
  WHERE site_key = ?1 AND lead_id IS NULL AND visitor_id = ?2 AND (occurred_at, seq) > (?3, ?4)
  ORDER BY occurred_at, seq LIMIT ?5`

/** Unattached touchpoints read per page, and at most this many pages per submission. */
export const UNATTACHED_PAGE = 1000
export const UNATTACHED_PAGES = 50

/**
 * A visitor's touchpoints not yet attached to a lead (they join it by its visitor id), oldest
 * first: all of them, read in pages of `UNATTACHED_PAGE`, so a lead is scored on its whole history.
 * Past `UNATTACHED_PAGES` pages (50,000 touchpoints) the newest stay unattached for the
 * visitor's next submission, so one request stays within a Worker's memory.
 */
export async function listUnattachedVisitorTouchpoints(
  db: D1Database,
  siteKey: string,
  visitorId: string,
): Promise<JourneyRow[]> {
  const all: JourneyRow[] = []
  // Before every stored time: ISO times start with a digit.
  let after: TouchpointPosition = { occurredAt: '', seq: 0 }
  for (let page = 0; page < UNATTACHED_PAGES; page++) {
    const { results } = await db
      .prepare(UNATTACHED_VISITOR_SQL)
      .bind(siteKey, visitorId, after.occurredAt, after.seq, UNATTACHED_PAGE)
      .all<JourneyRow>()
    all.push(...results)
    const last = results[results.length - 1]
    if (results.length < UNATTACHED_PAGE || !last) break
    after = { occurredAt: last.occurred_at, seq: last.seq }
  }
  return all
}

/** A touchpoint the attachment rule reads: `own` when it carries the submitter's visitor id. */
export interface JourneyCandidateRow extends JourneyRow {
  own: 0 | 1
}

/**
 * The attachment rule's candidates: two range searches, one per index of migration 0022, merged
 * in time order (`MERGE (UNION ALL)`, no sort). A row under both keys is read once, as `own`.
 */
export const JOURNEY_CANDIDATES_SQL = `SELECT ${JOURNEY_COLUMNS}, 0 AS own FROM touchpoints
  WHERE site_key = ?1 AND daily_hash = ?3 AND lead_id IS NULL AND occurred_at >= ?4
    AND (?2 IS NULL OR visitor_id IS NOT ?2)
  UNION ALL
  SELECT ${JOURNEY_COLUMNS}, 1 AS own FROM touchpoints
  WHERE site_key = ?1 AND visitor_id = ?2 AND occurred_at >= ?4
  ORDER BY occurred_at, seq LIMIT 2000`

/**
 * What the attachment rule weighs (domain/anonymous-journey.ts): the unattached touchpoints
 * under the day's hash and the visitor's own touchpoints (attached or not) since `since`.
 * Touchpoints sent after a refusal carry neither, so they are never read here.
 */
export async function listJourneyCandidates(
  db: D1Database,
  siteKey: string,
  visitorId: string | null,
  dailyHash: string,
  since: string,
): Promise<JourneyCandidateRow[]> {
  const { results } = await db
    .prepare(JOURNEY_CANDIDATES_SQL)
    .bind(siteKey, visitorId, dailyHash, since)
    .all<JourneyCandidateRow>()
  return results
}
