import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { LeadDetail, LeadSubmissionResult } from '../../../shared/leads'
import {
  admin,
  createSite,
  expectProblem,
  leadBody,
  pageView,
  postEvents,
  postLead,
  WHITEPAPER_FORM,
  type TestSite,
} from '../helpers'

interface SpamItem {
  id: number
  reason: string
  releasable: boolean
  createdAt: string
  values: Record<string, unknown>
}

async function heldItems(site: TestSite): Promise<SpamItem[]> {
  const response = await admin(`/v1/admin/sites/${site.siteKey}/spam`, 'GET')
  expect(response.status).toBe(200)
  return ((await response.json()) as { items: SpamItem[] }).items
}

async function leadOf(site: TestSite, leadId: string): Promise<LeadDetail> {
  const response = await admin(`/v1/admin/sites/${site.siteKey}/leads/${leadId}`, 'GET')
  expect(response.status).toBe(200)
  return (await response.json()) as LeadDetail
}

describe('POST /v1/admin/sites/{siteKey}/spam/{id}/release', () => {
  it('makes the held submission a lead with its consents as given (text, time, network, user agent) and removes it from the folder', async () => {
    const site = await createSite()
    await expectProblem(
      await postLead(site, leadBody(site, { honeypot: 'x' }), { ip: '198.51.100.23' }),
      422,
      'spam_suspected',
    )
    const [held] = await heldItems(site)
    expect(held).toMatchObject({ reason: 'honeypot', releasable: true })
    expect(held!.values).toMatchObject({ email: 'Anna.Berg@Firma.DE', company: 'Firma GmbH' })

    const response = await admin(`/v1/admin/sites/${site.siteKey}/spam/${held!.id}/release`, 'POST')
    expect(response.status).toBe(201)
    const released = (await response.json()) as { leadId: string; released: boolean }
    expect(released.released).toBe(true)

    const lead = await leadOf(site, released.leadId)
    expect(lead).toMatchObject({ email: 'Anna.Berg@firma.de', company: 'Firma GmbH' })
    expect(lead.consents).toEqual([
      expect.objectContaining({
        purpose: 'marketing_email',
        status: 'granted',
        textId: site.consentTextIds.marketing_email,
        network: '198.51.100.0/24',
        userAgent: 'Mozilla/5.0 test',
        createdAt: held!.createdAt,
      }),
    ])
    expect(await heldItems(site)).toEqual([])
    // The lead is a lead like any other: in the list.
    const list = (await (await admin(`/v1/admin/sites/${site.siteKey}/leads`, 'GET')).json()) as {
      leads: { leadId: string }[]
    }
    expect(list.leads.map((item) => item.leadId)).toEqual([released.leadId])
  })

  it("merges into the lead of the same email, joins the visitor's touchpoints, and keeps the consent text shown then after the form changed it", async () => {
    const site = await createSite()
    const visitorId = crypto.randomUUID()
    await postEvents(site.origin, {
      siteKey: site.siteKey,
      visitorId,
      events: [pageView(`${site.origin}/pricing`)],
    })
    const first = (await (
      await postLead(site, leadBody(site, { fields: { email: 'anna.berg@firma.de' } }))
    ).json()) as LeadSubmissionResult
    await postLead(site, leadBody(site, { honeypot: 'x', visitorId }))
    const oldTextId = site.consentTextIds.marketing_email
    const changed = await admin(`/v1/admin/sites/${site.siteKey}/forms/wp`, 'PUT', {
      ...WHITEPAPER_FORM,
      consents: [{ ...WHITEPAPER_FORM.consents![0]!, text: 'Newer wording.' }],
    })
    expect(changed.status).toBe(200)
    const [held] = await heldItems(site)

    const released = (await (
      await admin(`/v1/admin/sites/${site.siteKey}/spam/${held!.id}/release`, 'POST')
    ).json()) as { leadId: string }
    expect(released.leadId).toBe(first.leadId)
    const lead = await leadOf(site, first.leadId)
    expect(lead.company).toBe('Firma GmbH')
    const entries = lead.consents.filter((entry) => entry.purpose === 'marketing_email')
    expect(entries.map((entry) => entry.textId)).toEqual([oldTextId, oldTextId])
    expect(JSON.stringify(lead.journey)).toContain('/pricing')
  })

  it('releases a disposable address: a person judged it', async () => {
    const site = await createSite()
    const good = leadBody(site)
    await expectProblem(
      await postLead(site, { ...good, fields: { ...good.fields, email: 'tom@mailinator.com' } }),
      422,
      'disposable_email',
    )
    const [held] = await heldItems(site)
    const response = await admin(`/v1/admin/sites/${site.siteKey}/spam/${held!.id}/release`, 'POST')
    expect(response.status).toBe(201)
    const { leadId } = (await response.json()) as { leadId: string }
    expect((await leadOf(site, leadId)).email).toBe('tom@mailinator.com')
  })

  it('answers the lead the same submission became meanwhile (the visitor retried), without a second one', async () => {
    const site = await createSite()
    const body = leadBody(site)
    await postLead(site, { ...body, honeypot: 'x' })
    const accepted = await postLead(site, { ...body, startToken: site.startToken })
    expect(accepted.status).toBe(201)
    const { leadId } = (await accepted.json()) as LeadSubmissionResult
    const [held] = await heldItems(site)
    const response = await admin(`/v1/admin/sites/${site.siteKey}/spam/${held!.id}/release`, 'POST')
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ leadId, released: false })
    expect(await heldItems(site)).toEqual([])
    expect((await leadOf(site, leadId)).submissions).toHaveLength(1)
  })

  it('answers one lead for a double click', async () => {
    const site = await createSite()
    await postLead(site, leadBody(site, { honeypot: 'x' }))
    const [held] = await heldItems(site)
    const path = `/v1/admin/sites/${site.siteKey}/spam/${held!.id}/release`
    const answers = await Promise.all([admin(path, 'POST'), admin(path, 'POST')])
    const statuses = answers.map((answer) => answer.status).sort()
    expect([
      [201, 404],
      [200, 201],
    ]).toContainEqual(statuses)
    const { n } = (await env.DB.prepare('SELECT count(*) AS n FROM leads WHERE site_key = ?1')
      .bind(site.siteKey)
      .first<{ n: number }>())!
    expect(n).toBe(1)
  })
})

describe('DELETE /v1/admin/sites/{siteKey}/spam/{id}', () => {
  it('deletes the held copy; a lead erased later takes held copies of its address along', async () => {
    const site = await createSite()
    await postLead(site, leadBody(site, { honeypot: 'x' }))
    await postLead(site, leadBody(site, { honeypot: 'y' }))
    const [newest, oldest] = await heldItems(site)
    const deleted = await admin(`/v1/admin/sites/${site.siteKey}/spam/${newest!.id}`, 'DELETE')
    expect(deleted.status).toBe(200)
    expect(await deleted.json()).toEqual({ id: newest!.id, deleted: true })
    expect((await heldItems(site)).map((item) => item.id)).toEqual([oldest!.id])

    const { leadId } = (await (await postLead(site, leadBody(site))).json()) as LeadSubmissionResult
    const erased = await admin(`/v1/admin/sites/${site.siteKey}/leads/${leadId}`, 'DELETE')
    expect(erased.status).toBe(200)
    expect(await heldItems(site)).toEqual([])
  })
})
