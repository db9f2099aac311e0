import type { LeadFacts } from '../domain/model/features'
import { isPricingPath } from '../domain/qualify/engagement/paths'
import { parseJson } from './json'
import { toLeadRecord, type LeadRow } from './leads'

/**
 * What the learned score reads of a set of leads (docs/stages-and-scoring.md#learned-score), in
 * one batch: the leads, their touchpoint counts, page paths, submissions and latest consents.
 * The set is a bounded subquery of the site's live leads (D1 binds at most 100 values, so ids are
 * never listed): by id after a position, one lead, or those a model version has not scored yet.
 */

export type LeadScope =
  | { kind: 'after'; afterId: string; limit: number }
  | { kind: 'one'; leadId: string }
  /** Several leads at once (a batch of touchpoints reclassified them), as one JSON parameter. */
  | { kind: 'ids'; leadIds: readonly string[] }
  | { kind: 'unscored'; version: number; limit: number }

export interface LeadFactsRow {
  id: string
  facts: LeadFacts
  stage: string
  createdAt: string
  stageChangedAt: string
  /** fit + engagement, the list's `score`. */
  score: number
  /** Whether the lead ever reached `opportunity` or `customer` (now or in its history). */
  reachedWon: boolean
}

/** The site's forms: each form's kind, and the fields whose answers are categories. */
export async function readFormFacts(
  db: D1Database,
  siteKey: string,
): Promise<{ kinds: Map<string, string>; categorical: Set<string> }> {
  const { results } = await db
    .prepare('SELECT form_id, kind, fields FROM forms WHERE site_key = ?1')
    .bind(siteKey)
    .all<{ form_id: string; kind: string; fields: string }>()
  const kinds = new Map<string, string>()
  const categorical = new Set<string>()
  for (const row of results) {
    kinds.set(row.form_id, row.kind)
    for (const field of parseJson<{ name?: string; type?: string }[]>(row.fields, [])) {
      if (field.name && (field.type === 'select' || field.type === 'checkbox'))
        categorical.add(field.name)
    }
  }
  return { kinds, categorical }
}

function scopeSql(scope: LeadScope): { sql: string; binds: unknown[] } {
  const live = 'site_key = ?1 AND erased_at IS NULL'
  if (scope.kind === 'one')
    return { sql: `SELECT id FROM leads WHERE ${live} AND id = ?2`, binds: [scope.leadId] }
  if (scope.kind === 'ids')
    return {
      // The ids drive the read (`CROSS JOIN`), each lead found by its primary key.
      sql: `SELECT leads.id FROM json_each(?2) AS ids CROSS JOIN leads WHERE leads.id = ids.value AND ${live}`,
      binds: [JSON.stringify(scope.leadIds)],
    }
  if (scope.kind === 'after')
    return {
      sql: `SELECT id FROM leads WHERE ${live} AND id > ?2 ORDER BY id LIMIT ?3`,
      binds: [scope.afterId, scope.limit],
    }
  return {
    sql: `SELECT id FROM leads WHERE ${live} AND (model_version IS NULL OR model_version < ?2) ORDER BY id LIMIT ?3`,
    binds: [scope.version, scope.limit],
  }
}

const WON = `('opportunity', 'customer')`

/** The facts of the leads in `scope`, ordered by id. */
export async function readLeadFacts(
  db: D1Database,
  siteKey: string,
  scope: LeadScope,
  forms: { kinds: Map<string, string> },
  pricingPaths: readonly string[],
): Promise<LeadFactsRow[]> {
  const { sql: ids, binds } = scopeSql(scope)
  const all = [siteKey, ...binds]
  const [leads, counts, paths, submissions, consents] = await db.batch<Record<string, unknown>>([
    db
      .prepare(
        `SELECT leads.*, (fit_score + engagement_score) AS score_total,
           (stage IN ${WON} OR EXISTS (SELECT 1 FROM stage_history AS h
              WHERE h.lead_id = leads.id AND h.to_stage IN ${WON})) AS reached_won
         FROM leads WHERE id IN (${ids}) ORDER BY id`,
      )
      .bind(...all),
    db
      .prepare(
        `SELECT lead_id,
           SUM(CASE WHEN type = 'engaged_time' THEN MIN(MAX(COALESCE(value, 0), 0), 3600) ELSE 0 END) AS engaged,
           COUNT(DISTINCT substr(occurred_at, 1, 10)) AS days,
           SUM(type = 'page_view') AS views,
           SUM(type = 'download') AS downloads
         FROM touchpoints WHERE lead_id IN (${ids}) GROUP BY lead_id`,
      )
      .bind(...all),
    db
      .prepare(
        `SELECT lead_id, path, COUNT(*) AS n FROM touchpoints
         WHERE type = 'page_view' AND lead_id IN (${ids}) GROUP BY lead_id, path`,
      )
      .bind(...all),
    db
      .prepare(
        `SELECT lead_id, form_id FROM submissions WHERE lead_id IN (${ids}) ORDER BY created_at`,
      )
      .bind(...all),
    db
      .prepare(
        `SELECT lead_id, purpose, status FROM consent_ledger WHERE id IN (
           SELECT MAX(id) FROM consent_ledger WHERE lead_id IN (${ids}) GROUP BY lead_id, purpose)`,
      )
      .bind(...all),
  ])
  type Counts = { lead_id: string; engaged: number; days: number; views: number; downloads: number }
  const countOf = new Map(
    ((counts?.results ?? []) as Counts[]).map((row) => [row.lead_id, row] as const),
  )
  const pricingOf = new Map<string, number>()
  for (const row of (paths?.results ?? []) as { lead_id: string; path: string; n: number }[]) {
    if (isPricingPath(row.path, pricingPaths))
      pricingOf.set(row.lead_id, (pricingOf.get(row.lead_id) ?? 0) + row.n)
  }
  const submissionsOf = new Map<string, LeadFacts['submissions']>()
  for (const row of (submissions?.results ?? []) as { lead_id: string; form_id: string }[]) {
    const list = submissionsOf.get(row.lead_id) ?? []
    list.push({ formId: row.form_id, kind: forms.kinds.get(row.form_id) ?? null })
    submissionsOf.set(row.lead_id, list)
  }
  const consentsOf = new Map<string, Record<string, string>>()
  for (const row of (consents?.results ?? []) as {
    lead_id: string
    purpose: string
    status: string
  }[]) {
    consentsOf.set(row.lead_id, { ...consentsOf.get(row.lead_id), [row.purpose]: row.status })
  }
  return (
    (leads?.results ?? []) as unknown as (LeadRow & { score_total: number; reached_won: number })[]
  ).map((row) => {
    const count = countOf.get(row.id)
    return {
      id: row.id,
      stage: row.stage,
      createdAt: row.created_at,
      stageChangedAt: row.stage_changed_at,
      score: row.score_total,
      reachedWon: row.reached_won === 1,
      facts: {
        record: toLeadRecord(row),
        emailDomain: row.email_domain,
        firstSource: row.first_source,
        firstMedium: row.first_medium,
        engagedSeconds: count?.engaged ?? 0,
        visitDays: count?.days ?? 0,
        pageViews: count?.views ?? 0,
        pricingViews: pricingOf.get(row.id) ?? 0,
        downloads: count?.downloads ?? 0,
        submissions: submissionsOf.get(row.id) ?? [],
        consents: consentsOf.get(row.id) ?? {},
      },
    }
  })
}
