import { z } from '@hono/zod-openapi'
import {
  AttributionSchema,
  CampaignListSchema,
  CampaignReportSchema,
  DAY,
  SalesCycleSchema,
} from './campaigns'

/** The campaign report cut into periods (docs/report.md#time-series). */

export const INTERVALS = ['day', 'week'] as const
export type Interval = (typeof INTERVALS)[number]

/** At most this many periods per series, so one request stays bounded. */
export const MAX_PERIODS = 400

const DAY_MS = 24 * 3600 * 1000

function dayNumber(day: string): number {
  return Math.floor(Date.parse(`${day}T00:00:00Z`) / DAY_MS)
}

function dayOf(number: number): string {
  return new Date(number * DAY_MS).toISOString().slice(0, 10)
}

/** The Monday (UTC) of the week of a day number; day 0 (1970-01-01) was a Thursday. */
function mondayOf(number: number): number {
  return number - ((number + 3) % 7)
}

export interface Period {
  from: string
  to: string
}

/**
 * The periods of `[from, to]` (inclusive days): one per day, or one per week
 * starting Monday, the first and last clipped to the range.
 */
export function periodsOf(from: string, to: string, interval: Interval): Period[] {
  const first = dayNumber(from)
  const last = dayNumber(to)
  const periods: Period[] = []
  let start = first
  while (start <= last) {
    const end = interval === 'day' ? start : Math.min(mondayOf(start) + 6, last)
    periods.push({ from: dayOf(start), to: dayOf(end) })
    start = end + 1
  }
  return periods
}

/** The index of the period a day of `[from, to]` falls in. */
export function periodIndex(from: string, day: string, interval: Interval): number {
  const offset = dayNumber(day) - dayNumber(from)
  if (interval === 'day') return offset
  return Math.floor((dayNumber(day) - mondayOf(dayNumber(from))) / 7)
}

/** How many periods `[from, to]` has, without building them. */
export function periodCount(from: string, to: string, interval: Interval): number {
  if (interval === 'day') return dayNumber(to) - dayNumber(from) + 1
  return periodIndex(from, to, 'week') + 1
}

export const SeriesQuerySchema = z
  .object({
    from: DAY.meta({ example: '2026-10-01' }),
    to: DAY.meta({ example: '2026-12-31' }),
    interval: z.enum(INTERVALS).default('week'),
    attribution: AttributionSchema.default('first'),
  })
  .strict()
  .refine((query) => query.from <= query.to, { path: ['to'], message: 'must not be before from' })
  .refine(
    (query) =>
      query.from > query.to || periodCount(query.from, query.to, query.interval) <= MAX_PERIODS,
    { path: ['to'], message: `at most ${MAX_PERIODS} periods` },
  )
export type SeriesQuery = z.infer<typeof SeriesQuerySchema>

export const SeriesPointSchema = z.object({
  from: z.string(),
  to: z.string(),
  spend: z.number().int().nullable().describe('null without spend in this currency in the period'),
  leads: z.number().int(),
  mqls: z.number().int(),
  sqls: z.number().int(),
  customers: z.number().int(),
  cpl: z.number().int().nullable(),
  costPerSql: z.number().int().nullable(),
})
export type SeriesPoint = z.infer<typeof SeriesPointSchema>

export const CampaignSeriesSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    interval: z.enum(INTERVALS),
    attribution: AttributionSchema,
    periods: z.array(z.object({ from: z.string(), to: z.string() })),
    series: z.array(
      z.object({
        campaign: z.string(),
        currency: z.string().nullable(),
        points: z.array(SeriesPointSchema).describe('one per period, in order'),
      }),
    ),
  })
  .meta({
    example: {
      from: '2026-11-02',
      to: '2026-11-10',
      interval: 'week',
      attribution: 'first',
      periods: [
        { from: '2026-11-02', to: '2026-11-08' },
        { from: '2026-11-09', to: '2026-11-10' },
      ],
      series: [
        {
          campaign: 'q4-webinar',
          currency: 'EUR',
          points: [
            {
              from: '2026-11-02',
              to: '2026-11-08',
              spend: 10000,
              leads: 4,
              mqls: 2,
              sqls: 1,
              customers: 0,
              cpl: 2500,
              costPerSql: 10000,
            },
            {
              from: '2026-11-09',
              to: '2026-11-10',
              spend: null,
              leads: 1,
              mqls: 0,
              sqls: 0,
              customers: 0,
              cpl: null,
              costPerSql: null,
            },
          ],
        },
      ],
    },
  })
export type CampaignSeries = z.infer<typeof CampaignSeriesSchema>

