import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { LeadDetail, LeadSubmissionResult } from '../../../shared/leads'
import type { ModelSummary } from '../../../shared/model'
import type { SiteDetail } from '../../../shared/site'
import { auc } from '../../../worker/src/domain/model/evaluate'
import { runModelUpkeep } from '../../../worker/src/services/lead-model'
import { admin, leadBody, postLead } from '../helpers'
import { listAll, modelSite, populate } from './model-data'

async function train(siteKey: string): Promise<ModelSummary> {
  const response = await admin(`/v1/admin/sites/${siteKey}/model`, 'POST')
  expect(response.status).toBe(201)
  return (await response.json()) as ModelSummary
}

describe('the learned score, trained through the API', () => {
  it('is used on informative outcomes, and ranks converters above the others', async () => {
    const site = await modelSite({ model: { minPositives: 20, negativeAfterDays: 90 } })
    const leads = await populate(site, 70)
    const model = await train(site.siteKey)
    expect(model).toMatchObject({ version: 1, examples: 70, used: true })
    expect(model.positives).toBe(leads.filter((lead) => lead.positive).length)
    // Every lead has the same form; only a phone given moves the rule score.
    expect(model.ruleAuc).toBeLessThan(0.6)
    expect(model.auc).toBeGreaterThanOrEqual(model.ruleAuc + 0.02)
    expect(model.calibrationError).toBeGreaterThanOrEqual(0)
    expect(model.calibrationError).toBeLessThan(0.5)
    expect(new Date(model.trainedAt).getTime()).toBeGreaterThan(Date.now() - 60_000)
    const current = await admin(`/v1/admin/sites/${site.siteKey}/model`, 'GET')
    expect(current.status).toBe(200)
    expect(await current.json()).toEqual(model)

    // Rescored: every lead has a probability, highest first, paged completely.
    const listed = await listAll(site, { sort: '-probability', limit: '9' })
    expect(listed).toHaveLength(70)
    expect(new Set(listed.map((lead) => lead.leadId)).size).toBe(70)
    const probabilities = listed.map((lead) => lead.conversionProbability)
    for (const p of probabilities) expect(p).toBeGreaterThanOrEqual(0)
    expect(probabilities).toEqual([...probabilities].sort((a, b) => b! - a!))
    const ascending = await listAll(site, { sort: 'probability', limit: '11' })
    expect(ascending.map((lead) => lead.leadId)).toHaveLength(70)
    expect(ascending[0]!.conversionProbability).toBe(probabilities[probabilities.length - 1])

    const byId = new Map(listed.map((lead) => [lead.leadId, lead]))
    const labelled = leads.filter((lead) => lead.positive !== null)
    expect(
      auc(
        labelled.map((lead) => byId.get(lead.leadId)!.conversionProbability!),
        labelled.map((lead) => (lead.positive ? 1 : 0)),
      ),
    ).toBeGreaterThan(0.8)

    // Readable reasons from the vocabulary, never a personal value.
    const teacher = leads.find((lead) => lead.occupation === 'teacher')!
    const factors = byId.get(teacher.leadId)!.conversionFactors
    expect(factors.length).toBeGreaterThan(0)
    expect(factors.length).toBeLessThanOrEqual(5)
    for (const factor of factors) expect(factor).toMatch(/^[+-]\d+\.\d [a-z]/)
    expect(factors).toContain(
      factors.find((f) => /^\+\d+\.\d answered occupation: teacher$/.test(f)),
    )
    for (const lead of listed) {
      const text = lead.conversionFactors.join(' | ')
      expect(text).not.toMatch(/@|firma|vorname|berg|030/i)
    }

    // The detail carries the same, and a minimum probability filters.
    const detail = (await (
      await admin(`/v1/admin/sites/${site.siteKey}/leads/${teacher.leadId}`, 'GET')
    ).json()) as LeadDetail
    expect(detail.conversionProbability).toBe(byId.get(teacher.leadId)!.conversionProbability)
    expect(detail.conversionFactors).toEqual(factors)
    const threshold = probabilities[20]!
    const above = await listAll(site, { minProbability: String(threshold), sort: '-probability' })
    expect(above.length).toBe(probabilities.filter((p) => p! >= threshold).length)
    const scored = await listAll(site, { minScore: '-1000' })
    expect(scored).toHaveLength(70)
    expect(await listAll(site, { minScore: '100000' })).toHaveLength(0)

    // A new lead is scored as it is captured.
    const fresh = await postLead(
      site,
      leadBody(site, {
        fields: { email: `new.${site.siteKey}@firma.de`, occupation: 'teacher' },
        consents: [],
      }),
      { ip: '192.0.2.44' },
    )
    expect(fresh.status).toBe(201)
    const { leadId } = (await fresh.json()) as LeadSubmissionResult
    const row = await env.DB.prepare(
      'SELECT conversion_probability, model_version FROM leads WHERE id = ?1',
    )
      .bind(leadId)
      .first<{ conversion_probability: number | null; model_version: number }>()
    expect(row?.conversion_probability).toBeGreaterThan(0)
    expect(row?.model_version).toBe(1)

    // A new version rescores every lead.
    const second = await train(site.siteKey)
    expect(second.version).toBe(2)
    const versions = await env.DB.prepare(
      'SELECT COUNT(*) AS n FROM leads WHERE site_key = ?1 AND model_version = 2',
    )
      .bind(site.siteKey)
      .first<{ n: number }>()
    expect(versions?.n).toBe(71)
  })

  it('is not used with fewer positives than the site asks for: the rules rank', async () => {
    const site = await modelSite()
    await populate(site, 30)
    const model = await train(site.siteKey)
    expect(model.positives).toBeLessThan(50)
    expect(model.used).toBe(false)
    const listed = await listAll(site, { sort: '-probability' })
    expect(listed).toHaveLength(30)
    for (const lead of listed) {
      expect(lead.conversionProbability).toBeNull()
      expect(lead.conversionFactors).toEqual([])
    }
  })

  it('keeps the rule score for a site without outcomes, and sorts its leads by id', async () => {
    const site = await modelSite()
    await populate(site, 5, () => null)
    await expectNoModel(site.siteKey)
    const listed = await listAll(site, { sort: '-probability', limit: '2' })
    expect(listed.map((lead) => lead.conversionProbability)).toEqual([null, null, null, null, null])
    const ids = listed.map((lead) => lead.leadId)
    expect(ids).toEqual([...ids].sort().reverse())
    const ascending = await listAll(site, { sort: 'probability', limit: '2' })
    expect(ascending.map((lead) => lead.leadId)).toEqual([...ids].sort())
    expect(await listAll(site, { minProbability: '0' })).toHaveLength(0)
  })

  it('round-trips the model settings through the site PUT and GET', async () => {
    const site = await modelSite()
    const read = async () =>
      (await (await admin(`/v1/admin/sites/${site.siteKey}`, 'GET')).json()) as SiteDetail
    expect((await read()).model).toEqual({ minPositives: 50, negativeAfterDays: 90 })
    const {
      createdAt: _c,
      updatedAt: _u,
      siteKey: _k,
      stageModelLocked: _l,
      accentColor: _a,
      ...settings
    } = await read()
    const put = await admin(`/v1/admin/sites/${site.siteKey}`, 'PUT', {
      ...settings,
      model: { minPositives: 80, negativeAfterDays: 30 },
    })
    expect(put.status).toBe(200)
    expect((await read()).model).toEqual({ minPositives: 80, negativeAfterDays: 30 })
    // Left out, the site keeps its settings.
    const { model: _m, ...rest } = settings
    expect((await admin(`/v1/admin/sites/${site.siteKey}`, 'PUT', rest)).status).toBe(200)
    expect((await read()).model).toEqual({ minPositives: 80, negativeAfterDays: 30 })
  })

  it('is trained by the hourly upkeep once outcomes changed, and rescores', async () => {
    const site = await modelSite({ model: { minPositives: 10, negativeAfterDays: 90 } })
    await populate(site, 40)
    for (let run = 0; run < 20; run++) {
      await runModelUpkeep(env.DB, new Date())
      const model = await admin(`/v1/admin/sites/${site.siteKey}/model`, 'GET')
      if (model.status === 200) break
    }
    const model = (await (
      await admin(`/v1/admin/sites/${site.siteKey}/model`, 'GET')
    ).json()) as ModelSummary
    expect(model.version).toBe(1)
    expect(model.used).toBe(true)
    const listed = await listAll(site, {})
    for (const lead of listed) expect(lead.conversionProbability).not.toBeNull()
    // Nothing changed since: the next run trains no new version.
    await runModelUpkeep(env.DB, new Date())
    const again = (await (
      await admin(`/v1/admin/sites/${site.siteKey}/model`, 'GET')
    ).json()) as ModelSummary
    expect(again.version).toBe(1)
  })
})

async function expectNoModel(siteKey: string) {
  const response = await admin(`/v1/admin/sites/${siteKey}/model`, 'GET')
  expect(response.status).toBe(404)
}
