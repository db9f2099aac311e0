import type { Rules } from '../../../shared/rules'
import type { StageModel } from '../../../shared/site'
import { parseEngagementState, resolveRules, temperatureAt } from '../domain/qualify'
import { parseJson } from './json'
import { purgeOldRefusals } from './origin-activity'

const HOUR = 3600 * 1000
const DAY = 24 * HOUR

export interface MaintenanceResult {
  salts: number
  hashes: number
  spam: number
  touchpoints: number
  tokens: number
  startTokens: number
  sessions: number
  temperatures: number
  refusals: number
  outbound: number
}

/**
 * The scheduled upkeep (docs/consent-and-privacy.md#retention, README "Privacy and security"):
 * - daily-hash salts are deleted 48 hours after they were made, and the
 *   hashes of that age are dropped from touchpoints, so no visitor can be
 *   followed across days;
 * - spam is purged after 30 days;
 * - anonymous touchpoints (never attached to a lead) after the site's retention;
 * - used or expired opt-in links;
 * - the record of which submission used a start token, once the token has expired
 *   (docs/spam-and-abuse.md#one-token-one-submission);
 * - app sessions that expired or were ended a day ago, and sign-in links used or expired
 *   (docs/app-sign-in.md#sessions);
 * - temperatures that cooled since the last touchpoint;
 * - records of refused origins 30 days after their last refusal (docs/app.md#install).
 */
export async function runMaintenance(db: D1Database, now: Date): Promise<MaintenanceResult> {
  const iso = (ms: number) => new Date(now.getTime() - ms).toISOString()
  const changes = (result: D1Result) => result.meta.changes ?? 0
  // The 48-hour promise first, each step on its own, so a slow step later cannot roll it back.
  const salts = changes(
    await db
      .prepare('DELETE FROM daily_salts WHERE created_at <= ?1')
      .bind(iso(48 * HOUR))
      .run(),
  )
  const hashes = await inChunks(
    db.prepare(
      `UPDATE touchpoints SET daily_hash = NULL WHERE seq IN (
         SELECT seq FROM touchpoints WHERE daily_hash IS NOT NULL AND received_at <= ?1 LIMIT ?2)`,
    ),
    [iso(48 * HOUR)],
  )
  const spam = await inChunks(
    db.prepare(
      'DELETE FROM spam WHERE id IN (SELECT id FROM spam WHERE created_at <= ?1 LIMIT ?2)',
    ),
    [iso(30 * DAY)],
  )
  const { results: sites } = await db
    .prepare('SELECT site_key, retention_days, rules, stage_model FROM sites')
    .all<{ site_key: string; retention_days: number; rules: string; stage_model: StageModel }>()
  let touchpoints = 0
  for (const site of sites) {
    touchpoints += await inChunks(
      db.prepare(
        `DELETE FROM touchpoints WHERE seq IN (
           SELECT seq FROM touchpoints WHERE site_key = ?1 AND lead_id IS NULL AND received_at <= ?2 LIMIT ?3)`,
      ),
      [site.site_key, iso(site.retention_days * DAY)],
    )
  }
  const tokens = changes(
    await db
      .prepare(
        `DELETE FROM lead_tokens WHERE purpose = 'optin' AND (used_at IS NOT NULL OR expires_at <= ?1)`,
      )
      .bind(now.toISOString())
      .run(),
  )
  const startTokens = await inChunks(
    db.prepare(
      `DELETE FROM start_token_uses WHERE token_sha256 IN (
         SELECT token_sha256 FROM start_token_uses WHERE expires_at <= ?1 LIMIT ?2)`,
    ),
    [now.toISOString()],
  )
  const sessions =
    changes(
      await db
        .prepare('DELETE FROM sessions WHERE expires_at <= ?1 OR revoked_at <= ?2')
        .bind(now.toISOString(), iso(DAY))
        .run(),
    ) +
    changes(
      await db
        .prepare('DELETE FROM sign_in_links WHERE used_at IS NOT NULL OR expires_at <= ?1')
        .bind(now.toISOString())
        .run(),
    )
  let temperatures = 0
  for (const site of sites) {
    const rules = resolveRules(parseJson<Rules>(site.rules, {}), site.stage_model)
    temperatures += changes(
      await db
        .prepare(
          `UPDATE leads SET temperature = ${TEMPERATURE_SQL}
           WHERE site_key = ?1 AND erased_at IS NULL AND temperature <> 'cold' AND temperature <> ${TEMPERATURE_SQL}`,
        )
        .bind(
          site.site_key,
          iso(rules.hotWindowDays * DAY),
          iso(rules.warmWindowDays * DAY),
          rules.hotThreshold,
        )
        .run(),
    )
    temperatures += await coolDecayedHotLeads(db, site.site_key, rules, now)
  }
  const refusals = await purgeOldRefusals(db, now)
  const outbound = await purgeSettledOutbound(db, iso(30 * DAY))
  return {
    salts,
    hashes,
    spam,
    touchpoints,
    tokens,
    startTokens,
    sessions,
    temperatures,
    refusals,
    outbound,
  }
}

