/**
 * Helpers of the app's browser tests: signing in as a person would (the sign-in page, the mailed
 * link from the outbox), calls to the admin API with a given token, and a site's leads captured
 * as visitors send them.
 */
import type { Page } from 'playwright-core'
import type { FormInput } from '../../shared/form'
import type { LeadSubmissionResult } from '../../shared/leads'
import { MIN_FILL_MS, type Harness } from './harness'

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

/** The contact form the app's tests capture leads with; only email and first name are required. */
export const CONTACT_FORM: FormInput = {
  kind: 'contact_sales',
  title: 'Talk to sales',
  fields: [
    { name: 'email', type: 'email', required: true, label: 'Email' },
    { name: 'firstName', type: 'text', required: true, label: 'First name' },
    { name: 'lastName', type: 'text', required: false, label: 'Last name' },
    { name: 'company', type: 'text', required: false, label: 'Company' },
  ],
  consents: [],
}

/** A visitor who fills in a form: its fields, and the campaign of the page's UTM tags. */
export interface Visitor {
  fields: Record<string, string>
  campaign?: string | null
}

/**
 * Captures leads as visitors do (docs/widget.md): each takes a start token from the page's
 * origin, takes longer than the minimum fill time, and submits the form with `consents`
 * granted. Answers the lead ids in the order of `visitors`.
 */
export async function captureLeads(
  harness: Harness,
  site: string,
  form: string,
  visitors: readonly Visitor[],
  consents: { purpose: string; granted: boolean; textId: string }[] = [],
): Promise<string[]> {
  const tokens: string[] = []
  for (const _ of visitors) {
    const start = await fetch(`${harness.collector}/v1/sites/${site}/forms/${form}/start`, {
      headers: { origin: harness.pages },
    })
    tokens.push(((await start.json()) as { startToken: string }).startToken)
  }
  await new Promise((resolve) => setTimeout(resolve, MIN_FILL_MS + 200))
  const ids: string[] = []
  for (const [i, visitor] of visitors.entries()) {
    const response = await fetch(`${harness.collector}/v1/leads`, {
      method: 'POST',
      headers: { origin: harness.pages, 'content-type': 'application/json' },
      body: JSON.stringify({
        siteKey: site,
        formId: form,
        submissionId: crypto.randomUUID(),
        fields: visitor.fields,
        consents,
        page: { url: `${harness.pages}/${site}/${form}` },
        ...(visitor.campaign
          ? { utm: { source: 'google', medium: 'cpc', campaign: visitor.campaign } }
          : {}),
        startToken: tokens[i],
      }),
    })
    const body = (await response.json()) as LeadSubmissionResult
    if (response.status !== 201) throw new Error(`lead ${i}: ${JSON.stringify(body)}`)
    ids.push(body.leadId)
  }
  return ids
}

/** Moves a lead to `stage` through the admin API (with a deal value for `customer`). */
export async function moveStage(
  harness: Harness,
  site: string,
  leadId: string,
  stage: string,
  value?: { amount: number; currency: string },
) {
  await harness.admin(`/v1/admin/sites/${site}/leads/${leadId}/stage`, {
    method: 'POST',
    body: JSON.stringify({ stage, ...(value ? { value } : {}) }),
  })
}

/** Dates a lead's creation (and first visit) `days` ago, an hour before now's time of day. */
export function backdate(harness: Harness, leadId: string, days: number) {
  const then = Date.now() - days * 86_400_000
  // An hour before the same time `days` ago, but never on the day before: between midnight and
  // 1:00 UTC an hour earlier is yesterday, and the lead would count for the wrong day.
  const at = new Date(Math.max(then - (then % 86_400_000), then - 3_600_000)).toISOString()
  harness.query(
    `UPDATE leads SET created_at = '${at}', first_seen_at = '${at}' WHERE id = '${leadId}'`,
  )
}

/** Writes a campaign's daily spend, each entry `[days ago, minor units, currency]`. */
export async function putSpend(
  harness: Harness,
  site: string,
  campaign: string,
  entries: readonly [number, number, string][],
) {
  const date = (ago: number) => new Date(Date.now() - ago * 86_400_000).toISOString().slice(0, 10)
  await harness.admin(`/v1/admin/sites/${site}/campaigns/${encodeURIComponent(campaign)}/spend`, {
    method: 'PUT',
    body: JSON.stringify({
      entries: entries.map(([ago, amount, currency]) => ({ date: date(ago), amount, currency })),
    }),
  })
}
