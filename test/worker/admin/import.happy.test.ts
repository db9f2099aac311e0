import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import readme from '../../../README.md?raw'
import { IMPORT_BATCH_EXAMPLE } from '../../../shared/examples/import'
import type { ImportResult } from '../../../shared/import'
import { admin, call, createSite, leadBody, postLead, WHITEPAPER_FORM } from '../helpers'
import {
  countRows,
  DAY,
  daysAgo,
  historyLead,
  importCsv,
  importedLead,
  importJson,
} from './import-data'

async function ok(response: Response): Promise<ImportResult> {
  expect(response.status, await response.clone().text()).toBe(200)
  return (await response.json()) as ImportResult
}

describe('POST /v1/admin/sites/{siteKey}/import (JSON)', () => {
  it('stores a past lead with its touchpoints at their own times, its outcome dated as given', async () => {
    const site = await createSite()
    const lead = historyLead(site)
    const result = await ok(await importJson(site.siteKey, { leads: [lead] }))
    expect(result).toEqual({ created: 1, updated: 0, unchanged: 0, touchpoints: 5, duplicates: 0 })

    const detail = await importedLead(site, 'crm-1')
    expect(detail.email).toBe('crm-1@beispiel.de')
    expect(detail.createdAt).toBe(lead.createdAt)
    // No 30-day clamp: the oldest touchpoint stays 200 days old. The journey reads newest first.
    expect(detail.journey.map((t) => t.ts)).toEqual(lead.touchpoints.map((t) => t.at).reverse())
    // Counted from today's 10:00 UTC, as the test data is dated, so the hour of the run does not matter.
    const oldest = Date.parse(daysAgo(0)) - Date.parse(detail.journey.at(-1)!.ts)
    expect(oldest / DAY).toBe(200)
    // The outcome is a manual stage change at the outcome's time, with its value.
    expect(detail.stage).toBe('customer')
    const won = detail.stageHistory.find((step) => step.to === 'customer')
    expect(won).toMatchObject({
      cause: 'manual',
      at: lead.outcome.at,
      value: { amount: 1200000, currency: 'EUR' },
      tokenId: 'root',
    })
    const first = detail.stageHistory[0]!
    expect(first).toMatchObject({ from: null, to: 'lead', cause: 'rule', at: lead.createdAt })
    const row = await env.DB.prepare(
      'SELECT customer_at, deal_amount, first_seen_at, first_campaign FROM leads WHERE external_id = ?1 AND site_key = ?2',
    )
      .bind('crm-1', site.siteKey)
      .first<{
        customer_at: string
        deal_amount: number
        first_seen_at: string
        first_campaign: string
      }>()
    expect(row).toEqual({
      customer_at: lead.outcome.at,
      deal_amount: 1200000,
      first_seen_at: lead.touchpoints[0]!.at,
      first_campaign: 'q1-launch',
    })
    // The consent is in the ledger, honestly marked as imported, with no text it cannot know.
    expect(detail.consents).toEqual([
      expect.objectContaining({
        purpose: 'marketing_email',
        status: 'granted',
        method: 'import',
        textId: null,
        textSha256: null,
        createdAt: lead.consents[0]!.at,
      }),
    ])
  })

  it('scores the lead from the imported touchpoints, recent ones worth more than old ones', async () => {
    const site = await createSite()
    const recent = {
      ...historyLead(site, 'recent'),
      outcome: undefined,
      touchpoints: [1, 2, 3].map((days) => ({
        type: 'page_view',
        at: daysAgo(days),
        url: `${site.origin}/pricing`,
      })),
    }
    const old = {
      ...recent,
      externalId: 'old',
      fields: { ...recent.fields, email: 'old@beispiel.de' },
      touchpoints: [181, 182, 183].map((days) => ({
        type: 'page_view',
        at: daysAgo(days),
        url: `${site.origin}/pricing`,
      })),
    }
    const bare = {
      ...recent,
      externalId: 'bare',
      fields: { ...recent.fields, email: 'bare@beispiel.de' },
      touchpoints: [],
    }
    await ok(await importJson(site.siteKey, { leads: [recent, old, bare] }))
    const a = await importedLead(site, 'recent')
    const b = await importedLead(site, 'old')
    const c = await importedLead(site, 'bare')
    expect(a.score.engagement).toBeGreaterThan(c.score.engagement)
    expect(a.score.engagement).toBeGreaterThan(b.score.engagement)
    expect(a.score.reasons.join(' ')).toMatch(/pricing/i)
    // Temperature follows the real times: visits this week are warm or hot, half a year ago cold.
    expect(a.temperature).not.toBe('cold')
    expect(b.temperature).toBe('cold')
  })

  it('is idempotent: the same import again creates, duplicates and changes nothing', async () => {
    const site = await createSite()
    const body = { leads: [historyLead(site, 'a'), historyLead(site, 'b')] }
    const first = await ok(await importJson(site.siteKey, body))
    expect(first).toMatchObject({ created: 2, touchpoints: 10 })
    const count = () =>
      Promise.all([
        countRows('SELECT count(*) AS n FROM leads WHERE site_key = ?1', site.siteKey),
        countRows('SELECT count(*) AS n FROM touchpoints WHERE site_key = ?1', site.siteKey),
        countRows('SELECT count(*) AS n FROM stage_history WHERE site_key = ?1', site.siteKey),
        countRows('SELECT count(*) AS n FROM consent_ledger WHERE site_key = ?1', site.siteKey),
      ])
    const before = await count()
    const detail = await importedLead(site, 'a')
    const again = await ok(await importJson(site.siteKey, body))
    expect(again).toEqual({ created: 0, updated: 0, unchanged: 2, touchpoints: 0, duplicates: 10 })
    expect(await count()).toEqual(before)
    expect((await importedLead(site, 'a')).score).toEqual(detail.score)
  })

  it('adds new touchpoints of a re-import to the lead, and keeps what it had', async () => {
    const site = await createSite()
    const lead = { ...historyLead(site), outcome: undefined }
    await ok(await importJson(site.siteKey, { leads: [lead] }))
    const before = await importedLead(site, 'crm-1')
    const more = {
      ...lead,
      fields: { ...lead.fields, firstName: 'Johanna', country: 'DE' },
      touchpoints: [
        ...lead.touchpoints,
        { type: 'page_view', at: daysAgo(0, 0), url: `${site.origin}/pricing` },
      ],
    }
    const result = await ok(await importJson(site.siteKey, { leads: [more] }))
    expect(result).toEqual({ created: 0, updated: 1, unchanged: 0, touchpoints: 1, duplicates: 5 })
    const after = await importedLead(site, 'crm-1')
    expect(after.journey).toHaveLength(6)
    // A value stored before wins; a new field is added.
    expect(after.firstName).toBe('Jana')
    expect(after.fields.country).toBe('DE')
    expect(after.score.engagement).toBeGreaterThanOrEqual(before.score.engagement)
  })

  it('joins a lead captured live by its email, without a second lead', async () => {
    const site = await createSite()
    const response = await postLead(site, leadBody(site))
    expect(response.status).toBe(201)
    const { leadId } = (await response.json()) as { leadId: string }
    const lead = {
      ...historyLead(site, 'crm-77'),
      fields: { email: 'anna.berg@firma.de', firstName: 'Annette' },
    }
    const result = await ok(await importJson(site.siteKey, { leads: [lead] }))
    expect(result).toMatchObject({ created: 0, updated: 1, touchpoints: 5 })
    const detail = await importedLead(site, 'crm-77')
    expect(detail.leadId).toBe(leadId)
    expect(detail.firstName).toBe('Anna')
    expect(detail.createdAt).toBe(lead.createdAt)
    expect(detail.stage).toBe('customer')
  })

  it('takes the README example as it is written', async () => {
    const site = await createSite()
    const form = await admin(
      `/v1/admin/sites/${site.siteKey}/forms/whitepaper`,
      'PUT',
      WHITEPAPER_FORM,
    )
    expect(form.status).toBe(201)
    const result = await ok(await importJson(site.siteKey, IMPORT_BATCH_EXAMPLE))
    expect(result).toEqual({ created: 1, updated: 0, unchanged: 0, touchpoints: 2, duplicates: 0 })
  })
})

