import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formats } from '../../app/src/i18n'
import type { SalesCycle } from '../../shared/campaigns'
import type { FormInput } from '../../shared/form'
import type { LeadList } from '../../shared/leads'
import type { CampaignSeries, FormsReport } from '../../shared/reports'
import { apiAs, backdate, captureLeads, moveStage, putSpend, signInWithToken } from './app'
import { axeViolations } from './axe'
import { startHarness, type Harness } from './harness'

/**
 * The dashboard's charts (docs/app.md#dashboard) on a site seeded through the public and the
 * admin API: each chart's table shows exactly what its report answers, the day/week switch
 * lives in the URL, uPlot runs under the app's CSP, and axe finds nothing with the charts drawn.
 */
const SITE = 'app-dashboard-charts'
let h: Harness

const form = (title: string): FormInput => ({
  kind: 'contact_sales',
  title,
  fields: [
    { name: 'email', type: 'email', required: true, label: 'Email' },
    { name: 'firstName', type: 'text', required: true, label: 'First name' },
  ],
  consents: [],
})
const FORMS = { contact: form('Talk to sales'), whitepaper: form('Whitepaper') }

const day = (offset: number) =>
  new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10)
const FROM = day(-13)
const TO = day(0)

/** The leads: their campaign, how many days ago they were created, and how far they got. */
const PEOPLE = [
  { campaign: 'Q4-Webinar', ago: 10, stage: 'customer' },
  { campaign: 'Q4-Webinar', ago: 10, stage: 'sql' },
  { campaign: 'Q4-Webinar', ago: 3, stage: 'customer' },
  { campaign: 'Q4-Webinar', ago: 1, stage: null },
  { campaign: 'Brand-Search', ago: 10, stage: 'sql' },
  { campaign: 'Brand-Search', ago: 0, stage: 'customer' },
  { campaign: null, ago: 2, stage: null },
] as const

beforeAll(async () => {
  h = await startHarness()
  await h.setupSite(SITE, {}, { name: 'Charts GmbH' })
  for (const [id, input] of Object.entries(FORMS))
    await h.admin(`/v1/admin/sites/${SITE}/forms/${id}`, {
      method: 'PUT',
      body: JSON.stringify(input),
    })
  await h.admin(`/v1/admin/sites/${SITE}/campaigns/q4-webinar`, {
    method: 'PUT',
    body: JSON.stringify({ name: 'Q4 Webinar' }),
  })

  // Views and starts as the widget posts them (widget/form/lead-form.tsx), from the page's origin.
  const touch = (type: 'form_view' | 'form_start', formId: string) => ({
    id: crypto.randomUUID(),
    type,
    ts: new Date().toISOString(),
    url: `${h.pages}/${SITE}/contact`,
    formId,
  })
  const events = await fetch(`${h.collector}/v1/events`, {
    method: 'POST',
    headers: { origin: h.pages, 'content-type': 'text/plain' },
    body: JSON.stringify({
      siteKey: SITE,
      consent: 'refused',
      events: [
        ...Array.from({ length: 8 }, () => touch('form_view', 'contact')),
        ...Array.from({ length: 5 }, () => touch('form_start', 'contact')),
        ...Array.from({ length: 3 }, () => touch('form_view', 'whitepaper')),
      ],
    }),
  })
  expect(events.status).toBe(202)

  const ids = await captureLeads(
    h,
    SITE,
    'contact',
    PEOPLE.map((person, i) => ({
      fields: { email: `person${i}@example.com`, firstName: `Person ${i}` },
      campaign: person.campaign,
    })),
  )
  for (const [i, person] of PEOPLE.entries()) {
    if (person.stage === 'customer')
      await moveStage(h, SITE, ids[i]!, 'customer', { amount: 500_000, currency: 'EUR' })
    else if (person.stage) await moveStage(h, SITE, ids[i]!, person.stage)
    // Created (and first seen) days ago: the series spreads them, the sales cycle lasts that long.
    backdate(h, ids[i]!, person.ago)
  }

  await putSpend(h, SITE, 'q4-webinar', [
    [10, 10_000, 'EUR'],
    [3, 5_000, 'EUR'],
    [1, 3_050, 'EUR'],
    [5, 2_000, 'EUR'],
  ])
  await putSpend(h, SITE, 'brand-search', [
    [10, 2_000, 'EUR'],
    [0, 1_234, 'USD'],
  ])
}, 90_000)

