import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import type { EventBatch, TouchpointInput } from '../../shared/events'
import { startHarness, type Harness } from './harness'

let h: Harness

beforeAll(async () => {
  h = await startHarness()
})

afterAll(async () => {
  await h?.stop()
})

/**
 * Headless Chromium keeps every page `visible` (another page brought to front, CDP focus
 * emulation and window minimising change nothing there), so the page is hidden and shown as a
 * browser does it for a tab switch: `document.hidden`/`visibilityState` change and
 * `visibilitychange` fires.
 */
const setHidden = (page: Page, hidden: boolean) =>
  page.evaluate((hidden) => {
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden })
    Object.defineProperty(document, 'visibilityState', {
      configurable: true,
      get: () => (hidden ? 'hidden' : 'visible'),
    })
    document.dispatchEvent(new Event('visibilitychange'))
  }, hidden)

async function openPage(siteKey: string, gpc = false) {
  await h.setupSite(siteKey, {})
  h.servePage(
    `/${siteKey}/`,
    `<!doctype html><html lang="en"><head><title>${siteKey}</title>
    <script async src="${h.collector}/w.js" data-site="${siteKey}" data-consent="granted"></script>
    </head><body><main><h1>Engaged</h1></main></body></html>`,
  )
  const context = await h.newContext({ gpc })
  const page = await context.newPage()
  const batches: EventBatch[] = []
  page.on('request', (request) => {
    if (request.url().endsWith('/v1/events'))
      batches.push(JSON.parse(request.postData()!) as EventBatch)
  })
  const first = page.waitForResponse((r) => r.url().endsWith('/v1/events'))
  await page.goto(`${h.pages}/${siteKey}/`)
  expect((await first).status()).toBe(202)
  const events = () => batches.flatMap((batch) => batch.events)
  const engaged = () => events().filter((event) => event.type === 'engaged_time')
  return { context, page, batches, events, engaged }
}

const stored = (siteKey: string) =>
  h.query<{ event_id: string; value: number; page_view_id: string; visitor_id: string | null }>(
    `SELECT event_id, value, page_view_id, visitor_id FROM touchpoints
     WHERE site_key = '${siteKey}' AND type = 'engaged_time' ORDER BY seq`,
  )

describe('engaged time', () => {
  it('sends one engaged_time of about the seconds the page was visible when it is hidden, and none accrues while hidden', async () => {
    const siteKey = 'engaged-visible'
    const { context, page, events, engaged } = await openPage(siteKey)
    const view = events().find((event) => event.type === 'page_view') as TouchpointInput
    await page.waitForTimeout(5_000)
    const sent = page.waitForRequest((r) => r.url().endsWith('/v1/events'))
    await setHidden(page, true)
    await sent
    expect(engaged()).toHaveLength(1)
    expect(engaged()[0]).toMatchObject({ pageViewId: view.id, url: view.url })
    expect(Math.abs(engaged()[0]!.value! - 5)).toBeLessThanOrEqual(1.5)

    // Hidden for 4 s, then visible for 2 s: the second one counts only the 2 s.
    await page.waitForTimeout(4_000)
    expect(engaged()).toHaveLength(1)
    await setHidden(page, false)
    await page.waitForTimeout(2_000)
    const again = page.waitForRequest((r) => r.url().endsWith('/v1/events'))
    await setHidden(page, true)
    await again
    expect(engaged()).toHaveLength(2)
    expect(Math.abs(engaged()[1]!.value! - 2)).toBeLessThanOrEqual(1.5)

    await expect.poll(() => stored(siteKey).length).toBe(2)
    expect(stored(siteKey).map((row) => row.page_view_id)).toEqual([view.id, view.id])
    await context.close()
  })

  it('sends the engaged time of the page view a single-page navigation replaces', async () => {
    const siteKey = 'engaged-spa'
    const { context, page, events, engaged } = await openPage(siteKey)
    await page.waitForTimeout(3_000)
    await page.evaluate(() => history.pushState({}, '', 'next'))
    await expect.poll(() => engaged().length, { timeout: 5_000 }).toBe(1)
    const views = events().filter((event) => event.type === 'page_view')
    expect(views.map((event) => new URL(event.url).pathname)).toEqual([
      `/${siteKey}/`,
      `/${siteKey}/next`,
    ])
    expect(engaged()[0]).toMatchObject({ pageViewId: views[0]!.id, url: views[0]!.url })
    expect(Math.abs(engaged()[0]!.value! - 3)).toBeLessThanOrEqual(1.5)
    await context.close()
  })

  it('with Global Privacy Control sends it the refusal way: no visitor id, stored without one', async () => {
    const siteKey = 'engaged-gpc'
    const { context, page, batches, engaged } = await openPage(siteKey, true)
    await page.waitForTimeout(3_000)
    const sent = page.waitForRequest((r) => r.url().endsWith('/v1/events'))
    await setHidden(page, true)
    await sent
    expect(engaged()).toHaveLength(1)
    const batch = batches.find((b) => b.events.some((event) => event.type === 'engaged_time'))!
    expect(batch.consent).toBe('refused')
    expect(batch).not.toHaveProperty('visitorId')
    await expect.poll(() => stored(siteKey).length).toBe(1)
    expect(stored(siteKey)[0]?.visitor_id).toBeNull()
    await context.close()
  })
})
