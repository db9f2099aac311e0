import { createServer, type Server } from 'node:http'
import type { Page } from 'playwright-core'
import { Webhook as Verifier } from 'standardwebhooks'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DeliveryListSchema, Webhook } from '../../shared/outbound'
import type { z } from 'zod'
import { apiAs, captureLeads, CONTACT_FORM, signInWithToken } from './app'
import { axeViolations } from './axe'
import { startHarness, type Harness } from './harness'

/**
 * The Integrations screen (docs/app.md#integrations) against a real collector and a receiver on
 * this machine: a webhook is created (a refused URL shown at its field first), its secret shown
 * once, a lead's event arrives signed with it and shows as delivered with its status code; the
 * receiver then fails, the screen shows the failure with its 500s, and a retry by hand delivers
 * it once the receiver is fixed; the secret is rotated. Sales alerts and CRM are shown as far as
 * the collector offers them.
 */
const SITE = 'hooks-site'
const FORM = 'contact'
const HOOK = 'crm-sync'
type Deliveries = z.infer<typeof DeliveryListSchema>

let h: Harness
let receiver: Server
let target = ''
/** What the receiver answers; what it got, with the headers the signature needs. */
const answer = { status: 200 }
const received: { body: string; headers: Record<string, string> }[] = []

beforeAll(async () => {
  // Private targets (this machine, http) allowed; retries at once, so a failing delivery settles.
  h = await startHarness({
    vars: { WEBHOOK_ALLOW_PRIVATE: 'on', WEBHOOK_RETRY_BASE_SECONDS: '0' },
  })
  await h.setupSite(SITE, { [FORM]: CONTACT_FORM })
  receiver = createServer((request, response) => {
    let body = ''
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')))
    request.on('end', () => {
      const headers: Record<string, string> = {}
      for (const [name, value] of Object.entries(request.headers))
        if (typeof value === 'string') headers[name] = value
      received.push({ body, headers })
      response.writeHead(answer.status, { 'content-type': 'text/plain' }).end('ok')
    })
  })
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
  target = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`
}, 120_000)

afterAll(async () => {
  await h?.stop()
  await new Promise((resolve) => receiver?.close(resolve))
})

async function signedIn(locale = 'en-GB', viewport = { width: 1280, height: 900 }) {
  const context = await h.newContext({ locale })
  const page = await context.newPage()
  await page.setViewportSize(viewport)
  await signInWithToken(page, h)
  return { context, page }
}

async function openIntegrations(page: Page) {
  await page.goto(`${h.collector}/app/${SITE}/integrations`)
  await page.locator('#int-wh-form').waitFor()
}

/** The deliveries of the webhook, newest first, as the API lists them. */
const deliveries = async () =>
  (await apiAs<Deliveries>(h, `/v1/admin/sites/${SITE}/webhooks/${HOOK}/deliveries`)).body
    .deliveries

const lead = (email: string) =>
  captureLeads(h, SITE, FORM, [{ fields: { email, firstName: 'Anna' } }]).then(([id]) => id!)

describe('the integrations screen', () => {
  let firstSecret = ''

  it('refuses a URL at its field, creates a webhook and shows its secret once', async () => {
    const { context, page } = await signedIn()
    await openIntegrations(page)
    // In the navigation for an admin.
    expect(
      await page.getByRole('navigation').getByRole('link', { name: 'Integrations' }).count(),
    ).toBe(1)
    await page.getByText('No webhooks yet.').waitFor()
    // The screen without a webhook yet has no axe violations either.
    expect(await axeViolations(page)).toEqual([])

    await page.getByLabel('Id', { exact: true }).fill(HOOK)
    await page.getByLabel('Address (URL)').fill('ftp://files.example.com/drop')
    await page.getByLabel(/Stage changed/).check()
    await page.getByRole('button', { name: 'Create the webhook' }).click()
    const url = page.locator('#int-wh-url')
    await expect.poll(() => url.getAttribute('aria-invalid')).toBe('true')
    expect(await page.locator('#int-wh-url-error').textContent()).toBe(
      'The address must start with https://.',
    )
    expect(await url.getAttribute('aria-describedby')).toContain('int-wh-url-error')
    // The focus went to the field in error.
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('int-wh-url')
    expect(await apiAs(h, `/v1/admin/sites/${SITE}/webhooks/${HOOK}`)).toMatchObject({
      status: 404,
    })

    await url.fill(target)
    await page.getByRole('button', { name: 'Create the webhook' }).click()
    const secret = page.getByRole('region', { name: `Signing secret of ${HOOK}` })
    await secret.waitFor()
    expect(await secret.textContent()).toContain('Lodestone will not show it again')
    firstSecret = (await secret.locator('pre code').textContent()) ?? ''
    expect(firstSecret).toMatch(/^whsec_/)
    expect(await secret.getByRole('button', { name: 'Copy the secret' }).count()).toBe(1)
    await page.getByText(`Webhook ${HOOK} saved.`).waitFor()

    const card = page.getByRole('article', { name: HOOK })
    expect(await card.textContent()).toContain(target)
    expect(await card.textContent()).toContain('lead.created')
    expect(await card.textContent()).toContain('lead.stage_changed')
    expect(await card.locator('.state').textContent()).toContain('On')
    expect(await axeViolations(page)).toEqual([])

    // Never again: the list and a reload carry no secret.
    const listed = await apiAs<{ webhooks: Webhook[] }>(h, `/v1/admin/sites/${SITE}/webhooks`)
    expect(JSON.stringify(listed.body)).not.toContain(firstSecret)
    await page.reload()
    await card.waitFor()
    expect(await page.getByRole('region', { name: `Signing secret of ${HOOK}` }).count()).toBe(0)
    await context.close()
  })

  it('shows a lead’s event delivered with its status code, signed with the secret', async () => {
    await lead('anna@firma.example')
    await expect.poll(() => received.length, { timeout: 20_000 }).toBeGreaterThan(0)
    const [first] = received
    const verified = new Verifier(firstSecret).verify(first!.body, first!.headers) as {
      type: string
    }
    expect(verified.type).toBe('lead.created')

    const { context, page } = await signedIn()
    await openIntegrations(page)
    await page.getByRole('link', { name: `Deliveries ${HOOK}` }).click()
    await page.getByRole('heading', { level: 1, name: `Deliveries of webhook ${HOOK}` }).waitFor()
    const card = page.locator('article.int-delivery').first()
    await expect
      .poll(
        async () => {
          await page.getByRole('button', { name: 'Refresh' }).click()
          return card.getAttribute('data-status')
        },
        { timeout: 20_000 },
      )
      .toBe('succeeded')
    expect(await card.locator('.state').textContent()).toContain('Delivered')
    expect(await card.getByRole('heading').textContent()).toContain('Lead created')
    const row = card.locator('tbody tr').first()
    expect(await row.locator('td').nth(3).textContent()).toBe('200')
    expect(await row.locator('td').nth(2).textContent()).toMatch(/^\d+ ms$/)
    expect(await card.getByRole('button', { name: 'Send again now' }).count()).toBe(0)
    expect(await axeViolations(page)).toEqual([])
    await context.close()
  })

  it('shows a failing delivery with its 500s and delivers it again by hand', async () => {
    answer.status = 500
    const before = received.length
    await lead('bert@firma.example')
    // It fails, and Lodestone keeps trying (or gives up, if its retries ran out already).
    await expect
      .poll(
        async () => {
          const newest = (await deliveries())[0]
          return newest?.attempts.some((attempt) => attempt.statusCode === 500) ?? false
        },
        { timeout: 20_000 },
      )
      .toBe(true)
    expect(received.length).toBeGreaterThan(before)

    const { context, page } = await signedIn()
    await page.goto(`${h.collector}/app/${SITE}/integrations/webhooks/${HOOK}`)
    const card = page.locator('article.int-delivery').first()
    await card.waitFor()
    expect(['retrying', 'dead']).toContain(await card.getAttribute('data-status'))
    expect(await card.locator('.state').textContent()).toMatch(/Failing, will retry|Given up/)
    expect(await card.locator('tbody tr td:nth-child(4)').first().textContent()).toBe('500')
    expect(await card.getByRole('heading').textContent()).toContain('Lead created')
    // The older delivery is still delivered.
    expect(await page.locator('article.int-delivery').nth(1).getAttribute('data-status')).toBe(
      'succeeded',
    )
    // The status filter is in the URL.
    await page.getByLabel('Status').selectOption('succeeded')
    await page.getByRole('button', { name: 'Filter' }).click()
    await page.waitForURL((url) => url.search === '?status=succeeded')
    await expect.poll(() => page.locator('article.int-delivery').count()).toBe(1)
    await page.getByLabel('Status').selectOption('')
    await page.getByRole('button', { name: 'Filter' }).click()
    await page.waitForURL((url) => url.search === '')
    await expect.poll(() => page.locator('article.int-delivery').count()).toBe(2)
    expect(await axeViolations(page)).toEqual([])

    answer.status = 200
    await page
      .locator('article.int-delivery')
      .first()
      .getByRole('button', { name: 'Send again now' })
      .click()
    await page.getByText('The delivery is queued again.').waitFor()
    await expect
      .poll(
        async () => {
          await page.getByRole('button', { name: 'Refresh' }).click()
          return page.locator('article.int-delivery').first().getAttribute('data-status')
        },
        { timeout: 20_000 },
      )
      .toBe('succeeded')
    const rows = page.locator('article.int-delivery').first().locator('tbody tr')
    expect(await rows.last().locator('td').nth(3).textContent()).toBe('200')
    await context.close()
  })

  it('rotates the secret: the new one is shown once, the old one signs for 24 hours', async () => {
    const { context, page } = await signedIn()
    await openIntegrations(page)
    await page.getByRole('button', { name: `Rotate secret ${HOOK}` }).click()
    const dialog = page.getByRole('dialog', { name: 'Rotate the secret?' })
    await dialog.getByRole('button', { name: 'Rotate secret' }).click()
    const secret = page.getByRole('region', { name: `Signing secret of ${HOOK}` })
    await secret.waitFor()
    const next = (await secret.locator('pre code').textContent()) ?? ''
    expect(next).toMatch(/^whsec_/)
    expect(next).not.toBe(firstSecret)
    expect(await secret.textContent()).toContain('The previous secret also signs until')
    // The focus is on the new secret's heading, so a screen reader reads it first.
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.id))
      .toBe('int-secret-title')

    // Switched off and on again from its card.
    const card = page.getByRole('article', { name: HOOK })
    await card.getByRole('button', { name: `Switch off ${HOOK}` }).click()
    await page.getByText(`Webhook ${HOOK} is switched off.`).waitFor()
    await expect.poll(() => card.locator('.state').textContent()).toContain('Off')
    await card.getByRole('button', { name: `Switch on ${HOOK}` }).click()
    await page.getByText(`Webhook ${HOOK} is switched on.`).waitFor()
    await context.close()
  })

  it('says in words why Lodestone switched a webhook off, and switches it on again', async () => {
    h.query(
      `UPDATE endpoints SET enabled = 0, disabled_reason = 'gone' WHERE endpoint_id = '${HOOK}'`,
    )
    const { context, page } = await signedIn()
    await openIntegrations(page)
    const card = page.getByRole('article', { name: HOOK })
    expect(await card.locator('.state').textContent()).toContain(
      'Switched off: the receiver answered 410 Gone',
    )
    await card.getByRole('button', { name: `Switch on again ${HOOK}` }).click()
    await page.getByText(`Webhook ${HOOK} is switched on.`).waitFor()
    const listed = await apiAs<{ webhooks: Webhook[] }>(h, `/v1/admin/sites/${SITE}/webhooks`)
    expect(listed.body.webhooks[0]).toMatchObject({ enabled: true, disabledReason: null })
    await context.close()
  })

  it('shows sales alerts and CRM as far as the collector offers them', async () => {
    const offered = await apiAs(h, `/v1/admin/sites/${SITE}/integrations`)
    const { context, page } = await signedIn()
    await openIntegrations(page)
    await page.getByRole('heading', { level: 2, name: 'Sales alerts' }).waitFor()
    await page.getByRole('heading', { level: 2, name: 'CRM' }).waitFor()
    if (offered.status === 404) {
      // This branch: the integrations routes are not on this collector yet.
      await expect
        .poll(() => page.getByText('This collector does not offer sales alerts').count())
        .toBe(2)
    } else {
      const email = page.getByRole('form', { name: 'Email' })
      await email.getByLabel('Sales address').fill('sales@firma.example')
      await email.getByLabel('when a lead becomes hot').check()
      await email.getByRole('button', { name: 'Save Email' }).click()
      await page.getByText('Email saved.').waitFor()
      const hubspot = page.getByRole('form', { name: 'HubSpot' })
      await hubspot.getByLabel('Private app token').fill('pat-eu1-0123456789')
      await hubspot.getByRole('button', { name: 'Save HubSpot' }).click()
      await page.getByText('HubSpot saved.').waitFor()
      await page.getByRole('form', { name: 'HubSpot' }).getByText('A token is stored').waitFor()
    }
    expect(await axeViolations(page)).toEqual([])
    await context.close()
  })

  for (const [locale, viewport] of [
    ['de-DE', { width: 375, height: 812 }],
    ['en-GB', { width: 375, height: 812 }],
    ['de-DE', { width: 1280, height: 900 }],
  ] as const)
    it(`renders in ${locale} at ${viewport.width}px without axe violations`, async () => {
      const { context, page } = await signedIn(locale, viewport)
      await openIntegrations(page)
      await page.getByRole('article', { name: HOOK }).waitFor()
      const de = locale === 'de-DE'
      await page
        .getByRole('heading', { level: 1, name: de ? 'Integrationen' : 'Integrations' })
        .waitFor()
      await page
        .getByRole('heading', { level: 2, name: de ? 'Hinweise an den Vertrieb' : 'Sales alerts' })
        .waitFor()
      expect(await page.getByText(de ? 'Webhook hinzufügen' : 'Add a webhook').count()).toBe(1)
      // Nothing wider than the phone: the page does not scroll sideways.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
        viewport.width,
      )
      expect(await axeViolations(page)).toEqual([])

      await page.goto(`${h.collector}/app/${SITE}/integrations/webhooks/${HOOK}`)
      await page.locator('article.int-delivery').first().waitFor()
      expect(await page.locator('main').textContent()).toContain(de ? 'Zugestellt' : 'Delivered')
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
        viewport.width,
      )
      expect(await axeViolations(page)).toEqual([])

      // The language switch in the header turns the screen into the other language.
      await page.getByRole('button', { name: de ? 'EN English' : 'DE Deutsch' }).click()
      await page
        .getByRole('heading', {
          level: 1,
          name: de ? `Deliveries of webhook ${HOOK}` : `Zustellungen von Webhook ${HOOK}`,
        })
        .waitFor()
      await context.close()
    })
})

/**
 * The screenshots in docs/screenshots/ (README, docs/app.md), taken on this test's data with
 * `SCREENSHOTS=1 npx vitest run --project browser test/browser/app-integrations.test.ts`.
 */
describe.runIf(process.env.SCREENSHOTS)('screenshots', () => {
  const shots = new URL('../../docs/screenshots/', import.meta.url).pathname
  it('takes the desktop screen in English and the deliveries on a phone in German', async () => {
    const desktop = await signedIn('en-GB', { width: 1280, height: 860 })
    await openIntegrations(desktop.page)
    await desktop.page.getByRole('article', { name: HOOK }).waitFor()
    await desktop.page.screenshot({ path: `${shots}integrations.png` })
    await desktop.context.close()

    const phone = await signedIn('de-DE', { width: 375, height: 812 })
    await phone.page.goto(`${h.collector}/app/${SITE}/integrations/webhooks/${HOOK}`)
    await phone.page.locator('article.int-delivery').first().waitFor()
    await phone.page.screenshot({ path: `${shots}integrations-deliveries-phone-de.png` })
    await phone.context.close()
  })
})
