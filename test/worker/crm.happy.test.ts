import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { LeadSubmissionResult } from '../../shared/leads'
import type { Delivery } from '../../shared/outbound'
import { admin, createSite, leadBody, postLead, type TestSite } from './helpers'
import { createWebhook, eventually, newReceiver, received } from './outbound'

/** CRM push (docs/outbound-integrations.md#crm) against the HubSpot and Pipedrive fakes. */
const CONTROL = 'https://control.receiver.test'

interface HubspotState {
  contacts: Record<string, string>[]
  calls: number
}
interface PipedriveState {
  persons: { id: number; name: string; email: string }[]
  leads: { id: string; title: string; person_id: number }[]
  calls: number
}

const hubspot = async () => (await (await fetch(`${CONTROL}/_hubspot`)).json()) as HubspotState
const pipedrive = async () =>
  (await (await fetch(`${CONTROL}/_pipedrive`)).json()) as PipedriveState
async function failNext(crm: '_hubspot' | '_pipedrive', fail: number) {
  expect(
    (await fetch(`${CONTROL}/${crm}`, { method: 'POST', body: JSON.stringify({ fail }) })).ok,
  ).toBe(true)
}

async function connect(
  site: TestSite,
  tokens = { hubspot: 'pat-test-hubspot-0123', pipedrive: 'pd-test-0123456789' },
) {
  for (const kind of ['hubspot', 'pipedrive'] as const) {
    const response = await admin(`/v1/admin/sites/${site.siteKey}/integrations/${kind}`, 'PUT', {
      kind,
      token: tokens[kind],
    })
    expect(response.status).toBeLessThan(300)
  }
}

async function deliveries(site: TestSite, kind: string) {
  const response = await admin(
    `/v1/admin/sites/${site.siteKey}/integrations/${kind}/deliveries`,
    'GET',
  )
  return ((await response.json()) as { deliveries: Delivery[] }).deliveries
}

async function settled(site: TestSite, kind: string, count: number) {
  return eventually(
    () => deliveries(site, kind),
    (d) => d.length >= count && d.every((x) => x.status !== 'pending'),
    60_000,
  )
}

function uniqueEmail(name: string) {
  return `${name}.${crypto.randomUUID().slice(0, 8)}@kunde.de`
}

