import { createServer, type Server } from 'node:http'
import type { Page } from 'playwright-core'
import { Webhook as Verifier } from 'standardwebhooks'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Integration } from '../../shared/integrations'
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
 * it once the receiver is fixed; the secret is rotated. Then the sales alerts and CRM cards against
 * the same collector: the email alert and a HubSpot token stored (the token never shown again, and
 * kept when only on/off changes), a Slack URL that is not a Slack webhook refused at its field,
 * Slack removed after asking, a HubSpot delivery failing for want of a network (wrangler dev has
 * none) and an email alert skipped; and an older collector without the routes.
 */
const SITE = 'hooks-site'
const FORM = 'contact'
const HOOK = 'crm-sync'
const HUBSPOT_TOKEN = 'pat-eu1-3f1c2b4a-7d9e-4e5f-a1b2-c3d4e5f6a7b8'
const SLACK_URL = 'https://hooks.slack.com/services/T0000/B0000/abcdefghk3d9'
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

/** The site's integrations, as the API lists them. */
const integrations = async () =>
  (await apiAs<{ integrations: Integration[] }>(h, `/v1/admin/sites/${SITE}/integrations`)).body
    .integrations

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

  it('sets up the email alert: the sales address and the trigger stay stored', async () => {
    const { context, page } = await signedIn()
    await openIntegrations(page)
    await page.getByRole('heading', { level: 2, name: 'Sales alerts' }).waitFor()
    await page.getByRole('heading', { level: 2, name: 'CRM' }).waitFor()
    const email = page.getByRole('form', { name: 'Email' })
    expect(await email.locator('.state').textContent()).toContain('Not set up')
    // Refused before anything is sent: not an address.
    await email.getByLabel('Sales address').fill('sales at firma')
    await email.getByRole('button', { name: 'Save Email' }).click()
    await expect
      .poll(() => email.locator('#int-email-to-error').textContent())
      .toContain('Please enter an email address')
    expect((await integrations()).find((one) => one.kind === 'email')).toBeUndefined()

    await email.getByLabel('Sales address').fill('sales@firma.example')
    await email.getByLabel('when a lead becomes hot').check()
    await email.getByRole('button', { name: 'Save Email' }).click()
    await page.getByText('Email saved.').waitFor()
    expect((await integrations()).find((one) => one.kind === 'email')).toMatchObject({
      to: 'sales@firma.example',
      on: 'hot',
      enabled: true,
      tokenSet: false,
    })

    await page.reload()
    await email.waitFor()
    expect(await email.getByLabel('Sales address').inputValue()).toBe('sales@firma.example')
    expect(await email.getByLabel('when a lead becomes hot').isChecked()).toBe(true)
    expect(await email.getByLabel('when a lead becomes SQL').isChecked()).toBe(false)
    expect(await email.locator('.state').textContent()).toContain('On')
    expect(await email.getByRole('link', { name: 'Deliveries Email' }).count()).toBe(1)
    await context.close()
  })

  it('stores a HubSpot token without ever showing it, and keeps it when only on/off changes', async () => {
    const { context, page } = await signedIn()
    await openIntegrations(page)
    const hubspot = page.getByRole('form', { name: 'HubSpot' })
    // Too short a token is refused at its field before anything is sent.
    await hubspot.getByLabel('Private app token').fill('pat')
    await hubspot.getByRole('button', { name: 'Save HubSpot' }).click()
    await expect.poll(() => hubspot.locator('#int-hubspot-token-error').count()).toBe(1)
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.id))
      .toBe('int-hubspot-token')

    await hubspot.getByLabel('Private app token').fill(HUBSPOT_TOKEN)
    await hubspot.getByRole('button', { name: 'Save HubSpot' }).click()
    await page.getByText('HubSpot saved.').waitFor()
    await page.reload()
    await hubspot.getByText('A token is stored').waitFor()
    expect(await hubspot.getByLabel('Private app token').inputValue()).toBe('')
    expect(await hubspot.getByLabel('Private app token').getAttribute('type')).toBe('password')
    // Neither the page nor the API's answer carries the token.
    expect(await page.content()).not.toContain(HUBSPOT_TOKEN)
    const listed = await apiAs<{ integrations: Integration[] }>(
      h,
      `/v1/admin/sites/${SITE}/integrations`,
    )
    expect(JSON.stringify(listed.body)).not.toContain(HUBSPOT_TOKEN)
    expect(listed.body.integrations.find((one) => one.kind === 'hubspot')).toMatchObject({
      enabled: true,
      tokenSet: true,
    })

    // Only on/off changes: the field stays empty and the token is kept.
    await hubspot.getByLabel('Switched on').uncheck()
    await hubspot.getByRole('button', { name: 'Save HubSpot' }).click()
    await page.getByText('HubSpot saved.').waitFor()
    await expect.poll(() => hubspot.locator('.state').textContent()).toContain('Off')
    expect((await integrations()).find((one) => one.kind === 'hubspot')).toMatchObject({
      enabled: false,
      tokenSet: true,
    })
    await hubspot.getByText('A token is stored').waitFor()
    await hubspot.getByLabel('Switched on').check()
    await hubspot.getByRole('button', { name: 'Save HubSpot' }).click()
    await expect.poll(() => hubspot.locator('.state').textContent()).toContain('On')
    expect((await integrations()).find((one) => one.kind === 'hubspot')).toMatchObject({
      enabled: true,
      tokenSet: true,
    })
    await context.close()
  })

  it('refuses a Slack URL that is not a Slack webhook at its field, and removes Slack after asking', async () => {
    const { context, page } = await signedIn()
    await openIntegrations(page)
    const slack = page.getByRole('form', { name: 'Slack' })
    const url = slack.getByLabel('Slack webhook URL')
    await url.fill('https://chat.example.com/services/T000/B000/abcd')
    await slack.getByRole('button', { name: 'Save Slack' }).click()
    // The collector's 422 target_not_allowed, at the field, in words, with the focus there.
    await expect.poll(() => url.getAttribute('aria-invalid')).toBe('true')
    expect(await slack.locator('#int-slack-url-error').textContent()).toBe(
      'The address must be a Slack incoming webhook, starting with https://hooks.slack.com/.',
    )
    expect(await url.getAttribute('aria-describedby')).toContain('int-slack-url-error')
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('int-slack-url')
    expect((await integrations()).find((one) => one.kind === 'slack')).toBeUndefined()

    await url.fill(SLACK_URL)
    await slack.getByRole('button', { name: 'Save Slack' }).click()
    await page.getByText('Slack saved.').waitFor()
    // Said by its host and last characters, never the whole URL.
    await slack.getByText('An address is stored (hooks.slack.com/…k3d9)').waitFor()
    expect(await url.inputValue()).toBe('')
    expect(await page.content()).not.toContain(SLACK_URL)
    expect(await axeViolations(page)).toEqual([])

    // Remove asks first; Cancel keeps it.
    await slack.getByRole('button', { name: 'Remove Slack' }).click()
    const dialog = page.getByRole('dialog', { name: 'Remove Slack?' })
    await dialog.getByRole('button', { name: 'Cancel' }).click()
    await expect.poll(() => dialog.count()).toBe(0)
    expect((await integrations()).find((one) => one.kind === 'slack')).toBeDefined()
    await slack.getByRole('button', { name: 'Remove Slack' }).click()
    await dialog.getByRole('button', { name: 'Remove' }).click()
    await page.getByText('Slack removed.').waitFor()
    await expect.poll(() => slack.locator('.state').textContent()).toContain('Not set up')
    expect(await slack.getByRole('button', { name: 'Remove Slack' }).count()).toBe(0)
    expect((await integrations()).find((one) => one.kind === 'slack')).toBeUndefined()
    await context.close()
  })

  it('shows a HubSpot delivery failing for want of a network, with its error', async () => {
    await lead('clara@firma.example')
    const { context, page } = await signedIn()
    await openIntegrations(page)
    await page.getByRole('link', { name: 'Deliveries HubSpot' }).click()
    await page.getByRole('heading', { level: 1, name: 'Deliveries to HubSpot' }).waitFor()
    const card = page.locator('article.int-delivery').first()
    await expect
      .poll(
        async () => {
          await page.getByRole('button', { name: 'Refresh' }).click()
          return card.locator('tbody tr').count()
        },
        { timeout: 20_000 },
      )
      .toBeGreaterThan(0)
    expect(['retrying', 'dead']).toContain(await card.getAttribute('data-status'))
    expect(await card.getByRole('heading').textContent()).toContain('Lead created')
    const row = card.locator('tbody tr').first()
    expect(await row.locator('td').nth(3).textContent()).toBe('no answer')
    expect((await row.locator('td').nth(4).textContent())?.length).toBeGreaterThan(1)
    expect(await card.getByRole('button', { name: 'Send again now' }).count()).toBe(1)
    expect(await axeViolations(page)).toEqual([])

    // The email alert heard of the same lead and had nothing to do: it did not turn hot.
    await page.goto(`${h.collector}/app/${SITE}/integrations/email`)
    await page.getByRole('heading', { level: 1, name: 'Deliveries to Email' }).waitFor()
    const skipped = page.locator('article.int-delivery[data-status="skipped"]').first()
    await expect
      .poll(
        async () => {
          await page.getByRole('button', { name: 'Refresh' }).click()
          return skipped.count()
        },
        { timeout: 20_000 },
      )
      .toBe(1)
    expect(await skipped.locator('.state').textContent()).toContain('Skipped')
    expect(await skipped.locator('td.int-error').first().textContent()).toBe(
      'The lead did not become hot.',
    )
    expect(await skipped.getByRole('button', { name: 'Send again now' }).count()).toBe(0)

    // Back on the screen, the HubSpot card says it is failing.
    await page.getByRole('link', { name: 'Back to the integrations' }).click()
    await expect
      .poll(() => page.getByRole('form', { name: 'HubSpot' }).locator('.state').textContent())
      .toContain('On, failing since')
    await context.close()
  })

  it('says so in a sentence when the collector has no integrations routes yet', async () => {
    const { context, page } = await signedIn()
    // What an older collector answers: nothing at this path.
    await page.route(`**/v1/admin/sites/${SITE}/integrations`, (route) =>
      route.fulfill({
        status: 404,
        contentType: 'application/problem+json',
        body: JSON.stringify({
          type: 'about:blank',
          title: 'Not Found',
          status: 404,
          code: 'not_found',
          detail: 'There is nothing at this path.',
        }),
      }),
    )
    await openIntegrations(page)
    await expect
      .poll(() => page.getByText('This collector does not offer sales alerts').count())
      .toBe(2)
    expect(await page.getByRole('form', { name: 'HubSpot' }).count()).toBe(0)
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
      // The cards, filled by the tests above, in the reader's language.
      const email = page.getByRole('form', { name: de ? 'E-Mail' : 'Email' })
      expect(
        await email.getByLabel(de ? 'Adresse des Vertriebs' : 'Sales address').inputValue(),
      ).toBe('sales@firma.example')
      expect(
        await email
          .getByLabel(de ? 'wenn ein Lead heiß wird' : 'when a lead becomes hot')
          .isChecked(),
      ).toBe(true)
      const hubspot = page.getByRole('form', { name: 'HubSpot' })
      await hubspot.getByText(de ? 'Ein Token ist hinterlegt.' : 'A token is stored.').waitFor()
      await hubspot.getByLabel(de ? 'Token der Private App' : 'Private app token').waitFor()
      await page
        .getByRole('form', { name: 'Slack' })
        .getByText(de ? 'Nicht eingerichtet' : 'Not set up')
        .waitFor()
      await page.getByRole('heading', { level: 2, name: 'CRM' }).waitFor()
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
