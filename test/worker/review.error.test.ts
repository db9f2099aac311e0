import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { LeadList, LeadSubmissionResult } from '../../shared/leads'
import type { TokenCreated } from '../../shared/site'
import {
  admin,
  call,
  createSite,
  expectProblem,
  leadBody,
  pageView,
  postEvents,
  postLead,
  rowCounts,
} from './helpers'

describe('erasure stays within its site', () => {
  it("refuses a lead id of another site and leaves that lead's data whole", async () => {
    const a = await createSite()
    const b = await createSite()
    const visitorId = crypto.randomUUID()
    const { leadId } = (await (
      await postLead(b, leadBody(b, { visitorId }))
    ).json()) as LeadSubmissionResult
    const tokenA = (
      (await (
        await admin(`/v1/admin/sites/${a.siteKey}/tokens`, 'POST', { scopes: ['leads:write'] })
      ).json()) as TokenCreated
    ).token
    const before = await env.DB.prepare(
      'SELECT network, user_agent, page_url FROM consent_ledger WHERE lead_id = ?1',
    )
      .bind(leadId)
      .first()
    const counts = await rowCounts()
    await expectProblem(
      await admin(`/v1/admin/sites/${a.siteKey}/leads/${leadId}`, 'DELETE', undefined, tokenA),
      404,
    )
    expect(await rowCounts()).toEqual(counts)
    expect(
      await env.DB.prepare(
        'SELECT network, user_agent, page_url FROM consent_ledger WHERE lead_id = ?1',
      )
        .bind(leadId)
        .first(),
    ).toEqual(before)
    expect(
      await env.DB.prepare('SELECT lead_id FROM lead_visitors WHERE visitor_id = ?1')
        .bind(visitorId)
        .first(),
    ).toEqual({ lead_id: leadId })
  })

  it("kills an erased lead's download link and drops it from the replayed answer", async () => {
    const site = await createSite()
    const body = leadBody(site)
    const result = (await (await postLead(site, body)).json()) as LeadSubmissionResult
    await admin(`/v1/admin/sites/${site.siteKey}/leads/${result.leadId}`, 'DELETE')
    await expectProblem(
      await call(new URL(result.download!.url).pathname, { redirect: 'manual' }),
      404,
    )
    const replay = (await (await postLead(site, body)).json()) as LeadSubmissionResult
    expect(replay.download).toBeUndefined()
    const { n } = (await env.DB.prepare('SELECT count(*) AS n FROM touchpoints WHERE lead_id = ?1')
      .bind(result.leadId)
      .first()) as { n: number }
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
    await expectProblem(
      await postLead(site, { ...body, formId: 'other', consents: [] }),
      409,
      'submission_id_reused',
    )
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

  it('holds a flood of rate-limited submissions as one spam entry a minute', async () => {
    const site = await createSite()
    for (let i = 0; i < 34; i++)
      await postLead(site, leadBody(site, { fields: { email: `f${i}@firma.de` } }), {
        ip: '192.0.2.77',
      })
    const { n } = (await env.DB.prepare(
      "SELECT count(*) AS n FROM spam WHERE site_key = ?1 AND reason = 'rate'",
    )
      .bind(site.siteKey)
      .first()) as { n: number }
    expect(n).toBe(1)
  })
})

describe('GET /leads with times', () => {
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

describe('GET /v1/admin/sites/{siteKey}/spam', () => {
  it('lists held submissions newest first with reason, form and field names, never the values', async () => {
    const site = await createSite()
    const good = leadBody(site)
    await postLead(site, leadBody(site, { honeypot: 'x' }))
    await postLead(site, { ...good, fields: { ...good.fields, email: 'temp@mailinator.com' } })
    const response = await admin(`/v1/admin/sites/${site.siteKey}/spam?limit=1`, 'GET')
    expect(response.status).toBe(200)
    const page = (await response.json()) as {
      items: { reason: string; emailDomain: string | null; fields: string[] }[]
      nextCursor: string | null
    }
    expect(page.items).toEqual([
      expect.objectContaining({
        reason: 'disposable',
        emailDomain: 'mailinator.com',
        formId: 'wp',
      }),
    ])
    expect(page.items[0]!.fields).toContain('email')
    expect(JSON.stringify(page)).not.toContain('temp@')
    const next = (await (
      await admin(`/v1/admin/sites/${site.siteKey}/spam?limit=1&cursor=${page.nextCursor}`, 'GET')
    ).json()) as typeof page
    expect(next.items.map((i) => i.reason)).toEqual(['honeypot'])
    const byReason = (await (
      await admin(`/v1/admin/sites/${site.siteKey}/spam?reason=too_fast`, 'GET')
    ).json()) as typeof page
    expect(byReason.items).toEqual([])
  })
})

describe('consent links for the site owner', () => {
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

describe('PUT site', () => {
  it('refuses to switch the stage model of a site that has leads', async () => {
    const site = await createSite()
    await postLead(site, leadBody(site))
    const problem = await expectProblem(
      await admin(`/v1/admin/sites/${site.siteKey}`, 'PUT', {
        name: 'Acme',
        allowedOrigins: [site.origin],
        stageModel: 'b2c',
      }),
      409,
      'stage_model_in_use',
    )
    expect(problem.errors?.[0]?.path).toBe('stageModel')
  })
})

describe('last touch', () => {
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

describe('DELETE /v1/admin/sites/{siteKey}/tokens/{tokenId}', () => {
  it('revokes a token at once', async () => {
    const site = await createSite()
    const created = (await (
      await admin(`/v1/admin/sites/${site.siteKey}/tokens`, 'POST', { scopes: ['leads:read'] })
    ).json()) as TokenCreated
    expect(
      (await admin(`/v1/admin/sites/${site.siteKey}/leads`, 'GET', undefined, created.token))
        .status,
    ).toBe(200)
    expect(
      (await admin(`/v1/admin/sites/${site.siteKey}/tokens/${created.id}`, 'DELETE')).status,
    ).toBe(200)
    await expectProblem(
      await admin(`/v1/admin/sites/${site.siteKey}/leads`, 'GET', undefined, created.token),
      401,
    )
    await expectProblem(
      await admin(`/v1/admin/sites/${site.siteKey}/tokens/${created.id}`, 'DELETE'),
      404,
    )
  })
})
