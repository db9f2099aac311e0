import type { DeliveryStatus, EndpointKind, OutboundEvent } from '../../../shared/vocabulary'
import { parseJson } from './json'
import { randomToken } from '../lib/crypto'

/**
 * The outbound tables (migrations/0019_create_outbound.sql, docs/outbound.md): events written
 * with the change they report, one delivery per subscribed endpoint, and each attempt.
 */

export interface NewEvent {
  siteKey: string
  leadId: string | null
  type: OutboundEvent
  /** The payload's `data`; `version` is added in SQL (the lead's next one). */
  data: Record<string, unknown>
  now: string
}

/**
 * A SQL condition the event's insert adds (`?C1`, `?C2`… name its parameters), e.g. a capture's
 * guard; the deliveries follow the event, so they need none.
 */
export interface Condition {
  sql: string
  params: readonly unknown[]
}

/**
 * The event is written only if this write's guarded lead update happened: the update set the
 * lead's `write_nonce` to `nonce` (a version alone would also match another request's write).
 */
export function leadWriteCondition(leadId: string, nonce: string): Condition {
  return {
    sql: 'EXISTS (SELECT 1 FROM leads WHERE id = ?C1 AND write_nonce = ?C2)',
    params: [leadId, nonce],
  }
}

export function newWriteNonce(): string {
  return crypto.randomUUID()
}

/** Each event's statements under one condition; the ids to announce after the batch. */
export function eventsStatements(
  db: D1Database,
  events: readonly NewEvent[],
  condition?: Condition,
): { eventIds: string[]; statements: D1PreparedStatement[] } {
  const built = events.map((event) => eventStatements(db, event, condition))
  return { eventIds: built.map((b) => b.eventId), statements: built.flatMap((b) => b.statements) }
}

export function newEventId(): string {
  return `msg_${randomToken(18)}`
}

/**
 * The two statements that report a change: the event and its deliveries to every enabled endpoint
 * of the site subscribed to its type. With no such endpoint nothing is written, so a site without
 * any keeps no events. They go into the caller's `db.batch`, so the event exists
 * exactly when the change does. Answers the statements and the event's id (the `webhook-id`).
 */
export function eventStatements(
  db: D1Database,
  event: NewEvent,
  condition?: Condition,
): { eventId: string; statements: D1PreparedStatement[] } {
  const eventId = newEventId()
  const body = JSON.stringify({
    type: event.type,
    timestamp: event.now,
    data: {
      siteKey: event.siteKey,
      ...(event.leadId ? { leadId: event.leadId } : {}),
      ...event.data,
    },
  })
  const offset = 6
  const where = condition
    ? condition.sql.replace(/\?C(\d+)/g, (_, n: string) => `?${offset + Number(n)}`)
    : '1'
  const params = [eventId, event.siteKey, event.leadId, event.type, body, event.now]
  const extra = condition?.params ?? []
  const version = event.leadId
    ? '(SELECT COALESCE(MAX(version), 0) + 1 FROM outbound_events WHERE site_key = ?2 AND lead_id = ?3)'
    : '1'
  return {
    eventId,
    statements: [
      db
        .prepare(
          `INSERT INTO outbound_events (event_id, site_key, lead_id, type, version, payload, created_at)
           SELECT ?1, ?2, ?3, ?4, v, json_set(?5, '$.data.version', v), ?6
           FROM (SELECT ${version} AS v)
           WHERE ${where} AND EXISTS (SELECT 1 FROM endpoints WHERE site_key = ?2 AND enabled = 1
             AND EXISTS (SELECT 1 FROM json_each(endpoints.events) WHERE value = ?4))
           RETURNING event_id AS outbound_event_id`,
        )
        .bind(...params, ...extra),
      db
        .prepare(
          `INSERT INTO outbound_deliveries (delivery_id, event_id, site_key, kind, endpoint_id, next_attempt_at,
             created_at, updated_at)
           SELECT 'dlv_' || lower(hex(randomblob(12))), ?1, ?2, kind, endpoint_id, ?6, ?6, ?6
           FROM endpoints
           WHERE site_key = ?2 AND enabled = 1
             AND EXISTS (SELECT 1 FROM json_each(endpoints.events) WHERE value = ?4)
             AND EXISTS (SELECT 1 FROM outbound_events WHERE event_id = ?1)
           ON CONFLICT DO NOTHING`,
        )
        .bind(...params),
    ],
  }
}

/**
 * The events a batch wrote, from its results (each event insert returns its id): only those go on
 * the queue, so a site without endpoints costs no queue message.
 */
export function writtenEventIds(results: readonly D1Result[]): string[] {
  return results.flatMap((result) =>
    (result.results as { outbound_event_id?: unknown }[])
      .map((row) => row.outbound_event_id)
      .filter((id): id is string => typeof id === 'string'),
  )
}

/** Writes events on their own (a change that is itself one statement, or none). */
export async function writeEvents(
  db: D1Database,
  events: NewEvent[],
  alongside: D1PreparedStatement[] = [],
): Promise<string[]> {
  const built = events.map((event) => eventStatements(db, event))
  return writtenEventIds(await db.batch([...alongside, ...built.flatMap((b) => b.statements)]))
}