/**
 * Temperature cools as time passes without a new touchpoint
 * (docs/stages-and-scoring.md#temperature); the same rule as `temperatureAt`, over the times kept
 * in the engagement state. ?2 is the start of the hot window, ?3 of the warm window, ?4 the
 * engagement hot needs, compared here with the score before decay (`coolDecayedHotLeads` then
 * cools the leads whose decayed engagement fell below it).
 */
const TEMPERATURE_SQL = `(CASE
  WHEN (COALESCE(json_extract(score_state, '$.lastIntentAt'), '') >= ?2
    OR COALESCE(json_extract(score_state, '$.lastPricingAt'), '') >= ?2)
    AND COALESCE(json_extract(score_state, '$.score'), 0) >= ?4 - 1e-9 THEN 'hot'
  WHEN COALESCE(json_extract(score_state, '$.lastInteractionAt'), '') >= ?3 THEN 'warm'
  ELSE 'cold' END)`

const CHUNK = 5000
/** Hot leads read per site and run to check their decayed engagement. */
const HOT_CHECKED = 2000

/** Hot leads whose engagement decayed below `hotThreshold`: cooled to what `temperatureAt` says. */
async function coolDecayedHotLeads(
  db: D1Database,
  siteKey: string,
  rules: ReturnType<typeof resolveRules>,
  now: Date,
): Promise<number> {
  const { results } = await db
    .prepare(
      `SELECT id, score_state FROM leads
       WHERE site_key = ?1 AND temperature = 'hot' AND erased_at IS NULL
       -- Least recently scored first: their engagement has decayed the most.
       ORDER BY json_extract(score_state, '$.ref') LIMIT ?2`,
    )
    .bind(siteKey, HOT_CHECKED)
    .all<{ id: string; score_state: string }>()
  const cooled = results
    .map((row) => ({
      id: row.id,
      now: temperatureAt(parseEngagementState(row.score_state), now, rules),
    }))
    .filter((row) => row.now !== 'hot')
  if (!cooled.length) return 0
  const update = db.prepare(
    "UPDATE leads SET temperature = ?2 WHERE id = ?1 AND temperature = 'hot'",
  )
  const done = await db.batch(cooled.map((row) => update.bind(row.id, row.now)))
  return done.reduce((total, result) => total + (result.meta.changes ?? 0), 0)
}

/** Runs a bounded statement (last bind: the chunk size) until it changes nothing. */
async function inChunks(statement: D1PreparedStatement, binds: unknown[]): Promise<number> {
  let total = 0
  for (let round = 0; round < 200; round++) {
    const changed = (await statement.bind(...binds, CHUNK).run()).meta.changes ?? 0
    total += changed
    if (changed < CHUNK) break
  }
  return total
}

/**
 * Outbound deliveries settled 30 days ago go with their attempts, and then the events left with
 * no delivery (docs/outbound.md#retention): their payloads held the lead as it was then. A pending
 * delivery keeps its event however old.
 */
async function purgeSettledOutbound(db: D1Database, before: string): Promise<number> {
  const settled = `SELECT delivery_id FROM outbound_deliveries
    WHERE status <> 'pending' AND updated_at <= ?1 LIMIT ?2`
  await inChunks(
    db.prepare(
      `DELETE FROM outbound_attempts WHERE id IN (
         SELECT a.id FROM outbound_attempts a JOIN outbound_deliveries d ON d.delivery_id = a.delivery_id
         WHERE d.status <> 'pending' AND d.updated_at <= ?1 LIMIT ?2)`,
    ),
    [before],
  )
  const deliveries = await inChunks(
    db.prepare(`DELETE FROM outbound_deliveries WHERE delivery_id IN (${settled})`),
    [before],
  )
  const events = await inChunks(
    db.prepare(
      `DELETE FROM outbound_events WHERE event_id IN (
         SELECT e.event_id FROM outbound_events e WHERE e.created_at <= ?1
           AND NOT EXISTS (SELECT 1 FROM outbound_deliveries d WHERE d.event_id = e.event_id)
         LIMIT ?2)`,
    ),
    [before],
  )
  return deliveries + events
}
