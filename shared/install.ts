import { z } from 'zod'
import {
  ALLOW_ORIGIN_INPUT_EXAMPLE,
  ALLOWED_ORIGINS_EXAMPLE,
  INSTALL_EXAMPLE,
} from './examples/install'
import { OriginSchema } from './site'

/** A site allows at most this many origins (as `PUT /v1/admin/sites/{siteKey}` does). */
export const MAX_ALLOWED_ORIGINS = 50

export const REFUSED_REQUESTS = ['config', 'start', 'events', 'leads'] as const

/** `GET /v1/admin/sites/{siteKey}/install`: what to embed, and whether it arrives. */
export const InstallSchema = z
  .object({
    /** The collector's origin, where `w.js` and the public API live. */
    collectorUrl: z.string(),
    /** The script tag for every page (widget/README.md#embedding). */
    snippet: z.string(),
    /** Each form of the site with the placeholder that shows it inline. */
    forms: z.array(z.object({ formId: z.string(), title: z.string(), placeholder: z.string() })),
    /** Each allowed origin: its first page view and its last event (to the minute), if any. */
    origins: z.array(
      z.object({
        origin: z.string(),
        firstPageViewAt: z.string().nullable(),
        lastEventAt: z.string().nullable(),
      }),
    ),
    /**
     * Origins the site does not allow that asked anyway, the latest first: `count` refusals
     * since `firstAt`, the last at `lastAt` (to the minute), of the kind `lastRequest`.
     */
    refused: z.array(
      z.object({
        origin: z.string(),
        firstAt: z.string(),
        lastAt: z.string(),
        count: z.number().int(),
        lastRequest: z.enum(REFUSED_REQUESTS),
        lastPath: z.string(),
      }),
    ),
    /** The site's 20 newest touchpoints: what, where, when; never who. */
    lastEvents: z.array(
      z.object({
        type: z.string(),
        path: z.string(),
        origin: z.string(),
        formId: z.string().nullable(),
        receivedAt: z.string(),
      }),
    ),
  })
  .meta({ example: INSTALL_EXAMPLE })
export type Install = z.infer<typeof InstallSchema>

/** `POST /v1/admin/sites/{siteKey}/origins` */
export const AllowOriginInputSchema = z
  .object({ origin: OriginSchema })
  .strict()
  .meta({ example: ALLOW_ORIGIN_INPUT_EXAMPLE })

export const AllowedOriginsSchema = z
  .object({ allowedOrigins: z.array(z.string()) })
  .meta({ example: ALLOWED_ORIGINS_EXAMPLE })
export type AllowedOrigins = z.infer<typeof AllowedOriginsSchema>
