import { z } from 'zod'
import { SLUG } from './common'

const MARKETING_SHA256_EXAMPLE = '4d92e8e453bf999b09d7ba0bdab564cde6ac24428e9083c62a47dae4481dca5c'
const TRACKING_SHA256_EXAMPLE = '81e384b83023f9bbecafa96657902110ffda1fe34bd77aba10f16e4bca52fc8c'

/** `GET /v1/consent/{token}`: the lead's own consent receipt. */
export const ConsentReceiptSchema = z
  .object({
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
  .meta({
    example: {
      email: 'anna.berg@firma.example',
      site: 'Acme Maschinenbau GmbH',
      current: [
        { purpose: 'marketing_email', status: 'granted', textSha256: MARKETING_SHA256_EXAMPLE },
        { purpose: 'tracking', status: 'withdrawn', textSha256: TRACKING_SHA256_EXAMPLE },
      ],
      entries: [
        {
          purpose: 'marketing_email',
          status: 'granted',
          method: 'checkbox',
          text: 'Ja, ich möchte per E-Mail Informationen der Acme Maschinenbau GmbH zu Produkten und Veranstaltungen erhalten. Die Einwilligung kann ich jederzeit widerrufen.',
          textVersion: 1,
          textSha256: MARKETING_SHA256_EXAMPLE,
          formId: 'whitepaper-2026',
          pageUrl: 'https://www.acme.example/whitepaper-2026',
          at: '2026-11-03T09:15:00.000Z',
        },
        {
          purpose: 'tracking',
          status: 'granted',
          method: 'checkbox',
          text: 'Ich bin mit der Auswertung meines Besuchs einverstanden.',
          textVersion: 1,
          textSha256: TRACKING_SHA256_EXAMPLE,
          formId: 'whitepaper-2026',
          pageUrl: 'https://www.acme.example/whitepaper-2026',
          at: '2026-11-03T09:15:00.000Z',
        },
        {
          purpose: 'tracking',
          status: 'withdrawn',
          method: 'link',
          text: 'Ich bin mit der Auswertung meines Besuchs einverstanden.',
          textVersion: 1,
          textSha256: TRACKING_SHA256_EXAMPLE,
          formId: null,
          pageUrl: null,
          at: '2026-11-20T18:42:09.000Z',
        },
      ],
    },
  })
export type ConsentReceipt = z.infer<typeof ConsentReceiptSchema>

/** `POST /v1/consent/{token}/withdraw`: without `purposes`, every consent given is withdrawn. */
export const WithdrawInputSchema = z
  .object({ purposes: z.array(SLUG).min(1).max(20).optional() })
  .strict()
  .meta({ example: { purposes: ['marketing_email'] } })
export const WithdrawResultSchema = z
  .object({ withdrawn: z.array(z.string()) })
  .meta({ example: { withdrawn: ['marketing_email'] } })
export type WithdrawResult = z.infer<typeof WithdrawResultSchema>
