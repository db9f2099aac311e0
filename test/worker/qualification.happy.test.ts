import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { FormInput } from '../../shared/form'
import type { LeadDetail, LeadSubmissionResult } from '../../shared/leads'
import { issueStartToken } from '../../worker/src/domain/start-token'
import {
  admin,
  call,
  createSite,
  leadBody,
  pageView,
  postEvents,
  postLead,
  type TestSite,
} from './helpers'
import { linkIn } from './newsletter'

const DAY = 24 * 3600 * 1000
const daysAgo = (days: number) => new Date(Date.now() - days * DAY).toISOString()
/** `points × log2(1 + n)`, rounded: what n page views or return visits earn in all. */
const dim = (points: number, n: number) => Math.round(points * Math.log2(1 + n))

async function addForm(
  site: TestSite,
  formId: string,
  form: Partial<FormInput> & Pick<FormInput, 'kind' | 'title'>,
) {
  const response = await admin(`/v1/admin/sites/${site.siteKey}/forms/${formId}`, 'PUT', {
    fields: [
      { name: 'email', type: 'email', required: true, label: 'E-Mail' },
      { name: 'jobTitle', type: 'text', label: 'Position' },
    ],
    ...form,
  })
  expect(response.ok).toBe(true)
}

async function submit(
  site: TestSite,
  formId: string,
  fields: Record<string, string>,
  visitorId?: string,
) {
  const response = await postLead(site, {
    ...leadBody(site),
    formId,
    fields,
    consents: formId === 'wp' ? leadBody(site).consents : [],
    ...(visitorId ? { visitorId } : {}),
    startToken: await issueStartToken(
      env.LODESTONE_SECRET,
      site.siteKey,
      formId,
      Date.now() - 30_000,
    ),
  })
  expect(response.status).toBe(201)
  return (await response.json()) as LeadSubmissionResult
}

async function detail(site: TestSite, leadId: string) {
  return (await (
    await admin(`/v1/admin/sites/${site.siteKey}/leads/${leadId}`, 'GET')
  ).json()) as LeadDetail
}

const ANNA = {
  email: 'anna@firma.de',
  firstName: 'Anna',
  lastName: 'Berg',
  company: 'Firma GmbH',
  jobTitle: 'Marketing Managerin',
}

