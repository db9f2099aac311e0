const HOUR = 3600 * 1000
const DAY = 24 * HOUR

export interface MaintenanceResult {
  salts: number
  hashes: number
  spam: number
  touchpoints: number
  tokens: number
}

/**
 * The scheduled upkeep of SPEC §4 and §6 (see README, "Privacy and security"):
 * - daily-hash salts are deleted 48 hours after they were made, and the
 *   hashes of that age are dropped from touchpoints, so no visitor can be
 *   followed across days;
 * - spam is purged after 30 days;
 * - anonymous touchpoints (never attached to a lead) after the site's retention;
 * - used or expired opt-in links.
 */
export async function runMaintenance(db: D1Database, now: Date): Promise<MaintenanceResult> {
  const iso = (ms: number) => new Date(now.getTime() - ms).toISOString()
  const { results: sites } = await db
    .prepare('SELECT site_key, retention_days FROM sites')
    .all<{ site_key: string; retention_days: number }>()
  const results = await db.batch([
    db.prepare('DELETE FROM daily_salts WHERE created_at <= ?1').bind(iso(48 * HOUR)),
    db
      .prepare('UPDATE touchpoints SET daily_hash = NULL WHERE daily_hash IS NOT NULL AND received_at <= ?1')
      .bind(iso(48 * HOUR)),
    db.prepare('DELETE FROM spam WHERE created_at <= ?1').bind(iso(30 * DAY)),
    ...sites.map((site) =>
      db
        .prepare('DELETE FROM touchpoints WHERE site_key = ?1 AND lead_id IS NULL AND received_at <= ?2')
        .bind(site.site_key, iso(site.retention_days * DAY)),
    ),
    db
      .prepare(
        `DELETE FROM lead_tokens WHERE purpose = 'optin' AND (used_at IS NOT NULL OR expires_at <= ?1)`,
      )
      .bind(now.toISOString()),
  ])
  const changes = results.map((result) => result.meta.changes ?? 0)
  const touchpoints = changes.slice(3, 3 + sites.length).reduce((a, b) => a + b, 0)
  return {
    salts: changes[0] ?? 0,
    hashes: changes[1] ?? 0,
    spam: changes[2] ?? 0,
    touchpoints,
    tokens: changes[3 + sites.length] ?? 0,
  }
}
