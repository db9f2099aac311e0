import { describe, expect, it } from 'vitest'
import type { LeadDetail, LeadSubmissionResult } from '../../shared/leads'
import { admin, call, createSite, leadBody, postLead } from './helpers'

describe('GET /v1/downloads/{token}', () => {
  it('hands out a signed download link that redirects to the asset and records a download', async () => {
    const site = await createSite()
    const result = (await (await postLead(site, leadBody(site))).json()) as LeadSubmissionResult
    const url = new URL(result.download!.url)
    const response = await call(url.pathname, { redirect: 'manual' })
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe('https://cdn.example/whitepaper-2026.pdf')
    const lead = (await (
      await admin(`/v1/admin/sites/${site.siteKey}/leads/${result.leadId}`, 'GET')
    ).json()) as LeadDetail
    expect(lead.journey.map((t) => t.type)).toEqual(['download'])

    const [payload, signature] = url.pathname.split('/').pop()!.split('.')
    const forged = await call(`/v1/downloads/${payload}.${signature!.slice(0, -2)}AA`, {
      redirect: 'manual',
    })
    expect(forged.status).toBe(404)
  })
})