describe('POST /v1/admin/sites/{siteKey}/import (CSV)', () => {
  it('imports one lead a row, then touchpoints of those leads, both idempotently', async () => {
    const site = await createSite()
    const leads = [
      'external_id,created_at,email,first_name,last_name,company,job_title,form_id,utm_source,utm_medium,utm_campaign,stage,stage_at,amount,currency,budget',
      `c-1,${daysAgo(120)},eva@beispiel.de,Eva,Roth,Beispiel AG,CTO,wp,google,cpc,Brand,customer,${daysAgo(30)},4999.50,EUR,50000`,
      `c-2,${daysAgo(90)},"max@beispiel.de",Max,"Muster, Jr.",,,,,,,disqualified,${daysAgo(60)},,,`,
      '',
    ].join('\r\n')
    expect(await ok(await importCsv(site.siteKey, leads))).toEqual({
      created: 2,
      updated: 0,
      unchanged: 0,
      touchpoints: 0,
      duplicates: 0,
    })
    const eva = await importedLead(site, 'c-1')
    expect(eva.stage).toBe('customer')
    expect(eva.fields.budget).toBe('50000')
    expect(eva.stageHistory.at(-1)).toMatchObject({
      at: daysAgo(30),
      value: { amount: 499950, currency: 'EUR' },
    })
    expect((await importedLead(site, 'c-2')).lastName).toBe('Muster, Jr.')

    const touchpoints = [
      'external_id,type,at,url,form_id',
      `c-1,page_view,${daysAgo(125)},${site.origin}/pricing,`,
      `c-1,form_submit,${daysAgo(120)},${site.origin}/whitepaper,wp`,
      `c-2,page_view,${daysAgo(95)},${site.origin}/,`,
    ].join('\n')
    expect(await ok(await importCsv(site.siteKey, touchpoints, { part: 'touchpoints' }))).toEqual({
      created: 0,
      updated: 2,
      unchanged: 0,
      touchpoints: 3,
      duplicates: 0,
    })
    const again = await ok(await importCsv(site.siteKey, touchpoints, { part: 'touchpoints' }))
    expect(again).toMatchObject({ updated: 0, unchanged: 2, touchpoints: 0, duplicates: 3 })
    expect(await ok(await importCsv(site.siteKey, leads))).toMatchObject({ unchanged: 2 })
    const journey = (await importedLead(site, 'c-1')).journey
    expect(journey.map((t) => t.ts)).toEqual([daysAgo(120), daysAgo(125)])
  })
})

