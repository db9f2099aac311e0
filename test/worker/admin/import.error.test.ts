import { describe, expect, it } from 'vitest'
import { MAX_IMPORT_LEADS, MAX_IMPORT_TOUCHPOINTS } from '../../../shared/import'
import { call, createSite, expectProblem, ROOT, rowCounts } from '../helpers'
import { daysAgo, historyLead, importCsv, importJson } from './import-data'

const paths = (problem: { errors?: { path: string }[] }) =>
  (problem.errors ?? []).map((e) => e.path).sort()

describe('POST /v1/admin/sites/{siteKey}/import refuses', () => {
  it('a batch with bad leads as a whole, every error named by its path, writing nothing', async () => {
    const site = await createSite()
    const good = historyLead(site, 'good')
    const badEmail = { ...historyLead(site, 'bad-email'), fields: { email: 'not-an-address' } }
    const badForm = { ...historyLead(site, 'bad-form'), formId: 'nope' }
    const badStage = {
      ...historyLead(site, 'bad-stage'),
      outcome: { stage: 'engaged', at: daysAgo(10) },
    }
    const badPhone = {
      ...historyLead(site, 'bad-phone'),
      fields: { email: 'p@beispiel.de', phone: 'call me' },
    }
    const noEmail = { ...historyLead(site, 'no-email'), fields: { firstName: 'Nobody' } }
    const before = await rowCounts()
    const problem = await expectProblem(
      await importJson(site.siteKey, {
        leads: [good, badEmail, badForm, badStage, badPhone, noEmail],
      }),
      422,
      'validation_failed',
    )
    expect(paths(problem)).toEqual([
      'leads.1.fields.email',
      'leads.2.formId',
      'leads.3.outcome.stage',
      'leads.4.fields.phone',
      'leads.5.fields.email',
    ])
    expect(problem.detail).toMatch(/nothing was written/)
    expect(await rowCounts()).toEqual(before)
  })

  it('times in the future, a customer without its value, an outcome before the lead', async () => {
    const site = await createSite()
    const future = new Date(Date.now() + 3600_000).toISOString()
    const lead = historyLead(site)
    const problem = await expectProblem(
      await importJson(site.siteKey, {
        leads: [
          { ...lead, externalId: 'f1', createdAt: future, outcome: undefined },
          {
            ...lead,
            externalId: 'f2',
            touchpoints: [{ type: 'page_view', at: future, url: `${site.origin}/` }],
          },
          { ...lead, externalId: 'f3', outcome: { stage: 'customer', at: daysAgo(1) } },
          { ...lead, externalId: 'f4', outcome: { stage: 'opportunity', at: daysAgo(300) } },
          {
            ...lead,
            externalId: 'f5',
            touchpoints: [{ type: 'page_view', at: daysAgo(1), url: `${site.origin}/`, value: 30 }],
          },
          { ...lead, externalId: 'f1' },
        ],
      }),
      422,
      'validation_failed',
    )
    expect(paths(problem)).toEqual([
      'leads.0.createdAt',
      'leads.1.touchpoints.0.at',
      'leads.2.outcome.value',
      'leads.3.outcome.at',
      'leads.4.touchpoints.0.value',
      'leads.5.externalId',
    ])
  })

  it('batches over the bounds', async () => {
    const site = await createSite()
    const lead = { ...historyLead(site), touchpoints: [], consents: [], outcome: undefined }
    const many = Array.from({ length: MAX_IMPORT_LEADS + 1 }, (_, i) => ({
      ...lead,
      externalId: `x-${i}`,
      fields: { email: `x${i}@beispiel.de` },
    }))
    let problem = await expectProblem(await importJson(site.siteKey, { leads: many }), 422)
    expect(paths(problem)).toEqual(['leads'])

    const touchpoints = Array.from({ length: 1001 }, (_, i) => ({
      type: 'page_view',
      at: new Date(Date.now() - (i + 1) * 60_000).toISOString(),
      url: `${site.origin}/p${i}`,
    }))
    const heavy = Array.from({ length: 5 }, (_, i) => ({
      ...lead,
      externalId: `h-${i}`,
      fields: { email: `h${i}@beispiel.de` },
      touchpoints,
    }))
    expect(heavy.length * touchpoints.length).toBeGreaterThan(MAX_IMPORT_TOUCHPOINTS)
    problem = await expectProblem(await importJson(site.siteKey, { leads: heavy }), 422)
    expect(problem.errors?.[0]?.message).toMatch(/at most 5000 touchpoints/)

    problem = await expectProblem(await importJson(site.siteKey, { leads: [] }), 422)
    expect(paths(problem)).toEqual(['leads'])
  })

  it('CSV rows with errors, named by row number and column', async () => {
    const site = await createSite()
    const before = await rowCounts()
    const csv = [
      'external_id,created_at,email,first_name,stage,stage_at,amount,currency',
      `ok-1,${daysAgo(50)},ok@beispiel.de,Ok,,,,`,
      `bad-1,yesterday,bad@beispiel.de,Bad,,,,`,
      `bad-2,${daysAgo(50)},no-address,Bad,customer,${daysAgo(5)},12.345,EUR`,
      `ok-1,${daysAgo(50)},ok2@beispiel.de,Twin,,,,`,
    ].join('\n')
    const problem = await expectProblem(await importCsv(site.siteKey, csv), 422)
    expect(paths(problem)).toEqual(['rows.3.created_at', 'rows.4.amount'])
    // Row-level schema errors come first; the email is checked once the rows read.
    const fixed = csv.replace('yesterday', daysAgo(40)).replace('12.345', '12.34')
    const next = await expectProblem(await importCsv(site.siteKey, fixed), 422)
    expect(paths(next)).toEqual(['rows.5.external_id'])
    const last = await expectProblem(
      await importCsv(site.siteKey, fixed.split('\n').slice(0, 4).join('\n')),
      422,
    )
    expect(paths(last)).toEqual(['rows.4.email'])
    expect(await rowCounts()).toEqual(before)
  })

  it('a CSV without its required columns, or touchpoints of leads never imported', async () => {
    const site = await createSite()
    let problem = await expectProblem(await importCsv(site.siteKey, 'email\nx@beispiel.de\n'), 422)
    expect(paths(problem)).toEqual(['rows.1.created_at', 'rows.1.external_id'])

    problem = await expectProblem(
      await importCsv(
        site.siteKey,
        `external_id,type,at,url\nghost,page_view,${daysAgo(3)},${site.origin}/\n`,
        { part: 'touchpoints' },
      ),
      422,
    )
    expect(paths(problem)).toEqual(['rows.2.external_id'])
    problem = await expectProblem(
      await importCsv(site.siteKey, `external_id,type,at,url,colour\n`, { part: 'touchpoints' }),
      422,
    )
    expect(paths(problem)).toEqual(['rows.1.colour'])
    problem = await expectProblem(
      await importCsv(
        site.siteKey,
        `external_id,type,at,url\nghost,teleport,${daysAgo(3)},${site.origin}/\n`,
        { part: 'touchpoints' },
      ),
      422,
    )
    expect(paths(problem)).toEqual(['rows.2.type'])
  })

  it('other content types, malformed JSON, an unknown site', async () => {
    const site = await createSite()
    const post = (body: string, type: string, siteKey = site.siteKey) =>
      call(`/v1/admin/sites/${siteKey}/import`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ROOT}`, 'content-type': type },
        body,
      })
    const unsupported = await post('leads', 'application/x-www-form-urlencoded')
    expect(unsupported.status).toBe(415)
    expect(unsupported.headers.get('content-type')).toContain('application/problem+json')
    await expectProblem(await post('{"leads": [', 'application/json'), 400)
    await expectProblem(
      await importJson('no-such-site', { leads: [historyLead(site)] }),
      404,
      'site_not_found',
    )
  })

  it('an email that already belongs to another imported lead', async () => {
    const site = await createSite()
    const first = historyLead(site, 'one')
    expect((await importJson(site.siteKey, { leads: [first] })).status).toBe(200)
    const other = { ...historyLead(site, 'two'), fields: first.fields }
    const problem = await expectProblem(await importJson(site.siteKey, { leads: [other] }), 422)
    expect(paths(problem)).toEqual(['leads.0.externalId'])
  })
})
