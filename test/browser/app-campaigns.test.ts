import path from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CampaignList, CampaignReport, SpendList } from '../../shared/campaigns'
import { apiAs, captureLeads, CONTACT_FORM, signInWithToken } from './app'
import { axeViolations } from './axe'
import { startHarness, type Harness } from './harness'

/**
 * The app's campaigns screen (docs/spend-import.md) in a browser: a campaign named in the screen,
 * a day's spend typed by hand, an ad platform's CSV export imported after a preview (and again,
 * changing nothing), and the campaign report's cost per lead following the spend.
 */
const SITE = 'app-campaigns'
const FORM = 'contact'
const GOOGLE_ADS = path.join(import.meta.dirname, '..', 'fixtures', 'spend', 'google-ads.csv')
let h: Harness

const today = () => new Date().toISOString().slice(0, 10)
/** The report's cohort: the fixture's days up to today. */
const FROM = '2026-11-01'

beforeAll(async () => {
  h = await startHarness()
  await h.setupSite(SITE, {}, { name: 'Campaigns GmbH' })
  await h.admin(`/v1/admin/sites/${SITE}/forms/${FORM}`, {
    method: 'PUT',
    body: JSON.stringify(CONTACT_FORM),
  })
  // Two leads of the campaign, created today, so the report has leads to divide the spend by.
  await captureLeads(
    h,
    SITE,
    FORM,
    [0, 1].map((i) => ({
      fields: { email: `lead${i}@example.com`, firstName: `Lead ${i}` },
      campaign: 'Q4-Whitepaper',
    })),
  )
}, 60_000)

afterAll(async () => {
  await h?.stop()
})

const reportRow = async (campaign: string) => {
  const report = await apiAs<CampaignReport>(
    h,
    `/v1/admin/sites/${SITE}/reports/campaigns?from=${FROM}&to=${today()}`,
  )
  expect(report.status).toBe(200)
  return report.body.rows.filter((row) => row.campaign === campaign)
}

/** The rows of a table in `within`, each as its cells' texts. */
const rowsOf = (page: Page, within: string) =>
  page
    .locator(`${within} table tbody tr`)
    .evaluateAll((rows) =>
      rows.map((row) => [...row.children].map((cell) => cell.textContent?.trim() ?? '')),
    )

async function signedIn(locale = 'en-GB') {
  const context = await h.newContext({ locale })
  const page = await context.newPage()
  await signInWithToken(page, h)
  await page.goto(`${h.collector}/app/${SITE}/campaigns`)
  await page.getByRole('heading', { level: 1 }).waitFor()
  return { context, page }
}

