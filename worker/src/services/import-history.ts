import { firstText, type Form, type FormField } from '../../../shared/form'
import type {
  ImportLead,
  ImportResult,
  ImportTouchpoint,
  ImportTouchpointRow,
} from '../../../shared/import'
import type { Site, Stage } from '../../../shared/site'
import { B2B_STAGES, B2C_STAGES } from '../../../shared/vocabulary'
import {
  findLeadByExternalId,
  insertImportedConsent,
  insertImportedLead,
  insertRuleStep,
  storedEventIds,
  updateImportedLead,
  type ImportedLeadWrite,
} from '../db/import'
import { listForms } from '../db/forms'
import { parseJson } from '../db/json'
import {
  findLead,
  findLeadByEmailKey,
  toLeadRecord,
  toLeadTouches,
  type LeadRow,
} from '../db/leads'
import { applyManualStage } from '../db/stage-change'
import { touchpointInsert, type InsertedTouchpoint, type TouchpointWrite } from '../db/touchpoints'
import { campaignKey, NO_TOUCH, updateTouches, type TouchCandidate } from '../domain/attribution'
import { mergeRecords, missingFields, type LeadRecord } from '../domain/lead-record'
import { normaliseFields, type NormalisedEmail } from '../domain/normalize'
import {
  classify,
  parseEngagementState,
  resolveRules,
  serializeEngagementState,
  type StageStep,
  type Touchpoint,
} from '../domain/qualify'
import { originAndPath } from '../domain/url'
import { sha256Hex } from '../lib/crypto'
import { toQualifyTouchpoint, toTouchCandidate } from './touchpoint-facts'

/** One refused part of an import: the lead's (or row's) index and the path inside it. */
export interface ImportError {
  index: number
  path: string
  message: string
}

export class ImportRefused extends Error {
  constructor(readonly errors: ImportError[]) {
    super('import refused')
  }
}

const STAGES_OF = { b2b: B2B_STAGES, b2c: B2C_STAGES } as const
const MAX_ATTEMPTS = 3

/** How the standard fields are read when no form of the lead defines them. */
const STANDARD_TYPES: Partial<Record<string, FormField['type']>> = {
  email: 'email',
  phone: 'tel',
  website: 'url',
  message: 'textarea',
}

/**
 * The fields an imported lead's answers are normalised against (docs/import.md#fields): its
 * form's, then the standard fields, then any other name as a line of text (or a checkbox for
 * `true`/`false`). Read as a submission's are (docs/completeness.md#normalisation).
 */
function fieldsFor(form: Form | undefined, answers: Record<string, string | boolean>): FormField[] {
  const byName = new Map((form?.fields ?? []).map((field) => [field.name, field]))
  for (const [name, value] of Object.entries(answers)) {
    if (byName.has(name)) continue
    const type = typeof value === 'boolean' ? 'checkbox' : (STANDARD_TYPES[name] ?? 'text')
    byName.set(name, { name, type, required: false, label: name } as FormField)
  }
  return [...byName.values()]
}

/** A CSV cell of a checkbox field: `true`/`false`, `yes`/`no`, `1`/`0`. */
function asCheckbox(value: string | boolean): string | boolean {
  if (typeof value === 'boolean') return value
  const folded = value.trim().toLowerCase()
  if (['true', 'yes', 'ja', '1', 'x'].includes(folded)) return true
  if (['false', 'no', 'nein', '0', ''].includes(folded)) return false
  return value
}

/**
 * A stable event id for an imported touchpoint: the same lead, type, time and page give the same
 * id, so an import sent again stores nothing twice (`UNIQUE (site_key, event_id)`). Shaped as a
 * UUID (version 8, name-based) like the widget's ids.
 */
