/**
 * Helpers of the app's browser tests: signing in as a person would (the sign-in page, the mailed
 * link from the outbox) and calls to the admin API with a given token.
 */
import type { Page } from 'playwright-core'
import type { Harness } from './harness'

/** Opens the sign-in page and pastes `token` (the root token, or a site token). */
export async function signInWithToken(page: Page, harness: Harness, token = harness.rootToken) {
  await page.goto(`${harness.collector}/app/sign-in`)
  await page.locator('input[name="token"]').fill(token)
  await page.locator('input[name="token"]').press('Enter')
  await page.waitForURL((url) => !url.pathname.startsWith('/app/sign-in'))
}

/** The sign-in link of the newest mail to `email` in the collector's outbox. */
export function mailedLink(harness: Harness, email: string): string {
  const rows = harness.query<{ body: string }>(
    `SELECT body FROM outbox WHERE recipient = '${email.replaceAll("'", "''")}' ORDER BY id DESC LIMIT 1`,
  )
  const link = /(https?:\/\/\S+\/app\/sign-in#link=[A-Za-z0-9_-]+)/.exec(rows[0]?.body ?? '')?.[1]
  if (!link) throw new Error(`no sign-in link mailed to ${email}`)
  return link
}

/** Follows a mailed link and finishes signing in, as the person would. */
export async function signInWithLink(page: Page, link: string) {
  await page.goto(link)
  await page.getByRole('button', { name: /Finish signing in|Anmeldung abschließen/ }).click()
  await page.waitForURL((url) => !url.pathname.startsWith('/app/sign-in'))
}

/** An admin API call with `token` (default root), answering status and JSON body. */
export async function apiAs<T = unknown>(
  harness: Harness,
  path: string,
  init: { method?: string; body?: unknown; token?: string } = {},
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${harness.collector}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      authorization: `Bearer ${init.token ?? harness.rootToken}`,
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  })
  const text = await response.text()
  return { status: response.status, body: (text ? JSON.parse(text) : null) as T }
}

/** Fetches `path` from inside the page, with its cookie: what the signed-in app can read. */
export async function statusInPage(page: Page, path: string): Promise<number> {
  return page.evaluate(
    async (target) => (await fetch(target, { credentials: 'same-origin' })).status,
    path,
  )
}
