import type { LeadSubmissionResult } from '../../../shared/leads'
import { parseJson } from './json'
import { findLeadByEmailKeyStatement, type LeadRow } from './leads'

export interface StoredSubmission {
  nonce: string
  leadId: string | null
  formId: string
  response: LeadSubmissionResult
}

interface StoredSubmissionRow {
  nonce: string
  lead_id: string | null
  form_id: string
  response: string
}

function toStoredSubmission(row: StoredSubmissionRow): StoredSubmission {
  return {
    nonce: row.nonce,
    leadId: row.lead_id,
    formId: row.form_id,
    response: parseJson<LeadSubmissionResult>(row.response, {} as LeadSubmissionResult),
  }
}

/** Reads one submission: a statement to join a `db.batch`, read with {@link storedSubmissionOf}. */
export function findSubmissionStatement(
  db: D1Database,
  siteKey: string,
  submissionId: string,
): D1PreparedStatement {
  return db
    .prepare(
      'SELECT nonce, lead_id, form_id, response FROM submissions WHERE site_key = ?1 AND submission_id = ?2',
    )
    .bind(siteKey, submissionId)
}

/** The submission a {@link findSubmissionStatement} found in its batch, if any. */
export function storedSubmissionOf(result: D1Result | undefined): StoredSubmission | null {
  const row = result?.results[0] as StoredSubmissionRow | undefined
  return row ? toStoredSubmission(row) : null
}

export async function findSubmission(
  db: D1Database,
  siteKey: string,
  submissionId: string,
): Promise<StoredSubmission | null> {
  const row = await findSubmissionStatement(db, siteKey, submissionId).first<StoredSubmissionRow>()
  return row ? toStoredSubmission(row) : null
}

/**
 * What a new submission reads first, in one round trip: whether its id was stored already (a
 * replay) and, when its email could be read, the lead of that email (docs/scale.md#fewer-round-trips).
 */
export async function findSubmissionAndLead(
  db: D1Database,
  siteKey: string,
  submissionId: string,
  emailKey: string | null,
): Promise<{ submission: StoredSubmission | null; lead: LeadRow | null }> {
  const [submission, lead] = await db.batch([
    findSubmissionStatement(db, siteKey, submissionId),
    ...(emailKey === null ? [] : [findLeadByEmailKeyStatement(db, siteKey, emailKey)]),
  ])
  return {
    submission: storedSubmissionOf(submission),
    lead: (lead?.results[0] as LeadRow | undefined) ?? null,
  }
}

export interface SubmissionRow {
  submission_id: string
  form_id: string
  fields: string
  page_url: string
  created_at: string
}

export async function listLeadSubmissions(
  db: D1Database,
  leadId: string,
): Promise<SubmissionRow[]> {
  const { results } = await db
    .prepare(
      'SELECT submission_id, form_id, fields, page_url, created_at FROM submissions WHERE lead_id = ?1 ORDER BY created_at',
    )
    .bind(leadId)
    .all<SubmissionRow>()
  return results
}
