import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SessionInfo } from '../../shared/users'
import { apiAs, mailedLink, signInWithLink, signInWithToken, statusInPage } from './app'
import { axeViolations } from './axe'
import { startHarness, type Harness } from './harness'

/**
 * Signing in to the app as people do (docs/app-sign-in.md): invited by email, through the mailed
 * link, or with a pasted token; the cookie is the session, and signing out ends it.
 */
let h: Harness

beforeAll(async () => {
  h = await startHarness()
  for (const [siteKey, name] of [
    ['signin-acme', 'Acme GmbH'],
    ['signin-other', 'Other AG'],
  ]) {
    await h.setupSite(siteKey!, {}, { name: name! })
  }
})

afterAll(async () => {
  await h?.stop()
})

describe('the app’s sign-in', () => {
  it('an invited person signs in through the mailed link, sees only their site, and signs out', async () => {
    const email = 'ana.marketing@example.com'
    const invite = await apiAs<{ invited: boolean }>(
      h,
      `/v1/admin/sites/signin-acme/users/${email}`,
      {
        method: 'PUT',
        body: { role: 'marketer', lang: 'en' },
      },
    )
    expect(invite).toMatchObject({ status: 201, body: { invited: true } })
    const link = mailedLink(h, email)
    expect(link.startsWith(`${h.collector}/app/sign-in#link=`)).toBe(true)

    const context = await h.newContext({ locale: 'en-GB' })
    const page = await context.newPage()
    await signInWithLink(page, link)
    // The secret is gone from the address bar, the person is on their only site's dashboard.
    await page.waitForURL(`${h.collector}/app/signin-acme/`)
    const cookies = await context.cookies(h.collector)
    const session = cookies.find((cookie) => cookie.name === '__Host-lodestone_session')
    expect(session).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict', path: '/' })
    expect(await page.evaluate(() => document.cookie)).toBe('')

    const who = await page.evaluate(async () => (await fetch('/v1/auth/session')).json())
    expect((who as SessionInfo).sites.map((site) => site.siteKey)).toEqual(['signin-acme'])
    expect(await statusInPage(page, '/v1/admin/sites/signin-acme/leads')).toBe(200)
    expect(await statusInPage(page, '/v1/admin/sites/signin-other/leads')).toBe(403)

    // The link worked once (tried from another browser, which has no session).
    const elsewhere = await h.newContext({ locale: 'en-GB' })
    const again = await elsewhere.newPage()
    await again.goto(link)
    await again.getByRole('button', { name: 'Finish signing in' }).click()
    await again.getByRole('alert').getByText('used already or has expired').waitFor()
    await elsewhere.close()

    await page.getByRole('button', { name: /Sign out/ }).click()
    await page.waitForURL(`${h.collector}/app/sign-in`)
    expect(await statusInPage(page, '/v1/admin/sites/signin-acme/leads')).toBe(401)
    await context.close()
  })

  it('the first owner pastes the root token and sees every site; a wrong token is refused in words', async () => {
    const context = await h.newContext({ locale: 'de-DE' })
    const page = await context.newPage()
    await page.goto(`${h.collector}/app/sign-in`)
    await page.locator('input[name="token"]').fill('not-a-valid-token-0123456789')
    await page.locator('input[name="token"]').press('Enter')
    await page.getByRole('alert').getByText('Dieses Token ist nicht gültig.').waitFor()
    await signInWithToken(page, h)
    const who = (await page.evaluate(async () =>
      (await fetch('/v1/auth/session')).json(),
    )) as SessionInfo
    expect(who.kind).toBe('root')
    expect(who.sites.map((site) => site.siteKey)).toEqual(
      expect.arrayContaining(['signin-acme', 'signin-other']),
    )
    await context.close()
  })

  it('asking for a link says the same for any address, and mails only a user', async () => {
    const context = await h.newContext({ locale: 'en-GB' })
    const page = await context.newPage()
    await page.goto(`${h.collector}/app/sign-in`)
    await page.locator('input[name="email"]').fill('nobody@example.com')
    await page.getByRole('button', { name: 'Send sign-in link' }).click()
    await page.getByRole('status').getByText('a link is on its way').waitFor()
    expect(h.query(`SELECT id FROM outbox WHERE recipient = 'nobody@example.com'`)).toEqual([])
    await context.close()
  })

  for (const [locale, viewport] of [
    ['de-DE', { width: 1280, height: 800 }],
    ['en-GB', { width: 390, height: 844 }],
  ] as const) {
    it(`the sign-in page has no axe violations (${locale}, ${viewport.width}px)`, async () => {
      const context = await h.newContext({ locale })
      const page = await context.newPage()
      await page.setViewportSize(viewport)
      await page.goto(`${h.collector}/app/sign-in`)
      await page.locator('input[name="token"]').waitFor()
      expect(await axeViolations(page)).toEqual([])
      await context.close()
    })
  }
})
