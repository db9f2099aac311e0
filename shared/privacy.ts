import { z } from 'zod'
import { CONSENT_LINKS_EXAMPLE, LEAD_ERASED_EXAMPLE, LEAD_EXPORT_EXAMPLE } from './examples/privacy'

/** The answers of the admin privacy routes: erasure, export and consent links of one lead. */

/** `DELETE .../leads/{leadId}`: the lead is erased. */
export const LeadErasedSchema = z
  .object({ leadId: z.string(), erasedAt: z.string() })
  .meta({ example: LEAD_ERASED_EXAMPLE })
export type LeadErased = z.infer<typeof LeadErasedSchema>

/** Rows as stored, so snake_case columns and JSON kept as text. */
const Rows = z.array(z.record(z.string(), z.unknown()))
/** `GET .../leads/{leadId}/export`: every row that belongs to the lead, as stored. */
export const LeadExportSchema = z
  .object({
    exportedAt: z.string(),
    siteKey: z.string(),
    leadId: z.string(),
    lead: z.record(z.string(), z.unknown()).nullable(),
    submissions: Rows,
    consents: Rows,
    touchpoints: Rows,
    stageHistory: Rows,
    visitorIds: Rows,
    mails: Rows,
  })
  .meta({ example: LEAD_EXPORT_EXAMPLE })
export type LeadExport = z.infer<typeof LeadExportSchema>

/** `POST .../leads/{leadId}/consent-link`: links for mails the site sends itself. */
export const ConsentLinksSchema = z
  .object({ receiptUrl: z.string(), withdrawUrl: z.string() })
  .meta({ example: CONSENT_LINKS_EXAMPLE })
export type ConsentLinks = z.infer<typeof ConsentLinksSchema>
