import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { LeadSubmissionSchema, type LeadSubmission } from '../../shared/leads'
import { dailySalt } from '../../worker/src/db/salts'
import { readConfig } from '../../worker/src/env'
import { utcDay } from '../../worker/src/lib/time'
import { captureLead } from '../../worker/src/services/capture-lead'
import { createLookups } from '../../worker/src/services/lookups'
import {
  BASE,
  createSite,
  leadBody,
  pageView,
  postEvents,
  postLead,
  type TestSite,
} from './helpers'

/**
 * The D1 round trips of one submission (docs/scale.md#fewer-round-trips), counted on the real
 * local D1 through a wrapper that notes every call that goes to the database: a statement's
 * `first`/`all`/`run`/`raw` and a `batch`. A wave is a run of calls that were in flight together,
 * so the waves are what a request waits for one after another.
 */
function countingDb(db: D1Database) {
  const trips: string[] = []
  let inFlight = 0
  let waves = 0
  const track = <T>(label: string, call: () => Promise<T>): Promise<T> => {
    trips.push(label)
    if (inFlight++ === 0) waves++
    return call().finally(() => inFlight--)
  }
  const wrap = (statement: D1PreparedStatement, sql: string): D1PreparedStatement => {
    const label = sql.replace(/\s+/g, ' ').trim().slice(0, 60)
    for (const method of ['first', 'all', 'run', 'raw'] as const) {
      const original = statement[method].bind(statement) as (...args: unknown[]) => Promise<unknown>
      Object.defineProperty(statement, method, {
        value: (...args: unknown[]) => track(label, () => original(...args)),
      })
    }
    const bind = statement.bind.bind(statement)
    Object.defineProperty(statement, 'bind', {
      value: (...values: unknown[]) => wrap(bind(...values), sql),
    })
    return statement
  }
  const counted = {
    prepare: (sql: string) => wrap(db.prepare(sql), sql),
    batch: (statements: D1PreparedStatement[]) =>
      track(`batch of ${statements.length}`, () => db.batch(statements)),
    exec: (sql: string) => track('exec', () => db.exec(sql)),
  } as unknown as D1Database
  return { db: counted, trips, waves: () => waves }
}

/** One submission straight through the service, as the route would pass it, counting its trips. */
async function countCapture(site: TestSite, body: LeadSubmission, lookups = createLookups()) {
  const found = (await lookups.lookUpSite(env.DB, site.siteKey))!
  const form = (await lookups.lookUpForm(env.DB, found, 'wp'))!
  // The day's salt is read once a day per isolate (worker/src/db/salts.ts): read already here.
  await dailySalt(env.DB, utcDay(new Date()), new Date().toISOString())
  const counted = countingDb(env.DB)
  // The site and form are cached now: the route's lookups cost no round trip.
  expect(await lookups.lookUpSite(counted.db, site.siteKey)).toBe(found)
  expect(await lookups.lookUpForm(counted.db, found, 'wp')).toBe(form)
  const { status } = await captureLead(
    {
      db: counted.db,
      config: readConfig(env),
      rateLimit: async () => {},
      outbound: env.OUTBOUND,
    },
    {
      origin: BASE,
      address: '203.0.113.77',
      network: '203.0.113.0/24',
      userAgent: 'Mozilla/5.0 test',
      gpc: false,
    },
    { site: found, form, body: LeadSubmissionSchema.parse(body) },
  )
  return { status, trips: counted.trips, waves: counted.waves() }
}

describe('round trips of POST /v1/leads', () => {
  // Before the cache and the combined reads: findSite, findForm and its consent texts, the
  // replay check, the token claim, the lead by email, the write, reading the submission back,
  // the latest score model and the consent follow-ups: 10, one after another.
  const BEFORE = 10

  it('stores a new submission in 5 round trips, waiting for 4 of them in turn', async () => {
    const site = await createSite()
    // A first submission of the site, so the day's salt and the like are as on a warm isolate.
    expect((await postLead(site, leadBody(site))).status).toBe(201)
    const { status, trips, waves } = await countCapture(
      site,
      leadBody(site, { fields: { ...leadBody(site).fields, email: 'carla@firma.de' } }),
    )
    expect(status).toBe(201)
    expect(trips.length).toBeLessThanOrEqual(5)
    expect(trips.length).toBeLessThan(BEFORE)
    expect(waves).toBeLessThanOrEqual(4)
  })

  it('merges into a known lead with the journey of a consenting visitor, waiting for 4 trips in turn', async () => {
    const site = await createSite()
    const visitorId = crypto.randomUUID()
    expect((await postLead(site, leadBody(site))).status).toBe(201)
    const events = await postEvents(site.origin, {
      siteKey: site.siteKey,
      visitorId,
      events: [pageView(`${site.origin}/pricing`)],
    })
    expect(events.status).toBeLessThan(300)
    const { status, trips, waves } = await countCapture(
      site,
      leadBody(site, {
        visitorId,
        consents: [
          ...(leadBody(site).consents ?? []),
          { purpose: 'tracking', granted: true, textId: site.consentTextIds.tracking! },
        ],
      }),
    )
    expect(status).toBe(201)
    // The two journey reads (by visitor id, by the day's hash) run beside the token claim.
    expect(trips.length).toBeLessThanOrEqual(7)
    expect(waves).toBeLessThanOrEqual(4)
  })

  it('answers a replay in 3 round trips', async () => {
    const site = await createSite()
    const body = leadBody(site)
    expect((await postLead(site, body)).status).toBe(201)
    const { status, trips } = await countCapture(site, body)
    expect(status).toBe(200)
    // The replay check, then the receipt link's consent check and its token row.
    expect(trips.length).toBeLessThanOrEqual(3)
  })
})
