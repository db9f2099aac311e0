import type { TouchpointInput } from '../../../shared/events'
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
 * The statement `insertTouchpoints` runs, for a `db.batch` beside other statements; its
 * results are the `InsertedTouchpoint` rows.
 */
export function touchpointInsert(db: D1Database, batch: TouchpointBatch): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO touchpoints (site_key, event_id, type, occurred_at, received_at, url, path, referrer,
         utm_source, utm_medium, utm_campaign, utm_term, utm_content, form_id, props, value, page_view_id, visitor_id, daily_hash, lead_id)
       SELECT ?1, e.value ->> 'eventId', e.value ->> 'type', e.value ->> 'occurredAt', ?2, e.value ->> 'url',
         e.value ->> 'path', e.value ->> 'referrer', e.value ->> 'utmSource', e.value ->> 'utmMedium',
         e.value ->> 'utmCampaign', e.value ->> 'utmTerm', e.value ->> 'utmContent', e.value ->> 'formId',
         e.value ->> 'props', e.value ->> 'value', e.value ->> 'pageViewId', ?3, ?4,
         COALESCE(?5, (SELECT lead_id FROM lead_visitors WHERE site_key = ?1 AND visitor_id = ?3))
       FROM json_each(?6) AS e WHERE true
       ON CONFLICT (site_key, event_id) DO NOTHING
       RETURNING type, occurred_at, path, form_id, value, lead_id, utm_source, utm_medium, utm_campaign`,
    )
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

export async function listLeadTouchpoints(
  db: D1Database,
  leadId: string,
  limit = 500,
): Promise<JourneyRow[]> {
  const { results } = await db
    .prepare(
      `SELECT event_id, type, occurred_at, url, path, referrer, utm_source, utm_medium, utm_campaign, form_id,
         value, page_view_id
       FROM touchpoints WHERE lead_id = ?1 ORDER BY occurred_at, seq LIMIT ?2`,
    )
    .bind(leadId, limit)
    .all<JourneyRow>()
  return results
}

/** A visitor's touchpoints not yet attached to a lead (they join it by its visitor id). */
export async function listUnattachedVisitorTouchpoints(
  db: D1Database,
  siteKey: string,
  visitorId: string,
): Promise<JourneyRow[]> {
  const { results } = await db
    .prepare(
      `SELECT event_id, type, occurred_at, url, path, referrer, utm_source, utm_medium, utm_campaign, form_id,
         value, page_view_id
       FROM touchpoints
       WHERE site_key = ?1 AND lead_id IS NULL AND visitor_id = ?2
       ORDER BY occurred_at, seq LIMIT 1000`,
    )
    .bind(siteKey, visitorId)
    .all<JourneyRow>()
  return results
}

/** A touchpoint the attachment rule reads: `own` when it carries the submitter's visitor id. */
export interface JourneyCandidateRow extends JourneyRow {
  own: 0 | 1
}

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
    .prepare(
      `SELECT event_id, type, occurred_at, url, path, referrer, utm_source, utm_medium, utm_campaign, form_id,
         value, page_view_id, (?2 IS NOT NULL AND visitor_id IS ?2) AS own
       FROM touchpoints
       WHERE site_key = ?1 AND occurred_at >= ?4
         AND ((daily_hash = ?3 AND lead_id IS NULL) OR (?2 IS NOT NULL AND visitor_id = ?2))
       ORDER BY occurred_at, seq LIMIT 2000`,
    )
    .bind(siteKey, visitorId, dailyHash, since)
    .all<JourneyCandidateRow>()
  return results
}
