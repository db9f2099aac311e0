import {
  createExecutionContext,
  createScheduledController,
  waitOnExecutionContext,
} from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { writeEvents } from '../../worker/src/db/outbound'
import worker from '../../worker/src/index'
import { admin, createSite } from './helpers'
import {
  createWebhook,
  deliveries,
  eventually,
  newLead,
  newReceiver,
  received,
  verify,
} from './outbound'

/**
 * Webhooks (docs/outbound.md): every delivery verifies with the stock Standard Webhooks verifier,
 * only subscribed events go out, in version order per lead, a rotation signs with both secrets,
 * nothing personal outlives an erasure, and the sweep sends what the queue lost.
 */
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
    const created = payloads.find((p) => p.type === 'lead.created')!
    const stage = payloads.find((p) => p.type === 'lead.stage_changed')!
    expect(stage.data).toMatchObject({
      from: created.data.lead!.stage,
      to: 'customer',
      cause: 'manual',
    })
    expect(stage.data.lead).toMatchObject({
      stage: 'customer',
      deal: { amount: 1200, currency: 'EUR' },
    })
    const gone = log.find((hit) => verify(secret, hit).type === 'lead.erased')!
    expect(gone.body).not.toContain('erase.me')
    // Later than everything before it, so a receiver keeping versions applies it last.
    expect(verify(secret, gone).data.leadId).toBe(leadId)
    expect(verify(secret, gone).data.version).toBeGreaterThan(stage.data.version)
    const stored = await env.DB.prepare(
      'SELECT payload FROM outbound_events WHERE site_key = ?1 AND lead_id = ?2',
    )
      .bind(site.siteKey, leadId)
      .all<{ payload: string }>()
    expect(stored.results.length).toBeGreaterThanOrEqual(3)
    for (const row of stored.results) expect(row.payload.toLowerCase()).not.toContain('erase.me')
  })

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
