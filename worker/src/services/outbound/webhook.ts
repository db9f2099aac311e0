import { openSecret, signWebhook } from '../../lib/crypto'
import { post } from './http'
import type { Sender } from './types'

/**
 * A webhook delivery, signed as Standard Webhooks (docs/outbound.md#signature): `webhook-id` is
 * the event's id (the same on every attempt), `webhook-timestamp` the attempt's time in seconds,
 * `webhook-signature` one `v1,` entry per valid secret (two during a rotation's 24 hours).
 */
export const sendWebhook: Sender = async (context) => {
  const { delivery, config, now } = context
  const { endpoint } = delivery
  if (!endpoint.url || !endpoint.secret)
    return { result: 'retry', statusCode: null, error: 'endpoint has no URL or secret' }
  const timestamp = Math.floor(now.getTime() / 1000)
  const secrets = [await openSecret(config.LODESTONE_SECRET, endpoint.secret)]
  if (
    endpoint.previous_secret &&
    endpoint.previous_secret_until &&
    endpoint.previous_secret_until > now.toISOString()
  )
    secrets.push(await openSecret(config.LODESTONE_SECRET, endpoint.previous_secret))
  const signatures = await Promise.all(
    secrets.map((secret) => signWebhook(secret, delivery.eventId, timestamp, delivery.payload)),
  )
  const { outcome } = await post(context, endpoint.url, {
    headers: {
      'content-type': 'application/json',
      'user-agent': 'Lodestone-Webhooks/1',
      'webhook-id': delivery.eventId,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signatures.join(' '),
    },
    body: delivery.payload,
  })
  return outcome
}
