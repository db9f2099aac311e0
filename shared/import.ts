import { z } from 'zod'
import { HTTP_URL, ISO_DATETIME, multilineText, SLUG, text, UtmSchema } from './common'
import { EventTypeSchema } from './events'
import { IMPORT_BATCH_EXAMPLE, IMPORT_RESULT_EXAMPLE } from './examples/import'
import { FieldNameSchema, StageSchema } from './site'

/**
 * The history import (docs/import.md): past leads of another tool with their touchpoints, times
 * and outcomes, as JSON or CSV. Times are kept as given; only a time in the future is refused.
 */

export const MAX_IMPORT_LEADS = 200
export const MAX_IMPORT_TOUCHPOINTS = 5000
/** CSV rows of one request: a lead file at most `MAX_IMPORT_LEADS`, a touchpoint file this. */
export const MAX_IMPORT_TOUCHPOINT_ROWS = MAX_IMPORT_TOUCHPOINTS
/** A clock a little ahead is no future: a minute of slack. */
const CLOCK_SLACK_MS = 60_000

/** An ISO time that is not in the future (when the request is read). */
const PAST_TIME = ISO_DATETIME.refine(
  // An unreadable time is the format check's to name.
  (value) => !(Date.parse(value) > Date.now() + CLOCK_SLACK_MS),
  'must not be in the future',
)

export const EXTERNAL_ID = z
  .string()
  .min(1)
  .max(100)
  .refine((value) => value.trim() === value && !/[\u0000-\u001F\u007F]/.test(value), {
    message: 'no control characters or surrounding spaces',
  })

/** A field answer: text (a multi-line field keeps its line breaks) or a checkbox's boolean. */
const FieldAnswerSchema = z.union([multilineText(5000), z.boolean()])

export const ImportDealValueSchema = z
  .object({
    /** Integer minor units (cents), as a manual stage change takes it. */
    amount: z.number().int().min(0).max(1e13),
    currency: z.string().regex(/^[A-Z]{3}$/, 'ISO 4217, for example EUR'),
  })
  .strict()

/** Only on `engaged_time` (another part of the product): whole seconds, 1–3600. */
const ENGAGED = 'engaged_time'

const TOUCHPOINT_SHAPE = {
  type: EventTypeSchema,
  at: PAST_TIME,
  url: HTTP_URL,
  formId: SLUG.optional(),
  value: z.number().int().min(1).max(3600).optional(),
}
const engagedValue = {
  check: (t: { type: string; value?: number | undefined }) =>
    (t.value !== undefined) === (t.type === ENGAGED),
  params: { message: 'value is given on engaged_time, and only there', path: ['value'] },
}

export const ImportTouchpointSchema = z
  .object(TOUCHPOINT_SHAPE)
  .strict()
  .refine(engagedValue.check, engagedValue.params)
export type ImportTouchpoint = z.infer<typeof ImportTouchpointSchema>

export const ImportConsentSchema = z
  .object({
    purpose: SLUG,
    granted: z.boolean(),
    at: PAST_TIME,
  })
  .strict()

export const ImportOutcomeSchema = z
  .object({
    stage: StageSchema,
    at: PAST_TIME,
    value: ImportDealValueSchema.optional(),
  })
  .strict()
  .refine((o) => (o.stage === 'customer') === (o.value !== undefined), {
    message: 'a customer needs the deal value, and only a customer has one',
    path: ['value'],
  })

export const ImportLeadSchema = z
  .object({
    externalId: EXTERNAL_ID,
    createdAt: PAST_TIME,
    formId: SLUG.optional(),
    fields: z
      .record(FieldNameSchema, FieldAnswerSchema)
      .refine((fields) => Object.keys(fields).length <= 50, 'at most 50 fields'),
    utm: UtmSchema.optional(),
    consents: z.array(ImportConsentSchema).max(20).optional(),
    touchpoints: z.array(ImportTouchpointSchema).max(MAX_IMPORT_TOUCHPOINTS).optional(),
    outcome: ImportOutcomeSchema.optional(),
  })
  .strict()
  .refine((lead) => !lead.outcome || Date.parse(lead.outcome.at) >= Date.parse(lead.createdAt), {
    message: 'the outcome cannot come before the lead was created',
    path: ['outcome', 'at'],
  })
export type ImportLead = z.infer<typeof ImportLeadSchema>

