import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { createSite, leadBody, postLead } from './helpers'
import { createWebhook, deliveries, eventually, newReceiver, received } from './outbound'

/** Replays of one submission (docs/outbound.md#events): one event, one webhook-id. */
describe('webhook replays', () => {
  it('writes one lead.created for 2,000 replays of one submission', async () => {
    const site = await createSite()
    const receiver = newReceiver()
    await createWebhook(site.siteKey, 'replays', { url: receiver.url, events: ['lead.created'] })
    const body = leadBody(site)
    const statuses: number[] = []
    for (let round = 0; round < 20; round++) {
      const answers = await Promise.all(
        // From many networks, as a storm of retries through proxies would come, so the per-network
        // rate limit does not answer for the collector.
        Array.from({ length: 100 }, (_, i) =>
          postLead(site, body, { ip: `100.${round + 1}.${i + 1}.9` }).then((r) => r.status),
        ),
      )
      statuses.push(...answers)
    }
    const counts = Object.fromEntries(
      [...new Set(statuses)].map((s) => [s, statuses.filter((x) => x === s).length]),
    )
    expect(counts).toEqual({ 201: 1, 200: 1999 })
    const events = await env.DB.prepare(
      "SELECT count(*) AS n FROM outbound_events WHERE site_key = ?1 AND type = 'lead.created'",
    )
      .bind(site.siteKey)
      .first<{ n: number }>()
    expect(events?.n).toBe(1)
    const log = await eventually(
      () => received(receiver.name),
      (r) => r.length >= 1,
    )
    await new Promise((resolve) => setTimeout(resolve, 1000))
    // One event, one webhook-id. (Under this load an attempt may outlast the timeout and be sent
    // again, as at-least-once delivery allows: the receiver drops it by its id.)
    const ids = new Set((await received(receiver.name)).map((hit) => hit.headers['webhook-id']))
    expect(ids.size).toBe(1)
    const [delivery, ...more] = (await deliveries(site.siteKey, 'replays')).deliveries
    expect(more).toEqual([])
    expect(delivery).toMatchObject({ type: 'lead.created', status: 'succeeded' })
  }, 120_000)
})
