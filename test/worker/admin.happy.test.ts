import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { Form, SiteConfig } from '../../shared/form'
import type { LeadList, LeadSubmissionResult } from '../../shared/leads'
import type { Site, TokenCreated } from '../../shared/site'
import {
  admin,
  call,
  createSite,
  leadBody,
  postLead,
  uniqueSiteKey,
  WHITEPAPER_FORM,
} from './helpers'

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

describe('PUT /v1/admin/sites/{siteKey}/forms/{formId}', () => {
  it('stores consent texts once with their SHA-256 and versions a changed wording', async () => {
    const site = await createSite()
    const same = await admin(`/v1/admin/sites/${site.siteKey}/forms/wp`, 'PUT', WHITEPAPER_FORM)
    expect(same.status).toBe(200)
    const sameForm = (await same.json()) as Form
    expect(sameForm.consents.find((c) => c.purpose === 'marketing_email')).toMatchObject({
      textId: site.consentTextIds.marketing_email,
      version: 1,
    })
    const changed = await admin(`/v1/admin/sites/${site.siteKey}/forms/wp`, 'PUT', {
      ...WHITEPAPER_FORM,
      consents: [{ purpose: 'marketing_email', text: 'Neuer Text.', required: true }],
    })
    const form = (await changed.json()) as Form
    expect(form.consents).toEqual([
      expect.objectContaining({ purpose: 'marketing_email', version: 2, text: 'Neuer Text.' }),
    ])
    expect(form.consents[0]!.textId).not.toBe(site.consentTextIds.marketing_email)
    const digest = [
      ...new Uint8Array(
        await crypto.subtle.digest('SHA-256', new TextEncoder().encode('Neuer Text.')),
      ),
    ]
      .map((b) => b.toString(16).padStart(2, '0'))
      .join('')
    expect(form.consents[0]!.sha256).toBe(digest)
    const { n } = (await env.DB.prepare(
      'SELECT count(*) AS n FROM consent_texts WHERE site_key = ?1',
    )
      .bind(site.siteKey)
      .first()) as { n: number }
    expect(n).toBe(3)
  })
})

describe('GET /v1/sites/{siteKey}/config', () => {
  it("answers the site's forms with consent texts but without the gated asset URL", async () => {
    const site = await createSite()
    const response = await call(`/v1/sites/${site.siteKey}/config`, {
      headers: { origin: site.origin },
    })
    expect(response.status).toBe(200)
    expect(response.headers.get('access-control-allow-origin')).toBe(site.origin)
    const config = (await response.json()) as SiteConfig
    expect(config.locale).toBe('de')
    expect(config.forms).toHaveLength(1)
    expect(config.forms[0]).toMatchObject({ formId: 'wp', kind: 'whitepaper', gated: true })
    expect(config.forms[0]!.consents.map((c) => c.text)).toEqual(
      WHITEPAPER_FORM.consents!.map((c) => c.text),
    )
    expect(JSON.stringify(config)).not.toContain('cdn.example')
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

describe('GET /v1/admin/sites/{siteKey}/leads', () => {
  it('pages newest first with a cursor, never skipping or repeating a lead', async () => {
    const site = await createSite()
    const ids: string[] = []
    for (let i = 0; i < 5; i++) {
      const body = leadBody(site, { fields: { email: `lead${i}@firma.de`, firstName: `L${i}` } })
      ids.push(((await (await postLead(site, body)).json()) as LeadSubmissionResult).leadId)
    }
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const query: string = cursor ? `?limit=2&cursor=${cursor}` : '?limit=2'
      const page = (await (
        await admin(`/v1/admin/sites/${site.siteKey}/leads${query}`, 'GET')
      ).json()) as LeadList
      expect(page.leads.length).toBeLessThanOrEqual(2)
      seen.push(...page.leads.map((l) => l.leadId))
      cursor = page.nextCursor
    } while (cursor)
    expect(seen).toEqual([...ids].reverse())
  })

  it('filters by stage, campaign and time', async () => {
    const site = await createSite({ stageModel: 'b2b' })
    await postLead(
      site,
      leadBody(site, { fields: { email: 'a@firma.de' }, utm: { campaign: 'Spring' } }),
    )
    await postLead(
      site,
      leadBody(site, { fields: { email: 'b@firma.de' }, utm: { campaign: 'autumn' } }),
    )
    const byCampaign = (await (
      await admin(`/v1/admin/sites/${site.siteKey}/leads?campaign=SPRING`, 'GET')
    ).json()) as LeadList
    expect(byCampaign.leads.map((l) => l.email)).toEqual(['a@firma.de'])
    const byStage = (await (
      await admin(`/v1/admin/sites/${site.siteKey}/leads?stage=customer`, 'GET')
    ).json()) as LeadList
    expect(byStage.leads).toEqual([])
    const future = (await (
      await admin(`/v1/admin/sites/${site.siteKey}/leads?from=2099-01-01T00:00:00Z`, 'GET')
    ).json()) as LeadList
    expect(future.leads).toEqual([])
  })
})

describe('GET /v1/sites/{siteKey}/forms/{formId}/start', () => {
  it('answers an uncached start token, and the fields a known visitor already gave', async () => {
    const site = await createSite()
    const anonymous = await call(`/v1/sites/${site.siteKey}/forms/wp/start`, {
      headers: { origin: site.origin },
    })
    expect(anonymous.status).toBe(200)
    expect(anonymous.headers.get('cache-control')).toBe('no-store')
    expect(await anonymous.json()).toMatchObject({ startToken: expect.any(String), known: [] })

    const visitorId = crypto.randomUUID()
    await postLead(
      site,
      leadBody(site, {
        visitorId,
        fields: { email: 'kim@firma.de', firstName: 'Kim', company: 'Firma' },
      }),
    )
    const known = await call(`/v1/sites/${site.siteKey}/forms/wp/start?visitorId=${visitorId}`, {
      headers: { origin: site.origin },
    })
    expect(((await known.json()) as { known: string[] }).known).toEqual([
      'email',
      'firstName',
      'company',
    ])
  })
})
