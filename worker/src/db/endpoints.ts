import type { AlertTrigger, Integration, IntegrationKind } from '../../../shared/integrations'
import type { Delivery, Webhook } from '../../../shared/outbound'
import type { DeliveryStatus, EndpointKind, OutboundEvent } from '../../../shared/vocabulary'
import type { EndpointRow } from './outbound'
import { endpointEvents, endpointSettings } from './outbound'

/** The admin side of endpoints (docs/outbound.md): write, read, and the delivery log. */

export async function findEndpoint(
  db: D1Database,
  siteKey: string,
  kind: EndpointKind,
  endpointId: string,
): Promise<EndpointRow | null> {
  return db
    .prepare('SELECT * FROM endpoints WHERE site_key = ?1 AND kind = ?2 AND endpoint_id = ?3')
    .bind(siteKey, kind, endpointId)
    .first<EndpointRow>()
}

export async function listEndpoints(
  db: D1Database,
  siteKey: string,
  kind: EndpointKind,
): Promise<EndpointRow[]> {
  const { results } = await db
    .prepare(
      'SELECT * FROM endpoints WHERE site_key = ?1 AND kind = ?2 ORDER BY endpoint_id LIMIT 100',
    )
    .bind(siteKey, kind)
    .all<EndpointRow>()
  return results
}

export interface EndpointWrite {
  siteKey: string
  kind: EndpointKind
  endpointId: string
  url: string | null
  events: OutboundEvent[]
  enabled: boolean
  settings: Record<string, unknown>
  /** A new sealed secret; `undefined` keeps the stored one. */
  secret?: string
  now: string
}

/**
 * Creates or replaces an endpoint. Switching it on again clears why it was switched off and the
 * failure clock. Answers whether it was created.
 */
export async function putEndpoint(db: D1Database, write: EndpointWrite): Promise<void> {
  await db
    .prepare(
      `INSERT INTO endpoints (site_key, kind, endpoint_id, url, events, enabled, settings, secret, created_at, updated_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)
       ON CONFLICT (site_key, kind, endpoint_id) DO UPDATE SET
         url = excluded.url, events = excluded.events, enabled = excluded.enabled,
         settings = excluded.settings, secret = COALESCE(?8, endpoints.secret),
         disabled_reason = CASE WHEN excluded.enabled = 1 THEN NULL ELSE endpoints.disabled_reason END,
         failing_since = CASE WHEN excluded.enabled = 1 AND endpoints.enabled = 0 THEN NULL ELSE endpoints.failing_since END,
         updated_at = excluded.updated_at`,
    )
    .bind(
      write.siteKey,
      write.kind,
      write.endpointId,
      write.url,
      JSON.stringify(write.events),
      write.enabled ? 1 : 0,
      JSON.stringify(write.settings),
      write.secret ?? null,
      write.now,
    )
    .run()
}

/** A new secret; the old one keeps signing until `previousUntil`. */
export async function rotateEndpointSecret(
  db: D1Database,
  endpoint: Pick<EndpointRow, 'site_key' | 'kind' | 'endpoint_id'>,
  sealed: string,
  previousUntil: string,
  now: string,
): Promise<boolean> {
  const result = await db
    .prepare(
      `UPDATE endpoints SET previous_secret = secret, previous_secret_until = ?5, secret = ?4, updated_at = ?6
       WHERE site_key = ?1 AND kind = ?2 AND endpoint_id = ?3`,
    )
    .bind(endpoint.site_key, endpoint.kind, endpoint.endpoint_id, sealed, previousUntil, now)
    .run()
  return result.meta.changes === 1
}

/** Deletes an endpoint with its deliveries and their attempts. */
export async function deleteEndpoint(
  db: D1Database,
  siteKey: string,
  kind: EndpointKind,
  endpointId: string,
): Promise<boolean> {
  const [, , removed] = await db.batch([
    db
      .prepare(
        `DELETE FROM outbound_attempts WHERE delivery_id IN (SELECT delivery_id FROM outbound_deliveries
           WHERE site_key = ?1 AND kind = ?2 AND endpoint_id = ?3)`,
      )
      .bind(siteKey, kind, endpointId),
    db
      .prepare(
        'DELETE FROM outbound_deliveries WHERE site_key = ?1 AND kind = ?2 AND endpoint_id = ?3',
      )
      .bind(siteKey, kind, endpointId),
    db
      .prepare('DELETE FROM endpoints WHERE site_key = ?1 AND kind = ?2 AND endpoint_id = ?3')
      .bind(siteKey, kind, endpointId),
  ])
  return (removed?.meta.changes ?? 0) === 1
}

