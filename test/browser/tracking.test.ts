import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EventBatch } from '../../shared/events'
import type { LeadSubmission } from '../../shared/leads'
import { fillWhitepaper, MIN_FILL_MS, startHarness, whitepaperForm, type Harness } from './harness'

let h: Harness

beforeAll(async () => {
  h = await startHarness()
})

afterAll(async () => {
  await h?.stop()
})

/** Submits the whitepaper form once the minimum fill time has passed, and answers the new lead. */
async function submitWhitepaper(
  page: import('playwright-core').Page,
  siteKey: string,
  email: string,
) {
  await page.waitForTimeout(MIN_FILL_MS)
  const form = await fillWhitepaper(page, 'whitepaper-2026', email)
  const answered = page.waitForResponse((r) => r.url().endsWith('/v1/leads'))
  await form.locator('button[type="submit"]').click()
  expect((await answered).status()).toBe(201)
  const [summary] = await h.leads(siteKey)
  expect(summary?.email).toBe(email)
  return h.lead(siteKey, summary!.leadId)
}

describe('touchpoint tracking', () => {
  it('records a page view with its UTM parameters and links it to the lead', async () => {
    const siteKey = 'utm-page-view'
    await h.setupSite(siteKey, { 'whitepaper-2026': whitepaperForm(h.pages) })
    const context = await h.newContext()
    const page = await context.newPage()
    const events = page.waitForResponse((r) => r.url().endsWith('/v1/events'))
    await page.goto(
      `${h.pages}/${siteKey}/?utm_source=linkedin&utm_medium=paid&utm_campaign=q4-whitepaper&gclid=abc123`,
    )
    const sent = await events
    expect(sent.status()).toBe(202)
    const batch = JSON.parse(sent.request().postData()!) as EventBatch
    // The page view carries its URL with the query; the collector reads UTM and click ids from it.
    expect(batch.events[0]).toMatchObject({ type: 'page_view' })
    expect(batch.events[0]!.url).toContain('utm_source=linkedin')
    expect(
      h.query<{ props: string }>(
        `SELECT props FROM touchpoints WHERE site_key = '${siteKey}' AND type = 'page_view'`,
      ),
    ).toEqual([{ props: JSON.stringify({ gclid: 'abc123' }) }])

    const lead = await submitWhitepaper(page, siteKey, 'utm.visitor@firma.de')
    const view = lead.journey.find((item) => item.type === 'page_view')
    expect(view?.utm).toEqual({ source: 'linkedin', medium: 'paid', campaign: 'q4-whitepaper' })
    expect(lead.firstTouch).toMatchObject({ source: 'linkedin', campaign: 'q4-whitepaper' })
    await context.close()
  })

  it('installs one global, replays the calls queued before it loaded and drops what the contract would refuse', async () => {
    const siteKey = 'queued-calls'
    await h.setupSite(siteKey, { 'whitepaper-2026': whitepaperForm(h.pages) })
    const context = await h.newContext()
    const page = await context.newPage()
    const batches: EventBatch[] = []
    page.on('request', (request) => {
      if (request.url().endsWith('/v1/events'))
        batches.push(JSON.parse(request.postData()!) as EventBatch)
    })
    const errors: string[] = []
    page.on('pageerror', (error) => errors.push(error.message))
    const first = page.waitForResponse((r) => r.url().endsWith('/v1/events'))
    await page.goto(`${h.pages}/${siteKey}/`)
    expect((await first).status()).toBe(202)

    // The form's own form_view may ride in the same batch; the rest is one page view and the queued click.
    const events = batches
      .flatMap((batch) => batch.events)
      .filter((event) => event.type !== 'form_view')
    expect(events.map((event) => event.type).sort()).toEqual(['cta_click', 'page_view'])
    expect(events.find((event) => event.type === 'cta_click')?.props).toEqual({
      label: 'early',
      count: '3',
    })
    // The queued consent call took effect: the batch carries the stored visitor id.
    const visitorId = await page.evaluate(() => localStorage.getItem('lodestone.v'))
    expect(batches[0]?.visitorId).toBe(visitorId)
    expect(errors).toEqual([])

    const lead = await submitWhitepaper(page, siteKey, 'queued.calls@firma.de')
    expect(lead.journey.filter((item) => item.type === 'page_view')).toHaveLength(1)
    expect(lead.journey.filter((item) => item.type === 'cta_click')).toHaveLength(1)
    await context.close()
  })

  it('records a second page view on single-page-app navigation', async () => {
    const siteKey = 'spa-navigation'
    await h.setupSite(siteKey, { 'whitepaper-2026': whitepaperForm(h.pages) })
    const context = await h.newContext()
    const page = await context.newPage()
    const views: string[] = []
    page.on('request', (request) => {
      if (!request.url().endsWith('/v1/events')) return
      const batch = JSON.parse(request.postData()!) as EventBatch
      for (const event of batch.events) if (event.type === 'page_view') views.push(event.url)
    })
    await page.goto(`${h.pages}/${siteKey}/`)
    await page.getByRole('link', { name: 'Pricing' }).click()
    // The form placeholder appears only after navigation: the loader mounts it as it comes.
    await page.getByRole('link', { name: 'Whitepaper' }).click()
    await page.locator('[data-lodestone-form] form').waitFor()

    const lead = await submitWhitepaper(page, siteKey, 'spa.visitor@firma.de')
    // The journey reads newest first; the visit, oldest first.
    const journey = lead.journey.filter((item) => item.type === 'page_view').reverse()
    expect(journey.map((item) => new URL(item.url).pathname)).toEqual([
      `/${siteKey}/`,
      `/${siteKey}/pricing`,
      `/${siteKey}/whitepaper`,
    ])
    // Each in-app page names the one before as its referrer.
    expect(journey[1]?.referrer).toBe(`${h.pages}/${siteKey}/`)
    expect(views).toHaveLength(3)
    await context.close()
  })

  it('with Global Privacy Control sends no visitor id and stores nothing on the device', async () => {
    const siteKey = 'gpc'
    await h.setupSite(siteKey, { 'whitepaper-2026': whitepaperForm(h.pages) })
    const context = await h.newContext({ gpc: true })
    const page = await context.newPage()
    const sent: { url: string; body: string | null }[] = []
    page.on('request', (request) => {
      if (request.url().startsWith(h.collector))
        sent.push({ url: request.url(), body: request.postData() })
    })
    const events = page.waitForResponse((r) => r.url().endsWith('/v1/events'))
    // The page says `data-consent="granted"` and its banner grants tracking: GPC still wins.
    await page.goto(`${h.pages}/${siteKey}/`)
    expect((await events).status()).toBe(202)
    await page.waitForTimeout(MIN_FILL_MS)
    const form = await fillWhitepaper(page, 'whitepaper-2026', 'gpc.visitor@firma.de')
    // Even the form's own tracking checkbox cannot override the browser's signal.
    await form.locator('input[name="consent:tracking"]').check()
    const answered = page.waitForResponse((r) => r.url().endsWith('/v1/leads'))
    await form.locator('button[type="submit"]').click()
    expect((await answered).status()).toBe(201)
    await page.waitForTimeout(1_500) // the form_submit touchpoint's batch

    const batches = sent.filter((request) => request.url.endsWith('/v1/events'))
    expect(batches.length).toBeGreaterThan(1)
    for (const request of [...batches, ...sent.filter((r) => r.url.endsWith('/v1/leads'))]) {
      expect(JSON.parse(request.body!) as EventBatch | LeadSubmission).not.toHaveProperty(
        'visitorId',
      )
    }
    for (const request of sent) expect(request.url).not.toContain('visitorId')
    // Every batch says tracking was refused, so the collector never joins it to a lead.
    for (const request of batches) {
      expect(JSON.parse(request.body!) as EventBatch).toMatchObject({ consent: 'refused' })
    }
    expect(
      await page.evaluate(() => ({ local: localStorage.length, session: sessionStorage.length })),
    ).toEqual({ local: 0, session: 0 })
    expect(await context.cookies()).toEqual([])
    const [lead] = await h.leads(siteKey)
    expect(lead?.email).toBe('gpc.visitor@firma.de')
    await context.close()
  })

  it('marks every batch after a refusal as refused and drops the visitor id', async () => {
    const siteKey = 'refusal'
    await h.setupSite(siteKey, { 'whitepaper-2026': whitepaperForm(h.pages) })
    const context = await h.newContext()
    const page = await context.newPage()
    const first = page.waitForResponse((r) => r.url().endsWith('/v1/events'))
    await page.goto(`${h.pages}/${siteKey}/`)
    // The page granted tracking: its first batch carries the visitor id and no refusal.
    const granted = JSON.parse((await first).request().postData()!) as EventBatch
    expect(granted.visitorId).toBeDefined()
    expect(granted).not.toHaveProperty('consent')

    await page.evaluate(() => {
      localStorage.setItem('lodestone.p.popup', '1')
      sessionStorage.setItem('lodestone.s.whitepaper-2026', '1')
      localStorage.setItem('host.own', 'kept')
    })
    // The visitor withdraws in the banner; the site passes it on.
    await page.evaluate(() =>
      (window as unknown as { lodestone: (c: string, a: object) => void }).lodestone('consent', {
        tracking: false,
      }),
    )
    const refused = page.waitForRequest(
      (r) => r.url().endsWith('/v1/events') && r.postData()!.includes('cta_click'),
    )
    await page.getByRole('button', { name: 'Talk to sales' }).click()
    const batch = JSON.parse((await refused).postData()!) as EventBatch
    expect(batch.consent).toBe('refused')
    expect(batch).not.toHaveProperty('visitorId')
    // Everything the widget kept is gone, and nothing of the host's.
    expect(
      await page.evaluate(() => [...Object.keys(localStorage), ...Object.keys(sessionStorage)]),
    ).toEqual(['host.own'])
    await context.close()
  })

  it('delivers events queued while offline once, after reconnecting', async () => {
    const siteKey = 'offline-events'
    await h.setupSite(siteKey, { 'whitepaper-2026': whitepaperForm(h.pages) })
    const context = await h.newContext()
    const page = await context.newPage()
    const firstBatch = page.waitForResponse((r) => r.url().endsWith('/v1/events'))
    await page.goto(`${h.pages}/${siteKey}/`)
    await firstBatch

    await context.setOffline(true)
    const failed = page.waitForEvent('requestfailed', (r) => r.url().endsWith('/v1/events'))
    await page.getByRole('button', { name: 'Talk to sales' }).click()
    await failed // the batch could not go: it waits in the queue

    const delivered = page.waitForResponse(
      (r) => r.url().endsWith('/v1/events') && r.request().postData()!.includes('cta_click'),
    )
    await context.setOffline(false) // fires `online`: the loader sends at once
    expect((await delivered).status()).toBe(202)

    const lead = await submitWhitepaper(page, siteKey, 'offline.visitor@firma.de')
    const clicks = lead.journey.filter((item) => item.type === 'cta_click')
    expect(clicks).toHaveLength(1)
    await context.close()
  })

  it('keeps events that could not leave before the page was hidden and sends them from the next page (with consent)', async () => {
    const siteKey = 'offline-persisted'
    await h.setupSite(siteKey, { 'whitepaper-2026': whitepaperForm(h.pages) })
    const context = await h.newContext()
    const page = await context.newPage()
    const firstBatch = page.waitForResponse((r) => r.url().endsWith('/v1/events'))
    await page.goto(`${h.pages}/${siteKey}/`)
    await firstBatch

    await context.setOffline(true)
    await page.getByRole('button', { name: 'Talk to sales' }).click()
    // The visitor switches away: the loader would send a beacon, but offline it keeps the events.
    await page.evaluate(() => {
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => true })
      document.dispatchEvent(new Event('visibilitychange'))
    })
    const saved = await page.evaluate(() =>
      (JSON.parse(localStorage.getItem('lodestone.q') ?? '[]') as { type: string }[]).map(
        (event) => event.type,
      ),
    )
    expect(saved).toContain('cta_click')
    await page.close()

    await context.setOffline(false)
    const next = await context.newPage()
    // The next page resends what was kept. Chromium's offline emulation does not always hold
    // back a keepalive fetch of the closing page, so the click may instead have left from there;
    // either way it must arrive, and exactly once.
    const delivered = next.waitForResponse((r) => r.url().endsWith('/v1/events'))
    await next.goto(`${h.pages}/${siteKey}/`)
    expect((await delivered).status()).toBe(202)
    const lead = await submitWhitepaper(next, siteKey, 'persisted.visitor@firma.de')
    expect(lead.journey.filter((item) => item.type === 'cta_click')).toHaveLength(1)
    await context.close()
  })
})

export type { LeadSubmission }
