import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { SiteConfig } from '../../shared/form'
import type { LeadDetail, LeadSubmissionResult } from '../../shared/leads'
import {
  admin,
  call,
  createSite,
  leadBody,
  pageView,
  postEvents,
  postLead,
  type TestSite,
} from './helpers'

describe('POST /v1/leads', () => {
  it('stores a complete lead with normalised fields and its consent, and answers 201', async () => {
    const site = await createSite()
    const response = await postLead(site, leadBody(site))
    expect(response.status).toBe(201)
    expect(response.headers.get('access-control-allow-origin')).toBe(site.origin)
    const result = (await response.json()) as LeadSubmissionResult
    expect(result).toMatchObject({ stage: 'lead', complete: true, missing: [] })
    expect(result.download?.filename).toBe('whitepaper-2026.pdf')

    const lead = (await (
      await admin(`/v1/admin/sites/${site.siteKey}/leads/${result.leadId}`, 'GET')
    ).json()) as LeadDetail
    expect(lead.email).toBe('Anna.Berg@firma.de')
    expect(lead.fields.phone).toBe('+49301234567')
    expect(lead.firstTouch).toMatchObject({
      source: 'linkedin',
      medium: 'paid',
      campaign: 'q4-whitepaper',
    })
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
    expect(lead.stageHistory).toEqual([
      expect.objectContaining({ from: null, to: 'lead', cause: 'rule' }),
    ])
    expect(lead.submissions).toHaveLength(1)
  })
  it('stores the page and referrer of a submission, and the page of its consent, without query or fragment', async () => {
    const site = await createSite()
    const body = leadBody(site, {
      page: {
        url: `${site.origin}/whitepaper?email=anna%40firma.de#form`,
        referrer: 'https://search.example/results?q=anna+berg',
      },
    })
    expect((await postLead(site, body)).status).toBe(201)
    const stored = await env.DB.prepare(
      `SELECT s.page_url AS page, s.referrer, c.page_url AS consentPage
         FROM submissions s JOIN consent_ledger c ON c.submission_id = s.submission_id
        WHERE s.submission_id = ?1`,
    )
      .bind(body.submissionId)
      .first()
    expect(stored).toEqual({
      page: `${site.origin}/whitepaper`,
      referrer: 'https://search.example/results',
      consentPage: `${site.origin}/whitepaper`,
    })
  })
})

describe('POST /v1/leads, merging and idempotency', () => {
  it('answers a replay of the same submissionId with the same body and 200', async () => {
    const site = await createSite()
    const body = leadBody(site)
    const first = await postLead(site, body)
    const replay = await postLead(site, body)
    expect(first.status).toBe(201)
    expect(replay.status).toBe(200)
    expect(await replay.json()).toEqual(await first.json())
  })

  it('stores 20 concurrent copies of one submission as one lead, one submission and one consent entry', async () => {
    const site = await createSite()
    const body = leadBody(site)
    const responses = await Promise.all(Array.from({ length: 20 }, () => postLead(site, body)))
    const statuses = responses.map((r) => r.status).sort()
    expect(statuses.filter((s) => s === 201)).toHaveLength(1)
    expect(statuses.filter((s) => s === 200)).toHaveLength(19)
    const bodies = await Promise.all(responses.map((r) => r.json()))
    expect(new Set(bodies.map((b) => JSON.stringify(b))).size).toBe(1)
    const counts = await env.DB.prepare(
      `SELECT (SELECT count(*) FROM leads WHERE site_key = ?1) AS leads,
              (SELECT count(*) FROM submissions WHERE site_key = ?1) AS submissions,
              (SELECT count(*) FROM consent_ledger WHERE site_key = ?1) AS consents`,
    )
      .bind(site.siteKey)
      .first()
    expect(counts).toEqual({ leads: 1, submissions: 1, consents: 1 })
  })

  it('merges the same email in other case and spacing into one lead, newer non-empty values winning', async () => {
    const site = await createSite()
    const first = (await (await postLead(site, leadBody(site))).json()) as LeadSubmissionResult
    const second = await postLead(
      site,
      leadBody(site, {
        fields: {
          email: '  anna.berg@FIRMA.de ',
          firstName: '',
          lastName: 'Berg-Meyer',
          company: '  Firma   Neu GmbH ',
        },
      }),
    )
    expect(second.status).toBe(201)
    const merged = (await second.json()) as LeadSubmissionResult
    expect(merged.leadId).toBe(first.leadId)
    const lead = (await (
      await admin(`/v1/admin/sites/${site.siteKey}/leads/${first.leadId}`, 'GET')
    ).json()) as LeadDetail
    expect(lead.fields).toMatchObject({
      firstName: 'Anna',
      lastName: 'Berg-Meyer',
      company: 'Firma Neu GmbH',
    })
    expect(lead.submissions).toHaveLength(2)
    const { n } = (await env.DB.prepare('SELECT count(*) AS n FROM leads WHERE site_key = ?1')
      .bind(site.siteKey)
      .first()) as { n: number }
    expect(n).toBe(1)
  })

  it('stores an incomplete lead with its missing list instead of dropping it', async () => {
    const site = await createSite()
    const response = await postLead(
      site,
      leadBody(site, { fields: { email: 'jo@firma.de', firstName: 'Jo' } }),
    )
    expect(response.status).toBe(201)
    expect(await response.json()).toMatchObject({
      complete: false,
      missing: ['lastName', 'company', 'jobTitle'],
      stage: 'lead',
    })
  })

  it('gives a b2c site its first stage, prospect', async () => {
    const site = await createSite({ stageModel: 'b2c' })
    const response = await postLead(site, leadBody(site))
    expect(await response.json()).toMatchObject({ stage: 'prospect' })
  })
})

