import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EventBatch } from '../../shared/events'
import type { LeadSubmission } from '../../shared/leads'
import { fillWhitepaper, MIN_FILL_MS, startHarness, whitepaperForm, type Harness } from './harness'

let h: Harness

beforeAll(async () => {
  h = await startHarness()
})

afterAll(async () => {
  await h?.stop()
})

/** Submits the whitepaper form once the minimum fill time has passed, and answers the new lead. */
async function submitWhitepaper(
  page: import('playwright-core').Page,
  siteKey: string,
  email: string,
) {
  await page.waitForTimeout(MIN_FILL_MS)
  const form = await fillWhitepaper(page, 'whitepaper-2026', email)
  const answered = page.waitForResponse((r) => r.url().endsWith('/v1/leads'))
  await form.locator('button[type="submit"]').click()
  expect((await answered).status()).toBe(201)
  const [summary] = await h.leads(siteKey)
  expect(summary?.email).toBe(email)
  return h.lead(siteKey, summary!.leadId)
}

describe('touchpoint tracking', () => {
  it('records a page view with its UTM parameters and links it to the lead', async () => {
    const siteKey = 'utm-page-view'
    await h.setupSite(siteKey, { 'whitepaper-2026': whitepaperForm(h.pages) })
    const context = await h.newContext()
    const page = await context.newPage()
    const events = page.waitForResponse((r) => r.url().endsWith('/v1/events'))
    await page.goto(
      `${h.pages}/${siteKey}/?utm_source=linkedin&utm_medium=paid&utm_campaign=q4-whitepaper&gclid=abc123`,
    )
    const sent = await events
    expect(sent.status()).toBe(202)
    const batch = JSON.parse(sent.request().postData()!) as EventBatch
    expect(batch.events[0]).toMatchObject({
      type: 'page_view',
      utm: { source: 'linkedin', medium: 'paid', campaign: 'q4-whitepaper' },
      props: { gclid: 'abc123' },
    })

    const lead = await submitWhitepaper(page, siteKey, 'utm.visitor@firma.de')
    const view = lead.journey.find((item) => item.type === 'page_view')
    expect(view?.utm).toEqual({ source: 'linkedin', medium: 'paid', campaign: 'q4-whitepaper' })
    expect(lead.firstTouch).toMatchObject({ source: 'linkedin', campaign: 'q4-whitepaper' })
    await context.close()
  })
})

export type { LeadSubmission }
