import { findCrmLink, type CrmLink } from '../../db/crm-links'
import { siteStore } from '../../db/store'
import { openSecret } from '../../lib/crypto'
import { readLeadEvent, type LeadEvent } from './lead-event'
import type { SendContext, SendOutcome } from './types'

/**
 * What the CRM senders share (docs/outbound-integrations.md#crm): the lead event with an email,
 * the stored link to the CRM's record, and the token. Deliveries of one lead to one CRM run one at
 * a time (`claimDelivery`); an event older than the one last pushed is skipped, so a late retry
 * never writes old data over new.
 */
export type CrmStart =
  | {
      ok: true
      event: LeadEvent & { lead: { email: string } }
      link: CrmLink | null
      token: string
    }
  | { ok: false; outcome: SendOutcome }

export async function startCrmPush(context: SendContext): Promise<CrmStart> {
  const { delivery, env, config } = context
  const { endpoint } = delivery
  const event = readLeadEvent(delivery.payload)
  if (!event) return { ok: false, outcome: { result: 'skip', reason: 'not a lead event' } }
  if (!event.lead.email)
    return { ok: false, outcome: { result: 'skip', reason: 'the lead has no email' } }
  if (!endpoint.secret)
    return {
      ok: false,
      outcome: { result: 'retry', statusCode: null, error: 'no token stored' },
    }
  const link = await findCrmLink(
    siteStore(env, endpoint.site_key),
    endpoint.site_key,
    event.leadId,
    endpoint.kind,
  )
  if (link?.extra.version !== undefined && link.extra.version > event.version)
    return {
      ok: false,
      outcome: { result: 'skip', reason: 'a newer event of this lead was pushed already' },
    }
  return {
    ok: true,
    event: event as LeadEvent & { lead: { email: string } },
    link,
    token: await openSecret(config.LODESTONE_SECRET, endpoint.secret),
  }
}

/** A CRM's refusal with a hint that fits it: 401 and 403 mean the token. */
export function crmFailure(outcome: SendOutcome, crm: string): SendOutcome {
  // A 410 from a CRM's API is about one record, not the integration: retried, never switched off.
  if (outcome.result === 'gone')
    return { result: 'retry', statusCode: 410, error: `${crm} answered 410` }
  if (outcome.result === 'retry' && (outcome.statusCode === 401 || outcome.statusCode === 403))
    return { ...outcome, error: `${crm} ${outcome.error}: check the token and its scopes` }
  if (outcome.result === 'retry') return { ...outcome, error: `${crm} ${outcome.error}` }
  return outcome
}
