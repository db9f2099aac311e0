import type { DealSource, DealWonResult } from '../../../shared/deals'
import type { LeadRow } from '../db/leads'
import { findWonDeal, recordWonDeal } from '../db/won-deals'
import { HttpProblem } from '../lib/problem'
import { snapshotOfRow, stageChangedEvent } from './outbound/events'
import { announce } from './outbound/queue'

/**
 * A deal won in a CRM (docs/inbound-deals.md), from the admin API or a CRM's webhook: the lead
 * becomes a customer with the deal's value, once per deal.
 */

export interface WonDealDeps {
  db: D1Database
  /** Where the event goes after the write; absent: the sweep sends it later. */
  outbound?: Queue
  /** The app's origin, for the lead's link in the event. */
  appOrigin: string | null
}

export interface IncomingDeal {
  siteKey: string
  source: DealSource
  dealId: string
  amount: number
  currency: string
  /** When the CRM says the deal was won; null: now. */
  wonAt: string | null
  /**
   * `strict` (the admin API): a `wonAt` in the future or before the lead was first seen is a
   * 422. Otherwise (a CRM's webhook) it is replaced by the nearest time that makes sense.
   */
  strictTime: boolean
  actor: string
  reason: string
}

export type DealOutcome =
  | { status: 200 | 201; result: DealWonResult }
  /** No lead of the site matches (or it was erased): nothing was written. */
  | { status: 'no_lead' }

/** A clock a few minutes ahead is not a deal from the future. */
const CLOCK_SKEW_MS = 5 * 60_000
const ATTEMPTS = 3

function wonAtFor(deal: IncomingDeal, lead: LeadRow, now: Date): string {
  const firstSeen = Date.parse(lead.first_seen_at)
  const at = deal.wonAt === null ? now.getTime() : Date.parse(deal.wonAt)
  if (deal.strictTime && deal.wonAt !== null) {
    const errors = []
    if (at > now.getTime() + CLOCK_SKEW_MS)
      errors.push({ path: 'wonAt', message: 'is in the future' })
    else if (at < firstSeen)
      errors.push({ path: 'wonAt', message: 'is before the lead was first seen' })
    if (errors.length)
      throw new HttpProblem({
        code: 'validation_failed',
        detail: 'The deal is not valid.',
        errors,
      })
  }
  let clamped = Number.isNaN(at) || at > now.getTime() ? now.getTime() : at
  if (!Number.isNaN(firstSeen) && clamped < firstSeen) clamped = Math.min(firstSeen, now.getTime())
  return new Date(clamped).toISOString()
}

/**
 * Records the deal for the lead `findLead` answers (read again after a concurrent change). A
 * deal seen before answers what it did then (200), whatever the lead is now; a new one 201.
 */
export async function winDeal(
  deps: WonDealDeps,
  deal: IncomingDeal,
  findLead: () => Promise<LeadRow | null>,
): Promise<DealOutcome> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const seen = await findWonDeal(deps.db, deal.siteKey, deal.source, deal.dealId)
    if (seen) return { status: 200, result: seen }
    const lead = await findLead()
    if (!lead || lead.erased_at !== null) return { status: 'no_lead' }
    const now = new Date()
    const wonAt = wonAtFor(deal, lead, now)
    const moves = lead.stage !== 'customer'
    const event = moves
      ? stageChangedEvent(
          snapshotOfRow({
            ...lead,
            customer_at: wonAt,
            deal_amount: deal.amount,
            deal_currency: deal.currency,
          }),
          { from: lead.stage, to: 'customer', cause: 'crm', now: now.toISOString() },
          deps.appOrigin,
        )
      : null
    if (event) event.data = { ...event.data, deal: { source: deal.source, dealId: deal.dealId } }
    const recorded = await recordWonDeal(deps.db, {
      siteKey: deal.siteKey,
      source: deal.source,
      dealId: deal.dealId,
      leadId: lead.id,
      expectedVersion: lead.version,
      from: lead.stage,
      amount: deal.amount,
      currency: deal.currency,
      wonAt,
      actor: deal.actor,
      reason: deal.reason,
      event,
      now: now.toISOString(),
    })
    if (recorded.status === 'conflict') continue
    if (recorded.status === 'replay') return { status: 200, result: recorded.result }
    if (recorded.eventId) await announce(deps.outbound, [recorded.eventId])
    return { status: 201, result: recorded.result }
  }
  throw new HttpProblem({ code: 'conflict', detail: 'The lead changed meanwhile; please retry.' })
}
