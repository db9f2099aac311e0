import { z } from 'zod'
import { text } from './common'
import {
  CAMPAIGN_EXAMPLE,
  CAMPAIGN_INPUT_EXAMPLE,
  CAMPAIGN_LIST_EXAMPLE,
  CAMPAIGN_REPORT_CSV_EXAMPLE,
  CAMPAIGN_REPORT_EXAMPLE,
  REPORT_ROW_EXAMPLE,
  SPEND_INPUT_EXAMPLE,
  SPEND_LIST_EXAMPLE,
  SPEND_RESULT_EXAMPLE,
} from './examples/campaigns'

/**
 * Campaigns, their daily spend and the campaign report (docs/report.md).
 * Money is always integer minor units of one ISO 4217 currency.
 */

/** At most this many days in one spend import: a year and a half of daily figures. */
export const MAX_SPEND_ENTRIES = 1000

/**
 * The most a site may spend in one currency, over all its campaigns and days, in minor units:
 * 2^53 − 1, about 90 trillion euros in cents. Up to it the report's sums are exact integers (a
 * JSON number is a double) and its SQL can never overflow; an import that would pass it is
 * refused with 422 (docs/report.md#spend).
 */
export const MAX_SPEND_TOTAL = Number.MAX_SAFE_INTEGER

/** The campaign of leads without a campaign touch; never a campaign key of its own. */
export const NO_CAMPAIGN = '(none)'

/** A calendar day in UTC, `YYYY-MM-DD`; `2026-02-30` is refused, not rolled over. */
export const DAY = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a day as YYYY-MM-DD')
  .refine((value) => {
    const date = new Date(`${value}T00:00:00Z`)
    return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value
  }, 'not a calendar day')

export const CURRENCY = z.string().regex(/^[A-Z]{3}$/, 'ISO 4217, for example EUR')

/**
 * A campaign key in a path: `utm_campaign` as it arrives; the worker trims
 * and lower-cases it, so `Q4-Whitepaper` and `q4-whitepaper` are one campaign.
 */
export const CampaignKeyParam = text(200).refine((value) => {
  const key = value.trim().toLowerCase()
  return key.length > 0 && key !== NO_CAMPAIGN
}, `must not be empty or "${NO_CAMPAIGN}"`)

/** `PUT /v1/admin/sites/{siteKey}/campaigns/{campaignKey}`: every field replaced, absent ones cleared. */
export const CampaignInputSchema = z
  .object({
    name: text(200).min(1).optional(),
    channel: text(100).min(1).optional(),
    source: text(200).min(1).optional(),
    medium: text(200).min(1).optional(),
  })
  .strict()
  .meta({ example: CAMPAIGN_INPUT_EXAMPLE })
export type CampaignInput = z.infer<typeof CampaignInputSchema>

export const CampaignSchema = z
  .object({
    campaignKey: z.string(),
    name: z.string().nullable(),
    channel: z.string().nullable(),
    source: z.string().nullable(),
    medium: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ example: CAMPAIGN_EXAMPLE })
export type Campaign = z.infer<typeof CampaignSchema>

export const SpendEntrySchema = z
  .object({
    date: DAY,
    amount: z.number().int().min(0).max(1e13),
    currency: CURRENCY,
  })
  .strict()
export type SpendEntry = z.infer<typeof SpendEntrySchema>

/** `PUT .../campaigns/{campaignKey}/spend`: each day replaces what an earlier import said for it. */
export const SpendInputSchema = z
  .object({
    entries: z
      .array(SpendEntrySchema)
      .min(1)
      .max(MAX_SPEND_ENTRIES)
      .superRefine((entries, ctx) => {
        const seen = new Set<string>()
        entries.forEach((entry, index) => {
          if (seen.has(entry.date)) {
            ctx.addIssue({
              code: 'custom',
              path: [index, 'date'],
              message: 'the same day appears twice',
            })
          }
          seen.add(entry.date)
        })
      }),
  })
  .strict()
  .meta({ example: SPEND_INPUT_EXAMPLE })
