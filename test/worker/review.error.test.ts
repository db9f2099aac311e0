import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { LeadList, LeadSubmissionResult } from '../../shared/leads'
import type { TokenCreated } from '../../shared/site'
import { admin, call, createSite, expectProblem, leadBody, pageView, postEvents, postLead, rowCounts } from './helpers'

describe('erasure stays within its site', () => {
  it("refuses a lead id of another site and leaves that lead's data whole", async () => {
    const a = await createSite()
    const b = await createSite()
    const visitorId = crypto.randomUUID()
    const { leadId } = (await (await postLead(b, leadBody(b, { visitorId }))).json()) as LeadSubmissionResult
    const tokenA = ((await (await admin(`/v1/admin/sites/${a.siteKey}/tokens`, 'POST', { scopes: ['leads:write'] })).json()) as TokenCreated).token
    const before = await env.DB.prepare('SELECT network, user_agent, page_url FROM consent_ledger WHERE lead_id = ?1').bind(leadId).first()
    const counts = await rowCounts()
    await expectProblem(await admin(`/v1/admin/sites/${a.siteKey}/leads/${leadId}`, 'DELETE', undefined, tokenA), 404)
    expect(await rowCounts()).toEqual(counts)
    expect(await env.DB.prepare('SELECT network, user_agent, page_url FROM consent_ledger WHERE lead_id = ?1').bind(leadId).first()).toEqual(before)
    expect(await env.DB.prepare('SELECT lead_id FROM lead_visitors WHERE visitor_id = ?1').bind(visitorId).first()).toEqual({ lead_id: leadId })
  })

  it("kills an erased lead's download link and drops it from the replayed answer", async () => {
    const site = await createSite()
    const body = leadBody(site)
    const result = (await (await postLead(site, body)).json()) as LeadSubmissionResult
    await admin(`/v1/admin/sites/${site.siteKey}/leads/${result.leadId}`, 'DELETE')
    await expectProblem(await call(new URL(result.download!.url).pathname, { redirect: 'manual' }), 404)
    const replay = (await (await postLead(site, body)).json()) as LeadSubmissionResult
    expect(replay.download).toBeUndefined()
    const { n } = (await env.DB.prepare('SELECT count(*) AS n FROM touchpoints WHERE lead_id = ?1').bind(result.leadId).first()) as { n: number }
    expect(n).toBe(0)
  })
})

describe('submissions', () => {
  it('refuses a submission id used before for another form with 409', async () => {
    const site = await createSite()
    const body = leadBody(site)
    await postLead(site, body)
    await admin(`/v1/admin/sites/${site.siteKey}/forms/other`, 'PUT', {
      kind: 'checklist',
      title: 'Checkliste',
      fields: [{ name: 'email', type: 'email', required: true, label: 'E-Mail' }],
    })
    await expectProblem(await postLead(site, { ...body, formId: 'other', consents: [] }), 409, 'submission_id_reused')
  })

  it('attributes a lead to its first campaign touch, not to a touch with only a source', async () => {
    const site = await createSite()
    const visitorId = crypto.randomUUID()
    await postEvents(site.origin, {
      siteKey: site.siteKey,
      visitorId,
      events: [
        pageView(site.origin, { ts: new Date(Date.now() - 7200_000).toISOString(), utm: { source: 'newsletter' } }),
        pageView(site.origin, { ts: new Date(Date.now() - 3600_000).toISOString(), utm: { source: 'google', campaign: 'brand' } }),
      ],
    })
    const { leadId } = (await (await postLead(site, leadBody(site, { visitorId, utm: undefined }))).json()) as LeadSubmissionResult
    const lead = (await (await admin(`/v1/admin/sites/${site.siteKey}/leads/${leadId}`, 'GET')).json()) as { firstTouch: { campaign: string } }
    expect(lead.firstTouch.campaign).toBe('brand')
  })

  it('holds a flood of rate-limited submissions as one spam entry a minute', async () => {
    const site = await createSite()
    for (let i = 0; i < 34; i++) await postLead(site, leadBody(site, { fields: { email: `f${i}@firma.de` } }), { ip: '192.0.2.77' })
    const { n } = (await env.DB.prepare("SELECT count(*) AS n FROM spam WHERE site_key = ?1 AND reason = 'rate'").bind(site.siteKey).first()) as { n: number }
    expect(n).toBe(1)
  })
})

describe('GET /leads with times', () => {
  it('compares from and to as instants, whatever offset they are written with', async () => {
    const site = await createSite()
    await postLead(site, leadBody(site))
    const anHourAgo = new Date(Date.now() - 3600_000)
    const inKarachi = new Date(anHourAgo.getTime() + 5 * 3600_000).toISOString().replace('Z', '+05:00')
    const list = (await (await admin(`/v1/admin/sites/${site.siteKey}/leads?from=${encodeURIComponent(inKarachi)}`, 'GET')).json()) as LeadList
    expect(list.leads).toHaveLength(1)
  })
})
