import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { LeadSubmissionResult } from '../../shared/leads'
import type { Delivery } from '../../shared/outbound'
import type { Rules } from '../../shared/rules'
import { issueStartToken } from '../../worker/src/domain/start-token'
import { admin, createSite, leadBody, postLead, type TestSite } from './helpers'
import { eventually, received } from './outbound'

/**
 * Sales alerts (docs/outbound-integrations.md#alerts) through the submission path: a site whose
 * thresholds are 0 makes a complete lead that asks for a demo an SQL at once (lead → mql → sql).
 */
const EAGER: Rules = { mqlThreshold: 0, sqlThreshold: 0 }

async function alertSite(rules: Rules = EAGER, stageModel: 'b2b' | 'b2c' = 'b2b') {
  const site = await createSite({ rules, stageModel })
  const form = await admin(`/v1/admin/sites/${site.siteKey}/forms/demo`, 'PUT', {
    kind: 'demo_request',
    title: 'Demo',
    fields: [
      { name: 'email', type: 'email', required: true, label: 'E-Mail' },
      { name: 'firstName', type: 'text', required: true, label: 'Vorname' },
      { name: 'lastName', type: 'text', required: true, label: 'Nachname' },
      { name: 'company', type: 'text', label: 'Firma' },
      { name: 'jobTitle', type: 'text', label: 'Position' },
      { name: 'budget', type: 'text', label: 'Budget' },
    ],
  })
  expect(form.ok).toBe(true)
  return site
}

