import {
  createExecutionContext,
  createMessageBatch,
  getQueueResult,
  waitOnExecutionContext,
} from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it, vi } from 'vitest'
import type { EventBatchResult } from '../../shared/events'
import worker from '../../worker/src/index'
import {
  TOUCHPOINT_DEAD_LETTER_QUEUE,
  TOUCHPOINT_QUEUE,
  type TouchpointMessage,
} from '../../worker/src/services/touchpoint-ingest'
import {
  admin,
  BASE,
  createSite,
  leadBody,
  originOf,
  pageView,
  postLead,
  uniqueSiteKey,
  type TestSite,
} from './helpers'

/**
 * Queue mode (docs/scale.md#queue-buffered-touchpoints). The suite runs with
 * `TOUCHPOINT_QUEUE=off` (vitest.config.ts); these tests hand the worker an env that turns it on,
 * and the pool's consumer of the real local queue writes the rows, so each test polls for them.
 */
const QUEUED = { ...env, TOUCHPOINT_QUEUE: 'on' } as Env
const UNBOUND = { ...env, TOUCHPOINT_QUEUE: 'on', TOUCHPOINTS: undefined } as unknown as Env

async function send(target: Env, origin: string, body: unknown): Promise<Response> {
  const ctx = createExecutionContext()
  const response = await worker.fetch(
    new Request(`${BASE}/v1/events`, {
      method: 'POST',
      headers: {
        origin,
        'content-type': 'text/plain;charset=UTF-8',
        'cf-connecting-ip': '203.0.113.77',
        'user-agent': 'Mozilla/5.0 test',
      },
      body: JSON.stringify(body),
    }),
    target,
    ctx,
  )
  await waitOnExecutionContext(ctx)
  return response
}

async function stored(siteKey: string): Promise<{ event_id: string; lead_id: string | null }[]> {
  const { results } = await env.DB.prepare(
    'SELECT event_id, lead_id FROM touchpoints WHERE site_key = ?1 ORDER BY event_id',
  )
    .bind(siteKey)
    .all<{ event_id: string; lead_id: string | null }>()
  return results
}

/** Waits for the consumer: until `siteKey` has `n` touchpoints. */
async function untilStored(siteKey: string, n: number) {
  return vi.waitFor(
    async () => {
      const rows = await stored(siteKey)
      expect(rows).toHaveLength(n)
      return rows
    },
    { timeout: 10_000, interval: 50 },
  )
}

