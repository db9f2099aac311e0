import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Problem } from '../../shared/problem'
import { WIDGET_TEXTS } from '../../shared/widget-texts'
import {
  demoRequestForm,
  fillWhitepaper,
  MIN_FILL_MS,
  startHarness,
  TURNSTILE_TEST_VARS,
  waitForForm,
  whitepaperForm,
  type Harness,
} from './harness'

/**
 * Cloudflare Turnstile (docs/spam-and-abuse.md#turnstile). The tests have no network: Cloudflare's
 * origin is answered by Playwright with a stand-in `api.js` that records its calls and hands out
 * Cloudflare's documented dummy token. The collector's own siteverify call cannot reach Cloudflare
 * either, so it fails closed and every submission is held as spam (422).
 */

const CLOUDFLARE = 'https://challenges.cloudflare.com'
const API = `${CLOUDFLARE}/turnstile/v0/api.js?render=explicit`
const DUMMY_TOKEN = 'XXXX.DUMMY.TOKEN.XXXX'

type Render = {
  sitekey: string
  language: string
  /** The container: its `slot` attribute, whether it is in the light DOM, what it is slotted into. */
  slot: string
  lightDom: boolean
  slottedInto: string | null
  hostForm: string | null
  hostPopup: string | null
}
type Calls = { renders: Render[]; resets: string[] }

/**
 * A stand-in for Cloudflare's script: `render` records its options and container, puts an
 * iframe from Cloudflare's origin into it (as the real one does, for `frame-src`) and, unless
 * `solve` is false, hands the dummy token to `callback`; `reset` hands out a fresh one.
 */
const fakeApi = (solve: boolean) => `
(() => {
  const calls = { renders: [], resets: [] }
  const callbacks = {}
  window.turnstileCalls = calls
  window.turnstile = {
    render(el, opts) {
      const id = 'w' + (calls.renders.length + 1)
      const host = el.parentElement
      calls.renders.push({
        sitekey: opts.sitekey,
        language: opts.language,
        slot: el.slot,
        lightDom: el.getRootNode() === document,
        slottedInto: el.assignedSlot ? el.assignedSlot.parentElement.localName : null,
        hostForm: host.getAttribute('data-lodestone-form'),
        hostPopup: host.getAttribute('data-lodestone-popup'),
      })
      const frame = document.createElement('iframe')
      frame.src = '${CLOUDFLARE}/cdn-cgi/challenge-platform/fake'
      frame.width = 300
      frame.height = 65
      el.append(frame)
      callbacks[id] = opts.callback
      if (${solve}) setTimeout(() => opts.callback('${DUMMY_TOKEN}'))
      return id
    },
    reset(id) {
      calls.resets.push(id)
      if (${solve}) setTimeout(() => callbacks[id]('${DUMMY_TOKEN}'))
    },
    remove() {},
  }
})()
`

let h: Harness

beforeAll(async () => {
  h = await startHarness({ vars: TURNSTILE_TEST_VARS })
})

afterAll(async () => {
  await h?.stop()
})

/** A page whose requests to Cloudflare are answered locally and counted; lead submissions are recorded. */
async function openPage(context: BrowserContext, siteKey: string, solve = true) {
  const page = await context.newPage()
  // Tall enough that nothing scrolls: Chromium may route a click made right after a scroll to
  // the cross-origin iframe by its pre-scroll position.
  await page.setViewportSize({ width: 1280, height: 1200 })
  const cloudflare: string[] = []
  const submissions: Record<string, unknown>[] = []
  await page.route(`${CLOUDFLARE}/**`, (route) => {
    const url = route.request().url()
    cloudflare.push(url)
    return url.startsWith(`${CLOUDFLARE}/turnstile/v0/api.js`)
      ? route.fulfill({ contentType: 'text/javascript', body: fakeApi(solve) })
      : route.fulfill({ contentType: 'text/html', body: '<!doctype html><p>challenge</p>' })
  })
  page.on('request', (request) => {
    if (request.method() === 'POST' && request.url() === `${h.collector}/v1/leads`)
      submissions.push(JSON.parse(request.postData() ?? '{}'))
  })
  // The minimum fill time counts from the signed start token, which may come after the form shows.
  const started = page.waitForResponse((r) => /\/forms\/[\w-]+\/start/.test(r.url()))
  await page.goto(`${h.pages}/${siteKey}/`)
  await started
  return { page, cloudflare, submissions }
}

