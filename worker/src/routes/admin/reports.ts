import { createRoute, z } from '@hono/zod-openapi'
import {
  CampaignReportCsvSchema,
  CampaignReportSchema,
  SalesCycleQuerySchema,
  SalesCycleSchema,
} from '../../../../shared/campaigns'
import { SITE_KEY } from '../../../../shared/common'
import {
  CampaignReportQuerySchema,
  CampaignSeriesSchema,
  DashboardQuerySchema,
  DashboardSchema,
  FormsReportQuerySchema,
  FormsReportSchema,
  previousPeriod,
  SeriesQuerySchema,
} from '../../../../shared/reports'
import { listCampaigns } from '../../db/campaigns'
import {
  queryCampaignNames,
  queryCampaignReport,
  queryCampaignSeries,
  queryFormCounts,
  querySalesCycles,
  querySeriesAndCycles,
  type ReportReader,
} from '../../db/reports'
import { siteStore } from '../../db/store'
import {
  buildReport,
  buildSeries,
  formsReport,
  reportInputFromDays,
  reportToCsv,
  salesCycleDistribution,
} from '../../domain/report'
import { readableReportCsv } from '../../domain/report-readable'
import { createRouter, PROBLEM_RESPONSES } from '../../lib/router'
import { authenticate, requireScope } from '../../middleware/auth'
import { requireSite } from '../../services/lookups'

export const adminReports = createRouter()

/**
 * Where a report reads: the site's store, in a D1 session that may be served by a read replica
 * (`first-unconstrained`; docs/scale.md#daily-rollups). Reports only read, and each one's
 * statements go in one batch, so they see one state of the database; without replication the
 * session is the primary.
 */
function reportReader(env: Env, siteKey: string): ReportReader {
  return siteStore(env, siteKey).withSession('first-unconstrained')
}

adminReports.openapi(
  createRoute({
    method: 'get',
    path: '/v1/admin/sites/{siteKey}/reports/campaigns',
    summary: 'Campaign report',
    description: [
      'A cohort report: the leads created in `[from, to]` (UTC days, both inclusive), attributed to a campaign by their first or last campaign touch (`(none)` without one; default `first`), and the spend dated in `[from, to]`.',
      'A lead counts for every stage up to the highest it reached, also when disqualified later. For a `b2c` site the columns follow the funnel by position: `engaged` as MQL, `interested` as SQL, `need_recognized` as opportunity.',
      'Money is integer minor units and never mixes currencies: a campaign has one row per currency it has spend or revenue in, and its funnel figures on each; a row without spend in its currency has `spend: null` and null costs; a campaign without any money has one row with `currency: null`. `totals` has one entry per currency: that currency’s spend and revenue over the whole cohort (blended costs).',
      'Costs are rounded half up to whole minor units, rates to four decimals; a zero divisor gives `null`. The median sales cycle runs from the lead’s first touchpoint (or its creation) to its latest `customer` stage, in days to one decimal.',
      '`format=csv` answers the same figures as RFC 4180 CSV (header, CRLF, quoted fields, formula cells neutralised).',
      '`format=readable-csv` answers them for people, in `lang` (`de` or `en`; by default the site’s language): headers in words, the campaign’s name beside its key, money in major units beside its currency, rates in percent; `de` separates fields with `;` and writes a decimal comma. It starts with a UTF-8 byte order mark and neutralises formula cells like the machine CSV (docs/report.md#readable-csv). Needs `reports:read`.',
    ].join('\n\n'),
    security: [{ bearer: [] }],
    middleware: [authenticate, requireScope('reports:read')] as const,
    request: { params: z.object({ siteKey: SITE_KEY }), query: CampaignReportQuerySchema },
    responses: {
      200: {
        description: 'The report',
        content: {
          'application/json': { schema: CampaignReportSchema },
          'text/csv': {
            schema: CampaignReportCsvSchema,
          },
        },
      },
      ...PROBLEM_RESPONSES,
    },
  }),
  async (c) => {
    const { siteKey } = c.req.valid('param')
    const query = c.req.valid('query')
    const site = await requireSite(c.env.DB, siteKey)
    const db = reportReader(c.env, siteKey)
    const report = buildReport(await queryCampaignReport(db, { siteKey, ...query }))
    if (query.format === 'readable-csv') {
      const lang = query.lang ?? (site.locale === 'de' ? 'de' : 'en')
      const csv = readableReportCsv(report, {
        lang,
        stageModel: site.stageModel,
        names: await queryCampaignNames(db, siteKey),
      })
      const filename = `campaigns-${siteKey}-${query.attribution}-${query.from}-${query.to}-${lang}.csv`
      return c.body(csv, 200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${filename}"`,
      })
    }
    if (query.format === 'csv') {
      const filename = `campaigns-${siteKey}-${query.attribution}-${query.from}-${query.to}.csv`
      return c.body(reportToCsv(report), 200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${filename}"`,
      })
    }
    return c.json(report, 200)
  },
)