export async function importedEventId(
  externalId: string,
  touchpoint: Pick<ImportTouchpoint, 'type' | 'at' | 'url'>,
): Promise<string> {
  const time = new Date(touchpoint.at).toISOString()
  const hex = await sha256Hex(
    `lodestone-import\n${externalId}\n${touchpoint.type}\n${time}\n${originAndPath(touchpoint.url)}`,
  )
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16)
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`
}

/** Campaign parameters of a touchpoint's URL (as the widget reads them from the page). */
function utmOf(
  url: string,
): Pick<TouchpointWrite, 'utmSource' | 'utmMedium' | 'utmCampaign' | 'utmTerm' | 'utmContent'> {
  const params = new URL(url).searchParams
  const get = (name: string) => params.get(name)?.trim().slice(0, 200) || null
  return {
    utmSource: get('utm_source'),
    utmMedium: get('utm_medium'),
    utmCampaign: campaignKey(get('utm_campaign')),
    utmTerm: get('utm_term'),
    utmContent: get('utm_content'),
  }
}

/** Imported touchpoints as the events endpoint stores them, but at the time given. */
async function toWrites(
  externalId: string,
  touchpoints: readonly ImportTouchpoint[],
): Promise<(TouchpointWrite & { value: number | null })[]> {
  const writes = new Map<string, TouchpointWrite & { value: number | null }>()
  for (const touchpoint of touchpoints) {
    const eventId = await importedEventId(externalId, touchpoint)
    writes.set(eventId, {
      eventId,
      type: touchpoint.type,
      occurredAt: new Date(touchpoint.at).toISOString(),
      url: originAndPath(touchpoint.url),
      path: new URL(touchpoint.url).pathname,
      referrer: null,
      ...utmOf(touchpoint.url),
      formId: touchpoint.formId ?? null,
      props: null,
      // Seconds of `engaged_time`, read once the touchpoints table keeps them.
      value: touchpoint.value ?? null,
    })
  }
  return [...writes.values()]
}

const asRow = (write: TouchpointWrite & { value: number | null }) => ({
  type: write.type,
  occurred_at: write.occurredAt,
  path: write.path,
  form_id: write.formId,
  value: write.value,
  utm_source: write.utmSource,
  utm_medium: write.utmMedium,
  utm_campaign: write.utmCampaign,
})

/** A lead checked and normalised, with what it is to be matched against. */
interface CheckedLead {
  input: ImportLead
  form: Form | undefined
  values: LeadRecord
  email: NormalisedEmail
  existing: LeadRow | null
}

/**
 * Checks every lead before anything is written: forms and stages of the site, fields normalised
 * like a submission's, and that the email and external id name the same lead. Throws
 * `ImportRefused` with every error found.
 */
async function checkLeads(
  db: D1Database,
  site: Site,
  forms: ReadonlyMap<string, Form>,
  leads: readonly ImportLead[],
  csv: boolean,
): Promise<CheckedLead[]> {
  const errors: ImportError[] = []
  const checked: CheckedLead[] = []
  /** Email key → external id, within this request: one person is one lead. */
  const emails = new Map<string, string>()
  for (const [index, lead] of leads.entries()) {
    const fail = (path: string, message: string) => errors.push({ index, path, message })
    const form = lead.formId ? forms.get(lead.formId) : undefined
    if (lead.formId && !form) fail('formId', 'is not a form of this site')
    lead.touchpoints?.forEach((touchpoint, at) => {
      if (touchpoint.formId && !forms.has(touchpoint.formId))
        fail(`touchpoints.${at}.formId`, 'is not a form of this site')
    })
    if (
      lead.outcome &&
      !(STAGES_OF[site.stageModel] as readonly string[]).includes(lead.outcome.stage)
    )
      fail('outcome.stage', `is not a stage of the ${site.stageModel} model`)
    const definitions = fieldsFor(form, lead.fields)
    const answers = csv
      ? Object.fromEntries(
          Object.entries(lead.fields).map(([name, value]) => [
            name,
            definitions.find((field) => field.name === name)?.type === 'checkbox'
              ? asCheckbox(value)
              : value,
          ]),
        )
      : lead.fields
    const normalised = normaliseFields(definitions, answers, site.country, {
      // A person vouches for an imported address, as for a released spam submission.
      allowDisposable: true,
    })
    if (!normalised.ok) {
      for (const error of normalised.errors)
        fail(error.path, typeof error.message === 'string' ? error.message : error.message.en)
      continue
    }
    if (!normalised.email) {
      fail('fields.email', 'an imported lead needs its email address')
      continue
    }
    const earlier = emails.get(normalised.email.key)
    if (earlier !== undefined && earlier !== lead.externalId) {
      fail('fields.email', `is the email of externalId ${earlier} in this import too`)
      continue
    }
    emails.set(normalised.email.key, lead.externalId)
    const byExternal = await findLeadByExternalId(db, site.siteKey, lead.externalId)
    const byEmail = await findLeadByEmailKey(db, site.siteKey, normalised.email.key)
    const taken = byEmail as (LeadRow & { external_id: string | null }) | null
    if (byExternal && byEmail && byExternal.id !== byEmail.id)
      fail('fields.email', 'belongs to another lead than this externalId')
    else if (!byExternal && taken?.external_id && taken.external_id !== lead.externalId)
      fail('externalId', 'the lead with this email was imported under another externalId')
    checked.push({
      input: lead,
      form,
      values: normalised.values,
      email: normalised.email,
      existing: byExternal ?? byEmail,
    })
  }
  if (errors.length) throw new ImportRefused(errors)
  return checked
}

const later = (a: string, b: string) => (Date.parse(a) >= Date.parse(b) ? a : b)
const earlier = (a: string, b: string) => (Date.parse(a) <= Date.parse(b) ? a : b)

/**
 * When rule steps of an import happened: the first (a new lead entering the model) when the lead
 * was created, later ones at the latest touchpoint that moved it (the engine does not say which).
 */
function stepTimes(steps: readonly StageStep[], createdAt: string, latest: string): string[] {
  return steps.map((step) => (step.from === null ? createdAt : later(latest, createdAt)))
}

/**
 * Imports past leads (docs/import.md): each found by its external id, else by its email, else
 * created at its `createdAt`; touchpoints stored at their times with stable ids; the score
 * computed by the classification from the imported touchpoints; consents into the ledger marked
 * `import`; the outcome a manual stage change dated as given.
 */
export async function importLeads(
  db: D1Database,
  site: Site,
  leads: readonly ImportLead[],
  actor: string,
  options: { csv?: boolean } = {},
): Promise<ImportResult> {
  const forms = new Map((await listForms(db, site)).map((form) => [form.formId, form]))
  const checked = await checkLeads(db, site, forms, leads, options.csv ?? false)
  const result: ImportResult = {
    created: 0,
    updated: 0,
    unchanged: 0,
    touchpoints: 0,
    duplicates: 0,
  }
  for (const lead of checked) {
    const writes = await toWrites(lead.input.externalId, lead.input.touchpoints ?? [])
    let outcome: 'created' | null = null
    let leadId = lead.existing?.id ?? null
    if (!lead.existing) {
      const created = await createLead(db, site, forms, lead, writes)
      if (created !== null) {
        result.touchpoints += created.stored
        result.duplicates += writes.length - created.stored
        outcome = 'created'
        leadId = created.id
      } else {
        // Another request created it meanwhile: it is found again below.
        lead.existing =
          (await findLeadByExternalId(db, site.siteKey, lead.input.externalId)) ??
          (await findLeadByEmailKey(db, site.siteKey, lead.email.key))
        leadId = lead.existing?.id ?? null
      }
    }
    let changed = false
    if (outcome === null && lead.existing) {
      const inserted = await insertTouchpoints(db, site.siteKey, lead.existing.id, writes)
      result.touchpoints += inserted.length
      result.duplicates += writes.length - inserted.length
      changed = await updateLead(db, site, forms, lead, lead.existing.id, inserted)
      changed = (await addConsents(db, site.siteKey, lead.existing.id, lead.input)) || changed
    }
    if (leadId)
      changed = (await applyOutcome(db, site.siteKey, leadId, lead.input, actor)) || changed
    result[outcome ?? (changed ? 'updated' : 'unchanged')] += 1
  }
  return result
}

function insertTouchpoints(
  db: D1Database,
  siteKey: string,
  leadId: string,
  writes: readonly TouchpointWrite[],
): Promise<InsertedTouchpoint[]> {
  if (!writes.length) return Promise.resolve([])
  return touchpointInsert(db, {
    siteKey,
    receivedAt: new Date().toISOString(),
    visitorId: null,
    dailyHash: null,
    leadId,
    rows: [...writes],
  })
    .all<InsertedTouchpoint>()
    .then((answer) => answer.results)
}

/** What the classification reads of imported touchpoints, and the lead's own form submission. */
function qualifyTouchpoints(
  rows: readonly Parameters<typeof toQualifyTouchpoint>[0][],
  forms: ReadonlyMap<string, Form>,
  submission: { form: Form | undefined; at: string } | null,
): Touchpoint[] {
  const touchpoints = rows.map((row) => toQualifyTouchpoint(row, forms))
  if (submission?.form)
    // The lead came in through this form, as a submission would score it (planCapture).
    touchpoints.push({
      type: 'form_submit',
      at: submission.at,
      path: '/',
      formId: submission.form.formId,
      formKind: submission.form.kind,
      title: firstText(submission.form, submission.form.title),
    })
  return touchpoints
}

/**
 * Creates a lead new to the site with its touchpoints, rule steps and consents in one batch.
 * Answers the touchpoints stored, or `null` when the lead exists after all (a concurrent import
 * or submission took its email or external id first).
 */
async function createLead(
  db: D1Database,
  site: Site,
  forms: ReadonlyMap<string, Form>,
  lead: CheckedLead,
  writes: readonly (TouchpointWrite & { value: number | null })[],
): Promise<{ id: string; stored: number } | null> {
  const { input } = lead
  const now = new Date()
  const createdAt = new Date(input.createdAt).toISOString()
  const known = await storedEventIds(
    db,
    site.siteKey,
    writes.map((write) => write.eventId),
  )
  const fresh = writes.filter((write) => !known.has(write.eventId))
  const record = { ...lead.values, email: lead.email.email }
  // Judged by what it was asked (docs/completeness.md#completeness): its form's fields, if named.
  const missing = missingFields(
    record,
    site.requiredFields,
    (lead.form?.fields ?? []).map((field) => field.name),
  )
  const rows = fresh.map(asRow)
  const submissionTouch: TouchCandidate = {
    source: input.utm?.source?.trim() || null,
    medium: input.utm?.medium?.trim() || null,
    campaign: campaignKey(input.utm?.campaign),
    at: createdAt,
  }
  const touches = updateTouches({ first: NO_TOUCH, last: NO_TOUCH }, [
    ...rows.map(toTouchCandidate),
    submissionTouch,
  ])
  const classification = classify({
    model: site.stageModel,
    rules: resolveRules(site.rules, site.stageModel),
    fields: record,
    missing,
    state: parseEngagementState('{}'),
    touchpoints: qualifyTouchpoints(rows, forms, { form: lead.form, at: createdAt }),
    firstTouch: { source: touches.first.source, medium: touches.first.medium },
    now,
  })
  const times = rows.map((row) => row.occurred_at)
  const latest = times.reduce(later, createdAt)
  const stepsAt = stepTimes(classification.changes, createdAt, latest)
  const id = crypto.randomUUID()
  const write: ImportedLeadWrite = {
    id,
    siteKey: site.siteKey,
    externalId: input.externalId,
    emailKey: lead.email.key,
    email: lead.email.email,
    emailDomain: lead.email.domain,
    record,
    complete: missing.length === 0,
    missing,
    stage: classification.stage,
    stageChangedAt: stepsAt.at(-1) ?? createdAt,
    temperature: classification.temperature,
    fit: classification.fit,
    engagement: classification.engagement,
    reasons: classification.reasons,
    state: serializeEngagementState(classification.state),
    touches,
    firstSeenAt: times.reduce(earlier, createdAt),
    createdAt,
    now: now.toISOString(),
  }
  const statements = [
    insertImportedLead(db, write),
    ...classification.changes.map((step, index) =>
      insertRuleStep(db, { ...step, siteKey: site.siteKey, leadId: id }, stepsAt[index]!, 'true'),
    ),
    ...(fresh.length
      ? [
          touchpointInsert(db, {
            siteKey: site.siteKey,
            receivedAt: now.toISOString(),
            visitorId: null,
            dailyHash: null,
            leadId: id,
            rows: fresh,
          }),
        ]
      : []),
    ...(input.consents ?? []).map((consent) =>
      insertImportedConsent(db, {
        siteKey: site.siteKey,
        leadId: id,
        purpose: consent.purpose,
        granted: consent.granted,
        formId: input.formId ?? null,
        at: new Date(consent.at).toISOString(),
      }),
    ),
  ]
  try {
    const answers = await db.batch(statements)
    const insert = fresh.length ? answers[1 + classification.changes.length] : undefined
    return { id, stored: insert?.results.length ?? 0 }
  } catch (error) {
    if (error instanceof Error && /UNIQUE constraint failed: leads\./.test(error.message))
      return null
    throw error
  }
}

/**
 * A lead found again: imported touchpoints new to it are scored into its engagement state (the
 * incremental classification the events endpoint runs), its fields merged with what it has
 * winning (nothing stored is lost), its external id kept. Answers whether anything changed.
 */
async function updateLead(
  db: D1Database,
  site: Site,
  forms: ReadonlyMap<string, Form>,
  lead: CheckedLead,
  leadId: string,
  inserted: readonly InsertedTouchpoint[],
): Promise<boolean> {
  const { input } = lead
  const createdAt = new Date(input.createdAt).toISOString()
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const row = (await findLead(db, site.siteKey, leadId)) as
      (LeadRow & { external_id: string | null }) | null
    if (!row || !row.email_key || !row.email) return false
    const stored = toLeadRecord(row)
    const record = mergeRecords({ ...lead.values, email: row.email }, stored)
    const storedMissing = parseJson<string[]>(row.missing, [])
    const missing = missingFields(record, site.requiredFields, [
      ...(lead.form?.fields ?? []).map((field) => field.name),
      ...storedMissing,
    ])
    const same =
      inserted.length === 0 &&
      row.external_id === input.externalId &&
      JSON.stringify(Object.entries(record).sort()) ===
        JSON.stringify(Object.entries(stored).sort()) &&
      Date.parse(row.created_at) <= Date.parse(createdAt)
    if (same) return false
    const now = new Date()
    const classification = classify({
      model: site.stageModel,
      rules: resolveRules(site.rules, site.stageModel),
      stage: row.stage as Stage,
      stageSetBy: row.stage_set_by as 'rule' | 'manual',
      fields: record,
      missing,
      state: parseEngagementState(row.score_state),
      touchpoints: qualifyTouchpoints(inserted, forms, null),
      firstTouch: { source: row.first_source, medium: row.first_medium },
      now,
    })
    const latest = inserted.map((t) => t.occurred_at).reduce(later, row.created_at)
    const stepsAt = stepTimes(classification.changes, createdAt, latest)
    const write: ImportedLeadWrite = {
      id: leadId,
      siteKey: site.siteKey,
      externalId: input.externalId,
      emailKey: row.email_key,
      email: row.email,
      emailDomain: row.email_domain ?? lead.email.domain,
      record,
      complete: missing.length === 0,
      missing,
      stage: classification.stage,
      stageChangedAt: stepsAt.at(-1) ?? now.toISOString(),
      temperature: classification.temperature,
      fit: classification.fit,
      engagement: classification.engagement,
      reasons: classification.reasons,
      state: serializeEngagementState(classification.state),
      touches: updateTouches(toLeadTouches(row), inserted.map(toTouchCandidate)),
      firstSeenAt: inserted.map((t) => t.occurred_at).reduce(earlier, row.first_seen_at),
      createdAt,
      now: now.toISOString(),
    }
    const [update] = await db.batch([
      updateImportedLead(db, write, row.version),
      ...classification.changes.map((step, index) =>
        insertRuleStep(
          db,
          { ...step, siteKey: site.siteKey, leadId },
          stepsAt[index]!,
          'changes() = 1',
        ),
      ),
    ])
    // D1 counts the rows the daily-rollup triggers write (migration 0023) in `changes` too.
    if ((update?.meta.changes ?? 0) > 0) return true
  }
  return false
}

async function addConsents(
  db: D1Database,
  siteKey: string,
  leadId: string,
  input: ImportLead,
): Promise<boolean> {
  if (!input.consents?.length) return false
  const answers = await db.batch(
    input.consents.map((consent) =>
      insertImportedConsent(db, {
        siteKey,
        leadId,
        purpose: consent.purpose,
        granted: consent.granted,
        formId: input.formId ?? null,
        at: new Date(consent.at).toISOString(),
      }),
    ),
  )
  return answers.some((answer) => answer.meta.changes > 0)
}

/**
 * The outcome as a manual stage change dated as given (docs/import.md#outcomes), through the
 * stage-change code people use. A lead already in that stage takes nothing; a stage a person set
 * after the outcome's time stands.
 */
async function applyOutcome(
  db: D1Database,
  siteKey: string,
  leadId: string,
  input: ImportLead,
  actor: string,
): Promise<boolean> {
  const outcome = input.outcome
  if (!outcome) return false
  const at = new Date(outcome.at).toISOString()
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const lead = await findLead(db, siteKey, leadId)
    if (!lead || lead.stage === outcome.stage) return false
    if (lead.stage_set_by === 'manual' && Date.parse(lead.stage_changed_at) > Date.parse(at))
      return false
    const applied = await applyManualStage(db, {
      siteKey,
      leadId,
      expectedVersion: lead.version,
      from: lead.stage,
      to: outcome.stage,
      tokenId: actor,
      reason: 'imported',
      value: outcome.value ?? null,
      now: new Date().toISOString(),
      at,
    })
    if (applied !== null) return true
  }
  return false
}

/**
 * Touchpoints of a touchpoint CSV (docs/import.md#touchpoint-csv): each joins the lead imported
 * before under its external id, at its time, scored into the lead like those of a lead import.
 */
export async function importTouchpoints(
  db: D1Database,
  site: Site,
  rows: readonly ImportTouchpointRow[],
): Promise<ImportResult> {
  const forms = new Map((await listForms(db, site)).map((form) => [form.formId, form]))
  const errors: ImportError[] = []
  const byLead = new Map<string, { lead: LeadRow; touchpoints: ImportTouchpoint[] }>()
  for (const [index, row] of rows.entries()) {
    if (row.formId && !forms.has(row.formId))
      errors.push({ index, path: 'formId', message: 'is not a form of this site' })
    const { externalId, ...touchpoint } = row
    let entry = byLead.get(externalId)
    if (!entry) {
      const lead = await findLeadByExternalId(db, site.siteKey, externalId)
      if (!lead) {
        errors.push({ index, path: 'externalId', message: 'no lead was imported under this id' })
        continue
      }
      entry = { lead, touchpoints: [] }
      byLead.set(externalId, entry)
    }
    entry.touchpoints.push(touchpoint)
  }
  if (errors.length) throw new ImportRefused(errors)
  const result: ImportResult = {
    created: 0,
    updated: 0,
    unchanged: 0,
    touchpoints: 0,
    duplicates: 0,
  }
  for (const [externalId, { lead, touchpoints }] of byLead) {
    const writes = await toWrites(externalId, touchpoints)
    const inserted = await insertTouchpoints(db, site.siteKey, lead.id, writes)
    result.touchpoints += inserted.length
    result.duplicates += writes.length - inserted.length
    const checked: CheckedLead = {
      input: { externalId, createdAt: lead.created_at, fields: {} },
      form: undefined,
      values: {},
      email: {
        email: lead.email ?? '',
        key: lead.email_key ?? '',
        domain: lead.email_domain ?? '',
      },
      existing: lead,
    }
    const changed = inserted.length
      ? await updateLead(db, site, forms, checked, lead.id, inserted)
      : false
    result[changed || inserted.length ? 'updated' : 'unchanged'] += 1
  }
  return result
}
