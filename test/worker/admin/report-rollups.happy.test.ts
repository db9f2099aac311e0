import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import REBUILD_SQL from '../../../scripts/rollups-rebuild.sql?raw'
import type { Attribution, CampaignReport, SalesCycle } from '../../../shared/campaigns'
import type { LeadSubmissionResult } from '../../../shared/leads'
import { previousPeriod, type CampaignSeries, type Dashboard } from '../../../shared/reports'
import {
  cohortSql,
  reportBinds,
  salesCycleSql,
  seriesSql,
  SPEND_BY_DAY_SQL,
  SPEND_SQL,
} from '../../../worker/src/db/reports'
import { listRollups } from '../../../worker/src/db/rollups'
import { buildReport, buildSeries, salesCycleDistribution } from '../../../worker/src/domain/report'
import { postDeal } from '../deal-data'
import {
  admin,
  createSite,
  leadBody,
  pageView,
  postEvents,
  postLead,
  type TestSite,
} from '../helpers'
import { oracleReport, oracleSeries } from '../report-oracle'
import { day, putSpend, setStage } from './campaign-data'
import { daysAgo, importJson } from './import-data'

/**
 * The daily rollups (migration 0023, docs/scale.md#daily-rollups) give the report, its series,
 * the sales cycles and the dashboard exactly the figures of the old query over every lead of the
 * range (test/worker/report-oracle.ts), whatever the write paths did to the leads.
 */

/** A small seeded generator (mulberry32), so a failing case can be replayed. */
function random(seed: number) {
  let state = seed >>> 0
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
  return {
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    chance: (p: number) => next() < p,
  }
}

const CAMPAIGNS = ['q4-whitepaper', 'Spring-Webinar', 'brand', null] as const
const FUNNEL = ['mql', 'sql', 'opportunity', 'customer', 'disqualified'] as const

async function get<T>(site: TestSite, path: string): Promise<T> {
  const response = await admin(`/v1/admin/sites/${site.siteKey}${path}`, 'GET')
  expect(response.status, path).toBe(200)
  return (await response.json()) as T
}

/**
 * A site whose leads came by every write path: submissions (some after a visit from another
 * campaign, so first and last touch differ), stage changes by hand up and down the funnel, won
 * deals, an import of past leads with outcomes, erasures, and creation days moved back (as the
 * other report tests date their leads). Spend in two currencies over the past months.
 */
