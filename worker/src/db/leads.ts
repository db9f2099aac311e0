import type { LeadSummary } from '../../../shared/leads'
import type { Stage, Temperature } from '../../../shared/site'
import type { Touch } from '../domain/attribution'
import type { KnownLead } from '../domain/capture-plan'
import type { LeadRecord } from '../domain/lead-record'
import { parseJson } from './json'

export interface LeadRow {
  id: string
  site_key: string
  email: string | null
  email_key: string | null
  email_domain: string | null
  first_name: string | null
  last_name: string | null
  company: string | null
  job_title: string | null
  phone: string | null
  fields: string
  complete: number
  missing: string
  stage: string
  stage_set_by: string
  stage_changed_at: string
  temperature: string
  fit_score: number
  engagement_score: number
  score_reasons: string
  score_state: string
  first_source: string | null
  first_medium: string | null
  first_campaign: string | null
  first_touch_at: string | null
  last_source: string | null
  last_medium: string | null
  last_campaign: string | null
  last_touch_at: string | null
  first_seen_at: string
  customer_at: string | null
  deal_amount: number | null
  deal_currency: string | null
  erased_at: string | null
  /** The language of the lead's latest submission (migration 0004); NULL before. */
  locale: string | null
  /** The learned score (migration 0017): probability, readable factors, the version that scored. */
  conversion_probability?: number | null
  conversion_factors?: string
  model_version?: number | null
  version: number
  created_at: string
  updated_at: string
}

/** Lead fields kept in their own columns; every other field lives in the `fields` JSON. */
export const LEAD_COLUMNS = {
  email: 'email',
  firstName: 'first_name',
  lastName: 'last_name',
  company: 'company',
  jobTitle: 'job_title',
  phone: 'phone',
} as const satisfies Record<string, keyof LeadRow>

/** The lead's contact data as one flat record (column fields plus the `fields` JSON). */
export function toLeadRecord(row: LeadRow): LeadRecord {
  const record: LeadRecord = { ...parseJson<LeadRecord>(row.fields, {}) }
  for (const [name, column] of Object.entries(LEAD_COLUMNS)) {
    const value = row[column]
    if (typeof value === 'string' && value !== '') record[name] = value
  }
  return record
}

/** What a write stores of a lead's contact data, classification and campaign touches. */
export interface LeadColumnsWrite {
  email: string
  emailDomain: string
  record: LeadRecord
  complete: boolean
  missing: string[]
  stage: string
  temperature: string
  fit: number
  engagement: number
  reasons: string[]
  state: string
  firstTouch: Touch
  lastTouch: Touch
  firstSeenAt: string
}

/**
 * Those values in the order the capture and import statements bind them: email, email domain,
 * the column fields, the other fields (JSON), completeness, stage, temperature, scores, reasons,
 * state, first and last touch, first seen.
 */
export function leadColumnValues(lead: LeadColumnsWrite) {
  const { columns, rest } = splitLeadRecord(lead.record)
  return [
    lead.email,
    lead.emailDomain,
    columns.firstName,
    columns.lastName,
    columns.company,
    columns.jobTitle,
    columns.phone,
    JSON.stringify(rest),
    lead.complete ? 1 : 0,
    JSON.stringify(lead.missing),
    lead.stage,
    lead.temperature,
    lead.fit,
    lead.engagement,
    JSON.stringify(lead.reasons),
    lead.state,
    lead.firstTouch.source,
    lead.firstTouch.medium,
    lead.firstTouch.campaign,
    lead.firstTouch.at,
    lead.lastTouch.source,
    lead.lastTouch.medium,
    lead.lastTouch.campaign,
    lead.lastTouch.at,
    lead.firstSeenAt,
  ] as const
}

/** Splits a record into column values and the rest (stored as JSON). */
export function splitLeadRecord(record: LeadRecord): {
  columns: Record<keyof typeof LEAD_COLUMNS, string | null>
  rest: LeadRecord
} {
  const rest: LeadRecord = { ...record }
  const columns = {} as Record<keyof typeof LEAD_COLUMNS, string | null>
  for (const name of Object.keys(LEAD_COLUMNS) as (keyof typeof LEAD_COLUMNS)[]) {
    const value = rest[name]
    delete rest[name]
    columns[name] = typeof value === 'string' && value !== '' ? value : null
  }
  return { columns, rest }
}

