import { createRoute } from '@hono/zod-openapi'
import { EventBatchResultSchema, EventBatchSchema } from '../../../shared/events'
import { originActivityNote } from '../db/origin-activity'
import { siteStore } from '../db/store'
import { touchpointInsert, toTouchpointWrite, type InsertedTouchpoint } from '../db/touchpoints'
import { readJsonBody } from '../lib/body'
import { createRouter, PROBLEM_RESPONSES } from '../lib/router'
import { readRequestFacts } from '../lib/request-facts'
import { requireSiteForOrigin } from '../middleware/cors'
import { enforceRateLimit } from '../middleware/rate-limit'
import { requestDailyHash } from '../services/daily-hash'
import { reclassifyLeads } from '../services/reclassify-lead'

export const events = createRouter()

events.openapi(
  createRoute({
    method: 'post',
    path: '/v1/events',
    summary: 'Record a batch of touchpoints',
    description:
      'At most 100 touchpoints; each is stored once per id however often it is sent. Accepts `text/plain` bodies (for `sendBeacon`). Without a `visitorId` the visitor is counted by a keyed daily hash, never by its address; with `consent: "refused"` (or Global Privacy Control) by neither, and such touchpoints never join a lead.',
    request: {
      // Documented as text/plain: the body is JSON read by readJsonBody, whatever its declared type.
      body: { content: { 'text/plain': { schema: EventBatchSchema } }, required: true },
    },
    responses: {
      202: {
        description: 'Accepted',
        content: { 'application/json': { schema: EventBatchResultSchema } },
      },
      ...PROBLEM_RESPONSES,
    },
  }),
  async (c) => {
    const batch = await readJsonBody(c, EventBatchSchema)
    const site = await requireSiteForOrigin(c, batch.siteKey)
    await enforceRateLimit(c, c.env.EVENTS_LIMITER, site.siteKey)
    const db = siteStore(c.env, site.siteKey)
    const now = new Date()
    // Global Privacy Control is a refusal of tracking
    // (docs/consent-and-privacy.md#global-privacy-control), whatever the page sent. After a
    // refusal a touchpoint is stored with neither a visitor id nor a daily hash: with no key to
    // match, no lead can ever take it over (docs/consent-and-privacy.md#refusal).
    const request = readRequestFacts(c)
    const refused = request.gpc || batch.consent === 'refused'
    const visitorId = refused ? null : (batch.visitorId ?? null)
    const dailyHash =
      refused || visitorId ? null : await requestDailyHash(db, request, site.siteKey, now)
    // The same id twice in one batch counts once, like a retry.
    const unique = [...new Map(batch.events.map((event) => [event.id, event])).values()]
    const insert = touchpointInsert(db, {
      siteKey: site.siteKey,
      receivedAt: now.toISOString(),
      visitorId,
      dailyHash,
      rows: unique.map((event) => toTouchpointWrite(event, now, visitorId !== null)),
    })
    // The origin's first page view and last event for the installation check (docs/app.md#install)
    // ride in the same batch, one round trip as before, and only when they may change (at most
    // once a minute per origin). requireSiteForOrigin let only an allowed origin through.
    const activity = originActivityNote(
      db,
      site.siteKey,
      c.req.header('origin')!,
      unique.some((event) => event.type === 'page_view'),
      now,
    )
    const inserted = activity
      ? ((await db.batch([insert, activity.statement]))[0]!.results as InsertedTouchpoint[])
      : (await insert.all<InsertedTouchpoint>()).results
    activity?.noted()
    // Touchpoints of a visitor linked to a lead move its score and stage now.
    await reclassifyLeads(db, site, inserted, {
      queue: c.env.OUTBOUND,
      appOrigin: c.get('config').APP_URL ?? new URL(c.req.url).origin,
    })
    return c.json(
      { accepted: inserted.length, duplicates: batch.events.length - inserted.length },
      202,
    )
  },
)
