import { createRoute, z } from '@hono/zod-openapi'
import Papa from 'papaparse'
import { SITE_KEY } from '../../../../shared/common'
import {
  csvColumnOf,
  ImportBatchSchema,
  ImportLeadSchema,
  ImportQuerySchema,
  ImportResultSchema,
  ImportTouchpointRowSchema,
  MAX_IMPORT_LEADS,
  MAX_IMPORT_TOUCHPOINT_ROWS,
  readLeadsCsv,
  readTouchpointsCsv,
  unknownTouchpointColumns,
  type CsvProblem,
  type ImportBatch,
  type ImportLead,
  type ImportTouchpointRow,
} from '../../../../shared/import'
import { findSite } from '../../db/sites'
import { siteStore } from '../../db/store'
import { readUtf8Text } from '../../lib/body'
import { HttpProblem, type FieldError } from '../../lib/problem'
import { createRouter, PROBLEM_RESPONSES } from '../../lib/router'
import { actorOf, authenticate, requireScope } from '../../middleware/auth'
import { ImportRefused, importLeads, importTouchpoints } from '../../services/import-history'

export const adminImport = createRouter()

/** Errors listed in one answer; a file with more says how many were left out. */
const MAX_ERRORS = 200

const CSV_EXAMPLE = `external_id,created_at,email,first_name,last_name,company,form_id,utm_source,utm_medium,utm_campaign,stage,stage_at,amount,currency
crm-10042,2026-03-02T09:15:00Z,jana.schulz@example.com,Jana,Schulz,Acme GmbH,whitepaper,linkedin,paid,q1-whitepaper,customer,2026-05-20T16:00:00Z,12000.00,EUR
`

function refused(errors: FieldError[], detail: string): HttpProblem {
  const shown = errors.slice(0, MAX_ERRORS)
  return new HttpProblem({
    code: 'validation_failed',
    detail:
      errors.length > shown.length
        ? `${detail} The first ${MAX_ERRORS} of ${errors.length} errors are listed.`
        : detail,
    errors: shown,
  })
}

const NOTHING_WRITTEN = 'The import is not valid; nothing was written.'

/** CSV rows as strings, every record kept (blank ones too) so row numbers match the file's. */
function parseCsv(text: string): string[][] {
  return Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: false }).data
}

const csvErrors = (problems: CsvProblem[]): FieldError[] =>
  problems.map((p) => ({ path: `rows.${p.line}.${p.column}`, message: p.message }))

/** Validates the items of a CSV read one by one, so each error names its row and column. */
function validateRows<T>(
  items: { line: number; value: unknown }[],
  schema: z.ZodType<T>,
  part: 'leads' | 'touchpoints',
): { rows: T[]; lines: number[] } {
  const errors: FieldError[] = []
  const rows: T[] = []
  for (const { line, value } of items) {
    const parsed = schema.safeParse(value)
    if (parsed.success) rows.push(parsed.data)
    else
      for (const issue of parsed.error.issues)
        errors.push({
          path: `rows.${line}.${csvColumnOf(issue.path.map(String).join('.'), part)}`,
          message: issue.message,
        })
  }
  if (errors.length) throw refused(errors, NOTHING_WRITTEN)
  return { rows, lines: items.map((item) => item.line) }
}

