import path from 'node:path'
import Papa from 'papaparse'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formats } from '../../app/src/i18n'
import type { CampaignReport, ReportRow } from '../../shared/campaigns'
import type { LeadList } from '../../shared/leads'
import {
  apiAs,
  backdate,
  CONTACT_FORM,
  captureLeads,
  mailedLink,
  moveStage,
  putSpend,
  signInWithLink,
  signInWithToken,
  statusInPage,
} from './app'
import { axeViolations } from './axe'
import { startHarness, type Harness } from './harness'

/**
 * The dashboard (docs/app.md#dashboard) on sites seeded through the public and the admin API:
 * every tile and table cell is the campaign report's figure, in its JSON and in its CSV; the
 * first/last switch and the period live in the URL; a count opens exactly the leads it counts;
 * and the whole morning: a person invited by email signs in through the mailed link,
 * imports spend, moves a lead to customer, sees both on the dashboard, and signs out.
 */
const SITE = 'app-dashboard'
const JOURNEY = 'app-dashboard-journey'
const GOOGLE_ADS = path.join(import.meta.dirname, '..', 'fixtures', 'spend', 'google-ads.csv')
let h: Harness

const day = (offset: number) =>
  new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10)
const FROM = day(-13)
const TO = day(0)
const en = formats('en')

/** The leads: name, first-touch campaign, a later last touch, days since creation, stage. */
const PEOPLE = [
  ['Anna', 'Berg', 'Q4-Whitepaper', null, 2, 'sql'],
  ['Ben', 'Krause', 'Q4-Whitepaper', 'retargeting', 5, 'customer'],
  ['Clara', 'Wolf', 'Q4-Whitepaper', null, 1, 'mql'],
  ['David', 'Stein', 'Q4-Whitepaper', 'retargeting', 0, null],
  ['Eva', 'Lang', 'Brand-Search', null, 3, 'sql'],
  ['Felix', 'Hahn', 'Brand-Search', null, 8, null],
  ['Greta', 'Roth', null, null, 4, null],
  // The previous period (14 to 27 days ago), for the tiles' change.
  ['Hans', 'Vogel', 'Q4-Whitepaper', null, 20, 'sql'],
  ['Ida', 'Kern', 'Brand-Search', null, 25, null],
] as const

async function putForm(site: string) {
  await h.admin(`/v1/admin/sites/${site}/forms/contact`, {
    method: 'PUT',
    body: JSON.stringify(CONTACT_FORM),
  })
}

beforeAll(async () => {
  h = await startHarness()
  await h.setupSite(SITE, {}, { name: 'Dashboard GmbH' })
  await putForm(SITE)
  await h.admin(`/v1/admin/sites/${SITE}/campaigns/q4-whitepaper`, {
    method: 'PUT',
    body: JSON.stringify({ name: 'Q4 Whitepaper', source: 'google', medium: 'cpc' }),
  })
  const ids = await captureLeads(
    h,
    SITE,
    'contact',
    PEOPLE.map(([first, last, campaign]) => ({
      fields: { email: `${first.toLowerCase()}@example.com`, firstName: first, lastName: last },
      campaign,
    })),
  )
  for (const [i, [, , , lastTouch, ago, stage]] of PEOPLE.entries()) {
    const id = ids[i]!
    if (stage === 'customer')
      await moveStage(h, SITE, id, stage, { amount: 900_000, currency: 'EUR' })
    else if (stage) await moveStage(h, SITE, id, stage)
    // A later campaign touch, as a retargeting ad's visit would record it.
    if (lastTouch) h.query(`UPDATE leads SET last_campaign = '${lastTouch}' WHERE id = '${id}'`)
    backdate(h, id, ago)
  }
  await putSpend(h, SITE, 'q4-whitepaper', [
    [1, 40_000, 'EUR'],
    [6, 20_050, 'EUR'],
    [20, 30_000, 'EUR'],
  ])
  await putSpend(h, SITE, 'brand-search', [
    [3, 9_000, 'EUR'],
    [2, 2_500, 'USD'],
  ])

  await h.setupSite(JOURNEY, {}, { name: 'Journey GmbH' })
  await putForm(JOURNEY)
  await captureLeads(h, JOURNEY, 'contact', [
    {
      fields: { email: 'ola@example.com', firstName: 'Ola', lastName: 'Nord' },
      campaign: 'Q4-Whitepaper',
    },
    {
      fields: { email: 'per@example.com', firstName: 'Per', lastName: 'Sund' },
      campaign: 'Q4-Whitepaper',
    },
  ])
  await putSpend(h, JOURNEY, 'q4-whitepaper', [[0, 10_000, 'EUR']])
}, 90_000)

