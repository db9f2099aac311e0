import type { Site, Stage } from '../../../shared/site'
import { listForms } from '../db/forms'
import { findLead, toLeadRecord, toLeadTouches } from '../db/leads'
import { updateLeadScore } from '../db/lead-score'
import { parseJson } from '../db/json'
import type { InsertedTouchpoint } from '../db/touchpoints'
import { updateTouches } from '../domain/attribution'
import {
  classify,
  parseEngagementState,
  resolveRules,
  serializeEngagementState,
} from '../domain/qualify'
import { scoreLeadNow } from './lead-model'
import { toQualifyTouchpoint, toTouchCandidate } from './touchpoint-facts'

const MAX_ATTEMPTS = 3

/**
 * Scores new touchpoints of leads incrementally (docs/stages-and-scoring.md#engagement-score): only
 * the new rows and the lead's stored engagement state are read, never its whole history, so the
 * events endpoint stays fast.
 */
export async function reclassifyLeads(
  db: D1Database,
  site: Site,
  inserted: readonly InsertedTouchpoint[],
): Promise<void> {
  const byLead = new Map<string, InsertedTouchpoint[]>()
  for (const row of inserted) {
    if (row.lead_id) byLead.set(row.lead_id, [...(byLead.get(row.lead_id) ?? []), row])
  }
  if (!byLead.size) return
  const needsForms = inserted.some((row) => row.form_id)
  const forms = new Map(
    (needsForms ? await listForms(db, site) : []).map((form) => [form.formId, form]),
  )
  const rules = resolveRules(site.rules, site.stageModel)
  for (const [leadId, rows] of byLead) {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const lead = await findLead(db, site.siteKey, leadId)
      if (!lead) break
      const now = new Date()
      const result = classify({
        model: site.stageModel,
        rules,
        stage: lead.stage as Stage,
        stageSetBy: lead.stage_set_by as 'rule' | 'manual',
        fields: toLeadRecord(lead),
        missing: parseJson<string[]>(lead.missing, []),
        state: parseEngagementState(lead.score_state),
        touchpoints: rows.map((row) => toQualifyTouchpoint(row, forms)),
        firstTouch: { source: lead.first_source, medium: lead.first_medium },
        now,
      })
      const stored = await updateLeadScore(db, {
        leadId,
        expectedVersion: lead.version,
        siteKey: site.siteKey,
        stage: result.stage,
        temperature: result.temperature,
        fit: result.fit,
        engagement: result.engagement,
        reasons: result.reasons,
        state: serializeEngagementState(result.state),
        changes: result.changes,
        touches: updateTouches(toLeadTouches(lead), rows.map(toTouchCandidate)),
        now: now.toISOString(),
      })
      if (stored) {
        await scoreLeadNow(db, site, leadId)
        break
      }
    }
  }
}
