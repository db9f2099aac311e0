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

/** Which of the site's required fields the record still lacks, in the site's order. */
export function missingFields(record: LeadRecord, requiredFields: readonly string[]): string[] {
  return requiredFields.filter((name) => isEmpty(record[name]) || record[name] === false)
}
