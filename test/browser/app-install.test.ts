import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Install } from '../../shared/install'
import { apiAs, signInWithToken } from './app'
import { axeViolations } from './axe'
import {
  fillWhitepaper,
  MIN_FILL_MS,
  startHarness,
  waitForForm,
  whitepaperForm,
  type Harness,
} from './harness'

/**
 * The Install screen (docs/app.md#install) as a site owner uses it: the snippet and a form's
 * placeholder copied with the Copy buttons into a page of their own, whose form then brings a
 * lead into the app; a page on an origin the site does not allow shows up in the installation
 * check, and "Allow this origin" makes its form render.
 */
const SITE = 'app-install'
const WRONG = 'app-install-wrong'
const REFRESH = 'app-install-refresh'
const FORM = 'whitepaper-2026'
let h: Harness

beforeAll(async () => {
  h = await startHarness()
  await h.setupSite(SITE, { [FORM]: whitepaperForm(h.pages) }, { name: 'Install GmbH' })
  await h.setupSite(WRONG, { [FORM]: whitepaperForm(h.pages) }, { name: 'Wrong origin GmbH' })
  await h.setupSite(REFRESH, {}, { name: 'Refresh GmbH' })
}, 60_000)

afterAll(async () => {
  await h?.stop()
})

async function signedIn(locale = 'en-GB'): Promise<{ context: BrowserContext; page: Page }> {
  const context = await h.newContext({ locale })
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: h.collector })
  const page = await context.newPage()
  await signInWithToken(page, h)
  return { context, page }
}

/** Clicks a Copy button and answers what it put on the clipboard. */
async function copy(page: Page, name: RegExp): Promise<string> {
  const button = page.getByRole('button', { name })
  await button.click()
  await button.locator('xpath=..').getByRole('status').getByText('Copied.').waitFor()
  return page.evaluate(() => navigator.clipboard.readText())
}

