import { findSite } from '../../db/sites'
import { listSiteUsers } from '../../db/users'
import {
  claimDelivery,
  disableEndpoint,
  markDead,
  overdueDeliveryIds,
  pendingDeliveryIds,
  recordAttempt,
  waitsForLead,
  type ClaimedDelivery,
} from '../../db/outbound'
import { reopenDelivery } from '../../db/endpoints'
import { allStores, siteStore, siteStoreName, storeNamed } from '../../db/store'
import { retryDelaySeconds } from '../../domain/retry-schedule'
import { readConfig, type Config } from '../../env'
import { HttpProblem } from '../../lib/problem'
import { createMailer } from '../../mail/mailer'
import { SENDERS } from './senders'
import type { SendOutcome } from './types'

/**
 * Outbound delivery on a Cloudflare Queue (docs/outbound.md): a change writes its event and
 * deliveries in its own batch, then `announce` puts the event on the queue. The consumer turns an
 * event into one message per delivery; each delivery message is one attempt, retried by the queue
 * with the schedule's delay until it succeeds or its retries run out (then the dead-letter
 * queue's consumer marks it dead). A message lost on the way is found by `sweepOverdue`.
 *
 * A delivery message names the store its delivery is in (docs/scale.md#stores), by its binding
 * name; an event message (`announce` is not told the site) and a message from before stores had
 * names are looked up in every store.
 */
export type OutboundMessage =
  { eventIds: string[]; store?: string } | { deliveryId: string; store?: string }

/** A store and its binding name, as `allStores` answers them. */
type Store = { name: string; db: D1Database }

export const DEAD_LETTER_QUEUE = 'lodestone-outbound-dlq'

/** An endpoint failing this long without one success is switched off and its admins mailed. */
export const DISABLE_AFTER_MS = 4 * 86_400_000

/** How long a delivery waits while another one of its lead to the same endpoint is under way. */
export const LEAD_TURN_DELAY_SECONDS = 1

/** After the change's batch: the events go on the queue (the sweep catches a failed send). */
export async function announce(queue: Queue | undefined, eventIds: string[]): Promise<void> {
  if (eventIds.length === 0 || !queue) return
  try {
    await queue.send({ eventIds } satisfies OutboundMessage)
  } catch (error) {
    console.error(`outbound announce failed: ${error instanceof Error ? error.name : 'error'}`)
  }
}

export async function enqueueDeliveries(
  env: Env,
  deliveryIds: string[],
  delaySeconds = 0,
  store = 'DB',
): Promise<void> {
  for (let start = 0; start < deliveryIds.length; start += 100) {
    await env.OUTBOUND.sendBatch(
      deliveryIds.slice(start, start + 100).map((deliveryId) => ({
        body: { deliveryId, store } satisfies OutboundMessage,
        delaySeconds,
      })),
    )
  }
}

/** The stores a message may concern: the one it names, else every store. */
function storesOf(env: Env, body: OutboundMessage): Store[] {
  const named = body.store ? storeNamed(env, body.store) : null
  return named && body.store ? [{ name: body.store, db: named }] : allStores(env)
}

/** The store holding a delivery, or null when none does (an erasure took it, say). */
async function storeOfDelivery(
  env: Env,
  body: Extract<OutboundMessage, { deliveryId: string }>,
): Promise<Store | null> {
  const stores = storesOf(env, body)
  if (stores.length === 1) return stores[0]!
  for (const store of stores) {
    const row = await store.db
      .prepare('SELECT 1 AS found FROM outbound_deliveries WHERE delivery_id = ?1')
      .bind(body.deliveryId)
      .first<{ found: number }>()
    if (row) return store
  }
  return null
}

