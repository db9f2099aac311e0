import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Site } from '../../shared/site'
import { apiAs, signInWithToken } from './app'
import { axeViolations } from './axe'
import { demoRequestForm, startHarness, waitForForm, whitepaperForm, type Harness } from './harness'

/**
 * Theming (widget/README.md#theming): the site's theme reaches the widget on a customer's page,
 * where the page's own rules on the placeholder and its `::part()` rules still win; the app's
 * Design screen warns of a low contrast in words and its save changes the widget.
 */
const SITE = 'app-design'
const FORM = 'whitepaper-2026'
let h: Harness

beforeAll(async () => {
  h = await startHarness()
  await h.setupSite(
    SITE,
    {
      [FORM]: whitepaperForm(h.pages),
      demo: demoRequestForm({ trigger: 'click', value: '#book-demo', frequency: 'session' }),
    },
    { theme: { accent: '#0f766e', radius: '2px', border: '#444444' } },
  )
}, 60_000)

afterAll(async () => {
  await h?.stop()
})

/** The computed styles of the widget's button and email input on the fixture page, in a new context. */
async function widgetStyles() {
  const context = await h.newContext()
  const page = await context.newPage()
  await page.goto(`${h.pages}/${SITE}/`)
  const host = await waitForForm(page, FORM)
  const read = (selector: string, props: string[]) =>
    host
      .locator(selector)
      .evaluate(
        (element, names) =>
          Object.fromEntries(
            names.map((name) => [name, getComputedStyle(element).getPropertyValue(name)]),
          ),
        props,
      )
  const button = await read('button[type="submit"]', [
    'background-color',
    'text-transform',
    'border-top-left-radius',
  ])
  const input = await read('#email', ['border-top-color', 'border-top-left-radius'])
  await context.close()
  return { button, input }
}

async function signedIn(locale = 'en-GB') {
  const context = await h.newContext({ locale })
  const page = await context.newPage()
  await signInWithToken(page, h)
  await page.goto(`${h.collector}/app/${SITE}/design`)
  await page.locator('.design-grid').waitFor()
  await sampleReady(page)
  return { context, page }
}

const sampleReady = (page: Page) => page.locator('.sample form button').waitFor()

describe('theming', () => {
  it("shows the site's accent and border; the page's own placeholder rule and ::part(button) win", async () => {
    const { button, input } = await widgetStyles()
    expect(button['background-color']).toBe('rgb(15, 118, 110)')
    expect(input['border-top-color']).toBe('rgb(68, 68, 68)')
    // The theme says 2px; the page's --lodestone-radius on the placeholder says 12px and wins.
    expect(input['border-top-left-radius']).toBe('12px')
    // The page's ::part(button) rule beats the form's own stylesheet.
    expect(button['text-transform']).toBe('uppercase')
    expect(button['border-top-left-radius']).toBe('999px')
  })

  it("gives a popup the site's theme too", async () => {
    const context = await h.newContext()
    const page = await context.newPage()
    await page.goto(`${h.pages}/${SITE}/`)
    await waitForForm(page, FORM)
    await page.locator('#book-demo').click()
    const button = page.locator('[data-lodestone-popup="demo"] button[type="submit"]')
    await button.waitFor()
    expect(await button.evaluate((element) => getComputedStyle(element).backgroundColor)).toBe(
      'rgb(15, 118, 110)',
    )
    await context.close()
  })

  it('the Design screen warns of a low-contrast border in words, and saving changes the widget', async () => {
    const { context, page } = await signedIn()
    expect(await page.getByLabel('Accent (button)', { exact: true }).inputValue()).toBe('#0f766e')
    await page.getByLabel('Border', { exact: true }).fill('#dddddd')
    const warning = page.locator('.contrast-list .low')
    await expect
      .poll(() => warning.textContent())
      .toContain('Border on background: 1.35:1, needs 3:1')
    // The sample shows the border as typed.
    await expect
      .poll(() =>
        page
          .locator('.sample #company')
          .evaluate((element) => getComputedStyle(element).borderTopColor),
      )
      .toBe('rgb(221, 221, 221)')
    await page.getByLabel('Border', { exact: true }).fill('#595959')
    await expect.poll(() => warning.count()).toBe(0)
    await page.getByLabel('Accent (button)', { exact: true }).fill('#7c2d12')
    await page.getByRole('button', { name: 'Save' }).click()
    await page.getByText('Saved.').waitFor()
    const site = await apiAs<Site>(h, `/v1/admin/sites/${SITE}`)
    expect(site.body.theme).toEqual({ accent: '#7c2d12', radius: '2px', border: '#595959' })
    // The rest of the site stayed as it was.
    expect(site.body.allowedOrigins).toEqual([h.pages])
    const { button, input } = await widgetStyles()
    expect(button['background-color']).toBe('rgb(124, 45, 18)')
    expect(input['border-top-color']).toBe('rgb(89, 89, 89)')
    await context.close()
  })

  it('refuses a font that would break out of its CSS declaration, beside the field', async () => {
    const { context, page } = await signedIn()
    await page.getByLabel('Font', { exact: true }).fill('Arial;}:host{display:none')
    await page.getByRole('button', { name: 'Save' }).click()
    await expect
      .poll(() => page.getByLabel('Font', { exact: true }).getAttribute('aria-invalid'))
      .toBe('true')
    expect(await page.locator('#theme-font-error').textContent()).toContain('font-family list')
    await context.close()
  })

  for (const locale of ['de-DE', 'en-GB'])
    for (const viewport of [
      { width: 1280, height: 800 },
      { width: 390, height: 844 },
    ])
      it(`the Design screen has no axe violations (${locale}, ${viewport.width}px)`, async () => {
        const { context, page } = await signedIn(locale)
        await page.setViewportSize(viewport)
        // With a warning showing.
        await page.locator('#theme-border').fill('#eeeeee')
        await page.locator('.contrast-list .low').waitFor()
        expect(await axeViolations(page)).toEqual([])
        await context.close()
      })
})
