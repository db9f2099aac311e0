import { env } from 'cloudflare:workers'
import { expect } from 'vitest'
import type { LeadDetail } from '../../../shared/leads'
import { admin, call, ROOT, type TestSite } from '../helpers'

export const DAY = 24 * 3600 * 1000

export const daysAgo = (days: number, hour = 10) => {
  const time = new Date(Date.now() - days * DAY)
  time.setUTCHours(hour, 0, 0, 0)
  return time.toISOString()
}

export function importJson(siteKey: string, body: unknown, token = ROOT): Promise<Response> {
  return admin(`/v1/admin/sites/${siteKey}/import`, 'POST', body, token)
}

export function importCsv(
  siteKey: string,
  csv: string,
  { part, token = ROOT }: { part?: 'touchpoints'; token?: string } = {},
): Promise<Response> {
  return call(`/v1/admin/sites/${siteKey}/import${part ? `?part=${part}` : ''}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv; charset=utf-8' },
    body: csv,
  })
}

/** The stored lead of an external id, as the detail route answers it. */
export async function importedLead(site: TestSite, externalId: string): Promise<LeadDetail> {
  const row = await env.DB.prepare('SELECT id FROM leads WHERE site_key = ?1 AND external_id = ?2')
    .bind(site.siteKey, externalId)
    .first<{ id: string }>()
  expect(row, `lead ${externalId}`).not.toBeNull()
  const response = await admin(`/v1/admin/sites/${site.siteKey}/leads/${row!.id}`, 'GET')
  expect(response.status).toBe(200)
  return (await response.json()) as LeadDetail
}

export async function countRows(sql: string, ...params: unknown[]): Promise<number> {
  const row = await env.DB.prepare(sql)
    .bind(...params)
    .first<{ n: number }>()
  return row!.n
}

/** A history lead with touchpoints over half a year, won as a customer. */
export function historyLead(site: TestSite, externalId = 'crm-1') {
  return {
    externalId,
    createdAt: daysAgo(190),
    formId: 'wp',
    fields: {
      email: `${externalId}@beispiel.de`,
      firstName: 'Jana',
      lastName: 'Schulz',
      company: 'Beispiel AG',
      jobTitle: 'CEO',
    },
    utm: { source: 'linkedin', medium: 'paid', campaign: 'Q1-Launch' },
    consents: [{ purpose: 'marketing_email', granted: true, at: daysAgo(190) }],
    touchpoints: [
      { type: 'page_view', at: daysAgo(200), url: `${site.origin}/` },
      { type: 'page_view', at: daysAgo(195), url: `${site.origin}/pricing` },
      { type: 'page_view', at: daysAgo(3), url: `${site.origin}/pricing` },
      { type: 'page_view', at: daysAgo(2), url: `${site.origin}/blog/a` },
      { type: 'page_view', at: daysAgo(1), url: `${site.origin}/pricing` },
    ],
    outcome: { stage: 'customer', at: daysAgo(20), value: { amount: 1200000, currency: 'EUR' } },
  }
}