afterAll(async () => {
  await h?.stop()
})

const en = formats('en')
const periodLabel = (period: { from: string; to: string }) =>
  period.from === period.to ? en.day(period.from) : `${en.day(period.from)} – ${en.day(period.to)}`

/** A table's rows as cell texts (`th` and `td`), links read as `text → href`. */
const tableOf = (page: Page, selector: string) =>
  page.locator(selector).evaluate((table) =>
    [...table.querySelectorAll('tr')].map((row) =>
      [...row.children].map((cell) => {
        const money = cell.querySelector('.chart-money')?.textContent
        const link = cell.querySelector('a')
        if (money === undefined) return cell.textContent?.trim() ?? ''
        return link ? `${money} | ${link.textContent} → ${link.getAttribute('href')}` : money
      }),
    ),
  )

/** What the cost table of `currency` must show for the API's series. */
function expectedCosts(series: CampaignSeries, currency: string, metric: 'cpl' | 'costPerSql') {
  const names: Record<string, string> = { 'q4-webinar': 'Q4 Webinar' }
  const lines = series.series.filter((s) => s.currency === currency)
  return [
    ['Period', ...lines.map((line) => names[line.campaign] ?? line.campaign)],
    ...series.periods.map((period, index) => [
      periodLabel(period),
      ...lines.map((line) => {
        const point = line.points[index]!
        const money = en.money(point[metric], currency)
        const count = metric === 'cpl' ? point.leads : point.sqls
        if (!count) return money
        const query = new URLSearchParams({
          campaign: line.campaign,
          attribution: 'first',
          createdFrom: period.from,
          createdTo: period.to,
          reached: metric === 'cpl' ? 'lead' : 'sql',
        })
        const counted = metric === 'cpl' ? ['lead', 'leads'] : ['SQL', 'SQLs']
        return `${money} | ${count} ${counted[count === 1 ? 0 : 1]} → /app/${SITE}/leads?${query}`
      }),
    ]),
  ]
}

async function signedIn(locale = 'en-GB') {
  const context = await h.newContext({ locale })
  const page = await context.newPage()
  const csp: string[] = []
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) csp.push(message.text())
  })
  page.on('pageerror', (error) => csp.push(`page error: ${error.message}`))
  await signInWithToken(page, h)
  return { context, page, csp }
}

const series = async (interval: 'day' | 'week') => {
  const answer = await apiAs<CampaignSeries>(
    h,
    `/v1/admin/sites/${SITE}/reports/campaigns/series?from=${FROM}&to=${TO}&interval=${interval}&attribution=first`,
  )
  expect(answer.status).toBe(200)
  return answer.body
}

