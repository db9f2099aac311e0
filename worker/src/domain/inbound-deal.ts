import { DEAL_ID, type InboundSource } from '../../../shared/deals'
import { minorDigits, toMinorUnits } from '../../../shared/spend-csv'
import type { FieldError } from '../lib/problem'

/**
 * What a CRM's webhook says about a deal (docs/inbound-deals.md#crm-webhooks): a won deal with
 * its value and who it is for, a payload to ignore (and why), or one that cannot be read.
 * Plain functions over the parsed JSON, so every shape is tested without a request.
 */

export interface InboundDeal {
  dealId: string
  /** Integer minor units of `currency`. */
  amount: number
  currency: string
  /** As the CRM says, ISO 8601; null when it does not say (or not readably). */
  wonAt: string | null
  /** The CRM's id of the person or contact (`crm_links.external_id`), if the payload carries it. */
  personId: string | null
  /** Addresses the payload carries for the person, to find the lead by if no link matches. */
  emails: string[]
}

export type ReadDeal =
  | { kind: 'won'; deal: InboundDeal }
  | { kind: 'ignored'; reason: string }
  | { kind: 'invalid'; errors: FieldError[] }

type Json = Record<string, unknown>

const MAX_AMOUNT = 1e13

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A HubSpot property as the legacy workflow payload sends it (`{value: …}`) or plain. */
function plain(value: unknown): unknown {
  return isObject(value) && 'value' in value ? value.value : value
}

/** An id as text: CRMs send numbers or strings. */
function idOf(value: unknown): string | null {
  const id = plain(value)
  if (typeof id === 'number' && Number.isSafeInteger(id) && id >= 0) return String(id)
  if (typeof id === 'string' && id.trim() !== '') return id.trim()
  return null
}

/** A money amount in major units (a number, or text like `1500.50`) as minor units; null if not. */
export function amountInMinorUnits(value: unknown, currency: string): number | null {
  const digits = minorDigits(currency)
  const raw = plain(value)
  let minor: number | null = null
  if (typeof raw === 'number' && Number.isFinite(raw) && raw >= 0)
    minor = Math.round(raw * 10 ** digits)
  else if (typeof raw === 'string' && raw.trim() !== '')
    minor = toMinorUnits(raw.trim(), '.', digits)
  return minor !== null && minor <= MAX_AMOUNT ? minor : null
}

/** A time as ISO 8601: ISO text, Pipedrive's `YYYY-MM-DD HH:MM:SS` (UTC) or epoch milliseconds. */
export function timeOf(value: unknown): string | null {
  const raw = plain(value)
  let ms = Number.NaN
  if (typeof raw === 'number') ms = raw
  else if (typeof raw === 'string') {
    const text = raw.trim()
    if (/^\d{10,15}$/.test(text)) ms = Number(text)
    else if (/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?$/.test(text))
      ms = Date.parse(`${text.replace(' ', 'T')}Z`)
    else if (/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(text)) ms = Date.parse(text)
  }
  if (!Number.isFinite(ms)) return null
  const date = new Date(ms)
  return Number.isNaN(date.getTime()) ? null : date.toISOString()
}

function emailsIn(values: unknown[]): string[] {
  const found: string[] = []
  for (const value of values) {
    const raw = plain(value)
    if (typeof raw === 'string' && raw.length <= 320 && raw.includes('@')) found.push(raw)
    else if (Array.isArray(raw)) found.push(...emailsIn(raw))
  }
  return [...new Set(found)].slice(0, 5)
}

/** The value, currency and id of a won deal, or the fields that cannot be read. */
function wonDeal(
  fields: { dealId: [string, unknown]; amount: [string, unknown]; currency: [string, unknown] },
  rest: Omit<InboundDeal, 'dealId' | 'amount' | 'currency'>,
): ReadDeal {
  const errors: FieldError[] = []
  const dealId = idOf(fields.dealId[1])
  if (dealId === null || !DEAL_ID.safeParse(dealId).success)
    errors.push({ path: fields.dealId[0], message: 'is not a deal id' })
  const currencyRaw = plain(fields.currency[1])
  const currency = typeof currencyRaw === 'string' ? currencyRaw.trim().toUpperCase() : ''
  if (!/^[A-Z]{3}$/.test(currency))
    errors.push({ path: fields.currency[0], message: 'is not an ISO 4217 currency' })
  const amount = currency ? amountInMinorUnits(fields.amount[1], currency) : null
  if (amount === null)
    errors.push({
      path: fields.amount[0],
      message: 'is not an amount (a decimal number with a dot, at most 10^13 minor units)',
    })
  if (errors.length) return { kind: 'invalid', errors }
  return { kind: 'won', deal: { dealId: dealId!, amount: amount!, currency, ...rest } }
}

