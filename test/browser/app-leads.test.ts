import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CampaignReport } from '../../shared/campaigns'
import type { FormInput } from '../../shared/form'
import type { LeadList } from '../../shared/leads'
import type { TokenCreated } from '../../shared/site'
import { apiAs, captureLeads, CONTACT_FORM as CONTACT_FORM_BASE, signInWithToken } from './app'
import { axeViolations } from './axe'
import { startHarness, type Harness } from './harness'

/**
 * The app's lead list and lead detail (docs/leads.md#in-the-app), opened in a browser on leads
 * captured through the public API: the list follows its URL query exactly as the API does, a
 * salesperson moves a lead to customer with its deal value, a viewer only reads.
 */
const SITE = 'app-leads'
const FORM = 'contact'
let h: Harness
const ids: Record<string, string> = {}

const CONTACT_FORM: FormInput = {
  ...CONTACT_FORM_BASE,
  consents: [{ purpose: 'marketing_email', text: 'You may email me.', required: true }],
}

/** The leads, as visitors send them through the form (each with its own start token). */
const PEOPLE = [
  { key: 'anna', first: 'Anna', last: 'Berg', company: 'Firma GmbH', campaign: 'Q4-Whitepaper' },
  { key: 'ben', first: 'Ben', last: 'Krause', company: 'Krause AG', campaign: 'Q4-Whitepaper' },
  { key: 'clara', first: 'Clara', last: 'Wolf', company: 'Wolf KG', campaign: 'Brand-Search' },
  { key: 'david', first: 'David', last: 'Stein', company: 'Stein & Söhne', campaign: null },
  // Created ten days ago (moved back in D1 below): outside a filter of the last days.
  { key: 'eva', first: 'Eva', last: 'Lang', company: 'Lang Bau', campaign: 'Q4-Whitepaper' },
] as const

const day = (offset: number) =>
  new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10)

beforeAll(async () => {
  h = await startHarness()
  await h.setupSite(SITE, {}, { name: 'Leads GmbH' })
  const form = await h.admin<{ consents: { purpose: string; textId: string }[] }>(
    `/v1/admin/sites/${SITE}/forms/${FORM}`,
    { method: 'PUT', body: JSON.stringify(CONTACT_FORM) },
  )
  const textId = form.consents[0]!.textId
  const leadIds = await captureLeads(
    h,
    SITE,
    FORM,
    PEOPLE.map((person) => ({
      fields: {
        email: `${person.key}@${person.last.toLowerCase()}.example`,
        firstName: person.first,
        lastName: person.last,
        company: person.company,
      },
      campaign: person.campaign,
    })),
    [{ purpose: 'marketing_email', granted: true, textId }],
  )
  for (const [i, person] of PEOPLE.entries()) ids[person.key] = leadIds[i]!
  const tenDaysAgo = new Date(Date.now() - 10 * 86_400_000).toISOString()
  h.query(`UPDATE leads SET created_at = '${tenDaysAgo}' WHERE id = '${ids.eva}'`)
}, 60_000)

afterAll(async () => {
  await h?.stop()
})

/** The names the list's table shows, in order. */
const namesInList = async (page: Page) => {
  await page.locator('.applied strong').waitFor()
  const table = page.getByRole('table')
  if (!(await table.count())) return []
  return table.locator('tbody th[scope="row"] a').allTextContents()
}

async function signedIn(locale = 'en-GB', token = h.rootToken) {
  const context = await h.newContext({ locale })
  const page = await context.newPage()
  await signInWithToken(page, h, token)
  return { context, page }
}

