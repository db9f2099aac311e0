import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MIN_FILL_MS, startHarness, waitForForm, type Harness } from './harness'

/**
 * The pages behind the links of the double opt-in mail, in Chromium: the link
 * itself confirms nothing, its button does; every page is readable (axe-core,
 * 0 violations) under the pages' own strict CSP, and in the lead's language.
 */

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

type AxeResult = { violations: { id: string; impact: string; nodes: { target: unknown }[] }[] }

let h: Harness

beforeAll(async () => {
  h = await startHarness()
})

afterAll(async () => {
  await h?.stop()
})

/** The whole page scanned by axe-core; evaluated through the driver, since the page's CSP allows no script. */
async function axeViolations(page: Page) {
  await page.evaluate(AXE)
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: unknown) => Promise<AxeResult> } })
      .axe
    const result = await axe.run(document)
    return result.violations.map(({ id, impact, nodes }) => ({
      id,
      impact,
      nodes: nodes.map((n) => n.target),
    }))
  })
}

describe('the double opt-in and receipt pages', () => {
  it('a GET on the opt-in link confirms nothing and its button (POST) does; the receipt passes axe', async () => {
    const siteKey = 'consent-pages'
    await h.setupSite(
      siteKey,
      {
        // In both languages, so the German page shows it in German (docs/wire-contract.md#texts-per-language).
        newsletter: {
          kind: 'newsletter',
          title: { de: 'Newsletter', en: 'Newsletter' },
          fields: [
            {
              name: 'email',
              type: 'email',
              required: true,
              label: { de: 'E-Mail', en: 'Email' },
            },
          ],
          consents: [
            {
              purpose: 'marketing_email',
              text: {
                de: 'Ja, ich möchte den monatlichen Newsletter erhalten. Abmeldung jederzeit.',
                en: 'Yes, I would like the monthly newsletter. Unsubscribe at any time.',
              },
              required: true,
            },
          ],
          submitLabel: { de: 'Anmelden', en: 'Sign up' },
        },
      },
      { locale: 'en', name: 'Demo GmbH' },
    )
    const context = await h.newContext()
    const page = await context.newPage()
    const refused: string[] = []
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) refused.push(m.text())
    })

    // A German page of an English site with a bilingual form: the lead's pages and mail are German.
    await page.goto(`${h.pages}/${siteKey}/`)
    const form = await waitForForm(page, 'newsletter')
    await page.waitForTimeout(MIN_FILL_MS)
    await form.locator('#email').fill('nina.berg@firma.de')
    await form.locator('input[name="consent:marketing_email"]').check()
    await form.locator('button[type="submit"]').click()
    const receiptLink = form.locator('a', { hasText: 'Ihre Einwilligungen' })
    await receiptLink.waitFor()
    const receiptUrl = await receiptLink.getAttribute('href')
    expect(receiptUrl).toMatch(/\/v1\/consent\/[\w-]+$/)
    const [lead] = await h.leads(siteKey)
    const statuses = async () => (await h.lead(siteKey, lead!.leadId)).consents.map((c) => c.status)
    expect(await statuses()).toEqual(['pending'])

    const [mail] = h.query<{ subject: string; body: string }>(
      `SELECT subject, body FROM outbox WHERE site_key = '${siteKey}'`,
    )
    expect(mail!.subject).toBe('Bitte bestätigen Sie Ihre Anmeldung bei Demo GmbH')
    const optin = /https?:\/\/\S+\/v1\/optin\/\S+/.exec(mail!.body)![0]

    // Opening the link (as a person or a prefetching scanner does) shows a button and confirms nothing.
    const opened = await page.goto(optin)
    expect(opened!.status()).toBe(200)
    expect(await page.locator('html').getAttribute('lang')).toBe('de')
    expect(await page.locator('h1').textContent()).toBe('Anmeldung bestätigen')
    expect(await statuses()).toEqual(['pending'])
    expect(await axeViolations(page)).toEqual([])

    // The button posts the form (no script needed) and confirms.
    await Promise.all([
      page.waitForURL(optin),
      page.getByRole('button', { name: 'Ja, Anmeldung bestätigen' }).click(),
    ])
    expect(await page.locator('h1').textContent()).toBe('Anmeldung bestätigt')
    expect(await statuses()).toEqual(['pending', 'confirmed'])

    // The link used again: a friendly German page, not JSON.
    const again = await page.goto(optin)
    expect(again!.status()).toBe(410)
    expect(again!.headers()['content-type']).toContain('text/html')
    expect(await page.locator('h1').textContent()).toBe('Link bereits verwendet')
    expect(await axeViolations(page)).toEqual([])

    // The receipt: readable, German, the true history, 0 axe violations, before and after withdrawing.
    await page.goto(receiptUrl!)
    expect(await page.locator('h1').textContent()).toBe('Ihre Einwilligungen bei Demo GmbH')
    expect(await page.locator('li').count()).toBe(2)
    expect(await axeViolations(page)).toEqual([])
    await Promise.all([
      page.waitForURL(/\/withdraw$/),
      page.getByRole('button', { name: 'Alle Einwilligungen widerrufen' }).click(),
    ])
    expect(await page.locator('h1').textContent()).toBe('Widerruf gespeichert')
    expect(await axeViolations(page)).toEqual([])
    await page.goto(receiptUrl!)
    const text = await page.locator('main').innerText()
    expect(text).toContain('Sie haben Ihre Einwilligung widerrufen.')
    expect(text).toContain('Derzeit ist keine Ihrer Einwilligungen in Kraft.')
    expect(text).not.toContain('keine Einwilligung gegeben')
    expect(await axeViolations(page)).toEqual([])

    // After the withdrawal the old opt-in link confirms nothing again.
    await page.goto(optin)
    expect(await page.locator('h1').textContent()).toBe('Einwilligung widerrufen')
    expect(await statuses()).toEqual(['pending', 'confirmed', 'withdrawn'])
    expect(refused, 'nothing on the pages breaks their CSP').toEqual([])
    await context.close()
  })
})
