import { createRequire } from 'node:module'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LeadSubmissionResult } from '../../shared/leads'
import type { Problem } from '../../shared/problem'
import { WIDGET_TEXTS } from '../../shared/widget-texts'
import {
  fillWhitepaper,
  MIN_FILL_MS,
  startHarness,
  waitForForm,
  whitepaperForm,
  type Harness,
} from './harness'

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js')

let h: Harness

beforeAll(async () => {
  h = await startHarness()
})

afterAll(async () => {
  await h?.stop()
})

/** The id of the element focused inside the form's shadow root, or null. */
const focusedId = (page: Page) =>
  page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.id ?? null)

type AxeResult = { violations: { id: string; impact: string; nodes: { target: unknown }[] }[] }

describe('inline forms', () => {
  it('a whitepaper form submitted by keyboard alone creates a complete lead with its consent and a working download', async () => {
    const siteKey = 'keyboard-whitepaper'
    await h.setupSite(siteKey, { 'whitepaper-2026': whitepaperForm(h.pages) })
    const context = await h.newContext()
    const page = await context.newPage()
    await page.goto(`${h.pages}/${siteKey}/`)
    await waitForForm(page, 'whitepaper-2026')
    await page.waitForTimeout(MIN_FILL_MS)

    // Tab order: the fields, the two consent checkboxes, then the button (the honeypot is skipped).
    const keys: [string, string][] = [
      ['email', 'anna.berg@firma.de'],
      ['firstName', 'Anna'],
      ['lastName', 'Berg'],
      ['company', 'Firma GmbH'],
      ['jobTitle', 'Geschäftsführerin'],
    ]
    for (const [id, value] of keys) {
      await page.keyboard.press('Tab')
      expect(await focusedId(page)).toBe(id)
      await page.keyboard.type(value)
    }
    await page.keyboard.press('Tab') // marketing_email consent
    await page.keyboard.press('Space')
    await page.keyboard.press('Tab') // tracking consent, left unticked
    await page.keyboard.press('Tab')
    const answered = page.waitForResponse((r) => r.url().endsWith('/v1/leads'))
    await page.keyboard.press('Enter')
    const response = await answered
    expect(response.status()).toBe(201)
    const result = (await response.json()) as LeadSubmissionResult
    expect(result.complete).toBe(true)
    expect(result.download?.filename).toBe('whitepaper-2026.pdf')

    // Focus moves to the thanks; the next Tab reaches the download, Enter follows it.
    expect(await focusedId(page)).toBe('_title')
    await page.keyboard.press('Tab')
    const link = page.locator('[data-lodestone-form] a[download]')
    // Beside it, the link to the lead's consent receipt (it gave marketing_email).
    expect(await page.locator('[data-lodestone-form] a:not([download])').getAttribute('href')).toBe(
      result.receiptUrl,
    )
    await expect
      .poll(() => link.evaluate((el) => el === document.activeElement?.shadowRoot?.activeElement))
      .toBe(true)
    const asset = page.waitForResponse((r) => r.url() === `${h.pages}/assets/whitepaper.pdf`)
    const download = page.waitForEvent('download').catch(() => null)
    await page.keyboard.press('Enter')
    const served = await Promise.race([asset, download])
    expect(served).not.toBeNull()

    const [summary] = await h.leads(siteKey)
    const lead = await h.lead(siteKey, summary!.leadId)
    expect(lead).toMatchObject({
      email: 'anna.berg@firma.de',
      complete: true,
      missing: [],
      fields: { firstName: 'Anna', lastName: 'Berg', company: 'Firma GmbH' },
    })
    expect(lead.consents).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          purpose: 'marketing_email',
          status: 'granted',
          method: 'checkbox',
        }),
      ]),
    )
    expect(
      lead.consents.some(
        (consent) => consent.purpose === 'tracking' && consent.status === 'granted',
      ),
    ).toBe(false)
    // The download link is the collector's: following it recorded a download touchpoint.
    await expect
      .poll(async () =>
        (await h.lead(siteKey, summary!.leadId)).journey.some((item) => item.type === 'download'),
      )
      .toBe(true)
    await context.close()
  })

  it('asks a known lead (with tracking consent) only for the fields still missing', async () => {
    const siteKey = 'progressive-profiling'
    await h.setupSite(siteKey, {
      'whitepaper-2026': whitepaperForm(h.pages, {
        fields: [
          { name: 'email', type: 'email', required: true, label: 'Email' },
          { name: 'firstName', type: 'text', required: true, label: 'First name' },
          { name: 'company', type: 'text', required: false, label: 'Company' },
          { name: 'phone', type: 'tel', required: false, label: 'Phone' },
        ],
      }),
    })
    const context = await h.newContext()
    const page = await context.newPage()
    await page.goto(`${h.pages}/${siteKey}/`)
    let form = (await waitForForm(page, 'whitepaper-2026')).locator('form')
    await page.waitForTimeout(MIN_FILL_MS)
    await form.locator('#email').fill('known.lead@firma.de')
    await form.locator('#firstName').fill('Anna')
    await form.locator('#company').fill('Firma GmbH')
    await form.locator('input[name="consent:marketing_email"]').check()
    const first = page.waitForResponse((r) => r.url().endsWith('/v1/leads'))
    await form.locator('button[type="submit"]').click()
    expect((await first).status()).toBe(201)

    // The next visit: the same visitor id, so the form leaves out what the lead already gave.
    await page.reload()
    form = (await waitForForm(page, 'whitepaper-2026')).locator('form')
    expect(
      await form
        .locator('input:not([type=checkbox]):not([name=_website])')
        .evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).name)),
    ).toEqual(['email', 'phone'])
    await page.waitForTimeout(MIN_FILL_MS)
    await form.locator('#email').fill('known.lead@firma.de')
    await form.locator('#phone').fill('+49 30 1234567')
    await form.locator('input[name="consent:marketing_email"]').check()
    const second = page.waitForResponse((r) => r.url().endsWith('/v1/leads'))
    await form.locator('button[type="submit"]').click()
    expect((await second).status()).toBe(201)

    const leads = await h.leads(siteKey)
    expect(leads).toHaveLength(1)
    const lead = await h.lead(siteKey, leads[0]!.leadId)
    expect(lead.fields).toMatchObject({
      firstName: 'Anna',
      company: 'Firma GmbH',
      phone: '+49301234567',
    })
    await context.close()
  })

  it('an autofilled form submitted at once waits out the minimum fill time, busy, and creates exactly one lead and no spam', async () => {
    const siteKey = 'autofill-at-once'
    await h.setupSite(siteKey, { 'whitepaper-2026': whitepaperForm(h.pages) })
    const context = await h.newContext()
    const page = await context.newPage()
    const started = page.waitForResponse((r) => r.url().endsWith('/forms/whitepaper-2026/start'))
    await page.goto(`${h.pages}/${siteKey}/`)
    await started
    const tokenArrived = Date.now()
    const host = await waitForForm(page, 'whitepaper-2026')
    // What a password manager does: every field at once, then the visitor sends straight away.
    const form = await fillWhitepaper(page, 'whitepaper-2026', 'autofill.visitor@firma.de')
    const posted = page.waitForRequest((r) => r.url().endsWith('/v1/leads'))
    const answered = page.waitForResponse((r) => r.url().endsWith('/v1/leads'))
    const button = form.locator('button[type="submit"]')
    await button.click()
    // Busy, and nothing sent yet: the widget waits silently instead of being held as too fast.
    expect(await button.getAttribute('aria-busy')).toBe('true')
    expect(await button.isDisabled()).toBe(true)
    expect(Date.now() - tokenArrived).toBeLessThan(MIN_FILL_MS)
    // A second click on the busy button sends nothing more.
    await button.click({ force: true })
    await posted
    expect(Date.now() - tokenArrived).toBeGreaterThanOrEqual(MIN_FILL_MS)
    expect((await answered).status()).toBe(201)
    await expect.poll(() => host.locator('a[download]').count()).toBe(1)
    expect(await host.locator('[role="alert"]').count()).toBe(0)

    const leads = await h.leads(siteKey)
    expect(leads.map((lead) => lead.email)).toEqual(['autofill.visitor@firma.de'])
    const spam = await h.admin<{ items: unknown[] }>(`/v1/admin/sites/${siteKey}/spam`)
    expect(spam.items).toEqual([])
    await context.close()
  })

  it('resends a submission answered 409 by itself, with the same submissionId, and creates one lead', async () => {
    const siteKey = 'resend-409'
    await h.setupSite(siteKey, { 'whitepaper-2026': whitepaperForm(h.pages) })
    const context = await h.newContext()
    const page = await context.newPage()
    // The collector's answer while another request changes the same lead (docs/wire-contract.md#ids-and-retries).
    const bodies: { submissionId: string }[] = []
    await page.route('**/v1/leads', async (route) => {
      bodies.push(JSON.parse(route.request().postData()!))
      if (bodies.length > 1) return route.continue()
      await route.fulfill({
        status: 409,
        headers: {
          'content-type': 'application/problem+json',
          'access-control-allow-origin': h.pages,
        },
        body: JSON.stringify({
          type: 'about:blank',
          title: 'Conflict',
          status: 409,
          code: 'conflict',
          detail: 'Try again.',
        }),
      })
    })
    await page.goto(`${h.pages}/${siteKey}/`)
    const host = await waitForForm(page, 'whitepaper-2026')
    await page.waitForTimeout(MIN_FILL_MS)
    const form = await fillWhitepaper(page, 'whitepaper-2026', 'second.try@firma.de')
    const stored = page.waitForResponse((r) => r.url().endsWith('/v1/leads') && r.status() === 201)
    await form.locator('button[type="submit"]').click()
    await stored
    await expect.poll(() => host.locator('a[download]').count()).toBe(1)
    expect(await host.locator('[role="alert"]').count()).toBe(0)
    expect(bodies).toHaveLength(2)
    expect(bodies[1]!.submissionId).toBe(bodies[0]!.submissionId)
    expect((await h.leads(siteKey)).map((lead) => lead.email)).toEqual(['second.try@firma.de'])
    await context.close()
  })

  it('a filled honeypot creates no lead', async () => {
    const siteKey = 'honeypot'
    await h.setupSite(siteKey, { 'whitepaper-2026': whitepaperForm(h.pages) })
    const context = await h.newContext()
    const page = await context.newPage()
    await page.goto(`${h.pages}/${siteKey}/`)
    await waitForForm(page, 'whitepaper-2026')
    await page.waitForTimeout(MIN_FILL_MS)
    const form = await fillWhitepaper(page, 'whitepaper-2026', 'bot@firma.de')
    // What a form-filling bot does: every input gets a value, the hidden one too.
    await form.locator('input[name="_website"]').evaluate((input: HTMLInputElement) => {
      input.value = 'https://cheap-pills.example'
    })
    const answered = page.waitForResponse((r) => r.url().endsWith('/v1/leads'))
    await form.locator('button[type="submit"]').click()
    expect((await answered).status()).toBe(422)
    await expect.poll(() => form.locator('[role="alert"]').count()).toBe(1)
    expect(await h.leads(siteKey)).toEqual([])
    await context.close()
  })

  it("shows the collector's 422 refusal beside its field, in the widget's words, and keeps what was typed", async () => {
    const siteKey = 'disposable-email'
    await h.setupSite(siteKey, { 'whitepaper-2026': whitepaperForm(h.pages) })
    const context = await h.newContext()
    const page = await context.newPage()
    await page.goto(`${h.pages}/${siteKey}/`)
    await waitForForm(page, 'whitepaper-2026')
    await page.waitForTimeout(MIN_FILL_MS)
    const form = await fillWhitepaper(page, 'whitepaper-2026', 'someone@mailinator.com')
    const answered = page.waitForResponse((r) => r.url().endsWith('/v1/leads'))
    await form.locator('button[type="submit"]').click()
    const response = await answered
    expect(response.status()).toBe(422)
    const problem = (await response.json()) as Problem
    // The widget's own words for the field's reason, in the form's language (docs/wire-contract.md#errors).
    expect(problem.errors).toContainEqual(
      expect.objectContaining({ path: 'fields.email', reason: 'disposable' }),
    )
    await expect
      .poll(() => form.locator('#email-error').textContent())
      .toBe(WIDGET_TEXTS.en.disposable)
    expect(await form.locator('#email').getAttribute('aria-invalid')).toBe('true')
    expect(await focusedId(page)).toBe('email')
    expect(await form.locator('#firstName').inputValue()).toBe('Anna')
    expect(await h.leads(siteKey)).toEqual([])
    await context.close()
  })

  it('works on a page whose CSP allows only the collector for scripts, styles and connections', async () => {
    const siteKey = 'strict-csp'
    await h.setupSite(siteKey, { 'whitepaper-2026': whitepaperForm(h.pages) })
    const context = await h.newContext()
    // Recorded from outside the page (DevTools protocol), which the CSP does not govern.
    await context.addInitScript(() => {
      const seen: string[] = []
      ;(window as unknown as { cspViolations: string[] }).cspViolations = seen
      document.addEventListener('securitypolicyviolation', (event) =>
        seen.push(`${event.violatedDirective} ${event.blockedURI}`),
      )
    })
    const page = await context.newPage()
    const response = await page.goto(`${h.pages}/${siteKey}/`)
    expect(response?.headers()['content-security-policy']).toContain("default-src 'none'")
    const host = await waitForForm(page, 'whitepaper-2026')
    // The constructable stylesheet applied: the button has the theme's accent, not the UA default.
    expect(
      await host
        .locator('button[type="submit"]')
        .evaluate((el) => getComputedStyle(el).backgroundColor),
    ).toBe('rgb(29, 78, 216)')
    await page.waitForTimeout(MIN_FILL_MS)
    const form = await fillWhitepaper(page, 'whitepaper-2026', 'csp.visitor@firma.de')
    const answered = page.waitForResponse((r) => r.url().endsWith('/v1/leads'))
    await form.locator('button[type="submit"]').click()
    expect((await answered).status()).toBe(201)
    await expect.poll(() => host.locator('a[download]').count()).toBe(1)
    expect(
      await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations),
    ).toEqual([])
    const [lead] = await h.leads(siteKey)
    expect(lead?.email).toBe('csp.visitor@firma.de')
    await context.close()
  })

  it('an axe-core scan of the rendered form finds no violations, before and after a failed submit', async () => {
    const siteKey = 'axe-scan'
    await h.setupSite(siteKey, {
      'whitepaper-2026': whitepaperForm(h.pages, {
        description: 'How B2B teams turn visitors into qualified leads.',
        fields: [
          { name: 'email', type: 'email', required: true, label: 'Email' },
          { name: 'firstName', type: 'text', required: true, label: 'First name' },
          { name: 'phone', type: 'tel', required: false, label: 'Phone' },
          {
            name: 'employees',
            type: 'select',
            required: false,
            label: 'Employees',
            options: ['1–10', '11–50', '51+'],
          },
          { name: 'message', type: 'textarea', required: false, label: 'Your question' },
          {
            name: 'newsletter',
            type: 'checkbox',
            required: false,
            label: 'Also send me the newsletter',
          },
        ],
      }),
    })
    const context = await h.newContext()
    const page = await context.newPage()
    await page.goto(`${h.pages}/${siteKey}/`)
    const host = await waitForForm(page, 'whitepaper-2026')
    await page.addScriptTag({ path: AXE })
    const scan = () =>
      page.evaluate(async () => {
        const axe = (
          window as unknown as { axe: { run: (context: unknown) => Promise<AxeResult> } }
        ).axe
        const result = await axe.run(document.querySelector('[data-lodestone-form]'))
        return result.violations.map(({ id, impact, nodes }) => ({
          id,
          impact,
          nodes: nodes.map((n) => n.target),
        }))
      })
    expect(await scan()).toEqual([])

    // Errors (email, first name, the required consent) are tied to their fields; focus moves to the first.
    await host.locator('button[type="submit"]').click()
    await expect.poll(() => host.locator('[aria-invalid="true"]').count()).toBe(3)
    expect(await focusedId(page)).toBe('email')
    expect(await host.locator('#email').getAttribute('aria-describedby')).toBe('email-error')
    expect(await host.locator('#email-error').textContent()).toBe('Please fill in this field.')
    expect(await scan()).toEqual([])
    await context.close()
  })
})