export function toWebhook(row: EndpointRow): Webhook {
  return {
    webhookId: row.endpoint_id,
    url: row.url ?? '',
    events: endpointEvents(row),
    enabled: row.enabled === 1,
    disabledReason:
      row.disabled_reason === 'gone' || row.disabled_reason === 'failing'
        ? row.disabled_reason
        : null,
    failingSince: row.failing_since,
    previousSecretUntil: row.previous_secret_until,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

/** The endpoint's deliveries, newest first, each with its attempts (oldest first). */
export async function listDeliveries(
  db: D1Database,
  endpoint: Pick<EndpointRow, 'site_key' | 'kind' | 'endpoint_id'>,
  query: { status?: DeliveryStatus | undefined; before?: string | undefined; limit: number },
): Promise<{ deliveries: Delivery[]; next: string | null }> {
  const { results } = await db
    .prepare(
      `SELECT d.delivery_id, d.event_id, e.type, e.lead_id, d.status, d.next_attempt_at, d.created_at,
         (SELECT json_group_array(json_object('attemptedAt', a.attempted_at, 'durationMs', a.duration_ms,
            'statusCode', a.status_code, 'error', a.error))
          FROM (SELECT * FROM outbound_attempts WHERE delivery_id = d.delivery_id ORDER BY id LIMIT 50) a) AS attempts
       FROM outbound_deliveries d JOIN outbound_events e ON e.event_id = d.event_id
       WHERE d.site_key = ?1 AND d.kind = ?2 AND d.endpoint_id = ?3
         AND (?4 IS NULL OR d.status = ?4) AND (?5 IS NULL OR (d.created_at, d.delivery_id) < (?5, ?7))
       ORDER BY d.created_at DESC, d.delivery_id DESC LIMIT ?6`,
    )
    .bind(
      endpoint.site_key,
      endpoint.kind,
      endpoint.endpoint_id,
      query.status ?? null,
      query.before?.split('~')[0] ?? null,
      query.limit + 1,
      query.before?.split('~')[1] ?? null,
    )
    .all<{
      delivery_id: string
      event_id: string
      type: OutboundEvent
      lead_id: string | null
      status: DeliveryStatus
      next_attempt_at: string
      created_at: string
      attempts: string
    }>()
  const page = results.slice(0, query.limit)
  return {
    deliveries: page.map((row) => ({
      deliveryId: row.delivery_id,
      eventId: row.event_id,
      type: row.type,
      leadId: row.lead_id,
      status: row.status,
      attempts: JSON.parse(row.attempts) as Delivery['attempts'],
      nextAttemptAt: row.status === 'pending' ? row.next_attempt_at : null,
      createdAt: row.created_at,
    })),
    // Time and id: deliveries of one change share their time, so the id breaks the tie.
    next:
      results.length > query.limit && page.length
        ? `${page.at(-1)!.created_at}~${page.at(-1)!.delivery_id}`
        : null,
  }
}

/**
 * Makes a delivery pending again, due now, with a fresh retry schedule (a retry by hand), unless
 * an attempt holds it right now. Answers `missing` (no such delivery on this endpoint), `busy`
 * (being attempted) or `reopened`.
 */
export async function reopenDelivery(
  db: D1Database,
  endpoint: Pick<EndpointRow, 'site_key' | 'kind' | 'endpoint_id'>,
  deliveryId: string,
  now: string,
): Promise<'missing' | 'busy' | 'reopened'> {
  const result = await db
    .prepare(
      `UPDATE outbound_deliveries SET status = 'pending', attempts = 0, next_attempt_at = ?5,
         lease_until = NULL, updated_at = ?5
       WHERE delivery_id = ?4 AND site_key = ?1 AND kind = ?2 AND endpoint_id = ?3
         AND (lease_until IS NULL OR lease_until < ?5)`,
    )
    .bind(endpoint.site_key, endpoint.kind, endpoint.endpoint_id, deliveryId, now)
    .run()
  if (result.meta.changes === 1) return 'reopened'
  const exists = await db
    .prepare(
      'SELECT 1 AS found FROM outbound_deliveries WHERE delivery_id = ?4 AND site_key = ?1 AND kind = ?2 AND endpoint_id = ?3',
    )
    .bind(endpoint.site_key, endpoint.kind, endpoint.endpoint_id, deliveryId)
    .first()
  return exists ? 'busy' : 'missing'
}

/** An alert or CRM endpoint as the app sees it: never the Slack URL or the token. */
export function toIntegration(row: EndpointRow): Integration {
  const settings = endpointSettings<{
    on: AlertTrigger | null
    to: string | null
    urlHint: string | null
  }>(row, { on: null, to: null, urlHint: null })
  const kind = row.kind as IntegrationKind
  const alert = kind === 'slack' || kind === 'email'
  return {
    kind,
    enabled: row.enabled === 1,
    on: alert ? (settings.on ?? 'sql') : null,
    to: kind === 'email' ? settings.to : null,
    urlHint: kind === 'slack' ? settings.urlHint : null,
    tokenSet: row.secret !== null,
    disabledReason:
      row.disabled_reason === 'gone' || row.disabled_reason === 'failing'
        ? row.disabled_reason
        : null,
    failingSince: row.failing_since,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}
