import { z } from 'zod'
import {
  HTTP_URL,
  ISO_DATETIME,
  LOCALE,
  multilineText,
  REFERRER,
  SITE_KEY,
  SLUG,
  text,
  UtmSchema,
  UUID,
} from './common'

/** The path parameters of a route on one lead: `/v1/admin/sites/{siteKey}/leads/{leadId}…`. */
export const LeadParamsSchema = z.object({
  siteKey: SITE_KEY,
  leadId: z.string().uuid().meta({ example: '7c9e6679-7425-40de-944b-e07fc1f90ae7' }),
})
import { AttributionSchema, DAY, NO_CAMPAIGN } from './campaigns'
import { FieldNameSchema, StageSchema, TemperatureSchema } from './site'
import { CONSENT_STATUSES } from './vocabulary'
import {
  JOURNEY_PAGE_EXAMPLE,
  LEAD_DETAIL_EXAMPLE,
  LEAD_LIST_EXAMPLE,
  LEAD_SUBMISSION_EXAMPLE,
  LEAD_SUBMISSION_RESULT_EXAMPLE,
  LEAD_SUMMARY_EXAMPLE,
  STAGE_CHANGE_INPUT_EXAMPLE,
  STAGE_CHANGE_RESULT_EXAMPLE,
} from './examples/leads'

/**
 * Raw field values as typed by the visitor; the worker normalises them
 * (docs/completeness.md#normalisation).
 */
export const LeadFieldsSchema = z
  .record(FieldNameSchema, z.union([multilineText(5000), z.boolean()]))
  .refine((fields) => Object.keys(fields).length <= 30, 'at most 30 fields')

export const ConsentGrantSchema = z
  .object({
    purpose: SLUG,
    granted: z.boolean(),
    textId: z.string().min(1).max(80),
  })
  .strict()

/** `POST /v1/leads` */
export const LeadSubmissionSchema = z
  .object({
    siteKey: SITE_KEY,
    formId: SLUG,
    submissionId: UUID,
    visitorId: UUID.optional(),
    fields: LeadFieldsSchema,
    consents: z.array(ConsentGrantSchema).max(10).default([]),
    page: z.object({ url: HTTP_URL, referrer: REFERRER.optional() }).strict(),
    utm: UtmSchema.optional(),
    /**
     * Spam signals (docs/spam-and-abuse.md): the honeypot's value and the server-signed start
     * token.
     */
    honeypot: text(500).optional(),
    startToken: z.string().max(500).optional(),
    turnstileToken: z.string().max(4096).optional(),
    /**
     * The language the form was shown in (the public form's `locale`); the lead's mails and
     * consent pages use it (docs/consent-and-privacy.md#language). Default: the site's locale.
     */
    locale: LOCALE.optional(),
  })
  .strict()
  .meta({ example: LEAD_SUBMISSION_EXAMPLE })
export type LeadSubmission = z.input<typeof LeadSubmissionSchema>

export const LeadSubmissionResultSchema = z
  .object({
    leadId: z.string(),
    stage: StageSchema,
    temperature: TemperatureSchema,
    complete: z.boolean(),
    missing: z.array(z.string()),
    download: z.object({ url: z.string(), filename: z.string(), expiresAt: z.string() }).optional(),
    /**
     * The lead's consent receipt (and withdrawal), when the submission gave a consent
     * (docs/consent-and-privacy.md#receipt); a replay of the same `submissionId` answers the same.
     */
    receiptUrl: z.string().optional(),
  })
  .meta({ example: LEAD_SUBMISSION_RESULT_EXAMPLE })
export type LeadSubmissionResult = z.infer<typeof LeadSubmissionResultSchema>

/**
 * The orders of the lead list: by creation time, by total score (fit plus engagement) or by the
 * learned score's conversion probability (leads without one last in both directions), `-` for
 * descending. Ties break by lead id, so every order is total and pages never skip a lead.
 */
export const LEAD_SORTS = [
  '-created',
  'created',
  '-score',
  'score',
  '-probability',
  'probability',
] as const
export const LeadSortSchema = z.enum(LEAD_SORTS)
export type LeadSort = z.infer<typeof LeadSortSchema>

/** A funnel stage a lead may have reached; `disqualified` stands outside the funnel. */
export const ReachedStageSchema = StageSchema.exclude(['disqualified'])

