import type { LeadSubmissionResult } from '../../../shared/leads'
import { parseJson } from './json'

export interface StoredSubmission {
  nonce: string
  leadId: string | null
  formId: string
  response: LeadSubmissionResult
}

export async function findSubmission(
  db: D1Database,
  siteKey: string,
  submissionId: string,
): Promise<StoredSubmission | null> {
  const row = await db
    .prepare(
      'SELECT nonce, lead_id, form_id, response FROM submissions WHERE site_key = ?1 AND submission_id = ?2',
    )
    .bind(siteKey, submissionId)
    .first<{ nonce: string; lead_id: string | null; form_id: string; response: string }>()
  if (!row) return null
  return {
    nonce: row.nonce,
    leadId: row.lead_id,
    formId: row.form_id,
    response: parseJson<LeadSubmissionResult>(row.response, {} as LeadSubmissionResult),
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
