import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { runMaintenance } from '../../../worker/src/db/maintenance'
import {
  noteOriginActivity,
  originActivityNote,
  recordRefusal,
} from '../../../worker/src/db/origin-activity'
import {
  admin,
  BASE,
  call,
  createSite,
  expectProblem,
  pageView,
  postEvents,
  scopedToken,
} from '../helpers'
import { fetchConfig, readInstall, refusalRows, refusalsRecorded } from './install-data'

describe('GET /v1/admin/sites/{siteKey}/install', () => {
  it('answers the snippet, each form with its placeholder, and no page view yet', async () => {
    const site = await createSite()
    const install = await readInstall(site.siteKey)
    expect(install.collectorUrl).toBe(BASE)
    expect(install.snippet).toBe(
      `<script async src="${BASE}/w.js" data-site="${site.siteKey}"></script>`,
    )
    expect(install.forms).toEqual([
      {
        formId: 'wp',
        title: 'Whitepaper 2026',
        placeholder: '<div data-lodestone-form="wp"></div>',
      },
    ])
    expect(install.origins).toEqual([
      { origin: site.origin, firstPageViewAt: null, lastEventAt: null },
    ])
    expect(install.refused).toEqual([])
    expect(install.lastEvents).toEqual([])
  })

  it("shows an allowed origin's first page view, its last event and the newest events", async () => {
    const site = await createSite()
    const before = new Date().toISOString()
    const formView = {
      ...pageView(`${site.origin}/whitepaper?utm_source=x`),
      type: 'form_view',
      formId: 'wp',
    }
    expect(
      (await postEvents(site.origin, { siteKey: site.siteKey, events: [formView] })).status,
    ).toBe(202)
    let install = await readInstall(site.siteKey)
    // A form view is an event but not a page view.
    expect(install.origins[0]!.firstPageViewAt).toBeNull()
    expect(install.origins[0]!.lastEventAt! >= before).toBe(true)
    const view = pageView(`${site.origin}/pricing`)
    expect((await postEvents(site.origin, { siteKey: site.siteKey, events: [view] })).status).toBe(
      202,
    )
    install = await readInstall(site.siteKey)
    expect(install.origins[0]!.firstPageViewAt! >= before).toBe(true)
    expect(install.lastEvents).toEqual([
      {
        type: 'page_view',
        path: '/pricing',
        origin: site.origin,
        formId: null,
        receivedAt: expect.any(String),
      },
      {
        type: 'form_view',
        path: '/whitepaper',
        origin: site.origin,
        formId: 'wp',
        receivedAt: expect.any(String),
      },
    ])
  })

  it('keeps the first page view and moves the last event at most once a minute', async () => {
    const site = await createSite()
    await postEvents(site.origin, { siteKey: site.siteKey, events: [pageView(`${site.origin}/`)] })
    const first = (await readInstall(site.siteKey)).origins[0]!
    expect(first.firstPageViewAt).not.toBeNull()
    await postEvents(site.origin, { siteKey: site.siteKey, events: [pageView(`${site.origin}/a`)] })
    expect((await readInstall(site.siteKey)).origins[0]).toEqual(first)
  })

  it('adds the activity statement to a batch only when the row may change', async () => {
    const site = await createSite()
    const t0 = Date.now()
    const note = (hasPageView: boolean, ms: number) =>
      originActivityNote(env.DB, site.siteKey, site.origin, hasPageView, new Date(t0 + ms))
    const run = async (hasPageView: boolean, ms: number) => {
      const activity = note(hasPageView, ms)
      if (!activity) return false
      await activity.statement.run()
      activity.noted()
      return true
    }
    const row = () =>
      env.DB.prepare(
        'SELECT first_page_view_at, last_event_at FROM origin_activity WHERE site_key = ?1',
      )
        .bind(site.siteKey)
        .first<{ first_page_view_at: string | null; last_event_at: string }>()
    const at = (ms: number) => new Date(t0 + ms).toISOString()
    // A form event first: the last event, no page view yet.
    expect(await run(false, 0)).toBe(true)
    expect(await row()).toEqual({ first_page_view_at: null, last_event_at: at(0) })
    // Within the minute: nothing more for other events, but the first page view is written.
    expect(await run(false, 10_000)).toBe(false)
    expect(await run(true, 20_000)).toBe(true)
    expect(await row()).toEqual({ first_page_view_at: at(20_000), last_event_at: at(20_000) })
    expect(await run(true, 30_000)).toBe(false)
    // A minute later the last event moves; the first page view stays.
    expect(await run(true, 81_000)).toBe(true)
    expect(await row()).toEqual({ first_page_view_at: at(20_000), last_event_at: at(81_000) })
    // Another isolate (no memory of these writes) within the minute changes nothing either.
    await noteOriginActivity(env.DB, site.siteKey, site.origin, true, new Date(t0 + 90_000)).run()
    expect(await row()).toEqual({ first_page_view_at: at(20_000), last_event_at: at(81_000) })
  })

  it('lists at most the 20 newest events', async () => {
    const site = await createSite()
    const events = Array.from({ length: 25 }, (_, i) => pageView(`${site.origin}/p${i}`))
    await postEvents(site.origin, { siteKey: site.siteKey, events })
    expect((await readInstall(site.siteKey)).lastEvents).toHaveLength(20)
  })
})

