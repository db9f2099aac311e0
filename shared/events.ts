import { z } from 'zod'
import { HTTP_URL, ISO_DATETIME, REFERRER, SITE_KEY, SLUG, text, UtmSchema, UUID } from './common'
import { EVENT_BATCH_EXAMPLE, EVENT_BATCH_RESULT_EXAMPLE } from './examples/events'

export const EVENT_TYPES = [
  'page_view',
  'form_view',
  'form_start',
  'form_submit',
  'download',
  'cta_click',
  'engaged_time',
] as const
export const EventTypeSchema = z.enum(EVENT_TYPES)
export type EventType = z.infer<typeof EventTypeSchema>

export const MAX_EVENTS_PER_BATCH = 100

/** Free-form event properties: flat, few, short (a CTA's label, a click id). */
export const EventPropsSchema = z
  .record(
    z
      .string()
      .max(40)
      .regex(/^[a-zA-Z][a-zA-Z0-9_]*$/),
    z.union([text(500), z.number().finite(), z.boolean()]),
  )
  .refine((props) => Object.keys(props).length <= 20, 'at most 20 properties')

/** The longest engaged time one `engaged_time` touchpoint may carry: an hour, in seconds. */
export const MAX_ENGAGED_SECONDS = 3600

export const TouchpointInputSchema = z
  .object({
    id: UUID,
    type: EventTypeSchema,
    ts: ISO_DATETIME,
    url: HTTP_URL,
    referrer: REFERRER.optional(),
    utm: UtmSchema.optional(),
    formId: SLUG.optional(),
    props: EventPropsSchema.optional(),
    /**
     * Only on `engaged_time`: whole seconds the page view was visible and in use since the
     * previous `engaged_time` of the same page view (docs/wire-contract.md#engaged-time).
     */
    value: z.number().int().min(1).max(MAX_ENGAGED_SECONDS).optional().meta({
      description:
        'Only and always on `engaged_time`: whole seconds (1–3600) the page view was visible and in use since its previous `engaged_time`.',
      example: 42,
    }),
    /** Only on `engaged_time`: the `id` of the `page_view` touchpoint this time belongs to. */
    pageViewId: UUID.optional().meta({
      description:
        'Only and always on `engaged_time`: the `id` of the `page_view` touchpoint the time belongs to.',
    }),
  })
  .strict()
  .superRefine((event, ctx) => {
    const engaged = event.type === 'engaged_time'
    for (const key of ['value', 'pageViewId'] as const)
      if (engaged && event[key] === undefined)
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `an engaged_time touchpoint needs ${key}`,
        })
      else if (!engaged && event[key] !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `only an engaged_time touchpoint carries ${key}`,
        })
  })
export type TouchpointInput = z.infer<typeof TouchpointInputSchema>

/** `POST /v1/events` (JSON or text/plain, for `sendBeacon`). */
export const EventBatchSchema = z
  .object({
    siteKey: SITE_KEY,
    /** Only sent with `tracking` consent (docs/consent-and-privacy.md#tracking). */
    visitorId: UUID.optional(),
    /**
     * The visitor refused tracking (or sends Global Privacy Control): the touchpoints are kept
     * for the site's counts only and never join a lead (docs/consent-and-privacy.md#refusal).
     */
    consent: z.literal('refused').optional().meta({
      description:
        'Set after the visitor refused tracking: the touchpoints are stored without visitor id or daily hash and never join a lead.',
      example: 'refused',
    }),
    events: z.array(TouchpointInputSchema).min(1).max(MAX_EVENTS_PER_BATCH),
  })
  .strict()
  .meta({ example: EVENT_BATCH_EXAMPLE })
export type EventBatch = z.infer<typeof EventBatchSchema>

export const EventBatchResultSchema = z
  .object({
    accepted: z.number().int(),
    duplicates: z.number().int(),
  })
  .meta({ example: EVENT_BATCH_RESULT_EXAMPLE })
export type EventBatchResult = z.infer<typeof EventBatchResultSchema>
