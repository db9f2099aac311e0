import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { admin, call, createSite, expectProblem, rowCounts, scopedToken } from '../helpers'
import { leadRow, newLead, postDeal } from '../deal-data'

describe('POST /v1/admin/sites/{siteKey}/deals, who may record a deal', () => {
  it('refuses no token, a bad token, leads:read and another site’s admin, writing nothing', async () => {
    const site = await createSite()
    const other = await createSite()
    const leadId = await newLead(site)
    const body = { dealId: 'D-1', leadId, amount: 1000, currency: 'EUR' }
    const reader = await scopedToken(site.siteKey, ['leads:read', 'reports:read'])
    const otherAdmin = await scopedToken(other.siteKey, ['site:admin'])
    const before = await rowCounts()
    const path = `/v1/admin/sites/${site.siteKey}/deals`
    await expectProblem(
      await call(path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
      401,
      'unauthorized',
    )
    await expectProblem(await postDeal(site, body, 'x'.repeat(40)), 401, 'unauthorized')
    await expectProblem(await postDeal(site, body, reader), 403, 'forbidden')
    await expectProblem(await postDeal(site, body, otherAdmin), 403, 'forbidden')
    expect(await rowCounts()).toEqual(before)
    expect((await leadRow(leadId))!.stage).toBe('lead')
    // The lead of one site is not found through another site's path and token.
    await expectProblem(
      await admin(`/v1/admin/sites/${other.siteKey}/deals`, 'POST', body, otherAdmin),
      404,
      'lead_not_found',
    )
    const writer = await scopedToken(site.siteKey, ['leads:write'])
    expect((await postDeal(site, body, writer)).status).toBe(201)
  })

  it('names the token in the history, never the request’s other data', async () => {
    const site = await createSite()
    const leadId = await newLead(site)
    const writer = await scopedToken(site.siteKey, ['leads:write'])
    const tokenId = await env.DB.prepare(
      'SELECT id FROM tokens WHERE site_key = ?1 ORDER BY created_at DESC LIMIT 1',
    )
      .bind(site.siteKey)
      .first<{ id: string }>()
    expect(
      (await postDeal(site, { dealId: 'D-9', leadId, amount: 1, currency: 'EUR' }, writer)).status,
    ).toBe(201)
    const entry = await env.DB.prepare(
      "SELECT token_id, reason FROM stage_history WHERE lead_id = ?1 AND to_stage = 'customer'",
    )
      .bind(leadId)
      .first<{ token_id: string; reason: string }>()
    expect(entry).toEqual({ token_id: tokenId!.id, reason: 'deal won: D-9' })
  })
})

describe('PUT /v1/admin/sites/{siteKey}/inbound/{source}, who may make a key', () => {
  it('needs site:admin; the key is shown once and stored only as its SHA-256', async () => {
    const site = await createSite()
    const writer = await scopedToken(site.siteKey, ['leads:write'])
    const path = `/v1/admin/sites/${site.siteKey}/inbound/pipedrive`
    await expectProblem(await admin(path, 'PUT', undefined, writer), 403, 'forbidden')
    const siteAdmin = await scopedToken(site.siteKey, ['site:admin'])
    const created = await admin(path, 'PUT', undefined, siteAdmin)
    expect(created.status).toBe(201)
    expect(created.headers.get('cache-control')).toBe('no-store')
    const { key, url } = (await created.json()) as { key: string; url: string }
    expect(key).toMatch(/^lsi_[A-Za-z0-9_-]{43}$/)
    expect(url).toBe(
      `https://collector.test/v1/inbound/${site.siteKey}/pipedrive?key=${encodeURIComponent(key)}`,
    )
    const stored = await env.DB.prepare('SELECT * FROM inbound_keys WHERE site_key = ?1')
      .bind(site.siteKey)
      .all<Record<string, unknown>>()
    expect(JSON.stringify(stored.results)).not.toContain(key)
    const digest = [
      ...new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(key))),
    ]
      .map((b) => b.toString(16).padStart(2, '0'))
      .join('')
    expect(stored.results).toEqual([expect.objectContaining({ key_sha256: digest })])
    // A rotation answers 200 with a new key.
    const rotated = await admin(path, 'PUT', undefined, siteAdmin)
    expect(rotated.status).toBe(200)
    expect(((await rotated.json()) as { key: string }).key).not.toBe(key)
  })
})
