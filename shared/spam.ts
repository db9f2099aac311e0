import { z } from 'zod'
import { SPAM_LIST_EXAMPLE } from './examples/spam'

export const SPAM_REASONS = [
  'honeypot',
  'too_fast',
  'token_reused',
  'turnstile',
  'rate',
  'disposable',
] as const
export type SpamReason = (typeof SPAM_REASONS)[number]

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
        /** Names of the fields sent, never their values. */
        fields: z.array(z.string()),
        createdAt: z.string(),
      }),
    ),
    nextCursor: z.string().nullable(),
  })
  .meta({ example: SPAM_LIST_EXAMPLE })
export type SpamList = z.infer<typeof SpamListSchema>