describe('refused origins', () => {
  it('answers the page exactly as before and records the origin, the time and the kind of request', async () => {
    const site = await createSite()
    const page = 'https://shop.forgotten.example'
    const refused = await fetchConfig(site.siteKey, page)
    const problem = await expectProblem(refused, 403, 'origin_not_allowed')
    expect(problem.detail).toContain(page)
    expect(refused.headers.get('access-control-allow-origin')).toBe(page)
    const [row] = await refusalsRecorded(site.siteKey, 1)
    expect(row).toMatchObject({
      origin: page,
      count: 1,
      last_request: 'config',
      last_path: `/v1/sites/${site.siteKey}/config`,
    })
    const install = await readInstall(site.siteKey)
    expect(install.refused).toEqual([
      {
        origin: page,
        firstAt: row!.first_at,
        lastAt: row!.last_at,
        count: 1,
        lastRequest: 'config',
        lastPath: `/v1/sites/${site.siteKey}/config`,
      },
    ])
  })

  it('names events and leads as the kind of refused request', async () => {
    const site = await createSite()
    const events = await postEvents('https://events.forgotten.example', {
      siteKey: site.siteKey,
      events: [pageView('https://events.forgotten.example/')],
    })
    await expectProblem(events, 403, 'origin_not_allowed')
    const rows = await refusalsRecorded(site.siteKey, 1)
    expect(rows.map((row) => [row.origin, row.last_request, row.last_path])).toEqual([
      ['https://events.forgotten.example', 'events', '/v1/events'],
    ])
  })

  it('writes a row at most once a minute and counts the refusals in between at the next write', async () => {
    const siteKey = (await createSite()).siteKey
    const refusal = {
      siteKey,
      origin: 'https://flood.example',
      request: 'config' as const,
      path: `/v1/sites/${siteKey}/config`,
    }
    const t0 = Date.now()
    expect(await recordRefusal(env.DB, refusal, new Date(t0))).toBe(true)
    for (let i = 1; i <= 5; i++)
      expect(await recordRefusal(env.DB, refusal, new Date(t0 + i * 1000))).toBe(false)
    let [row] = await refusalRows(siteKey)
    expect(row).toMatchObject({ count: 1, last_at: new Date(t0).toISOString() })
    expect(await recordRefusal(env.DB, refusal, new Date(t0 + 61_000))).toBe(true)
    ;[row] = await refusalRows(siteKey)
    expect(row).toMatchObject({
      count: 7,
      first_at: new Date(t0).toISOString(),
      last_at: new Date(t0 + 61_000).toISOString(),
    })
  })

  it('keeps at most 20 origins a site; further new ones are not stored, known ones still count', async () => {
    const siteKey = (await createSite()).siteKey
    const t0 = Date.now()
    for (let i = 0; i < 25; i++) {
      await recordRefusal(
        env.DB,
        { siteKey, origin: `https://o${i}.example`, request: 'events', path: '/v1/events' },
        new Date(t0),
      )
    }
    const rows = await refusalRows(siteKey)
    expect(rows).toHaveLength(20)
    expect(rows.map((row) => row.origin)).not.toContain('https://o24.example')
    await recordRefusal(
      env.DB,
      { siteKey, origin: 'https://o0.example', request: 'leads', path: '/v1/leads' },
      new Date(t0 + 61_000),
    )
    expect(
      (await refusalRows(siteKey)).find((row) => row.origin === 'https://o0.example'),
    ).toMatchObject({ count: 2, last_request: 'leads' })
    expect((await readInstall(siteKey)).refused).toHaveLength(20)
  })

  it('purges a refusal record 30 days after its last refusal', async () => {
    const siteKey = (await createSite()).siteKey
    const old = { siteKey, origin: 'https://old.example', request: 'config' as const, path: '/' }
    const recent = { ...old, origin: 'https://recent.example' }
    await recordRefusal(env.DB, old, new Date(Date.now() - 31 * 86_400_000))
    await recordRefusal(env.DB, recent, new Date(Date.now() - 29 * 86_400_000))
    const result = await runMaintenance(env.DB, new Date())
    expect(result.refusals).toBeGreaterThanOrEqual(1)
    expect((await refusalRows(siteKey)).map((row) => row.origin)).toEqual([
      'https://recent.example',
    ])
  })
})

