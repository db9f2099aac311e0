import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { JourneyPage, LeadDetail, LeadSubmissionResult } from '../../../shared/leads'
import { admin, createSite, leadBody, postLead, wholeJourney, type TestSite } from '../helpers'

/**
 * The journey of a lead, newest first and paged (docs/leads.md, docs/scale.md#ingest-cost-flat-in-the-sites-size):
 * the lead detail holds the newest page, `GET .../journey` the older ones.
 */
async function leadWithJourney(site: TestSite, count: number): Promise<string> {
  const response = await postLead(site, leadBody(site))
  expect(response.status).toBe(201)
  const { leadId } = (await response.json()) as LeadSubmissionResult
  // Three touchpoints a second: pages end inside a second, so the order needs its tie-breaker.
  await env.DB.prepare(
    `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?3)
     INSERT INTO touchpoints (site_key, event_id, type, occurred_at, received_at, url, path, lead_id)
     SELECT ?1, 'j-' || i, 'page_view',
       strftime('%Y-%m-%dT%H:%M:%fZ', '2026-11-01T08:00:00Z', '+' || (i / 3) || ' seconds'),
       '2026-11-02T00:00:00.000Z', ?4 || '/p' || i, '/p' || i, ?2
     FROM n`,
  )
    .bind(site.siteKey, leadId, count, site.origin)
    .run()
  return leadId
}

async function page(site: TestSite, leadId: string, query: Record<string, string>) {
  const response = await admin(
    `/v1/admin/sites/${site.siteKey}/leads/${leadId}/journey?${new URLSearchParams(query)}`,
    'GET',
  )
  expect(response.status).toBe(200)
  return (await response.json()) as JourneyPage
}

describe('GET /v1/admin/sites/{siteKey}/leads/{leadId}/journey', () => {
  it('the lead detail shows the newest 50 touchpoints, newest first, and a cursor to the older', async () => {
    const site = await createSite()
    const leadId = await leadWithJourney(site, 130)
    const response = await admin(`/v1/admin/sites/${site.siteKey}/leads/${leadId}`, 'GET')
    const lead = (await response.json()) as LeadDetail
    expect(lead.journey).toHaveLength(50)
    expect(lead.journey.map((item) => item.id)).toEqual(
      Array.from({ length: 50 }, (_, k) => `j-${130 - k}`),
    )
    expect(lead.journeyNextCursor).toEqual(expect.any(String))
  })

  it('continues page by page to the oldest touchpoint, each item once, and ends with a null cursor', async () => {
    const site = await createSite()
    const leadId = await leadWithJourney(site, 130)
    const lead = (await (
      await admin(`/v1/admin/sites/${site.siteKey}/leads/${leadId}`, 'GET')
    ).json()) as LeadDetail
    const second = await page(site, leadId, { cursor: lead.journeyNextCursor!, limit: '60' })
    expect(second.journey.map((item) => item.id)).toEqual(
      Array.from({ length: 60 }, (_, k) => `j-${80 - k}`),
    )
    const last = await page(site, leadId, { cursor: second.nextCursor! })
    expect(last.journey.map((item) => item.id)).toEqual(
      Array.from({ length: 20 }, (_, k) => `j-${20 - k}`),
    )
    expect(last.nextCursor).toBeNull()

    const all = await wholeJourney(site.siteKey, leadId, 7)
    expect(new Set(all.map((item) => item.id)).size).toBe(130)
    expect(all.map((item) => item.id)).toEqual(
      Array.from({ length: 130 }, (_, k) => `j-${130 - k}`),
    )
  })

  it('answers one page with a null cursor for a short journey, and an empty one for none', async () => {
    const site = await createSite()
    const leadId = await leadWithJourney(site, 3)
    const lead = (await (
      await admin(`/v1/admin/sites/${site.siteKey}/leads/${leadId}`, 'GET')
    ).json()) as LeadDetail
    expect(lead.journey.map((item) => item.id)).toEqual(['j-3', 'j-2', 'j-1'])
    expect(lead.journeyNextCursor).toBeNull()
    expect(await page(site, leadId, {})).toMatchObject({ nextCursor: null })
    const bare = (await (
      await postLead(
        site,
        leadBody(site, {
          fields: { ...leadBody(site).fields, email: 'bare@firma.de' },
        }),
      )
    ).json()) as LeadSubmissionResult
    expect(await page(site, bare.leadId, {})).toEqual({ journey: [], nextCursor: null })
  })
})
