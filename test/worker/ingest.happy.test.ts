import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { LeadDetail, LeadSubmissionResult } from '../../shared/leads'
import { findSite } from '../../worker/src/db/sites'
import { insertTouchpoints, type InsertedTouchpoint } from '../../worker/src/db/touchpoints'
import { reclassifyLeads } from '../../worker/src/services/reclassify-lead'
import {
  admin,
  createSite,
  leadBody,
  pageView,
  postEvents,
  postLead,
  wholeJourney,
  type TestSite,
} from './helpers'

/**
 * All of a lead's touchpoints count, and a batch of touchpoints costs the same few queries however
 * many leads it reclassifies (docs/scale.md#ingest-cost-flat-in-the-sites-size).
 */

const MINUTE = 60_000

/**
 * Seeds `count` page views of a visitor in bulk (one statement, as the bench seeds), one every ten
 * minutes up to an hour ago: the oldest carries campaign `early`, the newest `late`.
 */
async function seedVisitorViews(site: TestSite, visitorId: string, count: number): Promise<void> {
  const newest = Date.now() - 60 * MINUTE
  await env.DB.prepare(
    `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?3)
     INSERT INTO touchpoints (site_key, event_id, type, occurred_at, received_at, url, path,
       utm_source, utm_campaign, visitor_id)
     SELECT ?1, 'seed-' || ?2 || '-' || i, 'page_view',
       strftime('%Y-%m-%dT%H:%M:%fZ', ?4 / 1000.0 - (?3 - i) * 600, 'unixepoch'),
       strftime('%Y-%m-%dT%H:%M:%fZ', ?4 / 1000.0, 'unixepoch'),
       ?5 || '/page-' || (i % 40), '/page-' || (i % 40),
       CASE WHEN i IN (1, ?3) THEN 'newsletter' END,
       CASE i WHEN 1 THEN 'early' WHEN ?3 THEN 'late' END, ?2
     FROM n`,
  )
    .bind(site.siteKey, visitorId, count, newest, site.origin)
    .run()
}

async function detail(site: TestSite, leadId: string): Promise<LeadDetail> {
  const response = await admin(`/v1/admin/sites/${site.siteKey}/leads/${leadId}`, 'GET')
  expect(response.status).toBe(200)
  return (await response.json()) as LeadDetail
}

/** A submission of the visitor without a campaign of its own, so the touches are the journey's. */
async function submit(site: TestSite, visitorId: string, email: string): Promise<string> {
  const response = await postLead(
    site,
    leadBody(site, { visitorId, utm: undefined, fields: { ...leadBody(site).fields, email } }),
  )
  expect(response.status).toBe(201)
  return ((await response.json()) as LeadSubmissionResult).leadId
}

describe('POST /v1/leads, a long history', () => {
  it('attaches all 2,500 earlier page views of the visitor and scores the lead on all of them', async () => {
    const site = await createSite()
    const visitorId = crypto.randomUUID()
    await seedVisitorViews(site, visitorId, 2500)
    const leadId = await submit(site, visitorId, 'long.history@firma.de')

    const counts = await env.DB.prepare(
      `SELECT SUM(lead_id = ?2) AS attached, SUM(lead_id IS NULL) AS unattached
       FROM touchpoints WHERE site_key = ?1 AND visitor_id = ?3`,
    )
      .bind(site.siteKey, leadId, visitorId)
      .first<{ attached: number; unattached: number }>()
    expect(counts).toEqual({ attached: 2500, unattached: 0 })

    // The newest view was read too: it is the last touch, the oldest the first.
    const lead = await detail(site, leadId)
    expect(lead.firstTouch).toMatchObject({ source: 'newsletter', campaign: 'early' })
    expect(lead.lastTouch).toMatchObject({ source: 'newsletter', campaign: 'late' })
    const journey = await wholeJourney(site.siteKey, leadId)
    expect(journey).toHaveLength(2500)
    expect(journey[0]!.id).toBe(`seed-${visitorId}-2500`)

    // A visitor with only the oldest 1,000 of those views scores lower: the newer views count.
    const short = crypto.randomUUID()
    await seedVisitorViews(site, short, 2500)
    await env.DB.prepare(
      `DELETE FROM touchpoints WHERE visitor_id = ?1
         AND CAST(substr(event_id, length('seed-' || ?1 || '-') + 1) AS INTEGER) > 1000`,
    )
      .bind(short)
      .run()
    const shortLead = await detail(site, await submit(site, short, 'short.history@firma.de'))
    expect(shortLead.lastTouch.campaign).toBe('early')
    expect(lead.score.engagement).toBeGreaterThan(shortLead.score.engagement)
  })
})

/** Counts the round trips a piece of work makes to D1 (statements run alone, and batches). */
function countingDb(db: D1Database): { db: D1Database; trips: () => number } {
  let trips = 0
  const wrap = (statement: D1PreparedStatement): D1PreparedStatement =>
    new Proxy(statement, {
      get(target, key) {
        if (key === 'bind') return (...values: unknown[]) => wrap(target.bind(...values))
        const value = Reflect.get(target, key, target) as unknown
        if (typeof value !== 'function') return value
        if (key === 'all' || key === 'first' || key === 'run' || key === 'raw')
          return (...args: unknown[]) => {
            trips++
            return (value as (...a: unknown[]) => unknown).apply(target, args)
          }
        return (value as (...a: unknown[]) => unknown).bind(target)
      },
    })
  const counted = new Proxy(db, {
    get(target, key) {
      if (key === 'prepare') return (sql: string) => wrap(target.prepare(sql))
      if (key === 'batch')
        return (statements: D1PreparedStatement[]) => {
          trips++
          return target.batch(statements)
        }
      const value = Reflect.get(target, key, target) as unknown
      return typeof value === 'function' ? (value as () => unknown).bind(target) : value
    },
  })
  return { db: counted, trips: () => trips }
}