adminReports.openapi(
  createRoute({
    method: 'get',
    path: '/v1/admin/sites/{siteKey}/reports/sales-cycle',
    summary: 'Sales-cycle distribution',
    description:
      'The sales cycles of the customers of the campaign report’s cohort (same `from`, `to`, `attribution`), of one campaign when `campaign` is given, in fixed buckets of days (0–7, 7–14, 14–30, 30–60, 60–90, 90–180, 180+; each `[fromDays, toDays)`). `medianDays` equals the report’s `medianSalesCycleDays` (of the totals, or of the campaign’s row). Needs `reports:read`.',
    security: [{ bearer: [] }],
    middleware: [authenticate, requireScope('reports:read')] as const,
    request: { params: z.object({ siteKey: SITE_KEY }), query: SalesCycleQuerySchema },
    responses: {
      200: {
        description: 'The distribution',
        content: { 'application/json': { schema: SalesCycleSchema } },
      },
      ...PROBLEM_RESPONSES,
    },
  }),
  async (c) => {
    const { siteKey } = c.req.valid('param')
    const query = c.req.valid('query')
    await requireSite(c.env.DB, siteKey)
    return c.json(
      salesCycleDistribution(
        (await querySalesCycles(reportReader(c.env, siteKey), { siteKey, ...query })).map(
          (cycle) => cycle.days,
        ),
      ),
      200,
    )
  },
)

adminReports.openapi(
  createRoute({
    method: 'get',
    path: '/v1/admin/sites/{siteKey}/reports/campaigns/series',
    summary: 'Campaign report over time',
    description: [
      'The campaign report (same cohort, `from`, `to`, `attribution`) cut into periods by the lead’s creation day and the spend’s day: one per UTC day (`interval=day`) or per week starting Monday (`interval=week`, the default), the first and last period clipped to `[from, to]`; at most 400 periods.',
      'One series per row of the report (campaign and currency; `currency: null` for a campaign without money), one point per period with spend, leads, MQLs, SQLs, customers, CPL and cost per SQL. The sums over the periods of spend, leads, MQLs, SQLs and customers equal the report’s row. Costs follow the report’s rules: half up to whole minor units, `null` without spend in the period or with a zero divisor. Needs `reports:read`.',
    ].join('\n\n'),
    security: [{ bearer: [] }],
    middleware: [authenticate, requireScope('reports:read')] as const,
    request: { params: z.object({ siteKey: SITE_KEY }), query: SeriesQuerySchema },
    responses: {
      200: {
        description: 'The series',
        content: { 'application/json': { schema: CampaignSeriesSchema } },
      },
      ...PROBLEM_RESPONSES,
    },
  }),
  async (c) => {
    const { siteKey } = c.req.valid('param')
    const query = c.req.valid('query')
    await requireSite(c.env.DB, siteKey)
    return c.json(
      buildSeries(
        query,
        await queryCampaignSeries(reportReader(c.env, siteKey), { siteKey, ...query }),
      ),
      200,
    )
  },
)

