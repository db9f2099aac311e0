import {
  createExecutionContext,
  createMessageBatch,
  createScheduledController,
  getQueueResult,
  waitOnExecutionContext,
} from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { CampaignReport } from '../../shared/campaigns'
import type { LeadDetail, LeadList, LeadSubmissionResult } from '../../shared/leads'
import type { ModelSummary } from '../../shared/model'
import { writeEvents } from '../../worker/src/db/outbound'
import worker from '../../worker/src/index'
import { DEAD_LETTER_QUEUE, type OutboundMessage } from '../../worker/src/services/outbound/queue'
import { FROM, TO } from './admin/campaign-data'
import { populate, QUIZ_FORM } from './admin/model-data'
import {
  admin,
  call,
  createSite,
  leadBody,
  pageView,
  postEvents,
  postLead,
  uniqueSiteKey,
  type TestSite,
} from './helpers'
import { createWebhook, deliveries, eventually, newLead, newReceiver, received } from './outbound'

/**
 * Stores (docs/scale.md#stores): vitest.config.ts puts every site whose key starts with `large-`
 * in DB_LARGE; every other site lives in DB. A moved site's data is written to and read from its
 * own database only, with its registry row in DB and mirrored there.
 */

/** The tables that hold a site's data, each with a `site_key` column. */
const SITE_TABLES = [
  'forms',
  'consent_texts',
  'leads',
  'lead_visitors',
  'touchpoints',
  'submissions',
  'consent_ledger',
  'stage_history',
  'origin_activity',
  'outbound_events',
  'endpoints',
  'outbox',
] as const

async function countsIn(db: D1Database, siteKey: string): Promise<Record<string, number>> {
  const results = await db.batch(
    SITE_TABLES.map((table) =>
      db.prepare(`SELECT count(*) AS n FROM ${table} WHERE site_key = ?1`).bind(siteKey),
    ),
  )
  return Object.fromEntries(
    SITE_TABLES.map((table, i) => [table, (results[i]!.results[0] as { n: number }).n]),
  )
}

const NONE = Object.fromEntries(SITE_TABLES.map((table) => [table, 0]))

async function siteRow(db: D1Database, siteKey: string) {
  return db
    .prepare('SELECT name, allowed_origins FROM sites WHERE site_key = ?1')
    .bind(siteKey)
    .first<{ name: string; allowed_origins: string }>()
}

/** A visit, then a lead of the same visitor with both consents, on `site`. */
async function visitAndSubmit(site: TestSite): Promise<string> {
  const visitorId = crypto.randomUUID()
  const events = await postEvents(site.origin, {
    siteKey: site.siteKey,
    visitorId,
    events: [pageView(`${site.origin}/pricing`), pageView(`${site.origin}/whitepaper`)],
  })
  expect(events.status).toBe(202)
  const response = await postLead(
    site,
    leadBody(site, {
      visitorId,
      consents: [
        { purpose: 'marketing_email', granted: true, textId: site.consentTextIds.marketing_email! },
        { purpose: 'tracking', granted: true, textId: site.consentTextIds.tracking! },
      ],
    }),
  )
  expect(response.status).toBe(201)
  return ((await response.json()) as LeadSubmissionResult).leadId
}

async function runCron(cron: string, at = new Date()): Promise<void> {
  const ctx = createExecutionContext()
  await worker.scheduled(createScheduledController({ scheduledTime: at, cron }), env, ctx)
  await waitOnExecutionContext(ctx)
}

