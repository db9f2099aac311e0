import type { CapturePlan } from '../../domain/capture-plan'
import { leadSnapshot, type LeadSnapshotInput } from '../../domain/outbound-payload'
import type { LeadRow } from '../../db/leads'
import { toLeadRecord } from '../../db/leads'
import { parseJson } from '../../db/json'
import type { NewEvent } from '../../db/outbound'

/**
 * The events each change reports (docs/outbound.md#events), built where the change is planned so
 * they join its batch.
 */

/** A submission: the lead created or updated, its stage if the rules moved it, its consents. */
export function captureEvents(
  plan: CapturePlan,
  appOrigin: string | null,
  previous: { stage: string; temperature: string } | null,
): NewEvent[] {
  const { lead } = plan
  const snapshot = leadSnapshot(
    {
      id: lead.id,
      siteKey: plan.siteKey,
      record: lead.record,
      stage: lead.stage,
      temperature: lead.temperature,
      fitScore: lead.fitScore,
      engagementScore: lead.engagementScore,
      scoreReasons: lead.scoreReasons,
      complete: lead.complete,
      firstTouch: lead.firstTouch,
      lastTouch: lead.lastTouch,
    },
    appOrigin,
  )
  const base = { siteKey: plan.siteKey, leadId: lead.id, now: plan.now }
  const events: NewEvent[] = [
    {
      ...base,
      type: lead.isNew ? 'lead.created' : 'lead.updated',
      data: {
        formId: plan.formId,
        submissionId: plan.submissionId,
        // What the lead was before (null: new), so a receiver sees what moved.
        previous,
        lead: snapshot,
      },
    },
  ]
  const first = plan.stageChanges[0]
  const last = plan.stageChanges.at(-1)
  if (first && last && !lead.isNew) {
    events.push({
      ...base,
      type: 'lead.stage_changed',
      data: {
        from: first.from,
        to: last.to,
        cause: 'rule',
        ruleId: last.ruleId,
        previous,
        lead: snapshot,
      },
    })
  } else if (last && lead.isNew && last.to !== 'lead' && last.to !== 'prospect') {
    // A new lead that the rules placed past the first stage at once.
    events.push({
      ...base,
      type: 'lead.stage_changed',
      data: {
        from: null,
        to: last.to,
        cause: 'rule',
        ruleId: last.ruleId,
        previous: null,
        lead: snapshot,
      },
    })
  }
  for (const consent of plan.consents) {
    events.push({
      ...base,
      type: 'consent.changed',
      data: {
        purpose: consent.purpose,
        status: consent.status,
        method: consent.method,
        textId: consent.textId,
        email: lead.email,
      },
    })
  }
  return events
}

export function snapshotOfRow(row: LeadRow): LeadSnapshotInput {
  return {
    id: row.id,
    siteKey: row.site_key,
    record: toLeadRecord(row),
    stage: row.stage,
    temperature: row.temperature,
    fitScore: row.fit_score,
    engagementScore: row.engagement_score,
    scoreReasons: parseJson<string[]>(row.score_reasons, []),
    complete: row.complete === 1,
    firstTouch: {
      source: row.first_source,
      medium: row.first_medium,
      campaign: row.first_campaign,
      at: row.first_touch_at,
    },
    lastTouch: {
      source: row.last_source,
      medium: row.last_medium,
      campaign: row.last_campaign,
      at: row.last_touch_at,
    },
    deal:
      row.deal_amount !== null && row.deal_currency
        ? { amount: row.deal_amount, currency: row.deal_currency }
        : null,
  }
}

/** A stage set by a person or a CRM, or moved by the rules outside a submission. */
export function stageChangedEvent(
  lead: LeadSnapshotInput,
  change: {
    from: string | null
    to: string
    cause: 'rule' | 'manual' | 'crm'
    now: string
    /** The temperature before, where the change moved it too. */
    previousTemperature?: string
  },
  appOrigin: string | null,
): NewEvent {
  const snapshot = leadSnapshot({ ...lead, stage: change.to }, appOrigin)
  const previous =
    change.from === null
      ? null
      : { stage: change.from, temperature: change.previousTemperature ?? lead.temperature }
  return {
    siteKey: lead.siteKey,
    leadId: lead.id,
    type: 'lead.stage_changed',
    now: change.now,
    data: { from: change.from, to: change.to, cause: change.cause, previous, lead: snapshot },
  }
}

/** A lead whose temperature moved without a submission (touchpoints, decay). */
export function leadUpdatedEvent(
  lead: LeadSnapshotInput,
  previous: { stage: string; temperature: string },
  now: string,
  appOrigin: string | null,
): NewEvent {
  return {
    siteKey: lead.siteKey,
    leadId: lead.id,
    type: 'lead.updated',
    now,
    data: { previous, lead: leadSnapshot(lead, appOrigin) },
  }
}

/** An erased lead: its id alone, nothing personal. */
export function erasedEvent(siteKey: string, leadId: string, now: string): NewEvent {
  return { siteKey, leadId, type: 'lead.erased', now, data: { erasedAt: now } }
}

export function consentChangedEvent(
  siteKey: string,
  leadId: string,
  consent: { purpose: string; status: string; method: string; email: string | null },
  now: string,
): NewEvent {
  return { siteKey, leadId, type: 'consent.changed', now, data: consent }
}

/** A submission held as suspected spam: the form and the reason, nothing the visitor typed. */
export function spamHeldEvent(
  siteKey: string,
  held: { formId: string | null; reason: string; emailDomain: string | null },
  now: string,
): NewEvent {
  return { siteKey, leadId: null, type: 'spam.held', now, data: { ...held, receivedAt: now } }
}
