import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { LeadSubmissionResult } from '../../../shared/leads'
import {
  admin,
  call,
  createSite,
  expectProblem,
  leadBody,
  pageView,
  postEvents,
  postLead,
  TABLES,
} from '../helpers'

async function dumpAll(): Promise<string> {
  const dumps = await Promise.all(
    TABLES.map(async (t) =>
      JSON.stringify((await env.DB.prepare(`SELECT * FROM ${t}`).all()).results),
    ),
  )
  return dumps.join('\n').toLowerCase()
}

/** How often `datum` occurs in a dump, ignoring case. */
function occurrences(dump: string, datum: string): number {
  return dump.split(datum.toLowerCase()).length - 1
}

describe('DELETE /v1/admin/sites/{siteKey}/leads/{leadId}', () => {
  it("leaves none of the lead's email, name or phone in any table, and keeps an anonymous tombstone", async () => {
    // Test files share a database when they run one after another in a worker: what others
    // stored is the baseline, and the erasure must bring every datum back to it.
    const baseline = await dumpAll()
    const site = await createSite()
    const visitorId = crypto.randomUUID()
    await postEvents(site.origin, {
      siteKey: site.siteKey,
      visitorId,
      events: [
        pageView(`${site.origin}/?email=zoe.quast@firma.de`, {
          utm: { campaign: 'spring', term: 'quast' },
          props: { gclid: 'g-123' },
        }),
      ],
    })
    const body = leadBody(site, {
      visitorId,
      fields: {
        email: 'Zoe.Quast@Firma.de',
        firstName: 'Zoé',
        lastName: 'Quast',
        company: 'Quast Consulting',
        jobTitle: 'Inhaberin',
        phone: '+49 171 2345678',
      },
    })
    const { leadId } = (await (await postLead(site, body)).json()) as LeadSubmissionResult
    await admin(`/v1/admin/sites/${site.siteKey}/leads/${leadId}/stage`, 'POST', {
      stage: 'opportunity',
      reason: 'Call with Zoé Quast',
    })

    const before = await dumpAll()
    for (const datum of ['Zoe.Quast@firma.de', 'Quast', '+491712345678'])
      expect(occurrences(before, datum), datum).toBeGreaterThan(occurrences(baseline, datum))

    const erased = await admin(`/v1/admin/sites/${site.siteKey}/leads/${leadId}`, 'DELETE')
    expect(erased.status).toBe(200)
    const after = await dumpAll()
    for (const datum of ['zoe.quast', 'Quast', 'Zoé', '2345678', 'Inhaberin', visitorId, 'g-123'])
      expect(occurrences(after, datum), datum).toBe(occurrences(baseline, datum))
    const tombstone = await env.DB.prepare(
      'SELECT stage, first_campaign, created_at, erased_at FROM leads WHERE id = ?1',
    )
      .bind(leadId)
      .first()
    expect(tombstone).toMatchObject({ stage: 'opportunity', first_campaign: 'spring' })
    await expectProblem(await admin(`/v1/admin/sites/${site.siteKey}/leads/${leadId}`, 'GET'), 404)
    await expectProblem(
      await admin(`/v1/admin/sites/${site.siteKey}/leads/${leadId}`, 'DELETE'),
      404,
    )
    // A replay of the erased lead's submission does not bring it back.
    const replay = await postLead(site, body)
    expect(replay.status).toBe(200)
    const { n } = (await env.DB.prepare(
      'SELECT count(*) AS n FROM leads WHERE site_key = ?1 AND email_key IS NOT NULL',
    )
      .bind(site.siteKey)
      .first()) as { n: number }
    expect(n).toBe(0)
  })
})

describe('GET /v1/admin/sites/{siteKey}/leads/{leadId}/export', () => {
  it('returns everything stored about the lead as a JSON attachment', async () => {
    const site = await createSite()
    const visitorId = crypto.randomUUID()
    await postEvents(site.origin, {
      siteKey: site.siteKey,
      visitorId,
      events: [pageView(`${site.origin}/start`)],
    })
    const { leadId } = (await (
      await postLead(site, leadBody(site, { visitorId }))
    ).json()) as LeadSubmissionResult
    const response = await admin(`/v1/admin/sites/${site.siteKey}/leads/${leadId}/export`, 'GET')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-disposition')).toContain('attachment')
    const data = (await response.json()) as Record<string, unknown[] | Record<string, unknown>>
    expect(data.lead).toMatchObject({
      email: 'Anna.Berg@firma.de',
      first_name: 'Anna',
      phone: '+49301234567',
    })
    expect(data.submissions).toHaveLength(1)
    expect(data.consents).toEqual([
      expect.objectContaining({
        purpose: 'marketing_email',
        text: expect.stringContaining('Ja, ich möchte'),
      }),
    ])
    expect(data.touchpoints).toHaveLength(1)
    expect(data.visitorIds).toEqual([expect.objectContaining({ visitor_id: visitorId })])
    expect(data.stageHistory).toHaveLength(1)
  })
})

describe('POST /v1/admin/sites/{siteKey}/leads/{leadId}/consent-link', () => {
  it('issues receipt and withdrawal links for any lead, and a withdrawn tracking consent unlinks the visitor', async () => {
    const site = await createSite()
    const visitorId = crypto.randomUUID()
    const body = leadBody(site, {
      visitorId,
      consents: [
        { purpose: 'marketing_email', granted: true, textId: site.consentTextIds.marketing_email! },
        { purpose: 'tracking', granted: true, textId: site.consentTextIds.tracking! },
      ],
    })
    const { leadId } = (await (await postLead(site, body)).json()) as LeadSubmissionResult
    const issued = await admin(
      `/v1/admin/sites/${site.siteKey}/leads/${leadId}/consent-link`,
      'POST',
    )
    expect(issued.status).toBe(201)
    const links = (await issued.json()) as { receiptUrl: string; withdrawUrl: string }
    const receipt = (await (await call(new URL(links.receiptUrl).pathname)).json()) as {
      current: { purpose: string; status: string }[]
    }
    expect(receipt.current.map((c) => `${c.purpose}:${c.status}`).sort()).toEqual([
      'marketing_email:granted',
      'tracking:granted',
    ])

    const withdrawn = await call(new URL(links.withdrawUrl).pathname, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ purposes: ['tracking'] }),
    })
    expect(await withdrawn.json()).toEqual({ withdrawn: ['tracking'] })
    expect(
      await env.DB.prepare('SELECT 1 FROM lead_visitors WHERE visitor_id = ?1')
        .bind(visitorId)
        .first(),
    ).toBeNull()
    const later = pageView(`${site.origin}/after`)
    await postEvents(site.origin, { siteKey: site.siteKey, visitorId, events: [later] })
    const row = await env.DB.prepare('SELECT lead_id FROM touchpoints WHERE event_id = ?1')
      .bind(later.id)
      .first()
    expect(row).toEqual({ lead_id: null })
  })
})
