import type { FieldValue } from './normalize'

/** The contact data of a lead as one flat record of normalised values. */
export type LeadRecord = Record<string, FieldValue>

function isEmpty(value: FieldValue | undefined): boolean {
  return value === undefined || value === ''
}

/**
 * Later submissions merge into the lead: newer non-empty values win
 * (docs/completeness.md#merge-by-email).
 */
export function mergeRecords(existing: LeadRecord, incoming: LeadRecord): LeadRecord {
  const merged: LeadRecord = { ...existing }
  for (const [name, value] of Object.entries(incoming)) {
    if (!isEmpty(value)) merged[name] = value
  }
  return merged
}

/**
 * Which of the site's required fields the lead still lacks, in the site's order
 * (docs/completeness.md#completeness). A required field counts only where a form the lead
 * submitted asked for it: a lead is judged by what it was asked, so a newsletter signup, asked
 * for its email alone, is complete with it, and a whitepaper download that left the company
 * blank is not.
 *
 * @param asked the fields the lead was asked for: those of the form submitted now, plus the
 *   lead's stored `missing` (what earlier forms asked and it has not given yet; the fields it
 *   has given cannot be missing anyway)
 */
export function missingFields(
  record: LeadRecord,
  requiredFields: readonly string[],
  asked: readonly string[],
): string[] {
  return requiredFields.filter(
    (name) => asked.includes(name) && (isEmpty(record[name]) || record[name] === false),
  )
}
