import type { InboundSource } from '../../../shared/deals'

/**
 * The keys CRMs post won deals with (migration 0020, docs/inbound-deals.md): one per site and
 * source, kept as its SHA-256 only.
 */

export interface InboundKeyRow {
  site_key: string
  source: InboundSource
  key_sha256: string
  created_at: string
  rotated_at: string | null
}

export async function findInboundKey(
  db: D1Database,
  siteKey: string,
  source: InboundSource,
): Promise<InboundKeyRow | null> {
  return db
    .prepare('SELECT * FROM inbound_keys WHERE site_key = ?1 AND source = ?2')
    .bind(siteKey, source)
    .first<InboundKeyRow>()
}

/** Creates the key, or replaces it (a rotation: the old key stops working at once). */
export async function putInboundKey(
  db: D1Database,
  siteKey: string,
  source: InboundSource,
  keySha256: string,
  now: string,
): Promise<InboundKeyRow> {
  const row = await db
    .prepare(
      `INSERT INTO inbound_keys (site_key, source, key_sha256, created_at) VALUES (?1, ?2, ?3, ?4)
       ON CONFLICT (site_key, source) DO UPDATE SET key_sha256 = excluded.key_sha256, rotated_at = ?4
       RETURNING *`,
    )
    .bind(siteKey, source, keySha256, now)
    .first<InboundKeyRow>()
  return row!
}
