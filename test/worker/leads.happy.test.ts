import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { LeadDetail, LeadSubmissionResult } from '../../shared/leads'
import { admin, call, createSite, leadBody, pageView, postEvents, postLead } from './helpers'

describe('POST /v1/leads', () => {
  it('stores a complete lead with normalised fields and its consent, and answers 201', async () => {
    const site = await createSite()
    const response = await postLead(site, leadBody(site))
    expect(response.status).toBe(201)
    expect(response.headers.get('access-control-allow-origin')).toBe(site.origin)
    const result = (await response.json()) as LeadSubmissionResult
    expect(result).toMatchObject({ stage: 'lead', complete: true, missing: [] })
    expect(result.download?.filename).toBe('whitepaper-2026.pdf')

    const lead = (await (await admin(`/v1/admin/sites/${site.siteKey}/leads/${result.leadId}`, 'GET')).json()) as LeadDetail
    expect(lead.email).toBe('Anna.Berg@firma.de')
    expect(lead.fields.phone).toBe('+49301234567')
    expect(lead.firstTouch).toMatchObject({ source: 'linkedin', medium: 'paid', campaign: 'q4-whitepaper' })
    expect(lead.consents).toHaveLength(1)
    expect(lead.consents[0]).toMatchObject({
      purpose: 'marketing_email',
      status: 'granted',
      method: 'checkbox',
      textId: site.consentTextIds.marketing_email,
      network: '203.0.113.0/24',
      userAgent: 'Mozilla/5.0 test',
      formId: 'wp',
      pageUrl: `${site.origin}/whitepaper`,
    })
    expect(lead.consents[0]!.textSha256).toMatch(/^[0-9a-f]{64}$/)
    expect(lead.stageHistory).toEqual([expect.objectContaining({ from: null, to: 'lead', cause: 'rule' })])
    expect(lead.submissions).toHaveLength(1)
  })
})