export const FormsReportQuerySchema = z
  .object({
    from: DAY.meta({ example: '2026-10-01' }),
    to: DAY.meta({ example: '2026-12-31' }),
  })
  .strict()
  .refine((query) => query.from <= query.to, { path: ['to'], message: 'must not be before from' })
export type FormsReportQuery = z.infer<typeof FormsReportQuerySchema>

const RATE = z.number().nullable()

export const FormReportRowSchema = z.object({
  formId: z.string(),
  kind: z.string(),
  title: z.string().describe('in the site’s language'),
  views: z.number().int().describe('`form_view` events'),
  starts: z.number().int().describe('`form_start` events (the first input into the form)'),
  submissions: z.number().int().describe('accepted submissions'),
  viewToStart: RATE,
  startToSubmission: RATE,
  viewToSubmission: RATE,
  dropOffAfterView: RATE.describe('the share of views without a start'),
  dropOffAfterStart: RATE.describe('the share of starts without a submission'),
})
export type FormReportRow = z.infer<typeof FormReportRowSchema>

export const FormsReportSchema = z
  .object({ from: z.string(), to: z.string(), forms: z.array(FormReportRowSchema) })
  .meta({
    example: {
      from: '2026-11-01',
      to: '2026-11-30',
      forms: [
        {
          formId: 'whitepaper',
          kind: 'download',
          title: 'Whitepaper herunterladen',
          views: 400,
          starts: 120,
          submissions: 30,
          viewToStart: 0.3,
          startToSubmission: 0.25,
          viewToSubmission: 0.075,
          dropOffAfterView: 0.7,
          dropOffAfterStart: 0.75,
        },
      ],
    },
  })
export type FormsReport = z.infer<typeof FormsReportSchema>

export const CSV_LANGS = ['de', 'en'] as const

/**
 * The campaign report's query: the machine CSV (`format=csv`) and the human one
 * (`format=readable-csv`, in `lang`, by default the site's language).
 */
export const CampaignReportQuerySchema = z
  .object({
    from: DAY.meta({ example: '2026-10-01' }),
    to: DAY.meta({ example: '2026-12-31' }),
    attribution: AttributionSchema.default('first'),
    format: z.enum(['json', 'csv', 'readable-csv']).default('json'),
    lang: z
      .enum(CSV_LANGS)
      .optional()
      .meta({ description: 'the language of `format=readable-csv`; only with it' }),
  })
  .strict()
  .refine((query) => query.from <= query.to, { path: ['to'], message: 'must not be before from' })
  .refine((query) => query.lang === undefined || query.format === 'readable-csv', {
    path: ['lang'],
    message: 'only with format=readable-csv',
  })
export type CampaignReportQuery = z.infer<typeof CampaignReportQuerySchema>

/**
 * The period of equal length just before `[from, to]`, which the dashboard compares with
 * (docs/app.md#dashboard): 1–30 November against 2–31 October.
 */
export function previousPeriod(from: string, to: string): Period {
  const length = dayNumber(to) - dayNumber(from) + 1
  return { from: dayOf(dayNumber(from) - length), to: dayOf(dayNumber(from) - 1) }
}

/** Query of `GET .../reports/dashboard`: the series' query, whose range the other parts share. */
export const DashboardQuerySchema = SeriesQuerySchema

/**
 * `GET .../reports/dashboard`: everything the app's dashboard shows, in one answer, each part
 * exactly what its own endpoint answers for the same query.
 */
export const DashboardSchema = z
  .object({
    report: CampaignReportSchema.describe(
      '`GET .../reports/campaigns` for `from`, `to`, `attribution`',
    ),
    previous: CampaignReportSchema.describe(
      'the same report for the period of equal length just before `from`',
    ),
    series: CampaignSeriesSchema.describe('`GET .../reports/campaigns/series`'),
    salesCycle: SalesCycleSchema.describe('`GET .../reports/sales-cycle` of the whole cohort'),
    forms: FormsReportSchema.describe('`GET .../reports/forms`'),
    campaigns: CampaignListSchema.describe('`GET .../campaigns` with spend in `[from, to]`'),
  })
  .meta({
    // Each part's own example (they describe the same site, not necessarily the same days).
    example: {
      report: CampaignReportSchema.meta()?.example,
      previous: CampaignReportSchema.meta()?.example,
      series: CampaignSeriesSchema.meta()?.example,
      salesCycle: SalesCycleSchema.meta()?.example,
      forms: FormsReportSchema.meta()?.example,
      campaigns: CampaignListSchema.meta()?.example,
    },
  })
export type Dashboard = z.infer<typeof DashboardSchema>