export type SpendInput = z.infer<typeof SpendInputSchema>

export const SpendResultSchema = z
  .object({
    campaignKey: z.string(),
    written: z.number().int().describe('days written; a day imported before is replaced'),
  })
  .meta({ example: SPEND_RESULT_EXAMPLE })
export type SpendResult = z.infer<typeof SpendResultSchema>

/** At most this many campaigns in one list: more than any site names by hand. */
export const MAX_CAMPAIGNS_LISTED = 1000

/** The days from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): number {
  return (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000 + 1
}

/**
 * Query of `GET .../campaigns`: the period whose spend each campaign shows (UTC days, both
 * inclusive); without `from` the spend counts from the first day, without `to` up to the last.
 */
export const CampaignListQuerySchema = z
  .object({
    from: DAY.optional().meta({ example: '2026-10-01' }),
    to: DAY.optional().meta({ example: '2026-12-31' }),
  })
  .strict()
  .refine((query) => !query.from || !query.to || query.from <= query.to, {
    path: ['to'],
    message: 'must not be before from',
  })
export type CampaignListQuery = z.infer<typeof CampaignListQuerySchema>

export const SpendTotalSchema = z.object({
  currency: z.string(),
  amount: z.number().int().describe('minor units, summed over the days of the period'),
  days: z.number().int().describe('days with an entry in the period'),
})
export type SpendTotal = z.infer<typeof SpendTotalSchema>

export const CampaignListItemSchema = z.object({
  campaignKey: z.string(),
  name: z.string().nullable(),
  channel: z.string().nullable(),
  source: z.string().nullable(),
  medium: z.string().nullable(),
  stored: z
    .boolean()
    .describe(
      "false for a key seen only as a lead's campaign touch: it has a report row but was never written",
    ),
  createdAt: z.string().nullable(),
  updatedAt: z.string().nullable(),
  spend: z.array(SpendTotalSchema).describe('one entry per currency with spend in the period'),
})
export type CampaignListItem = z.infer<typeof CampaignListItemSchema>

export const CampaignListSchema = z
  .object({
    from: z.string().nullable(),
    to: z.string().nullable(),
    campaigns: z.array(CampaignListItemSchema),
    truncated: z.boolean().describe(`true when the site has more than ${MAX_CAMPAIGNS_LISTED}`),
  })
  .meta({ example: CAMPAIGN_LIST_EXAMPLE })
export type CampaignList = z.infer<typeof CampaignListSchema>

/** Query of `GET .../campaigns/{campaignKey}/spend`: at most `MAX_SPEND_ENTRIES` days, as an import. */
export const SpendQuerySchema = z
  .object({
    from: DAY.meta({ example: '2026-11-01' }),
    to: DAY.meta({ example: '2026-11-30' }),
  })
  .strict()
  .refine((query) => query.from <= query.to, { path: ['to'], message: 'must not be before from' })
  .refine(
    (query) => query.from > query.to || daysBetween(query.from, query.to) <= MAX_SPEND_ENTRIES,
    {
      path: ['to'],
      message: `at most ${MAX_SPEND_ENTRIES} days from from`,
    },
  )
export type SpendQuery = z.infer<typeof SpendQuerySchema>

export const StoredSpendEntrySchema = z.object({
  date: z.string(),
  amount: z.number().int(),
  currency: z.string(),
  updatedAt: z.string().describe('when this day was last written'),
})
export type StoredSpendEntry = z.infer<typeof StoredSpendEntrySchema>

export const SpendListSchema = z
  .object({
    campaignKey: z.string(),
    from: z.string(),
    to: z.string(),
    entries: z.array(StoredSpendEntrySchema).describe('one per day with spend, by day'),
  })
  .meta({ example: SPEND_LIST_EXAMPLE })
export type SpendList = z.infer<typeof SpendListSchema>

export const ATTRIBUTIONS = ['first', 'last'] as const
export const AttributionSchema = z.enum(ATTRIBUTIONS)
export type Attribution = z.infer<typeof AttributionSchema>

