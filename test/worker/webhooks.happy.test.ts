import { env } from 'cloudflare:test'
import { Webhook } from 'standardwebhooks'
import { describe, expect, it } from 'vitest'
import { admin, createSite, leadBody, postLead } from './helpers'
import { createWebhook, eventually, newReceiver, received } from './outbound'

describe('webhooks', () => {
  it('delivers lead.created, signed so the standardwebhooks verifier accepts it', async () => {
    const site = await createSite()
    const receiver = newReceiver()
    const secret = await createWebhook(site.siteKey, 'crm', {
      url: receiver.url,
      events: ['lead.created', 'lead.stage_changed'],
    })
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/=]{32}$/)
    const response = await postLead(site, leadBody(site))
    expect(response.status).toBe(201)
    const { leadId } = (await response.json()) as { leadId: string }

    const log = await eventually(
      () => received(receiver.name),
      (r) => r.length >= 1,
    )
    expect(log).toHaveLength(1)
    const [hit] = log
    const payload = new Webhook(secret).verify(hit!.body, {
      'webhook-id': hit!.headers['webhook-id']!,
      'webhook-timestamp': hit!.headers['webhook-timestamp']!,
      'webhook-signature': hit!.headers['webhook-signature']!,
    }) as { type: string; data: { leadId: string; version: number; lead: { email: string } } }
    expect(payload.type).toBe('lead.created')
    expect(payload.data.leadId).toBe(leadId)
    expect(payload.data.version).toBe(1)
    expect(payload.data.lead.email).toBe('Anna.Berg@firma.de')

    const deliveries = await eventually(
      async () =>
        (await (
          await admin(`/v1/admin/sites/${site.siteKey}/webhooks/crm/deliveries`, 'GET')
        ).json()) as { deliveries: { status: string; eventId: string; attempts: unknown[] }[] },
      (d) => d.deliveries[0]?.status === 'succeeded',
    )
    expect(deliveries.deliveries).toHaveLength(1)
    expect(deliveries.deliveries[0]).toMatchObject({
      status: 'succeeded',
      eventId: hit!.headers['webhook-id'],
    })
    expect(deliveries.deliveries[0]!.attempts).toEqual([
      expect.objectContaining({ statusCode: 204, error: null }),
    ])
    void env
  })
})
