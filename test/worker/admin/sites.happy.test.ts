import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { Site, TokenCreated } from '../../../shared/site'
import { admin, createSite, uniqueSiteKey } from '../helpers'

describe('PUT /v1/admin/sites/{siteKey}', () => {
  it('creates a site with b2b defaults (201) and updates it (200)', async () => {
    const siteKey = uniqueSiteKey()
    const created = await admin(`/v1/admin/sites/${siteKey}`, 'PUT', {
      name: 'Acme',
      allowedOrigins: ['https://acme.example'],
    })
    expect(created.status).toBe(201)
    expect(created.headers.get('cache-control')).toBe('no-store')
    expect((await created.json()) as Site).toMatchObject({
      siteKey,
      stageModel: 'b2b',
      locale: 'en',
      country: 'DE',
      requiredFields: ['email', 'firstName', 'lastName', 'company', 'jobTitle'],
    })
    const updated = await admin(`/v1/admin/sites/${siteKey}`, 'PUT', {
      name: 'Acme AG',
      allowedOrigins: ['https://www.acme.example'],
      stageModel: 'b2c',
      requiredFields: ['firstName'],
    })
    expect(updated.status).toBe(200)
    expect((await updated.json()) as Site).toMatchObject({
      name: 'Acme AG',
      allowedOrigins: ['https://www.acme.example'],
      requiredFields: ['email', 'firstName'],
    })
  })
})

describe('POST /v1/admin/sites/{siteKey}/tokens', () => {
  it('shows a scoped token once and stores only its hash', async () => {
    const site = await createSite()
    const response = await admin(`/v1/admin/sites/${site.siteKey}/tokens`, 'POST', {
      scopes: ['leads:read'],
      name: 'CRM sync',
    })
    expect(response.status).toBe(201)
    const created = (await response.json()) as TokenCreated
    expect(created.token).toMatch(/^lst_/)
    const stored = await env.DB.prepare('SELECT token_hash FROM tokens WHERE id = ?1')
      .bind(created.id)
      .first<{ token_hash: string }>()
    expect(stored!.token_hash).toMatch(/^[0-9a-f]{64}$/)
    const everything = JSON.stringify(await env.DB.prepare('SELECT * FROM tokens').all())
    expect(everything).not.toContain(created.token)
    const list = await admin(
      `/v1/admin/sites/${site.siteKey}/leads`,
      'GET',
      undefined,
      created.token,
    )
    expect(list.status).toBe(200)
  })
})
