import { createRequire } from 'node:module'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { demoRequestForm, MIN_FILL_MS, startHarness, type Harness } from './harness'

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js')

type AxeResult = { violations: { id: string; nodes: { target: unknown }[] }[] }

let h: Harness

beforeAll(async () => {
  h = await startHarness()
})

afterAll(async () => {
  await h?.stop()
})

const DIALOG = '[data-lodestone-popup="demo-request"] dialog'

/** Waits until the page has loaded the form chunk, which arms the popup triggers. */
async function openPage(page: Page, url: string) {
  const chunk = page.waitForResponse((r) => /\/f-[\w-]+\.js$/.test(r.url()))
  await page.goto(url)
  await chunk
  await page.waitForFunction(() => document.readyState === 'complete')
  await page.waitForTimeout(100)
}

/** A real pointer leaving the window through its top edge. */
async function exitIntent(page: Page) {
  await page.mouse.move(400, 300)
  await page.mouse.move(400, 5, { steps: 4 })
  await page.mouse.move(400, -10)
}

describe('popups', () => {
  it('opens on exit intent and respects its frequency cap (with consent: once per session)', async () => {
    const siteKey = 'exit-intent-popup'
    await h.setupSite(siteKey, {
      'demo-request': demoRequestForm({ trigger: 'exit_intent', frequency: 'session' }),
      contact: { ...demoRequestForm(undefined), kind: 'contact_sales', title: 'Contact us' },
    })
    const context = await h.newContext()
    const page = await context.newPage()
    await openPage(page, `${h.pages}/${siteKey}/`)
    expect(await page.locator(DIALOG).count()).toBe(0)

    await exitIntent(page)
    const dialog = page.locator(DIALOG)
    await dialog.waitFor()
    expect(await dialog.evaluate((el: HTMLDialogElement) => el.open)).toBe(true)
    // Keyboard focus starts in the form, and Escape closes the popup.
    expect(await page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.id)).toBe(
      'email',
    )
    await page.keyboard.press('Escape')
    await expect.poll(() => page.locator(DIALOG).count()).toBe(0)

    await exitIntent(page)
    await page.waitForTimeout(300)
    expect(await page.locator(DIALOG).count()).toBe(0)

    // Another page of the same session: the cap holds (sessionStorage, allowed by the consent).
    await openPage(page, `${h.pages}/${siteKey}/?next`)
    await exitIntent(page)
    await page.waitForTimeout(300)
    expect(await page.locator(DIALOG).count()).toBe(0)

    // What reached D1: the visitor's journey, linked by a lead from an inline form on a third page.
    await openPage(page, `${h.pages}/${siteKey}/contact.html`)
    await exitIntent(page)
    await page.waitForTimeout(300)
    expect(await page.locator(DIALOG).count()).toBe(0)
    await page.waitForTimeout(MIN_FILL_MS)
    const form = page.locator('[data-lodestone-form="contact"] form')
    await form.locator('#email').fill('popup.visitor@firma.de')
    await form.locator('input[name="consent:marketing_email"]').check()
    const answered = page.waitForResponse((r) => r.url().endsWith('/v1/leads'))
    await form.locator('button[type="submit"]').click()
    expect((await answered).status()).toBe(201)
    const [summary] = await h.leads(siteKey)
    const lead = await h.lead(siteKey, summary!.leadId)
    const popupViews = lead.journey.filter(
      (item) => item.type === 'form_view' && item.formId === 'demo-request',
    )
    expect(popupViews).toHaveLength(1)
    expect(lead.journey.filter((item) => item.type === 'page_view')).toHaveLength(3)
    await context.close()
  })

  it('without consent keeps its cap in memory only: nothing stored, capped for the page, back after a reload', async () => {
    const siteKey = 'exit-intent-no-consent'
    await h.setupSite(siteKey, {
      'demo-request': demoRequestForm({ trigger: 'exit_intent', frequency: 'session' }),
    })
    const context = await h.newContext()
    const page = await context.newPage()
    await openPage(page, `${h.pages}/${siteKey}/`)
    await exitIntent(page)
    await page.locator(DIALOG).waitFor()
    // The open popup passes an axe-core scan too.
    await page.addScriptTag({ path: AXE })
    const violations = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run: (context: unknown) => Promise<AxeResult> } })
        .axe
      const result = await axe.run(document.querySelector('[data-lodestone-popup]'))
      return result.violations.map(({ id, nodes }) => ({ id, nodes: nodes.map((n) => n.target) }))
    })
    expect(violations).toEqual([])
    await page.getByRole('button', { name: 'Close' }).click()
    await expect.poll(() => page.locator(DIALOG).count()).toBe(0)
    await exitIntent(page)
    await page.waitForTimeout(300)
    expect(await page.locator(DIALOG).count()).toBe(0)
    expect(
      await page.evaluate(() => ({ local: localStorage.length, session: sessionStorage.length })),
    ).toEqual({ local: 0, session: 0 })

    await openPage(page, `${h.pages}/${siteKey}/`)
    await exitIntent(page)
    await page.locator(DIALOG).waitFor()
    await context.close()
  })

  it('opens by its mobile trigger on a phone, where exit intent cannot fire, and keeps exit intent on a desktop', async () => {
    const siteKey = 'mobile-popup'
    await h.setupSite(siteKey, {
      'demo-request': demoRequestForm({
        trigger: 'exit_intent',
        frequency: 'session',
        mobile: { trigger: 'scroll_up', value: 50 },
      }),
    })
    const scrollPage = (page: Page, y: number) =>
      page.evaluate(
        (top) =>
          new Promise((done) => {
            addEventListener('scroll', done, { once: true })
            window.scrollTo(0, top)
          }),
        y,
      )
    const phone = await h.browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    })
    let page = await phone.newPage()
    await openPage(page, `${h.pages}/${siteKey}/`)
    expect(await page.evaluate(() => matchMedia('(hover: none)').matches)).toBe(true)
    // Reading down past half the page opens nothing, nor does a small scroll back.
    await scrollPage(page, 1800)
    await scrollPage(page, 1750)
    await page.waitForTimeout(300)
    expect(await page.locator(DIALOG).count()).toBe(0)
    // Heading back up: the popup opens.
    await scrollPage(page, 1200)
    await page.locator(DIALOG).waitFor()
    expect(await page.locator(DIALOG).evaluate((el: HTMLDialogElement) => el.open)).toBe(true)
    await phone.close()

    // A desktop with a mouse: the same scrolling opens nothing; the pointer leaving does.
    const desktop = await h.newContext()
    page = await desktop.newPage()
    await openPage(page, `${h.pages}/${siteKey}/`)
    expect(await page.evaluate(() => matchMedia('(hover: none)').matches)).toBe(false)
    await scrollPage(page, 2000)
    await scrollPage(page, 1000)
    await page.waitForTimeout(300)
    expect(await page.locator(DIALOG).count()).toBe(0)
    await exitIntent(page)
    await page.locator(DIALOG).waitFor()
    await desktop.close()
  })

  it('causes zero layout shift when it opens (PerformanceObserver, layout-shift entries)', async () => {
    const siteKey = 'popup-layout-shift'
    await h.setupSite(siteKey, {
      'demo-request': demoRequestForm({ trigger: 'delay', value: 1, frequency: 'session' }),
    })
    const context = await h.newContext()
    const page = await context.newPage()
    await page.goto(`${h.pages}/${siteKey}/`)
    await page.locator(DIALOG).waitFor()
    await page.waitForTimeout(500)
    // `buffered` replays every layout shift since navigation (Layout Instability API).
    const measure = () =>
      page.evaluate(
        () =>
          new Promise<number>((resolve) => {
            new PerformanceObserver((list) =>
              resolve(
                list
                  .getEntries()
                  .reduce((sum, entry) => sum + (entry as unknown as { value: number }).value, 0),
              ),
            ).observe({ type: 'layout-shift', buffered: true })
            setTimeout(() => resolve(0), 1_000)
          }),
      )
    expect(await measure()).toBe(0)
    // Control: the same measurement does see a shift when content is pushed down.
    await page.evaluate(() => {
      const spacer = document.createElement('div')
      spacer.style.height = '120px'
      document.body.prepend(spacer)
    })
    await page.waitForTimeout(300)
    expect(await measure()).toBeGreaterThan(0)
    // The popup sits in the top layer, over the page, not in its flow.
    expect(await page.locator(DIALOG).evaluate((el) => getComputedStyle(el).position)).toBe('fixed')
    await context.close()
  })
})
