import { saveCrmLink } from '../../db/crm-links'
import { siteStore } from '../../db/store'
import { crmFailure, startCrmPush } from './crm'
import { post } from './http'
import type { Sender } from './types'

export const HUBSPOT_API = 'https://api.hubapi.com'

/** HubSpot's lifecycle stage for a Lodestone stage; none for `disqualified`. */
const LIFECYCLE: Record<string, string> = {
  lead: 'lead',
  mql: 'marketingqualifiedlead',
  sql: 'salesqualifiedlead',
  opportunity: 'opportunity',
  customer: 'customer',
  prospect: 'lead',
  engaged: 'lead',
  interested: 'marketingqualifiedlead',
  need_recognized: 'salesqualifiedlead',
}

export function hubspotLifecycle(stage: string): string | null {
  return LIFECYCLE[stage] ?? null
}

/**
 * The lead pushed to HubSpot as a contact (docs/outbound-integrations.md#hubspot): one batch
 * upsert keyed on the email, so a replay updates the same contact. The contact id HubSpot answers
 * is kept in `crm_links`.
 */
export const sendHubspot: Sender = async (context) => {
  const { delivery, env, now } = context
  const start = await startCrmPush(context)
  if (!start.ok) return start.outcome
  const { event, token } = start
  const { lead } = event
  const properties: Record<string, string> = { email: lead.email }
  const optional = {
    firstname: lead.firstName,
    lastname: lead.lastName,
    company: lead.company,
    jobtitle: lead.jobTitle,
    phone: lead.phone,
    lifecyclestage: hubspotLifecycle(lead.stage),
  }
  for (const [name, value] of Object.entries(optional)) if (value) properties[name] = value
  const { outcome, response } = await post(
    context,
    `${HUBSPOT_API}/crm/v3/objects/contacts/batch/upsert`,
    {
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'user-agent': 'Lodestone-CRM/1',
      },
      body: JSON.stringify({ inputs: [{ idProperty: 'email', id: lead.email, properties }] }),
    },
    { checkTarget: false },
  )
  if (outcome.result !== 'ok' || !response) return crmFailure(outcome, 'HubSpot')
  const answer = (await response.json().catch(() => null)) as {
    results?: { id?: unknown }[]
  } | null
  const contactId = answer?.results?.[0]?.id
  if (typeof contactId !== 'string' && typeof contactId !== 'number')
    return {
      result: 'retry',
      statusCode: outcome.statusCode,
      error: 'HubSpot answered no contact id',
    }
  await saveCrmLink(
    siteStore(env, delivery.endpoint.site_key),
    {
      siteKey: delivery.endpoint.site_key,
      leadId: event.leadId,
      kind: 'hubspot',
      externalId: String(contactId),
    },
    { version: event.version },
    now.toISOString(),
  )
  return outcome
}
