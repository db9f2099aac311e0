import {
  createExecutionContext,
  createScheduledController,
  waitOnExecutionContext,
} from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import worker from '../../worker/src/index'
import { describe, expect, it } from 'vitest'
import type { LeadSubmissionResult } from '../../shared/leads'
import {
  admin,
  createSite,
  expectProblem,
  leadBody,
  pageView,
  postEvents,
  postLead,
  TABLES,
} from './helpers'

const DAY = 24 * 3600 * 1000

async function dumpAll(): Promise<string> {
  const dumps = await Promise.all(
    TABLES.map(async (t) =>
      JSON.stringify((await env.DB.prepare(`SELECT * FROM ${t}`).all()).results),
    ),
  )
  return dumps.join('\n')
}

describe('DELETE /v1/admin/sites/{siteKey}/leads/{leadId}', () => {
  it("leaves none of the lead's email, name or phone in any table, and keeps an anonymous tombstone", async () => {
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
      expect(before).toContain(datum)

    const erased = await admin(`/v1/admin/sites/${site.siteKey}/leads/${leadId}`, 'DELETE')
    expect(erased.status).toBe(200)
    const after = await dumpAll()
    for (const datum of ['zoe.quast', 'Quast', 'Zoé', '2345678', 'Inhaberin', visitorId, 'g-123']) {
      expect(after.toLowerCase(), datum).not.toContain(datum.toLowerCase())
    }
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

describe('scheduled upkeep', () => {
  it('deletes salts after 48 hours, spam after 30 days and anonymous touchpoints after the retention, and keeps the rest', async () => {
    const site = await createSite({ retentionDays: 10 })
    const now = Date.now()
    const old = (days: number) => new Date(now - days * DAY).toISOString()
    await env.DB.batch([
      env.DB.prepare(
        "INSERT OR REPLACE INTO daily_salts (day, salt, created_at) VALUES ('2000-01-01', 'x', ?1)",
      ).bind(old(3)),
      env.DB.prepare(
        "INSERT INTO spam (site_key, reason, created_at) VALUES (?1, 'honeypot', ?2), (?1, 'too_fast', ?3)",
      ).bind(site.siteKey, old(31), old(1)),
    ])
    await postEvents(site.origin, {
      siteKey: site.siteKey,
      events: [pageView(`${site.origin}/old`), pageView(`${site.origin}/new`)],
    })
    await env.DB.prepare(
      "UPDATE touchpoints SET received_at = ?2 WHERE site_key = ?1 AND path = '/old'",
    )
      .bind(site.siteKey, old(11))
      .run()
    const { leadId } = (await (
      await postLead(site, leadBody(site, { visitorId: crypto.randomUUID() }), {
        ip: '192.0.2.200',
      })
    ).json()) as LeadSubmissionResult
    await postEvents(site.origin, {
      siteKey: site.siteKey,
      events: [pageView(`${site.origin}/lead-old`)],
    })
    await env.DB.prepare(
      "UPDATE touchpoints SET received_at = ?2, lead_id = ?3 WHERE site_key = ?1 AND path = '/lead-old'",
    )
      .bind(site.siteKey, old(400), leadId)
      .run()

    const ctx = createExecutionContext()
    await worker.scheduled(
      createScheduledController({ scheduledTime: new Date(now), cron: '17 * * * *' }),
      env,
      ctx,
    )
    await waitOnExecutionContext(ctx)

    expect(
      await env.DB.prepare("SELECT day FROM daily_salts WHERE day = '2000-01-01'").first(),
    ).toBeNull()
    const spam = await env.DB.prepare('SELECT reason FROM spam WHERE site_key = ?1')
      .bind(site.siteKey)
      .all<{ reason: string }>()
    expect(spam.results.map((r) => r.reason)).toEqual(['too_fast'])
    const paths = await env.DB.prepare(
      'SELECT path FROM touchpoints WHERE site_key = ?1 ORDER BY path',
    )
      .bind(site.siteKey)
      .all<{ path: string }>()
    expect(paths.results.map((r) => r.path)).toEqual(['/lead-old', '/new'])
    const hashes = await env.DB.prepare(
      'SELECT count(*) AS n FROM touchpoints WHERE site_key = ?1 AND daily_hash IS NOT NULL',
    )
      .bind(site.siteKey)
      .first()
    expect(hashes).toEqual({ n: 1 })
  })
})

describe('rate limits', () => {
  it('answers 429 problem+json past the per-address budget and holds the submission as spam with the reason rate', async () => {
    const site = await createSite()
    const statuses: number[] = []
    for (let i = 0; i < 31; i++) {
      const response = await postLead(
        site,
        leadBody(site, { fields: { email: `r${i}@firma.de` } }),
        { ip: '192.0.2.9' },
      )
      statuses.push(response.status)
      if (response.status === 429) {
        await expectProblem(response, 429, 'rate_limited')
        expect(response.headers.get('retry-after')).toBe('60')
      }
    }
    expect(statuses.slice(0, 30).every((s) => s === 201)).toBe(true)
    expect(statuses[30]).toBe(429)
    const other = await postLead(site, leadBody(site, { fields: { email: 'other@firma.de' } }), {
      ip: '198.51.100.1',
    })
    expect(other.status).toBe(201)
    const spam = await env.DB.prepare(
      "SELECT count(*) AS n FROM spam WHERE site_key = ?1 AND reason = 'rate'",
    )
      .bind(site.siteKey)
      .first()
    expect(spam).toEqual({ n: 1 })
  })
})

describe('temperature over time', () => {
  it('cools a hot lead once its last intent is older than the hot window, when read and in the hourly job', async () => {
    const site = await createSite()
    await admin(`/v1/admin/sites/${site.siteKey}/forms/demo`, 'PUT', {
      kind: 'demo_request',
      title: 'Demo',
      fields: [{ name: 'email', type: 'email', required: true, label: 'E-Mail' }],
    })
    const { issueStartToken } = await import('../../worker/src/domain/start-token')
    const response = await postLead(site, {
      ...leadBody(site),
      formId: 'demo',
      consents: [],
      fields: { email: 'heiss@firma.de' },
      startToken: await issueStartToken(
        env.LODESTONE_SECRET,
        site.siteKey,
        'demo',
        Date.now() - 10_000,
      ),
    })
    const { leadId, temperature } = (await response.json()) as LeadSubmissionResult
    expect(temperature).toBe('hot')
    // Twenty days pass: the intent is outside the 14-day hot window, inside the 30-day warm one.
    const twentyDaysAgo = new Date(Date.now() - 20 * DAY).toISOString()
    await env.DB.prepare(
      `UPDATE leads SET score_state = json_set(score_state, '$.lastIntentAt', ?2, '$.lastInteractionAt', ?2) WHERE id = ?1`,
    )
      .bind(leadId, twentyDaysAgo)
      .run()
    const read = (await (
      await admin(`/v1/admin/sites/${site.siteKey}/leads/${leadId}`, 'GET')
    ).json()) as { temperature: string }
    expect(read.temperature).toBe('warm')
    const ctx = createExecutionContext()
    await worker.scheduled(
      createScheduledController({ scheduledTime: new Date(), cron: '17 * * * *' }),
      env,
      ctx,
    )
    await waitOnExecutionContext(ctx)
    const stored = await env.DB.prepare('SELECT temperature FROM leads WHERE id = ?1')
      .bind(leadId)
      .first()
    expect(stored).toEqual({ temperature: 'warm' })
  })
})
