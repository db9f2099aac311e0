import { z } from 'zod'
import { SPAM_REASONS, type SpamReason } from './vocabulary'
import { SPAM_LIST_EXAMPLE, SPAM_RELEASED_EXAMPLE } from './examples/spam'

export { SPAM_REASONS, type SpamReason }

/** Query of `GET /v1/admin/sites/{siteKey}/spam`. */
export const SpamListQuerySchema = z
  .object({
    reason: z.enum(SPAM_REASONS).optional().meta({ example: 'disposable' }),
    cursor: z
      .string()
      .regex(/^\d{1,15}$/)
      .optional()
      .meta({ example: '1042' }),
    limit: z.coerce.number().int().min(1).max(200).default(50).meta({ example: 50 }),
  })
  .strict()

export const SpamListSchema = z
  .object({
    items: z.array(
      z.object({
        id: z.number().int(),
        reason: z.enum(SPAM_REASONS),
        formId: z.string().nullable(),
        emailDomain: z.string().nullable(),
        /** Names of the fields sent. */
        fields: z.array(z.string()),
        createdAt: z.string(),
        /**
         * Whether the whole submission was kept, so it can be released into a lead; `false` for
         * copies held before the spam folder kept them, or too big to keep whole.
         */
        releasable: z.boolean(),
        /**
         * The values sent, to judge by (a token with `leads:read` reads the list); each text cut to
         * 500 characters here, kept whole for the release. Empty where only the names were kept.
         */
        values: z.record(z.string(), z.union([z.string(), z.boolean()])),
      }),
    ),
    nextCursor: z.string().nullable(),
  })
  .meta({ example: SPAM_LIST_EXAMPLE })
export type SpamList = z.infer<typeof SpamListSchema>

/** `POST /v1/admin/sites/{siteKey}/spam/{id}/release`: the lead it became. */
export const SpamReleasedSchema = z
  .object({
    leadId: z.string(),
    /** `true` for a lead made or merged now; `false` where the submission had arrived already. */
    released: z.boolean(),
    stage: z.string().optional(),
    complete: z.boolean().optional(),
  })
  .meta({ example: SPAM_RELEASED_EXAMPLE })
export type SpamReleased = z.infer<typeof SpamReleasedSchema>

/** `DELETE /v1/admin/sites/{siteKey}/spam/{id}` */
export const SpamDeletedSchema = z
  .object({ id: z.number().int(), deleted: z.literal(true) })
  .meta({ example: { id: 1042, deleted: true } })
