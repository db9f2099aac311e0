import {
  MAX_CAMPAIGNS_LISTED,
  MAX_SPEND_TOTAL,
  type Campaign,
  type CampaignListItem,
  type SpendEntry,
  type StoredSpendEntry,
} from '../../../shared/campaigns'

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

/**
 * A site's campaigns (docs/spend-import.md#campaigns): every stored campaign (named, or created
 * bare by a spend import) and every key a lead carries as its first or last campaign touch, so
 * the list has each campaign the report can show a row for. Keys only in touchpoints that never
 * joined a lead are left out: the report never shows them. Each with its spend per currency in
 * `[from, to]`. Binds: ?1 site, ?2 limit. The lead keys are read through the indexes
 * `leads_site_first_campaign` and `leads_site_last_campaign` by skipping from one
 * key to the next (each step one index seek for the next larger key), so a site
 * with 100,000 leads in 50 campaigns costs about 100 seeks, not 200,000 index entries.
 */
const CAMPAIGN_KEYS_SQL = `WITH RECURSIVE
  firsts(k) AS (
    SELECT (SELECT MIN(first_campaign) FROM leads WHERE site_key = ?1)
    UNION ALL SELECT (SELECT MIN(first_campaign) FROM leads WHERE site_key = ?1 AND first_campaign > firsts.k)
    FROM firsts WHERE firsts.k IS NOT NULL
  ),
  lasts(k) AS (
    SELECT (SELECT MIN(last_campaign) FROM leads WHERE site_key = ?1)
    UNION ALL SELECT (SELECT MIN(last_campaign) FROM leads WHERE site_key = ?1 AND last_campaign > lasts.k)
    FROM lasts WHERE lasts.k IS NOT NULL
  ),
  keys AS (
    SELECT campaign_key AS campaign_key FROM campaigns WHERE site_key = ?1
    UNION SELECT k FROM firsts WHERE k IS NOT NULL
    UNION SELECT k FROM lasts WHERE k IS NOT NULL
  )
  SELECT k.campaign_key, c.name, c.channel, c.source, c.medium, c.created_at, c.updated_at,
    c.campaign_key IS NOT NULL AS stored
  FROM keys AS k LEFT JOIN campaigns AS c ON c.site_key = ?1 AND c.campaign_key = k.campaign_key
  ORDER BY k.campaign_key LIMIT ?2`

/** Spend per campaign and currency. Binds: ?1 site, ?2 first day, ?3 last day. */
const SPEND_TOTALS_SQL = `SELECT campaign_key, currency, TOTAL(amount) AS amount, COUNT(*) AS days
  FROM campaign_spend WHERE site_key = ?1 AND day >= ?2 AND day <= ?3
  GROUP BY campaign_key, currency ORDER BY campaign_key, currency`

type ListedRow = Omit<CampaignRow, 'created_at' | 'updated_at'> & {
  created_at: string | null
  updated_at: string | null
  stored: number
}

/** The site's campaigns by key, at most `MAX_CAMPAIGNS_LISTED`, read in one consistent batch. */
export async function listCampaigns(
  db: D1Database,
  query: { siteKey: string; from: string; to: string },
): Promise<{ campaigns: CampaignListItem[]; truncated: boolean }> {
  const [keys, totals] = await db.batch([
    db.prepare(CAMPAIGN_KEYS_SQL).bind(query.siteKey, MAX_CAMPAIGNS_LISTED + 1),
    db.prepare(SPEND_TOTALS_SQL).bind(query.siteKey, query.from, query.to),
  ])
  const spendOf = new Map<string, CampaignListItem['spend']>()
  for (const row of totals!.results as {
    campaign_key: string
    currency: string
    amount: number
    days: number
  }[]) {
    const list = spendOf.get(row.campaign_key) ?? []
    list.push({ currency: row.currency, amount: row.amount, days: row.days })
    spendOf.set(row.campaign_key, list)
  }
  const rows = keys!.results as ListedRow[]
  return {
    campaigns: rows.slice(0, MAX_CAMPAIGNS_LISTED).map((row) => ({
      campaignKey: row.campaign_key,
      name: row.name,
      channel: row.channel,
      source: row.source,
      medium: row.medium,
      stored: row.stored === 1,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      spend: spendOf.get(row.campaign_key) ?? [],
    })),
    truncated: rows.length > MAX_CAMPAIGNS_LISTED,
  }
}

/** The stored days of one campaign in `[from, to]`, by day. */
export async function listSpend(
  db: D1Database,
  query: { siteKey: string; campaignKey: string; from: string; to: string },
): Promise<StoredSpendEntry[]> {
  const { results } = await db
    .prepare(
      `SELECT day, amount, currency, updated_at FROM campaign_spend
       WHERE site_key = ?1 AND campaign_key = ?2 AND day >= ?3 AND day <= ?4 ORDER BY day`,
    )
    .bind(query.siteKey, query.campaignKey, query.from, query.to)
    .all<{ day: string; amount: number; currency: string; updated_at: string }>()
  return results.map((row) => ({
    date: row.day,
    amount: row.amount,
    currency: row.currency,
    updatedAt: row.updated_at,
  }))
}