const turnstileCalls = (page: Page) =>
  page.evaluate(() => (window as unknown as { turnstileCalls?: Calls }).turnstileCalls ?? null)

describe('Cloudflare Turnstile', () => {
  it('renders the widget with the site key, sends its token, and after a refusal resets it and shows the message', async () => {
    const siteKey = 'turnstile'
    await h.setupSite(siteKey, { 'whitepaper-2026': whitepaperForm(h.pages) }, { turnstile: true })
    const config = await (
      await fetch(`${h.collector}/v1/sites/${siteKey}/config`, { headers: { origin: h.pages } })
    ).json()
    expect(config.turnstile).toBe(TURNSTILE_TEST_VARS.TURNSTILE_SITE_KEY)

    const context = await h.newContext()
    await context.addInitScript(() => {
      const seen: string[] = []
      ;(window as unknown as { cspViolations: string[] }).cspViolations = seen
      document.addEventListener('securitypolicyviolation', (event) =>
        seen.push(`${event.violatedDirective} ${event.blockedURI}`),
      )
    })
    const { page, cloudflare, submissions } = await openPage(context, siteKey)
    const host = await waitForForm(page, 'whitepaper-2026')

    // (1) The script came once, explicit rendering, by a <script src> in <head>; render got the site key.
    await expect.poll(async () => (await turnstileCalls(page))?.renders.length).toBe(1)
    expect(cloudflare.filter((url) => url.includes('/api.js'))).toEqual([API])
    expect(
      await page.evaluate(
        (api) => [...document.head.querySelectorAll('script')].filter((s) => s.src === api).length,
        API,
      ),
    ).toBe(1)
    const [render] = (await turnstileCalls(page))!.renders
    expect(render).toEqual({
      sitekey: TURNSTILE_TEST_VARS.TURNSTILE_SITE_KEY,
      // The form's language: the page says German, but the form's texts are plain strings, so in
      // the site's locale, English; the widget follows its form (docs/wire-contract.md#texts-per-language).
      language: 'en',
      // A light-DOM child of the form's host, shown inside the form through a named slot.
      slot: 't',
      lightDom: true,
      slottedInto: 'form',
      hostForm: 'whitepaper-2026',
      hostPopup: null,
    })

    await page.waitForTimeout(MIN_FILL_MS)
    const form = await fillWhitepaper(page, 'whitepaper-2026', 'anna.berg@firma.de')
    const answered = page.waitForResponse((r) => r.url().endsWith('/v1/leads'))
    await form.locator('button[type="submit"]').click()
    const response = await answered

    // (2) The submission carried the token.
    expect(submissions).toHaveLength(1)
    expect(submissions[0]).toMatchObject({ turnstileToken: DUMMY_TOKEN })

    // (3) The collector could not confirm it (no network): refused, the message shown, the widget reset.
    expect(response.status()).toBe(422)
    const problem = (await response.json()) as Problem
    expect(problem.code, JSON.stringify(problem)).toBe('spam_suspected')
    // The widget says it in its own words, by the field's reason (docs/wire-contract.md#errors).
    expect(problem.errors).toContainEqual(
      expect.objectContaining({ path: 'turnstileToken', reason: 'turnstile' }),
    )
    await expect
      .poll(() => host.locator('[role="alert"]').textContent())
      .toBe(WIDGET_TEXTS.en.turnstile)
    expect((await turnstileCalls(page))!.resets).toEqual(['w1'])
    expect(await form.locator('#firstName').inputValue()).toBe('Anna')
    expect(await h.leads(siteKey)).toEqual([])

    // The reset token goes with the next try.
    const again = page.waitForResponse((r) => r.url().endsWith('/v1/leads'))
    await form.locator('button[type="submit"]').click()
    expect((await again).status()).toBe(422)
    expect(submissions).toHaveLength(2)
    expect(submissions[1]).toMatchObject({ turnstileToken: DUMMY_TOKEN })
    expect(submissions[1]!.submissionId).not.toBe(submissions[0]!.submissionId)
    await expect.poll(async () => (await turnstileCalls(page))!.resets).toEqual(['w1', 'w1'])
    expect(await h.leads(siteKey)).toEqual([])

    // The CSP that the README asks of Turnstile sites (script-src and frame-src) is enough.
    expect(
      await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations),
    ).toEqual([])
    expect(cloudflare).toContain(`${CLOUDFLARE}/cdn-cgi/challenge-platform/fake`)
    await context.close()
  })

  it('does not send a submission before Turnstile gave a token', async () => {
    const siteKey = 'turnstile-pending'
    await h.setupSite(siteKey, { 'whitepaper-2026': whitepaperForm(h.pages) }, { turnstile: true })
    const context = await h.newContext()
    const { page, submissions } = await openPage(context, siteKey, false)
    const host = await waitForForm(page, 'whitepaper-2026')
    await expect.poll(async () => (await turnstileCalls(page))?.renders.length).toBe(1)
    const form = await fillWhitepaper(page, 'whitepaper-2026', 'anna.berg@firma.de')
    await form.locator('button[type="submit"]').click()
    await expect.poll(() => host.locator('[role="alert"]').textContent()).toBe('Please confirm.')
    await page.waitForTimeout(300)
    expect(submissions).toEqual([])
    await context.close()
  })

  it('loads the script once for an inline form and a popup, each with its own widget', async () => {
    const siteKey = 'turnstile-popup'
    await h.setupSite(
      siteKey,
      {
        'whitepaper-2026': whitepaperForm(h.pages),
        'demo-request': demoRequestForm({ trigger: 'click', value: '#book' }),
      },
      { turnstile: true },
    )
    const context = await h.newContext()
    const { page, cloudflare } = await openPage(context, siteKey)
    await waitForForm(page, 'whitepaper-2026')
    await expect.poll(async () => (await turnstileCalls(page))?.renders.length).toBe(1)
    await page.locator('#book').click()
    await page.locator('[data-lodestone-popup="demo-request"] dialog[open] form').waitFor()
    await expect.poll(async () => (await turnstileCalls(page))?.renders.length).toBe(2)
    const renders = (await turnstileCalls(page))!.renders
    expect(renders[1]).toMatchObject({
      language: 'en',
      lightDom: true,
      slottedInto: 'form',
      hostPopup: 'demo-request',
    })
    expect(cloudflare.filter((url) => url.includes('/api.js'))).toEqual([API])
    await context.close()
  })

  it('loads nothing of Turnstile on a site without it', async () => {
    const siteKey = 'turnstile-off'
    await h.setupSite(siteKey, { 'whitepaper-2026': whitepaperForm(h.pages) })
    const config = await (
      await fetch(`${h.collector}/v1/sites/${siteKey}/config`, { headers: { origin: h.pages } })
    ).json()
    expect(config).not.toHaveProperty('turnstile')
    const context = await h.newContext()
    const { page, cloudflare, submissions } = await openPage(context, siteKey)
    const host = await waitForForm(page, 'whitepaper-2026')
    await page.waitForTimeout(MIN_FILL_MS)
    const form = await fillWhitepaper(page, 'whitepaper-2026', 'anna.berg@firma.de')
    const answered = page.waitForResponse((r) => r.url().endsWith('/v1/leads'))
    await form.locator('button[type="submit"]').click()
    expect((await answered).status()).toBe(201)
    expect(submissions[0]).not.toHaveProperty('turnstileToken')
    expect(cloudflare).toEqual([])
    expect(await page.evaluate(() => 'turnstile' in window)).toBe(false)
    expect(await host.evaluate((el) => el.children.length)).toBe(0)
    await context.close()
  })
})
