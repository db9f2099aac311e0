import { z } from 'zod'
import { HTTP_URL, SLUG } from './common'
import { DELIVERY_STATUSES, OUTBOUND_EVENTS } from './vocabulary'

/**
 * Outbound delivery (docs/outbound.md): webhooks signed as Standard Webhooks, their deliveries
 * and attempts.
 */
export const OutboundEventSchema = z.enum(OUTBOUND_EVENTS)

export const WebhookIdSchema = SLUG.meta({ example: 'crm-sync' })

export const WebhookInputSchema = z
  .object({
    url: HTTP_URL.meta({ example: 'https://hooks.example.com/lodestone' }),
    events: z
      .array(OutboundEventSchema)
      .min(1)
      .max(OUTBOUND_EVENTS.length)
      .refine((events) => new Set(events).size === events.length, 'each event once'),
    enabled: z.boolean().default(true),
  })
  .strict()
  .meta({
    example: {
      url: 'https://hooks.example.com/lodestone',
      events: ['lead.created', 'lead.stage_changed'],
      enabled: true,
    },
  })
export type WebhookInput = z.infer<typeof WebhookInputSchema>

export const WebhookSchema = z.object({
  webhookId: WebhookIdSchema,
  url: z.string(),
  events: z.array(OutboundEventSchema),
  enabled: z.boolean(),
  /** Why Lodestone switched it off: `gone` (it answered 410), `failing` (for days). */
  disabledReason: z.enum(['gone', 'failing']).nullable(),
  failingSince: z.string().nullable(),
  /** Until then the previous secret signs too (after a rotation). */
  previousSecretUntil: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
})
export type Webhook = z.infer<typeof WebhookSchema>

const WEBHOOK_EXAMPLE = {
  webhookId: 'crm-sync',
  url: 'https://hooks.example.com/lodestone',
  events: ['lead.created', 'lead.stage_changed'],
  enabled: true,
  disabledReason: null,
  failingSince: null,
  previousSecretUntil: null,
  createdAt: '2026-12-04T10:00:00.000Z',
  updatedAt: '2026-12-04T10:00:00.000Z',
}

/** The first `PUT` and a rotation answer the secret, once. */
export const WebhookWithSecretSchema = WebhookSchema.extend({
  secret: z.string().optional(),
}).meta({ example: { ...WEBHOOK_EXAMPLE, secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' } })

export const WebhookListSchema = z
  .object({ webhooks: z.array(WebhookSchema) })
  .meta({ example: { webhooks: [WEBHOOK_EXAMPLE] } })

export const AttemptSchema = z.object({
  attemptedAt: z.string(),
  durationMs: z.number().int(),
  statusCode: z.number().int().nullable(),
  error: z.string().nullable(),
})

export const DeliverySchema = z.object({
  deliveryId: z.string(),
  /** The `webhook-id` header: the same for every attempt. */
  eventId: z.string(),
  type: OutboundEventSchema,
  leadId: z.string().nullable(),
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.array(AttemptSchema),
  nextAttemptAt: z.string().nullable(),
  createdAt: z.string(),
})
export type Delivery = z.infer<typeof DeliverySchema>

export const DeliveryListQuerySchema = z.object({
  status: z.enum(DELIVERY_STATUSES).optional(),
  /** A page's `next`: where the page before it ended (its last delivery's time and id). */
  before: z
    .string()
    .max(80)
    .regex(/^\d{4}-\d{2}-\d{2}T[\d:.]+Z~dlv_[0-9a-f]{24}$/, 'a page’s next')
    .optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
})

export const DeliveryListSchema = z
  .object({ deliveries: z.array(DeliverySchema), next: z.string().nullable() })
  .meta({
    example: {
      deliveries: [
        {
          deliveryId: 'dlv_5f0c0e8e1c2b4a7d9e3f1a2b',
          eventId: 'msg_2lQmB0RqYfQk1xJcW9a7Zt3n',
          type: 'lead.created',
          leadId: '7d7c8c71-2b1e-4f0e-9d7a-0d9f3b8b1a11',
          status: 'succeeded',
          attempts: [
            {
              attemptedAt: '2026-12-04T10:00:01.000Z',
              durationMs: 180,
              statusCode: 204,
              error: null,
            },
          ],
          nextAttemptAt: null,
          createdAt: '2026-12-04T10:00:00.000Z',
        },
      ],
      next: null,
    },
  })

export const DeliveryIdSchema = z
  .string()
  .regex(/^dlv_[0-9a-f]{24}$/)
  .meta({ example: 'dlv_5f0c0e8e1c2b4a7d9e3f1a2b' })

/** A retry by hand: the delivery is on the queue again. */
export const DeliveryRetriedSchema = z
  .object({ deliveryId: z.string(), status: z.literal('pending') })
  .meta({ example: { deliveryId: 'dlv_5f0c0e8e1c2b4a7d9e3f1a2b', status: 'pending' } })
