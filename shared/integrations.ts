import { z } from 'zod'
import { HTTP_URL, text } from './common'
import { DELIVERY_STATUSES } from './vocabulary'

/**
 * Sales alerts and CRM push per site (docs/outbound.md#alerts, docs/outbound.md#crm): one
 * integration of each kind. Credentials (a Slack webhook URL, a CRM token) are stored encrypted
 * and never answered again; `tokenSet` says one is there.
 */
export const INTEGRATION_KINDS = ['slack', 'email', 'hubspot', 'pipedrive'] as const
export const IntegrationKindSchema = z.enum(INTEGRATION_KINDS).meta({ example: 'slack' })
export type IntegrationKind = z.infer<typeof IntegrationKindSchema>

/** When a sales alert goes out: the lead became sales-ready (`sql`), or hot. */
export const AlertTriggerSchema = z.enum(['sql', 'hot'])
export type AlertTrigger = z.infer<typeof AlertTriggerSchema>

const token = text(500).min(8)

export const IntegrationInputSchema = z
  .discriminatedUnion('kind', [
    z
      .object({
        kind: z.literal('slack'),
        /** A Slack incoming webhook (`https://hooks.slack.com/services/…`); kept if omitted on a change. */
        url: HTTP_URL.optional(),
        on: AlertTriggerSchema.default('sql'),
        enabled: z.boolean().default(true),
      })
      .strict(),
    z
      .object({
        kind: z.literal('email'),
        /** The sales team's address. */
        to: z.string().max(254).email(),
        on: AlertTriggerSchema.default('sql'),
        enabled: z.boolean().default(true),
      })
      .strict(),
    z
      .object({
        kind: z.literal('hubspot'),
        /** A HubSpot private app token with the contacts scopes; kept if omitted on a change. */
        token: token.optional(),
        enabled: z.boolean().default(true),
      })
      .strict(),
    z
      .object({
        kind: z.literal('pipedrive'),
        /** A Pipedrive API token; kept if omitted on a change. */
        token: token.optional(),
        enabled: z.boolean().default(true),
      })
      .strict(),
  ])
  .meta({ example: { kind: 'email', to: 'sales@acme.example', on: 'sql', enabled: true } })
export type IntegrationInput = z.infer<typeof IntegrationInputSchema>

export const IntegrationSchema = z.object({
  kind: IntegrationKindSchema,
  enabled: z.boolean(),
  /** Alerts only. */
  on: AlertTriggerSchema.nullable(),
  /** Email alerts only: the address. */
  to: z.string().nullable(),
  /** Slack: the URL's host and last four characters, e.g. `hooks.slack.com/…Xk3d`. */
  urlHint: z.string().nullable(),
  /** Whether a credential (Slack URL, CRM token) is stored. */
  tokenSet: z.boolean(),
  disabledReason: z.enum(['gone', 'failing']).nullable(),
  failingSince: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
})
export type Integration = z.infer<typeof IntegrationSchema>

const INTEGRATION_EXAMPLE = {
  kind: 'email',
  enabled: true,
  on: 'sql',
  to: 'sales@acme.example',
  urlHint: null,
  tokenSet: false,
  disabledReason: null,
  failingSince: null,
  createdAt: '2026-12-04T10:00:00.000Z',
  updatedAt: '2026-12-04T10:00:00.000Z',
}

export const IntegrationViewSchema = IntegrationSchema.meta({ example: INTEGRATION_EXAMPLE })

export const IntegrationListSchema = z
  .object({ integrations: z.array(IntegrationSchema) })
  .meta({ example: { integrations: [INTEGRATION_EXAMPLE] } })

export const IntegrationDeliveryStatusSchema = z.enum(DELIVERY_STATUSES)