describe('CRM push', () => {
  it(
    'turns 2,000 replays of one submission into one HubSpot contact, one Pipedrive person and one Pipedrive lead',
    { timeout: 180_000 },
    async () => {
      // An MQL at once: lead.created and lead.stage_changed reach each CRM together.
      const site = await createSite({ rules: { mqlThreshold: 0 } })
      await connect(site)
      // And a webhook, which must see one lead.created with one webhook-id.
      const receiver = newReceiver('replays')
      await createWebhook(site.siteKey, 'replays', { url: receiver.url, events: ['lead.created'] })
      const email = uniqueEmail('lena.hoff')
      const body = leadBody(site, {
        fields: {
          email,
          firstName: 'Lena',
          lastName: 'Hoff',
          company: 'Hoff Logistik GmbH',
          jobTitle: 'Leiterin Einkauf',
          phone: '030 7654321',
        },
      })
      const statuses: number[] = []
      for (let batch = 0; batch < 40; batch++) {
        const answers = await Promise.all(
          Array.from({ length: 50 }, (_, i) =>
            // Each request from its own network, so the rate limit lets the first batch race.
            postLead(site, body, { ip: `198.18.${(batch * 50 + i) % 250}.${1 + batch}` }),
          ),
        )
        statuses.push(...answers.map((a) => a.status))
        await Promise.all(answers.map((a) => a.body?.cancel()))
      }
      expect(statuses.filter((s) => s === 201)).toHaveLength(1)
      expect(statuses.filter((s) => s !== 201 && s !== 200)).toEqual([])
      const leadId = ((await (await postLead(site, body)).json()) as LeadSubmissionResult).leadId
      const events = await env.DB.prepare(
        'SELECT type FROM outbound_events WHERE lead_id = ?1 ORDER BY version',
      )
        .bind(leadId)
        .all<{ type: string }>()
      // The CRMs take lead events, so the consent is not written as an event.
      expect(events.results.map((e) => e.type)).toEqual(['lead.created', 'lead.stage_changed'])

      for (const kind of ['hubspot', 'pipedrive']) {
        const list = await settled(site, kind, 2)
        // Both carry the same lead; if the newer one went first, the older one is skipped.
        expect(list.filter((d) => d.status === 'succeeded').length, kind).toBeGreaterThanOrEqual(1)
        for (const d of list.filter((d) => d.status !== 'succeeded')) {
          expect(d, kind).toMatchObject({ type: 'lead.created', status: 'skipped' })
          // (after any attempt that timed out under the load of the replays)
          expect(d.attempts.at(-1)!.error).toBe('a newer event of this lead was pushed already')
        }
      }
      const contacts = (await hubspot()).contacts.filter((c) => c.email === email.toLowerCase())
      expect(contacts).toEqual([
        {
          email: email.toLowerCase(),
          firstname: 'Lena',
          lastname: 'Hoff',
          company: 'Hoff Logistik GmbH',
          jobtitle: 'Leiterin Einkauf',
          phone: expect.stringContaining('7654321'),
          lifecyclestage: 'marketingqualifiedlead',
        },
      ])
      const state = await pipedrive()
      const persons = state.persons.filter((p) => p.email === email.toLowerCase())
      expect(persons).toHaveLength(1)
      expect(persons[0]!.name).toBe('Lena Hoff')
      const leads = state.leads.filter((l) => l.person_id === persons[0]!.id)
      expect(leads).toHaveLength(1)
      expect(leads[0]!.title).toBe('Hoff Logistik GmbH — Lodestone')

      // One event, one webhook-id. (Under this load an attempt may outlast the timeout and be
      // sent again, as at-least-once delivery allows: the receiver drops it by its id.)
      const hits = await eventually(
        () => received(receiver.name),
        (r) => r.some((hit) => hit.status < 300),
      )
      expect(new Set(hits.map((hit) => hit.headers['webhook-id'])).size).toBe(1)
      expect(JSON.parse(hits[0]!.body)).toMatchObject({ type: 'lead.created', data: { leadId } })

      const links = await env.DB.prepare(
        'SELECT kind, external_id, extra FROM crm_links WHERE site_key = ?1 AND lead_id = ?2 ORDER BY kind',
      )
        .bind(site.siteKey, leadId)
        .all<{ kind: string; external_id: string; extra: string }>()
      expect(links.results.map((l) => l.kind)).toEqual(['hubspot', 'pipedrive'])
      expect(links.results[1]!.external_id).toBe(String(persons[0]!.id))
      expect(JSON.parse(links.results[1]!.extra)).toMatchObject({
        leadId: leads[0]!.id,
        version: 2,
      })
    },
  )

  it(
    'updates the same contact and person when the lead changes, with its new lifecycle stage',
    { timeout: 60_000 },
    async () => {
      const site = await createSite()
      await connect(site)
      const email = uniqueEmail('tom.reich')
      const fields = {
        email,
        firstName: 'Tom',
        lastName: 'Reich',
        company: 'Reich KG',
        jobTitle: 'CEO',
      }
      expect((await postLead(site, leadBody(site, { fields }))).status).toBe(201)
      await settled(site, 'pipedrive', 1)
      // The next submission makes him an MQL (a site-wide threshold of 0 since).
      const changed = await admin(`/v1/admin/sites/${site.siteKey}`, 'PUT', {
        name: 'Acme GmbH',
        allowedOrigins: [site.origin],
        locale: 'de',
        rules: { mqlThreshold: 0 },
      })
      expect(changed.ok).toBe(true)
      expect(
        (await postLead(site, leadBody(site, { fields: { ...fields, lastName: 'Reich-Berg' } })))
          .status,
      ).toBe(201)
      await settled(site, 'hubspot', 3)
      await settled(site, 'pipedrive', 3)
      const contacts = (await hubspot()).contacts.filter((c) => c.email === email)
      expect(contacts).toHaveLength(1)
      expect(contacts[0]).toMatchObject({
        lastname: 'Reich-Berg',
        lifecyclestage: 'marketingqualifiedlead',
      })
      const state = await pipedrive()
      const persons = state.persons.filter((p) => p.email === email)
      expect(persons.map((p) => p.name)).toEqual(['Tom Reich-Berg'])
      expect(state.leads.filter((l) => l.person_id === persons[0]!.id)).toHaveLength(1)
    },
  )

  it(
    'retries a failing CRM until it answers, and records each failure',
    { timeout: 60_000 },
    async () => {
      const site = await createSite()
      await connect(site)
      await failNext('_hubspot', 2)
      await failNext('_pipedrive', 2)
      const email = uniqueEmail('ida.klein')
      expect(
        (await postLead(site, leadBody(site, { fields: { ...leadBody(site).fields, email } })))
          .status,
      ).toBe(201)
      for (const kind of ['hubspot', 'pipedrive']) {
        const [delivery] = await settled(site, kind, 1)
        expect(delivery!.status, kind).toBe('succeeded')
        expect(delivery!.attempts.length, kind).toBeGreaterThanOrEqual(2)
        expect(delivery!.attempts[0]!.error, kind).toMatch(/answered 50[23]/)
        expect(delivery!.attempts.at(-1)!.error, kind).toBeNull()
      }
      expect((await hubspot()).contacts.filter((c) => c.email === email)).toHaveLength(1)
      expect((await pipedrive()).persons.filter((p) => p.email === email)).toHaveLength(1)
    },
  )

  it(
    'records a refused token (401) as a failure, and a retry by hand after the fix succeeds',
    { timeout: 120_000 },
    async () => {
      const site = await createSite()
      await connect(site, {
        hubspot: 'revoked-hubspot-token',
        pipedrive: 'revoked-pipedrive-token',
      })
      const email = uniqueEmail('ole.stern')
      expect(
        (await postLead(site, leadBody(site, { fields: { ...leadBody(site).fields, email } })))
          .status,
      ).toBe(201)
      const failing = await eventually(
        () => deliveries(site, 'hubspot'),
        (d) => (d[0]?.attempts.length ?? 0) >= 1,
      )
      expect(failing[0]!.attempts[0]).toMatchObject({ statusCode: 401 })
      expect(failing[0]!.attempts[0]!.error).toContain('check the token')
      expect(failing[0]!.attempts[0]!.error).not.toContain('revoked')
      // The retries run out (at once in tests) and the delivery is dead; a new token and a retry fix it.
      const [dead] = await eventually(
        () => deliveries(site, 'hubspot'),
        (d) => d[0]?.status === 'dead' || d[0]?.status === 'failed',
        90_000,
      )
      expect(['dead', 'failed']).toContain(dead!.status)
      const fixed = await admin(`/v1/admin/sites/${site.siteKey}/integrations/hubspot`, 'PUT', {
        kind: 'hubspot',
        token: 'pat-test-hubspot-fixed',
      })
      expect(fixed.status).toBe(200)
      const retry = await admin(
        `/v1/admin/sites/${site.siteKey}/integrations/hubspot/deliveries/${dead!.deliveryId}/retry`,
        'POST',
      )
      expect(retry.status).toBe(202)
      const [done] = await eventually(
        () => deliveries(site, 'hubspot'),
        (d) => d[0]?.status === 'succeeded',
      )
      expect(done!.status).toBe('succeeded')
      expect((await hubspot()).contacts.filter((c) => c.email === email)).toHaveLength(1)
    },
  )
})