describe('site stores', () => {
  it('writes a moved site’s leads, touchpoints and consents to its own database and nothing of it to DB; the other site stays in DB', async () => {
    const large = await createSite({}, undefined, uniqueSiteKey('large'))
    const small = await createSite()
    const largeLead = await visitAndSubmit(large)
    const smallLead = await visitAndSubmit(small)

    const inLarge = await countsIn(env.DB_LARGE, large.siteKey)
    expect(inLarge).toMatchObject({
      forms: 1,
      consent_texts: 2,
      leads: 1,
      lead_visitors: 1,
      touchpoints: 2,
      submissions: 1,
      consent_ledger: 2,
      origin_activity: 1,
    })
    expect(inLarge.stage_history).toBeGreaterThan(0)
    expect(await countsIn(env.DB, large.siteKey)).toEqual(NONE)
    const lead = await env.DB_LARGE.prepare('SELECT email FROM leads WHERE id = ?1')
      .bind(largeLead)
      .first<{ email: string }>()
    expect(lead?.email).toBe('Anna.Berg@firma.de')

    // The registry stays in DB, with the site's tokens; its row is mirrored into the store.
    expect(await siteRow(env.DB, large.siteKey)).toMatchObject({ name: 'Acme GmbH' })
    expect(await siteRow(env.DB_LARGE, large.siteKey)).toEqual(await siteRow(env.DB, large.siteKey))

    // The other site: all in DB, not even a registry row in DB_LARGE.
    expect(await countsIn(env.DB, small.siteKey)).toMatchObject({
      leads: 1,
      touchpoints: 2,
      consent_ledger: 2,
    })
    expect(await countsIn(env.DB_LARGE, small.siteKey)).toEqual(NONE)
    expect(await siteRow(env.DB_LARGE, small.siteKey)).toBeNull()
    expect(
      await env.DB.prepare('SELECT count(*) AS n FROM leads WHERE id = ?1').bind(smallLead).first(),
    ).toEqual({ n: 1 })
  })

  it('mirrors every change of the site row into the store', async () => {
    const large = await createSite({}, undefined, uniqueSiteKey('large'))
    const put = await admin(`/v1/admin/sites/${large.siteKey}`, 'PUT', {
      name: 'Acme Renamed',
      allowedOrigins: [large.origin],
      locale: 'de',
      retentionDays: 30,
    })
    expect(put.status).toBe(200)
    const allowed = await admin(`/v1/admin/sites/${large.siteKey}/origins`, 'POST', {
      origin: 'https://second.example',
    })
    expect(allowed.status).toBe(200)
    const registry = await env.DB.prepare('SELECT * FROM sites WHERE site_key = ?1')
      .bind(large.siteKey)
      .first()
    const mirror = await env.DB_LARGE.prepare('SELECT * FROM sites WHERE site_key = ?1')
      .bind(large.siteKey)
      .first()
    expect(mirror).toEqual(registry)
    expect(mirror).toMatchObject({ name: 'Acme Renamed', retention_days: 30 })
    expect(JSON.parse(String(mirror!.allowed_origins))).toEqual([
      large.origin,
      'https://second.example',
    ])
    // The site read answers from the registry, its lock from the store's leads.
    await visitAndSubmit(large)
    const read = await admin(`/v1/admin/sites/${large.siteKey}`, 'GET')
    expect(await read.json()).toMatchObject({ name: 'Acme Renamed', stageModelLocked: true })
  })

  it('answers the lead list, lead detail, report, export, consent receipt and erasure of sites in either store', async () => {
    for (const site of [
      await createSite({}, undefined, uniqueSiteKey('large')),
      await createSite(),
    ]) {
      const leadId = await visitAndSubmit(site)
      const base = `/v1/admin/sites/${site.siteKey}`

      const list = (await (await admin(`${base}/leads`, 'GET')).json()) as LeadList
      expect(list.leads.map((lead) => lead.leadId)).toEqual([leadId])
      const detail = (await (await admin(`${base}/leads/${leadId}`, 'GET')).json()) as LeadDetail
      expect(detail.leadId).toBe(leadId)
      expect(detail.consents).toHaveLength(2)

      const report = await admin(
        `${base}/reports/campaigns?attribution=first&from=${FROM}&to=${TO}`,
        'GET',
      )
      expect(report.status).toBe(200)
      const rows = ((await report.json()) as CampaignReport).rows
      expect(rows.map((row) => [row.campaign, row.leads])).toEqual([['q4-whitepaper', 1]])

      const exported = await admin(`${base}/leads/${leadId}/export`, 'GET')
      expect(exported.status).toBe(200)
      const dump = (await exported.json()) as { touchpoints: unknown[]; consents: unknown[] }
      expect(dump.touchpoints).toHaveLength(2)
      expect(dump.consents).toHaveLength(2)

      // A consent link names no site: its store is found by the token.
      const issued = await admin(`${base}/leads/${leadId}/consent-link`, 'POST')
      expect(issued.status).toBe(201)
      const { receiptUrl } = (await issued.json()) as { receiptUrl: string }
      const receipt = await call(new URL(receiptUrl).pathname)
      expect(receipt.status).toBe(200)
      expect(((await receipt.json()) as { email: string }).email).toBe('Anna.Berg@firma.de')

      expect((await admin(`${base}/leads/${leadId}`, 'DELETE')).status).toBe(200)
      const store = site.siteKey.startsWith('large-') ? env.DB_LARGE : env.DB
      expect(
        await store
          .prepare('SELECT email, erased_at IS NOT NULL AS erased FROM leads WHERE id = ?1')
          .bind(leadId)
          .first(),
      ).toEqual({ email: null, erased: 1 })
      expect((await call(new URL(receiptUrl).pathname)).status).toBe(404)
    }
  })

  it('runs the hourly upkeep on the moved site’s store', async () => {
    const large = await createSite({ retentionDays: 10 }, undefined, uniqueSiteKey('large'))
    const events = await postEvents(large.origin, {
      siteKey: large.siteKey,
      events: [pageView(`${large.origin}/old`), pageView(`${large.origin}/new`)],
    })
    expect(events.status).toBe(202)
    await env.DB_LARGE.prepare(
      "UPDATE touchpoints SET received_at = ?2 WHERE site_key = ?1 AND path = '/old'",
    )
      .bind(large.siteKey, new Date(Date.now() - 11 * 86_400_000).toISOString())
      .run()
    await runCron('17 * * * *')
    const paths = await env.DB_LARGE.prepare(
      'SELECT path FROM touchpoints WHERE site_key = ?1 ORDER BY path',
    )
      .bind(large.siteKey)
      .all<{ path: string }>()
    expect(paths.results.map((row) => row.path)).toEqual(['/new'])
  })

  it('trains the moved site’s learned score from the hourly upkeep, in its store', async () => {
    const site = await createSite(
      { stageModel: 'b2b', model: { minPositives: 10, negativeAfterDays: 90 } },
      QUIZ_FORM,
      uniqueSiteKey('large'),
    )
    await populate(site, 40)
    for (let run = 0; run < 20; run++) {
      await runCron('17 * * * *')
      if ((await admin(`/v1/admin/sites/${site.siteKey}/model`, 'GET')).status === 200) break
    }
    const model = (await (
      await admin(`/v1/admin/sites/${site.siteKey}/model`, 'GET')
    ).json()) as ModelSummary
    expect(model.version).toBe(1)
    const count = (db: D1Database) =>
      db
        .prepare('SELECT count(*) AS n FROM score_models WHERE site_key = ?1')
        .bind(site.siteKey)
        .first<{ n: number }>()
    expect(await count(env.DB_LARGE)).toEqual({ n: 1 })
    expect(await count(env.DB)).toEqual({ n: 0 })
  })

  it('delivers the moved site’s webhooks from the queue, and the sweep finds what its store lost', async () => {
    const large = await createSite({}, undefined, uniqueSiteKey('large'))
    const receiver = newReceiver()
    await createWebhook(large.siteKey, 'crm', {
      url: receiver.url,
      events: ['lead.created', 'spam.held'],
    })
    const leadId = await newLead(large)
    const log = await eventually(
      () => received(receiver.name),
      (r) => r.length >= 1,
    )
    expect(JSON.parse(log[0]!.body)).toMatchObject({ type: 'lead.created', data: { leadId } })
    const listed = await eventually(
      () => deliveries(large.siteKey, 'crm'),
      (d) => d.deliveries[0]?.status === 'succeeded',
    )
    expect(listed.deliveries.map((d) => d.status)).toEqual(['succeeded'])
    const stored = (db: D1Database) =>
      db
        .prepare(
          `SELECT count(*) AS n FROM outbound_deliveries d JOIN outbound_events e USING (event_id)
           WHERE e.site_key = ?1`,
        )
        .bind(large.siteKey)
        .first<{ n: number }>()
    expect(await stored(env.DB_LARGE)).toEqual({ n: 1 })
    expect(await stored(env.DB)).toEqual({ n: 0 })

    // An event whose announcement never reached the queue, in the store: the sweep sends it.
    await writeEvents(env.DB_LARGE, [
      {
        siteKey: large.siteKey,
        leadId: null,
        type: 'spam.held',
        data: { reason: 'honeypot' },
        now: new Date(Date.now() - 20 * 60_000).toISOString(),
      },
    ])
    await runCron('*/5 * * * *')
    const swept = await eventually(
      () => received(receiver.name),
      (r) => r.length >= 2,
    )
    expect(JSON.parse(swept[1]!.body)).toMatchObject({
      type: 'spam.held',
      data: { reason: 'honeypot' },
    })
  })

  it('marks a dead-lettered delivery of the moved site dead in its store, named or not', async () => {
    const large = await createSite({}, undefined, uniqueSiteKey('large'))
    await createWebhook(large.siteKey, 'crm', { url: newReceiver().url, events: ['spam.held'] })
    // Two deliveries nobody announced (so no consumer attempts them meanwhile).
    for (const reason of ['honeypot', 'too_fast'])
      await writeEvents(env.DB_LARGE, [
        {
          siteKey: large.siteKey,
          leadId: null,
          type: 'spam.held',
          data: { reason },
          now: new Date().toISOString(),
        },
      ])
    const { results } = await env.DB_LARGE.prepare(
      `SELECT d.delivery_id FROM outbound_deliveries d JOIN outbound_events e USING (event_id)
       WHERE e.site_key = ?1 ORDER BY d.delivery_id`,
    )
      .bind(large.siteKey)
      .all<{ delivery_id: string }>()
    expect(results).toHaveLength(2)
    // One message names its store; the other, as sent before stores had names, does not.
    const bodies: OutboundMessage[] = [
      { deliveryId: results[0]!.delivery_id, store: 'DB_LARGE' },
      { deliveryId: results[1]!.delivery_id },
    ]
    const batch = createMessageBatch<OutboundMessage>(
      DEAD_LETTER_QUEUE,
      bodies.map((body, i) => ({ id: `m${i}`, timestamp: new Date(), attempts: 18, body })),
    )
    const ctx = createExecutionContext()
    await worker.queue(batch, env)
    expect((await getQueueResult(batch, ctx)).explicitAcks.sort()).toEqual(['m0', 'm1'])
    const statuses = await env.DB_LARGE.prepare(
      `SELECT d.status FROM outbound_deliveries d JOIN outbound_events e USING (event_id)
       WHERE e.site_key = ?1`,
    )
      .bind(large.siteKey)
      .all<{ status: string }>()
    expect(statuses.results.map((row) => row.status)).toEqual(['dead', 'dead'])
  })
})