/** The whitepaper submission granting tracking as well. */
function withTracking(site: TestSite) {
  return leadBody(site, {
    consents: [
      { purpose: 'marketing_email', granted: true, textId: site.consentTextIds.marketing_email! },
      { purpose: 'tracking', granted: true, textId: site.consentTextIds.tracking! },
    ],
  })
}

describe('POST /v1/leads, journey', () => {
  it("attaches the visitor's earlier touchpoints and keeps the first-touch campaign", async () => {
    const site = await createSite()
    const visitorId = crypto.randomUUID()
    const earlier = new Date(Date.now() - 3 * 24 * 3600 * 1000).toISOString()
    await postEvents(site.origin, {
      siteKey: site.siteKey,
      visitorId,
      events: [
        pageView(`${site.origin}/?utm_campaign=spring`, {
          ts: earlier,
          utm: { source: 'google', medium: 'cpc', campaign: 'Spring' },
        }),
      ],
    })
    const result = (await (
      await postLead(site, leadBody(site, { visitorId }))
    ).json()) as LeadSubmissionResult
    const lead = (await (
      await admin(`/v1/admin/sites/${site.siteKey}/leads/${result.leadId}`, 'GET')
    ).json()) as LeadDetail
    expect(lead.journey).toHaveLength(1)
    expect(lead.firstTouch).toMatchObject({ source: 'google', campaign: 'spring' })
    expect(lead.lastTouch).toMatchObject({ source: 'linkedin', campaign: 'q4-whitepaper' })

    // Later touchpoints of the same visitor join the lead as they arrive.
    await postEvents(site.origin, {
      siteKey: site.siteKey,
      visitorId,
      events: [pageView(`${site.origin}/pricing`)],
    })
    const after = (await (
      await admin(`/v1/admin/sites/${site.siteKey}/leads/${result.leadId}`, 'GET')
    ).json()) as LeadDetail
    // Newest first (docs/leads.md#in-the-app).
    expect(after.journey.map((t) => new URL(t.url).pathname)).toEqual(['/pricing', '/'])
  })

  it("attaches the visitor's chain of anonymous page views to the submitting page when the submission grants tracking, dropping their hash", async () => {
    const site = await createSite()
    await postEvents(site.origin, {
      siteKey: site.siteKey,
      events: [
        pageView(`${site.origin}/landing`, { utm: { source: 'newsletter', campaign: 'nov' } }),
        pageView(`${site.origin}/whitepaper`, { referrer: `${site.origin}/landing` }),
      ],
    })
    const result = (await (await postLead(site, withTracking(site))).json()) as LeadSubmissionResult
    const lead = (await (
      await admin(`/v1/admin/sites/${site.siteKey}/leads/${result.leadId}`, 'GET')
    ).json()) as LeadDetail
    expect(lead.journey.map((t) => new URL(t.url).pathname)).toEqual(['/whitepaper', '/landing'])
    expect(lead.firstTouch).toMatchObject({ source: 'newsletter', campaign: 'nov' })
    const hashed = await env.DB.prepare(
      'SELECT count(*) AS n FROM touchpoints WHERE lead_id = ?1 AND daily_hash IS NOT NULL',
    )
      .bind(result.leadId)
      .first()
    expect(hashed).toEqual({ n: 0 })
  })

  it('attaches no anonymous touchpoint when two visits share the hash (an office behind one address)', async () => {
    const site = await createSite()
    await postEvents(site.origin, {
      siteKey: site.siteKey,
      events: [
        pageView(`${site.origin}/`, { utm: { source: 'mail', campaign: 'colleague' } }),
        pageView(`${site.origin}/landing`, { utm: { source: 'newsletter', campaign: 'nov' } }),
        pageView(`${site.origin}/whitepaper`, { referrer: `${site.origin}/landing` }),
      ],
    })
    const result = (await (await postLead(site, withTracking(site))).json()) as LeadSubmissionResult
    const lead = (await (
      await admin(`/v1/admin/sites/${site.siteKey}/leads/${result.leadId}`, 'GET')
    ).json()) as LeadDetail
    expect(lead.journey).toHaveLength(0)
    // The submission's own UTM still makes its touch.
    expect(lead.firstTouch).toMatchObject({ source: 'linkedin', campaign: 'q4-whitepaper' })
  })

  it('never attaches touchpoints sent after a refusal, however well they fit', async () => {
    const site = await createSite()
    await postEvents(site.origin, {
      siteKey: site.siteKey,
      consent: 'refused',
      events: [
        pageView(`${site.origin}/landing`, { utm: { source: 'mail', campaign: 'colleague' } }),
        pageView(`${site.origin}/whitepaper`, { referrer: `${site.origin}/landing` }),
      ],
    })
    const result = (await (await postLead(site, withTracking(site))).json()) as LeadSubmissionResult
    const lead = (await (
      await admin(`/v1/admin/sites/${site.siteKey}/leads/${result.leadId}`, 'GET')
    ).json()) as LeadDetail
    expect(lead.journey).toHaveLength(0)
    expect(lead.firstTouch).toMatchObject({ campaign: 'q4-whitepaper' })
  })

  it('leaves anonymous touchpoints alone when the submission does not grant tracking', async () => {
    const site = await createSite()
    await postEvents(site.origin, {
      siteKey: site.siteKey,
      events: [pageView(`${site.origin}/landing`)],
    })
    const result = (await (await postLead(site, leadBody(site))).json()) as LeadSubmissionResult
    const lead = (await (
      await admin(`/v1/admin/sites/${site.siteKey}/leads/${result.leadId}`, 'GET')
    ).json()) as LeadDetail
    expect(lead.journey).toHaveLength(0)
  })

  it('attributes a lead to its first campaign touch, not to a touch with only a source', async () => {
    const site = await createSite()
    const visitorId = crypto.randomUUID()
    await postEvents(site.origin, {
      siteKey: site.siteKey,
      visitorId,
      events: [
        pageView(site.origin, {
          ts: new Date(Date.now() - 7200_000).toISOString(),
          utm: { source: 'newsletter' },
        }),
        pageView(site.origin, {
          ts: new Date(Date.now() - 3600_000).toISOString(),
          utm: { source: 'google', campaign: 'brand' },
        }),
      ],
    })
    const { leadId } = (await (
      await postLead(site, leadBody(site, { visitorId, utm: undefined }))
    ).json()) as LeadSubmissionResult
    const lead = (await (
      await admin(`/v1/admin/sites/${site.siteKey}/leads/${leadId}`, 'GET')
    ).json()) as { firstTouch: { campaign: string } }
    expect(lead.firstTouch.campaign).toBe('brand')
  })

  it('moves when a known visitor arrives through another campaign', async () => {
    const site = await createSite()
    const visitorId = crypto.randomUUID()
    const { leadId } = (await (
      await postLead(site, leadBody(site, { visitorId }))
    ).json()) as LeadSubmissionResult
    await postEvents(site.origin, {
      siteKey: site.siteKey,
      visitorId,
      events: [
        pageView(`${site.origin}/`, {
          utm: { source: 'google', medium: 'cpc', campaign: 'Brand-2027' },
        }),
      ],
    })
    const lead = (await (
      await admin(`/v1/admin/sites/${site.siteKey}/leads/${leadId}`, 'GET')
    ).json()) as {
      firstTouch: { campaign: string }
      lastTouch: { campaign: string; source: string }
    }
    expect(lead.firstTouch.campaign).toBe('q4-whitepaper')
    expect(lead.lastTouch).toMatchObject({ campaign: 'brand-2027', source: 'google' })
  })
})

describe('POST /v1/leads, where a site turns Cloudflare Turnstile on', () => {
  it('hands the widget the site key and accepts a submission Cloudflare confirms', async () => {
    const site = await createSite({ turnstile: true })
    const config = (await (
      await call(`/v1/sites/${site.siteKey}/config`, { headers: { origin: site.origin } })
    ).json()) as SiteConfig
    expect(config.turnstile).toBe('1x00000000000000000000AA')
    const response = await postLead(
      site,
      leadBody(site, { turnstileToken: 'XXXX.DUMMY.TOKEN.XXXX' }),
    )
    expect(response.status).toBe(201)
  })

  it('asks nothing of sites without Turnstile', async () => {
    const site = await createSite()
    const config = (await (
      await call(`/v1/sites/${site.siteKey}/config`, { headers: { origin: site.origin } })
    ).json()) as SiteConfig
    expect(config.turnstile).toBeUndefined()
    expect((await postLead(site, leadBody(site))).status).toBe(201)
  })
})
