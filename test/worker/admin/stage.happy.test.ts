import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { LeadDetail, LeadSubmissionResult } from '../../../shared/leads'
import type { TokenCreated } from '../../../shared/site'
import { admin, createSite, expectProblem, leadBody, postLead } from '../helpers'

async function newLead() {
  const site = await createSite()
  const { leadId } = (await (await postLead(site, leadBody(site))).json()) as LeadSubmissionResult
  return { site, leadId, path: `/v1/admin/sites/${site.siteKey}/leads/${leadId}` }
}

describe('POST /v1/admin/sites/{siteKey}/leads/{leadId}/stage', () => {
  it('sets opportunity and customer by hand with the deal value, token and reason in the history', async () => {
    const { site, path } = await newLead()
    const sales = (await (
      await admin(`/v1/admin/sites/${site.siteKey}/tokens`, 'POST', {
        scopes: ['leads:write', 'leads:read'],
      })
    ).json()) as TokenCreated
    expect(
      (
        await admin(
          `${path}/stage`,
          'POST',
          { stage: 'opportunity', reason: 'Angebot verschickt' },
          sales.token,
        )
      ).status,
    ).toBe(200)
    const won = await admin(
      `${path}/stage`,
      'POST',
      { stage: 'customer', value: { amount: 1_800_000, currency: 'EUR' } },
      sales.token,
    )
    expect(won.status).toBe(200)
    const lead = (await (await admin(path, 'GET')).json()) as LeadDetail
    expect(lead.stage).toBe('customer')
    expect(lead.stageHistory.map((h) => [h.from, h.to, h.cause])).toEqual([
      [null, 'lead', 'rule'],
      ['lead', 'opportunity', 'manual'],
      ['opportunity', 'customer', 'manual'],
    ])
    expect(lead.stageHistory[1]).toMatchObject({ tokenId: sales.id, reason: 'Angebot verschickt' })
    expect(lead.stageHistory[2]).toMatchObject({ value: { amount: 1_800_000, currency: 'EUR' } })
    const row = await env.DB.prepare(
      'SELECT deal_amount, deal_currency, customer_at, stage_set_by FROM leads WHERE id = ?1',
    )
      .bind(lead.leadId)
      .first<Record<string, unknown>>()
    expect(row).toMatchObject({
      deal_amount: 1_800_000,
      deal_currency: 'EUR',
      stage_set_by: 'manual',
    })
    expect(row!.customer_at).toBeTruthy()
  })

  it('keeps a stage set by hand when the lead submits again', async () => {
    const { site, path } = await newLead()
    await admin(`${path}/stage`, 'POST', { stage: 'opportunity' })
    const again = await postLead(
      site,
      leadBody(site, { fields: { email: 'anna.berg@firma.de', company: 'Neu AG' } }),
    )
    expect(await again.json()).toMatchObject({ stage: 'opportunity' })
  })

  it('moves a lead back only with a reason', async () => {
    const { path } = await newLead()
    await admin(`${path}/stage`, 'POST', { stage: 'sql' })
    const problem = await expectProblem(
      await admin(`${path}/stage`, 'POST', { stage: 'lead' }),
      422,
    )
    expect(problem.errors).toContainEqual({
      path: 'reason',
      message: 'moving a lead back needs a reason',
    })
    const back = await admin(`${path}/stage`, 'POST', {
      stage: 'lead',
      reason: 'Kein Budget in 2026',
    })
    expect(back.status).toBe(200)
    expect(await back.json()).toMatchObject({ stage: 'lead' })
  })
})
