import type { LeadSnapshot } from '../../domain/outbound-payload'

/**
 * A lead event's payload as the alert and CRM senders read it (worker/src/services/outbound/
 * events.ts builds it): all three carry `previous` (null for a new lead) and the lead as it was at
 * the change; `lead.stage_changed` also carries `from` and `to`.
 */
export interface LeadEvent {
  type: string
  timestamp: string
  leadId: string
  version: number
  lead: LeadSnapshot
  /** `lead.created` / `lead.updated`: the lead before the change (`null`: it is new). */
  previous?: { stage: string; temperature: string } | null
  /** `lead.stage_changed`. */
  from?: string | null
  to?: string
}

export const LEAD_EVENTS = ['lead.created', 'lead.updated', 'lead.stage_changed'] as const

/** The lead event in a payload, or `null` for any other event (or a payload without a lead). */
export function readLeadEvent(payload: string): LeadEvent | null {
  let parsed: unknown
  try {
    parsed = JSON.parse(payload)
  } catch {
    return null
  }
  if (typeof parsed !== 'object' || parsed === null) return null
  const { type, timestamp, data } = parsed as {
    type?: unknown
    timestamp?: unknown
    data?: Record<string, unknown>
  }
  if (typeof type !== 'string' || !(LEAD_EVENTS as readonly string[]).includes(type)) return null
  if (!data || typeof data.leadId !== 'string' || typeof data.lead !== 'object' || !data.lead)
    return null
  return {
    type,
    timestamp: typeof timestamp === 'string' ? timestamp : '',
    leadId: data.leadId,
    version: typeof data.version === 'number' ? data.version : 0,
    lead: data.lead as LeadSnapshot,
    ...('previous' in data ? { previous: data.previous as LeadEvent['previous'] } : {}),
    ...('from' in data ? { from: data.from as string | null } : {}),
    ...(typeof data.to === 'string' ? { to: data.to } : {}),
  }
}

/** The lead's name as people write it, or `null` when it gave none. */
export function leadName(lead: Pick<LeadSnapshot, 'firstName' | 'lastName'>): string | null {
  const name = [lead.firstName, lead.lastName].filter(Boolean).join(' ').trim()
  return name === '' ? null : name
}
