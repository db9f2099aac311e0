import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { runMaintenance } from '../../worker/src/db/maintenance'
import { findLead } from '../../worker/src/db/leads'
import { writeEvents } from '../../worker/src/db/outbound'
import { applyManualStage } from '../../worker/src/db/stage-change'
import { snapshotOfRow, stageChangedEvent } from '../../worker/src/services/outbound/events'
import { admin, createSite, expectProblem, leadBody, postLead } from './helpers'
import { createWebhook, eventually, newReceiver, steer } from './outbound'

/** Webhook admin routes refuse bad input with problem+json and store nothing (docs/outbound.md). */
async function storedWebhooks(siteKey: string): Promise<number> {
  const row = await env.DB.prepare(
    "SELECT count(*) AS n FROM endpoints WHERE site_key = ?1 AND kind = 'webhook'",
  )
    .bind(siteKey)
    .first<{ n: number }>()
  return row?.n ?? 0
}

describe('webhook admin errors', () => {
  it.each([
    'https://127.0.0.1/hook',
    'https://10.0.0.5/hook',
    'https://169.254.169.254/latest/meta-data',
    'https://[::1]/hook',
    'https://localhost/hook',
    'http://hooks.example.com/hook',
    'https://hooks.example.com:8080/hook',
  ])(
    'refuses the target %s with 422 target_not_allowed at the url, storing nothing',
    async (url) => {
      const site = await createSite()
      const response = await admin(`/v1/admin/sites/${site.siteKey}/webhooks/bad`, 'PUT', {
        url,
        events: ['lead.created'],
      })
      const problem = await expectProblem(response, 422, 'target_not_allowed')
      expect(problem.errors?.[0]?.path).toBe('url')
      expect(await storedWebhooks(site.siteKey)).toBe(0)
    },
  )

  it.each([
    [{ url: 'https://hooks.example.com/x', events: [] }, 'events'],
    [{ url: 'https://hooks.example.com/x', events: ['lead.deleted'] }, 'events.0'],
    [{ url: 'https://hooks.example.com/x', events: ['lead.created', 'lead.created'] }, 'events'],
    [{ url: 'javascript:alert(1)', events: ['lead.created'] }, 'url'],
    [{ url: 'https://hooks.example.com/x', events: ['lead.created'], secret: 'mine' }, '(body)'],
    [{ events: ['lead.created'] }, 'url'],
  ])('refuses the body %j with 422 at %s', async (body, path) => {
    const site = await createSite()
    const response = await admin(`/v1/admin/sites/${site.siteKey}/webhooks/bad`, 'PUT', body)
    const problem = await expectProblem(response, 422, 'validation_failed')
    expect(problem.errors?.map((e) => e.path)).toContain(path)
    expect(await storedWebhooks(site.siteKey)).toBe(0)
  })

  it('refuses a webhook id that is no slug, and answers 404 for unknown webhooks and deliveries', async () => {
    const site = await createSite()
    const bad = await admin(`/v1/admin/sites/${site.siteKey}/webhooks/Not%20A%20Slug`, 'PUT', {
      url: 'https://hooks.example.com/x',
      events: ['lead.created'],
    })
    await expectProblem(bad, 422, 'validation_failed')
    for (const [path, method] of [
      ['webhooks/nope', 'DELETE'],
      ['webhooks/nope/secret', 'POST'],
      ['webhooks/nope/deliveries', 'GET'],
    ] as const) {
      await expectProblem(
        await admin(`/v1/admin/sites/${site.siteKey}/${path}`, method),
        404,
        'webhook_not_found',
      )
    }
    await createWebhook(site.siteKey, 'real', {
      url: newReceiver().url,
      events: ['lead.created'],
    })
    await expectProblem(
      await admin(
        `/v1/admin/sites/${site.siteKey}/webhooks/real/deliveries/dlv_000000000000000000000000/retry`,
        'POST',
      ),
      404,
      'delivery_not_found',
    )
    await expectProblem(
      await admin(`/v1/admin/sites/${site.siteKey}/webhooks/real/deliveries/12/retry`, 'POST'),
      422,
      'validation_failed',
    )
    await expectProblem(
      await admin(`/v1/admin/sites/${site.siteKey}/webhooks/real/deliveries?limit=1000`, 'GET'),
      422,
      'validation_failed',
    )
    await expectProblem(
      await admin(`/v1/admin/sites/nosuchsite/webhooks`, 'GET'),
      404,
      'site_not_found',
    )
  })

  it('keeps at most 20 webhooks a site', async () => {
    const site = await createSite()
    for (let i = 0; i < 20; i++) {
      await createWebhook(site.siteKey, `hook-${i}`, {
        url: newReceiver().url,
        events: ['lead.created'],
      })
    }
    const more = await admin(`/v1/admin/sites/${site.siteKey}/webhooks/hook-20`, 'PUT', {
      url: newReceiver().url,
      events: ['lead.created'],
    })
    await expectProblem(more, 422, 'validation_failed')
    expect(await storedWebhooks(site.siteKey)).toBe(20)
  })
})

