import { deleteCrmLink, saveCrmLink } from '../../db/crm-links'
import { siteStore } from '../../db/store'
import { crmFailure, startCrmPush } from './crm'
import { post } from './http'
import { leadName } from './lead-event'
import type { SendContext, SendOutcome, Sender } from './types'

export const PIPEDRIVE_API = 'https://api.pipedrive.com/v1'

type Call =
  | { ok: true; data: Record<string, unknown>; list?: Record<string, unknown>[] }
  | { ok: false; outcome: SendOutcome }

/** One Pipedrive API call (`api_token` in the query, as its v1 API takes it); answers `data`. */
async function pipedrive(
  context: SendContext,
  token: string,
  path: string,
  init: { method?: string; query?: Record<string, string>; body?: unknown } = {},
): Promise<Call> {
  const query = new URLSearchParams({ ...init.query, api_token: token })
  const { outcome, response } = await post(
    context,
    `${PIPEDRIVE_API}${path}?${query}`,
    {
      headers: {
        accept: 'application/json',
        'user-agent': 'Lodestone-CRM/1',
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(init.method ? { method: init.method } : {}),
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    },
    { checkTarget: false },
  )
  if (outcome.result !== 'ok' || !response)
    return { ok: false, outcome: crmFailure(outcome, 'Pipedrive') }
  const answer = (await response.json().catch(() => null)) as {
    success?: boolean
    data?: unknown
  } | null
  if (!answer?.success)
    return {
      ok: false,
      outcome: {
        result: 'retry',
        statusCode: outcome.statusCode,
        error: 'Pipedrive said no success',
      },
    }
  // `data` is an object, or a list (`GET /leads`), or null for an empty list.
  if (Array.isArray(answer.data))
    return { ok: true, data: {}, list: answer.data as Record<string, unknown>[] }
  return {
    ok: true,
    data:
      typeof answer.data === 'object' && answer.data !== null
        ? (answer.data as Record<string, unknown>)
        : {},
    list: [],
  }
}

const idOf = (value: unknown): string | null =>
  typeof value === 'number' || (typeof value === 'string' && value !== '') ? String(value) : null

/**
 * The lead pushed to Pipedrive (docs/outbound-integrations.md#pipedrive): the person it is (the
 * one linked in `crm_links`, else the one with this email, else a new one), and once a Pipedrive
 * lead for that person. Each id is stored as soon as Pipedrive answers it, so a retry or a replay
 * continues where the last attempt stopped and never makes a second person or lead.
 */
export const sendPipedrive: Sender = async (context) => {
  const { delivery, env, now } = context
  const start = await startCrmPush(context)
  if (!start.ok) return start.outcome
  const { event, token } = start
  let link = start.link
  const { lead } = event
  const siteKey = delivery.endpoint.site_key
  const linkKey = { siteKey, leadId: event.leadId, kind: 'pipedrive' as const }
  const name = leadName(lead) ?? lead.email

  if (link) {
    const updated = await pipedrive(
      context,
      token,
      `/persons/${encodeURIComponent(link.externalId)}`,
      {
        method: 'PUT',
        body: { name },
      },
    )
    if (!updated.ok) {
      if (updated.outcome.result !== 'retry' || updated.outcome.statusCode !== 404)
        return updated.outcome
      // The person was deleted in Pipedrive: find or make it again.
      await deleteCrmLink(siteStore(env, siteKey), siteKey, event.leadId, 'pipedrive')
      link = null
    }
  }
  if (!link) {
    const found = await pipedrive(context, token, '/persons/search', {
      query: { term: lead.email, fields: 'email', exact_match: 'true', limit: '1' },
    })
    if (!found.ok) return found.outcome
    const items = Array.isArray(found.data.items)
      ? (found.data.items as { item?: { id?: unknown } }[])
      : []
    let personId = idOf(items[0]?.item?.id)
    if (!personId) {
      const created = await pipedrive(context, token, '/persons', {
        body: { name, email: [{ value: lead.email, primary: true, label: 'work' }] },
      })
      if (!created.ok) return created.outcome
      personId = idOf(created.data.id)
      if (!personId)
        return { result: 'retry', statusCode: null, error: 'Pipedrive answered no person id' }
    }
    await saveCrmLink(
      siteStore(env, siteKey),
      { ...linkKey, externalId: personId },
      {},
      now.toISOString(),
    )
    link = { externalId: personId, extra: {} }
  }
  if (!link.extra.leadId) {
    const title = `${lead.company ?? name} — Lodestone`
    // An attempt that timed out may have made the lead after all: the person's own comes first.
    const existing = await pipedrive(context, token, '/leads', {
      query: { person_id: link.externalId, limit: '50' },
    })
    if (!existing.ok) return existing.outcome
    const ours = (existing.list ?? []).find(
      (item) => typeof item.title === 'string' && item.title.endsWith(' — Lodestone'),
    )
    let leadId = idOf(ours?.id)
    if (!leadId) {
      const created = await pipedrive(context, token, '/leads', {
        body: { title, person_id: Number(link.externalId) },
      })
      if (!created.ok) return created.outcome
      leadId = idOf(created.data.id)
    }
    if (!leadId)
      return { result: 'retry', statusCode: null, error: 'Pipedrive answered no lead id' }
    await saveCrmLink(
      siteStore(env, siteKey),
      { ...linkKey, externalId: link.externalId },
      { leadId },
      now.toISOString(),
    )
  }
  await saveCrmLink(
    siteStore(env, siteKey),
    { ...linkKey, externalId: link.externalId },
    { version: event.version },
    now.toISOString(),
  )
  return { result: 'ok', statusCode: 200 }
}
