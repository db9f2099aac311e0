import type { Site, Stage } from '../../../shared/site'
import { listForms } from '../db/forms'
import { toLeadRecord, toLeadTouches, type LeadRow } from '../db/leads'
import type { NewEvent } from '../db/outbound'
import { findLeadsToScore, updateLeadScores } from '../db/lead-score'
import { parseJson } from '../db/json'
import type { InsertedTouchpoint } from '../db/touchpoints'
import { updateTouches } from '../domain/attribution'
import {
  classify,
  parseEngagementState,
  resolveRules,
  serializeEngagementState,
} from '../domain/qualify'
import { scoreLeadsNow } from './lead-model'
import { leadUpdatedEvent, snapshotOfRow, stageChangedEvent } from './outbound/events'
import { announce } from './outbound/queue'
import { toQualifyTouchpoint, toTouchCandidate } from './touchpoint-facts'

const MAX_ATTEMPTS = 3

/**
 * Scores new touchpoints of leads incrementally (docs/stages-and-scoring.md#engagement-score): only
 * the new rows and the lead's stored engagement state are read, never its whole history, so the
 * events endpoint stays fast. Touchpoints of no lead (anonymous, or of a visitor not linked) cost
 * no query at all; the leads of one batch are read in one query and written in one `db.batch`
 * (docs/scale.md#ingest-cost-flat-in-the-sites-size), and only leads another write changed
 * meanwhile are read and written again.
 */
export async function reclassifyLeads(
  db: D1Database,
  site: Site,
  inserted: readonly InsertedTouchpoint[],
  /** Where a moved stage or temperature is reported (docs/outbound.md#events). */
  outbound: { queue: Queue | undefined; appOrigin: string | null } = {
    queue: undefined,
    appOrigin: null,
  },
): Promise<void> {
  const byLead = new Map<string, InsertedTouchpoint[]>()
  for (const row of inserted) {
    if (row.lead_id) byLead.set(row.lead_id, [...(byLead.get(row.lead_id) ?? []), row])
  }
  if (!byLead.size) return
  const needsForms = inserted.some((row) => row.lead_id && row.form_id)
  const forms = new Map(
    (needsForms ? await listForms(db, site) : []).map((form) => [form.formId, form]),
  )
  const rules = resolveRules(site.rules, site.stageModel)
  const scored: string[] = []
  const eventIds: string[] = []
  let pending = [...byLead.keys()]
  for (let attempt = 0; attempt < MAX_ATTEMPTS && pending.length; attempt++) {
    const leads = await findLeadsToScore(db, site.siteKey, pending)
    const now = new Date()
    const updates = leads.map((lead) => {
      const rows = byLead.get(lead.id)!
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
      const touches = updateTouches(toLeadTouches(lead), rows.map(toTouchCandidate))
      return {
        leadId: lead.id,
        expectedVersion: lead.version,
        siteKey: site.siteKey,
        stage: result.stage,
        temperature: result.temperature,
        fit: result.fit,
        engagement: result.engagement,
        reasons: result.reasons,
        state: serializeEngagementState(result.state),
        changes: result.changes,
        touches,
        now: now.toISOString(),
        events: movedEvents(lead, result, touches, now.toISOString(), outbound.appOrigin),
      }
    })
    const stored = await updateLeadScores(db, updates)
    pending = []
    stored.forEach((ids, i) => {
      const { leadId } = updates[i]!
      if (ids) {
        scored.push(leadId)
        eventIds.push(...ids)
      } else pending.push(leadId)
    })
  }
  await announce(outbound.queue, eventIds)
  await scoreLeadsNow(db, site, scored)
}

/**
 * What a re-classification reports: a moved stage as `lead.stage_changed`, else a moved
 * temperature as `lead.updated`; a changed score alone is not worth an event.
 */
function movedEvents(
  lead: LeadRow,
  result: ReturnType<typeof classify>,
  touches: ReturnType<typeof updateTouches>,
  now: string,
  appOrigin: string | null,
): NewEvent[] {
  if (result.stage === lead.stage && result.temperature === lead.temperature) return []
  const after = {
    ...snapshotOfRow(lead),
    stage: result.stage,
    temperature: result.temperature,
    fitScore: result.fit,
    engagementScore: result.engagement,
    scoreReasons: result.reasons,
    firstTouch: touches.first,
    lastTouch: touches.last,
  }
  if (result.stage !== lead.stage)
    return [
      stageChangedEvent(
        after,
        {
          from: lead.stage,
          to: result.stage,
          cause: 'rule',
          now,
          previousTemperature: lead.temperature,
        },
        appOrigin,
      ),
    ]
  return [
    leadUpdatedEvent(after, { stage: lead.stage, temperature: lead.temperature }, now, appOrigin),
  ]
}
