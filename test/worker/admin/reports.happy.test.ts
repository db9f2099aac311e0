import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { ReportRow } from '../../../shared/campaigns'
import type { LeadSubmissionResult } from '../../../shared/leads'
import { cohortSql, reportBinds, SPEND_SQL } from '../../../worker/src/db/reports'
import { CUSTOMER_RANK, STAGE_RANK } from '../../../worker/src/domain/report'
import {
  admin,
  createSite,
  leadBody,
  pageView,
  postEvents,
  postLead,
  type TestSite,
} from '../helpers'
import { DAY_MS, day, FROM, TO, putSpend, report, setStage } from './campaign-data'

/**
 * A lead that stays at `lead` by rule: first and last name only, so the record
 * is incomplete (the site requires company and job title) and no rule moves it.
 */
async function newLead(
  site: TestSite,
  email: string,
  campaign: string | null,
  extra: { visitorId?: string } = {},
): Promise<string> {
  const body = leadBody(site, {
    fields: { email, firstName: 'Anna', lastName: 'Berg' },
    utm: campaign === null ? undefined : { source: 'linkedin', medium: 'paid', campaign },
    ...extra,
  })
  const response = await postLead(site, body)
  expect(response.status).toBe(201)
  return ((await response.json()) as LeadSubmissionResult).leadId
}

const NO_RATES = {
  leadToMql: null,
  mqlToSql: null,
  sqlToOpportunity: null,
  opportunityToCustomer: null,
}
const NO_COSTS = { cpl: null, costPerMql: null, costPerSql: null, costPerOrder: null }

/** A row of a campaign with one lead that never moved. */
function singleLead(campaign: string, currency: string | null, spend: number | null): ReportRow {
  return {
    campaign,
    currency,
    spend,
    leads: 1,
    mqls: 0,
    sqls: 0,
    opportunities: 0,
    customers: 0,
    revenue: currency === null ? null : 0,
    ...NO_COSTS,
    cpl: spend,
    conversion: { ...NO_RATES, leadToMql: 0 },
    medianSalesCycleDays: null,
  }
}