describe('qualification wired into submissions and touchpoints', () => {
  it('keeps a complete newsletter-only lead at lead', async () => {
    const site = await createSite({ requiredFields: ['email'] })
    await addForm(site, 'nl', { kind: 'newsletter', title: 'Newsletter' })
    const result = await submit(site, 'nl', { email: 'nora@firma.de' })
    expect(result).toMatchObject({ stage: 'lead', complete: true })
    const lead = await detail(site, result.leadId)
    expect(lead.score.engagement).toBe(4)
    expect(lead.score.reasons.join('\n')).toContain('newsletter')
  })

  it('holds a lead without company and job title at lead however engaged, with its missing list', async () => {
    const site = await createSite()
    await addForm(site, 'demo', { kind: 'demo_request', title: 'Demo' })
    const visitorId = crypto.randomUUID()
    const result = await submit(
      site,
      'wp',
      { email: 'jo@firma.de', firstName: 'Jo', lastName: 'Doe' },
      visitorId,
    )
    await submit(site, 'demo', { email: 'jo@firma.de' }, visitorId)
    await postEvents(site.origin, {
      siteKey: site.siteKey,
      visitorId,
      events: [1, 2, 3, 4].map((d) => pageView(`${site.origin}/pricing`, { ts: daysAgo(d) })),
    })
    const lead = await detail(site, result.leadId)
    expect(lead.score.engagement).toBeGreaterThan(25)
    expect(lead).toMatchObject({ stage: 'lead', complete: false, missing: ['company', 'jobTitle'] })
  })

  it('makes a complete lead with repeated content downloads and visits on several days an MQL, then an SQL and hot after a demo request as a decision maker', async () => {
    const site = await createSite()
    await addForm(site, 'ebook', { kind: 'ebook', title: 'E-Book Leadgen' })
    await addForm(site, 'check', { kind: 'checklist', title: 'Checkliste Leadgen' })
    await addForm(site, 'demo', { kind: 'demo_request', title: 'Demo' })
    const visitorId = crypto.randomUUID()
    await postEvents(site.origin, {
      siteKey: site.siteKey,
      visitorId,
      events: [6, 4, 2].map((d) => pageView(`${site.origin}/blog/${d}`, { ts: daysAgo(d) })),
    })
    const first = await submit(site, 'wp', ANNA, visitorId)
    expect(first.stage).toBe('lead')
    await submit(site, 'ebook', { email: ANNA.email }, visitorId)
    // Two downloads and three earlier visits: not yet past the MQL threshold (28).
    expect((await detail(site, first.leadId)).stage).toBe('lead')
    await submit(site, 'check', { email: ANNA.email }, visitorId)
    const mql = await detail(site, first.leadId)
    expect(mql.stage).toBe('mql')
    expect(mql.score.engagement).toBeGreaterThanOrEqual(28)

    const sql = await submit(
      site,
      'demo',
      { email: ANNA.email, jobTitle: 'Geschäftsführerin' },
      visitorId,
    )
    expect(sql).toMatchObject({ stage: 'sql', temperature: 'hot' })
    const lead = await detail(site, first.leadId)
    expect(lead.score.reasons.some((reason) => reason.includes('Geschäftsführerin'))).toBe(true)
    expect(lead.stageHistory.map((h) => [h.from, h.to, h.cause])).toEqual([
      [null, 'lead', 'rule'],
      ['lead', 'mql', 'rule'],
      ['mql', 'sql', 'rule'],
    ])
    expect(lead.stageHistory.every((h) => h.ruleId)).toBe(true)
  })

  it('lets touchpoints of a linked visitor move the lead, and caps a page reloaded a hundred times', async () => {
    const site = await createSite()
    const visitorId = crypto.randomUUID()
    const result = await submit(site, 'wp', ANNA, visitorId)
    const before = (await detail(site, result.leadId)).score.engagement
    const reloads = Array.from({ length: 100 }, () => pageView(`${site.origin}/produkt`))
    await postEvents(site.origin, { siteKey: site.siteKey, visitorId, events: reloads })
    const after = await detail(site, result.leadId)
    // Ten views count (the daily cap), worth 2 × log2(1 + 10) in all.
    expect(after.score.engagement - before).toBe(dim(2, 10))
    await postEvents(site.origin, {
      siteKey: site.siteKey,
      visitorId,
      events: Array.from({ length: 50 }, () => pageView(`${site.origin}/produkt`)),
    })
    expect((await detail(site, result.leadId)).score.engagement).toBe(after.score.engagement)
  })

  it('applies a site’s fit rules over the form and the first touch, and counts the marketing opt-in', async () => {
    const site = await createSite({
      rules: {
        fitRules: [
          { id: 'wp', forms: ['wp'], points: 12 },
          { id: 'ads', source: ['LinkedIn'], medium: ['paid'], points: -4 },
          { id: 'demo', forms: ['demo'], points: 50 },
        ],
      },
    })
    // leadBody comes from utm_source linkedin, medium paid, and grants marketing email.
    const result = await submit(site, 'wp', ANNA)
    const lead = await detail(site, result.leadId)
    expect(lead.score.reasons).toEqual(
      expect.arrayContaining([
        '+6 asked for marketing email',
        '+12 came through form wp',
        '-4 source LinkedIn, medium paid',
      ]),
    )
    // Business email 10, company 5, opt-in 6, the two rules; no demo form, so not its 50.
    expect(lead.score.fit).toBe(10 + 5 + 6 + 12 - 4)
  })

  it('does not let rules move a lead whose stage sales set', async () => {
    const site = await createSite()
    await addForm(site, 'demo', { kind: 'demo_request', title: 'Demo' })
    const result = await submit(site, 'wp', ANNA)
    await admin(`/v1/admin/sites/${site.siteKey}/leads/${result.leadId}/stage`, 'POST', {
      stage: 'opportunity',
    })
    const again = await submit(site, 'demo', { email: ANNA.email, jobTitle: 'CEO' })
    expect(again.stage).toBe('opportunity')
    const lead = await detail(site, result.leadId)
    expect(lead.stageHistory.map((h) => h.to)).toEqual(['lead', 'opportunity'])
  })

  it('gives a b2c lead prospect first and applies a site that overrides the MQL threshold', async () => {
    const b2c = await createSite({ stageModel: 'b2c' })
    expect((await submit(b2c, 'wp', ANNA)).stage).toBe('prospect')
    const eager = await createSite({ rules: { mqlThreshold: 5 } })
    expect((await submit(eager, 'wp', ANNA)).stage).toBe('mql')
  })
})