describe('the app’s leads', () => {
  it('search narrows the list, and a filter in the URL shows exactly the API’s leads', async () => {
    const { context, page } = await signedIn()
    await page.goto(`${h.collector}/app/${SITE}/leads`)
    expect(await namesInList(page)).toHaveLength(PEOPLE.length)
    await expect
      .poll(() => page.locator('.applied strong').textContent())
      .toContain('5 leads found')

    await page.getByLabel('Search (name, email, company)').fill('krause')
    await page.getByRole('button', { name: 'Apply' }).click()
    await page.waitForURL((url) => url.searchParams.get('q') === 'krause')
    await expect.poll(() => namesInList(page)).toEqual(['Ben Krause'])
    await expect.poll(() => page.locator('.applied').textContent()).toContain('1 leads found')

    const query = new URLSearchParams({
      campaign: 'q4-whitepaper',
      reached: 'lead',
      createdFrom: day(-3),
      createdTo: day(0),
    })
    const api = await apiAs<LeadList>(h, `/v1/admin/sites/${SITE}/leads?${query}`)
    expect(api.status).toBe(200)
    // Anna and Ben: Clara is another campaign, David has none, Eva is older.
    expect(api.body.total).toBe(2)
    await page.goto(`${h.collector}/app/${SITE}/leads?${query}`)
    await expect
      .poll(() => namesInList(page))
      .toEqual(api.body.leads.map((lead) => `${lead.firstName} ${lead.lastName}`))
    expect((await namesInList(page)).sort()).toEqual(['Anna Berg', 'Ben Krause'])
    const applied = await page.locator('.applied').textContent()
    expect(applied).toContain(`${api.body.total} leads found`)
    expect(applied).toContain('Campaign: q4-whitepaper')
    // The form shows the filters it applies.
    expect(await page.getByLabel('Campaign').inputValue()).toBe('q4-whitepaper')
    expect(await page.getByLabel('Created from').inputValue()).toBe(day(-3))

    // Clearing them shows every lead again.
    await page.getByRole('link', { name: 'Clear filters' }).click()
    await expect.poll(() => namesInList(page)).toHaveLength(PEOPLE.length)
    await context.close()
  })

  it('a salesperson moves a lead to customer with its deal value, and the report counts it', async () => {
    const report = () =>
      apiAs<CampaignReport>(
        h,
        `/v1/admin/sites/${SITE}/reports/campaigns?from=${day(-3)}&to=${day(0)}`,
      )
    // Spend for the campaign, so the report has a cost per order once there is a customer.
    const spend = await apiAs(h, `/v1/admin/sites/${SITE}/campaigns/q4-whitepaper/spend`, {
      method: 'PUT',
      body: { entries: [{ date: day(0), amount: 60_000, currency: 'EUR' }] },
    })
    expect(spend.status).toBe(200)
    const before = (await report()).body.rows.find(
      (row) => row.campaign === 'q4-whitepaper' && row.currency === 'EUR',
    )
    expect(before).toMatchObject({ customers: 0, costPerOrder: null, spend: 60_000 })

    const { context, page } = await signedIn()
    await page.goto(`${h.collector}/app/${SITE}/leads?q=anna`)
    await page.getByRole('link', { name: 'Anna Berg' }).click()
    await page.waitForURL(`${h.collector}/app/${SITE}/leads/${ids.anna}`)
    await page.getByRole('heading', { level: 1, name: 'Anna Berg' }).waitFor()
    const stage = page.locator('dl.facts dd').first()
    expect(await stage.textContent()).not.toBe('Customer')

    await page.getByRole('button', { name: 'Move stage' }).click()
    const dialog = page.getByRole('dialog', { name: 'Move stage' })
    await dialog.getByLabel('New stage').selectOption('customer')
    await dialog.getByLabel('Deal value').fill('12500,50')
    expect(await dialog.getByLabel('Currency (e.g. EUR)').inputValue()).toBe('EUR')
    await dialog.getByRole('button', { name: 'Save' }).click()
    await page.getByRole('status').getByText('The stage was changed.').waitFor()
    await expect.poll(() => stage.textContent()).toBe('Customer')
    await expect(dialog.isVisible()).resolves.toBe(false)
    // The history names the deal value, as money.
    await page.getByRole('cell', { name: '€12,500.50' }).waitFor()

    const lead = await h.lead(SITE, ids.anna!)
    expect(lead.stage).toBe('customer')
    expect(lead.stageHistory.at(-1)?.value).toEqual({ amount: 1_250_050, currency: 'EUR' })
    const after = (await report()).body.rows.find(
      (row) => row.campaign === 'q4-whitepaper' && row.currency === 'EUR',
    )
    expect(after).toMatchObject({ customers: 1, costPerOrder: 60_000, revenue: 1_250_050 })
    await context.close()
  })

  it('a viewer sees no stage change, and the API refuses it', async () => {
    const viewer = await h.admin<TokenCreated>(`/v1/admin/sites/${SITE}/tokens`, {
      method: 'POST',
      body: JSON.stringify({ scopes: ['reports:read', 'leads:read'], name: 'Viewer' }),
    })
    const { context, page } = await signedIn('en-GB', viewer.token)
    await page.goto(`${h.collector}/app/${SITE}/leads/${ids.ben}`)
    await page.getByRole('heading', { level: 1, name: 'Ben Krause' }).waitFor()
    // Reading is allowed: the export is offered, changing is not.
    await page.getByRole('button', { name: 'Export data (JSON)' }).waitFor()
    expect(await page.getByRole('button', { name: 'Move stage' }).count()).toBe(0)
    expect(await page.getByRole('button', { name: 'Erase lead' }).count()).toBe(0)

    const refused = await apiAs(h, `/v1/admin/sites/${SITE}/leads/${ids.ben}/stage`, {
      method: 'POST',
      body: { stage: 'sql' },
      token: viewer.token,
    })
    expect(refused.status).toBe(403)
    // Nor with the viewer's session cookie, from inside the page.
    const inPage = await page.evaluate(
      async (path) =>
        (
          await fetch(path, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ stage: 'sql' }),
          })
        ).status,
      `/v1/admin/sites/${SITE}/leads/${ids.ben}/stage`,
    )
    expect(inPage).toBe(403)
    expect((await h.lead(SITE, ids.ben!)).stageHistory.every((e) => e.cause === 'rule')).toBe(true)
    await context.close()
  })

  it('the journey shows the newest 50 touchpoints first, and older ones on “show older”', async () => {
    // 70 page views of Clara's, seeded in bulk, one a minute, the newest an hour ago.
    const newest = Date.now() - 3_600_000
    h.query(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 70)
       INSERT INTO touchpoints (site_key, event_id, type, occurred_at, received_at, url, path, lead_id)
       SELECT '${SITE}', 'journey-' || i, 'page_view',
         strftime('%Y-%m-%dT%H:%M:%fZ', ${newest} / 1000.0 - (70 - i) * 60, 'unixepoch'),
         strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'https://leads.example/page-' || i, '/page-' || i,
         '${ids.clara}'
       FROM n`,
    )
    const { context, page } = await signedIn('de-DE')
    await page.goto(`${h.collector}/app/${SITE}/leads/${ids.clara}`)
    await page.getByRole('heading', { level: 1, name: 'Clara Wolf' }).waitFor()
    const items = page.locator('ol.timeline > li')
    await expect.poll(() => items.count()).toBe(50)
    expect(await items.first().textContent()).toContain('https://leads.example/page-70')
    expect(await items.nth(49).textContent()).toContain('https://leads.example/page-21')

    await page.getByRole('button', { name: 'Ältere anzeigen' }).click()
    // The older page follows; the oldest is the visitor's first view, and nothing is left to load.
    await expect.poll(() => items.count()).toBeGreaterThanOrEqual(70)
    const urls = await page.locator('ol.timeline > li .hint').allTextContents()
    const seeded = urls.filter((url) => url.startsWith('https://leads.example/page-'))
    expect(seeded).toEqual(
      Array.from({ length: 70 }, (_, k) => `https://leads.example/page-${70 - k}`),
    )
    expect(await page.getByRole('button', { name: 'Ältere anzeigen' }).count()).toBe(0)
    await context.close()
  })

  for (const locale of ['de-DE', 'en-GB'])
    for (const viewport of [
      { width: 1280, height: 800 },
      { width: 390, height: 844 },
    ])
      it(`the list and a lead have no axe violations (${locale}, ${viewport.width}px)`, async () => {
        const { context, page } = await signedIn(locale)
        await page.setViewportSize(viewport)
        await page.goto(`${h.collector}/app/${SITE}/leads?campaign=q4-whitepaper`)
        await page.getByRole('table').waitFor()
        expect(await axeViolations(page)).toEqual([])
        await page.goto(`${h.collector}/app/${SITE}/leads/${ids.anna}`)
        await page.getByRole('heading', { level: 1, name: 'Anna Berg' }).waitFor()
        expect(await axeViolations(page)).toEqual([])
        // The stage dialog too, where one may change stages.
        await page.getByRole('button', { name: /Move stage|Phase ändern/ }).click()
        await page.getByRole('dialog').waitFor()
        expect(await axeViolations(page)).toEqual([])
        await context.close()
      })
})
