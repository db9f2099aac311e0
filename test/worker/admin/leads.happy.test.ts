import { describe, expect, it } from 'vitest'
import type { LeadList, LeadSubmissionResult } from '../../../shared/leads'
import { admin, createSite, leadBody, postLead } from '../helpers'

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

  it('compares from and to as instants, whatever offset they are written with', async () => {
    const site = await createSite()
    await postLead(site, leadBody(site))
    const anHourAgo = new Date(Date.now() - 3600_000)
    const inKarachi = new Date(anHourAgo.getTime() + 5 * 3600_000)
      .toISOString()
      .replace('Z', '+05:00')
    const list = (await (
      await admin(
        `/v1/admin/sites/${site.siteKey}/leads?from=${encodeURIComponent(inKarachi)}`,
        'GET',
      )
    ).json()) as LeadList
    expect(list.leads).toHaveLength(1)
  })
})
