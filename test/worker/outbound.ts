import { Webhook as Verifier } from 'standardwebhooks'
import type { Webhook } from '../../shared/outbound'
import { expect } from 'vitest'
import { admin, leadBody, postLead, type TestSite } from './helpers'

/** Steering and reading the local receivers (test/worker/receivers.ts). */
const CONTROL = 'https://control.receiver.test'

export interface Received {
  at: string
  method: string
  path: string
  headers: Record<string, string>
  body: string
  status: number
}

/** A receiver of its own for one test: its URL and its name. */
export function newReceiver(prefix = 'hook'): { name: string; url: string } {
  const name = `${prefix}-${crypto.randomUUID().slice(0, 8)}`
  return { name, url: `https://hooks.receiver.test/${name}` }
}

export async function steer(
  name: string,
  behaviour: {
    fail?: number
    failEach?: number
    hangEach?: number
    gone?: boolean
    hangMs?: number
    status?: number
  },
): Promise<void> {
  const response = await fetch(`${CONTROL}/${encodeURIComponent(name)}`, {
    method: 'POST',
    body: JSON.stringify(behaviour),
  })
  expect(response.status).toBe(200)
}

export async function received(name: string): Promise<Received[]> {
  const response = await fetch(`${CONTROL}/${encodeURIComponent(name)}`)
  return ((await response.json()) as { received: Received[] }).received
}

/** Polls until `check` passes (deliveries run on the queue, after the request). */
export async function eventually<T>(
  read: () => Promise<T>,
  check: (value: T) => boolean,
  timeoutMs = 20_000,
): Promise<T> {
  const until = Date.now() + timeoutMs
  let value = await read()
  while (!check(value) && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 100))
    value = await read()
  }
  return value
}

/** The site's webhooks as the admin API lists them. */
export async function listWebhooks(siteKey: string): Promise<Webhook[]> {
  const response = await admin(`/v1/admin/sites/${siteKey}/webhooks`, 'GET')
  expect(response.status).toBe(200)
  return ((await response.json()) as { webhooks: Webhook[] }).webhooks
}

export async function createWebhook(
  siteKey: string,
  webhookId: string,
  body: { url: string; events: string[]; enabled?: boolean },
): Promise<string> {
  const response = await admin(`/v1/admin/sites/${siteKey}/webhooks/${webhookId}`, 'PUT', body)
  expect(response.status).toBe(201)
  return ((await response.json()) as { secret: string }).secret
}

export interface Payload {
  type: string
  timestamp: string
  data: {
    siteKey: string
    leadId?: string
    version: number
    lead?: { email: string | null; stage: string }
    [key: string]: unknown
  }
}

export function verify(secret: string, hit: Received): Payload {
  return new Verifier(secret).verify(hit.body, {
    'webhook-id': hit.headers['webhook-id']!,
    'webhook-timestamp': hit.headers['webhook-timestamp']!,
    'webhook-signature': hit.headers['webhook-signature']!,
  }) as Payload
}

export const successes = (log: Received[]) => log.filter((hit) => hit.status < 300)

export async function deliveries(siteKey: string, webhookId: string) {
  const response = await admin(`/v1/admin/sites/${siteKey}/webhooks/${webhookId}/deliveries`, 'GET')
  expect(response.status).toBe(200)
  return (await response.json()) as {
    deliveries: {
      deliveryId: string
      eventId: string
      type: string
      status: string
      attempts: { statusCode: number | null; error: string | null; durationMs: number }[]
    }[]
  }
}

export async function newLead(
  site: TestSite,
  email = `lead-${crypto.randomUUID().slice(0, 6)}@firma.de`,
) {
  const response = await postLead(
    site,
    leadBody(site, { fields: { ...leadBody(site).fields, email } }),
  )
  expect(response.status).toBe(201)
  return ((await response.json()) as { leadId: string }).leadId
}

export async function inviteAdmin(siteKey: string): Promise<string> {
  const email = `owner-${crypto.randomUUID().slice(0, 6)}@acme.example`
  const response = await admin(`/v1/admin/sites/${siteKey}/users/${email}`, 'PUT', {
    role: 'admin',
  })
  expect(response.status).toBeLessThan(300)
  return email
}