async function populatedSite(seed: number): Promise<TestSite> {
  const rng = random(seed)
  const site = await createSite()
  for (const campaign of ['q4-whitepaper', 'brand']) {
    const entries = Array.from({ length: 6 }, (_, i) => ({
      date: day(-1 - i * 37),
      amount: 1_000 + rng.int(50_000),
      currency: rng.pick(['EUR', 'USD']),
    }))
    await putSpend(site, campaign, entries)
  }
  const leads: string[] = []
  for (let i = 0; i < 24; i++) {
    const campaign = rng.pick(CAMPAIGNS)
    let visitorId: string | undefined
    if (rng.chance(0.3)) {
      visitorId = crypto.randomUUID()
      const earlier = rng.pick(CAMPAIGNS) ?? 'retargeting'
      const ts = new Date(Date.now() - (1 + rng.int(40)) * 86_400_000).toISOString()
      const sent = await postEvents(
        site.origin,
        {
          siteKey: site.siteKey,
          visitorId,
          events: [pageView(`${site.origin}/`, { ts, utm: { source: 'ads', campaign: earlier } })],
        },
        { ip: `198.51.100.${1 + i}` },
      )
      expect(sent.status).toBeLessThan(300)
    }
    const body = leadBody(site, {
      fields: { email: `lead${i}.${seed}@firma${i % 3}.de`, firstName: 'Anna', lastName: 'Berg' },
      utm: campaign === null ? undefined : { source: 'linkedin', medium: 'paid', campaign },
      ...(visitorId ? { visitorId } : {}),
    })
    const response = await postLead(site, body, { ip: `198.51.${i % 250}.${1 + (i % 3)}` })
    expect(response.status).toBe(201)
    leads.push(((await response.json()) as LeadSubmissionResult).leadId)
    // A later visit from another campaign moves the lead's last touch (through reclassification).
    if (visitorId && rng.chance(0.6)) {
      const later = await postEvents(
        site.origin,
        {
          siteKey: site.siteKey,
          visitorId,
          events: [
            pageView(`${site.origin}/pricing`, {
              utm: { source: 'mail', campaign: rng.pick(['newsletter', 'brand']) },
            }),
          ],
        },
        { ip: `198.51.100.${1 + i}` },
      )
      expect(later.status).toBeLessThan(300)
    }
  }
  // Some leads are dated back, across days and months (the first-seen time stays before).
  for (const leadId of leads) {
    if (!rng.chance(0.6)) continue
    const created = Date.now() - rng.int(200) * 86_400_000 - rng.int(86_400_000)
    await env.DB.prepare(
      'UPDATE leads SET created_at = ?1, first_seen_at = MIN(first_seen_at, ?1) WHERE id = ?2',
    )
      .bind(new Date(created).toISOString(), leadId)
      .run()
  }
  // Stage changes by hand, a customer's deal in one of two currencies.
  for (const leadId of leads) {
    let current = 'lead'
    for (let step = rng.int(4); step > 0; step--) {
      const stage = rng.pick(FUNNEL.filter((s) => s !== current))
      current = stage
      const value =
        stage === 'customer'
          ? { amount: 10_000 + rng.int(2_000_000), currency: rng.pick(['EUR', 'USD']) }
          : undefined
      // Every move names a reason: moving a lead back needs one.
      const moved = await admin(`/v1/admin/sites/${site.siteKey}/leads/${leadId}/stage`, 'POST', {
        stage,
        reason: 'pipeline review',
        ...(value ? { value } : {}),
      })
      expect(moved.status).toBe(200)
    }
  }
  // Won deals through the deal API, also for a lead that already is a customer (a second deal).
  for (const [n, leadId] of leads.slice(0, 3).entries()) {
    const response = await postDeal(site, {
      dealId: `deal-${seed}-${n}`,
      leadId,
      amount: 50_000 + n,
      currency: 'EUR',
    })
    expect(response.status).toBeLessThan(300)
  }
  // Past leads from an import, with campaign touches of their own and outcomes.
  const imported = Array.from({ length: 6 }, (_, i) => {
    const age = 20 + rng.int(250)
    const stage = rng.pick(FUNNEL)
    return {
      externalId: `crm-${seed}-${i}`,
      createdAt: daysAgo(age),
      formId: 'wp',
      fields: { email: `import${i}.${seed}@beispiel.de`, firstName: 'Jana', lastName: 'Schulz' },
      utm: { source: 'linkedin', medium: 'paid', campaign: rng.pick(['q4-whitepaper', 'brand']) },
      touchpoints: [
        {
          type: 'page_view',
          at: daysAgo(age + 5),
          url: `${site.origin}/?utm_source=fair&utm_campaign=Fair-2026`,
        },
      ],
      outcome: {
        stage,
        at: daysAgo(age - 10),
        ...(stage === 'customer' ? { value: { amount: 70_000 + i, currency: 'USD' } } : {}),
      },
    }
  })
  const response = await importJson(site.siteKey, { leads: imported })
  expect(response.status, await response.clone().text()).toBe(200)
  // Erasures keep the lead as an anonymous tombstone that still counts.
  for (const leadId of [leads[5]!, leads[11]!]) {
    const erased = await admin(`/v1/admin/sites/${site.siteKey}/leads/${leadId}`, 'DELETE')
    expect(erased.status).toBe(200)
  }
  return site
}

const RANGES: [string, string][] = [
  [day(-400), day(1)],
  [day(-30), day(0)],
  [day(-200), day(-100)],
  [day(-7), day(-1)],
  [day(0), day(0)],
]