afterAll(async () => {
  await h?.stop()
})

const report = async (site: string, query: string) => {
  const answer = await apiAs<CampaignReport>(
    h,
    `/v1/admin/sites/${site}/reports/campaigns?${query}`,
  )
  expect(answer.status).toBe(200)
  return answer.body
}

/** The machine CSV of the report, as records keyed by its header. */
async function reportCsv(site: string, query: string): Promise<Record<string, string>[]> {
  const response = await fetch(
    `${h.collector}/v1/admin/sites/${site}/reports/campaigns?${query}&format=csv`,
    { headers: { authorization: `Bearer ${h.rootToken}` } },
  )
  expect(response.status).toBe(200)
  const parsed = Papa.parse<Record<string, string>>(await response.text(), {
    header: true,
    skipEmptyLines: true,
  })
  expect(parsed.errors).toEqual([])
  return parsed.data
}

/** A report row's figures as the CSV writes them: integers, or empty for null. */
const asCsv = (row: ReportRow) =>
  Object.fromEntries(
    (
      [
        'spend',
        'leads',
        'mqls',
        'sqls',
        'customers',
        'cpl',
        'costPerMql',
        'costPerSql',
        'costPerOrder',
      ] as const
    ).map((key) => [key, row[key] === null ? '' : String(row[key])]),
  )

/** A tile's value and change, found by its label. */
async function tile(page: Page, label: string) {
  const item = page
    .locator('.dashboard-tile')
    .filter({ has: page.locator('.dashboard-tile-label', { hasText: new RegExp(`^${label}$`) }) })
  return {
    value: (await item.locator('.dashboard-tile-value').textContent())?.trim(),
    change: (await item.locator('.dashboard-tile-change').textContent())?.trim(),
  }
}

/** The campaign table's rows, each its cells' texts, keyed by campaign and currency. */
const campaignRows = (page: Page) =>
  page
    .locator('.dashboard-campaign-table tbody tr')
    .evaluateAll((rows) =>
      Object.fromEntries(
        rows.map((row) => [
          `${(row as HTMLElement).dataset.campaign}|${(row as HTMLElement).dataset.currency}`,
          [...row.children].map((cell) => cell.textContent?.trim() ?? ''),
        ]),
      ),
    )

async function signedIn(locale = 'en-GB', viewport = { width: 1280, height: 800 }) {
  const context = await h.newContext({ locale })
  const page = await context.newPage()
  await page.setViewportSize(viewport)
  await signInWithToken(page, h)
  return { context, page }
}

async function openDashboard(page: Page, site: string, query: string) {
  await page.goto(`${h.collector}/app/${site}/?${query}`)
  await page.locator('.dashboard-tile').first().waitFor()
}