const pageWith = (head: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title>${head}</head><body><h1>Shop</h1>${body}</body></html>`

describe('the Install screen', () => {
  it('copies the snippet and a placeholder into a page whose form brings a lead into the app', async () => {
    const { context, page } = await signedIn()
    await page.goto(`${h.collector}/app/${SITE}/install`)
    await page.getByRole('heading', { name: 'Install', level: 1 }).waitFor()
    const snippet = await copy(page, /^Copy script tag$/)
    expect(snippet).toBe(`<script async src="${h.collector}/w.js" data-site="${SITE}"></script>`)
    const placeholder = await copy(page, /^Copy placeholder of “Whitepaper 2026”$/)
    expect(placeholder).toBe(`<div data-lodestone-form="${FORM}"></div>`)
    // Nothing arrived yet from the allowed origin.
    await page.getByText(`${h.pages}: No page view yet.`, { exact: false }).waitFor()

    h.servePage(`/${SITE}/shop.html`, pageWith(snippet, placeholder))
    const visitor = await (await h.newContext()).newPage()
    await visitor.goto(`${h.pages}/${SITE}/shop.html`)
    await waitForForm(visitor, FORM)
    await visitor.waitForTimeout(MIN_FILL_MS)
    const form = await fillWhitepaper(visitor, FORM, 'copied.snippet@firma.de')
    const submitted = visitor.waitForResponse((r) => r.url().endsWith('/v1/leads'))
    await form.locator('button[type="submit"]').click()
    expect((await submitted).status()).toBe(201)

    // The check shows the page view (Check again, not waiting for the 15 s refresh).
    await page.getByRole('button', { name: 'Check again' }).click()
    await page.getByText(/First page view received/).waitFor()
    const events = page.getByRole('region', { name: 'Last events' })
    await events.getByRole('cell', { name: '/app-install/shop.html' }).first().waitFor()

    await page.goto(`${h.collector}/app/${SITE}/leads`)
    await page.getByText('copied.snippet@firma.de').waitFor()
    await context.close()
    await visitor.context().close()
  })

  it('shows a page on an origin that is not allowed, and allowing it makes the form render', async () => {
    const { context, page } = await signedIn()
    const wrongPage = `${h.otherPages}/${WRONG}/shop.html`
    const install = await apiAs<Install>(h, `/v1/admin/sites/${WRONG}/install`)
    h.servePage(
      `/${WRONG}/shop.html`,
      pageWith(install.body.snippet, install.body.forms[0]!.placeholder),
    )
    const visitor = await (await h.newContext()).newPage()
    const refused = visitor.waitForResponse((r) => r.url().includes(`/v1/sites/${WRONG}/config`))
    await visitor.goto(wrongPage)
    expect((await refused).status()).toBe(403)
    await visitor.waitForTimeout(500)
    expect(
      await visitor
        .locator(`[data-lodestone-form="${FORM}"]`)
        .evaluate((host) => !!host.shadowRoot),
    ).toBe(false)

    await page.goto(`${h.collector}/app/${WRONG}/install`)
    const warning = page.locator('.install-warning', { hasText: h.otherPages })
    // Recorded just after the refusal's answer; Check again until it is there.
    await expect
      .poll(
        async () => {
          if (await warning.count()) return true
          await page.getByRole('button', { name: 'Check again' }).click()
          await page.waitForTimeout(300)
          return false
        },
        { timeout: 10_000 },
      )
      .toBe(true)
    expect(await warning.textContent()).toMatch(
      new RegExp(
        `Pages on ${h.otherPages} tried to load the widget (once|\\d+ times) \\(last .+\\) but that origin is not allowed`,
      ),
    )
    await warning.getByRole('button', { name: `Allow this origin ${h.otherPages}` }).click()
    await page.getByRole('status').getByText(`${h.otherPages} is allowed now.`).waitFor()
    // The focus moves from the button that left to what happened.
    expect(await page.evaluate(() => document.activeElement?.textContent ?? '')).toContain(
      'is allowed now',
    )
    await warning.waitFor({ state: 'detached' })
    await page.getByText(`${h.otherPages}: No page view yet.`, { exact: false }).waitFor()

    await visitor.reload()
    await waitForForm(visitor, FORM)
    await context.close()
    await visitor.context().close()
  })

  it('selects the text for the keyboard where the browser refuses the clipboard', async () => {
    const context = await h.newContext({ locale: 'en-GB' })
    // As a browser without clipboard access answers: the write is refused.
    await context.addInitScript(() => {
      Object.defineProperty(Navigator.prototype, 'clipboard', {
        get: () => ({
          writeText: () => Promise.reject(new DOMException('denied', 'NotAllowedError')),
        }),
      })
    })
    const page = await context.newPage()
    await signInWithToken(page, h)
    await page.goto(`${h.collector}/app/${SITE}/install`)
    const button = page.getByRole('button', { name: /^Copy script tag$/ })
    await button.click()
    await button
      .locator('xpath=..')
      .getByRole('status')
      .getByText('The text is selected; copy it with Ctrl+C (⌘C on a Mac).')
      .waitFor()
    expect(await page.evaluate(() => window.getSelection()?.toString())).toBe(
      `<script async src="${h.collector}/w.js" data-site="${SITE}"></script>`,
    )
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(
      'Script tag',
    )
    await context.close()
  })

  it('checks again by itself every 15 seconds while the screen is visible', async () => {
    const { context, page } = await signedIn()
    await page.goto(`${h.collector}/app/${REFRESH}/install`)
    await page.getByText(`${h.pages}: No page view yet.`, { exact: false }).waitFor()
    // A page view arrives while the owner watches the screen, without a click.
    const sent = await fetch(`${h.collector}/v1/events`, {
      method: 'POST',
      headers: { origin: h.pages, 'content-type': 'text/plain' },
      body: JSON.stringify({
        siteKey: REFRESH,
        events: [
          {
            id: crypto.randomUUID(),
            type: 'page_view',
            ts: new Date().toISOString(),
            url: `${h.pages}/landing`,
            referrer: '',
          },
        ],
      }),
    })
    expect(sent.status).toBe(202)
    const started = Date.now()
    await page.getByText(/First page view received/).waitFor({ timeout: 20_000 })
    expect(Date.now() - started).toBeGreaterThan(1_000)
    await page
      .getByRole('region', { name: 'Last events' })
      .getByRole('cell', { name: '/landing' })
      .waitFor()
    await context.close()
  })

  for (const locale of ['de-DE', 'en-GB'])
    for (const viewport of [
      { width: 1280, height: 800 },
      { width: 390, height: 844 },
    ])
      it(`the screen has no axe violations (${locale}, ${viewport.width}px)`, async () => {
        const { context, page } = await signedIn(locale)
        await page.setViewportSize(viewport)
        // A refused origin, so the warning and its button are on the screen too.
        await fetch(`${h.collector}/v1/sites/${SITE}/config`, {
          headers: { origin: 'https://forgotten.example' },
        })
        await page.goto(`${h.collector}/app/${SITE}/install`)
        await page.locator('.install-check, #install-check').first().waitFor()
        await expect
          .poll(
            async () => {
              if (await page.locator('.install-warning').count()) return true
              await page.getByRole('button', { name: /Check again|Erneut prüfen/ }).click()
              await page.waitForTimeout(300)
              return false
            },
            { timeout: 10_000 },
          )
          .toBe(true)
        await page
          .getByRole('button', { name: /^(Copy|Kopieren)/ })
          .first()
          .click()
        await page
          .getByRole('status')
          .getByText(/Copied|Kopiert/)
          .waitFor()
        expect(await axeViolations(page)).toEqual([])
        await context.close()
      })
})
