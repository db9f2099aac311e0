import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import {
  MAX_RETRIES,
  retryDelaySeconds,
  scheduleSpanSeconds,
} from '../../worker/src/domain/retry-schedule'
import { admin, createSite } from './helpers'
import {
  createWebhook,
  deliveries,
  eventually,
  inviteAdmin,
  listWebhooks,
  newLead,
  newReceiver,
  received,
  steer,
  successes,
  verify,
} from './outbound'

/**
 * Webhook retries (docs/outbound.md#retries): they outlast a receiver that is down for a day,
 * run out into the dead-letter queue, and an endpoint that answers 410 or fails for days is
 * switched off with its admins told.
 */
describe('webhook retries', () => {
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
      () => listWebhooks(site.siteKey),
      (w) => w[0]?.enabled === false,
    )
    expect(listed[0]).toMatchObject({ enabled: false, disabledReason: 'gone' })
    expect((await received(receiver.name)).length).toBe(1)
    const mail = await env.DB.prepare(
      "SELECT subject FROM outbox WHERE site_key = ?1 AND recipient = ?2 AND subject LIKE '%switched off%'",
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
    const changed = (await again.json()) as object
    expect(changed).toMatchObject({ enabled: true, disabledReason: null })
    expect(changed).not.toHaveProperty('secret')
    await newLead(site)
    await eventually(
      () => received(receiver.name),
      (r) => successes(r).length === 1,
    )
  }, 30_000)

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
      () => listWebhooks(site.siteKey),
      (w) => w[0]?.enabled === false,
    )
    expect(listed[0]).toMatchObject({ enabled: false, disabledReason: 'failing' })
    const mail = await env.DB.prepare(
      "SELECT body FROM outbox WHERE site_key = ?1 AND recipient = ?2 AND subject LIKE '%switched off%'",
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
})