adminReports.openapi(
  createRoute({
    method: 'get',
    path: '/v1/admin/sites/{siteKey}/reports/forms',
    summary: 'Form funnel',
    description:
      'Per form of the site: its views (`form_view` events), starts (`form_start` events, sent once per form display at the first input) received in `[from, to]` (UTC days, both inclusive), its accepted submissions created in the range, and the rates between them (four decimals, half up, `null` for a zero divisor; a drop-off is the share that went no further, never below 0). Views and starts count events, not visitors: visitors without tracking consent have no id to count them by (docs/report.md#forms). Needs `reports:read`.',
    security: [{ bearer: [] }],
    middleware: [authenticate, requireScope('reports:read')] as const,
    request: { params: z.object({ siteKey: SITE_KEY }), query: FormsReportQuerySchema },
    responses: {
      200: {
        description: 'The form funnel',
        content: { 'application/json': { schema: FormsReportSchema } },
      },
      ...PROBLEM_RESPONSES,
    },
  }),
  async (c) => {
    const { siteKey } = c.req.valid('param')
    const query = c.req.valid('query')
    await requireSite(c.env.DB, siteKey)
    return c.json(
      formsReport(
        query,
        await queryFormCounts(reportReader(c.env, siteKey), { siteKey, ...query }),
      ),
      200,
    )
  },
)

adminReports.openapi(
  createRoute({
    method: 'get',
    path: '/v1/admin/sites/{siteKey}/reports/dashboard',
    summary: 'Dashboard',
    description: [
      'Everything the app’s dashboard shows for `[from, to]`, in one answer (docs/app.md#dashboard): the campaign report (`report`), the same report for the period of equal length just before `from` (`previous`), the report over time by `interval` (`series`, at most 400 periods), the sales-cycle distribution of the whole cohort (`salesCycle`), the form funnel (`forms`) and the site’s campaigns with their spend in the range (`campaigns`).',
      'Each part is exactly what its own endpoint answers for the same query. `report`, `series` and `salesCycle` are read in one batch and agree with each other; `previous`, `forms` and `campaigns` are read beside them, so a lead arriving meanwhile may be in one of those and not yet in the others. Needs `reports:read`.',
    ].join('\n\n'),
    security: [{ bearer: [] }],
    middleware: [authenticate, requireScope('reports:read')] as const,
    request: { params: z.object({ siteKey: SITE_KEY }), query: DashboardQuerySchema },
    responses: {
      200: {
        description: 'The dashboard’s figures',
        content: { 'application/json': { schema: DashboardSchema } },
      },
      ...PROBLEM_RESPONSES,
    },
  }),
  async (c) => {
    const { siteKey } = c.req.valid('param')
    const query = c.req.valid('query')
    await requireSite(c.env.DB, siteKey)
    const { from, to, attribution } = query
    const previous = { ...previousPeriod(from, to), attribution }
    const db = reportReader(c.env, siteKey)
    // The report is summed from the series' days: one reading of the period's cohort for both.
    const [{ days, cycles }, before, forms, campaigns] = await Promise.all([
      querySeriesAndCycles(db, { siteKey, from, to, attribution }),
      queryCampaignReport(db, { siteKey, ...previous }),
      queryFormCounts(db, { siteKey, from, to }),
      listCampaigns(siteStore(c.env, siteKey), { siteKey, from, to }),
    ])
    return c.json(
      {
        report: buildReport(reportInputFromDays({ from, to, attribution }, days, cycles)),
        previous: buildReport(before),
        series: buildSeries(query, days),
        salesCycle: salesCycleDistribution(cycles.map((cycle) => cycle.days)),
        forms: formsReport({ from, to }, forms),
        campaigns: { from, to, ...campaigns },
      },
      200,
    )
  },
)
