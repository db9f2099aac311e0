import { createRoute } from '@hono/zod-openapi'
import { EventBatchResultSchema, EventBatchSchema } from '../../../shared/events'
import { siteStore } from '../db/store'
import { readJsonBody } from '../lib/body'
import { createRouter, PROBLEM_RESPONSES } from '../lib/router'
import { readRequestFacts } from '../lib/request-facts'
import { requireSiteForOrigin } from '../middleware/cors'
import { enforceRateLimit } from '../middleware/rate-limit'
import { requestDailyHash } from '../services/daily-hash'
import {
  enqueueTouchpoints,
  touchpointQueue,
  writeTouchpoints,
  type TouchpointMessage,
} from '../services/touchpoint-ingest'

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
        description:
          'Accepted. Written in the request, `accepted` counts the touchpoints stored now and `duplicates` those whose id was stored before or repeated in the batch. Buffered on a queue (docs/scale.md#queue-buffered-touchpoints), `accepted` counts the touchpoints taken for writing and `duplicates` only the repeats within the batch: an id stored before is skipped when the queue writes it.',
        content: { 'application/json': { schema: EventBatchResultSchema } },
      },
      ...PROBLEM_RESPONSES,
    },
  }),
  async (c) => {
    const batch = await readJsonBody(c, EventBatchSchema)
    const site = await requireSiteForOrigin(c, batch.siteKey)
    await enforceRateLimit(c, c.env.EVENTS_LIMITER, site.siteKey)
    const now = new Date()
    // Global Privacy Control is a refusal of tracking
    // (docs/consent-and-privacy.md#global-privacy-control), whatever the page sent. After a
    // refusal a touchpoint is stored with neither a visitor id nor a daily hash: with no key to
    // match, no lead can ever take it over (docs/consent-and-privacy.md#refusal).
    const request = readRequestFacts(c)
    const refused = request.gpc || batch.consent === 'refused'
    const visitorId = refused ? null : (batch.visitorId ?? null)
    const dailyHash =
      refused || visitorId
        ? null
        : await requestDailyHash(siteStore(c.env, site.siteKey), request, site.siteKey, now)
    // The same id twice in one batch counts once, like a retry.
    const unique = [...new Map(batch.events.map((event) => [event.id, event])).values()]
    const message: TouchpointMessage = {
      siteKey: site.siteKey,
      receivedAt: now.toISOString(),
      // requireSiteForOrigin let only an allowed origin through.
      origin: c.req.header('origin')!,
      appOrigin: c.get('config').APP_URL ?? new URL(c.req.url).origin,
      visitorId,
      dailyHash,
      events: unique,
    }
    // Buffered (docs/scale.md#queue-buffered-touchpoints): once on the queue the batch is the
    // consumer's to write; a repeat of an id stored before is skipped there, so it counts here
    // as accepted. Should the queue refuse it, the batch is written here as in direct mode.
    const queue = touchpointQueue(c.env, c.get('config'))
    if (queue && (await enqueueTouchpoints(queue, message))) {
      return c.json(
        { accepted: unique.length, duplicates: batch.events.length - unique.length },
        202,
      )
    }
    const inserted = await writeTouchpoints(c.env, site, message)
    return c.json(
      { accepted: inserted.length, duplicates: batch.events.length - inserted.length },
      202,
    )
  },
)
