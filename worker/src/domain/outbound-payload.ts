import type { Touch } from './attribution'
import type { LeadRecord } from './lead-record'

/**
 * What an event says about a lead (docs/outbound.md#events): its contact data, stage, scores and
 * the link to it in the app. Receivers get the lead as it is at the change, so an event is
 * complete on its own.
 */
export interface LeadSnapshotInput {
  id: string
  siteKey: string
  record: LeadRecord
  stage: string
  temperature: string
  fitScore: number
  engagementScore: number
  scoreReasons: string[]
  complete: boolean
  firstTouch: Touch | null
  lastTouch: Touch | null
  deal?: { amount: number; currency: string } | null
}

export function leadLink(appOrigin: string | null, siteKey: string, leadId: string): string | null {
  return appOrigin
    ? `${appOrigin}/app/${encodeURIComponent(siteKey)}/leads/${encodeURIComponent(leadId)}`
    : null
}

export function leadSnapshot(input: LeadSnapshotInput, appOrigin: string | null) {
  const { email, firstName, lastName, company, jobTitle, phone, ...fields } = input.record
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null)
  return {
    id: input.id,
    email: text(email),
    firstName: text(firstName),
    lastName: text(lastName),
    company: text(company),
    jobTitle: text(jobTitle),
    phone: text(phone),
    fields,
    stage: input.stage,
    temperature: input.temperature,
    fitScore: input.fitScore,
    engagementScore: input.engagementScore,
    scoreReasons: input.scoreReasons,
    complete: input.complete,
    firstTouch: input.firstTouch,
    lastTouch: input.lastTouch,
    ...(input.deal ? { deal: input.deal } : {}),
    url: leadLink(appOrigin, input.siteKey, input.id),
  }
}
export type LeadSnapshot = ReturnType<typeof leadSnapshot>