/** A settled moment: long enough for the consumer to have written a stray repeat, had it one. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 300))

function message(site: Pick<TestSite, 'siteKey' | 'origin'>, n = 1): TouchpointMessage {
  return {
    siteKey: site.siteKey,
    receivedAt: new Date().toISOString(),
    origin: site.origin,
    appOrigin: BASE,
    visitorId: null,
    dailyHash: null,
    events: Array.from({ length: n }, () => pageView(`${site.origin}/q`) as never),
  }
}

describe('POST /v1/events with a TOUCHPOINTS queue', () => {
  it('answers 202 once enqueued and the consumer stores every touchpoint once, a replay included', async () => {
    const site = await createSite()
    const a = pageView(`${site.origin}/p1`)
    const b = pageView(`${site.origin}/p2`)
    const c = pageView(`${site.origin}/p3`)
    const first = await send(QUEUED, site.origin, {
      siteKey: site.siteKey,
      events: [a, b, c, a],
    })
    expect(first.status).toBe(202)
    // The repeat within the batch is known at once.
    expect((await first.json()) as EventBatchResult).toEqual({ accepted: 3, duplicates: 1 })
    await untilStored(site.siteKey, 3)

    const d = pageView(`${site.origin}/p4`)
    const replay = await send(QUEUED, site.origin, { siteKey: site.siteKey, events: [a, b, c, d] })
    // Ids stored before are skipped by the consumer, not here: the answer counts them accepted.
    expect(await replay.json()).toEqual({ accepted: 4, duplicates: 0 })
    await untilStored(site.siteKey, 4)
    await settle()
    const rows = await stored(site.siteKey)
    expect(rows.map((row) => row.event_id)).toEqual([a, b, c, d].map((e) => e.id).sort())
  })

  it('keeps the installation check: the consumer notes the origin’s first page view', async () => {
    const site = await createSite()
    await send(QUEUED, site.origin, {
      siteKey: site.siteKey,
      events: [pageView(`${site.origin}/`)],
    })
    await untilStored(site.siteKey, 1)
    const activity = await env.DB.prepare(
      'SELECT first_page_view_at FROM origin_activity WHERE site_key = ?1 AND origin = ?2',
    )
      .bind(site.siteKey, site.origin)
      .first<{ first_page_view_at: string | null }>()
    expect(activity?.first_page_view_at).toMatch(/^\d{4}-\d\d-\d\dT/)
  })

  it('stores and reclassifies touchpoints of a visitor linked to a lead', async () => {
    const site = await createSite()
    const visitorId = crypto.randomUUID()
    const lead = await postLead(site, leadBody(site, { visitorId }))
    expect(lead.status).toBe(201)
    const { leadId } = (await lead.json()) as { leadId: string }
    const score = () =>
      env.DB.prepare('SELECT engagement_score AS e FROM leads WHERE id = ?1')
        .bind(leadId)
        .first<{ e: number }>()
    const before = (await score())!.e
    const response = await send(QUEUED, site.origin, {
      siteKey: site.siteKey,
      visitorId,
      events: [1, 2, 3, 4].map((d) =>
        pageView(`${site.origin}/pricing`, {
          ts: new Date(Date.now() - d * 86_400_000).toISOString(),
        }),
      ),
    })
    expect(response.status).toBe(202)
    const rows = await untilStored(site.siteKey, 4)
    expect(rows.every((row) => row.lead_id === leadId)).toBe(true)
    await vi.waitFor(async () => expect((await score())!.e).toBeGreaterThan(before), {
      timeout: 10_000,
      interval: 50,
    })
  })

  it('splits a batch past a queue message’s size into several messages and stores all of it', async () => {
    const site = await createSite()
    const long = 'x'.repeat(480)
    // About 2 KB a touchpoint, some 200 KB in all: past the 128 KB a queue message holds.
    const events = Array.from({ length: 100 }, (_, i) =>
      pageView(`${site.origin}/long/${i}`, { props: { a: long, b: long, c: long, d: long } }),
    )
    const first = await send(QUEUED, site.origin, { siteKey: site.siteKey, events })
    expect(await first.json()).toEqual({ accepted: 100, duplicates: 0 })
    await untilStored(site.siteKey, 100)
    // Through the queue again (a direct write would count 100 duplicates), and still 100 rows.
    const replay = await send(QUEUED, site.origin, { siteKey: site.siteKey, events })
    expect(await replay.json()).toEqual({ accepted: 100, duplicates: 0 })
    await settle()
    expect(await stored(site.siteKey)).toHaveLength(100)
  })

  it('retries a message that fails alone: the others of its batch are written at once', async () => {
    const ready = await createSite()
    // A site that exists only later: its message fails (as a lagging read would) and is retried.
    const later = { siteKey: uniqueSiteKey(), origin: '' }
    later.origin = originOf(later.siteKey)
    await env.TOUCHPOINTS.sendBatch([
      { body: message(ready, 2), contentType: 'json' },
      { body: message(later, 3), contentType: 'json' },
      { body: message(ready, 1), contentType: 'json' },
    ])
    await untilStored(ready.siteKey, 3)
    expect(await stored(later.siteKey)).toHaveLength(0)
    const created = await admin(`/v1/admin/sites/${later.siteKey}`, 'PUT', {
      name: 'Later GmbH',
      allowedOrigins: [later.origin],
      locale: 'de',
    })
    expect(created.ok).toBe(true)
    await untilStored(later.siteKey, 3)
  })
})

describe('the touchpoint consumers', () => {
  it('acknowledges what it wrote and retries each failed message, never acknowledging it', async () => {
    const site = await createSite()
    const good = message(site, 2)
    const batch = createMessageBatch<unknown>(TOUCHPOINT_QUEUE, [
      { id: 'good', timestamp: new Date(), attempts: 1, body: good },
      { id: 'unreadable', timestamp: new Date(), attempts: 1, body: { siteKey: site.siteKey } },
      {
        id: 'no-site',
        timestamp: new Date(),
        attempts: 1,
        body: message({ siteKey: uniqueSiteKey(), origin: site.origin }),
      },
    ])
    const ctx = createExecutionContext()
    await worker.queue(batch, env)
    const result = await getQueueResult(batch, ctx)
    expect(result.ackAll).toBe(false)
    expect(result.explicitAcks).toEqual(['good'])
    expect(result.retryMessages.map((m) => m.msgId).sort()).toEqual(['no-site', 'unreadable'])
    expect(await stored(site.siteKey)).toHaveLength(2)
  })

  it('on the dead-letter queue writes what it can, keeps the rest for later and lets a deleted site’s go', async () => {
    const site = await createSite()
    const batch = createMessageBatch<unknown>(TOUCHPOINT_DEAD_LETTER_QUEUE, [
      { id: 'good', timestamp: new Date(), attempts: 1, body: message(site, 3) },
      { id: 'unreadable', timestamp: new Date(), attempts: 1, body: 'not a message' },
      {
        id: 'deleted-site',
        timestamp: new Date(),
        attempts: 1,
        body: message({ siteKey: uniqueSiteKey(), origin: site.origin }),
      },
    ])
    const ctx = createExecutionContext()
    await worker.queue(batch, env)
    const result = await getQueueResult(batch, ctx)
    expect(result.explicitAcks.sort()).toEqual(['deleted-site', 'good'])
    // Retried, not acknowledged: the dead-letter queue keeps it (getQueueResult records no delay).
    expect(result.retryMessages).toEqual([{ msgId: 'unreadable' }])
    expect(await stored(site.siteKey)).toHaveLength(3)
  })
})

describe('POST /v1/events written in the request', () => {
  it.each([
    ['TOUCHPOINT_QUEUE is "off"', { ...env, TOUCHPOINT_QUEUE: 'off' } as unknown as Env],
    ['no TOUCHPOINTS queue is bound', UNBOUND],
  ])('writes before it answers when %s, counting a replay as duplicates', async (_name, target) => {
    const site = await createSite()
    const events = [pageView(`${site.origin}/a`), pageView(`${site.origin}/b`)]
    const first = await send(target, site.origin, { siteKey: site.siteKey, events })
    expect(await first.json()).toEqual({ accepted: 2, duplicates: 0 })
    expect(await stored(site.siteKey)).toHaveLength(2)
    const replay = await send(target, site.origin, { siteKey: site.siteKey, events })
    expect(await replay.json()).toEqual({ accepted: 0, duplicates: 2 })
  })
})