describe('completeness judged by what the forms asked (docs/completeness.md#completeness)', () => {
  /** Adds the site's newsletter form (it asks for the email alone) and answers its consent text id. */
  async function addNewsletter(site: TestSite) {
    const form = await admin(`/v1/admin/sites/${site.siteKey}/forms/nl`, 'PUT', {
      kind: 'newsletter',
      title: 'Newsletter',
      fields: [{ name: 'email', type: 'email', required: true, label: 'E-Mail' }],
      consents: [{ purpose: 'marketing_email', text: 'Ja, den Newsletter.', required: true }],
    } satisfies FormInput)
    expect(form.ok).toBe(true)
    return ((await form.json()) as { consents: { textId: string }[] }).consents[0]!.textId
  }

  async function signUp(site: TestSite, textId: string, email: string, visitorId?: string) {
    const response = await postLead(site, {
      ...leadBody(site),
      formId: 'nl',
      fields: { email },
      consents: [{ purpose: 'marketing_email', granted: true, textId }],
      ...(visitorId ? { visitorId } : {}),
      startToken: await issueStartToken(
        env.LODESTONE_SECRET,
        site.siteKey,
        'nl',
        Date.now() - 10_000,
      ),
    })
    expect(response.status).toBe(201)
    return (await response.json()) as LeadSubmissionResult
  }

  it('lets a newsletter signup, complete with its email, become an MQL once confirmed and engaged enough', async () => {
    // The default b2b site requires name, company and job title: fields a newsletter never asks.
    const site = await createSite()
    const visitorId = crypto.randomUUID()
    const result = await signUp(site, await addNewsletter(site), 'nora@firma.de', visitorId)
    expect(result).toMatchObject({ stage: 'lead', complete: true, missing: [] })

    const mail = await env.DB.prepare('SELECT body FROM outbox WHERE lead_id = ?1')
      .bind(result.leadId)
      .first<{ body: string }>()
    // The mailed link shows a button; its POST confirms (docs/consent-and-privacy.md#links).
    const optin = linkIn(mail!.body, /https?:\/\/\S+\/v1\/optin\/\S+/)
    expect((await call(optin, { method: 'POST' })).status).toBe(200)
    const confirmed = await detail(site, result.leadId)
    expect(confirmed.consents.map((c) => c.status)).toContain('confirmed')
    expect(confirmed.stage).toBe('lead')

    // Reading the pricing pages on four days: engagement past the MQL threshold (28).
    await postEvents(site.origin, {
      siteKey: site.siteKey,
      visitorId,
      events: [4, 3, 2, 1].flatMap((d) =>
        ['/pricing', '/preise'].map((path) =>
          pageView(`${site.origin}${path}`, { ts: daysAgo(d) }),
        ),
      ),
    })
    const lead = await detail(site, result.leadId)
    expect(lead.score.engagement).toBeGreaterThanOrEqual(28)
    expect(lead).toMatchObject({ stage: 'mql', complete: true, missing: [] })
    expect(lead.stageHistory.map((h) => [h.from, h.to])).toEqual([
      [null, 'lead'],
      ['lead', 'mql'],
    ])
  })

  it('keeps a field an earlier form asked and did not get missing, until a form gets it', async () => {
    const site = await createSite()
    const textId = await addNewsletter(site)
    const first = await submit(site, 'wp', { email: 'jo@firma.de', firstName: 'Jo', lastName: 'D' })
    expect(first).toMatchObject({ complete: false, missing: ['company', 'jobTitle'] })
    // The newsletter asks nothing more, and forgets nothing the whitepaper asked.
    expect(await signUp(site, textId, 'jo@firma.de')).toMatchObject({
      complete: false,
      missing: ['company', 'jobTitle'],
    })
    const done = await submit(site, 'wp', {
      email: 'jo@firma.de',
      company: 'Firma GmbH',
      jobTitle: 'Einkauf',
    })
    expect(done).toMatchObject({ complete: true, missing: [] })
  })

  it('migration 0007 completes leads stored under the old rule, only of fields no form of theirs asked', async () => {
    const site = await createSite()
    const newsletterLead = (await signUp(site, await addNewsletter(site), 'nina@firma.de')).leadId
    const whitepaperLead = (await submit(site, 'wp', { email: 'jo@firma.de', firstName: 'Jo' }))
      .leadId
    // As the old rule stored it: every required field the lead lacked.
    await env.DB.prepare(
      `UPDATE leads SET complete = 0, missing = '["firstName","lastName","company","jobTitle"]'
        WHERE id = ?1`,
    )
      .bind(newsletterLead)
      .run()
    expect(await detail(site, newsletterLead)).toMatchObject({ complete: false })
    const migration = env.TEST_MIGRATIONS.find((m) => m.name.startsWith('0007_'))!
    for (const query of migration.queries) await env.DB.prepare(query).run()

    expect(await detail(site, newsletterLead)).toMatchObject({ complete: true, missing: [] })
    expect(await detail(site, whitepaperLead)).toMatchObject({
      complete: false,
      missing: ['lastName', 'company', 'jobTitle'],
    })
  })
})
