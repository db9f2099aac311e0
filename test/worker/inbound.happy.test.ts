import { describe, expect, it } from 'vitest'
import type { DealWonResult } from '../../shared/deals'
import {
  createDealSite,
  historyOf,
  inboundKey,
  leadRow,
  linkLead,
  newLead,
  pipedriveV1,
  postInbound,
  stageEvents,
} from './deal-data'
import { day, putSpend, report } from './admin/campaign-data'

describe('POST /v1/inbound/{siteKey}/pipedrive', () => {
  it('moves the linked lead of a won deal to customer with its value, and the report follows', async () => {
    const site = await createDealSite()
    await putSpend(site, 'q4-whitepaper', [{ date: day(-2), amount: 30000, currency: 'EUR' }])
    const leadId = await newLead(site)
    await linkLead(site, leadId, 'pipedrive', '1234')
    const { url } = await inboundKey(site, 'pipedrive')
    const before = (await report(site, 'first')).rows.find((r) => r.campaign === 'q4-whitepaper')
    expect(before).toMatchObject({ customers: 0, costPerOrder: null })

    const body = pipedriveV1({
      id: 4711,
      person_id: 1234,
      value: 18000.5,
      won_time: new Date().toISOString().slice(0, 19).replace('T', ' '),
    })
    const response = await postInbound(url, body)
    expect(response.status).toBe(201)
    const result = (await response.json()) as DealWonResult
    expect(result).toMatchObject({
      dealId: '4711',
      source: 'pipedrive',
      leadId,
      outcome: 'moved',
      value: { amount: 1_800_050, currency: 'EUR' },
    })
    expect(await leadRow(leadId)).toMatchObject({
      stage: 'customer',
      stage_set_by: 'manual',
      deal_amount: 1_800_050,
      deal_currency: 'EUR',
    })
    expect((await historyOf(leadId)).at(-1)).toMatchObject({
      to_stage: 'customer',
      cause: 'manual',
      token_id: 'inbound:pipedrive',
      reason: 'deal won in pipedrive: 4711',
      value_amount: 1_800_050,
    })
    const events = await stageEvents(site, leadId)
    expect(events.map((e) => e.data)).toEqual([
      expect.objectContaining({
        from: 'lead',
        to: 'customer',
        cause: 'crm',
        deal: { source: 'pipedrive', dealId: '4711' },
      }),
    ])
    const after = (await report(site, 'first')).rows.find((r) => r.campaign === 'q4-whitepaper')
    expect(after).toMatchObject({ customers: 1, revenue: 1_800_050, costPerOrder: 30000 })

    // Pipedrive retries (and sends later updates of the won deal): nothing changes any more.
    const row = await leadRow(leadId)
    const history = await historyOf(leadId)
    for (const again of [body, pipedriveV1({ id: 4711, person_id: 1234, value: 99 })]) {
      const repeat = await postInbound(url, again)
      expect(repeat.status).toBe(200)
      expect(await repeat.json()).toEqual(result)
    }
    expect(await leadRow(leadId)).toEqual(row)
    expect(await historyOf(leadId)).toEqual(history)
    expect(await stageEvents(site, leadId)).toHaveLength(1)
  })

  it('reads the v2 payload, finds a lead by the person’s email, and takes basic auth', async () => {
    const site = await createDealSite()
    const leadId = await newLead(site, 'max.muster@firma.de')
    const { key } = await inboundKey(site, 'pipedrive')
    const body = {
      meta: { action: 'change', entity: 'deal', entity_id: '815', version: '2.0' },
      data: {
        id: 815,
        status: 'won',
        value: 2500,
        currency: 'usd',
        person_id: { value: 99, email: [{ value: 'Max.Muster@Firma.DE', primary: true }] },
      },
      previous: { status: 'open' },
    }
    const response = await postInbound(
      `https://collector.test/v1/inbound/${site.siteKey}/pipedrive`,
      body,
      {
        authorization: `Basic ${btoa(`pipedrive:${key}`)}`,
      },
    )
    expect(response.status).toBe(201)
    expect(await response.json()).toMatchObject({
      dealId: '815',
      leadId,
      value: { amount: 250_000, currency: 'USD' },
    })
    expect(await leadRow(leadId)).toMatchObject({ stage: 'customer', deal_currency: 'USD' })
  })

  it('ignores deals not won, other objects and unknown persons with 200, writing nothing', async () => {
    const site = await createDealSite()
    const leadId = await newLead(site, 'known@firma.de')
    const { url } = await inboundKey(site, 'pipedrive')
    const cases: [unknown, string][] = [
      [pipedriveV1({ id: 1, status: 'open', person_id: 5 }), 'deal not won'],
      [pipedriveV1({ id: 2, status: 'lost', person_id: 5 }), 'deal not won'],
      [{ meta: { action: 'updated', object: 'person', id: 5 }, current: { id: 5 } }, 'not a deal'],
      [
        { meta: { action: 'delete', entity: 'deal', entity_id: '3' }, data: null },
        'no deal in the payload',
      ],
      [pipedriveV1({ id: 4, person_id: 404 }), 'no such lead'],
      [
        pipedriveV1({ id: 5, person_id: { value: 405, email: [{ value: 'stranger@firma.de' }] } }),
        'no such lead',
      ],
    ]
    for (const [body, reason] of cases) {
      const response = await postInbound(url, body)
      expect(response.status, reason).toBe(200)
      expect(await response.json()).toEqual({ ignored: true, reason })
    }
    expect((await leadRow(leadId))!.stage).toBe('lead')
    expect(await stageEvents(site, leadId)).toEqual([])
  })
})

describe('POST /v1/inbound/{siteKey}/hubspot', () => {
  it('reads the workflow body {dealId, email, amount, currency}', async () => {
    const site = await createDealSite()
    const leadId = await newLead(site, 'erika@firma.de')
    const { url } = await inboundKey(site, 'hubspot')
    const response = await postInbound(url, {
      dealId: '98765',
      email: 'ERIKA@firma.de',
      amount: '1500.00',
      currency: 'EUR',
    })
    expect(response.status).toBe(201)
    expect(await response.json()).toMatchObject({
      source: 'hubspot',
      dealId: '98765',
      leadId,
      value: { amount: 150_000, currency: 'EUR' },
    })
    expect((await historyOf(leadId)).at(-1)).toMatchObject({
      token_id: 'inbound:hubspot',
      reason: 'deal won in hubspot: 98765',
    })
    expect(await stageEvents(site, leadId)).toHaveLength(1)
  })

  it('reads the deal object: closedwon, its amount, currency and linked contact', async () => {
    const site = await createDealSite()
    const leadId = await newLead(site)
    await linkLead(site, leadId, 'hubspot', '501')
    const { url } = await inboundKey(site, 'hubspot')
    const deal = (stage: string) => ({
      objectId: 123,
      properties: {
        dealstage: stage,
        amount: '980',
        deal_currency_code: 'JPY',
        hs_object_id: '123',
      },
      associations: { contacts: { results: [{ id: '501', type: 'deal_to_contact' }] } },
    })
    const open = await postInbound(url, deal('appointmentscheduled'))
    expect(await open.json()).toEqual({ ignored: true, reason: 'deal not won' })
    const won = await postInbound(url, deal('closedwon'))
    expect(won.status).toBe(201)
    expect(await won.json()).toMatchObject({
      dealId: '123',
      leadId,
      value: { amount: 980, currency: 'JPY' },
    })
    const again = await postInbound(url, deal('closedwon'))
    expect(again.status).toBe(200)
  })
})