describe('outbound guards', () => {
  it('writes no event for a stage change another write beat (the version moved meanwhile)', async () => {
    const site = await createSite()
    await createWebhook(site.siteKey, 'stages', {
      url: newReceiver().url,
      events: ['lead.stage_changed'],
    })
    const created = await postLead(site, leadBody(site))
    const { leadId } = (await created.json()) as { leadId: string }
    const lead = await findLead(env.DB, site.siteKey, leadId)
    // Another request changes the lead between this one's read and write.
    await env.DB.prepare('UPDATE leads SET version = version + 1 WHERE id = ?1').bind(leadId).run()
    const now = new Date().toISOString()
    const applied = await applyManualStage(
      env.DB,
      {
        siteKey: site.siteKey,
        leadId,
        expectedVersion: lead!.version,
        from: lead!.stage,
        to: 'opportunity',
        tokenId: 'root',
        reason: null,
        value: null,
        now,
      },
      [
        stageChangedEvent(
          snapshotOfRow(lead!),
          { from: lead!.stage, to: 'opportunity', cause: 'manual', now },
          null,
        ),
      ],
    )
    expect(applied).toBeNull()
    const events = await env.DB.prepare(
      "SELECT count(*) AS n FROM outbound_events WHERE lead_id = ?1 AND type = 'lead.stage_changed'",
    )
      .bind(leadId)
      .first<{ n: number }>()
    expect(events?.n).toBe(0)
  })

  it('answers 409 delivery_in_flight for a retry by hand while an attempt holds the delivery', async () => {
    const site = await createSite()
    const receiver = newReceiver()
    await steer(receiver.name, { status: 500 })
    await createWebhook(site.siteKey, 'busy', { url: receiver.url, events: ['lead.created'] })
    await postLead(site, leadBody(site))
    const delivery = await eventually(
      () =>
        env.DB.prepare('SELECT delivery_id FROM outbound_deliveries WHERE site_key = ?1')
          .bind(site.siteKey)
          .first<{ delivery_id: string }>(),
      (row) => row !== null,
    )
    await env.DB.prepare('UPDATE outbound_deliveries SET lease_until = ?2 WHERE delivery_id = ?1')
      .bind(delivery!.delivery_id, new Date(Date.now() + 60_000).toISOString())
      .run()
    const path = `/v1/admin/sites/${site.siteKey}/webhooks/busy/deliveries/${delivery!.delivery_id}/retry`
    await expectProblem(await admin(path, 'POST'), 409, 'delivery_in_flight')
  })

  it('forgets settled deliveries and their events after 30 days, keeping pending ones', async () => {
    const site = await createSite()
    await createWebhook(site.siteKey, 'old', { url: newReceiver().url, events: ['spam.held'] })
    const long = new Date(Date.now() - 40 * 86_400_000).toISOString()
    const [settled, pending] = await writeEvents(env.DB, [
      { siteKey: site.siteKey, leadId: null, type: 'spam.held', data: { n: 1 }, now: long },
      { siteKey: site.siteKey, leadId: null, type: 'spam.held', data: { n: 2 }, now: long },
    ])
    await env.DB.prepare(
      "UPDATE outbound_deliveries SET status = 'succeeded', updated_at = ?2 WHERE event_id = ?1",
    )
      .bind(settled, long)
      .run()
    await env.DB.prepare(
      'INSERT INTO outbound_attempts (delivery_id, attempted_at, duration_ms, status_code) SELECT delivery_id, ?2, 5, 204 FROM outbound_deliveries WHERE event_id = ?1',
    )
      .bind(settled, long)
      .run()
    const result = await runMaintenance(env.DB, new Date())
    expect(result.outbound).toBeGreaterThanOrEqual(2)
    const left = await env.DB.prepare(
      'SELECT event_id FROM outbound_events WHERE event_id IN (?1, ?2)',
    )
      .bind(settled, pending)
      .all<{ event_id: string }>()
    expect(left.results.map((r) => r.event_id)).toEqual([pending])
    const attempts = await env.DB.prepare(
      'SELECT count(*) AS n FROM outbound_attempts a JOIN outbound_deliveries d USING (delivery_id) WHERE d.event_id = ?1',
    )
      .bind(settled)
      .first<{ n: number }>()
    expect(attempts?.n).toBe(0)
  })

  it('pages through deliveries of one time without skipping or repeating one', async () => {
    const site = await createSite()
    await createWebhook(site.siteKey, 'pages', { url: newReceiver().url, events: ['spam.held'] })
    const at = new Date(Date.now() - 3600_000).toISOString()
    await writeEvents(
      env.DB,
      Array.from({ length: 5 }, (_, n) => ({
        siteKey: site.siteKey,
        leadId: null,
        type: 'spam.held' as const,
        data: { n },
        now: at,
      })),
    )
    const seen: string[] = []
    let before: string | null = null
    for (let page = 0; page < 5; page++) {
      const query: string = before ? `&before=${encodeURIComponent(before)}` : ''
      const response = await admin(
        `/v1/admin/sites/${site.siteKey}/webhooks/pages/deliveries?limit=2${query}`,
        'GET',
      )
      expect(response.status).toBe(200)
      const body = (await response.json()) as {
        deliveries: { deliveryId: string }[]
        next: string | null
      }
      seen.push(...body.deliveries.map((d) => d.deliveryId))
      before = body.next
      if (!before) break
    }
    expect(seen).toHaveLength(5)
    expect(new Set(seen).size).toBe(5)
    await expectProblem(
      await admin(
        `/v1/admin/sites/${site.siteKey}/webhooks/pages/deliveries?before=yesterday`,
        'GET',
      ),
      422,
      'validation_failed',
    )
  })
})
