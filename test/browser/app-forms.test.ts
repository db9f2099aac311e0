import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FormDetail } from '../../shared/form'
import { apiAs, captureLeads, signInWithToken } from './app'
import { axeViolations } from './axe'
import { MIN_FILL_MS, startHarness, whitepaperForm, type Harness } from './harness'

/**
 * The form builder (docs/app.md#forms) as a new owner uses it: a site made in the app, a
 * whitepaper form made by keyboard alone while the preview (the built form chunk, with the
 * site's theme) follows, its snippet and placeholder copied into a page on another origin whose
 * submission arrives as a lead in the app; then an existing form reordered with the pointer and
 * by keyboard, a changed consent text shown as a new version, unsaved changes kept over a reload.
 */
const SITE = 'builder-site'
const EDITED = 'builder-edit'
let h: Harness

beforeAll(async () => {
  h = await startHarness()
  await h.setupSite(
    EDITED,
    { wp: whitepaperForm(h.pages) },
    { name: 'Edit GmbH', theme: { accent: '#7a1fa2' } },
  )
}, 60_000)

afterAll(async () => {
  await h?.stop()
})

async function tabTo(page: Page, selector: string, max = 120) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab')
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return
  }
  throw new Error(`Tab never reached ${selector}`)
}

async function signedIn(locale = 'en-GB') {
  const context = await h.newContext({ locale })
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: h.collector })
  const page = await context.newPage()
  await signInWithToken(page, h)
  return { context, page }
}

/** The preview's rendered form: the chunk's shadow root beside the editor. */
const preview = (page: Page) => page.locator('[data-preview] form')

