import {
  createExecutionContext,
  createScheduledController,
  waitOnExecutionContext,
} from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { LeadSubmissionResult } from '../../shared/leads'
import type { Rules } from '../../shared/rules'
import { runMaintenance } from '../../worker/src/db/maintenance'
import worker from '../../worker/src/index'
import { admin, createSite, leadBody, pageView, postEvents, postLead } from './helpers'

const DAY = 24 * 3600 * 1000

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

describe('temperature over time', () => {
  /** A lead of one quick demo request (15 points), on a site with `rules`. */
  async function demoLead(rules: Rules, email: string) {
    const site = await createSite({ rules })
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
      fields: { email },
      startToken: await issueStartToken(
        env.LODESTONE_SECRET,
        site.siteKey,
        'demo',
        Date.now() - 10_000,
      ),
    })
    const { leadId, temperature } = (await response.json()) as LeadSubmissionResult
    return { site, leadId, temperature }
  }

  /**
   * A lead whose one demo request made it hot: the site's hot threshold is the request's 15
   * points (by default hot needs 28, more than one quick request).
   */
  async function hotLead() {
    const { site, leadId, temperature } = await demoLead({ hotThreshold: 15 }, 'heiss@firma.de')
    expect(temperature).toBe('hot')
    return { site, leadId }
  }

  async function runHourlyJob() {
    const ctx = createExecutionContext()
    await worker.scheduled(
      createScheduledController({ scheduledTime: new Date(), cron: '17 * * * *' }),
      env,
      ctx,
    )
    await waitOnExecutionContext(ctx)
  }

  it('keeps a lone demo request warm under the default hot threshold', async () => {
    const { leadId, temperature } = await demoLead({}, 'lau@firma.de')
    expect(temperature).toBe('warm')
    await runHourlyJob()
    const stored = await env.DB.prepare('SELECT temperature FROM leads WHERE id = ?1')
      .bind(leadId)
      .first()
    expect(stored).toEqual({ temperature: 'warm' })
  })

  it('cools a hot lead inside the hot window once its engagement decays below the hot threshold, when read and in the hourly job', async () => {
    const { site, leadId } = await hotLead()
    // Five days pass: the intent is inside the 14-day hot window, but 15 points decayed by the
    // 30-day half-life are 15 × 0.5^(5/30) ≈ 13.4, below the threshold of 15.
    const fiveDaysAgo = new Date(Date.now() - 5 * DAY).toISOString()
    await env.DB.prepare(
      `UPDATE leads SET score_state = json_set(score_state, '$.ref', ?2, '$.lastIntentAt', ?2, '$.lastInteractionAt', ?2) WHERE id = ?1`,
    )
      .bind(leadId, fiveDaysAgo)
      .run()
    const read = (await (
      await admin(`/v1/admin/sites/${site.siteKey}/leads/${leadId}`, 'GET')
    ).json()) as { temperature: string }
    expect(read.temperature).toBe('warm')
    await runHourlyJob()
    const stored = await env.DB.prepare('SELECT temperature FROM leads WHERE id = ?1')
      .bind(leadId)
      .first()
    expect(stored).toEqual({ temperature: 'warm' })
  })

  it('cools a hot lead once its last intent is older than the hot window, when read and in the hourly job', async () => {
    const { site, leadId } = await hotLead()
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
    await runHourlyJob()
    const stored = await env.DB.prepare('SELECT temperature FROM leads WHERE id = ?1')
      .bind(leadId)
      .first()
    expect(stored).toEqual({ temperature: 'warm' })
  })
})

describe('start token uses', () => {
  it('are forgotten once their token has expired, and kept until then', async () => {
    const site = await createSite()
    const fresh = leadBody(site)
    const stale = leadBody(site)
    expect((await postLead(site, fresh)).status).toBe(201)
    expect((await postLead(site, stale)).status).toBe(201)
    const uses = () =>
      env.DB.prepare(
        'SELECT submission_id FROM start_token_uses WHERE site_key = ?1 ORDER BY submission_id',
      )
        .bind(site.siteKey)
        .all<{ submission_id: string }>()
        .then(({ results }) => results.map((row) => row.submission_id))
    expect(await uses()).toEqual([fresh.submissionId, stale.submissionId].sort())
    // One of them was used a day ago: its token has expired since (24 hours), the other's has not.
    await env.DB.prepare('UPDATE start_token_uses SET expires_at = ?2 WHERE submission_id = ?1')
      .bind(stale.submissionId, new Date(Date.now() - 1000).toISOString())
      .run()
    const result = await runMaintenance(env.DB, new Date())
    expect(result.startTokens).toBeGreaterThanOrEqual(1)
    expect(await uses()).toEqual([fresh.submissionId])
  })
})
