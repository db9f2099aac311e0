import type { DealSource, DealWonResult } from '../../../shared/deals'
import type { LeadRow } from './leads'
import { eventStatements, type NewEvent } from './outbound'

/**
 * Deals won in a CRM (migrations 0019 and 0020, docs/inbound-deals.md): each deal once, by its
 * source and id. The first one of a lead that is not a customer yet moves it to `customer` with
 * the deal's value, as a manual stage change does (the same columns, a `manual` history entry);
 * a later one is recorded and changes nothing.
 */

interface WonDealRow {
  deal_id: string
  source: DealSource
  lead_id: string
  outcome: DealWonResult['outcome']
  from_stage: string | null
  amount: number | null
  currency: string | null
  won_at: string | null
  created_at: string
  nonce: string | null
}

function toResult(row: WonDealRow): DealWonResult {
  return {
    dealId: row.deal_id,
    source: row.source,
    leadId: row.lead_id,
    outcome: row.outcome,
    from: row.from_stage,
    stage: 'customer',
    value: { amount: row.amount ?? 0, currency: row.currency ?? '' },
    wonAt: row.won_at ?? row.created_at,
  }
}

async function findWonDealRow(
  db: D1Database,
  siteKey: string,
  source: DealSource,
  dealId: string,
): Promise<WonDealRow | null> {
  return db
    .prepare('SELECT * FROM won_deals WHERE site_key = ?1 AND source = ?2 AND deal_id = ?3')
    .bind(siteKey, source, dealId)
    .first<WonDealRow>()
}

/** What a deal did when it first arrived, or null for a deal not seen before. */
export async function findWonDeal(
  db: D1Database,
  siteKey: string,
  source: DealSource,
  dealId: string,
): Promise<DealWonResult | null> {
  const row = await findWonDealRow(db, siteKey, source, dealId)
  return row ? toResult(row) : null
}

export interface WonDeal {
  siteKey: string
  source: DealSource
  dealId: string
  leadId: string
  /** The lead's version and stage as read: the deal is written only if it is still so. */
  expectedVersion: number
  from: string
  amount: number
  currency: string
  /** When the deal was won: the lead's `customer_at` and the history entry's time. */
  wonAt: string
  /** Who the history names: the token, `user:<id>`, `root` or `inbound:<source>`. */
  actor: string
  reason: string
  /** The `lead.stage_changed` event, when the deal moves the lead. */
  event: NewEvent | null
  now: string
}

export type RecordedDeal =
  | { status: 'recorded'; result: DealWonResult; eventId: string | null }
  | { status: 'replay'; result: DealWonResult }
  /** The lead changed between reading and writing: read it again and retry. */
  | { status: 'conflict' }

/**
 * One batch: the deal's row (once: `ON CONFLICT DO NOTHING`, and only while the lead is as read),
 * then, only if that row is this request's (its nonce) and the lead was not a customer, the
 * lead's move with the deal's value, its history entry and the event. A repeat of the deal, or
 * a concurrent request with it, finds the row and writes nothing more.
 */
export async function recordWonDeal(db: D1Database, deal: WonDeal): Promise<RecordedDeal> {
  const nonce = crypto.randomUUID()
  const moves = deal.from !== 'customer'
  // ?1 site, ?2 source, ?3 deal, ?4 lead, ?5 nonce: "this request's row exists".
  const mine = `EXISTS (SELECT 1 FROM won_deals WHERE site_key = ?1 AND source = ?2 AND deal_id = ?3
    AND lead_id = ?4 AND nonce = ?5 AND outcome = 'moved')`
  const key = [deal.siteKey, deal.source, deal.dealId, deal.leadId, nonce] as const
  const statements: D1PreparedStatement[] = [
    db
      .prepare(
        `INSERT INTO won_deals (site_key, source, deal_id, lead_id, created_at, outcome, from_stage,
           amount, currency, won_at, nonce)
         SELECT ?1, ?2, ?3, ?4, ?6, ?7, ?8, ?9, ?10, ?11, ?5
         WHERE EXISTS (SELECT 1 FROM leads WHERE site_key = ?1 AND id = ?4 AND version = ?12
           AND erased_at IS NULL)
         ON CONFLICT DO NOTHING`,
      )
      .bind(
        ...key,
        deal.now,
        moves ? 'moved' : 'already_customer',
        deal.from,
        deal.amount,
        deal.currency,
        deal.wonAt,
        deal.expectedVersion,
      ),
  ]
  let eventId: string | null = null
  if (moves) {
    statements.push(
      db
        .prepare(
          `UPDATE leads SET stage = 'customer', stage_set_by = 'manual', stage_changed_at = ?8,
             customer_at = ?8, deal_amount = ?6, deal_currency = ?7,
             updated_at = ?9, version = version + 1
           WHERE site_key = ?1 AND id = ?4 AND version = ?10 AND ${mine}`,
        )
        .bind(...key, deal.amount, deal.currency, deal.wonAt, deal.now, deal.expectedVersion),
      db
        .prepare(
          `INSERT INTO stage_history (site_key, lead_id, from_stage, to_stage, cause, token_id, reason,
             value_amount, value_currency, created_at)
           SELECT ?1, ?4, ?6, 'customer', 'manual', ?7, ?8, ?9, ?10, ?11
           WHERE ${mine}`,
        )
        .bind(...key, deal.from, deal.actor, deal.reason, deal.amount, deal.currency, deal.wonAt),
    )
    if (deal.event) {
      const built = eventStatements(db, deal.event, {
        sql: mine.replace(/\?(\d)/g, '?C$1'),
        params: key,
      })
      eventId = built.eventId
      statements.push(...built.statements)
    }
  }
  await db.batch(statements)
  const row = await findWonDealRow(db, deal.siteKey, deal.source, deal.dealId)
  if (!row) return { status: 'conflict' }
  if (row.nonce !== nonce) return { status: 'replay', result: toResult(row) }
  return { status: 'recorded', result: toResult(row), eventId: moves ? eventId : null }
}

/** The live lead a CRM's person or contact id is linked to (`crm_links`, migration 0019). */
export async function findLeadByCrmLink(
  db: D1Database,
  siteKey: string,
  kind: string,
  externalId: string,
): Promise<LeadRow | null> {
  return db
    .prepare(
      `SELECT leads.* FROM crm_links JOIN leads ON leads.site_key = crm_links.site_key AND leads.id = crm_links.lead_id
       WHERE crm_links.site_key = ?1 AND crm_links.kind = ?2 AND crm_links.external_id = ?3
         AND leads.erased_at IS NULL
       ORDER BY crm_links.created_at DESC LIMIT 1`,
    )
    .bind(siteKey, kind, externalId)
    .first<LeadRow>()
}
