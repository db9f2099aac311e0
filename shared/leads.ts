import { z } from 'zod'
import {
  HTTP_URL,
  ISO_DATETIME,
  multilineText,
  REFERRER,
  SITE_KEY,
  SLUG,
  text,
  UtmSchema,
  UUID,
} from './common'
import { FieldNameSchema, StageSchema, TemperatureSchema } from './site'

const LEAD_ID_EXAMPLE = '7c9e6679-7425-40de-944b-e07fc1f90ae7'
const SUBMISSION_ID_EXAMPLE = '3f2b8c1e-5d4a-4e7b-9c6f-0a1b2c3d4e5f'
const FIELDS_EXAMPLE = {
  email: 'anna.berg@firma.example',
  firstName: 'Anna',
  lastName: 'Berg',
  company: 'Firma GmbH',
  jobTitle: 'Geschäftsführerin',
  employees: '50–249',
}
const UTM_EXAMPLE = { source: 'linkedin', medium: 'paid', campaign: 'q4-whitepaper' }
const FIRST_TOUCH_EXAMPLE = { ...UTM_EXAMPLE, at: '2026-11-03T09:12:41.000Z' }
const PAGE_URL_EXAMPLE = 'https://www.acme.example/whitepaper-2026'

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
  })
  .strict()
  .meta({
    example: {
      siteKey: 'acme',
      formId: 'whitepaper-2026',
      submissionId: SUBMISSION_ID_EXAMPLE,
      visitorId: '64b42d45-e9b8-446e-9b69-83523fe24127',
      fields: FIELDS_EXAMPLE,
      consents: [
        { purpose: 'marketing_email', granted: true, textId: 'ct_VUogJhiVntyvcBCT' },
        { purpose: 'tracking', granted: true, textId: 'ct_YoGbtQZ_agbwGp60' },
      ],
      page: { url: PAGE_URL_EXAMPLE, referrer: 'https://www.linkedin.com/' },
      utm: UTM_EXAMPLE,
      honeypot: '',
      startToken:
        'eyJrIjoic3RhcnQiLCJzIjoiYWNtZSIsImYiOiJ3aGl0ZXBhcGVyLTIwMjYiLCJ0IjoxNzkzNjk3MjQyMDAwfQ.2azFvvE13ydKRQwbk_1teZAYVqWOfltAixwuUkZK_Rk',
    },
  })
export type LeadSubmission = z.input<typeof LeadSubmissionSchema>

export const LeadSubmissionResultSchema = z
  .object({
    leadId: z.string(),
    stage: StageSchema,
    temperature: TemperatureSchema,
    complete: z.boolean(),
    missing: z.array(z.string()),
    download: z.object({ url: z.string(), filename: z.string(), expiresAt: z.string() }).optional(),
  })
  .meta({
    example: {
      leadId: LEAD_ID_EXAMPLE,
      stage: 'lead',
      temperature: 'warm',
      complete: true,
      missing: [],
      download: {
        url: 'https://collector.acme.example/v1/downloads/eyJzIjoiYWNtZSIsInN1YiI6IjNmMmI4YzFlLTVkNGEtNGU3Yi05YzZmLTBhMWIyYzNkNGU1ZiIsImV4cCI6MTc5Mzc4MzcwMH0.eAPmEuurjirEgBBide8Y7yXf1gv1IWusGwRo1cMYgLU',
        filename: 'whitepaper-2026.pdf',
        expiresAt: '2026-11-04T09:15:00.000Z',
      },
    },
  })
export type LeadSubmissionResult = z.infer<typeof LeadSubmissionResultSchema>

/** Query of `GET /v1/admin/sites/{siteKey}/leads`. */
export const LeadListQuerySchema = z
  .object({
    stage: StageSchema.optional().meta({ example: 'mql' }),
    temperature: TemperatureSchema.optional().meta({ example: 'hot' }),
    campaign: text(200).optional().meta({ example: 'q4-whitepaper' }),
    from: ISO_DATETIME.optional().meta({ example: '2026-10-01T00:00:00Z' }),
    to: ISO_DATETIME.optional().meta({ example: '2026-12-31T23:59:59Z' }),
    cursor: z.string().max(200).optional().meta({
      description: '`nextCursor` of the previous page',
      example:
        'WyIyMDI2LTExLTAzVDA5OjE1OjAwLjAwMFoiLCI3YzllNjY3OS03NDI1LTQwZGUtOTQ0Yi1lMDdmYzFmOTBhZTciXQ',
    }),
    limit: z.coerce.number().int().min(1).max(200).default(50).meta({ example: 50 }),
  })
  .strict()

const TouchSchema = z.object({
  source: z.string().nullable(),
  medium: z.string().nullable(),
  campaign: z.string().nullable(),
  at: z.string().nullable(),
})

