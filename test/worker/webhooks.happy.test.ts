import {
  createExecutionContext,
  createScheduledController,
  waitOnExecutionContext,
} from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { Webhook } from 'standardwebhooks'
import { describe, expect, it } from 'vitest'
import {
  retryDelaySeconds,
  scheduleSpanSeconds,
  MAX_RETRIES,
} from '../../worker/src/domain/retry-schedule'
import worker from '../../worker/src/index'
import { writeEvents } from '../../worker/src/db/outbound'
import { admin, createSite, leadBody, postLead, type TestSite } from './helpers'
import { createWebhook, eventually, newReceiver, received, steer, type Received } from './outbound'

/**
 * Webhooks (docs/outbound.md): every delivery verifies with the stock Standard Webhooks verifier,
 * retries outlast a receiver that is down, 410 switches an endpoint off, and nothing personal
 * outlives an erasure.
 */

interface Payload {
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

function verify(secret: string, hit: Received): Payload {
  return new Webhook(secret).verify(hit.body, {
    'webhook-id': hit.headers['webhook-id']!,
    'webhook-timestamp': hit.headers['webhook-timestamp']!,
    'webhook-signature': hit.headers['webhook-signature']!,
  }) as Payload
}

const successes = (log: Received[]) => log.filter((hit) => hit.status < 300)

async function deliveries(siteKey: string, webhookId: string) {
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

async function newLead(site: TestSite, email = `lead-${crypto.randomUUID().slice(0, 6)}@firma.de`) {
  const response = await postLead(
    site,
    leadBody(site, { fields: { ...leadBody(site).fields, email } }),
  )
  expect(response.status).toBe(201)
  return ((await response.json()) as { leadId: string }).leadId
}

async function inviteAdmin(siteKey: string): Promise<string> {
  const email = `owner-${crypto.randomUUID().slice(0, 6)}@acme.example`
  const response = await admin(`/v1/admin/sites/${siteKey}/users/${email}`, 'PUT', {
    role: 'admin',
  })
  expect(response.status).toBeLessThan(300)
  return email
}

describe('webhooks', () => {
  it('delivers lead.created, signed so the standardwebhooks verifier accepts it', async () => {
    const site = await createSite()
    const receiver = newReceiver()
    const secret = await createWebhook(site.siteKey, 'crm', {
      url: receiver.url,
      events: ['lead.created', 'lead.stage_changed'],
    })
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/=]{32}$/)
    const leadId = await newLead(site, 'Anna.Berg@Firma.DE')

    const log = await eventually(
      () => received(receiver.name),
      (r) => r.length >= 1,
    )
    expect(log).toHaveLength(1)
    const payload = verify(secret, log[0]!)
    expect(payload.type).toBe('lead.created')
    expect(payload.data).toMatchObject({ siteKey: site.siteKey, leadId, version: 1 })
    expect(payload.data.lead?.email).toBe('Anna.Berg@firma.de')
    expect(log[0]!.headers['content-type']).toBe('application/json')

    const listed = await eventually(
      () => deliveries(site.siteKey, 'crm'),
      (d) => d.deliveries[0]?.status === 'succeeded',
    )
    expect(listed.deliveries).toHaveLength(1)
    expect(listed.deliveries[0]).toMatchObject({
      status: 'succeeded',
      type: 'lead.created',
      eventId: log[0]!.headers['webhook-id'],
    })
    expect(listed.deliveries[0]!.attempts).toEqual([
      expect.objectContaining({ statusCode: 204, error: null }),
    ])
  })

  it('sends only the subscribed events, each lead’s in version order', async () => {
    const site = await createSite()
    const receiver = newReceiver()
    const secret = await createWebhook(site.siteKey, 'all', {
      url: receiver.url,
      events: ['lead.created', 'lead.updated', 'consent.changed'],
    })
    const email = 'version.test@firma.de'
    const leadId = await newLead(site, email)
    await newLead(site, email)
    const log = await eventually(
      () => received(receiver.name),
      (r) => r.length >= 4,
    )
    const payloads = log.map((hit) => verify(secret, hit)).filter((p) => p.data.leadId === leadId)
    const types = payloads.map((p) => p.type).sort()
    // Each submission: the lead event and its marketing-email consent.
    expect(types).toEqual(['consent.changed', 'consent.changed', 'lead.created', 'lead.updated'])
    const versions = payloads.map((p) => p.data.version).sort((a, b) => a - b)
    expect(versions).toEqual([1, 2, 3, 4])
    const created = payloads.find((p) => p.type === 'lead.created')!
    const updated = payloads.find((p) => p.type === 'lead.updated')!
    expect(created.data.version).toBeLessThan(updated.data.version)
    expect(updated.data.previous).toMatchObject({ stage: created.data.lead!.stage })
  })

  it('outlasts a receiver down for a simulated 24 hours: every event arrives, each webhook-id once', async () => {
    // The production schedule (30 s first wait) needs this many failures to span 24 hours; the
    // tests run it with no waits (WEBHOOK_RETRY_BASE_SECONDS=0), so the failures come at once.
    let failures = 0
    for (let waited = 0; waited < 24 * 3600; failures++)
      waited += retryDelaySeconds(failures + 1, 30, 0)
    expect(failures).toBeLessThan(MAX_RETRIES)
    expect(scheduleSpanSeconds(30)).toBeGreaterThanOrEqual(72 * 3600)

    const site = await createSite()
    const receiver = newReceiver()
    // Each event: two attempts time out (no answer within the timeout), the rest answer 500.
    await steer(receiver.name, { failEach: failures, hangEach: 2 })
    const secret = await createWebhook(site.siteKey, 'down', {
      url: receiver.url,
      events: ['lead.created'],
    })
    const leads = await Promise.all([newLead(site), newLead(site), newLead(site)])

    const log = await eventually(
      () => received(receiver.name),
      (r) => successes(r).length >= 3,
      60_000,
    )
    const ok = successes(log)
    const ids = ok.map((hit) => hit.headers['webhook-id'])
    expect(new Set(ids).size).toBe(3)
    expect(ids).toHaveLength(3)
    expect(ok.map((hit) => verify(secret, hit).data.leadId).sort()).toEqual([...leads].sort())
    for (const id of ids) {
      expect(log.filter((hit) => hit.headers['webhook-id'] === id)).toHaveLength(failures + 1)
    }
    const listed = await eventually(
      () => deliveries(site.siteKey, 'down'),
      (d) => d.deliveries.every((x) => x.status === 'succeeded'),
    )
    for (const delivery of listed.deliveries) {
      expect(delivery.attempts).toHaveLength(failures + 1)
      expect(delivery.attempts.filter((a) => a.statusCode === 500)).toHaveLength(failures - 2)
      expect(delivery.attempts.filter((a) => a.error?.startsWith('no answer within'))).toHaveLength(
        2,
      )
      expect(delivery.attempts.at(-1)).toMatchObject({ statusCode: 204, error: null })
    }
  }, 90_000)

  it('switches an endpoint off when it answers 410 Gone, and mails the site’s admins', async () => {
    const site = await createSite()
    const owner = await inviteAdmin(site.siteKey)
    const receiver = newReceiver()
    await steer(receiver.name, { gone: true })
    await createWebhook(site.siteKey, 'gone', { url: receiver.url, events: ['lead.created'] })
    await newLead(site)
    const listed = await eventually(
      async () =>
        (await (await admin(`/v1/admin/sites/${site.siteKey}/webhooks`, 'GET')).json()) as {
          webhooks: { enabled: boolean; disabledReason: string | null }[]
        },
      (w) => w.webhooks[0]?.enabled === false,
    )
    expect(listed.webhooks[0]).toMatchObject({ enabled: false, disabledReason: 'gone' })
    expect((await received(receiver.name)).length).toBe(1)
    const mail = await env.DB.prepare(
      'SELECT subject FROM outbox WHERE site_key = ?1 AND recipient = ?2',
    )
      .bind(site.siteKey, owner)
      .first<{ subject: string }>()
    expect(mail?.subject).toContain('switched off the webhook “gone”')

    // Switched off, it gets nothing more; switched on again, it does.
    await newLead(site)
    await new Promise((resolve) => setTimeout(resolve, 1500))
    expect((await received(receiver.name)).length).toBe(1)
    await steer(receiver.name, { gone: false })
    const again = await admin(`/v1/admin/sites/${site.siteKey}/webhooks/gone`, 'PUT', {
      url: receiver.url,
      events: ['lead.created'],
      enabled: true,
    })
    expect(again.status).toBe(200)
    expect(await again.json()).toMatchObject({ enabled: true, disabledReason: null })
    expect((await again.clone().json()) as object).not.toHaveProperty('secret')
    await newLead(site)
    await eventually(
      () => received(receiver.name),
      (r) => successes(r).length === 1,
    )
  })

  it('switches off an endpoint that has failed for days, and mails its admins', async () => {
    const site = await createSite()
    const owner = await inviteAdmin(site.siteKey)
    const receiver = newReceiver()
    await steer(receiver.name, { status: 503 })
    await createWebhook(site.siteKey, 'broken', { url: receiver.url, events: ['lead.created'] })
    // It has failed every attempt for five days (set, as no test waits days).
    await env.DB.prepare(
      "UPDATE endpoints SET failing_since = ?2 WHERE site_key = ?1 AND endpoint_id = 'broken'",
    )
      .bind(site.siteKey, new Date(Date.now() - 5 * 86_400_000).toISOString())
      .run()
    await newLead(site)
    const listed = await eventually(
      async () =>
        (await (await admin(`/v1/admin/sites/${site.siteKey}/webhooks`, 'GET')).json()) as {
          webhooks: { enabled: boolean; disabledReason: string | null }[]
        },
      (w) => w.webhooks[0]?.enabled === false,
    )
    expect(listed.webhooks[0]).toMatchObject({ enabled: false, disabledReason: 'failing' })
    const mail = await env.DB.prepare(
      'SELECT body FROM outbox WHERE site_key = ?1 AND recipient = ?2',
    )
      .bind(site.siteKey, owner)
      .first<{ body: string }>()
    expect(mail?.body).toContain('it has failed every attempt since')
    // The delivery is kept, to be retried by hand once the receiver works.
    const [delivery] = (await deliveries(site.siteKey, 'broken')).deliveries
    expect(delivery?.attempts[0]).toMatchObject({ statusCode: 503 })
  })

  it('marks a delivery dead once its retries run out, and a retry by hand delivers it', async () => {
    const site = await createSite()
    const receiver = newReceiver()
    await steer(receiver.name, { status: 500 })
    await createWebhook(site.siteKey, 'dead', { url: receiver.url, events: ['lead.created'] })
    await newLead(site)
    const listed = await eventually(
      () => deliveries(site.siteKey, 'dead'),
      (d) => d.deliveries[0]?.status === 'dead',
      60_000,
    )
    const [delivery] = listed.deliveries
    // The first attempt and every retry the queue allows, then the dead-letter queue.
    expect(delivery!.attempts).toHaveLength(MAX_RETRIES + 1)
    await steer(receiver.name, { status: 204 })
    const retried = await admin(
      `/v1/admin/sites/${site.siteKey}/webhooks/dead/deliveries/${delivery!.deliveryId}/retry`,
      'POST',
    )
    expect(retried.status).toBe(202)
    const after = await eventually(
      () => deliveries(site.siteKey, 'dead'),
      (d) => d.deliveries[0]?.status === 'succeeded',
    )
    expect(after.deliveries[0]!.attempts.at(-1)).toMatchObject({ statusCode: 204 })
    expect(successes(await received(receiver.name))).toHaveLength(1)
  }, 90_000)

  it('signs with both secrets for a day after a rotation', async () => {
    const site = await createSite()
    const receiver = newReceiver()
    const old = await createWebhook(site.siteKey, 'rotated', {
      url: receiver.url,
      events: ['lead.created'],
    })
    const rotated = await admin(`/v1/admin/sites/${site.siteKey}/webhooks/rotated/secret`, 'POST')
    expect(rotated.status).toBe(200)
    const { secret, previousSecretUntil } = (await rotated.json()) as {
      secret: string
      previousSecretUntil: string
    }
    expect(secret).not.toBe(old)
    expect(Date.parse(previousSecretUntil) - Date.now()).toBeGreaterThan(23 * 3600 * 1000)
    await newLead(site)
    const [hit] = await eventually(
      () => received(receiver.name),
      (r) => r.length >= 1,
    )
    expect(hit!.headers['webhook-signature']!.split(' ')).toHaveLength(2)
    expect(verify(secret, hit!).type).toBe('lead.created')
    expect(verify(old, hit!).type).toBe('lead.created')
    expect(() => verify('whsec_' + btoa('someone else entirely 24b'), hit!)).toThrow()
  })

  it('reports a manual stage change and an erasure, which carries nothing personal and clears the earlier payloads', async () => {
    const site = await createSite()
    const receiver = newReceiver()
    const secret = await createWebhook(site.siteKey, 'life', {
      url: receiver.url,
      events: ['lead.created', 'lead.stage_changed', 'lead.erased'],
    })
    const leadId = await newLead(site, 'erase.me@firma.de')
    const moved = await admin(`/v1/admin/sites/${site.siteKey}/leads/${leadId}/stage`, 'POST', {
      stage: 'customer',
      value: { amount: 1200, currency: 'EUR' },
    })
    expect(moved.status).toBe(200)
    await eventually(
      () => received(receiver.name),
      (r) => r.length >= 2,
    )
    const erased = await admin(`/v1/admin/sites/${site.siteKey}/leads/${leadId}`, 'DELETE')
    expect(erased.status).toBe(200)
    const log = await eventually(
      () => received(receiver.name),
      (r) => r.length >= 3,
    )
    const payloads = log.map((hit) => verify(secret, hit))
    const stage = payloads.find((p) => p.type === 'lead.stage_changed')!
    expect(stage.data).toMatchObject({ from: 'lead', to: 'customer', cause: 'manual' })
    expect(stage.data.lead).toMatchObject({
      stage: 'customer',
      deal: { amount: 1200, currency: 'EUR' },
    })
    const gone = log.find((hit) => verify(secret, hit).type === 'lead.erased')!
    expect(gone.body).not.toContain('erase.me')
    expect(verify(secret, gone).data).toMatchObject({ leadId, version: 3 })
    const stored = await env.DB.prepare(
      'SELECT payload FROM outbound_events WHERE site_key = ?1 AND lead_id = ?2',
    )
      .bind(site.siteKey, leadId)
      .all<{ payload: string }>()
    expect(stored.results).toHaveLength(3)
    for (const row of stored.results) expect(row.payload.toLowerCase()).not.toContain('erase.me')
  })

  it('writes one lead.created for 2,000 replays of one submission', async () => {
    const site = await createSite()
    const receiver = newReceiver()
    await createWebhook(site.siteKey, 'replays', { url: receiver.url, events: ['lead.created'] })
    const body = leadBody(site)
    const statuses: number[] = []
    for (let round = 0; round < 20; round++) {
      const answers = await Promise.all(
        Array.from({ length: 100 }, () => postLead(site, body).then((r) => r.status)),
      )
      statuses.push(...answers)
    }
    expect(statuses.filter((s) => s === 201)).toHaveLength(1)
    expect(statuses.filter((s) => s === 200)).toHaveLength(1999)
    const events = await env.DB.prepare(
      "SELECT count(*) AS n FROM outbound_events WHERE site_key = ?1 AND type = 'lead.created'",
    )
      .bind(site.siteKey)
      .first<{ n: number }>()
    expect(events?.n).toBe(1)
    const log = await eventually(
      () => received(receiver.name),
      (r) => r.length >= 1,
    )
    await new Promise((resolve) => setTimeout(resolve, 1000))
    expect(await received(receiver.name)).toHaveLength(log.length)
    expect(log).toHaveLength(1)
  }, 120_000)

  it('sends again what the queue lost, from the five-minute sweep', async () => {
    const site = await createSite()
    const receiver = newReceiver()
    await createWebhook(site.siteKey, 'swept', { url: receiver.url, events: ['spam.held'] })
    // An event whose announcement never reached the queue: written, not sent.
    const written = new Date(Date.now() - 20 * 60_000).toISOString()
    await writeEvents(env.DB, [
      {
        siteKey: site.siteKey,
        leadId: null,
        type: 'spam.held',
        data: { reason: 'honeypot' },
        now: written,
      },
    ])
    await new Promise((resolve) => setTimeout(resolve, 1500))
    expect(await received(receiver.name)).toHaveLength(0)
    const ctx = createExecutionContext()
    await worker.scheduled(
      createScheduledController({ scheduledTime: new Date(), cron: '*/5 * * * *' }),
      env,
      ctx,
    )
    await waitOnExecutionContext(ctx)
    const log = await eventually(
      () => received(receiver.name),
      (r) => r.length >= 1,
    )
    expect(JSON.parse(log[0]!.body)).toMatchObject({
      type: 'spam.held',
      data: { reason: 'honeypot' },
    })
  })
})