async function submit(site: TestSite, formId: string, fields: Record<string, string>) {
  const response = await postLead(site, {
    ...leadBody(site),
    formId,
    fields,
    consents: formId === 'wp' ? leadBody(site).consents : [],
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

function slackHook() {
  const id = crypto.randomUUID().slice(0, 8)
  return {
    url: `https://hooks.slack.com/services/T0TEST/B0TEST/${id}`,
    name: `slack/T0TEST/B0TEST/${id}`,
  }
}

async function setUp(site: TestSite, on: 'sql' | 'hot') {
  const hook = slackHook()
  const to = `sales-${crypto.randomUUID().slice(0, 8)}@acme.example`
  const base = `/v1/admin/sites/${site.siteKey}/integrations`
  expect((await admin(`${base}/slack`, 'PUT', { kind: 'slack', url: hook.url, on })).status).toBe(
    201,
  )
  expect((await admin(`${base}/email`, 'PUT', { kind: 'email', to, on })).status).toBe(201)
  return { hook, to }
}

async function deliveries(site: TestSite, kind: string) {
  const response = await admin(
    `/v1/admin/sites/${site.siteKey}/integrations/${kind}/deliveries`,
    'GET',
  )
  return ((await response.json()) as { deliveries: Delivery[] }).deliveries
}

/** Waits until every delivery of both alert integrations is settled. */
async function settled(site: TestSite, count: number) {
  for (const kind of ['slack', 'email']) {
    const list = await eventually(
      () => deliveries(site, kind),
      (d) => d.length >= count && d.every((x) => x.status !== 'pending'),
      30_000,
    )
    expect(
      list.every((x) => x.status !== 'pending'),
      kind,
    ).toBe(true)
  }
}

async function alertMails(to: string) {
  const { results } = await env.DB.prepare(
    'SELECT lead_id, subject, body, created_at FROM outbox WHERE recipient = ?1',
  )
    .bind(to)
    .all<{ lead_id: string | null; subject: string; body: string; created_at: string }>()
  return results
}

const MIA = {
  email: 'mia.sommer@kunde.de',
  firstName: 'Mia',
  lastName: 'Sommer',
  company: 'Kunde AG',
  jobTitle: 'Geschäftsführerin',
}

describe('sales alerts', () => {
  it('alerts Slack and the sales address once, within 60 s, when a submission makes an SQL', async () => {
    const site = await alertSite()
    const { hook, to } = await setUp(site, 'sql')
    const result = await submit(site, 'demo', MIA)
    expect(result.stage).toBe('sql')

    const hits = await eventually(
      () => received(hook.name),
      (r) => r.length >= 1,
    )
    expect(hits).toHaveLength(1)
    const message = JSON.parse(hits[0]!.body) as { text: string; blocks: unknown[] }
    expect(message.text).toContain('Sales-ready lead: Mia Sommer (Kunde AG)')
    const lead = (await (
      await admin(`/v1/admin/sites/${site.siteKey}/leads/${result.leadId}`, 'GET')
    ).json()) as { score: { fit: number; engagement: number; reasons: string[] } }
    expect(message.text).toContain(`score ${lead.score.fit + lead.score.engagement}`)
    const blocks = JSON.stringify(message.blocks)
    expect(blocks).toContain(lead.score.reasons[0]!)
    expect(blocks).toContain(`/leads/${result.leadId}`)

    const event = await env.DB.prepare(
      "SELECT created_at FROM outbound_events WHERE lead_id = ?1 AND type = 'lead.stage_changed'",
    )
      .bind(result.leadId)
      .first<{ created_at: string }>()
    expect(Date.parse(hits[0]!.at) - Date.parse(event!.created_at)).toBeLessThan(60_000)

    const mails = await eventually(
      () => alertMails(to),
      (m) => m.length >= 1,
    )
    expect(mails).toHaveLength(1)
    expect(mails[0]!.lead_id).toBe(result.leadId)
    expect(mails[0]!.subject).toContain('Mia Sommer')
    expect(mails[0]!.body).toContain(`/leads/${result.leadId}`)
    expect(mails[0]!.body).toContain(lead.score.reasons[0]!)
    expect(Date.parse(mails[0]!.created_at) - Date.parse(event!.created_at)).toBeLessThan(60_000)

    // lead.created and lead.stage_changed both said "sql": one alert, the other skipped.
    await settled(site, 2)
    for (const kind of ['slack', 'email']) {
      const list = await deliveries(site, kind)
      expect(
        list.filter((d) => d.status === 'succeeded'),
        kind,
      ).toHaveLength(1)
      expect(
        list.filter((d) => d.status === 'skipped'),
        kind,
      ).toHaveLength(1)
    }

    // Asking again keeps the lead an SQL: no second alert.
    await submit(site, 'demo', { email: MIA.email })
    await settled(site, 3)
    expect(await received(hook.name)).toHaveLength(1)
    expect(await alertMails(to)).toHaveLength(1)
  })

  it('alerts a b2c lead that recognised its need', async () => {
    const site = await alertSite(
      {
        mqlThreshold: 0,
        stageRules: {
          b2c: [
            {
              id: 'all.engaged',
              from: ['prospect'],
              to: 'engaged',
              when: { all: [{ fact: 'complete' }] },
            },
            {
              id: 'all.interested',
              from: ['engaged'],
              to: 'interested',
              when: { all: [{ fact: 'complete' }] },
            },
            {
              id: 'all.need',
              from: ['interested'],
              to: 'need_recognized',
              when: { all: [{ fact: 'complete' }] },
            },
          ],
        },
      },
      'b2c',
    )
    const { hook } = await setUp(site, 'sql')
    const result = await submit(site, 'demo', {
      email: 'ben@privat.example',
      firstName: 'Ben',
      lastName: 'Kurz',
    })
    expect(result.stage).toBe('need_recognized')
    const hits = await eventually(
      () => received(hook.name),
      (r) => r.length >= 1,
    )
    expect(hits).toHaveLength(1)
    expect(JSON.parse(hits[0]!.body).text).toContain('Sales-ready lead: Ben Kurz')
  })

  it('alerts when a lead turns hot, with on: hot', async () => {
    const site = await alertSite({ ...EAGER, hotThreshold: 0 })
    const { hook, to } = await setUp(site, 'hot')
    const result = await submit(site, 'demo', MIA)
    expect(result.temperature).toBe('hot')
    const hits = await eventually(
      () => received(hook.name),
      (r) => r.length >= 1,
    )
    expect(hits).toHaveLength(1)
    expect(JSON.parse(hits[0]!.body).text).toContain('Hot lead: Mia Sommer (Kunde AG)')
    expect(
      await eventually(
        () => alertMails(to),
        (m) => m.length >= 1,
      ),
    ).toHaveLength(1)
    await submit(site, 'demo', { email: MIA.email })
    await settled(site, 3)
    expect(await received(hook.name)).toHaveLength(1)
    expect(await alertMails(to)).toHaveLength(1)
  })

  it('does not alert for a lead that stays a lead', async () => {
    const site = await createSite()
    const { hook, to } = await setUp(site, 'sql')
    const result = await postLead(site, leadBody(site))
    expect(((await result.json()) as LeadSubmissionResult).stage).toBe('lead')
    await settled(site, 1)
    for (const kind of ['slack', 'email']) {
      const [delivery] = await deliveries(site, kind)
      expect(delivery).toMatchObject({ type: 'lead.created', status: 'skipped' })
      expect(delivery!.attempts[0]!.error).toBe('the lead did not become sales-ready')
    }
    expect(await received(hook.name)).toHaveLength(0)
    expect(await alertMails(to)).toHaveLength(0)
  })
})