export interface EndpointRow {
  site_key: string
  kind: EndpointKind
  endpoint_id: string
  url: string | null
  events: string
  enabled: number
  settings: string
  secret: string | null
  previous_secret: string | null
  previous_secret_until: string | null
  disabled_reason: string | null
  failing_since: string | null
  created_at: string
  updated_at: string
}

export interface ClaimedDelivery {
  deliveryId: string
  eventId: string
  type: OutboundEvent
  leadId: string | null
  payload: string
  createdAt: string
  attempts: number
  endpoint: EndpointRow
}

/** Pending deliveries of these events, to enqueue one message each. */
export async function pendingDeliveryIds(db: D1Database, eventIds: string[]): Promise<string[]> {
  if (eventIds.length === 0) return []
  const { results } = await db
    .prepare(
      `SELECT delivery_id FROM outbound_deliveries
       WHERE event_id IN (SELECT value FROM json_each(?1)) AND status = 'pending'`,
    )
    .bind(JSON.stringify(eventIds))
    .all<{ delivery_id: string }>()
  return results.map((row) => row.delivery_id)
}

/**
 * Takes a pending delivery for one attempt: no other consumer attempts it until the lease ends
 * (a queue delivers at least once). `null`: unknown, no longer pending, or held by another.
 *
 * A sales alert or CRM delivery (any kind but `webhook`) also waits its lead's turn: it is not
 * taken while another delivery of the same lead to the same endpoint holds a lease, so two events
 * of one change (`lead.created` and `lead.stage_changed`) never create the same CRM person twice
 * or alert twice. One statement checks and takes, so of two consumers only one gets the turn
 * (`waitsForLead` tells the other to come back).
 */
export async function claimDelivery(
  db: D1Database,
  deliveryId: string,
  now: string,
  leaseUntil: string,
): Promise<ClaimedDelivery | null> {
  const claimed = await db
    .prepare(
      `UPDATE outbound_deliveries SET lease_until = ?3
       WHERE delivery_id = ?1 AND status = 'pending' AND (lease_until IS NULL OR lease_until < ?2)
         AND (kind = 'webhook' OR NOT EXISTS (
           SELECT 1 FROM outbound_events mine
           JOIN outbound_events other ON other.site_key = mine.site_key AND other.lead_id = mine.lead_id
           JOIN outbound_deliveries busy ON busy.event_id = other.event_id
             AND busy.kind = outbound_deliveries.kind AND busy.endpoint_id = outbound_deliveries.endpoint_id
           WHERE mine.event_id = outbound_deliveries.event_id AND busy.delivery_id <> ?1
             AND busy.status = 'pending' AND busy.lease_until >= ?2))
       RETURNING event_id, site_key, kind, endpoint_id, attempts`,
    )
    .bind(deliveryId, now, leaseUntil)
    .first<{
      event_id: string
      site_key: string
      kind: string
      endpoint_id: string
      attempts: number
    }>()
  if (!claimed) return null
  const row = await db
    .prepare(
      `SELECT e.type, e.lead_id, e.payload, e.created_at AS event_created_at, p.*
       FROM outbound_events e JOIN endpoints p ON p.site_key = ?2 AND p.kind = ?3 AND p.endpoint_id = ?4
       WHERE e.event_id = ?1`,
    )
    .bind(claimed.event_id, claimed.site_key, claimed.kind, claimed.endpoint_id)
    .first<
      EndpointRow & {
        type: OutboundEvent
        lead_id: string | null
        payload: string
        event_created_at: string
      }
    >()
  if (!row) {
    // The endpoint was deleted meanwhile: nothing to deliver to.
    await db
      .prepare(
        `UPDATE outbound_deliveries SET status = 'skipped', lease_until = NULL WHERE delivery_id = ?1`,
      )
      .bind(deliveryId)
      .run()
    return null
  }
  const { type, lead_id, payload, event_created_at, ...endpoint } = row
  return {
    deliveryId,
    eventId: claimed.event_id,
    type,
    leadId: lead_id,
    payload,
    createdAt: event_created_at,
    attempts: claimed.attempts,
    endpoint,
  }
}

/**
 * Whether a delivery `claimDelivery` did not take is still pending and free: it waits for another
 * delivery of its lead to the same endpoint, so it should come back shortly.
 */
export async function waitsForLead(
  db: D1Database,
  deliveryId: string,
  now: string,
): Promise<boolean> {
  const row = await db
    .prepare(
      `SELECT 1 AS waits FROM outbound_deliveries
       WHERE delivery_id = ?1 AND status = 'pending' AND kind <> 'webhook'
         AND (lease_until IS NULL OR lease_until < ?2)`,
    )
    .bind(deliveryId, now)
    .first<{ waits: number }>()
  return row !== null
}

/**
 * The payloads of this endpoint's earlier succeeded deliveries for the lead, newest first: what a
 * sales alert reads to send at most one alert per lead and trigger.
 */
