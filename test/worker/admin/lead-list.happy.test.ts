import { describe, expect, it } from 'vitest'
import type { LeadList, LeadSubmissionResult } from '../../../shared/leads'
import { admin, createSite, leadBody, postLead, type TestSite } from '../helpers'
import { FROM, report, TO } from './campaign-data'

async function submit(site: TestSite, email: string, campaign?: string, extra = {}) {
  const body = leadBody(site, {
    fields: { email, firstName: 'Anna', lastName: 'Berg', company: 'Firma GmbH', ...extra },
    ...(campaign ? { utm: { source: 'linkedin', medium: 'paid', campaign } } : { utm: {} }),
  })
  const response = await postLead(site, body)
  expect(response.status).toBeLessThan(300)
  return ((await response.json()) as LeadSubmissionResult).leadId
}

async function moveTo(site: TestSite, leadId: string, body: Record<string, unknown>) {
  const response = await admin(
    `/v1/admin/sites/${site.siteKey}/leads/${leadId}/stage`,
    'POST',
    body,
  )
  expect(response.status).toBe(200)
}

async function list(site: TestSite, query: Record<string, string>): Promise<LeadList> {
  const response = await admin(
    `/v1/admin/sites/${site.siteKey}/leads?${new URLSearchParams(query)}`,
    'GET',
  )
  expect(response.status).toBe(200)
  return (await response.json()) as LeadList
}

describe('GET /v1/admin/sites/{siteKey}/leads, the report’s cohort', () => {
  it('lists exactly the leads of each report row and stage, by first and by last touch', async () => {
    const site = await createSite({ stageModel: 'b2b' })
    const a = await submit(site, 'a@firma.de', 'spring')
    await submit(site, 'a@firma.de', 'autumn')
    const b = await submit(site, 'b@firma.de', 'autumn')
    const c = await submit(site, 'c@firma.de', 'spring')
    await submit(site, 'd@firma.de')
    await moveTo(site, a, { stage: 'customer', value: { amount: 120000, currency: 'EUR' } })
    await moveTo(site, b, { stage: 'sql' })
    await moveTo(site, b, { stage: 'disqualified', reason: 'no budget' })
    await moveTo(site, c, { stage: 'mql' })
    for (const attribution of ['first', 'last'] as const) {
      const rows = (await report(site, attribution)).rows
      expect(rows.length).toBeGreaterThan(1)
      for (const row of rows) {
        const base = { createdFrom: FROM, createdTo: TO, campaign: row.campaign, attribution }
        expect((await list(site, base)).total).toBe(row.leads)
        expect((await list(site, { ...base, reached: 'lead' })).total).toBe(row.leads)
        expect((await list(site, { ...base, reached: 'mql' })).total).toBe(row.mqls)
        expect((await list(site, { ...base, reached: 'sql' })).total).toBe(row.sqls)
        expect((await list(site, { ...base, reached: 'opportunity' })).total).toBe(
          row.opportunities,
        )
        expect((await list(site, { ...base, reached: 'customer' })).total).toBe(row.customers)
      }
    }
    // b was disqualified after it became an SQL: it still reached sql.
    const sqls = await list(site, { reached: 'sql', campaign: 'autumn', attribution: 'first' })
    expect(sqls.leads.map((lead) => lead.leadId)).toEqual([b])
    const none = await list(site, { campaign: '(none)' })
    expect(none.leads.map((lead) => lead.email)).toEqual(['d@firma.de'])
    // Outside the cohort's days nothing is listed.
    expect((await list(site, { createdFrom: '2020-01-01', createdTo: '2020-01-31' })).total).toBe(0)
  })

  it('maps b2c stages by position, as the report does', async () => {
    const site = await createSite({ stageModel: 'b2c' })
    const lead = await submit(site, 'e@firma.de', 'spring')
    await moveTo(site, lead, { stage: 'interested' })
    const row = (await report(site, 'first')).rows.find((entry) => entry.campaign === 'spring')
    expect(row?.sqls).toBe(1)
    const sqls = await list(site, { reached: 'sql', campaign: 'spring' })
    expect(sqls.total).toBe(1)
    expect((await list(site, { reached: 'opportunity', campaign: 'spring' })).total).toBe(0)
  })
})

describe('GET /v1/admin/sites/{siteKey}/leads, search and order', () => {
  it('searches email, names and company without case, and % and _ only as themselves', async () => {
    const site = await createSite()
    await submit(site, 'x1@firma.de', 'spring', { lastName: 'Müller', company: 'Acme 100% AG' })
    await submit(site, 'x2@beispiel.de', 'spring', { lastName: 'Schmidt', company: 'Beta_Werk' })
    await submit(site, 'x3@other.de', 'spring', { lastName: 'Weber', company: 'Gamma' })
    const emails = async (q: string) =>
      (await list(site, { q })).leads.map((lead) => lead.email).sort()
    expect(await emails('BEISPIEL')).toEqual(['x2@beispiel.de'])
    expect(await emails('müller')).toEqual(['x1@firma.de'])
    expect(await emails('schMIDT')).toEqual(['x2@beispiel.de'])
    expect(await emails('100%')).toEqual(['x1@firma.de'])
    expect(await emails('%')).toEqual(['x1@firma.de'])
    expect(await emails('a_W')).toEqual(['x2@beispiel.de'])
    expect(await emails('_')).toEqual(['x2@beispiel.de'])
    expect(await emails('anna')).toHaveLength(3)
    expect((await list(site, { q: 'gamma' })).total).toBe(1)
  })

  it('sorts by total score and by date both ways, paging each without skip or repeat', async () => {
    const site = await createSite()
    const extras = [
      {},
      { jobTitle: 'Geschäftsführerin' },
      { phone: '030 1234567' },
      { jobTitle: 'CEO', phone: '030 7654321' },
      {},
    ]
    for (const [i, extra] of extras.entries()) await submit(site, `s${i}@firma.de`, 'spring', extra)
    const all = await list(site, { limit: '200' })
    expect(all.total).toBe(5)
    for (const summary of all.leads) expect(typeof summary.score).toBe('number')
    for (const sort of ['-created', 'created', '-score', 'score']) {
      const seen: LeadList['leads'] = []
      let cursor: string | null = null
      do {
        const page: LeadList = await list(site, { sort, limit: '2', ...(cursor ? { cursor } : {}) })
        expect(page.total).toBe(5)
        seen.push(...page.leads)
        cursor = page.nextCursor
      } while (cursor)
      expect(new Set(seen.map((lead) => lead.leadId)).size).toBe(5)
      const keys = seen.map((lead) => (sort.endsWith('score') ? lead.score : lead.createdAt))
      const sorted = [...keys].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0))
      expect(keys).toEqual(sort.startsWith('-') ? sorted.reverse() : sorted)
    }
    const top = await list(site, { sort: '-score', limit: '1' })
    expect(top.leads[0]?.score).toBe(Math.max(...all.leads.map((lead) => lead.score)))
    expect(top.leads[0]?.score).toBeGreaterThan(Math.min(...all.leads.map((lead) => lead.score)))
  })
})