/**
 * Pipedrive's deal webhooks: v1 (`event: "updated.deal"`, the deal in `current`) and v2
 * (`meta.action: "change"`, `meta.entity: "deal"`, the deal in `data`).
 */
export function readPipedrive(body: Json): ReadDeal {
  const meta = isObject(body.meta) ? body.meta : {}
  const entity = meta.object ?? meta.entity
  if (entity !== undefined && entity !== 'deal') return { kind: 'ignored', reason: 'not a deal' }
  const at = isObject(body.current) ? 'current' : isObject(body.data) ? 'data' : null
  if (at === null) return { kind: 'ignored', reason: 'no deal in the payload' }
  const deal = body[at] as Json
  if (deal.status !== 'won') return { kind: 'ignored', reason: 'deal not won' }
  const person = deal.person_id
  return wonDeal(
    {
      dealId: [`${at}.id`, deal.id ?? meta.entity_id ?? meta.id],
      amount: [`${at}.value`, deal.value],
      currency: [`${at}.currency`, deal.currency],
    },
    {
      wonAt: timeOf(deal.won_time),
      personId: idOf(isObject(person) ? person.value : person),
      emails: emailsIn([
        isObject(person) ? person.email : undefined,
        deal.person_email,
        isObject(deal.person) ? deal.person.email : undefined,
        body.email,
      ]),
    },
  )
}

/** The contacts a HubSpot payload names: `associations.contacts.results[]` or `contacts[]`. */
function hubspotContacts(body: Json): Json[] {
  const associations = isObject(body.associations) ? body.associations : {}
  const contacts = isObject(associations.contacts) ? associations.contacts.results : body.contacts
  return Array.isArray(contacts) ? contacts.filter(isObject).slice(0, 20) : []
}

/**
 * HubSpot: a workflow's webhook shaped as `{dealId, email, amount, currency}` (`contactId`,
 * `wonAt` optional), or a deal object with `properties` (`dealstage: "closedwon"` or
 * `hs_is_closed_won: "true"`, `amount`, `deal_currency_code`, `hs_object_id`) and its contacts.
 */
export function readHubspot(body: Json): ReadDeal {
  const properties = isObject(body.properties) ? body.properties : null
  const contacts = hubspotContacts(body)
  const rest = {
    personId: idOf(body.contactId) ?? idOf(contacts[0]?.id) ?? idOf(contacts[0]?.vid),
    emails: emailsIn([
      body.email,
      body.contactEmail,
      properties?.email,
      ...contacts.map((contact) =>
        isObject(contact.properties) ? contact.properties.email : contact.email,
      ),
    ]),
  }
  if (properties) {
    const stage = plain(properties.dealstage)
    const closedWon = plain(properties.hs_is_closed_won)
    if (stage !== 'closedwon' && closedWon !== 'true' && closedWon !== true)
      return { kind: 'ignored', reason: 'deal not won' }
    return wonDeal(
      {
        dealId: ['properties.hs_object_id', properties.hs_object_id ?? body.objectId ?? body.id],
        amount: ['properties.amount', properties.amount],
        currency: ['properties.deal_currency_code', properties.deal_currency_code],
      },
      { ...rest, wonAt: timeOf(properties.closedate) },
    )
  }
  const stage = plain(body.dealstage)
  if (stage !== undefined && stage !== 'closedwon')
    return { kind: 'ignored', reason: 'deal not won' }
  return wonDeal(
    {
      dealId: ['dealId', body.dealId ?? body.objectId],
      amount: ['amount', body.amount],
      currency: ['currency', body.currency],
    },
    { ...rest, wonAt: timeOf(body.wonAt ?? body.closedate) },
  )
}

export const INBOUND_READERS: Record<InboundSource, (body: Json) => ReadDeal> = {
  pipedrive: readPipedrive,
  hubspot: readHubspot,
}