async function expectOracleFigures(site: TestSite) {
  const siteKey = site.siteKey
  for (const [from, to] of RANGES) {
    for (const attribution of ['first', 'last'] as const) {
      const query = `from=${from}&to=${to}&attribution=${attribution}`
      const expected = buildReport(await oracleReport({ siteKey, from, to, attribution }))
      expect(await get<CampaignReport>(site, `/reports/campaigns?${query}`), query).toEqual(
        expected,
      )
      const old = await oracleSeries({ siteKey, from, to, attribution })
      expect(
        await get<CampaignSeries>(site, `/reports/campaigns/series?${query}&interval=week`),
        query,
      ).toEqual(buildSeries({ from, to, interval: 'week', attribution }, old.days))
      expect(await get<SalesCycle>(site, `/reports/sales-cycle?${query}`), query).toEqual(
        salesCycleDistribution(old.cycles.map((cycle) => cycle.days)),
      )
      const dashboard = await get<Dashboard>(site, `/reports/dashboard?${query}&interval=week`)
      const before = { siteKey, ...previousPeriod(from, to), attribution }
      expect(dashboard.report, query).toEqual(expected)
      expect(dashboard.previous, query).toEqual(buildReport(await oracleReport(before)))
      expect(dashboard.series, query).toEqual(
        buildSeries({ from, to, interval: 'week', attribution }, old.days),
      )
    }
  }
}

/** The rebuild's statements (scripts/rollups-rebuild.sql), as `wrangler d1 execute` runs them. */
function rebuildStatements() {
  return REBUILD_SQL.split('\n')
    .filter((line) => !line.startsWith('--'))
    .join('\n')
    .split(';')
    .map((sql) => sql.trim())
    .filter((sql) => sql !== '')
    .map((sql) => env.DB.prepare(sql))
}

describe('the daily rollups', () => {
  it.each([7, 1_234, 99_991])(
    'give the report, series, sales cycles and dashboard the old query’s figures (seed %i)',
    async (seed) => {
      const site = await populatedSite(seed)
      const all = buildReport(
        await oracleReport({
          siteKey: site.siteKey,
          from: day(-400),
          to: day(1),
          attribution: 'first',
        }),
      )
      // The data reaches every part of the report: leads over the funnel, customers with deals.
      expect(all.totals[0]).toMatchObject({ leads: 30 })
      expect(all.totals[0]!.mqls).toBeGreaterThan(0)
      expect(all.totals[0]!.customers).toBeGreaterThan(0)
      expect(all.totals.some((t) => (t.revenue ?? 0) > 0)).toBe(true)
      await expectOracleFigures(site)
    },
    60_000,
  )

  it('are what the rebuild computes from the leads, and the report reads them', async () => {
    const site = await populatedSite(42)
    const kept = await listRollups(env.DB, site.siteKey)
    expect(kept.reduce((sum, row) => sum + row.leads, 0)).toBe(30)
    expect(kept.every((row) => row.leads > 0)).toBe(true)

    // A drifted table: the report follows it (it reads the rollups, not the leads) …
    await env.DB.batch([
      env.DB.prepare('DELETE FROM lead_rollups WHERE site_key = ?1').bind(site.siteKey),
      env.DB.prepare(
        `INSERT INTO lead_rollups (site_key, day, first_campaign, last_campaign, reached, leads)
         VALUES (?1, ?2, 'drift', 'drift', 0, 5)`,
      ).bind(site.siteKey, day(0)),
    ])
    const drifted = await get<CampaignReport>(
      site,
      `/reports/campaigns?from=${day(-400)}&to=${day(1)}&attribution=first`,
    )
    expect(drifted.rows.find((row) => row.campaign === 'drift')).toMatchObject({ leads: 5 })

    // … until the rebuild recomputes it, to exactly what the triggers had kept.
    await env.DB.batch(rebuildStatements())
    expect(await listRollups(env.DB, site.siteKey)).toEqual(kept)
    await expectOracleFigures(site)
  }, 60_000)

  it('follow a lead through insert, every key column’s update and deletion', async () => {
    const site = await createSite()
    const body = leadBody(site, {
      fields: { email: 'moves@firma.de', firstName: 'Anna', lastName: 'Berg' },
      utm: { source: 'linkedin', medium: 'paid', campaign: 'spring' },
    })
    const response = await postLead(site, body)
    expect(response.status).toBe(201)
    const { leadId } = (await response.json()) as LeadSubmissionResult
    const today = day(0)
    const rows = () => listRollups(env.DB, site.siteKey)
    const row = (d: string, first: string, last: string, reached: number) => ({
      day: d,
      first_campaign: first,
      last_campaign: last,
      reached,
      leads: 1,
    })
    expect(await rows()).toEqual([row(today, 'spring', 'spring', 0)])

    const update = (sql: string) => env.DB.prepare(sql).bind(leadId).run()
    await update("UPDATE leads SET last_campaign = 'retarget' WHERE id = ?1")
    expect(await rows()).toEqual([row(today, 'spring', 'retarget', 0)])
    await update('UPDATE leads SET first_campaign = NULL WHERE id = ?1')
    expect(await rows()).toEqual([row(today, '(none)', 'retarget', 0)])
    await setStage(site, leadId, 'sql')
    expect(await rows()).toEqual([row(today, '(none)', 'retarget', 2)])
    // History written on its own (as the bulk seed writes it) raises the rank too (migration 0011).
    await env.DB.prepare(
      `INSERT INTO stage_history (site_key, lead_id, from_stage, to_stage, cause, created_at)
       VALUES (?1, ?2, 'sql', 'opportunity', 'manual', ?3)`,
    )
      .bind(site.siteKey, leadId, new Date().toISOString())
      .run()
    expect(await rows()).toEqual([row(today, '(none)', 'retarget', 3)])
    // Disqualified after an opportunity: still counted as reaching it (its history says so).
    await update("UPDATE leads SET stage = 'disqualified' WHERE id = ?1")
    expect(await rows()).toEqual([row(today, '(none)', 'retarget', 3)])
    await update("UPDATE leads SET created_at = '2026-01-15T08:00:00.000Z' WHERE id = ?1")
    expect(await rows()).toEqual([row('2026-01-15', '(none)', 'retarget', 3)])
    // A write that changes no key column leaves the rollups as they are.
    await update("UPDATE leads SET temperature = 'hot', fit_score = 90 WHERE id = ?1")
    expect(await rows()).toEqual([row('2026-01-15', '(none)', 'retarget', 3)])
    await env.DB.batch([
      env.DB.prepare('DELETE FROM stage_history WHERE lead_id = ?1').bind(leadId),
      env.DB.prepare('DELETE FROM leads WHERE id = ?1').bind(leadId),
    ])
    expect(await rows()).toEqual([])
  })

  it('go with their site', async () => {
    const site = await createSite()
    const response = await postLead(site, leadBody(site))
    expect(response.status).toBe(201)
    expect(await listRollups(env.DB, site.siteKey)).toHaveLength(1)
    await env.DB.prepare('DELETE FROM sites WHERE site_key = ?1').bind(site.siteKey).run()
    expect(await listRollups(env.DB, site.siteKey)).toEqual([])
  })
})