/** `POST /v1/admin/sites/{siteKey}/import` as JSON. */
export const ImportBatchSchema = z
  .object({
    leads: z.array(ImportLeadSchema).min(1).max(MAX_IMPORT_LEADS),
  })
  .strict()
  .superRefine((batch, ctx) => {
    const total = batch.leads.reduce((sum, lead) => sum + (lead.touchpoints?.length ?? 0), 0)
    if (total > MAX_IMPORT_TOUCHPOINTS)
      ctx.addIssue({
        code: 'custom',
        path: ['leads'],
        message: `at most ${MAX_IMPORT_TOUCHPOINTS} touchpoints a request (${total} sent)`,
      })
    const seen = new Map<string, number>()
    batch.leads.forEach((lead, index) => {
      if (seen.has(lead.externalId))
        ctx.addIssue({
          code: 'custom',
          path: ['leads', index, 'externalId'],
          message: `the same externalId as lead ${seen.get(lead.externalId)}`,
        })
      else seen.set(lead.externalId, index)
    })
  })
  .meta({ example: IMPORT_BATCH_EXAMPLE })
export type ImportBatch = z.infer<typeof ImportBatchSchema>

/** A touchpoint of a touchpoint CSV: it joins the lead imported before under `externalId`. */
export const ImportTouchpointRowSchema = z
  .object({ externalId: EXTERNAL_ID, ...TOUCHPOINT_SHAPE })
  .strict()
  .refine(engagedValue.check, engagedValue.params)
export type ImportTouchpointRow = z.infer<typeof ImportTouchpointRowSchema>

export const ImportResultSchema = z
  .object({
    /** Leads new to the site. */
    created: z.number().int(),
    /** Leads found (by external id, else by email) that took something new. */
    updated: z.number().int(),
    /** Leads found that took nothing new: an import sent again. */
    unchanged: z.number().int(),
    /** Touchpoints stored. */
    touchpoints: z.number().int(),
    /** Touchpoints stored before (the same lead, type, time and page). */
    duplicates: z.number().int(),
  })
  .meta({ example: IMPORT_RESULT_EXAMPLE })
export type ImportResult = z.infer<typeof ImportResultSchema>

export const ImportQuerySchema = z.object({
  part: z.enum(['leads', 'touchpoints']).optional().meta({
    description:
      'For a CSV body: `leads` (the default, one row per lead) or `touchpoints` (one row per touchpoint of leads imported before).',
    example: 'touchpoints',
  }),
})

// ---------------------------------------------------------------------------------------------
// CSV: rows as a CSV parser answers them (`string[][]`), the first row the header.

/** A cell or column at fault: the line in the file (1-based, the header is line 1). */
export interface CsvProblem {
  line: number
  column: string
  message: string
}

/** Lead CSV columns and the JSON path each fills; every other column is a field answer. */
const LEAD_COLUMNS: Record<string, string> = {
  external_id: 'externalId',
  created_at: 'createdAt',
  form_id: 'formId',
  email: 'fields.email',
  first_name: 'fields.firstName',
  last_name: 'fields.lastName',
  company: 'fields.company',
  job_title: 'fields.jobTitle',
  phone: 'fields.phone',
  utm_source: 'utm.source',
  utm_medium: 'utm.medium',
  utm_campaign: 'utm.campaign',
  utm_term: 'utm.term',
  utm_content: 'utm.content',
  stage: 'outcome.stage',
  stage_at: 'outcome.at',
  amount: 'outcome.value.amount',
  currency: 'outcome.value.currency',
}
const TOUCHPOINT_COLUMNS: Record<string, string> = {
  external_id: 'externalId',
  type: 'type',
  at: 'at',
  url: 'url',
  form_id: 'formId',
  value: 'value',
}

const headerName = (cell: string) => cell.replace(/^\uFEFF/, '').trim()

/** The column that fills a JSON path, for errors in the file's own words. */
export function csvColumnOf(path: string, part: 'leads' | 'touchpoints'): string {
  const columns = part === 'leads' ? LEAD_COLUMNS : TOUCHPOINT_COLUMNS
  const exact = Object.entries(columns).find(([, target]) => target === path)
  if (exact) return exact[0]
  // A deeper path (`outcome.value`) names its first column, a field its own name.
  const prefix = Object.entries(columns).find(([, target]) => target.startsWith(`${path}.`))
  if (prefix) return prefix[0]
  return path.startsWith('fields.') ? path.slice('fields.'.length) : path
}

/** Sets `value` at a dotted path of `target`, making the objects on the way. */
function setPath(target: Record<string, unknown>, path: string, value: unknown) {
  const keys = path.split('.')
  let node = target
  for (const key of keys.slice(0, -1)) {
    if (!Object.hasOwn(node, key)) node[key] = {}
    node = node[key] as Record<string, unknown>
  }
  node[keys.at(-1)!] = value
}