/** The lead's first and last campaign touch, as stored in its `first_*` and `last_*` columns. */
export function toLeadTouches(row: LeadRow): { first: Touch; last: Touch } {
  return {
    first: {
      source: row.first_source,
      medium: row.first_medium,
      campaign: row.first_campaign,
      at: row.first_touch_at,
    },
    last: {
      source: row.last_source,
      medium: row.last_medium,
      campaign: row.last_campaign,
      at: row.last_touch_at,
    },
  }
}

/** What planning a new submission needs to know of the lead already stored. */
export function toKnownLead(row: LeadRow): KnownLead {
  return {
    id: row.id,
    version: row.version,
    record: toLeadRecord(row),
    stage: row.stage as Stage,
    stageSetBy: row.stage_set_by as KnownLead['stageSetBy'],
    scoreState: row.score_state,
    touches: toLeadTouches(row),
    firstSeenAt: row.first_seen_at,
    missing: parseJson<string[]>(row.missing, []),
  }
}

export function toLeadSummary(row: LeadRow): LeadSummary {
  const touches = toLeadTouches(row)
  return {
    leadId: row.id,
    email: row.email ?? '',
    firstName: row.first_name,
    lastName: row.last_name,
    company: row.company,
    stage: row.stage as Stage,
    temperature: row.temperature as Temperature,
    complete: row.complete === 1,
    missing: parseJson<string[]>(row.missing, []),
    score: row.fit_score + row.engagement_score,
    conversionProbability: row.conversion_probability ?? null,
    conversionFactors:
      row.conversion_probability == null
        ? []
        : parseJson<string[]>(row.conversion_factors ?? '[]', []),
    firstTouch: touches.first,
    lastTouch: touches.last,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

/** Whether the site has any lead yet (then its stage model is fixed). */
export async function siteHasLeads(db: D1Database, siteKey: string): Promise<boolean> {
  const row = await db
    .prepare('SELECT 1 AS used FROM leads WHERE site_key = ?1 LIMIT 1')
    .bind(siteKey)
    .first()
  return row !== null
}

/** Reads the lead of an email key: a statement to join a `db.batch`. */
export function findLeadByEmailKeyStatement(
  db: D1Database,
  siteKey: string,
  emailKey: string,
): D1PreparedStatement {
  return db
    .prepare('SELECT * FROM leads WHERE site_key = ?1 AND email_key = ?2')
    .bind(siteKey, emailKey)
}

export async function findLeadByEmailKey(
  db: D1Database,
  siteKey: string,
  emailKey: string,
): Promise<LeadRow | null> {
  return findLeadByEmailKeyStatement(db, siteKey, emailKey).first<LeadRow>()
}

export async function findLead(
  db: D1Database,
  siteKey: string,
  leadId: string,
): Promise<LeadRow | null> {
  return db
    .prepare('SELECT * FROM leads WHERE site_key = ?1 AND id = ?2 AND erased_at IS NULL')
    .bind(siteKey, leadId)
    .first<LeadRow>()
}

/** Keeps the language the lead submitted in, for its mails and consent pages. */
export function setLeadLocaleStatement(
  db: D1Database,
  leadId: string,
  locale: string,
): D1PreparedStatement {
  return db.prepare('UPDATE leads SET locale = ?2 WHERE id = ?1').bind(leadId, locale)
}

/** The lead a visitor id (given with tracking consent) is linked to. */
export async function findLeadByVisitor(
  db: D1Database,
  siteKey: string,
  visitorId: string,
): Promise<LeadRow | null> {
  return db
    .prepare(
      `SELECT leads.* FROM lead_visitors JOIN leads ON leads.id = lead_visitors.lead_id
       WHERE lead_visitors.site_key = ?1 AND lead_visitors.visitor_id = ?2 AND leads.erased_at IS NULL`,
    )
    .bind(siteKey, visitorId)
    .first<LeadRow>()
}