describe('POST /v1/admin/sites/{siteKey}/origins', () => {
  it('allows the origin, clears its refusal, and the page then gets its configuration', async () => {
    const site = await createSite()
    const page = 'https://shop.forgotten.example'
    await expectProblem(await fetchConfig(site.siteKey, page), 403, 'origin_not_allowed')
    await refusalsRecorded(site.siteKey, 1)
    const response = await admin(`/v1/admin/sites/${site.siteKey}/origins`, 'POST', {
      origin: page,
    })
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ allowedOrigins: [site.origin, page] })
    expect(await refusalRows(site.siteKey)).toEqual([])
    const install = await readInstall(site.siteKey)
    expect(install.refused).toEqual([])
    expect(install.origins.map((entry) => entry.origin)).toEqual([site.origin, page])
    expect((await fetchConfig(site.siteKey, page)).status).toBe(200)
    // The preflight of a JSON submission from that page is answered too (the origin index).
    const preflight = await call('/v1/leads', {
      method: 'OPTIONS',
      headers: { origin: page, 'access-control-request-method': 'POST' },
    })
    expect(preflight.status).toBe(204)
  })

  it('is idempotent and changes nothing else of the site', async () => {
    const site = await createSite({ name: 'Kept GmbH', country: 'AT' })
    const page = 'https://again.example'
    for (let i = 0; i < 2; i++) {
      const response = await admin(`/v1/admin/sites/${site.siteKey}/origins`, 'POST', {
        origin: page,
      })
      expect(await response.json()).toEqual({ allowedOrigins: [site.origin, page] })
    }
    const stored = (await env.DB.prepare('SELECT * FROM sites WHERE site_key = ?1')
      .bind(site.siteKey)
      .first()) as { name: string; country: string; allowed_origins: string }
    expect(stored).toMatchObject({ name: 'Kept GmbH', country: 'AT' })
    expect(JSON.parse(stored.allowed_origins)).toEqual([site.origin, page])
  })

  it('lands two origins allowed at the same time', async () => {
    const site = await createSite()
    const origins = ['https://one.example', 'https://two.example', 'https://three.example']
    const answers = await Promise.all(
      origins.map((origin) => admin(`/v1/admin/sites/${site.siteKey}/origins`, 'POST', { origin })),
    )
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200])
    const { results } = await env.DB.prepare(
      'SELECT origin FROM site_origins WHERE site_key = ?1 ORDER BY origin',
    )
      .bind(site.siteKey)
      .all<{ origin: string }>()
    expect(results.map((row) => row.origin)).toEqual([...origins, site.origin].sort())
  })

  it('lets an admin token of the site allow an origin', async () => {
    const site = await createSite()
    const token = await scopedToken(site.siteKey, ['site:admin'])
    const response = await admin(
      `/v1/admin/sites/${site.siteKey}/origins`,
      'POST',
      { origin: 'http://localhost:8788' },
      token,
    )
    expect(await response.json()).toEqual({
      allowedOrigins: [site.origin, 'http://localhost:8788'],
    })
  })
})