describe('the dashboard’s charts', () => {
  it('show the reports’ figures in their tables, switch day and week in the URL, and run under the CSP', async () => {
    const { context, page, csp } = await signedIn()
    await page.goto(
      `${h.collector}/app/${SITE}/?from=${FROM}&to=${TO}&attribution=first&interval=day`,
    )
    const charts = page.locator('.cost-chart')
    // One chart per currency, each drawn by uPlot on a canvas that says what it shows.
    await expect.poll(() => page.locator('.cost-chart canvas[role="img"]').count()).toBe(2)
    expect(await charts.locator('figcaption').allTextContents()).toEqual([
      'Cost per lead (EUR)',
      'Cost per lead (USD)',
    ])
    const label = await charts.first().locator('canvas').getAttribute('aria-label')
    expect(label).toContain('Line chart: Cost per lead in EUR')
    expect(label).toContain('Q4 Webinar: €')

    const days = await series('day')
    expect(days.periods).toHaveLength(14)
    // A period of a campaign without leads has no CPL: a gap, not zero.
    const webinar = days.series.find((s) => s.campaign === 'q4-webinar' && s.currency === 'EUR')!
    expect(webinar.points[days.periods.findIndex((p) => p.from === day(-5))]).toMatchObject({
      spend: 2_000,
      leads: 0,
      cpl: null,
    })
    for (const [index, currency] of ['EUR', 'USD'].entries())
      expect(await tableOf(page, `.cost-chart >> nth=${index} >> table`)).toEqual(
        expectedCosts(days, currency, 'cpl'),
      )

    // A count drills down to exactly those leads.
    const link = page.locator('.cost-chart a.chart-count').first()
    const href = (await link.getAttribute('href'))!
    const listed = await apiAs<LeadList>(h, `/v1/admin/sites/${SITE}/leads?${href.split('?')[1]}`)
    expect(listed.body.total).toBe(Number.parseInt((await link.textContent())!, 10))

    // Cost per SQL: the same periods, the other figure.
    await page.getByLabel('Cost per SQL', { exact: true }).check()
    await expect
      .poll(() => tableOf(page, '.cost-chart >> nth=0 >> table'))
      .toEqual(expectedCosts(days, 'EUR', 'costPerSql'))
    await page.getByLabel('Cost per lead', { exact: true }).check()

    // Weeks: the URL keeps the period and says `interval=week`; the table has the weeks.
    await page.getByLabel('Weeks', { exact: true }).check()
    await page.waitForURL((url) => url.searchParams.get('interval') === 'week')
    const url = new URL(page.url())
    expect(Object.fromEntries(url.searchParams)).toEqual({
      from: FROM,
      to: TO,
      attribution: 'first',
      interval: 'week',
    })
    const weeks = await series('week')
    expect(weeks.periods.length).toBeLessThan(days.periods.length)
    await expect
      .poll(() => tableOf(page, '.cost-chart >> nth=0 >> table'))
      .toEqual(expectedCosts(weeks, 'EUR', 'cpl'))
    await page.reload()
    await expect.poll(() => page.getByLabel('Weeks', { exact: true }).isChecked()).toBe(true)

    // The sales cycle: median and p90 in words, the buckets in the table.
    const cycle = await apiAs<SalesCycle>(
      h,
      `/v1/admin/sites/${SITE}/reports/sales-cycle?from=${FROM}&to=${TO}&attribution=first`,
    )
    expect(cycle.body.customers).toBe(3)
    await expect
      .poll(() => page.locator('.cycle-summary').textContent())
      .toBe(
        `3 customers. Median: ${en.decimal(cycle.body.medianDays)} days. 90th percentile: ${en.decimal(cycle.body.p90Days)} days.`,
      )
    expect(await page.locator('svg.histogram').getAttribute('aria-label')).toContain(
      `Median: ${en.decimal(cycle.body.medianDays)} days`,
    )
    const customers = page.getByRole('link', { name: '3 customers in the lead list' })
    const listedCustomers = await apiAs<LeadList>(
      h,
      `/v1/admin/sites/${SITE}/leads?${(await customers.getAttribute('href'))!.split('?')[1]}`,
    )
    expect(listedCustomers.body.total).toBe(3)
    expect(await tableOf(page, 'section[aria-labelledby="chart-cycle"] table')).toEqual([
      ['Duration (days)', 'Customers'],
      ...cycle.body.buckets.map((b) => [
        b.toDays === null ? `${b.fromDays}+` : `${b.fromDays}–${b.toDays}`,
        String(b.customers),
      ]),
    ])

    // The forms: views, starts and submissions as `/reports/forms` counts them.
    const forms = await apiAs<FormsReport>(
      h,
      `/v1/admin/sites/${SITE}/reports/forms?from=${FROM}&to=${TO}`,
    )
    expect(forms.body.forms.map((f) => [f.formId, f.views, f.starts, f.submissions])).toEqual([
      ['contact', 8, 5, PEOPLE.length],
      ['whitepaper', 3, 0, 0],
    ])
    expect(await tableOf(page, 'section[aria-labelledby="chart-forms"] table')).toEqual([
      [
        'Form',
        'Views',
        'Starts',
        'Submissions',
        'View → start',
        'Start → submission',
        'View → submission',
      ],
      ...forms.body.forms.map((f) => [
        f.title,
        String(f.views),
        String(f.starts),
        String(f.submissions),
        en.percent(f.viewToStart),
        en.percent(f.startToSubmission),
        en.percent(f.viewToSubmission),
      ]),
    ])
    expect(await page.locator('.form-dropoff').allTextContents()).toEqual(
      forms.body.forms.map(
        (f) =>
          `Drop-off after the view: ${en.percent(f.dropOffAfterView)}; after the start: ${en.percent(f.dropOffAfterStart)}.`,
      ),
    )

    expect(csp).toEqual([])
    await context.close()
  })

  it('says in words when no lead became a customer', async () => {
    const { context, page, csp } = await signedIn()
    const from = day(-400)
    const to = day(-380)
    await page.goto(`${h.collector}/app/${SITE}/?from=${from}&to=${to}`)
    await page
      .getByText(
        'No lead of this period has become a customer yet, so there is no sales cycle to show.',
      )
      .waitFor()
    await page
      .getByText('No spend in this period: without spend there is no cost per lead.')
      .waitFor()
    expect(csp).toEqual([])
    await context.close()
  })

  it('shows a range longer than the series’ 400 days by week, with the day switch off', async () => {
    const { context, page, csp } = await signedIn()
    const from = day(-450)
    await page.goto(`${h.collector}/app/${SITE}/?from=${from}&to=${TO}&interval=day`)
    await expect.poll(() => page.locator('.cost-chart canvas[role="img"]').count()).toBe(2)
    expect(await page.getByLabel('Days', { exact: true }).isDisabled()).toBe(true)
    expect(await page.getByLabel('Weeks', { exact: true }).isChecked()).toBe(true)
    await page.getByText('By day only up to 400 days.').waitFor()
    const weeks = await apiAs<CampaignSeries>(
      h,
      `/v1/admin/sites/${SITE}/reports/campaigns/series?from=${from}&to=${TO}&interval=week`,
    )
    expect(await page.locator('.cost-chart >> nth=0 >> tbody tr').count()).toBe(
      weeks.body.periods.length,
    )
    expect(csp).toEqual([])
    await context.close()
  })

  it('says so when the chart cannot load, and its table still has the figures', async () => {
    const { context, page } = await signedIn()
    await page.route(/\/app\/assets\/uPlot/, (route) => route.abort())
    await page.goto(`${h.collector}/app/${SITE}/?from=${FROM}&to=${TO}&interval=day`)
    await page
      .getByText('The chart could not be loaded; the table below has its figures.')
      .first()
      .waitFor()
    expect(await page.locator('.cost-chart canvas').count()).toBe(0)
    expect(await tableOf(page, '.cost-chart >> nth=0 >> table')).toEqual(
      expectedCosts(await series('day'), 'EUR', 'cpl'),
    )
    await context.close()
  })

  for (const locale of ['de-DE', 'en-GB'])
    for (const viewport of [
      { width: 1280, height: 800 },
      { width: 390, height: 844 },
    ])
      it(`has no axe violations with the charts drawn (${locale}, ${viewport.width}px)`, async () => {
        const { context, page, csp } = await signedIn(locale)
        await page.setViewportSize(viewport)
        await page.goto(`${h.collector}/app/${SITE}/?from=${FROM}&to=${TO}&interval=day`)
        await expect.poll(() => page.locator('.cost-chart canvas[role="img"]').count()).toBe(2)
        await page
          .locator('section[aria-labelledby="chart-forms"] table')
          .waitFor({ state: 'attached' })
        await page
          .locator('details.chart-table summary')
          .evaluateAll((summaries) =>
            summaries.forEach((summary) => (summary as HTMLElement).click()),
          )
        // The chart fits the screen (ResizeObserver), not the other way round.
        const width = await page
          .locator('.cost-chart canvas')
          .first()
          .evaluate((c) => c.clientWidth)
        expect(width).toBeLessThanOrEqual(viewport.width)
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
          viewport.width,
        )
        expect(await axeViolations(page)).toEqual([])
        expect(csp).toEqual([])
        await context.close()
      })
})
