/**
 * Setup mistakes say what is wrong (widget/README.md#setup-mistakes): a page whose origin the
 * site does not allow gets one console line naming the origin to add, a collector that cannot
 * be reached leaves the placeholder's own fallback text in view, and `/docs` renders with no
 * network but the collector's own.
 */
import type { ConsoleMessage, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FormInput } from '../../shared/form'
import { startHarness, waitForForm, type Harness } from './harness'

let h: Harness

beforeAll(async () => {
  h = await startHarness()
})

afterAll(async () => {
  await h?.stop()
})

const NEWSLETTER: FormInput = {
  kind: 'newsletter',
  title: 'Newsletter',
  fields: [{ name: 'email', type: 'email', required: true, label: 'Email' }],
  consents: [
    { purpose: 'marketing_email', text: 'Send me the newsletter by email.', required: true },
  ],
}

const FALLBACK = 'Our sign-up form is unavailable right now.'

/** Every console message of the page, as Chromium reports it (network and CORS errors included). */
function recordConsole(page: Page): ConsoleMessage[] {
  const messages: ConsoleMessage[] = []
  page.on('console', (message) => messages.push(message))
  return messages
}

/** Whether the placeholder has a mounted form (a shadow root) and what a visitor reads in it. */
const placeholder = (page: Page) =>
  page.evaluate(() => {
    const el = document.querySelector<HTMLElement>('[data-lodestone-form]')!
    return { mounted: el.shadowRoot !== null, text: el.innerText.trim() }
  })

describe('a page whose origin the site does not allow', () => {
  it('logs one console line naming the origin to add, and keeps the fallback text', async () => {
    const siteKey = 'wrong-origin'
    await h.setupSite(
      siteKey,
      { newsletter: NEWSLETTER },
      { allowedOrigins: ['https://www.elsewhere.example'] },
    )
    const context = await h.newContext()
    const page = await context.newPage()
    const messages = recordConsole(page)
    const config = page.waitForResponse((r) => r.url().endsWith(`/v1/sites/${siteKey}/config`))
    await page.goto(`${h.pages}/${siteKey}/`)
    expect((await config).status()).toBe(403)
    await expect
      .poll(() => messages.filter((m) => m.text().startsWith('Lodestone:')).length)
      .toBe(1)
    // The page view's batch is refused too (403, dropped): give it time to say anything more.
    await page.waitForTimeout(2_000)

    const lines = messages.filter((m) => m.text().startsWith('Lodestone:'))
    expect(lines.map((m) => [m.type(), m.text()])).toEqual([
      [
        'error',
        `Lodestone: This page's origin ${h.pages} is not in the allowed origins of site "${siteKey}"; add it to the site's allowedOrigins (PUT /v1/admin/sites/${siteKey}).`,
      ],
    ])
    // The refusal is readable: Chrome reports no CORS failure, only the status of the answer.
    expect(messages.filter((m) => /CORS/i.test(m.text())).map((m) => m.text())).toEqual([])
    expect(await placeholder(page)).toEqual({
      mounted: false,
      text: expect.stringContaining(FALLBACK),
    })
    await context.close()
  })
})

describe('a collector that cannot be reached', () => {
  it('leaves the placeholder showing its fallback text, whether w.js or the configuration fails', async () => {
    const siteKey = 'collector-down'
    await h.setupSite(siteKey, { newsletter: NEWSLETTER })
    const collector = new URL(h.collector).origin

    // Down altogether: not even w.js loads.
    const down = await h.newContext()
    await down.route(
      (url) => url.origin == collector,
      (route) => route.abort('connectionrefused'),
    )
    const page = await down.newPage()
    await page.goto(`${h.pages}/${siteKey}/`)
    await page.waitForTimeout(1_500)
    expect(await placeholder(page)).toEqual({
      mounted: false,
      text: expect.stringContaining(FALLBACK),
    })
    expect(await page.getByText(FALLBACK).isVisible()).toBe(true)
    await down.close()

    // w.js from a cache, the collector failing behind it: the configuration answers 503.
    const failing = await h.newContext()
    await failing.route('**/v1/sites/*/config', (route) =>
      route.fulfill({ status: 503, contentType: 'text/plain', body: 'down' }),
    )
    const second = await failing.newPage()
    const answered = second.waitForResponse((r) => r.url().includes('/config'))
    await second.goto(`${h.pages}/${siteKey}/`)
    await answered
    await second.waitForTimeout(1_000)
    expect(await placeholder(second)).toEqual({
      mounted: false,
      text: expect.stringContaining(FALLBACK),
    })
    await failing.close()

    // Up: the form mounts over the placeholder and the fallback text is no longer seen.
    const up = await h.newContext()
    const third = await up.newPage()
    await third.goto(`${h.pages}/${siteKey}/`)
    await waitForForm(third, 'newsletter')
    expect((await placeholder(third)).mounted).toBe(true)
    expect(await third.getByText(FALLBACK).isVisible()).toBe(false)
    await up.close()
  })
})

describe('GET /docs', () => {
  it('renders the API reference with no network but the collector', async () => {
    const collector = new URL(h.collector).origin
    const context = await h.newContext()
    const elsewhere: string[] = []
    // The network is off: any request to another origin fails (and is recorded).
    await context.route(
      (url) => url.origin != collector,
      (route) => {
        elsewhere.push(route.request().url())
        return route.abort('internetdisconnected')
      },
    )
    const page = await context.newPage()
    const response = await page.goto(`${h.collector}/docs`)
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'")
    // An operation's summary from the OpenAPI document, rendered by the reference.
    await page
      .getByText("The site's forms, fields, consent texts and locale, for the widget")
      .first()
      .waitFor({ timeout: 30_000 })
    await expect.poll(() => page.title()).toContain('Lodestone')
    expect(elsewhere).toEqual([])
    await context.close()
  })
})