describe('the rollup-based report queries', () => {
  /** Names the report's own CTEs and subqueries go by in a plan; scanning those is scanning sums, not tables. */
  const DERIVED = /^SCAN (won|ranked|ranked_all|\(subquery-\d+\))$/

  async function plan(sql: string, binds: readonly (string | null)[]): Promise<string[]> {
    const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
      .bind(...binds)
      .all<{ detail: string }>()
    return results.map((row) => row.detail)
  }

  it.each(['first', 'last'] as Attribution[])(
    'read a 90-day range from the rollups’ key and the customers’ index, never scanning leads or touchpoints (%s touch)',
    async (attribution) => {
      const binds = reportBinds('acme', day(-89), day(0))
      const statements = [
        await plan(cohortSql(attribution), binds.rollup),
        await plan(seriesSql(attribution), binds.rollup),
        await plan(salesCycleSql(attribution), [...binds.cohort, null]),
        await plan(SPEND_SQL, binds.spend),
        await plan(SPEND_BY_DAY_SQL, binds.spend),
      ]
      const steps = statements.flat()
      expect(steps.join('\n')).not.toMatch(/touchpoints|leads_site_cohort|leads_site_created/)
      expect(steps.filter((step) => step.startsWith('SCAN ') && !DERIVED.test(step))).toEqual([])
      const rollups = 'SEARCH lead_rollups USING PRIMARY KEY (site_key=? AND day>? AND day<?)'
      const won =
        'SEARCH l USING COVERING INDEX leads_site_won (site_key=? AND created_at>? AND created_at<?)'
      for (const steps of statements.slice(0, 2)) expect(steps).toContain(rollups)
      for (const steps of statements.slice(0, 3)) expect(steps).toContain(won)
    },
  )
})