describe('the form builder', () => {
  it('a new owner creates a site and a whitepaper form by keyboard, and its page brings a lead', async () => {
    const { context, page } = await signedIn()
    await page.goto(`${h.collector}/app/_new-site`)
    await page.locator('#site-key').fill(SITE)
    await page.locator('#site-name').fill('Builder GmbH')
    await page.locator('#site-origin-0').fill(h.pages)
    await page.getByRole('button', { name: 'Create the site' }).click()
    await page.waitForURL(`**/app/${SITE}/settings`)

    await page.goto(`${h.collector}/app/${SITE}/forms`)
    await page.getByText('No form yet.', { exact: false }).waitFor()
    expect(await axeViolations(page)).toEqual([])
    await tabTo(page, `main a[href="/app/${SITE}/forms/_new"]`)
    await page.keyboard.press('Enter')
    await page.getByRole('heading', { level: 1, name: 'New form' }).waitFor()
    await page.locator('#fb-formId').waitFor()

    // Keyboard only from here on.
    await tabTo(page, '#fb-formId')
    await page.keyboard.type('guide')
    await tabTo(page, '#fb-title-en')
    await page.keyboard.type('The pricing guide')
    // The preview follows the heading as it is typed.
    await preview(page).locator('h2', { hasText: 'The pricing guide' }).waitFor()
    await tabTo(page, '#fb-add-which')
    await page.keyboard.type('Company')
    await tabTo(page, 'button.secondary:not([disabled])')
    while ((await page.evaluate(() => document.activeElement?.textContent)) !== 'Add a field')
      await page.keyboard.press('Tab')
    await page.keyboard.press('Enter')
    // The new field's label takes the focus; the preview shows it.
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.id))
      .toBe('fb-fields-1-label-en')
    await preview(page).locator('#company').waitFor()
    while ((await page.evaluate(() => document.activeElement?.textContent)) !== 'Add a consent')
      await page.keyboard.press('Tab')
    await page.keyboard.press('Enter')
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.id))
      .toBe('fb-consents-0-text-en')
    await page.keyboard.type('Yes, send me the guide and news by email.')
    await tabTo(page, 'input[name="fb-after"]')
    await page.keyboard.press('ArrowDown')
    await tabTo(page, '#fb-asset-url')
    await page.keyboard.type('https://cdn.example/pricing-guide.pdf')
    await tabTo(page, '#fb-asset-filename')
    await page.keyboard.type('pricing-guide.pdf')
    await preview(page).getByText('Yes, send me the guide and news by email.').waitFor()
    await tabTo(page, 'button[type="submit"]')
    await page.keyboard.press('Enter')
    await page.waitForURL(`**/app/${SITE}/forms/guide`)
    await page.getByRole('heading', { level: 1, name: 'Form guide' }).waitFor()

    const stored = await apiAs<FormDetail>(h, `/v1/admin/sites/${SITE}/forms/guide`)
    expect(stored.body).toMatchObject({
      kind: 'whitepaper',
      title: { en: 'The pricing guide' },
      asset: { url: 'https://cdn.example/pricing-guide.pdf', filename: 'pricing-guide.pdf' },
    })
    expect(stored.body.fields.map((f) => f.name)).toEqual(['email', 'company'])
    expect(stored.body.consents[0]).toMatchObject({ purpose: 'marketing_email', version: 1 })

    // Install: the snippet and the placeholder go into a page on the site's origin.
    await page.goto(`${h.collector}/app/${SITE}/install`)
    const copy = async (name: RegExp) => {
      const button = page.getByRole('button', { name })
      await button.click()
      await button.locator('xpath=..').getByRole('status').getByText('Copied.').waitFor()
      return page.evaluate(() => navigator.clipboard.readText())
    }
    const snippet = await copy(/^Copy script tag$/)
    const placeholder = await copy(/^Copy placeholder of “The pricing guide”$/)
    h.servePage(
      `/${SITE}/guide.html`,
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Guide</title>${snippet}</head><body><h1>Guide</h1>${placeholder}</body></html>`,
    )
    const visitor = await (await h.newContext()).newPage()
    await visitor.goto(`${h.pages}/${SITE}/guide.html`)
    const form = visitor.locator('[data-lodestone-form="guide"] form')
    await form.waitFor()
    await visitor.waitForTimeout(MIN_FILL_MS)
    await form.locator('#email').fill('pricing.reader@firma.de')
    await form.locator('#company').fill('Firma GmbH')
    await form.locator('input[name="consent:marketing_email"]').check()
    const submitted = visitor.waitForResponse((r) => r.url().endsWith('/v1/leads'))
    await form.locator('button[type="submit"]').click()
    expect((await submitted).status()).toBe(201)

    await page.goto(`${h.collector}/app/${SITE}/leads`)
    await page.getByText('pricing.reader@firma.de').waitFor()
    await page.goto(`${h.collector}/app/${SITE}/forms`)
    await page.getByRole('link', { name: 'The pricing guide' }).waitFor()
    await context.close()
    await visitor.context().close()
  })

  it('reorders by pointer and keyboard, versions a changed consent, keeps unsaved changes', async () => {
    // One lead saw version 1 of the marketing consent.
    const first = await apiAs<FormDetail>(h, `/v1/admin/sites/${EDITED}/forms/wp`)
    const marketing = first.body.consents.find((c) => c.purpose === 'marketing_email')!
    await captureLeads(
      h,
      EDITED,
      'wp',
      [
        {
          fields: {
            email: 'seen.v1@firma.de',
            firstName: 'Vera',
            lastName: 'Eins',
            company: 'Firma GmbH',
            jobTitle: 'CMO',
          },
        },
      ],
      [{ purpose: 'marketing_email', granted: true, textId: marketing.textId }],
    )
    const { context, page } = await signedIn()
    await page.goto(`${h.collector}/app/${EDITED}/forms/wp`)
    await page.getByRole('heading', { level: 1, name: 'Form wp' }).waitFor()
    // The preview is the chunk's form with the site's accent on its button.
    const button = preview(page).locator('button[type="submit"]')
    await button.waitFor()
    expect(await button.evaluate((b) => getComputedStyle(b).backgroundColor)).toBe(
      'rgb(122, 31, 162)',
    )
    const order = () =>
      page.locator('.field-list > li h2').evaluateAll((hs) => hs.map((h) => h.textContent))
    const before = await order()
    expect(before[0]).toBe('Field 1: email')

    // Pointer: drag the second field's handle onto the first.
    await page.setViewportSize({ width: 1280, height: 1400 })
    const handle = page.locator('.field-list > li').nth(1).locator('.handle')
    await handle.scrollIntoViewIfNeeded()
    const target = await page.locator('.field-list > li').nth(0).boundingBox()
    const from = await handle.boundingBox()
    await page.mouse.move(from!.x + from!.width / 2, from!.y + from!.height / 2)
    await page.mouse.down()
    await page.locator('.field-list > li.dragging').waitFor()
    await page.mouse.move(target!.x + 20, target!.y + 10, { steps: 8 })
    await page.locator('.field-list > li.drop-here').waitFor()
    await page.mouse.up()
    await expect.poll(async () => (await order())[1]).toBe('Field 2: email')
    const dragged = await order()
    expect(dragged[0]).toBe(`Field 1: ${before[1]!.split(': ')[1]}`)
    expect(dragged[1]).toBe('Field 2: email')
    // The preview follows the new order.
    await expect
      .poll(() => preview(page).locator('input:not([type=hidden])').first().getAttribute('name'))
      .toBe(before[1]!.split(': ')[1])
    // Keyboard: Move up puts email first again, and says so.
    await page.getByRole('button', { name: 'Move up: email' }).focus()
    await page.keyboard.press('Enter')
    expect((await order())[0]).toBe('Field 1: email')
    await page.getByRole('status').getByText('email is now field 1.').waitFor()
    // Its Move up is now disabled, so the focus stays on the field's other Move button.
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label')))
      .toBe('Move down: email')

    // The consent text as saved shows its version and the lead that saw it; a change is a new one.
    const consentText = page.locator('#fb-consents-0-text-en')
    await page.getByText('Version 1; 1 leads of this form saw it.').waitFor()
    await consentText.fill('Ja, schicken Sie mir Neuigkeiten per E-Mail.')
    await page.getByText(/Changed text: saving makes it a new version/).waitFor()
    await page.getByText(/Seen so far: version 1 by 1 leads/).waitFor()
    expect(await axeViolations(page)).toEqual([])

    // A reload keeps the unsaved change (this tab's draft), and says so.
    page.on('dialog', (dialog) => void dialog.accept())
    await page.reload()
    await page.getByText('Your unsaved changes from this tab are back.').waitFor()
    expect(await page.locator('#fb-consents-0-text-en').inputValue()).toBe(
      'Ja, schicken Sie mir Neuigkeiten per E-Mail.',
    )
    // A length bound and a popup on a click are saved as given: a click has no phone trigger.
    await page.locator('#fb-fields-0-maxLength').fill('120')
    await page.getByLabel('As a popup', { exact: false }).check()
    await page.locator('#fb-popup-trigger').selectOption('click')
    await page.locator('#fb-popup-value').fill('#demo-button')
    expect(await page.locator('#fb-popup-mobile-trigger').count()).toBe(0)
    await page.getByRole('button', { name: 'Save' }).click()
    await page.getByRole('status').getByText('Saved.').waitFor()
    const saved = await apiAs<FormDetail>(h, `/v1/admin/sites/${EDITED}/forms/wp`)
    expect(saved.body.fields[0]).toMatchObject({ name: 'email', maxLength: 120 })
    expect(saved.body.popup).toEqual({
      trigger: 'click',
      value: '#demo-button',
      frequency: 'session',
    })
    expect(saved.body.consents.find((c) => c.purpose === 'marketing_email')?.version).toBe(2)
    expect(
      saved.body.consentHistory
        .filter((entry) => entry.purpose === 'marketing_email')
        .map(({ version, leads }) => [version, leads]),
    ).toEqual([
      [1, 1],
      [2, 0],
    ])
    await page.getByText('Version 2; 0 leads of this form saw it.').waitFor()
    await context.close()
  })

  it('shows mistakes at their control, keeps the last valid preview, and reads well in German', async () => {
    const { context, page } = await signedIn('de-DE')
    await page.goto(`${h.collector}/app/${EDITED}/forms/wp`)
    await preview(page).waitFor()
    await page.locator('#fb-title-en').fill('')
    await page
      .getByText('Die Vorschau zeigt den letzten gültigen Stand', { exact: false })
      .waitFor()
    await page.getByRole('button', { name: 'Speichern' }).click()
    await page.getByText('Ein Feld braucht Ihre Hilfe.').waitFor()
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('fb-title-en')
    expect(await page.locator('#fb-title-en').getAttribute('aria-invalid')).toBe('true')
    expect(await axeViolations(page)).toEqual([])
    await page.setViewportSize({ width: 390, height: 844 })
    expect(await axeViolations(page)).toEqual([])
    await context.close()
  })
})