describe('GET /v1/admin/sites/{siteKey}/reports/campaigns', () => {
  it('computes every column of the worked example, with null for zero divisors and half-up rounding', async () => {
    const site = await createSite()
    // Spend: q4-whitepaper over three days in range (one re-imported) and one day before it.
    await putSpend(site, 'q4-whitepaper', [
      { date: day(-60), amount: 50000, currency: 'EUR' },
      { date: day(-3), amount: 10000, currency: 'EUR' },
      { date: day(-2), amount: 20000, currency: 'EUR' },
      { date: day(-1), amount: 3333, currency: 'EUR' },
    ])
    await putSpend(site, 'q4-whitepaper', [{ date: day(-1), amount: 5001, currency: 'EUR' }])
    // spring-webinar paid in two currencies; display-retargeting paid but brought nobody.
    await putSpend(site, 'spring-webinar', [
      { date: day(-2), amount: 5000, currency: 'EUR' },
      { date: day(-1), amount: 7000, currency: 'USD' },
    ])
    await admin(`/v1/admin/sites/${site.siteKey}/campaigns/display-retargeting`, 'PUT', {
      name: 'Retargeting',
      channel: 'display',
    })
    await putSpend(site, 'display-retargeting', [{ date: day(0), amount: 999, currency: 'EUR' }])

    // q4-whitepaper: four leads, moved by hand. The customer's first touch was ten days ago.
    await newLead(site, 'stays@firma.de', 'q4-whitepaper')
    await setStage(site, await newLead(site, 'mql@firma.de', 'Q4-Whitepaper'), 'mql')
    const lost = await newLead(site, 'lost@firma.de', 'q4-whitepaper')
    await setStage(site, lost, 'opportunity')
    await setStage(site, lost, 'disqualified')
    const visitorId = crypto.randomUUID()
    await postEvents(site.origin, {
      siteKey: site.siteKey,
      visitorId,
      events: [
        pageView(`${site.origin}/`, {
          ts: new Date(Date.now() - 10 * DAY_MS).toISOString(),
          utm: { campaign: 'q4-whitepaper' },
        }),
      ],
    })
    const won = await newLead(site, 'won@firma.de', 'q4-whitepaper', { visitorId })
    await setStage(site, won, 'sql')
    await setStage(site, won, 'opportunity')
    await setStage(site, won, 'customer', { amount: 1_800_000, currency: 'EUR' })
    // One lead each from spring-webinar, an unpaid campaign, and no campaign.
    await newLead(site, 'spring@firma.de', 'spring-webinar')
    await newLead(site, 'organic@firma.de', 'newsletter-organic')
    await newLead(site, 'direct@firma.de', null)

    const result = await report(site, 'first')
    expect(result).toMatchObject({ from: FROM, to: TO, attribution: 'first' })
    expect(result.rows).toEqual([
      {
        campaign: 'display-retargeting',
        currency: 'EUR',
        spend: 999,
        leads: 0,
        mqls: 0,
        sqls: 0,
        opportunities: 0,
        customers: 0,
        revenue: 0,
        ...NO_COSTS,
        conversion: NO_RATES,
        medianSalesCycleDays: null,
      },
      singleLead('newsletter-organic', null, null),
      {
        campaign: 'q4-whitepaper',
        currency: 'EUR',
        spend: 35001,
        leads: 4,
        mqls: 3,
        sqls: 2,
        opportunities: 2,
        customers: 1,
        revenue: 1_800_000,
        cpl: 8750, // 8750.25
        costPerMql: 11667, // 11667
        costPerSql: 17501, // 17500.5 rounds half up
        costPerOrder: 35001,
        conversion: {
          leadToMql: 0.75,
          mqlToSql: 0.6667,
          sqlToOpportunity: 1,
          opportunityToCustomer: 0.5,
        },
        medianSalesCycleDays: 10,
      },
      singleLead('spring-webinar', 'EUR', 5000),
      singleLead('spring-webinar', 'USD', 7000),
      singleLead('(none)', null, null),
    ])
    const cohort = { leads: 7, mqls: 3, sqls: 2, opportunities: 2, customers: 1 }
    const conversion = {
      leadToMql: 0.4286,
      mqlToSql: 0.6667,
      sqlToOpportunity: 1,
      opportunityToCustomer: 0.5,
    }
    expect(result.totals).toEqual([
      {
        campaign: '(total)',
        currency: 'EUR',
        spend: 41000,
        ...cohort,
        revenue: 1_800_000,
        cpl: 5857, // 5857.14
        costPerMql: 13667, // 13666.67
        costPerSql: 20500,
        costPerOrder: 41000,
        conversion,
        medianSalesCycleDays: 10,
      },
      {
        campaign: '(total)',
        currency: 'USD',
        spend: 7000,
        ...cohort,
        revenue: 0,
        cpl: 1000,
        costPerMql: 2333, // 2333.33
        costPerSql: 3500,
        costPerOrder: 7000,
        conversion,
        medianSalesCycleDays: 10,
      },
    ])
  })

  it('attributes a journey across two campaigns to the first or the last one', async () => {
    const site = await createSite()
    const visitorId = crypto.randomUUID()
    await postEvents(site.origin, {
      siteKey: site.siteKey,
      visitorId,
      events: [
        pageView(`${site.origin}/?utm_campaign=spring`, {
          ts: new Date(Date.now() - 3 * DAY_MS).toISOString(),
          utm: { source: 'google', medium: 'cpc', campaign: 'Spring' },
        }),
      ],
    })
    await newLead(site, 'journey@firma.de', 'q4-whitepaper', { visitorId })
    const first = await report(site, 'first')
    const last = await report(site, 'last')
    expect(first.rows).toEqual([singleLead('spring', null, null)])
    expect(last.rows).toEqual([singleLead('q4-whitepaper', null, null)])
    expect(last.attribution).toBe('last')
  })

  it('counts only leads created and spend dated within [from, to]', async () => {
    const site = await createSite()
    await putSpend(site, 'q4-whitepaper', [
      { date: day(-5), amount: 100, currency: 'EUR' },
      { date: day(-4), amount: 200, currency: 'EUR' },
    ])
    await newLead(site, 'today@firma.de', 'q4-whitepaper')
    const past = await report(site, 'first', day(-5), day(-5))
    expect(past.rows).toEqual([
      expect.objectContaining({ campaign: 'q4-whitepaper', spend: 100, leads: 0 }),
    ])
    const today = await report(site, 'first', day(0), day(0))
    expect(today.rows).toEqual([singleLead('q4-whitepaper', null, null)])
  })

  it('never sums two currencies: revenue stays in the currency of each deal', async () => {
    const site = await createSite()
    await putSpend(site, 'fair', [{ date: day(-1), amount: 10000, currency: 'EUR' }])
    const euro = await newLead(site, 'euro@firma.de', 'fair')
    const franc = await newLead(site, 'franc@firma.ch', 'fair')
    await setStage(site, euro, 'customer', { amount: 500_00, currency: 'EUR' })
    await setStage(site, franc, 'customer', { amount: 700_00, currency: 'CHF' })
    const { rows, totals } = await report(site, 'last')
    expect(
      rows.map((r) => [r.campaign, r.currency, r.spend, r.customers, r.revenue, r.costPerOrder]),
    ).toEqual([
      ['fair', 'CHF', null, 2, 700_00, null],
      ['fair', 'EUR', 10000, 2, 500_00, 5000],
    ])
    expect(totals.map((t) => [t.currency, t.spend, t.revenue, t.customers])).toEqual([
      ['CHF', null, 700_00, 2],
      ['EUR', 10000, 500_00, 2],
    ])
  })

  it('maps the b2c stages onto the funnel columns by position', async () => {
    const site = await createSite({ stageModel: 'b2c' })
    const leadId = await newLead(site, 'kunde@firma.de', 'spring')
    const response = await admin(`/v1/admin/sites/${site.siteKey}/leads/${leadId}/stage`, 'POST', {
      stage: 'interested',
    })
    expect(response.status).toBe(200)
    const { rows } = await report(site, 'first')
    expect(rows).toEqual([
      expect.objectContaining({ campaign: 'spring', leads: 1, mqls: 1, sqls: 1, opportunities: 0 }),
    ])
  })

  it('answers CSV with a header, CRLF, quoted fields and formula cells neutralised', async () => {
    const site = await createSite()
    await newLead(site, 'evil@firma.de', '=HYPERLINK("https://evil.example","x")')
    await putSpend(site, 'q4-whitepaper', [{ date: day(-1), amount: 12345, currency: 'EUR' }])
    const response = await admin(
      `/v1/admin/sites/${site.siteKey}/reports/campaigns?from=${FROM}&to=${TO}&attribution=first&format=csv`,
      'GET',
    )
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="campaigns-${site.siteKey}-first-${FROM}-${TO}.csv"`,
    )
    const csv = await response.text()
    expect(csv.endsWith('\r\n')).toBe(true)
    expect(csv.split('\n').every((line) => line === '' || line.endsWith('\r'))).toBe(true)
    expect(csv.split('\r\n')).toEqual([
      '"kind","campaign","currency","spend","leads","mqls","sqls","opportunities","customers","revenue","cpl","costPerMql","costPerSql","costPerOrder","leadToMql","mqlToSql","sqlToOpportunity","opportunityToCustomer","medianSalesCycleDays"',
      '"campaign","\'=hyperlink(""https://evil.example"",""x"")","","","1","0","0","0","0","","","","","","0","","","",""',
      '"campaign","q4-whitepaper","EUR","12345","0","0","0","0","0","0","","","","","","","","",""',
      '"total","(total)","EUR","12345","1","0","0","0","0","0","12345","","","","0","","","",""',
      '',
    ])
  })
})

describe('the report queries', () => {
  /** Names the report's own CTEs and subqueries go by in a plan; scanning those is scanning sums, not tables. */
  const DERIVED = /^SCAN (cohort|c|won|ranked|ranked_all|\(subquery-\d+\))$/

  async function plan(sql: string, binds: readonly string[]): Promise<string[]> {
    const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
      .bind(...binds)
      .all<{ detail: string }>()
    return results.map((row) => row.detail)
  }

  it.each(['first', 'last'] as const)(
    'reads leads, stage history and spend through indexes and never the touchpoints table (%s touch)',
    async (attribution) => {
      const binds = reportBinds('acme', '2026-01-01', '2026-12-31')
      const cohort = await plan(cohortSql(attribution), binds.rollup)
      const spend = await plan(SPEND_SQL, binds.spend)
      const steps = [...cohort, ...spend]
      expect(steps.join('\n')).not.toMatch(/touchpoints/)
      expect(steps.filter((step) => step.startsWith('SCAN ') && !DERIVED.test(step))).toEqual([])
      // The funnel comes from the daily rollups (migration 0023), the customers from their own
      // partial index alone; no lead's whole history is looked up (migration 0011).
      expect(cohort).toContain(
        'SEARCH lead_rollups USING PRIMARY KEY (site_key=? AND day>? AND day<?)',
      )
      expect(cohort).toContain(
        'SEARCH l USING COVERING INDEX leads_site_won (site_key=? AND created_at>? AND created_at<?)',
      )
      expect(cohort).not.toContain(
        'SEARCH h USING COVERING INDEX stage_history_lead_stage (lead_id=?)',
      )
      expect(cohort).toContain(
        'SEARCH s USING COVERING INDEX stage_history_lead_stage (lead_id=? AND to_stage=?)',
      )
      expect(spend).toContain(
        'SEARCH campaign_spend USING INDEX campaign_spend_site_day (site_key=? AND day>? AND day<?)',
      )
    },
  )
})

describe('the highest stage a lead reached (migration 0011)', () => {
  it('history_rank is the highest report rank in the lead’s history, for every stage of both models', async () => {
    const site = await createSite()
    const leadId = await newLead(site, 'rank@firma.de', 'rank-test')
    const rankOf = () =>
      env.DB.prepare('SELECT history_rank AS rank FROM leads WHERE id = ?1')
        .bind(leadId)
        .first<number>('rank')
    // Stages in an order that goes up and down, ending past the funnel.
    const stages = [...Object.keys(STAGE_RANK)].reverse().concat(['disqualified', 'mql'])
    let highest = (await rankOf())!
    for (const stage of stages) {
      await env.DB.prepare(
        `INSERT INTO stage_history (site_key, lead_id, from_stage, to_stage, cause, created_at)
         VALUES (?1, ?2, NULL, ?3, 'manual', ?4)`,
      )
        .bind(site.siteKey, leadId, stage, new Date().toISOString())
        .run()
      highest = Math.max(highest, STAGE_RANK[stage] ?? -1)
      expect(await rankOf()).toBe(highest)
    }
    expect(highest).toBe(CUSTOMER_RANK)
  })
})