/** Query of `GET /v1/admin/sites/{siteKey}/leads`. */
export const LeadListQuerySchema = z
  .object({
    q: text(200).optional().meta({
      description:
        'Case-insensitive (ASCII letters) part of the email, first name, last name or company',
      example: 'berg',
    }),
    sort: LeadSortSchema.default('-created').meta({
      description:
        '`-created` (newest first), `created`, `-score` (highest first), `score`, `-probability` (highest conversion probability first) or `probability`; leads without a probability come last in both probability orders',
      example: '-score',
    }),
    stage: StageSchema.optional().meta({ example: 'mql' }),
    temperature: TemperatureSchema.optional().meta({ example: 'hot' }),
    campaign: text(200)
      .optional()
      .meta({
        description: `The campaign of the touch \`attribution\` names; \`${NO_CAMPAIGN}\` for leads without a campaign touch`,
        example: 'q4-whitepaper',
      }),
    attribution: AttributionSchema.default('first').meta({
      description: 'Which campaign touch `campaign` matches: the first (default) or the last',
      example: 'first',
    }),
    reached: ReachedStageSchema.optional().meta({
      description:
        'Leads whose highest stage reached is this one or a later one, counted as the campaign report counts (docs/report.md#funnel-counts)',
      example: 'sql',
    }),
    minScore: z.coerce.number().min(-1e6).max(1e6).optional().meta({
      description: 'Leads whose total score (fit plus engagement) is at least this',
      example: 30,
    }),
    minProbability: z.coerce.number().min(0).max(1).optional().meta({
      description:
        'Leads whose conversion probability is at least this (0–1); leads without one are left out',
      example: 0.25,
    }),
    createdFrom: DAY.optional().meta({
      description: 'First UTC day of creation, inclusive (the report’s `from`)',
      example: '2026-10-01',
    }),
    createdTo: DAY.optional().meta({
      description: 'Last UTC day of creation, inclusive (the report’s `to`)',
      example: '2026-12-31',
    }),
    from: ISO_DATETIME.optional().meta({ example: '2026-10-01T00:00:00Z' }),
    to: ISO_DATETIME.optional().meta({ example: '2026-12-31T23:59:59Z' }),
    cursor: z.string().max(200).optional().meta({
      description: '`nextCursor` of the previous page, with the same `sort`',
      example:
        'WyItY3JlYXRlZCIsIjIwMjYtMTEtMDNUMDk6MTU6MDAuMDAwWiIsIjdjOWU2Njc5LTc0MjUtNDBkZS05NDRiLWUwN2ZjMWY5MGFlNyJd',
    }),
    limit: z.coerce.number().int().min(1).max(200).default(50).meta({ example: 50 }),
  })
  .strict()
  .refine(
    (query) => !query.createdFrom || !query.createdTo || query.createdFrom <= query.createdTo,
    {
      path: ['createdTo'],
      message: 'must not be before createdFrom',
    },
  )
export type LeadListQuery = z.infer<typeof LeadListQuerySchema>

const TouchSchema = z.object({
  source: z.string().nullable(),
  medium: z.string().nullable(),
  campaign: z.string().nullable(),
  at: z.string().nullable(),
})

export const LeadSummarySchema = z
  .object({
    leadId: z.string(),
    email: z.string(),
    firstName: z.string().nullable(),
    lastName: z.string().nullable(),
    company: z.string().nullable(),
    stage: StageSchema,
    temperature: TemperatureSchema,
    complete: z.boolean(),
    missing: z.array(z.string()),
    /** The total score: fit plus engagement (docs/stages-and-scoring.md#score). */
    score: z.number(),
    /**
     * The learned score's probability that the lead converts, 0–1; `null` while the site has no
     * used model (docs/stages-and-scoring.md#learned-score).
     */
    conversionProbability: z.number().min(0).max(1).nullable(),
    /** The largest factors of that probability, readable, such as `+0.5 engaged 14 min`. */
    conversionFactors: z.array(z.string()),
    firstTouch: TouchSchema,
    lastTouch: TouchSchema,
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ example: LEAD_SUMMARY_EXAMPLE })
export type LeadSummary = z.infer<typeof LeadSummarySchema>

export const LeadListSchema = z
  .object({
    leads: z.array(LeadSummarySchema),
    /** How many leads match the filters, over all pages. */
    total: z.number().int(),
    nextCursor: z.string().nullable(),
  })
  .meta({ example: LEAD_LIST_EXAMPLE })
export type LeadList = z.infer<typeof LeadListSchema>

export const JourneyItemSchema = z.object({
  id: z.string(),
  type: z.string(),
  ts: z.string(),
  url: z.string(),
  referrer: z.string().nullable(),
  utm: z.object({
    source: z.string().nullable(),
    medium: z.string().nullable(),
    campaign: z.string().nullable(),
  }),
  formId: z.string().nullable(),
  /** Seconds of engaged time on an `engaged_time` item (docs/wire-contract.md#engaged-time), else null. */
  value: z.number().int().nullable(),
  /** The `id` of the page view an `engaged_time` item belongs to, else null. */
  pageViewId: z.string().nullable(),
})

