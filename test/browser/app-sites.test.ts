import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LeadList } from '../../shared/leads'
import type { SiteDetail, TokenList } from '../../shared/site'
import type { SessionInfo } from '../../shared/users'
import {
  apiAs,
  captureLeads,
  CONTACT_FORM,
  mailedLink,
  signInWithLink,
  signInWithToken,
} from './app'
import { axeViolations } from './axe'
import { startHarness, type Harness } from './harness'

/**
 * The site owner's screens (docs/app.md#sites, #settings, #team) in a browser: the root token
 * creates a site by keyboard alone, its settings are edited (a bad origin refused at its row, the
 * stage model locked once a lead exists), people are invited, moved and removed, and a token is
 * shown once, works, and stops working when revoked.
 */
const SITE = 'keyboard-site'
let h: Harness

beforeAll(async () => {
  h = await startHarness()
}, 60_000)

afterAll(async () => {
  await h?.stop()
})

/** Presses Tab until the focus is on `selector` (keyboard only, as a person without a mouse). */
async function tabTo(page: Page, selector: string, max = 80) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab')
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return
  }
  throw new Error(`Tab never reached ${selector}`)
}

async function signedIn(locale = 'en-GB') {
  const context = await h.newContext({ locale })
  const page = await context.newPage()
  await signInWithToken(page, h)
  return { context, page }
}

const readSite = async () => {
  const site = await apiAs<SiteDetail>(h, `/v1/admin/sites/${SITE}`)
  expect(site.status).toBe(200)
  return site.body
}

