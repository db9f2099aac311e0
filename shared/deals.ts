import { z } from 'zod'
import { ISO_DATETIME, text } from './common'

/**
 * Deals won in a CRM (docs/inbound-deals.md): the lead becomes a `customer` with the deal's
 * value, once per deal, so the campaign report's cost per order stays true without typing.
 */

/** Where a won deal came from: the admin API, or a CRM's webhook. */
export const DEAL_SOURCES = ['api', 'pipedrive', 'hubspot'] as const
export type DealSource = (typeof DEAL_SOURCES)[number]

/** The CRMs that can post won deals to `POST /v1/inbound/{siteKey}/{source}`. */
export const INBOUND_SOURCES = ['pipedrive', 'hubspot'] as const
export type InboundSource = (typeof INBOUND_SOURCES)[number]

/** A CRM's deal id: printable, at most 100 characters. */
export const DEAL_ID = text(100)
  .min(1)
  .regex(/^\S(.*\S)?$/, 'no leading or trailing white space')
  .meta({ example: '4711' })

export const DEAL_CURRENCY = z.string().regex(/^[A-Z]{3}$/, 'ISO 4217, for example EUR')

/** Integer minor units (cents), as a manual stage change takes them. */
export const DEAL_AMOUNT = z.number().int().min(0).max(1e13)

/** `POST /v1/admin/sites/{siteKey}/deals`: a deal won, for the lead of this id or address. */
export const DealWonInputSchema = z
  .object({
    dealId: DEAL_ID,
    /** The lead's id; or its `email`, exactly one of the two. */
    leadId: z.string().uuid().optional(),
    email: z.string().min(3).max(320).optional(),
    amount: DEAL_AMOUNT,
    currency: DEAL_CURRENCY,
    /** When the deal was won; default now. Not in the future, not before the lead was seen. */
    wonAt: ISO_DATETIME.optional(),
  })
  .strict()
  .superRefine((input, context) => {
    if ((input.leadId === undefined) === (input.email === undefined))
      context.addIssue({
        code: 'custom',
        path: input.leadId === undefined ? ['leadId'] : ['email'],
        message: 'send exactly one of leadId and email',
      })
  })
  .meta({
    example: {
      dealId: '4711',
      email: 'anna.berg@firma.de',
      amount: 1_800_000,
      currency: 'EUR',
      wonAt: '2026-12-04T10:00:00.000Z',
    },
  })
export type DealWonInput = z.infer<typeof DealWonInputSchema>

/**
 * What a won deal did: `moved` (the lead became a customer with this value) or
 * `already_customer` (the lead was a customer already, by an earlier deal or by hand: its stage,
 * value and history stay as they were; the deal is recorded, so a repeat changes nothing).
 */
export const DEAL_OUTCOMES = ['moved', 'already_customer'] as const

const DEAL_RESULT_EXAMPLE = {
  dealId: '4711',
  source: 'api',
  leadId: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
  outcome: 'moved',
  from: 'opportunity',
  stage: 'customer',
  value: { amount: 1_800_000, currency: 'EUR' },
  wonAt: '2026-12-04T10:00:00.000Z',
} as const

export const DealWonResultSchema = z
  .object({
    dealId: z.string(),
    source: z.enum(DEAL_SOURCES),
    leadId: z.string(),
    outcome: z.enum(DEAL_OUTCOMES),
    /** The stage the lead had when the deal arrived. */
    from: z.string().nullable(),
    stage: z.literal('customer'),
    /** This deal's value. */
    value: z.object({ amount: z.number().int(), currency: z.string() }),
    wonAt: z.string(),
  })
  .meta({ example: DEAL_RESULT_EXAMPLE })
export type DealWonResult = z.infer<typeof DealWonResultSchema>

/** A CRM's webhook that Lodestone read but did not act on: a deal not won, an unknown person. */
export const InboundIgnoredSchema = z
  .object({ ignored: z.literal(true), reason: z.string() })
  .meta({ example: { ignored: true, reason: 'deal not won' } })

export const InboundResultSchema = z
  .union([DealWonResultSchema, InboundIgnoredSchema])
  .meta({ example: { ...DEAL_RESULT_EXAMPLE, source: 'pipedrive' } })
export type InboundResult = z.infer<typeof InboundResultSchema>

/** `PUT /v1/admin/sites/{siteKey}/inbound/{source}`: the new key and the URL to paste, once. */
export const InboundKeySchema = z
  .object({
    source: z.enum(INBOUND_SOURCES),
    key: z.string(),
    url: z.string(),
    createdAt: z.string(),
    rotatedAt: z.string().nullable(),
  })
  .meta({
    example: {
      source: 'pipedrive',
      key: 'lsi_Wm9uZGVyYmFyLWJlaXNwaWVsLXNjaGx1ZXNzZWwtMTIz',
      url: 'https://collector.example.com/v1/inbound/acme/pipedrive?key=lsi_Wm9uZGVyYmFyLWJlaXNwaWVsLXNjaGx1ZXNzZWwtMTIz',
      createdAt: '2026-12-04T10:00:00.000Z',
      rotatedAt: null,
    },
  })
export type InboundKey = z.infer<typeof InboundKeySchema>
