import { expect } from 'vitest'
import type { CampaignReport, SpendResult } from '../../../shared/campaigns'
import { admin, type TestSite } from '../helpers'

/** Spend and report calls shared by the campaign and report tests, over days relative to today. */

export const DAY_MS = 24 * 3600 * 1000

/** A UTC day relative to today. */
export function day(offset: number): string {
  return new Date(Date.now() + offset * DAY_MS).toISOString().slice(0, 10)
}

/** The report's range: leads are created today, spend is dated in the past days. */
export const FROM = day(-30)
export const TO = day(1)

export async function putSpend(
  site: TestSite,
  campaign: string,
  entries: { date: string; amount: number; currency: string }[],
) {
  const response = await admin(
    `/v1/admin/sites/${site.siteKey}/campaigns/${encodeURIComponent(campaign)}/spend`,
    'PUT',
    { entries },
  )
  expect(response.status).toBe(200)
  return (await response.json()) as SpendResult
}

export async function report(
  site: TestSite,
  attribution: 'first' | 'last',
  from = FROM,
  to = TO,
): Promise<CampaignReport> {
  const response = await admin(
    `/v1/admin/sites/${site.siteKey}/reports/campaigns?from=${from}&to=${to}&attribution=${attribution}`,
    'GET',
  )
  expect(response.status).toBe(200)
  expect(response.headers.get('content-type')).toContain('application/json')
  return (await response.json()) as CampaignReport
}

/** Moves a lead to `stage` by hand (with a deal value for `customer`), as a salesperson would. */
export async function setStage(
  site: TestSite,
  leadId: string,
  stage: string,
  value?: { amount: number; currency: string },
) {
  const response = await admin(`/v1/admin/sites/${site.siteKey}/leads/${leadId}/stage`, 'POST', {
    stage,
    ...(value ? { value } : {}),
  })
  expect(response.status).toBe(200)
}