describe('the app’s campaigns', () => {
  it('names a campaign, takes a day’s spend by hand and an ad platform’s CSV, and the report’s CPL follows', async () => {
    const before = await reportRow('q4-whitepaper')
    expect(before).toEqual([
      expect.objectContaining({ leads: 2, spend: null, cpl: null, currency: null }),
    ])

    const { context, page } = await signedIn()
    await page.getByRole('button', { name: 'Create a campaign' }).click()
    const form = page.getByRole('form', { name: 'Create a campaign' })
    await form.getByLabel('Key (utm_campaign)').fill('q4-whitepaper')
    await form.getByLabel('Name').fill('Q4 Whitepaper')
    await form.getByLabel('Channel').fill('Paid search')
    await form.getByRole('button', { name: 'Save' }).click()
    await form.waitFor({ state: 'detached' })
    await page.getByRole('rowheader', { name: 'q4-whitepaper' }).waitFor()
    const stored = await apiAs<CampaignList>(h, `/v1/admin/sites/${SITE}/campaigns`)
    expect(stored.body.campaigns.find((c) => c.campaignKey === 'q4-whitepaper')).toMatchObject({
      name: 'Q4 Whitepaper',
      channel: 'Paid search',
    })

    // The period reaches back to the fixture's days.
    await page.getByLabel('From', { exact: true }).fill(FROM)

    // A day's spend typed by hand, with a decimal comma.
    await page.getByRole('button', { name: 'Daily spend q4-whitepaper' }).click()
    const days = page.getByRole('region', { name: 'Daily spend of q4-whitepaper' })
    await days.getByLabel('Day', { exact: true }).fill(today())
    await days.getByLabel('Amount', { exact: true }).fill('100,00')
    await days.getByLabel(/^Currency/).selectOption('EUR')
    await days.getByRole('button', { name: 'Save day (replaces an existing one)' }).click()
    await expect.poll(() => rowsOf(page, '.campaign-days')).toHaveLength(1)
    expect((await rowsOf(page, '.campaign-days'))[0]?.[1]).toBe('€100.00')
    expect(await reportRow('q4-whitepaper')).toEqual([
      expect.objectContaining({ currency: 'EUR', spend: 10_000, leads: 2, cpl: 5_000 }),
    ])

    // The Google Ads export: a preview of what will be written, nothing written yet.
    const importing = page.getByRole('region', { name: 'Import spend from CSV' })
    await importing.getByLabel('CSV file').setInputFiles(GOOGLE_ADS)
    await expect
      .poll(() => rowsOf(page, '.campaign-import'))
      .toEqual([
        ['brand search', '2 Nov 2026', '€45.00', 'new'],
        ['q4-whitepaper', '1 Nov 2026', '€1,200.00', 'new'],
        ['q4-whitepaper', '2 Nov 2026', '€300.50', 'new'],
      ])
    expect(await importing.getByLabel('Campaign for “Q4-Whitepaper”').inputValue()).toBe(
      'q4-whitepaper',
    )
    expect(await importing.getByLabel('Campaign for “Brand Search”').inputValue()).toBe(
      'brand search',
    )
    expect(await reportRow('q4-whitepaper')).toEqual([expect.objectContaining({ spend: 10_000 })])

    await importing.getByRole('button', { name: 'Import' }).click()
    await importing
      .getByRole('status')
      .getByText('3 days written, 3 of them new or changed.')
      .waitFor()
    // The written days, in the open campaign's daily spend and in the list's period spend.
    await expect
      .poll(() => rowsOf(page, '.campaign-days'))
      .toEqual([
        ['1 Nov 2026', '€1,200.00', expect.any(String)],
        ['2 Nov 2026', '€300.50', expect.any(String)],
        [expect.any(String), '€100.00', expect.any(String)],
      ])
    const list = page.locator('table').first()
    await expect
      .poll(() => list.getByRole('row', { name: /q4-whitepaper/ }).textContent())
      .toContain('€1,600.50')
    await expect
      .poll(() => list.getByRole('row', { name: /brand search/ }).textContent())
      .toContain('€45.00')
    const spend = await apiAs<SpendList>(
      h,
      `/v1/admin/sites/${SITE}/campaigns/q4-whitepaper/spend?from=${FROM}&to=${today()}`,
    )
    expect(spend.body.entries.map(({ date, amount }) => [date, amount])).toEqual([
      ['2026-11-01', 120_000],
      ['2026-11-02', 30_050],
      [today(), 10_000],
    ])
    const afterFirst = await reportRow('q4-whitepaper')
    expect(afterFirst).toEqual([
      expect.objectContaining({ currency: 'EUR', spend: 160_050, leads: 2, cpl: 80_025 }),
    ])

    // The same file again: every day unchanged, and the report stays as it is.
    await importing.getByLabel('CSV file').setInputFiles([])
    await importing.getByLabel('CSV file').setInputFiles(GOOGLE_ADS)
    await expect
      .poll(() => rowsOf(page, '.campaign-import'))
      .toEqual([
        ['brand search', '2 Nov 2026', '€45.00', 'unchanged'],
        ['q4-whitepaper', '1 Nov 2026', '€1,200.00', 'unchanged'],
        ['q4-whitepaper', '2 Nov 2026', '€300.50', 'unchanged'],
      ])
    await importing.getByRole('button', { name: 'Import' }).click()
    await importing
      .getByRole('status')
      .getByText('3 days written, 0 of them new or changed.')
      .waitFor()
    expect(await reportRow('q4-whitepaper')).toEqual(afterFirst)
    expect(await reportRow('brand search')).toEqual([
      expect.objectContaining({ currency: 'EUR', spend: 4_500, leads: 0, cpl: null }),
    ])
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
        await page.getByRole('button', { name: /Create a campaign|Kampagne anlegen/ }).click()
        await page
          .getByRole('button', { name: /Daily spend|Tagesausgaben/ })
          .first()
          .click()
        await page.locator('.campaign-days h2').waitFor()
        // With a preview open: the mapping, the rows and the confirm button.
        await page.locator('.campaign-import input[type="file"]').setInputFiles(GOOGLE_ADS)
        await page.locator('.campaign-import table').waitFor()
        expect(await axeViolations(page)).toEqual([])
        await context.close()
      })
})
