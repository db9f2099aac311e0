import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TokenCreated } from '../../shared/site'
import type { SpamList } from '../../shared/spam'
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
 * The spam folder (docs/spam-and-abuse.md#release): a bot-like submission from a fixture page is
 * held, the folder shows it with its reason in words, "Not spam" makes it a lead with its consents,
 * and another one is deleted after a confirm.
 */
const SITE = 'honeypot'
const FORM = 'whitepaper-2026'
let h: Harness

/** What a form-filling bot does on the fixture page: the hidden field gets a value too. */
async function submitAsBot(email: string) {
  const context = await h.newContext()
  const page = await context.newPage()
  await page.goto(`${h.pages}/${SITE}/`)
  await waitForForm(page, FORM)
  await page.waitForTimeout(MIN_FILL_MS)
  const form = await fillWhitepaper(page, FORM, email)
  await form.locator('input[name="_website"]').evaluate((input: HTMLInputElement) => {
    input.value = 'https://cheap-pills.example'
  })
  const answered = page.waitForResponse((r) => r.url().endsWith('/v1/leads'))
  await form.locator('button[type="submit"]').click()
  expect((await answered).status()).toBe(422)
  await context.close()
}

beforeAll(async () => {
  h = await startHarness()
  await h.setupSite(SITE, { [FORM]: whitepaperForm(h.pages) })
  await submitAsBot('real.person@firma.de')
  await submitAsBot('bot@spam.example')
}, 90_000)

afterAll(async () => {
  await h?.stop()
})

async function signedIn(locale = 'en-GB', token = h.rootToken) {
  const context = await h.newContext({ locale })
  const page = await context.newPage()
  await signInWithToken(page, h, token)
  await page.goto(`${h.collector}/app/${SITE}/spam`)
  await page.locator('.spam-list, .spam p:not(.hint)').first().waitFor()
  return { context, page }
}

const card = (page: Page, email: string) =>
  page.locator('.spam-list article').filter({ hasText: email })

describe('the spam folder', () => {
  for (const locale of ['de-DE', 'en-GB'])
    for (const viewport of [
      { width: 1280, height: 800 },
      { width: 390, height: 844 },
    ])
      it(`has no axe violations (${locale}, ${viewport.width}px)`, async () => {
        const { context, page } = await signedIn(locale)
        await page.setViewportSize(viewport)
        await page.locator('.spam-list article').first().waitFor()
        expect(await axeViolations(page)).toEqual([])
        await context.close()
      })

  it('shows nothing to change to a reader with leads:read only', async () => {
    const token = await apiAs<TokenCreated>(h, `/v1/admin/sites/${SITE}/tokens`, {
      method: 'POST',
      body: { scopes: ['leads:read'] },
    })
    const { context, page } = await signedIn('en-GB', token.body.token)
    await card(page, 'bot@spam.example').waitFor()
    expect(await page.getByRole('button', { name: 'Not spam' }).count()).toBe(0)
    expect(await page.getByRole('button', { name: 'Delete' }).count()).toBe(0)
    await context.close()
  })

  it('shows the held submission with its reason; Not spam makes it a lead with its consents; Delete removes another', async () => {
    const { context, page } = await signedIn()
    const real = card(page, 'real.person@firma.de')
    await real.waitFor()
    expect(await real.getByRole('heading').textContent()).toContain('Honeypot')
    expect(await real.textContent()).toContain('A hidden field was filled in')
    expect(await real.textContent()).toContain('Firma GmbH')

    await real.getByRole('button', { name: 'Not spam' }).click()
    const link = page.getByRole('link', { name: 'Open the lead' })
    await link.waitFor()
    expect(await real.count()).toBe(0)
    await link.click()
    await page.waitForURL((url) => url.pathname.includes('/leads/'))
    const leadId = decodeURIComponent(page.url().split('/leads/')[1]!)
    await page.getByRole('heading', { name: 'Consents' }).waitFor()
    await expect.poll(() => page.locator('main').textContent()).toContain('marketing_email')
    const lead = await h.lead(SITE, leadId)
    expect(lead.email).toBe('real.person@firma.de')
    // As given on the page: marketing email ticked, tracking left unticked.
    expect(
      lead.consents
        .map(({ purpose, status }) => ({ purpose, status }))
        .sort((a, b) => a.purpose.localeCompare(b.purpose)),
    ).toEqual([
      { purpose: 'marketing_email', status: 'granted' },
      { purpose: 'tracking', status: 'withdrawn' },
    ])
    await page.goto(`${h.collector}/app/${SITE}/leads`)
    await page.getByRole('link', { name: 'Anna Berg' }).waitFor()

    await page.goto(`${h.collector}/app/${SITE}/spam`)
    const bot = card(page, 'bot@spam.example')
    await bot.getByRole('button', { name: 'Delete' }).click()
    const dialog = page.getByRole('dialog', { name: 'Delete this submission?' })
    await dialog.getByRole('button', { name: 'Delete' }).click()
    await page.getByText('The submission was deleted.').waitFor()
    await page.getByText('No held spam.').waitFor()
    const left = await apiAs<SpamList>(h, `/v1/admin/sites/${SITE}/spam`)
    expect(left.body.items).toEqual([])
    expect((await h.leads(SITE)).map((l) => l.email)).toEqual(['real.person@firma.de'])
    await context.close()
  })
})