/** Journey items the lead detail shows first, and the most one page of the journey holds. */
export const JOURNEY_PAGE = 50
export const JOURNEY_PAGE_MAX = 200

/** `GET /v1/admin/sites/{siteKey}/leads/{leadId}/journey`: a page of older touchpoints. */
export const JourneyQuerySchema = z
  .object({
    cursor: z.string().max(200).optional().meta({
      description: '`journeyNextCursor` of the lead, or `nextCursor` of the previous page',
      example: 'WyIyMDI2LTExLTAzVDA5OjEyOjQxLjAwMFoiLDQyXQ',
    }),
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(JOURNEY_PAGE_MAX)
      .default(JOURNEY_PAGE)
      .meta({ example: JOURNEY_PAGE }),
  })
  .strict()

export const JourneyPageSchema = z
  .object({
    /** Newest first, each older than every item of the page before. */
    journey: z.array(JourneyItemSchema),
    nextCursor: z.string().nullable(),
  })
  .meta({ example: JOURNEY_PAGE_EXAMPLE })
export type JourneyPage = z.infer<typeof JourneyPageSchema>

export const ConsentEntrySchema = z.object({
  id: z.number().int(),
  purpose: z.string(),
  status: z.enum(CONSENT_STATUSES),
  method: z.string(),
  textId: z.string().nullable(),
  textSha256: z.string().nullable(),
  formId: z.string().nullable(),
  pageUrl: z.string().nullable(),
  network: z.string().nullable(),
  userAgent: z.string().nullable(),
  createdAt: z.string(),
})
export type ConsentEntry = z.infer<typeof ConsentEntrySchema>

export const StageChangeSchema = z.object({
  from: z.string().nullable(),
  to: z.string(),
  cause: z.enum(['rule', 'manual']),
  ruleId: z.string().nullable(),
  tokenId: z.string().nullable(),
  reason: z.string().nullable(),
  value: z.object({ amount: z.number().int(), currency: z.string() }).nullable(),
  at: z.string(),
})
export type StageChange = z.infer<typeof StageChangeSchema>

export const LeadDetailSchema = LeadSummarySchema.extend({
  fields: z.record(z.string(), z.union([z.string(), z.boolean()])),
  score: z.object({
    fit: z.number(),
    engagement: z.number(),
    /** fit plus engagement, the summary's `score` */
    total: z.number(),
    reasons: z.array(z.string()),
  }),
  /** The newest page of the journey, newest first (`JOURNEY_PAGE` items). */
  journey: z.array(JourneyItemSchema),
  /** Where the older touchpoints continue (`GET .../journey?cursor=`), `null` when none are left. */
  journeyNextCursor: z.string().nullable(),
  submissions: z.array(
    z.object({
      submissionId: z.string(),
      formId: z.string(),
      fields: z.record(z.string(), z.union([z.string(), z.boolean()])),
      pageUrl: z.string(),
      createdAt: z.string(),
    }),
  ),
  consents: z.array(ConsentEntrySchema),
  stageHistory: z.array(StageChangeSchema),
}).meta({ example: LEAD_DETAIL_EXAMPLE })
export type LeadDetail = z.infer<typeof LeadDetailSchema>

/** `POST /v1/admin/sites/{siteKey}/leads/{leadId}/stage`: a stage set by a person. */
export const StageChangeInputSchema = z
  .object({
    stage: StageSchema,
    reason: text(500).min(1).optional(),
    /** The deal value; required when the stage is `customer`. */
    value: z
      .object({
        amount: z.number().int().min(0).max(1e13),
        currency: z.string().regex(/^[A-Z]{3}$/, 'ISO 4217, for example EUR'),
      })
      .strict()
      .optional(),
  })
  .strict()
  .meta({ example: STAGE_CHANGE_INPUT_EXAMPLE })
export type StageChangeInput = z.infer<typeof StageChangeInputSchema>

/** The answer of `POST .../leads/{leadId}/stage`: the lead's stage history after the change. */
export const StageChangeResultSchema = z
  .object({
    leadId: z.string(),
    stage: z.string(),
    stageHistory: z.array(StageChangeSchema),
  })
  .meta({ example: STAGE_CHANGE_RESULT_EXAMPLE })
export type StageChangeResult = z.infer<typeof StageChangeResultSchema>
