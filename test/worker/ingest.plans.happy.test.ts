import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { ATTACH_SQL } from '../../worker/src/db/capture'
import { LEADS_TO_SCORE_SQL } from '../../worker/src/db/lead-score'
import {
  JOURNEY_CANDIDATES_SQL,
  LEAD_JOURNEY_SQL,
  TOUCHPOINT_INSERT_SQL,
  UNATTACHED_VISITOR_SQL,
} from '../../worker/src/db/touchpoints'

/**
 * Every query on the ingest (`POST /v1/events`) and submission (`POST /v1/leads`) paths that reads
 * touchpoints is bounded by one visitor, one day's hash or one lead, through an index of migration
 * 0022 (or the table's own keys), and needs no sort: its cost does not grow with the site
 * (docs/scale.md#ingest-cost-flat-in-the-sites-size). Dropping one of the indexes fails a test.
 */
async function plan(sql: string, binds: readonly unknown[]): Promise<string[]> {
  const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
    .bind(...binds)
    .all<{ detail: string }>()
  return results.map((row) => row.detail)
}

/** No step reads the whole site, scans the table or sorts in a temporary b-tree. */
function expectBounded(steps: string[]): void {
  const text = steps.join('\n')
  expect(text).not.toMatch(/touchpoints_site_received/)
  expect(text).not.toMatch(/TEMP B-TREE/)
  expect(steps.filter((step) => /^SCAN (touchpoints|leads|lead_visitors)\b/.test(step))).toEqual([])
}

const SITE = 'plans'
const VISITOR = '5b0e9a4e-1d1c-4f0e-9d61-2f1d2b0c9a11'

describe('the ingest and submission queries', () => {
  it('reads a visitor’s unattached touchpoints in time order from their own partial index', async () => {
    const steps = await plan(UNATTACHED_VISITOR_SQL, [SITE, VISITOR, '', 0, 1000])
    expectBounded(steps)
    expect(steps).toEqual([
      expect.stringMatching(
        /^SEARCH touchpoints USING INDEX touchpoints_visitor_unattached \(site_key=\? AND visitor_id=\? AND /,
      ),
    ])
  })

  it('merges the day’s hash and the visitor’s own touchpoints, both in time order, without a sort', async () => {
    const steps = await plan(JOURNEY_CANDIDATES_SQL, [
      SITE,
      VISITOR,
      'hash',
      '2026-01-01T00:00:00.000Z',
    ])
    expectBounded(steps)
    expect(steps).toContain('MERGE (UNION ALL)')
    expect(steps).toContain(
      'SEARCH touchpoints USING INDEX touchpoints_daily_hash_time (site_key=? AND daily_hash=? AND occurred_at>?)',
    )
    expect(steps).toContain(
      'SEARCH touchpoints USING INDEX touchpoints_visitor_time (site_key=? AND visitor_id=? AND occurred_at>?)',
    )
  })

  it('attaches touchpoints by their event ids through the table’s unique key', async () => {
    const steps = await plan(ATTACH_SQL, [SITE, 'submission', 'nonce', 'lead', '["a","b"]'])
    expectBounded(steps)
    expect(steps).toContain(
      'SEARCH touchpoints USING INDEX sqlite_autoindex_touchpoints_1 (site_key=? AND event_id=?)',
    )
  })

  it('inserts a batch in one statement that finds the visitor’s lead by its primary key', async () => {
    const steps = await plan(TOUCHPOINT_INSERT_SQL, [SITE, 'now', VISITOR, null, null, '[]'])
    expectBounded(steps)
    expect(steps).toContain('SEARCH lead_visitors USING PRIMARY KEY (site_key=? AND visitor_id=?)')
  })

  it('reads the leads a batch reclassifies by their ids', async () => {
    const steps = await plan(LEADS_TO_SCORE_SQL, [SITE, '["a","b"]'])
    expectBounded(steps)
    expect(steps).toContainEqual(
      expect.stringMatching(/^SEARCH leads USING INDEX sqlite_autoindex_leads_1 \(id=\?\)$/),
    )
  })

  it('pages a lead’s journey from the newest through the lead’s index', async () => {
    const steps = await plan(LEAD_JOURNEY_SQL, ['lead', '~', Number.MAX_SAFE_INTEGER, 51])
    expectBounded(steps)
    expect(steps).toEqual([
      'SEARCH touchpoints USING INDEX touchpoints_lead (lead_id=? AND occurred_at<?)',
    ])
  })
})