export async function handleOutboundBatch(
  batch: MessageBatch<OutboundMessage>,
  env: Env,
): Promise<void> {
  const config = readConfig(env)
  if (batch.queue === DEAD_LETTER_QUEUE) {
    for (const message of batch.messages) {
      const body = message.body
      if ('deliveryId' in body)
        for (const { db } of storesOf(env, body))
          await markDead(db, body.deliveryId, new Date().toISOString())
      message.ack()
    }
    return
  }
  // The messages of a batch go at once: a slow receiver holds up only its own deliveries.
  await Promise.all(
    batch.messages.map(async (message) => {
      const body = message.body
      if ('eventIds' in body) {
        for (const { name, db } of storesOf(env, body))
          await enqueueDeliveries(
            env,
            await pendingDeliveryIds(db, body.eventIds.slice(0, 100)),
            0,
            name,
          )
        message.ack()
        return
      }
      try {
        const store = await storeOfDelivery(env, body)
        const retryIn = store ? await attemptDelivery(env, config, body.deliveryId, store) : null
        if (retryIn === null) message.ack()
        else message.retry({ delaySeconds: Math.min(Math.round(retryIn), 43_200) })
      } catch (error) {
        // This message alone comes back (its lease keeps a second copy from sending meanwhile).
        console.error(`outbound attempt failed: ${error instanceof Error ? error.name : 'error'}`)
        message.retry({ delaySeconds: 60 })
      }
    }),
  )
}

/**
 * One attempt of one delivery. Answers the seconds until the next attempt, or `null` when the
 * delivery is settled (or not this consumer's to make).
 */
export async function attemptDelivery(
  env: Env,
  config: Config,
  deliveryId: string,
  store: Store = { name: 'DB', db: env.DB },
  now = new Date(),
): Promise<number | null> {
  const { db } = store
  // Longer than the slowest attempt: a Pipedrive push makes up to five calls, each within the timeout.
  const leaseUntil = new Date(now.getTime() + (config.WEBHOOK_TIMEOUT_SECONDS * 6 + 30) * 1000)
  const delivery = await claimDelivery(db, deliveryId, now.toISOString(), leaseUntil.toISOString())
  if (!delivery) {
    // Another delivery of the same lead to this alert or CRM is under way: back on the queue, as
    // a new message, so the wait spends none of this delivery's retries.
    if (await waitsForLead(db, deliveryId, now.toISOString()))
      await enqueueDeliveries(env, [deliveryId], LEAD_TURN_DELAY_SECONDS, store.name)
    return null
  }
  const attemptedAt = now.toISOString()
  if (delivery.endpoint.enabled !== 1) {
    await recordAttempt(db, delivery, {
      attemptedAt,
      durationMs: 0,
      statusCode: null,
      error: 'endpoint disabled',
      status: 'failed',
      nextAttemptAt: null,
      endpointHealthy: null,
    })
    return null
  }
  const sender = SENDERS[delivery.endpoint.kind]
  const started = Date.now()
  let outcome: SendOutcome
  try {
    outcome = sender
      ? await sender({ env, config, delivery, now })
      : { result: 'skip', reason: 'no sender for this kind' }
  } catch (error) {
    outcome = {
      result: 'retry',
      statusCode: null,
      error: `failed: ${error instanceof Error ? error.message.slice(0, 120) : 'error'}`,
    }
  }
  const durationMs = Date.now() - started
  const base = { attemptedAt, durationMs }
  switch (outcome.result) {
    case 'ok':
      await recordAttempt(db, delivery, {
        ...base,
        statusCode: outcome.statusCode,
        error: null,
        status: 'succeeded',
        nextAttemptAt: null,
        endpointHealthy: true,
      })
      return null
    case 'skip':
      await recordAttempt(db, delivery, {
        ...base,
        statusCode: null,
        error: outcome.reason,
        status: 'skipped',
        nextAttemptAt: null,
        endpointHealthy: null,
      })
      return null
    case 'gone':
      await recordAttempt(db, delivery, {
        ...base,
        statusCode: outcome.statusCode,
        error: 'gone: the endpoint is switched off',
        status: 'failed',
        nextAttemptAt: null,
        endpointHealthy: false,
      })
      if (await disableEndpoint(db, delivery.endpoint, 'gone', attemptedAt))
        await mailAdmins(env, config, delivery, 'gone')
      return null
    case 'retry': {
      const delay = retryDelaySeconds(delivery.attempts + 1, config.WEBHOOK_RETRY_BASE_SECONDS)
      await recordAttempt(db, delivery, {
        ...base,
        statusCode: outcome.statusCode,
        error: outcome.error.slice(0, 200),
        status: 'pending',
        nextAttemptAt: new Date(now.getTime() + delay * 1000).toISOString(),
        endpointHealthy: false,
      })
      const since = delivery.endpoint.failing_since
      if (since && now.getTime() - Date.parse(since) >= DISABLE_AFTER_MS) {
        if (await disableEndpoint(db, delivery.endpoint, 'failing', attemptedAt))
          await mailAdmins(env, config, delivery, 'failing')
        return null
      }
      return delay
    }
  }
}

