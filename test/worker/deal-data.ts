import { env } from 'cloudflare:workers'
import { expect } from 'vitest'
import type { DealWonInput, InboundKey } from '../../shared/deals'
import type { LeadSubmissionResult } from '../../shared/leads'
import type { SiteInput } from '../../shared/site'
import { admin, call, createSite, leadBody, postLead, ROOT, type TestSite } from './helpers'
import { createWebhook, newReceiver } from './outbound'

/** Leads, deals and inbound keys shared by the deal tests (docs/inbound-deals.md). */

/**
 * A site with a webhook subscribed to stage changes: events are written only where an endpoint
 * takes them (docs/outbound.md), and these tests read them.
 */
export async function createDealSite(overrides: Partial<SiteInput> = {}): Promise<TestSite> {
  const site = await createSite(overrides)
  await createWebhook(site.siteKey, 'stages', {
    url: newReceiver('deals').url,
    events: ['lead.stage_changed'],
  })
  return site
}

/**
 * A lead that stays at `lead` by rule (no company or job title), from `campaign`, as the report
 * tests make them.
 */
export async function newLead(
  site: TestSite,
  email = `anna.${crypto.randomUUID().slice(0, 6)}@firma.de`,
  campaign = 'q4-whitepaper',
): Promise<string> {
  const body = leadBody(site, {
    fields: { email, firstName: 'Anna', lastName: 'Berg' },
    utm: { source: 'linkedin', medium: 'paid', campaign },
  })
  const response = await postLead(site, body)
  expect(response.status).toBe(201)
  return ((await response.json()) as LeadSubmissionResult).leadId
}

export function postDeal(site: TestSite, body: Partial<DealWonInput> | unknown, token = ROOT) {
  return admin(`/v1/admin/sites/${site.siteKey}/deals`, 'POST', body, token)
}

export async function inboundKey(site: TestSite, source: string): Promise<InboundKey> {
  const response = await admin(`/v1/admin/sites/${site.siteKey}/inbound/${source}`, 'PUT')
  expect([200, 201]).toContain(response.status)
  return (await response.json()) as InboundKey
}

/** Posts as the CRM would: to the pasted URL, JSON. */
export function postInbound(url: string, body: unknown, headers: Record<string, string> = {}) {
  const path = url.replace(/^https:\/\/[^/]+/, '')
  return call(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
}

/** A link as the CRM push writes it: the CRM's person or contact id of the lead. */
export async function linkLead(
  site: TestSite,
  leadId: string,
  kind: string,
  externalId: string,
): Promise<void> {
  await env.DB.prepare(
    `INSERT INTO crm_links (site_key, lead_id, kind, external_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5)`,
  )
    .bind(site.siteKey, leadId, kind, externalId, new Date().toISOString())
    .run()
}

/** The lead's `lead.stage_changed` events, oldest first, with their payload parsed. */
export async function stageEvents(site: TestSite, leadId: string) {
  const { results } = await env.DB.prepare(
    `SELECT payload FROM outbound_events WHERE site_key = ?1 AND lead_id = ?2 AND type = 'lead.stage_changed'
     ORDER BY version`,
  )
    .bind(site.siteKey, leadId)
    .all<{ payload: string }>()
  return results.map(
    (row) =>
      JSON.parse(row.payload) as {
        type: string
        data: {
          from: string | null
          to: string
          cause: string
          deal?: { source: string; dealId: string }
          lead: { deal: { amount: number; currency: string } | null; stage: string }
        }
      },
  )
}

export async function leadRow(leadId: string) {
  return env.DB.prepare(
    'SELECT stage, stage_set_by, deal_amount, deal_currency, customer_at, version FROM leads WHERE id = ?1',
  )
    .bind(leadId)
    .first<{
      stage: string
      stage_set_by: string
      deal_amount: number | null
      deal_currency: string | null
      customer_at: string | null
      version: number
    }>()
}

export async function historyOf(leadId: string) {
  const { results } = await env.DB.prepare(
    'SELECT from_stage, to_stage, cause, token_id, reason, value_amount, value_currency, created_at FROM stage_history WHERE lead_id = ?1 ORDER BY id',
  )
    .bind(leadId)
    .all<Record<string, unknown>>()
  return results
}

/** A Pipedrive v1 `updated.deal` webhook body. */
export function pipedriveV1(deal: Record<string, unknown>, previous: Record<string, unknown> = {}) {
  return {
    v: 1,
    event: 'updated.deal',
    retry: 0,
    meta: { action: 'updated', object: 'deal', id: deal.id, company_id: 42, user_id: 7 },
    current: { currency: 'EUR', status: 'won', value: 18000, ...deal },
    previous: { status: 'open', ...previous },
  }
}
