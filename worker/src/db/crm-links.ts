import type { EndpointKind } from '../../../shared/vocabulary'
import { parseJson } from './json'

/**
 * What a CRM calls a lead (migrations/0019_create_outbound.sql, docs/outbound.md#crm): the HubSpot
 * contact id, the Pipedrive person id with its Pipedrive lead, and the event version last pushed,
 * so a replay or a retry updates the same record instead of making another.
 */
export interface CrmLink {
  externalId: string
  extra: CrmLinkExtra
}

export interface CrmLinkExtra {
  /** The lead's event version last pushed: an older event arriving late is not pushed. */
  version?: number
  /** Pipedrive: the lead (a Pipedrive "lead", not a person) made for this person, once. */
  leadId?: string
}

export async function findCrmLink(
  db: D1Database,
  siteKey: string,
  leadId: string,
  kind: EndpointKind,
): Promise<CrmLink | null> {
  const row = await db
    .prepare(
      'SELECT external_id, extra FROM crm_links WHERE site_key = ?1 AND lead_id = ?2 AND kind = ?3',
    )
    .bind(siteKey, leadId, kind)
    .first<{ external_id: string; extra: string }>()
  return row ? { externalId: row.external_id, extra: parseJson<CrmLinkExtra>(row.extra, {}) } : null
}

/** Stores the link, merging `extra` into what is there (a new external id replaces the old). */
export async function saveCrmLink(
  db: D1Database,
  link: { siteKey: string; leadId: string; kind: EndpointKind; externalId: string },
  extra: CrmLinkExtra,
  now: string,
): Promise<void> {
  await db
    .prepare(
      `INSERT INTO crm_links (site_key, lead_id, kind, external_id, extra, created_at)
       SELECT ?1, ?2, ?3, ?4, ?5, ?6
       -- A push still under way when the lead was erased leaves no link behind.
       WHERE EXISTS (SELECT 1 FROM leads WHERE id = ?2 AND site_key = ?1 AND erased_at IS NULL)
       ON CONFLICT (site_key, lead_id, kind) DO UPDATE SET
         external_id = excluded.external_id,
         extra = json_patch(crm_links.extra, excluded.extra)`,
    )
    .bind(link.siteKey, link.leadId, link.kind, link.externalId, JSON.stringify(extra), now)
    .run()
}

export async function deleteCrmLink(
  db: D1Database,
  siteKey: string,
  leadId: string,
  kind: EndpointKind,
): Promise<void> {
  await db
    .prepare('DELETE FROM crm_links WHERE site_key = ?1 AND lead_id = ?2 AND kind = ?3')
    .bind(siteKey, leadId, kind)
    .run()
}