/** The site's admins hear that an endpoint was switched off, and why. */
async function mailAdmins(
  env: Env,
  config: Config,
  delivery: ClaimedDelivery,
  reason: 'gone' | 'failing',
): Promise<void> {
  const { endpoint } = delivery
  const site = await findSite(env.DB, endpoint.site_key)
  const admins = (await listSiteUsers(env.DB, endpoint.site_key)).filter((u) => u.role === 'admin')
  const mailer = createMailer(env.DB, config)
  const name = endpoint.kind === 'webhook' ? `webhook “${endpoint.endpoint_id}”` : endpoint.kind
  const why =
    reason === 'gone'
      ? 'it answered 410 Gone'
      : `it has failed every attempt since ${endpoint.failing_since}`
  for (const admin of admins) {
    await mailer.send({
      siteKey: endpoint.site_key,
      leadId: null,
      to: admin.email,
      subject: `Lodestone switched off the ${name} of ${site?.name ?? endpoint.site_key}`,
      text: `Hello,\n\nLodestone stopped sending events to the ${name} of ${site?.name ?? endpoint.site_key} (${endpoint.url ?? endpoint.kind}) because ${why}.\n\nIts deliveries until now are kept; events that happen while it is switched off are not queued for it. Fix the receiver, switch the endpoint on again in the app and retry the failed deliveries there.\n`,
    })
  }
}

/**
 * A retry by hand (the webhook and integration routes): the endpoint's delivery is pending again,
 * due now, and on the queue; 404 if the endpoint has no such delivery, 409 while an attempt holds it.
 */
export async function retryByHand(
  env: Env,
  endpoint: Pick<ClaimedDelivery['endpoint'], 'site_key' | 'kind' | 'endpoint_id'>,
  deliveryId: string,
): Promise<void> {
  const db = siteStore(env, endpoint.site_key)
  const reopened = await reopenDelivery(db, endpoint, deliveryId, new Date().toISOString())
  if (reopened === 'missing')
    throw new HttpProblem({
      code: 'delivery_not_found',
      detail: 'There is no delivery of this id here.',
    })
  if (reopened === 'busy')
    throw new HttpProblem({
      code: 'delivery_in_flight',
      detail: 'The delivery is being attempted right now; retry it once that attempt has ended.',
    })
  await enqueueDeliveries(env, [deliveryId], 0, siteStoreName(env, endpoint.site_key))
}

/**
 * Deliveries whose message was lost (an announce that failed, a crash): back on the queue, from
 * every store.
 */
export async function sweepOverdue(env: Env, now: Date): Promise<number> {
  const grace = 10 * 60_000
  let swept = 0
  for (const { name, db } of allStores(env)) {
    const ids = await overdueDeliveryIds(db, new Date(now.getTime() - grace).toISOString(), 500)
    await enqueueDeliveries(env, ids, 0, name)
    swept += ids.length
  }
  return swept
}
