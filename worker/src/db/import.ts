import type { Touch } from '../domain/attribution'
import type { LeadRecord } from '../domain/lead-record'
import { leadColumnValues, type LeadRow } from './leads'

/** The lead imported before under `externalId` (docs/import.md), erased ones excluded. */
export async function findLeadByExternalId(
  db: D1Database,
  siteKey: string,
  externalId: string,
): Promise<(LeadRow & { external_id: string | null }) | null> {
  return db
    .prepare('SELECT * FROM leads WHERE site_key = ?1 AND external_id = ?2 AND erased_at IS NULL')
    .bind(siteKey, externalId)
    .first()
}

/** What an imported lead stores, decided by the import service. */
export interface ImportedLeadWrite {
  id: string
  siteKey: string
  externalId: string
  emailKey: string
  email: string
  emailDomain: string
  record: LeadRecord
  complete: boolean
  missing: string[]
  stage: string
  stageChangedAt: string
  temperature: string
  fit: number
  engagement: number
  reasons: string[]
  state: string
  touches: { first: Touch; last: Touch }
  firstSeenAt: string
  createdAt: string
  now: string
}

function leadValues(lead: ImportedLeadWrite) {
  return [
    ...leadColumnValues({
      ...lead,
      firstTouch: lead.touches.first,
      lastTouch: lead.touches.last,
    }),
    lead.stageChangedAt,
    lead.createdAt,
    lead.now,
  ] as const
}

/** A new imported lead, created when its history began (`createdAt` as given). */
export function insertImportedLead(db: D1Database, lead: ImportedLeadWrite): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO leads (id, site_key, external_id, email_key, email, email_domain, first_name, last_name, company,
         job_title, phone, fields, complete, missing, stage, temperature, fit_score, engagement_score, score_reasons,
         score_state, first_source, first_medium, first_campaign, first_touch_at, last_source, last_medium,
         last_campaign, last_touch_at, first_seen_at, stage_set_by, stage_changed_at, created_at, updated_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21,
         ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, 'rule', ?30, ?31, ?32)`,
    )
    .bind(lead.id, lead.siteKey, lead.externalId, lead.emailKey, ...leadValues(lead))
}

/**
 * An imported lead found again: its merged fields, scores and touches, its external id, and the
 * earlier of the two creation times. Guarded by the version read; a no-op when the lead changed
 * meanwhile (the caller reads it again and retries).
 */
export function updateImportedLead(
  db: D1Database,
  lead: ImportedLeadWrite,
  expectedVersion: number,
): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE leads SET external_id = ?3, email = ?5, email_domain = ?6, first_name = ?7, last_name = ?8,
         company = ?9, job_title = ?10, phone = ?11, fields = ?12, complete = ?13, missing = ?14, stage = ?15,
         temperature = ?16, fit_score = ?17, engagement_score = ?18, score_reasons = ?19, score_state = ?20,
         first_source = ?21, first_medium = ?22, first_campaign = ?23, first_touch_at = ?24,
         last_source = ?25, last_medium = ?26, last_campaign = ?27, last_touch_at = ?28,
         first_seen_at = ?29, stage_changed_at = CASE WHEN stage = ?15 THEN stage_changed_at ELSE ?30 END,
         created_at = MIN(created_at, ?31), updated_at = ?32, version = version + 1
       WHERE site_key = ?2 AND id = ?1 AND email_key = ?4 AND version = ?33`,
    )
    .bind(
      lead.id,
      lead.siteKey,
      lead.externalId,
      lead.emailKey,
      ...leadValues(lead),
      expectedVersion,
    )
}

/**
 * A rule's stage step of an imported lead, dated when it happened. `guard`: SQL that holds only
 * when the lead's own write of the same batch went through.
 */
export function insertRuleStep(
  db: D1Database,
  step: { siteKey: string; leadId: string; from: string | null; to: string; ruleId: string },
  at: string,
  guard: string,
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO stage_history (site_key, lead_id, from_stage, to_stage, cause, rule_id, created_at)
       SELECT ?1, ?2, ?3, ?4, 'rule', ?5, ?6 WHERE ${guard}`,
    )
    .bind(step.siteKey, step.leadId, step.from, step.to, step.ruleId, at)
}

/**
 * An imported consent answer (docs/import.md#consents): method `import`, no consent text (the
 * import cannot know the wording that was shown), dated as given. The same answer imported again
 * adds no row, nor does one older than the lead's latest entry for the purpose.
 */
export function insertImportedConsent(
  db: D1Database,
  consent: {
    siteKey: string
    leadId: string
    purpose: string
    granted: boolean
    formId: string | null
    at: string
  },
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO consent_ledger (site_key, lead_id, purpose, status, method, form_id, created_at)
       SELECT ?1, ?2, ?3, ?4, 'import', ?5, ?6
       WHERE EXISTS (SELECT 1 FROM leads WHERE id = ?2 AND site_key = ?1)
         AND NOT EXISTS (SELECT 1 FROM consent_ledger WHERE lead_id = ?2 AND purpose = ?3 AND status = ?4
           AND method = 'import' AND created_at = ?6)
         -- The ledger's newest row is the consent in force: an older answer never overrides a
         -- newer one recorded here (a withdrawal given since, say).
         AND NOT EXISTS (SELECT 1 FROM consent_ledger WHERE lead_id = ?2 AND purpose = ?3
           AND created_at >= ?6)`,
    )
    .bind(
      consent.siteKey,
      consent.leadId,
      consent.purpose,
      consent.granted ? 'granted' : 'withdrawn',
      consent.formId,
      consent.at,
    )
}

/** Which of `eventIds` the site has stored already. */
export async function storedEventIds(
  db: D1Database,
  siteKey: string,
  eventIds: readonly string[],
): Promise<Set<string>> {
  if (!eventIds.length) return new Set()
  const { results } = await db
    .prepare(
      `SELECT event_id FROM touchpoints
       WHERE site_key = ?1 AND event_id IN (SELECT value FROM json_each(?2))`,
    )
    .bind(siteKey, JSON.stringify(eventIds))
    .all<{ event_id: string }>()
  return new Set(results.map((row) => row.event_id))
}