describe('the app’s site screens', () => {
  it('the root token creates a site by keyboard alone, and it appears in the site picker', async () => {
    const { context, page } = await signedIn()
    // No site yet: the home screen offers to create the first one.
    await page.getByRole('heading', { level: 1, name: 'No site yet' }).waitFor()
    await tabTo(page, 'main a[href="/app/_new-site"]')
    await page.keyboard.press('Enter')
    await page.getByRole('heading', { level: 1, name: 'New site' }).waitFor()
    await page.locator('#site-key').waitFor()

    await tabTo(page, '#site-key')
    await page.keyboard.type(SITE)
    await tabTo(page, '#site-name')
    await page.keyboard.type('Keyboard GmbH')
    await tabTo(page, '#site-origin-0')
    await page.keyboard.type('https://www.keyboard.example')
    // A second row for the fixture pages' origin: the new row takes the focus.
    await tabTo(page, 'button.secondary:not([disabled])')
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Add an origin')
    await page.keyboard.press('Enter')
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('site-origin-1')
    await page.keyboard.type(h.pages)
    // Type-ahead in the selects: German forms, Austrian phone numbers.
    await tabTo(page, '#site-locale')
    await page.keyboard.type('German')
    await tabTo(page, '#site-country')
    await page.keyboard.type('Austria')
    // Phone becomes a required field (Space on its checkbox), the MQL threshold 40.
    await tabTo(page, 'input[type="checkbox"]:not([disabled])')
    for (let i = 0; i < 4; i++) await page.keyboard.press('Tab')
    expect(
      await page.evaluate(() => document.activeElement?.closest('label')?.textContent?.trim()),
    ).toBe('Phone')
    await page.keyboard.press('Space')
    await tabTo(page, '#site-mqlThreshold')
    await page.keyboard.type('40')
    await tabTo(page, 'button[type="submit"]')
    await page.keyboard.press('Enter')

    await page.waitForURL(`${h.collector}/app/${SITE}/settings`)
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor()
    const picker = page.getByRole('combobox', { name: 'Site' })
    await expect.poll(() => picker.inputValue()).toBe(SITE)
    expect(await picker.locator('option:checked').textContent()).toBe('Keyboard GmbH')
    expect(await readSite()).toMatchObject({
      name: 'Keyboard GmbH',
      allowedOrigins: ['https://www.keyboard.example', h.pages],
      locale: 'de',
      country: 'AT',
      stageModel: 'b2b',
      requiredFields: ['email', 'firstName', 'lastName', 'company', 'jobTitle', 'phone'],
      rules: { mqlThreshold: 40 },
      retentionDays: 396,
      turnstile: false,
      accentColor: null,
      stageModelLocked: false,
    })
    await context.close()
  })

  it('edits the settings: a bad origin is refused at its row, a good edit survives a reload', async () => {
    const { context, page } = await signedIn()
    await page.goto(`${h.collector}/app/${SITE}/settings`)
    const name = page.getByLabel('Name', { exact: true })
    await name.waitFor()
    await name.fill('Keyboard AG')
    await page.getByRole('button', { name: 'Add an origin' }).click()
    const third = page.getByLabel('Origin 3', { exact: true })
    await third.fill('https://shop.keyboard.example/path')
    await page.getByRole('button', { name: 'Save' }).click()
    // The browser's check, in the API's words, at the row; focus moved there; nothing sent.
    await expect.poll(() => third.getAttribute('aria-invalid')).toBe('true')
    const error = page.locator('#site-origin-2-error')
    expect(await error.textContent()).toBe(
      'must be an origin such as https://www.example.com (no path, no trailing slash)',
    )
    expect(await third.getAttribute('aria-describedby')).toContain('site-origin-2-error')
    // Focus moves in an effect after the refusal renders: wait for it, as a person would.
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('site-origin-2')
    expect((await readSite()).name).toBe('Keyboard GmbH')

    await third.fill('https://shop.keyboard.example')
    await page.getByRole('button', { name: 'Save' }).click()
    await page.getByRole('status').getByText('Saved.').waitFor()
    expect(await third.getAttribute('aria-invalid')).toBeNull()
    // The picker reads the session, read again after the save.
    await expect
      .poll(() =>
        page.getByRole('combobox', { name: 'Site' }).locator('option:checked').textContent(),
      )
      .toBe('Keyboard AG')

    await page.reload()
    await page.getByLabel('Name', { exact: true }).waitFor()
    expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe('Keyboard AG')
    expect(await page.getByLabel('Origin 3', { exact: true }).inputValue()).toBe(
      'https://shop.keyboard.example',
    )
    expect((await readSite()).allowedOrigins).toEqual([
      'https://www.keyboard.example',
      h.pages,
      'https://shop.keyboard.example',
    ])
    await context.close()
  })

  it('shows what the API refuses at its control: Turnstile without the collector’s keys', async () => {
    const { context, page } = await signedIn()
    await page.goto(`${h.collector}/app/${SITE}/settings`)
    const turnstile = page.getByRole('checkbox', { name: 'Cloudflare Turnstile on the forms' })
    await turnstile.check()
    await page.getByRole('button', { name: 'Save' }).click()
    const error = page.locator('#site-turnstile-error')
    await error.waitFor()
    expect(await error.textContent()).toBe(
      'This collector has no Turnstile keys; set TURNSTILE_SITE_KEY and TURNSTILE_SECRET first.',
    )
    expect(await turnstile.getAttribute('aria-invalid')).toBe('true')
    expect(await turnstile.getAttribute('aria-describedby')).toBe(
      'site-turnstile-error site-turnstile-hint',
    )
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('site-turnstile')
    expect((await readSite()).turnstile).toBe(false)
    await context.close()
  })

  it('asks before leaving unsaved changes, and stays when told to', async () => {
    const { context, page } = await signedIn()
    await page.goto(`${h.collector}/app/${SITE}/settings`)
    const name = page.getByLabel('Name', { exact: true })
    await name.waitFor()
    await name.fill('Not saved')
    const asked: string[] = []
    page.once('dialog', (dialog) => {
      asked.push(dialog.message())
      void dialog.dismiss()
    })
    await page.getByRole('link', { name: 'Leads' }).click()
    await expect
      .poll(() => asked)
      .toEqual(['Your changes are not saved yet. Leave the page anyway?'])
    expect(new URL(page.url()).pathname).toBe(`/app/${SITE}/settings`)
    expect(await name.inputValue()).toBe('Not saved')
    page.once('dialog', (dialog) => void dialog.accept())
    await page.getByRole('link', { name: 'Leads' }).click()
    await page.waitForURL(`${h.collector}/app/${SITE}/leads`)
    expect((await readSite()).name).toBe('Keyboard AG')
    await context.close()
  })

  it('locks the stage model once a lead exists, with the reason, also when the lead came meanwhile', async () => {
    await h.admin(`/v1/admin/sites/${SITE}/forms/contact`, {
      method: 'PUT',
      body: JSON.stringify(CONTACT_FORM),
    })
    const { context, page } = await signedIn()
    await page.goto(`${h.collector}/app/${SITE}/settings`)
    const b2c = page.getByRole('radio', { name: 'B2C: consumers' })
    await b2c.waitFor()
    expect(await b2c.isDisabled()).toBe(false)
    // A lead arrives while the screen is open; switching is then refused at the control.
    await captureLeads(h, SITE, 'contact', [
      { fields: { email: 'lea@example.com', firstName: 'Lea' } },
    ])
    await b2c.check()
    await page.getByRole('button', { name: 'Save' }).click()
    const refused = page.locator('#site-stage-model-error')
    await refused.waitFor()
    expect(await refused.textContent()).toBe(
      'The site has leads by now; their stages belong to its current model, so it stays.',
    )
    expect(await b2c.getAttribute('aria-invalid')).toBe('true')
    expect((await readSite()).stageModel).toBe('b2b')

    page.once('dialog', (dialog) => void dialog.accept())
    await page.reload()
    await page.locator('#site-stage-model-locked').waitFor()
    expect(await page.locator('#site-stage-model-locked').textContent()).toBe(
      'Locked: the site has leads already, and their stages belong to the b2b model. The stage model can no longer change.',
    )
    expect(await page.getByRole('radio', { name: 'B2C: consumers' }).isDisabled()).toBe(true)
    expect(await page.getByRole('radio', { name: 'B2B: business buyers' }).isChecked()).toBe(true)
    expect(
      await page.getByRole('group', { name: 'Stage model' }).getAttribute('aria-describedby'),
    ).toBe('site-stage-model-locked')
    expect((await readSite()).stageModelLocked).toBe(true)
    await context.close()
  })

  it('team: invites a person (who signs in from the mail), changes their role and removes them', async () => {
    const email = 'mia.marketing@example.com'
    const { context, page } = await signedIn()
    await page.goto(`${h.collector}/app/${SITE}/team`)
    const invite = page.getByRole('form', { name: 'Invite a person' })
    // A new person is a viewer unless chosen otherwise; the mail in the reader's language.
    expect(await invite.getByLabel('Role').inputValue()).toBe('viewer')
    expect(await invite.getByLabel('Language of the invitation').inputValue()).toBe('en')
    await invite.getByLabel('Email').fill(email)
    await invite.getByLabel('Role').selectOption('marketer')
    await invite.getByLabel('Language of the invitation').selectOption('en')
    await invite.getByRole('button', { name: 'Send the invitation' }).click()
    await invite.getByRole('status').getByText(`Invitation mailed to ${email}.`).waitFor()
    const row = page.getByRole('row', { name: new RegExp(email) })
    await row.waitFor()
    expect(await row.getByRole('combobox').inputValue()).toBe('marketer')
    expect(await row.textContent()).toContain('root token')
    expect(await row.textContent()).toContain('never')

    // The mail arrived; its link signs Mia in, as a marketer of this site.
    const mia = await h.newContext({ locale: 'en-GB' })
    const miaPage = await mia.newPage()
    await signInWithLink(miaPage, mailedLink(h, email))
    const session = (await miaPage.evaluate(async () =>
      (await fetch('/v1/auth/session')).json(),
    )) as SessionInfo
    expect(session.sites).toEqual([expect.objectContaining({ siteKey: SITE, role: 'marketer' })])

    await page.getByRole('combobox', { name: `Role of ${email}` }).selectOption('sales')
    await page.getByRole('status').getByText(`${email} is now sales.`).waitFor()
    const users = await apiAs<{ users: { email: string; role: string }[] }>(
      h,
      `/v1/admin/sites/${SITE}/users`,
    )
    expect(users.body.users).toEqual([expect.objectContaining({ email, role: 'sales' })])

    await page.getByRole('button', { name: `Remove ${email}` }).click()
    const dialog = page.getByRole('dialog', { name: 'Remove this person?' })
    await dialog.getByText(`${email} loses access to this site at once.`).waitFor()
    await dialog.getByRole('button', { name: 'Remove', exact: true }).click()
    await page.getByRole('status').getByText(`${email} removed.`).waitFor()
    await page.getByText('Nobody invited yet.').waitFor()
    expect(
      (await apiAs<{ users: unknown[] }>(h, `/v1/admin/sites/${SITE}/users`)).body.users,
    ).toEqual([])
    // Her session ended with her last site.
    expect(await miaPage.evaluate(async () => (await fetch('/v1/auth/session')).status)).toBe(401)
    await mia.close()
    await context.close()
  })

  it('team: a token is shown once with a copy button, works, and stops working when revoked', async () => {
    const { context, page } = await signedIn()
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: h.collector })
    await page.goto(`${h.collector}/app/${SITE}/team`)
    const create = page.getByRole('form', { name: 'Create a token' })
    await create.getByLabel('Name (what for?)').fill('CRM sync')
    await create.getByRole('checkbox', { name: 'leads:read' }).check()
    await create.getByRole('button', { name: 'Create the token' }).click()
    const shown = page.getByRole('region', { name: 'Your new token' })
    await shown.getByText('Shown only now; store it in your password manager.').waitFor()
    const field = shown.getByRole('textbox', { name: 'Your new token' })
    expect(await field.getAttribute('readonly')).not.toBeNull()
    const token = await field.inputValue()
    expect(token).toMatch(/^lst_/)
    await shown.getByRole('button', { name: 'Copy' }).click()
    await shown.getByRole('status').getByText('Copied.').waitFor()
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token)

    const leads = await apiAs<LeadList>(h, `/v1/admin/sites/${SITE}/leads`, { token })
    expect(leads.status).toBe(200)
    expect(leads.body.leads.map((lead) => lead.email)).toEqual(['lea@example.com'])
    const listed = (await apiAs<TokenList>(h, `/v1/admin/sites/${SITE}/tokens`)).body.tokens
    expect(listed).toEqual([
      expect.objectContaining({ name: 'CRM sync', scopes: ['leads:read'], revokedAt: null }),
    ])
    expect(JSON.stringify(listed)).not.toContain(token)

    // Leaving the screen forgets the token; the table keeps only its name.
    await page.getByRole('link', { name: 'Dashboard' }).click()
    await page.waitForURL(`${h.collector}/app/${SITE}/`)
    await page.getByRole('link', { name: 'Team' }).click()
    const row = page.getByRole('row', { name: /CRM sync/ })
    await row.waitFor()
    expect(await page.getByRole('region', { name: 'Your new token' }).count()).toBe(0)
    expect(await page.content()).not.toContain(token)
    expect(await row.textContent()).toContain('active')

    await row.getByRole('button', { name: 'Revoke CRM sync' }).click()
    const dialog = page.getByRole('dialog', { name: 'Revoke this token?' })
    await dialog.getByText('CRM sync stops working at once').waitFor()
    await dialog.getByRole('button', { name: 'Revoke', exact: true }).click()
    await page.getByRole('status').getByText('Token revoked.').waitFor()
    await expect.poll(async () => (await row.textContent()) ?? '').toContain('revoked')
    expect((await apiAs(h, `/v1/admin/sites/${SITE}/leads`, { token })).status).toBe(401)
    await context.close()
  })

  for (const [locale, viewport] of [
    ['de-DE', { width: 1280, height: 800 }],
    ['de-DE', { width: 390, height: 844 }],
    ['en-GB', { width: 1280, height: 800 }],
    ['en-GB', { width: 390, height: 844 }],
  ] as const) {
    it(`new site, settings and team have no axe violations (${locale}, ${viewport.width}px)`, async () => {
      const { context, page } = await signedIn(locale)
      await page.setViewportSize(viewport)
      await page.goto(`${h.collector}/app/_new-site`)
      await page.locator('#site-key').waitFor()
      expect(await axeViolations(page)).toEqual([])
      // A refused submit shows every kind of field error at once.
      await page.locator('button[type="submit"]').click()
      await page.locator('#site-key-error').waitFor()
      expect(await axeViolations(page)).toEqual([])

      await page.goto(`${h.collector}/app/${SITE}/settings`)
      await page.locator('#site-stage-model-locked').waitFor()
      expect(await axeViolations(page)).toEqual([])

      await page.goto(`${h.collector}/app/${SITE}/team`)
      await page.getByRole('row', { name: /CRM sync/ }).waitFor()
      await page.locator('details.team-roles summary').click()
      expect(await axeViolations(page)).toEqual([])
      await context.close()
    })
  }
})
