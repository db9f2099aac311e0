import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { admin, createSite, expectProblem, scopedToken } from './helpers'
import { writeEvents } from '../../worker/src/db/outbound'
import { announce } from '../../worker/src/services/outbound/queue'
import { createWebhook, eventually, newReceiver, received, steer } from './outbound'

/** Webhooks are an admin's; their secrets are shown once and stored encrypted (docs/outbound.md#signature). */
describe('webhook security', () => {
  it('needs site:admin of the same site for every webhook route', async () => {
    const site = await createSite()
    const other = await createSite()
    await createWebhook(site.siteKey, 'hook', { url: newReceiver().url, events: ['lead.created'] })
    const reader = await scopedToken(site.siteKey, ['leads:read', 'leads:write', 'reports:read'])
    const foreign = await scopedToken(other.siteKey, ['site:admin'])
    const routes = [
      ['webhooks', 'GET'],
      ['webhooks/hook', 'PUT'],
      ['webhooks/hook', 'DELETE'],
      ['webhooks/hook/secret', 'POST'],
      ['webhooks/hook/deliveries', 'GET'],
    ] as const
    const body = { url: newReceiver().url, events: ['lead.created'] }
    for (const [path, method] of routes) {
      const url = `/v1/admin/sites/${site.siteKey}/${path}`
      const payload = method === 'PUT' ? body : undefined
      await expectProblem(await admin(url, method, payload, reader), 403, 'forbidden')
      await expectProblem(await admin(url, method, payload, foreign), 403, 'forbidden')
      await expectProblem(await admin(url, method, payload, 'not-a-token'), 401, 'unauthorized')
    }
    // Nothing changed: the webhook is there with its first URL.
    const list = (await (
      await admin(`/v1/admin/sites/${site.siteKey}/webhooks`, 'GET')
    ).json()) as {
      webhooks: { url: string }[]
    }
    expect(list.webhooks).toHaveLength(1)
    expect(list.webhooks[0]!.url).not.toBe(body.url)
  })

  it('shows the secret once and keeps it encrypted, never in a listing', async () => {
    const site = await createSite()
    const secret = await createWebhook(site.siteKey, 'hook', {
      url: newReceiver().url,
      events: ['lead.created'],
    })
    const listing = await (await admin(`/v1/admin/sites/${site.siteKey}/webhooks`, 'GET')).text()
    expect(listing).not.toContain(secret)
    expect(listing).not.toContain('whsec_')
    const changed = await admin(`/v1/admin/sites/${site.siteKey}/webhooks/hook`, 'PUT', {
      url: newReceiver().url,
      events: ['lead.created'],
    })
    expect(changed.status).toBe(200)
    expect(await changed.text()).not.toContain('whsec_')
    const row = await env.DB.prepare(
      "SELECT secret FROM endpoints WHERE site_key = ?1 AND endpoint_id = 'hook'",
    )
      .bind(site.siteKey)
      .first<{ secret: string }>()
    expect(row?.secret).toMatch(/^v1\./)
    expect(row?.secret).not.toContain(secret.slice(6))
  })

  it('refuses redirects: a 3xx answer is a failed attempt, never followed', async () => {
    const site = await createSite()
    const receiver = newReceiver()
    await steer(receiver.name, { status: 302 })
    await createWebhook(site.siteKey, 'moved', { url: receiver.url, events: ['spam.held'] })
    const ids = await writeEvents(env.DB, [
      {
        siteKey: site.siteKey,
        leadId: null,
        type: 'spam.held',
        data: { reason: 'honeypot' },
        now: new Date().toISOString(),
      },
    ])
    await announce(env.OUTBOUND, ids)
    await eventually(
      () => received(receiver.name),
      (r) => r.length >= 2,
    )
    const listed = (await (
      await admin(`/v1/admin/sites/${site.siteKey}/webhooks/moved/deliveries`, 'GET')
    ).json()) as {
      deliveries: { status: string; attempts: { statusCode: number; error: string }[] }[]
    }
    expect(listed.deliveries[0]!.status).toBe('pending')
    expect(listed.deliveries[0]!.attempts[0]).toMatchObject({
      statusCode: 302,
      error: 'redirect to elsewhere (not followed)',
    })
    await steer(receiver.name, { status: 204 })
  })
})