describe('the app’s dashboard', () => {
  it('shows exactly the report’s figures, in its JSON and in its CSV', async () => {
    const query = `from=${FROM}&to=${TO}&attribution=first`
    const [current, previous, csv] = await Promise.all([
      report(SITE, query),
      report(SITE, `from=${day(-27)}&to=${day(-14)}&attribution=first`),
      reportCsv(SITE, query),
    ])
    // The JSON and the CSV agree, row by row and on the totals.
    const csvRows = csv.filter((record) => record.kind === 'campaign')
    expect(csvRows.map((r) => `${r.campaign}|${r.currency}`)).toEqual(
      current.rows.map((row) => `${row.campaign}|${row.currency ?? ''}`),
    )
    for (const [i, row] of current.rows.entries()) expect(csvRows[i]).toMatchObject(asCsv(row))
    const csvTotals = csv.filter((record) => record.kind === 'total')
    for (const [i, row] of current.totals.entries()) expect(csvTotals[i]).toMatchObject(asCsv(row))
    // The seed reaches every tile: spend in two currencies, every stage, a customer.
    expect(current.totals.map((row) => row.currency)).toEqual(['EUR', 'USD'])
    const eur = current.totals[0]!
    const usd = current.totals[1]!
    expect(eur).toMatchObject({ leads: 7, mqls: 4, sqls: 3, customers: 1 })

    const { context, page } = await signedIn()
    await openDashboard(page, SITE, query)
    const was = previous.totals[0]!
    expect(await tile(page, 'Leads')).toEqual({
      value: en.integer(eur.leads),
      change: `▲ ${en.percent((eur.leads - was.leads) / was.leads)} vs previous period (better)`,
    })
    expect((await tile(page, 'MQLs')).value).toBe(en.integer(eur.mqls))
    expect((await tile(page, 'SQLs')).value).toBe(en.integer(eur.sqls))
    expect(await tile(page, 'Customers')).toEqual({
      value: en.integer(eur.customers),
      change: 'no comparison',
    })
    // Money per currency, never added across currencies.
    for (const total of [eur, usd]) {
      const c = total.currency!
      expect((await tile(page, `Spend \\(${c}\\)`)).value).toBe(en.money(total.spend, c))
      expect((await tile(page, `Cost per lead \\(${c}\\)`)).value).toBe(en.money(total.cpl, c))
      expect((await tile(page, `Cost per MQL \\(${c}\\)`)).value).toBe(
        en.money(total.costPerMql, c),
      )
      expect((await tile(page, `Cost per SQL \\(${c}\\)`)).value).toBe(
        en.money(total.costPerSql, c),
      )
      expect((await tile(page, `Cost per order \\(${c}\\)`)).value).toBe(
        en.money(total.costPerOrder, c),
      )
    }
    // The EUR spend fell against the previous period's; costs per lead fell with it: better.
    const wasEur = previous.totals.find((row) => row.currency === 'EUR')!
    expect((await tile(page, 'Cost per lead \\(EUR\\)')).change).toBe(
      `▼ ${en.percent((wasEur.cpl! - eur.cpl!) / wasEur.cpl!)} vs previous period (better)`,
    )

    // The campaign table: one row per report row, each cell the report's figure.
    const rows = await campaignRows(page)
    expect(Object.keys(rows)).toEqual(
      current.rows.map((row) => `${row.campaign}|${row.currency ?? ''}`),
    )
    for (const row of current.rows) {
      const cells = rows[`${row.campaign}|${row.currency ?? ''}`]!
      expect(cells.slice(4)).toEqual([
        en.integer(row.leads),
        en.integer(row.mqls),
        en.integer(row.sqls),
        en.integer(row.customers),
        en.money(row.spend, row.currency),
        en.money(row.cpl, row.currency),
        en.money(row.costPerSql, row.currency),
        en.money(row.costPerOrder, row.currency),
      ])
    }
    // Names, source and medium come from the stored campaign.
    expect(rows['q4-whitepaper|EUR']!.slice(0, 4)).toEqual([
      'Q4 Whitepaperq4-whitepaper',
      'google',
      'cpc',
      'EUR',
    ])
    expect(rows['(none)|']![0]).toBe('(no campaign)')

    // The funnel's table: the counts and the report's next-step conversion.
    await page.getByText('Show as table').first().click()
    const funnel = await page
      .locator('.dashboard-funnel tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => [...tr.children].map((cell) => cell.textContent?.trim())),
      )
    expect(funnel).toEqual([
      ['Lead', '7', en.percent(eur.conversion.leadToMql), en.percent(1)],
      ['MQL', '4', en.percent(eur.conversion.mqlToSql), en.percent(4 / 7)],
      ['SQL', '3', en.percent(eur.conversion.sqlToOpportunity), en.percent(3 / 7)],
      ['Opportunity', '1', en.percent(eur.conversion.opportunityToCustomer), en.percent(1 / 7)],
      ['Customer', '1', '–', en.percent(1 / 7)],
    ])
    await context.close()
  })

  it('switches to the last touch, and the table follows the last-touch report', async () => {
    const last = await report(SITE, `from=${FROM}&to=${TO}&attribution=last`)
    expect(last.rows.some((row) => row.campaign === 'retargeting')).toBe(true)
    const { context, page } = await signedIn()
    await openDashboard(page, SITE, `from=${FROM}&to=${TO}`)
    await page.getByRole('link', { name: 'Last touch' }).click()
    await page.waitForURL(/attribution=last/)
    await expect
      .poll(async () => Object.keys(await campaignRows(page)))
      .toEqual(last.rows.map((row) => `${row.campaign}|${row.currency ?? ''}`))
    const rows = await campaignRows(page)
    // Ben's deal (in EUR) gives the retargeting row its currency.
    expect(rows['retargeting|EUR']!.slice(4, 8)).toEqual(['2', '1', '1', '1'])
    expect(
      await page.getByRole('heading', { name: 'Source, medium and campaign (Last touch)' }).count(),
    ).toBe(1)
    await context.close()
  })

  it('a campaign’s SQL count opens exactly the leads it counts', async () => {
    const expected = await apiAs<LeadList>(
      h,
      `/v1/admin/sites/${SITE}/leads?createdFrom=${FROM}&createdTo=${TO}&attribution=first&reached=sql&campaign=q4-whitepaper`,
    )
    const names = expected.body.leads.map((lead) => `${lead.firstName} ${lead.lastName}`).sort()
    expect(names).toEqual(['Anna Berg', 'Ben Krause'])
    const { context, page } = await signedIn()
    await openDashboard(page, SITE, `from=${FROM}&to=${TO}`)
    await page.getByRole('link', { name: '2 SQLs from Q4 Whitepaper' }).click()
    await page.waitForURL((url) => url.pathname === `/app/${SITE}/leads`)
    const url = new URL(page.url())
    expect(Object.fromEntries(url.searchParams)).toEqual({
      createdFrom: FROM,
      createdTo: TO,
      attribution: 'first',
      reached: 'sql',
      campaign: 'q4-whitepaper',
    })
    await page.locator('.applied strong').waitFor()
    await expect
      .poll(async () => (await page.locator('tbody th[scope="row"] a').allTextContents()).sort())
      .toEqual(names)
    await context.close()
  })

  it('takes a custom period, and refuses one that ends before it starts', async () => {
    const { context, page } = await signedIn()
    await openDashboard(page, SITE, `from=${FROM}&to=${TO}`)
    const custom = page.getByRole('form', { name: 'Custom period' })
    await custom.getByLabel('From').fill(day(-3))
    await custom.getByLabel('To').fill(day(-5))
    await custom.getByRole('button', { name: 'Show' }).click()
    await custom.getByRole('alert').getByText('“From” must not be after “To”.').waitFor()
    await custom.getByLabel('To').fill(day(-1))
    await custom.getByRole('button', { name: 'Show' }).click()
    await page.waitForURL((url) => url.searchParams.get('from') === day(-3))
    expect(new URL(page.url()).searchParams.get('to')).toBe(day(-1))
    const expected = await report(SITE, `from=${day(-3)}&to=${day(-1)}&attribution=first`)
    await expect
      .poll(async () => (await tile(page, 'Leads')).value)
      .toBe(en.integer(expected.totals[0]!.leads))
    // A preset is a link to its period; "Last 7 days" is marked as the current one.
    await page.getByRole('link', { name: 'Last 7 days' }).click()
    await page.waitForURL((url) => url.searchParams.get('from') === day(-6))
    expect(await page.getByRole('link', { name: 'Last 7 days' }).getAttribute('aria-current')).toBe(
      'true',
    )
    await context.close()
  })

  it('an invited person signs in by mail, imports spend and wins a customer, sees both, and signs out', async () => {
    const email = 'maria.marketing@example.com'
    const invite = await apiAs(h, `/v1/admin/sites/${JOURNEY}/users/${email}`, {
      method: 'PUT',
      body: { role: 'admin', lang: 'en' },
    })
    expect(invite.status).toBe(201)
    const context = await h.newContext({ locale: 'en-GB' })
    const page = await context.newPage()
    await signInWithLink(page, mailedLink(h, email))
    await page.waitForURL(`${h.collector}/app/${JOURNEY}/`)

    // The period reaches back to the ad platform export's days (1 and 2 November 2026).
    const query = `from=2026-11-01&to=${TO}`
    const figures = async () =>
      (await report(JOURNEY, `${query}&attribution=first`)).totals.find(
        (t) => t.currency === 'EUR',
      )!
    const before = await figures()
    expect(before).toMatchObject({ leads: 2, spend: 10_000, cpl: 5_000, costPerOrder: null })
    await openDashboard(page, JOURNEY, query)
    expect((await tile(page, 'Cost per lead')).value).toBe('€50.00')
    expect((await tile(page, 'Cost per order')).value).toBe('–')

    // Spend from the Google Ads export, on the campaigns screen.
    await page.getByRole('link', { name: 'Campaigns' }).click()
    const importing = page.getByRole('region', { name: 'Import spend from CSV' })
    await importing.getByLabel('CSV file').setInputFiles(GOOGLE_ADS)
    await importing.getByRole('button', { name: 'Import' }).click()
    await importing.getByRole('status').getByText('3 days written').waitFor()
    // Today's €100 and the export's €1,545.50 (two campaigns), over the same two leads.
    const imported = await figures()
    expect(imported).toMatchObject({ spend: 164_550, cpl: 82_275 })
    await openDashboard(page, JOURNEY, query)
    expect((await tile(page, 'Spend')).value).toBe('€1,645.50')
    expect((await tile(page, 'Cost per lead')).value).toBe(en.money(imported.cpl, 'EUR'))

    // One lead becomes a customer, with its deal value.
    await page.getByRole('link', { name: 'Leads', exact: true }).click()
    await page.getByRole('link', { name: 'Ola Nord' }).click()
    await page.getByRole('heading', { level: 1, name: 'Ola Nord' }).waitFor()
    await page.getByRole('button', { name: 'Move stage' }).click()
    const dialog = page.getByRole('dialog', { name: 'Move stage' })
    await dialog.getByLabel('New stage').selectOption('customer')
    await dialog.getByLabel('Deal value').fill('4800')
    await dialog.getByRole('button', { name: 'Save' }).click()
    await page.getByRole('status').getByText('The stage was changed.').waitFor()
    const won = await figures()
    expect(won).toMatchObject({ customers: 1, costPerOrder: 164_550, revenue: 480_000 })
    await openDashboard(page, JOURNEY, query)
    expect((await tile(page, 'Cost per order')).value).toBe(en.money(won.costPerOrder, 'EUR'))
    expect((await tile(page, 'Customers')).value).toBe('1')

    // Signed out, the browser reads nothing any more.
    await page.getByRole('button', { name: /Sign out/ }).click()
    await page.waitForURL(`${h.collector}/app/sign-in`)
    expect(await statusInPage(page, `/v1/admin/sites/${JOURNEY}/reports/campaigns?${query}`)).toBe(
      401,
    )
    await page.goto(`${h.collector}/app/${JOURNEY}/?${query}`)
    await page.waitForURL((url) => url.pathname === '/app/sign-in')
    await context.close()
  })

  for (const locale of ['de-DE', 'en-GB'])
    for (const viewport of [
      { width: 1280, height: 800 },
      { width: 390, height: 844 },
    ])
      it(`has no axe violations (${locale}, ${viewport.width}px)`, async () => {
        const { context, page } = await signedIn(locale, viewport)
        await openDashboard(page, SITE, `from=${FROM}&to=${TO}`)
        await page.locator('.dashboard-funnel summary').click()
        await page.locator('.dashboard-campaign-table').waitFor()
        expect(await axeViolations(page)).toEqual([])
        // Nothing runs off the side of a phone's screen.
        const overflow = await page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        )
        expect(overflow).toBeLessThanOrEqual(0)
        await context.close()
      })
})
