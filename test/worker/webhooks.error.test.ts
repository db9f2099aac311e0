import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { admin, createSite, expectProblem } from './helpers'
import { createWebhook, newReceiver } from './outbound'

/** Webhook admin routes refuse bad input with problem+json and store nothing (docs/outbound.md). */
async function storedWebhooks(siteKey: string): Promise<number> {
  const row = await env.DB.prepare(
    "SELECT count(*) AS n FROM endpoints WHERE site_key = ?1 AND kind = 'webhook'",
  )
    .bind(siteKey)
    .first<{ n: number }>()
  return row?.n ?? 0
}

describe('webhook admin errors', () => {
  it.each([
    'https://127.0.0.1/hook',
    'https://10.0.0.5/hook',
    'https://169.254.169.254/latest/meta-data',
    'https://[::1]/hook',
    'https://localhost/hook',
    'http://hooks.example.com/hook',
    'https://hooks.example.com:8080/hook',
  ])(
    'refuses the target %s with 422 target_not_allowed at the url, storing nothing',
    async (url) => {
      const site = await createSite()
      const response = await admin(`/v1/admin/sites/${site.siteKey}/webhooks/bad`, 'PUT', {
        url,
        events: ['lead.created'],
      })
      const problem = await expectProblem(response, 422, 'target_not_allowed')
      expect(problem.errors?.[0]?.path).toBe('url')
      expect(await storedWebhooks(site.siteKey)).toBe(0)
    },
  )

  it.each([
    [{ url: 'https://hooks.example.com/x', events: [] }, 'events'],
    [{ url: 'https://hooks.example.com/x', events: ['lead.deleted'] }, 'events.0'],
    [{ url: 'https://hooks.example.com/x', events: ['lead.created', 'lead.created'] }, 'events'],
    [{ url: 'javascript:alert(1)', events: ['lead.created'] }, 'url'],
    [{ url: 'https://hooks.example.com/x', events: ['lead.created'], secret: 'mine' }, '(body)'],
    [{ events: ['lead.created'] }, 'url'],
  ])('refuses the body %j with 422 at %s', async (body, path) => {
    const site = await createSite()
    const response = await admin(`/v1/admin/sites/${site.siteKey}/webhooks/bad`, 'PUT', body)
    const problem = await expectProblem(response, 422, 'validation_failed')
    expect(problem.errors?.map((e) => e.path)).toContain(path)
    expect(await storedWebhooks(site.siteKey)).toBe(0)
  })

  it('refuses a webhook id that is no slug, and answers 404 for unknown webhooks and deliveries', async () => {
    const site = await createSite()
    const bad = await admin(`/v1/admin/sites/${site.siteKey}/webhooks/Not%20A%20Slug`, 'PUT', {
      url: 'https://hooks.example.com/x',
      events: ['lead.created'],
    })
    await expectProblem(bad, 422, 'validation_failed')
    for (const [path, method] of [
      ['webhooks/nope', 'DELETE'],
      ['webhooks/nope/secret', 'POST'],
      ['webhooks/nope/deliveries', 'GET'],
    ] as const) {
      await expectProblem(
        await admin(`/v1/admin/sites/${site.siteKey}/${path}`, method),
        404,
        'webhook_not_found',
      )
    }
    await createWebhook(site.siteKey, 'real', {
      url: newReceiver().url,
      events: ['lead.created'],
    })
    await expectProblem(
      await admin(
        `/v1/admin/sites/${site.siteKey}/webhooks/real/deliveries/dlv_000000000000000000000000/retry`,
        'POST',
      ),
      404,
      'delivery_not_found',
    )
    await expectProblem(
      await admin(`/v1/admin/sites/${site.siteKey}/webhooks/real/deliveries/12/retry`, 'POST'),
      422,
      'validation_failed',
    )
    await expectProblem(
      await admin(`/v1/admin/sites/${site.siteKey}/webhooks/real/deliveries?limit=1000`, 'GET'),
      422,
      'validation_failed',
    )
    await expectProblem(
      await admin(`/v1/admin/sites/nosuchsite/webhooks`, 'GET'),
      404,
      'site_not_found',
    )
  })

  it('keeps at most 20 webhooks a site', async () => {
    const site = await createSite()
    for (let i = 0; i < 20; i++) {
      await createWebhook(site.siteKey, `hook-${i}`, {
        url: newReceiver().url,
        events: ['lead.created'],
      })
    }
    const more = await admin(`/v1/admin/sites/${site.siteKey}/webhooks/hook-20`, 'PUT', {
      url: newReceiver().url,
      events: ['lead.created'],
    })
    await expectProblem(more, 422, 'validation_failed')
    expect(await storedWebhooks(site.siteKey)).toBe(20)
  })
})