describe('reclassification of a batch of touchpoints', () => {
  /** `count` leads, each linked to its visitor; answers the visitors. */
  async function linkedVisitors(site: TestSite, count: number): Promise<string[]> {
    const visitors = Array.from({ length: count }, () => crypto.randomUUID())
    for (const [i, visitorId] of visitors.entries()) await submit(site, visitorId, `v${i}@firma.de`)
    return visitors
  }

  /** New page views of each visitor, inserted as the events route does, unscored yet. */
  async function viewsOf(
    site: TestSite,
    visitors: (string | null)[],
    dailyHash: string | null = null,
  ): Promise<InsertedTouchpoint[]> {
    const rows: InsertedTouchpoint[] = []
    for (const visitorId of visitors)
      rows.push(
        ...(await insertTouchpoints(env.DB, {
          siteKey: site.siteKey,
          receivedAt: new Date().toISOString(),
          visitorId,
          dailyHash: visitorId ? null : dailyHash,
          rows: [0, 1].map((k) => ({
            eventId: crypto.randomUUID(),
            type: 'page_view',
            occurredAt: new Date(Date.now() - k * MINUTE).toISOString(),
            url: `${site.origin}/preise`,
            path: '/preise',
            referrer: null,
            utmSource: null,
            utmMedium: null,
            utmCampaign: null,
            utmTerm: null,
            utmContent: null,
            formId: null,
            props: null,
          })),
        })),
      )
    return rows
  }

  it('costs no query for anonymous touchpoints and touchpoints of unlinked visitors', async () => {
    const site = await createSite()
    const rows = await viewsOf(site, [null, crypto.randomUUID()], 'hash-of-today')
    expect(rows).toHaveLength(4)
    expect(rows.every((row) => row.lead_id === null)).toBe(true)
    const counted = countingDb(env.DB)
    await reclassifyLeads(counted.db, (await findSite(env.DB, site.siteKey))!, rows)
    expect(counted.trips()).toBe(0)
  })

  it('reads and writes the leads of one batch together: as many round trips for six leads as for one', async () => {
    const site = await createSite()
    const siteRow = (await findSite(env.DB, site.siteKey))!
    const visitors = await linkedVisitors(site, 7)
    const engagement = async () =>
      (
        await env.DB.prepare(
          `SELECT engagement_score AS e FROM leads WHERE site_key = ?1 ORDER BY created_at`,
        )
          .bind(site.siteKey)
          .all<{ e: number }>()
      ).results.map((row) => row.e)
    const before = await engagement()

    const one = countingDb(env.DB)
    await reclassifyLeads(one.db, siteRow, await viewsOf(site, visitors.slice(0, 1)))
    const six = countingDb(env.DB)
    await reclassifyLeads(six.db, siteRow, await viewsOf(site, visitors.slice(1)))
    // One read of the leads, one batch of their writes, one look for a learned model.
    expect(one.trips()).toBe(3)
    expect(six.trips()).toBe(one.trips())

    // Every lead was scored on its new views of the pricing page.
    const after = await engagement()
    expect(after).toHaveLength(7)
    after.forEach((score, i) => expect(score).toBeGreaterThan(before[i]!))
  })

  it('writes again only a lead another write changed meanwhile, and that one lands too', async () => {
    const site = await createSite()
    const siteRow = (await findSite(env.DB, site.siteKey))!
    const visitors = await linkedVisitors(site, 3)
    const rows = await viewsOf(site, visitors)
    const leadIds = [...new Set(rows.map((row) => row.lead_id!))]
    expect(leadIds).toHaveLength(3)
    const versions = async () =>
      (
        await env.DB.prepare(
          `SELECT version FROM leads WHERE id IN (SELECT value FROM json_each(?1)) ORDER BY id`,
        )
          .bind(JSON.stringify(leadIds))
          .all<{ version: number }>()
      ).results.map((row) => row.version)
    const start = await versions()

    // Between the read and the write, another request moves one of the leads on.
    let raced = false
    const racing = new Proxy(env.DB, {
      get(target, key) {
        if (key === 'batch')
          return async (statements: D1PreparedStatement[]) => {
            if (!raced) {
              raced = true
              await target
                .prepare('UPDATE leads SET version = version + 1 WHERE id = ?1')
                .bind(leadIds[1])
                .run()
            }
            return target.batch(statements)
          }
        const value = Reflect.get(target, key, target) as unknown
        return typeof value === 'function' ? (value as () => unknown).bind(target) : value
      },
    })
    await reclassifyLeads(racing, siteRow, rows)
    const end = await versions()
    // Sorted by id, so find the raced lead's place.
    const order = [...leadIds].sort()
    order.forEach((id, i) => expect(end[i]! - start[i]!).toBe(id === leadIds[1] ? 2 : 1))
  })
})

describe('POST /v1/events on a linked visitor', () => {
  it('scores the lead of a linked visitor as the touchpoints arrive', async () => {
    const site = await createSite()
    const visitorId = crypto.randomUUID()
    const leadId = await submit(site, visitorId, 'arrives@firma.de')
    const before = (await detail(site, leadId)).score.engagement
    const response = await postEvents(site.origin, {
      siteKey: site.siteKey,
      visitorId,
      events: [pageView(`${site.origin}/preise`), pageView(`${site.origin}/preise?x=1`)],
    })
    expect(response.status).toBe(202)
    const after = await detail(site, leadId)
    expect(after.score.engagement).toBeGreaterThan(before)
    expect(after.journey.map((item) => new URL(item.url).pathname)).toEqual(['/preise', '/preise'])
  })
})