/** Known columns are looked up as own keys only: `constructor` or `__proto__` are no column. */
const columnOf = (columns: Record<string, string>, name: string) =>
  Object.hasOwn(columns, name) ? columns[name] : undefined

/** More columns than any export has: a header past this is refused before any work. */
export const MAX_CSV_COLUMNS = 100
/** A column that is a field answer is named as a field is (`shared/form.ts`). */
const FIELD_COLUMN = /^[a-zA-Z][a-zA-Z0-9_]{0,39}$/

/**
 * A money amount in major units (`12000`, `12000.50`) as integer minor units, or the cell as it
 * is (the schema then refuses it) when it is no plain decimal number.
 */
function minorUnits(cell: string): number | string {
  if (!/^\d{1,13}(\.\d{1,2})?$/.test(cell)) return cell
  const [whole, fraction = ''] = cell.split('.')
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'))
}

export type CsvRead<T> =
  { ok: true; items: { line: number; value: T }[] } | { ok: false; problems: CsvProblem[] }

function readHeader(
  rows: readonly string[][],
  required: readonly string[],
): { header: string[]; body: { line: number; row: string[] }[] } | CsvProblem[] {
  if ((rows[0]?.length ?? 0) > MAX_CSV_COLUMNS)
    return [{ line: 1, column: '', message: `at most ${MAX_CSV_COLUMNS} columns` }]
  const header = (rows[0] ?? []).map(headerName)
  const missing = required.filter((name) => !header.includes(name))
  if (missing.length)
    return missing.map((column) => ({ line: 1, column, message: 'this column is missing' }))
  const seen = new Set<string>()
  const duplicate = header.find((name) => name !== '' && (seen.has(name) || !seen.add(name)))
  if (duplicate) return [{ line: 1, column: duplicate, message: 'this column appears twice' }]
  const body = rows
    .slice(1)
    .map((row, offset) => ({ line: offset + 2, row }))
    .filter(({ row }) => row.some((cell) => cell.trim() !== ''))
  return { header, body }
}

/**
 * Reads a lead CSV (one row per lead) into the JSON import's leads. Empty cells are left out;
 * the amount is in major units (`1200.50` EUR is 120050 cents); a column that is none of the
 * known ones is a field answer under its own name. Each lead's line is kept for errors.
 */
export function readLeadsCsv(rows: readonly string[][]): CsvRead<Record<string, unknown>> {
  const read = readHeader(rows, ['external_id', 'created_at'])
  if (Array.isArray(read)) return { ok: false, problems: read }
  const badNames = read.header.filter(
    (column) => column && !columnOf(LEAD_COLUMNS, column) && !FIELD_COLUMN.test(column),
  )
  if (badNames.length)
    return {
      ok: false,
      problems: badNames.map((column) => ({
        line: 1,
        column,
        message: 'not a known column, nor a field name (letters, digits and _, a letter first)',
      })),
    }
  const items = read.body.map(({ line, row }) => {
    const lead: Record<string, unknown> = { fields: {} }
    read.header.forEach((column, index) => {
      const cell = (row[index] ?? '').trim()
      if (!column || cell === '') return
      const target = columnOf(LEAD_COLUMNS, column) ?? `fields.${column}`
      setPath(lead, target, target === 'outcome.value.amount' ? minorUnits(cell) : cell)
    })
    return { line, value: lead }
  })
  return { ok: true, items }
}

/** Reads a touchpoint CSV (one row per touchpoint); `value` is read as a number. */
export function readTouchpointsCsv(rows: readonly string[][]): CsvRead<Record<string, unknown>> {
  const read = readHeader(rows, ['external_id', 'type', 'at', 'url'])
  if (Array.isArray(read)) return { ok: false, problems: read }
  const items = read.body.map(({ line, row }) => {
    const touchpoint: Record<string, unknown> = {}
    read.header.forEach((column, index) => {
      const cell = (row[index] ?? '').trim()
      const target = columnOf(TOUCHPOINT_COLUMNS, column)
      if (!target || cell === '') return
      touchpoint[target] = target === 'value' && /^\d{1,6}$/.test(cell) ? Number(cell) : cell
    })
    return { line, value: touchpoint }
  })
  return { ok: true, items }
}

/** Columns of a touchpoint CSV besides the known ones are refused: a typo would lose data. */
export function unknownTouchpointColumns(rows: readonly string[][]): string[] {
  return (rows[0] ?? [])
    .map(headerName)
    .filter((name) => name && !columnOf(TOUCHPOINT_COLUMNS, name))
}
