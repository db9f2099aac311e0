import { NO_CAMPAIGN, type Attribution } from '../../../shared/campaigns'
import type { LeadSort } from '../../../shared/leads'
import { STAGE_RANK } from '../domain/report'
import type { LeadRow } from './leads'

/**
 * The lead list's SQL (docs/leads.md): filters, search, two orders and a count, one statement
 * each, both from one `WHERE` built of fixed fragments; every value is a bound parameter.
 */

export interface LeadListFilter {
  /** Lower-case part of email, first name, last name or company. */
  q?: string | undefined
  stage?: string | undefined
  temperature?: string | undefined
  /** A campaign key (trimmed, lower-case), or `(none)`, matched on the `attribution` touch. */
  campaign?: string | undefined
  attribution: Attribution
  /** The funnel rank (docs/report.md#funnel-counts) a lead must have reached at least. */
  reachedRank?: number | undefined
  /** Created at or after this instant (ISO, UTC, milliseconds). */
  createdFrom?: string | undefined
  /** Created at or after this instant (`from`). */
  createdSince?: string | undefined
  /** Created at or before this instant (`to`). */
  createdUntil?: string | undefined
  /** Created strictly before this instant (the day after the report's `to`). */
  createdBefore?: string | undefined
  /** Total score (fit plus engagement) at least this. */
  minScore?: number | undefined
  /** Conversion probability at least this (leads without one never match). */
  minProbability?: number | undefined
}

/** Keyset position: the last row's sort key (creation time or total score) and id. */
export interface LeadListAfter {
  key: string | number
  id: string
}

/**
 * A listed lead, with its total score as D1 computed it (the sort key of `score`) and the sort key
 * of the probability orders.
 */
export type ListedLeadRow = LeadRow & { score_total: number; probability_key: number }

/**
 * The probability orders' keys: a lead without a probability sorts below every probability (-1)
 * highest first, above every one (2) lowest first, so it comes last both ways. `-probability`
 * is served by the index of migration 0017.
 */
const PROBABILITY_DESC = 'COALESCE(conversion_probability, -1)'
const PROBABILITY_ASC = 'COALESCE(conversion_probability, 2)'

/** Sort columns from this fixed map only, never from input. */
const ORDER: Record<LeadSort, { key: string; desc: boolean }> = {
  '-created': { key: 'created_at', desc: true },
  created: { key: 'created_at', desc: false },
  '-score': { key: '(fit_score + engagement_score)', desc: true },
  score: { key: '(fit_score + engagement_score)', desc: false },
  '-probability': { key: PROBABILITY_DESC, desc: true },
  probability: { key: PROBABILITY_ASC, desc: false },
}

const CAMPAIGN_COLUMN: Record<Attribution, string> = {
  first: 'first_campaign',
  last: 'last_campaign',
}

/** `CASE <column> WHEN 'lead' THEN 0 … ELSE -1 END`, from the report's one table of stage ranks. */
function rankOf(column: string): string {
  const arms = Object.entries(STAGE_RANK).map(([stage, rank]) => `WHEN '${stage}' THEN ${rank}`)
  return `CASE ${column} ${arms.join(' ')} ELSE -1 END`
}

/**
 * A lead's highest rank: of its current stage and of every stage in its history (kept on the
 * lead as `history_rank`, migration 0011), so a lead disqualified after it became an SQL still
 * reached `sql` (the report's `reached`).
 */
const REACHED_RANK = `MAX(${rankOf('leads.stage')}, leads.history_rank)`

/** `%`, `_` and the escape character itself stand for themselves in a LIKE pattern. */
export function likePattern(part: string): string {
  return `%${part.replace(/[\\%_]/g, (char) => `\\${char}`)}%`
}

function whereOf(siteKey: string, filter: LeadListFilter) {
  const binds: unknown[] = [siteKey]
  const bind = (value: unknown) => {
    binds.push(value)
    return `?${binds.length}`
  }
  const where = ['leads.site_key = ?1', 'leads.erased_at IS NULL']
  if (filter.q) {
    const pattern = bind(likePattern(filter.q))
    // LIKE ignores case for ASCII letters only (SQLite without ICU).
    where.push(
      `(${['email', 'first_name', 'last_name', 'company']
        .map((column) => `leads.${column} LIKE ${pattern} ESCAPE '\\'`)
        .join(' OR ')})`,
    )
  }
  if (filter.stage) where.push(`leads.stage = ${bind(filter.stage)}`)
  if (filter.temperature) where.push(`leads.temperature = ${bind(filter.temperature)}`)
  if (filter.campaign !== undefined) {
    const column = `leads.${CAMPAIGN_COLUMN[filter.attribution]}`
    where.push(
      filter.campaign === NO_CAMPAIGN
        ? `${column} IS NULL`
        : `${column} = ${bind(filter.campaign)}`,
    )
  }
  if (filter.createdFrom) where.push(`leads.created_at >= ${bind(filter.createdFrom)}`)
  if (filter.createdSince) where.push(`leads.created_at >= ${bind(filter.createdSince)}`)
  if (filter.createdUntil) where.push(`leads.created_at <= ${bind(filter.createdUntil)}`)
  if (filter.createdBefore) where.push(`leads.created_at < ${bind(filter.createdBefore)}`)
  if (filter.minScore !== undefined)
    where.push(`(leads.fit_score + leads.engagement_score) >= ${bind(filter.minScore)}`)
  if (filter.minProbability !== undefined)
    where.push(`leads.conversion_probability >= ${bind(filter.minProbability)}`)
  if (filter.reachedRank !== undefined) where.push(`${REACHED_RANK} >= ${bind(filter.reachedRank)}`)
  return { where, binds, bind }
}

/**
 * One page of the list in `sort` order after `after`, and the count of every lead the filters
 * match, read in one batch so both see the same state. Keyset paging on (sort key, id): pages
 * never skip or repeat a lead that keeps its key.
 */
export async function listLeads(
  db: D1Database,
  siteKey: string,
  filter: LeadListFilter,
  page: { sort: LeadSort; after?: LeadListAfter | undefined; limit: number },
): Promise<{ rows: ListedLeadRow[]; total: number }> {
  const { where, binds, bind } = whereOf(siteKey, filter)
  const countSql = `SELECT COUNT(*) AS total FROM leads WHERE ${where.join(' AND ')}`
  const countBinds = [...binds]
  const order = ORDER[page.sort]
  const direction = order.desc ? 'DESC' : 'ASC'
  const beyond = order.desc ? '<' : '>'
  const pageWhere = [...where]
  if (page.after) {
    const key = bind(page.after.key)
    const id = bind(page.after.id)
    pageWhere.push(
      `(${order.key} ${beyond} ${key} OR (${order.key} = ${key} AND leads.id ${beyond} ${id}))`,
    )
  }
  const probabilityKey = page.sort === 'probability' ? PROBABILITY_ASC : PROBABILITY_DESC
  const listSql = `SELECT leads.*, (fit_score + engagement_score) AS score_total,
    ${probabilityKey} AS probability_key FROM leads
    WHERE ${pageWhere.join(' AND ')}
    ORDER BY ${order.key} ${direction}, leads.id ${direction}
    LIMIT ${bind(page.limit)}`
  const [list, count] = await db.batch<ListedLeadRow | { total: number }>([
    db.prepare(listSql).bind(...binds),
    db.prepare(countSql).bind(...countBinds),
  ])
  return {
    rows: (list?.results ?? []) as ListedLeadRow[],
    total: ((count?.results ?? [])[0] as { total: number } | undefined)?.total ?? 0,
  }
}
