import { describe, expect, it } from 'vitest'
import type { LeadList } from '../../../shared/leads'
import { admin, createSite, expectProblem, leadBody, postLead, scopedToken } from '../helpers'

describe('GET /v1/admin/sites/{siteKey}/leads, search and filters are data, not SQL', () => {
  it('treats quotes and SQL in q and campaign as text, and lists only the site’s own leads', async () => {
    const site = await createSite()
    const other = await createSite()
    await postLead(site, leadBody(site, { fields: { email: 'own@firma.de' } }))
    await postLead(other, leadBody(other, { fields: { email: 'other@firma.de' } }))
    const base = `/v1/admin/sites/${site.siteKey}/leads`
    for (const q of ["' OR 1=1 --", "%' OR '%'='", '\\', 'other@firma.de']) {
      const page = (await (
        await admin(`${base}?q=${encodeURIComponent(q)}`, 'GET')
      ).json()) as LeadList
      expect(page).toEqual({ leads: [], total: 0, nextCursor: null })
    }
    const campaign = (await (
      await admin(`${base}?campaign=${encodeURIComponent("x' OR '1'='1")}`, 'GET')
    ).json()) as LeadList
    expect(campaign.total).toBe(0)
    const all = (await (await admin(base, 'GET')).json()) as LeadList
    expect(all.leads.map((lead) => lead.email)).toEqual(['own@firma.de'])
  })

  it('needs leads:read: a reports:read token is refused', async () => {
    const site = await createSite()
    const token = await scopedToken(site.siteKey, ['reports:read'])
    await expectProblem(
      await admin(`/v1/admin/sites/${site.siteKey}/leads?q=a`, 'GET', undefined, token),
      403,
      'forbidden',
    )
  })
})

describe('a viewer (reports:read and leads:read)', () => {
  it('reads the list and a lead but may not move a stage or erase', async () => {
    const site = await createSite()
    const lead = (await (await postLead(site, leadBody(site))).json()) as { leadId: string }
    const viewer = await scopedToken(site.siteKey, ['reports:read', 'leads:read'])
    const base = `/v1/admin/sites/${site.siteKey}/leads`
    expect((await admin(base, 'GET', undefined, viewer)).status).toBe(200)
    expect((await admin(`${base}/${lead.leadId}`, 'GET', undefined, viewer)).status).toBe(200)
    await expectProblem(
      await admin(
        `${base}/${lead.leadId}/stage`,
        'POST',
        { stage: 'customer', value: { amount: 100, currency: 'EUR' } },
        viewer,
      ),
      403,
      'forbidden',
    )
    await expectProblem(await admin(`${base}/${lead.leadId}`, 'DELETE', undefined, viewer), 403)
    const after = (await (await admin(`${base}/${lead.leadId}`, 'GET')).json()) as {
      stage: string
      email: string
    }
    expect(after.stage).not.toBe('customer')
    expect(after.email).toBe('Anna.Berg@firma.de')
  })
})
