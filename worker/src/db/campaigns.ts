import { MAX_SPEND_TOTAL, type Campaign, type SpendEntry } from '../../../shared/campaigns'

interface CampaignRow {
  campaign_key: string
  name: string | null
  channel: string | null
  source: string | null
  medium: string | null
  created_at: string
  updated_at: string
}

function toCampaign(row: CampaignRow): Campaign {
  return {
    campaignKey: row.campaign_key,
    name: row.name,
    channel: row.channel,
    source: row.source,
    medium: row.medium,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

export async function findCampaign(
  db: D1Database,
  siteKey: string,
  campaignKey: string,
): Promise<Campaign | null> {
  const row = await db
    .prepare('SELECT * FROM campaigns WHERE site_key = ?1 AND campaign_key = ?2')
    .bind(siteKey, campaignKey)
    .first<CampaignRow>()
  return row ? toCampaign(row) : null
}

export interface CampaignWrite {
  siteKey: string
  campaignKey: string
  name: string | null
  channel: string | null
  source: string | null
  medium: string | null
  now: string
}

/** Creates or replaces a campaign's description; its spend stays as it is. */
export async function upsertCampaign(db: D1Database, campaign: CampaignWrite): Promise<void> {
  await db
    .prepare(
      `INSERT INTO campaigns (site_key, campaign_key, name, channel, source, medium, created_at, updated_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)
       ON CONFLICT (site_key, campaign_key) DO UPDATE SET
         name = excluded.name, channel = excluded.channel, source = excluded.source,
         medium = excluded.medium, updated_at = excluded.updated_at`,
    )
    .bind(
      campaign.siteKey,
      campaign.campaignKey,
      campaign.name,
      campaign.channel,
      campaign.source,
      campaign.medium,
      campaign.now,
    )
    .run()
}

/**
 * The currencies in which an import would take the site's spend past `MAX_SPEND_TOTAL`: what the
 * site has in that currency, less the days this import replaces, plus the import's own. Binds:
 * ?1 site, ?2 campaign, ?4 entries (JSON), ?5 the bound. Every stored total is within the bound
 * and an import adds at most 1000 × 10^13, so the sums stay far below 2^63.
 */
const CURRENCIES_OVER_BOUND = `SELECT n.currency FROM (
    SELECT e.value ->> 'currency' AS currency, SUM(e.value ->> 'amount') AS amount
    FROM json_each(?4) AS e GROUP BY 1
  ) AS n
  WHERE n.amount + COALESCE((
    SELECT SUM(s.amount) FROM campaign_spend AS s
    WHERE s.site_key = ?1 AND s.currency = n.currency
      AND NOT (s.campaign_key = ?2 AND s.day IN (SELECT e.value ->> 'date' FROM json_each(?4) AS e))
  ), 0) > ?5`

/**
 * Writes each day's spend, replacing what an earlier import said for the same
 * campaign and day (the primary key), so re-importing an ad platform's export
 * never counts twice. A campaign not configured yet is created bare, since
 * spend often arrives before anyone names the campaign. One batch: all days
 * land, or none. The days travel as one JSON parameter (D1 bounds the number
 * of bound parameters per statement). An import that would take the site's
 * spend in a currency past `MAX_SPEND_TOTAL` writes nothing (both statements
 * are guarded in the same transaction) and answers the currencies it would
 * have passed the bound in.
 */
export async function upsertSpend(
  db: D1Database,
  spend: { siteKey: string; campaignKey: string; entries: readonly SpendEntry[]; now: string },
): Promise<{ written: number; overBound: string[] }> {
  const binds = [
    spend.siteKey,
    spend.campaignKey,
    spend.now,
    JSON.stringify(spend.entries),
    MAX_SPEND_TOTAL,
  ] as const
  const within = `NOT EXISTS (${CURRENCIES_OVER_BOUND})`
  // One transaction: the check reads the state the two guarded writes see.
  const [over, , written] = await db.batch([
    db.prepare(CURRENCIES_OVER_BOUND).bind(...binds),
    db
      .prepare(
        `INSERT INTO campaigns (site_key, campaign_key, created_at, updated_at)
         SELECT ?1, ?2, ?3, ?3 WHERE ${within}
         ON CONFLICT (site_key, campaign_key) DO NOTHING`,
      )
      .bind(...binds),
    db
      .prepare(
        `INSERT INTO campaign_spend (site_key, campaign_key, day, amount, currency, updated_at)
         SELECT ?1, ?2, e.value ->> 'date', e.value ->> 'amount', e.value ->> 'currency', ?3
         FROM json_each(?4) AS e WHERE ${within}
         ON CONFLICT (site_key, campaign_key, day) DO UPDATE SET
           amount = excluded.amount, currency = excluded.currency, updated_at = excluded.updated_at`,
      )
      .bind(...binds),
  ])
  const overBound = (over!.results as { currency: string }[]).map((row) => row.currency)
  return { written: overBound.length ? 0 : (written?.meta.changes ?? 0), overBound }
}