export async function succeededPayloads(
  db: D1Database,
  endpoint: Pick<EndpointRow, 'site_key' | 'kind' | 'endpoint_id'>,
  leadId: string,
  exceptDeliveryId: string,
): Promise<string[]> {
  const { results } = await db
    .prepare(
      `SELECT e.payload FROM outbound_events e
       JOIN outbound_deliveries d ON d.event_id = e.event_id AND d.kind = ?2 AND d.endpoint_id = ?3
       WHERE e.site_key = ?1 AND e.lead_id = ?4 AND d.status = 'succeeded' AND d.delivery_id <> ?5
       ORDER BY e.version DESC LIMIT 50`,
    )
    .bind(endpoint.site_key, endpoint.kind, endpoint.endpoint_id, leadId, exceptDeliveryId)
    .all<{ payload: string }>()
  return results.map((row) => row.payload)
}

export interface AttemptRecord {
  attemptedAt: string
  durationMs: number
  statusCode: number | null
  error: string | null
  /** What the delivery becomes: `pending` again (with `nextAttemptAt`), or settled. */
  status: DeliveryStatus
  nextAttemptAt: string | null
  /** Whether the endpoint answered (clears `failing_since`) or failed (sets it). `null`: neither. */
  endpointHealthy: boolean | null
}

export async function recordAttempt(
  db: D1Database,
  delivery: Pick<ClaimedDelivery, 'deliveryId' | 'endpoint'>,
  record: AttemptRecord,
): Promise<void> {
  const { endpoint } = delivery
  const statements = [
    db
      .prepare(
        `INSERT INTO outbound_attempts (delivery_id, attempted_at, duration_ms, status_code, error)
         VALUES (?1, ?2, ?3, ?4, ?5)`,
      )
      .bind(
        delivery.deliveryId,
        record.attemptedAt,
        record.durationMs,
        record.statusCode,
        record.error,
      ),
    db
      .prepare(
        `UPDATE outbound_deliveries SET status = ?2, attempts = attempts + 1,
           next_attempt_at = COALESCE(?3, next_attempt_at), lease_until = NULL, updated_at = ?4
         WHERE delivery_id = ?1`,
      )
      .bind(delivery.deliveryId, record.status, record.nextAttemptAt, record.attemptedAt),
  ]
  if (record.endpointHealthy !== null) {
    statements.push(
      db
        .prepare(
          `UPDATE endpoints SET failing_since = CASE WHEN ?4 THEN NULL ELSE COALESCE(failing_since, ?5) END
           WHERE site_key = ?1 AND kind = ?2 AND endpoint_id = ?3`,
        )
        .bind(
          endpoint.site_key,
          endpoint.kind,
          endpoint.endpoint_id,
          record.endpointHealthy ? 1 : 0,
          record.attemptedAt,
        ),
    )
  }
  await db.batch(statements)
}

/** Switches an endpoint off (`gone`: it answered 410; `failing`: for days). Answers whether it was on. */
export async function disableEndpoint(
  db: D1Database,
  endpoint: Pick<EndpointRow, 'site_key' | 'kind' | 'endpoint_id'>,
  reason: 'gone' | 'failing',
  now: string,
): Promise<boolean> {
  const result = await db
    .prepare(
      `UPDATE endpoints SET enabled = 0, disabled_reason = ?4, updated_at = ?5
       WHERE site_key = ?1 AND kind = ?2 AND endpoint_id = ?3 AND enabled = 1`,
    )
    .bind(endpoint.site_key, endpoint.kind, endpoint.endpoint_id, reason, now)
    .run()
  return result.meta.changes === 1
}

/** Marks a delivery dead: its retries ran out (the dead-letter queue). */
export async function markDead(db: D1Database, deliveryId: string, now: string): Promise<void> {
  await db
    .prepare(
      `UPDATE outbound_deliveries SET status = 'dead', lease_until = NULL, updated_at = ?2
       WHERE delivery_id = ?1 AND status IN ('pending', 'failed')`,
    )
    .bind(deliveryId, now)
    .run()
}

/** Pending deliveries whose attempt is overdue: their queue message was lost (the sweep). */
export async function overdueDeliveryIds(
  db: D1Database,
  before: string,
  limit: number,
): Promise<string[]> {
  const { results } = await db
    .prepare(
      `SELECT delivery_id FROM outbound_deliveries
       WHERE status = 'pending' AND next_attempt_at < ?1 AND (lease_until IS NULL OR lease_until < ?1)
       ORDER BY next_attempt_at LIMIT ?2`,
    )
    .bind(before, limit)
    .all<{ delivery_id: string }>()
  return results.map((row) => row.delivery_id)
}

export function endpointEvents(row: Pick<EndpointRow, 'events'>): OutboundEvent[] {
  return parseJson<OutboundEvent[]>(row.events, [])
}

export function endpointSettings<T extends object>(
  row: Pick<EndpointRow, 'settings'>,
  fallback: T,
): T {
  return { ...fallback, ...parseJson<Partial<T>>(row.settings, {}) }
}
