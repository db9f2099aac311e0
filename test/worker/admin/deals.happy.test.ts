import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { DealWonResult } from '../../../shared/deals'
import type { LeadDetail } from '../../../shared/leads'
import { admin, createSite, scopedToken } from '../helpers'
import { createWebhook, newReceiver } from '../outbound'
import { createDealSite, historyOf, leadRow, newLead, postDeal, stageEvents } from '../deal-data'
import { day, putSpend, report } from './campaign-data'

describe('POST /v1/admin/sites/{siteKey}/deals', () => {
  it('moves the lead to customer with the value, so the report counts the order', async () => {
    const site = await createDealSite()
    await putSpend(site, 'q4-whitepaper', [
      { date: day(-3), amount: 20000, currency: 'EUR' },
      { date: day(-2), amount: 15001, currency: 'EUR' },
    ])
    const first = await newLead(site, 'won@firma.de')
    await newLead(site, 'second@firma.de')
    const before = (await report(site, 'first')).rows.find((r) => r.campaign === 'q4-whitepaper')
    expect(before).toMatchObject({ leads: 2, customers: 0, revenue: 0, costPerOrder: null })

    const token = await scopedToken(site.siteKey, ['leads:write'])
    const response = await postDeal(
      site,
      { dealId: 'D-1', leadId: first, amount: 1_800_000, currency: 'EUR' },
      token,
    )
    expect(response.status).toBe(201)
    const result = (await response.json()) as DealWonResult
    expect(result).toMatchObject({
      dealId: 'D-1',
      source: 'api',
      leadId: first,
      outcome: 'moved',
      from: 'lead',
      stage: 'customer',
      value: { amount: 1_800_000, currency: 'EUR' },
    })
    expect(await leadRow(first)).toMatchObject({
      stage: 'customer',
      stage_set_by: 'manual',
      deal_amount: 1_800_000,
      deal_currency: 'EUR',
      customer_at: result.wonAt,
    })
    const history = await historyOf(first)
    expect(history.at(-1)).toMatchObject({
      from_stage: 'lead',
      to_stage: 'customer',
      cause: 'manual',
      reason: 'deal won: D-1',
      value_amount: 1_800_000,
      value_currency: 'EUR',
      created_at: result.wonAt,
    })
    // The lead's detail shows it as a manual change with the value, like one made by hand.
    const detail = (await (
      await admin(`/v1/admin/sites/${site.siteKey}/leads/${first}`, 'GET')
    ).json()) as LeadDetail
    expect(detail.stageHistory.at(-1)).toMatchObject({
      to: 'customer',
      cause: 'manual',
      value: { amount: 1_800_000, currency: 'EUR' },
    })

    const after = (await report(site, 'first')).rows.find((r) => r.campaign === 'q4-whitepaper')
    expect(after).toMatchObject({
      leads: 2,
      customers: 1,
      revenue: 1_800_000,
      spend: 35001,
      costPerOrder: 35001,
    })

    // The second lead by its address, as typed differently: two orders, half the cost each.
    const byEmail = await postDeal(site, {
      dealId: 'D-2',
      email: '  Second@FIRMA.de ',
      amount: 500_000,
      currency: 'EUR',
    })
    expect(byEmail.status).toBe(201)
    const row = (await report(site, 'first')).rows.find((r) => r.campaign === 'q4-whitepaper')
    expect(row).toMatchObject({ customers: 2, revenue: 2_300_000, costPerOrder: 17501 })
  })

  it('answers a repeat of the deal 200 with the same answer, and changes nothing more', async () => {
    const site = await createDealSite()
    const leadId = await newLead(site)
    const body = { dealId: '4711', leadId, amount: 990_00, currency: 'EUR' }
    const first = await postDeal(site, body)
    expect(first.status).toBe(201)
    const answer = await first.json()
    const row = await leadRow(leadId)
    const history = await historyOf(leadId)
    const events = await stageEvents(site, leadId)
    for (const repeat of [body, { ...body, amount: 5 }]) {
      const again = await postDeal(site, repeat)
      expect(again.status).toBe(200)
      expect(await again.json()).toEqual(answer)
    }
    expect(await leadRow(leadId)).toEqual(row)
    expect(await historyOf(leadId)).toEqual(history)
    expect(await stageEvents(site, leadId)).toEqual(events)
  })

  it('writes the lead.stage_changed event with the deal, cause crm, and its delivery', async () => {
    const site = await createSite()
    const leadId = await newLead(site)
    const hook = newReceiver('deal')
    await createWebhook(site.siteKey, 'crm-sync', { url: hook.url, events: ['lead.stage_changed'] })
    expect(
      (await postDeal(site, { dealId: 'ev-1', leadId, amount: 12_345, currency: 'USD' })).status,
    ).toBe(201)
    const events = await stageEvents(site, leadId)
    expect(events).toHaveLength(1)
    expect(events[0]!.data).toMatchObject({
      from: 'lead',
      to: 'customer',
      cause: 'crm',
      deal: { source: 'api', dealId: 'ev-1' },
      lead: { stage: 'customer', deal: { amount: 12_345, currency: 'USD' } },
    })
    const deliveries = await env.DB.prepare(
      `SELECT d.endpoint_id FROM outbound_deliveries d JOIN outbound_events e USING (event_id)
       WHERE e.site_key = ?1 AND e.lead_id = ?2 AND e.type = 'lead.stage_changed'`,
    )
      .bind(site.siteKey, leadId)
      .all<{ endpoint_id: string }>()
    expect(deliveries.results).toEqual([{ endpoint_id: 'crm-sync' }])
  })

  it('keeps the first deal of a lead that is a customer already, and says so', async () => {
    const site = await createDealSite()
    const leadId = await newLead(site)
    expect(
      (await postDeal(site, { dealId: 'first', leadId, amount: 1000, currency: 'EUR' })).status,
    ).toBe(201)
    const row = await leadRow(leadId)
    const history = await historyOf(leadId)
    const later = await postDeal(site, { dealId: 'upsell', leadId, amount: 700, currency: 'EUR' })
    expect(later.status).toBe(201)
    expect(await later.json()).toMatchObject({
      dealId: 'upsell',
      outcome: 'already_customer',
      from: 'customer',
      value: { amount: 700, currency: 'EUR' },
    })
    expect(await leadRow(leadId)).toEqual(row)
    expect(await historyOf(leadId)).toEqual(history)
    expect(await stageEvents(site, leadId)).toHaveLength(1)
    // Its repeat answers the same, too.
    const again = await postDeal(site, { dealId: 'upsell', leadId, amount: 700, currency: 'EUR' })
    expect(again.status).toBe(200)
    expect(await again.json()).toMatchObject({ outcome: 'already_customer' })
  })

  it('takes wonAt as the customer time, and moves a b2c lead and a disqualified one', async () => {
    const site = await createDealSite({ stageModel: 'b2c', requiredFields: ['email'] })
    const leadId = await newLead(site)
    // After the lead was first seen (earlier is refused: deals.error.test.ts).
    const wonAt = new Date().toISOString()
    const response = await postDeal(site, {
      dealId: 'b2c-1',
      leadId,
      amount: 4999,
      currency: 'EUR',
      wonAt,
    })
    expect(response.status).toBe(201)
    expect(await response.json()).toMatchObject({ from: 'prospect', wonAt })
    expect(await leadRow(leadId)).toMatchObject({ stage: 'customer', customer_at: wonAt })

    const lost = await newLead(site)
    await admin(`/v1/admin/sites/${site.siteKey}/leads/${lost}/stage`, 'POST', {
      stage: 'disqualified',
    })
    const won = await postDeal(site, { dealId: 'b2c-2', leadId: lost, amount: 0, currency: 'EUR' })
    expect(won.status).toBe(201)
    expect(await won.json()).toMatchObject({ from: 'disqualified', outcome: 'moved' })
  })

  it('answers two concurrent calls with one deal: one 201, one 200, one history entry', async () => {
    const site = await createDealSite()
    const leadId = await newLead(site)
    const body = { dealId: 'race', leadId, amount: 100, currency: 'EUR' }
    const answers = await Promise.all([postDeal(site, body), postDeal(site, body)])
    expect(answers.map((a) => a.status).sort()).toEqual([200, 201])
    expect((await historyOf(leadId)).filter((h) => h.to_stage === 'customer')).toHaveLength(1)
    expect(await stageEvents(site, leadId)).toHaveLength(1)
  })
})
