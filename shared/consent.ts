import { z } from 'zod'
import { SLUG } from './common'

/** `GET /v1/consent/{token}`: the lead's own consent receipt. */
export const ConsentReceiptSchema = z.object({
  email: z.string(),
  site: z.string(),
  current: z.array(
    z.object({ purpose: z.string(), status: z.string(), textSha256: z.string().nullable() }),
  ),
  entries: z.array(
    z.object({
      purpose: z.string(),
      status: z.string(),
      method: z.string(),
      text: z.string().nullable(),
      textVersion: z.number().nullable(),
      textSha256: z.string().nullable(),
      formId: z.string().nullable(),
      pageUrl: z.string().nullable(),
      at: z.string(),
    }),
  ),
})
export type ConsentReceipt = z.infer<typeof ConsentReceiptSchema>

/** `POST /v1/consent/{token}/withdraw`: without `purposes`, every consent given is withdrawn. */
export const WithdrawInputSchema = z.object({ purposes: z.array(SLUG).min(1).max(20).optional() }).strict()
export const WithdrawResultSchema = z.object({ withdrawn: z.array(z.string()) })
export type WithdrawResult = z.infer<typeof WithdrawResultSchema>