describe('the README’s import example', () => {
  it('is accepted and answers what the README says', async () => {
    const block = /### Import history[\s\S]*?-d '(\{[\s\S]*?\})'\n# (\{.*\})/.exec(readme)
    expect(block).not.toBeNull()
    const site = await createSite()
    const result = await ok(await importJson(site.siteKey, JSON.parse(block![1]!)))
    expect(result).toEqual(JSON.parse(block![2]!))
    const lead = await importedLead(site, 'crm-10042')
    expect(lead.stage).toBe('customer')
    expect(lead.stageHistory.at(-1)?.at).toBe('2026-05-20T16:00:00.000Z')
  })
})

describe('an imported consent on the lead’s receipt', () => {
  it('says it was carried over, not that a box was ticked', async () => {
    const site = await createSite()
    await ok(await importJson(site.siteKey, { leads: [historyLead(site)] }))
    const { leadId } = await importedLead(site, 'crm-1')
    const issued = await admin(
      `/v1/admin/sites/${site.siteKey}/leads/${leadId}/consent-link`,
      'POST',
    )
    expect(issued.status).toBe(201)
    const { receiptUrl } = (await issued.json()) as { receiptUrl: string }
    const page = await call(new URL(receiptUrl).pathname, { headers: { accept: 'text/html' } })
    expect(page.headers.get('content-type')).toContain('text/html')
    const html = await page.text()
    expect(html).toMatch(/aus einem früheren System übernommen|carried over from an earlier system/)
    expect(html).not.toMatch(/Kästchen im Formular angekreuzt|ticked the box/)
  })
})