/** Query of `GET .../reports/campaigns`: UTC days, both inclusive. */
export const ReportQuerySchema = z
  .object({
    from: DAY.meta({ example: '2026-10-01' }),
    to: DAY.meta({ example: '2026-12-31' }),
    attribution: AttributionSchema.default('first'),
    format: z.enum(['json', 'csv']).default('json'),
  })
  .strict()
  .refine((query) => query.from <= query.to, { path: ['to'], message: 'must not be before from' })
export type ReportQuery = z.infer<typeof ReportQuerySchema>

export const ConversionSchema = z.object({
  leadToMql: z.number().nullable(),
  mqlToSql: z.number().nullable(),
  sqlToOpportunity: z.number().nullable(),
  opportunityToCustomer: z.number().nullable(),
})
export type Conversion = z.infer<typeof ConversionSchema>

/**
 * One row (a campaign in one currency) or one total (a currency). Funnel
 * figures count leads, each for every stage up to the highest it reached;
 * `currency` is null only where no money is involved (no spend, no revenue).
 */
export const ReportRowSchema = z
  .object({
    campaign: z.string(),
    currency: z.string().nullable(),
    spend: z.number().int().nullable(),
    leads: z.number().int(),
    mqls: z.number().int(),
    sqls: z.number().int(),
    opportunities: z.number().int(),
    customers: z.number().int(),
    revenue: z.number().int().nullable(),
    cpl: z.number().int().nullable(),
    costPerMql: z.number().int().nullable(),
    costPerSql: z.number().int().nullable(),
    costPerOrder: z.number().int().nullable(),
    conversion: ConversionSchema,
    medianSalesCycleDays: z.number().nullable(),
  })
  .meta({ example: REPORT_ROW_EXAMPLE })
export type ReportRow = z.infer<typeof ReportRowSchema>

export const CampaignReportSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    attribution: AttributionSchema,
    rows: z.array(ReportRowSchema),
    totals: z.array(ReportRowSchema),
  })
  .meta({ example: CAMPAIGN_REPORT_EXAMPLE })
export type CampaignReport = z.infer<typeof CampaignReportSchema>

/** `format=csv`: the same figures as RFC 4180 CSV. */
export const CampaignReportCsvSchema = z.string().meta({ example: CAMPAIGN_REPORT_CSV_EXAMPLE })

/** Query of `GET .../reports/sales-cycle`: the report's cohort, optionally one campaign's row. */
export const SalesCycleQuerySchema = z
  .object({
    from: DAY.meta({ example: '2026-10-01' }),
    to: DAY.meta({ example: '2026-12-31' }),
    attribution: AttributionSchema.default('first'),
    campaign: z.string().min(1).max(200).optional(),
  })
  .strict()
  .refine((query) => query.from <= query.to, { path: ['to'], message: 'must not be before from' })

export const SalesCycleSchema = z
  .object({
    customers: z.number().int(),
    medianDays: z.number().nullable().describe("equals the report's medianSalesCycleDays"),
    p90Days: z.number().nullable(),
    buckets: z.array(
      z.object({
        fromDays: z.number().int(),
        toDays: z.number().int().nullable().describe('exclusive; null for the open last bucket'),
        customers: z.number().int(),
      }),
    ),
  })
  .meta({
    example: {
      customers: 3,
      medianDays: 21.5,
      p90Days: 64,
      buckets: [
        { fromDays: 0, toDays: 7, customers: 0 },
        { fromDays: 7, toDays: 14, customers: 0 },
        { fromDays: 14, toDays: 30, customers: 2 },
        { fromDays: 30, toDays: 60, customers: 0 },
        { fromDays: 60, toDays: 90, customers: 1 },
        { fromDays: 90, toDays: 180, customers: 0 },
        { fromDays: 180, toDays: null, customers: 0 },
      ],
    },
  })
export type SalesCycle = z.infer<typeof SalesCycleSchema>
