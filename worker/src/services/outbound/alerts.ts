import type { AlertTrigger } from '../../../../shared/integrations'
import { endpointSettings, succeededPayloads } from '../../db/outbound'
import { siteStore } from '../../db/store'
import { leadName, readLeadEvent, type LeadEvent } from './lead-event'
import type { SendContext } from './types'

/**
 * Sales alerts (docs/outbound-integrations.md#alerts): when a lead becomes sales-ready (`sql`:
 * the stage `sql` in b2b, `need_recognized` in b2c) or hot, the Slack or email integration sends
 * one alert, at most once per lead and trigger.
 */
const SALES_READY = new Set(['sql', 'need_recognized'])

export type AlertDecision =
  { alert: true; event: LeadEvent; on: AlertTrigger } | { alert: false; reason: string }

/** Whether this event is the moment the trigger fires for its lead. */
export function triggerFires(event: LeadEvent, on: AlertTrigger): boolean {
  const { lead } = event
  if (on === 'sql') {
    if (event.type === 'lead.stage_changed')
      return SALES_READY.has(event.to ?? lead.stage) && !SALES_READY.has(event.from ?? '')
    return SALES_READY.has(lead.stage) && !SALES_READY.has(event.previous?.stage ?? '')
  }
  // Every lead event says what the temperature was before (`previous`; null for a new lead).
  return lead.temperature === 'hot' && event.previous?.temperature !== 'hot'
}

/**
 * Decides one alert delivery: the trigger must fire on this event, and no earlier delivery of
 * this integration may have alerted for the same lead and trigger. Deliveries of one lead to one
 * integration run one at a time (`claimDelivery`), so two events of the same change cannot both
 * pass this check.
 */
export async function decideAlert(context: SendContext): Promise<AlertDecision> {
  const { delivery, env } = context
  const event = readLeadEvent(delivery.payload)
  if (!event) return { alert: false, reason: 'not a lead event' }
  const { on } = endpointSettings<{ on: AlertTrigger }>(delivery.endpoint, { on: 'sql' })
  if (!triggerFires(event, on))
    return {
      alert: false,
      reason: on === 'sql' ? 'the lead did not become sales-ready' : 'the lead did not turn hot',
    }
  const earlier = await succeededPayloads(
    siteStore(env, delivery.endpoint.site_key),
    delivery.endpoint,
    event.leadId,
    delivery.deliveryId,
  )
  const alerted = earlier.some((payload) => {
    const before = readLeadEvent(payload)
    return before !== null && triggerFires(before, on)
  })
  if (alerted) return { alert: false, reason: `already alerted for this lead (${on})` }
  return { alert: true, event, on }
}

export interface AlertContent {
  /** One line: what happened and who. */
  headline: string
  name: string
  company: string | null
  score: number
  fitScore: number
  engagementScore: number
  reasons: string[]
  url: string | null
}

const MAX_REASONS = 8

export function alertContent(event: LeadEvent, on: AlertTrigger): AlertContent {
  const { lead } = event
  const name = leadName(lead) ?? lead.email ?? 'A lead'
  const who = lead.company ? `${name} (${lead.company})` : name
  const score = lead.fitScore + lead.engagementScore
  return {
    headline:
      on === 'sql'
        ? `Sales-ready lead: ${who}, score ${score}`
        : `Hot lead: ${who}, score ${score}`,
    name,
    company: lead.company,
    score,
    fitScore: lead.fitScore,
    engagementScore: lead.engagementScore,
    reasons: lead.scoreReasons.slice(0, MAX_REASONS),
    url: lead.url,
  }
}
