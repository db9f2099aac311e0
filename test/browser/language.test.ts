import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Locale } from '../../shared/common'
import type { FormInput } from '../../shared/form'
import type { LeadSubmission, LeadSubmissionResult } from '../../shared/leads'
import type { Problem } from '../../shared/problem'
import { WIDGET_TEXTS } from '../../shared/widget-texts'
import { MIN_FILL_MS, startHarness, waitForForm, type Harness } from './harness'

/**
 * One language per visitor (docs/wire-contract.md#texts-per-language): the same form on a German
 * and an English page, in a browser whose own language is the other one.
 */
let h: Harness

beforeAll(async () => {
  h = await startHarness()
})

afterAll(async () => {
  await h?.stop()
})

const SITE = 'language'
const FORM_ID = 'whitepaper-2026'

const TEXTS = {
  title: {
    de: 'Whitepaper 2026: Vertrieb im Maschinenbau',
    en: 'White paper 2026: selling machinery',
  },
  email: { de: 'Geschäftliche E-Mail', en: 'Business email' },
  firstName: { de: 'Vorname', en: 'First name' },
  lastName: { de: 'Nachname', en: 'Last name' },
  help: { de: 'Wir schreiben nur an diese Adresse.', en: 'We only write to this address.' },
  marketing: {
    de: 'Ja, ich möchte per E-Mail Neuigkeiten erhalten. Ich kann jederzeit widerrufen.',
    en: 'Yes, send me news by email. I can withdraw at any time.',
  },
  submitLabel: { de: 'Whitepaper herunterladen', en: 'Get the white paper' },
  thanks: { de: 'Danke! Ihr Whitepaper ist bereit.', en: 'Thank you! Your white paper is ready.' },
}

const bilingualForm = (pages: string): FormInput => ({
  kind: 'whitepaper',
  title: TEXTS.title,
  fields: [
    { name: 'email', type: 'email', required: true, label: TEXTS.email, help: TEXTS.help },
    { name: 'firstName', type: 'text', required: true, label: TEXTS.firstName },
    { name: 'lastName', type: 'text', required: true, label: TEXTS.lastName },
  ],
  consents: [{ purpose: 'marketing_email', text: TEXTS.marketing, required: true }],
  asset: { url: `${pages}/assets/whitepaper.pdf`, filename: 'whitepaper-2026.pdf' },
  submitLabel: TEXTS.submitLabel,
  thanks: TEXTS.thanks,
})

/** Every text a visitor can read in the form's shadow root, labels, messages and button included. */
const shownText = (page: Page) =>
  page
    .locator(`[data-lodestone-form="${FORM_ID}"]`)
    .evaluate((host) => (host.shadowRoot!.firstElementChild as HTMLElement).innerText)

/** The texts of the other language that must not show: the form's own and the widget's. */
const foreign = (locale: Locale) => {
  const other = locale === 'de' ? 'en' : 'de'
  return [...Object.values(TEXTS).map((text) => text[other]), ...Object.values(WIDGET_TEXTS[other])]
}

const expectOnly = async (page: Page, locale: Locale) => {
  const text = await shownText(page)
  for (const phrase of foreign(locale))
    expect(text, `"${phrase}" on a ${locale} page`).not.toContain(phrase)
}

describe.each([
  // The browser speaks the other language: the page's language decides, not the browser's.
  { locale: 'de' as const, path: '/', browser: 'en-US' },
  { locale: 'en' as const, path: '/en.html', browser: 'de-DE' },
])('a $locale page', ({ locale, path, browser }) => {
  it(`shows the form, its validation and the collector's refusal in ${locale} only`, async () => {
    await h.setupSite(
      SITE,
      { [FORM_ID]: bilingualForm(h.pages) },
      { locale: locale === 'de' ? 'en' : 'de' },
    )
    const strings = WIDGET_TEXTS[locale]
    const context = await h.newContext({ locale: browser })
    const page = await context.newPage()
    const sent: LeadSubmission[] = []
    page.on('request', (request) => {
      if (request.url().endsWith('/v1/leads')) sent.push(JSON.parse(request.postData()!))
    })
    await page.goto(`${h.pages}/${SITE}${path}`)
    const host = await waitForForm(page, FORM_ID)
    const form = host.locator('form')

    // The form's own texts.
    expect(await form.getAttribute('lang')).toBe(locale)
    expect(await form.locator('h2').textContent()).toBe(TEXTS.title[locale])
    expect(await form.locator('label[for="email"]').textContent()).toContain(TEXTS.email[locale])
    expect(await form.locator('#email-help').textContent()).toBe(TEXTS.help[locale])
    expect(await form.locator('#email').getAttribute('aria-describedby')).toBe('email-help')
    expect(await form.locator('label.c').textContent()).toBe(TEXTS.marketing[locale])
    expect(await form.locator('button[type="submit"]').textContent()).toBe(
      TEXTS.submitLabel[locale],
    )
    await expectOnly(page, locale)

    // The widget's own validation.
    await form.locator('button[type="submit"]').click()
    await expect.poll(() => form.locator('#email-error').textContent()).toBe(strings.required)
    expect(await form.locator('#firstName-error').textContent()).toBe(strings.required)
    await form.locator('#email').fill('anna@')
    await form.locator('button[type="submit"]').click()
    await expect.poll(() => form.locator('#email-error').textContent()).toBe(strings.email)
    expect(sent).toEqual([])
    await expectOnly(page, locale)

    // A refusal of the collector: a disposable address.
    await page.waitForTimeout(MIN_FILL_MS)
    await form.locator('#email').fill('someone@mailinator.com')
    await form.locator('#firstName').fill('Anna')
    await form.locator('#lastName').fill('Berg')
    await form.locator('input[name="consent:marketing_email"]').check()
    const refused = page.waitForResponse((r) => r.url().endsWith('/v1/leads'))
    await form.locator('button[type="submit"]').click()
    const problem = (await (await refused).json()) as Problem
    expect(problem.code).toBe('disposable_email')
    expect(problem.errors).toContainEqual(
      expect.objectContaining({ path: 'fields.email', reason: 'disposable' }),
    )
    await expect.poll(() => form.locator('#email-error').textContent()).toBe(strings.disposable)
    await expectOnly(page, locale)

    // Sent in the form's language, naming the consent text version it showed.
    await form.locator('#email').fill(`anna.${locale}@firma.de`)
    const stored = page.waitForResponse((r) => r.url().endsWith('/v1/leads'))
    await form.locator('button[type="submit"]').click()
    const response = await stored
    expect(response.status()).toBe(201)
    expect(sent.at(-1)).toMatchObject({ locale })
    await expect.poll(() => host.locator('h2').textContent()).toBe(TEXTS.thanks[locale])
    await expectOnly(page, locale)

    const { leadId } = (await response.json()) as LeadSubmissionResult
    const lead = await h.lead(SITE, leadId)
    const digest = [
      ...new Uint8Array(
        await crypto.subtle.digest('SHA-256', new TextEncoder().encode(TEXTS.marketing[locale])),
      ),
    ]
      .map((b) => b.toString(16).padStart(2, '0'))
      .join('')
    expect(lead.consents).toEqual([
      expect.objectContaining({
        purpose: 'marketing_email',
        status: 'granted',
        textSha256: digest,
      }),
    ])
    await context.close()
  })
})