adminImport.openapi(
  createRoute({
    method: 'post',
    path: '/v1/admin/sites/{siteKey}/import',
    summary: 'Import past leads with their touchpoints and outcomes',
    description:
      'Brings history over from another tool (docs/import.md). JSON `{leads}` (at most 200 leads and 5000 touchpoints) or a CSV (`text/csv`, one row per lead, at most 200 rows); `?part=touchpoints` with a CSV of touchpoints (at most 5000 rows) adds them to leads imported before. Times are kept as given (none in the future). A lead is found again by its `externalId`, else by its email, so importing the same file twice changes nothing; touchpoints get ids made from the lead, type, time and page. Every lead is checked first: one error refuses the whole request with 422, every error listed (`leads.{i}…` for JSON, `rows.{n}.{column}` for CSV, the header being row 1), and nothing is written. Needs `site:admin`.',
    security: [{ bearer: [] }],
    middleware: [authenticate, requireScope('site:admin')] as const,
    request: {
      params: z.object({ siteKey: SITE_KEY }),
      query: ImportQuerySchema,
      body: {
        content: {
          'application/json': { schema: ImportBatchSchema },
          'text/csv': { schema: z.string().meta({ example: CSV_EXAMPLE }) },
        },
        required: false,
      },
    },
    responses: {
      200: {
        description: 'What the import stored',
        content: { 'application/json': { schema: ImportResultSchema } },
      },
      ...PROBLEM_RESPONSES,
      409: { description: 'A lead changed meanwhile; send the same import again' },
    },
  }),
  async (c) => {
    const { siteKey } = c.req.valid('param')
    const { part = 'leads' } = c.req.valid('query')
    const site = await findSite(c.env.DB, siteKey)
    if (!site) throw new HttpProblem({ code: 'site_not_found', detail: 'There is no such site.' })
    const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase()
    const actor = actorOf(c.get('principal'))
    if (type !== 'text/csv' && type !== 'application/json')
      throw new HttpProblem({
        code: 'unsupported_media_type',
        detail: 'Send the import as application/json or text/csv.',
      })
    try {
      if (type === 'application/json') {
        if (part !== 'leads')
          throw refused(
            [{ path: 'part', message: 'touchpoints alone are imported as a CSV' }],
            NOTHING_WRITTEN,
          )
        const batch = c.req.valid('json') as ImportBatch
        return c.json(await importLeads(siteStore(c.env, siteKey), site, batch.leads, actor), 200)
      }
      const rows = parseCsv(await readUtf8Text(c))
      if (part === 'touchpoints') {
        const unknown = unknownTouchpointColumns(rows)
        if (unknown.length)
          throw refused(
            csvErrors(
              unknown.map((column) => ({
                line: 1,
                column,
                message: 'is no column of a touchpoint CSV',
              })),
            ),
            NOTHING_WRITTEN,
          )
        const read = readTouchpointsCsv(rows)
        if (!read.ok) throw refused(csvErrors(read.problems), NOTHING_WRITTEN)
        if (read.items.length > MAX_IMPORT_TOUCHPOINT_ROWS || !read.items.length)
          throw refused(
            [
              {
                path: 'rows',
                message: `send 1 to ${MAX_IMPORT_TOUCHPOINT_ROWS} touchpoints a request`,
              },
            ],
            NOTHING_WRITTEN,
          )
        const { rows: touchpoints, lines } = validateRows<ImportTouchpointRow>(
          read.items,
          ImportTouchpointRowSchema,
          'touchpoints',
        )
        return c.json(
          await importTouchpoints(siteStore(c.env, siteKey), site, touchpoints).catch(
            rowsOf(lines, 'touchpoints'),
          ),
          200,
        )
      }
      const read = readLeadsCsv(rows)
      if (!read.ok) throw refused(csvErrors(read.problems), NOTHING_WRITTEN)
      if (read.items.length > MAX_IMPORT_LEADS || !read.items.length)
        throw refused(
          [{ path: 'rows', message: `send 1 to ${MAX_IMPORT_LEADS} leads a request` }],
          NOTHING_WRITTEN,
        )
      const { rows: leads, lines } = validateRows<ImportLead>(read.items, ImportLeadSchema, 'leads')
      const seen = new Map<string, number>()
      const duplicates: FieldError[] = []
      leads.forEach((lead, index) => {
        const first = seen.get(lead.externalId)
        if (first !== undefined)
          duplicates.push({
            path: `rows.${lines[index]}.external_id`,
            message: `the same external_id as row ${first}`,
          })
        else seen.set(lead.externalId, lines[index]!)
      })
      if (duplicates.length) throw refused(duplicates, NOTHING_WRITTEN)
      return c.json(
        await importLeads(siteStore(c.env, siteKey), site, leads, actor, { csv: true }).catch(
          rowsOf(lines, 'leads'),
        ),
        200,
      )
    } catch (error) {
      if (error instanceof ImportRefused)
        throw refused(
          error.errors.map((e) => ({ path: `leads.${e.index}.${e.path}`, message: e.message })),
          NOTHING_WRITTEN,
        )
      throw error
    }
  },
)

/** Errors of the checks before writing, named by the CSV's rows and columns. */
function rowsOf(lines: readonly number[], part: 'leads' | 'touchpoints') {
  return (error: unknown): never => {
    if (!(error instanceof ImportRefused)) throw error
    throw refused(
      error.errors.map((e) => ({
        path: `rows.${lines[e.index]}.${csvColumnOf(e.path, part)}`,
        message: e.message,
      })),
      NOTHING_WRITTEN,
    )
  }
}