/** A lead's first two rule steps, shown in the lead detail and the stage-change answer. */
export const STAGE_HISTORY_EXAMPLE = [
  {
    from: null,
    to: 'lead',
    cause: 'rule',
    ruleId: 'b2b.lead',
    tokenId: null,
    reason: null,
    value: null,
    at: '2026-11-03T09:15:00.000Z',
  },
  {
    from: 'lead',
    to: 'mql',
    cause: 'rule',
    ruleId: 'b2b.mql',
    tokenId: null,
    reason: null,
    value: null,
    at: '2026-11-10T14:21:37.000Z',
  },
]

const LEAD_SUMMARY_EXAMPLE = {
  leadId: LEAD_ID_EXAMPLE,
  email: FIELDS_EXAMPLE.email,
  firstName: FIELDS_EXAMPLE.firstName,
  lastName: FIELDS_EXAMPLE.lastName,
  company: FIELDS_EXAMPLE.company,
  stage: 'mql',
  temperature: 'hot',
  complete: true,
  missing: [],
  firstTouch: FIRST_TOUCH_EXAMPLE,
  lastTouch: FIRST_TOUCH_EXAMPLE,
  createdAt: '2026-11-03T09:15:00.000Z',
  updatedAt: '2026-11-10T14:21:37.000Z',
}

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
    nextCursor: z.string().nullable(),
  })
  .meta({
    example: {
      leads: [LEAD_SUMMARY_EXAMPLE],
      nextCursor:
        'WyIyMDI2LTExLTAzVDA5OjE1OjAwLjAwMFoiLCI3YzllNjY3OS03NDI1LTQwZGUtOTQ0Yi1lMDdmYzFmOTBhZTciXQ',
    },
  })
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
})

export const ConsentEntrySchema = z.object({
  id: z.number().int(),
  purpose: z.string(),
  status: z.enum(['granted', 'withdrawn', 'pending', 'confirmed']),
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
    reasons: z.array(z.string()),
  }),
  journey: z.array(JourneyItemSchema),
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
}).meta({
  example: {
    ...LEAD_SUMMARY_EXAMPLE,
    fields: FIELDS_EXAMPLE,
    score: {
      fit: 35,
      engagement: 18.7,
      reasons: [
        '+20 decision maker (Geschäftsführerin)',
        '+10 business email domain firma.example',
        '+5 company given (Firma GmbH)',
        '+5 viewed pricing page /preise once on 2026-11-10',
        '+3 came back on 2026-11-10',
        "+10 downloaded 'Whitepaper 2026: Vertrieb im Maschinenbau'",
        '+1 viewed 1 page on 2026-11-03',
      ],
    },
    journey: [
      {
        id: 'f162379a-991c-433d-ac63-7e8ad2fd326d',
        type: 'page_view',
        ts: '2026-11-03T09:12:41.000Z',
        url: `${PAGE_URL_EXAMPLE}?utm_source=linkedin&utm_medium=paid&utm_campaign=q4-whitepaper`,
        referrer: 'https://www.linkedin.com/',
        utm: UTM_EXAMPLE,
        formId: null,
      },
      {
        id: 'e0c7a3d2-8b41-4f6e-a5d9-2c1b0f9e8d7a',
        type: 'page_view',
        ts: '2026-11-10T14:20:12.000Z',
        url: 'https://www.acme.example/preise',
        referrer: null,
        utm: { source: null, medium: null, campaign: null },
        formId: null,
      },
    ],
    submissions: [
      {
        submissionId: SUBMISSION_ID_EXAMPLE,
        formId: 'whitepaper-2026',
        fields: FIELDS_EXAMPLE,
        pageUrl: PAGE_URL_EXAMPLE,
        createdAt: '2026-11-03T09:15:00.000Z',
      },
    ],
    consents: [
      {
        id: 812,
        purpose: 'marketing_email',
        status: 'granted',
        method: 'checkbox',
        textId: 'ct_VUogJhiVntyvcBCT',
        textSha256: '4d92e8e453bf999b09d7ba0bdab564cde6ac24428e9083c62a47dae4481dca5c',
        formId: 'whitepaper-2026',
        pageUrl: PAGE_URL_EXAMPLE,
        network: '203.0.113.0/24',
        userAgent:
          'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36',
        createdAt: '2026-11-03T09:15:00.000Z',
      },
    ],
    stageHistory: STAGE_HISTORY_EXAMPLE,
  },
})
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
  .meta({
    example: {
      stage: 'customer',
      reason: 'Rahmenvertrag unterschrieben',
      value: { amount: 1800000, currency: 'EUR' },
    },
  })
export type StageChangeInput = z.infer<typeof StageChangeInputSchema>
