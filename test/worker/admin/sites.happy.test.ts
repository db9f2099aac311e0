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

  it('stores an accent colour for the consent pages, in lower case, and answers null without one', async () => {
    const siteKey = uniqueSiteKey()
    const site = { name: 'Acme', allowedOrigins: ['https://acme.example'] }
    const plain = (await (await admin(`/v1/admin/sites/${siteKey}`, 'PUT', site)).json()) as Site
    expect(plain.accentColor).toBeNull()
    const coloured = await admin(`/v1/admin/sites/${siteKey}`, 'PUT', {
      ...site,
      accentColor: '#FFEB3B',
    })
    expect(coloured.status).toBe(200)
    expect(((await coloured.json()) as Site).accentColor).toBe('#ffeb3b')
    const stored = await env.DB.prepare('SELECT accent_color FROM sites WHERE site_key = ?1')
      .bind(siteKey)
      .first<{ accent_color: string | null }>()
    expect(stored!.accent_color).toBe('#ffeb3b')
    const cleared = await admin(`/v1/admin/sites/${siteKey}`, 'PUT', site)
    expect(((await cleared.json()) as Site).accentColor, 'PUT replaces the settings').toBeNull()
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
