import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { Integration } from '../../../shared/integrations'
import { admin, createSite } from '../helpers'

const SLACK_URL = 'https://hooks.slack.com/services/T000/B000/abcdefghijklmnopXk3d'

async function put(siteKey: string, kind: string, body: unknown) {
  return admin(`/v1/admin/sites/${siteKey}/integrations/${kind}`, 'PUT', body)
}

describe('integrations admin API', () => {
  it('sets up each kind (201), lists them without credentials, changes one (200) and removes it', async () => {
    const site = await createSite()
    const slack = await put(site.siteKey, 'slack', { kind: 'slack', url: SLACK_URL, on: 'hot' })
    expect(slack.status).toBe(201)
    expect((await slack.json()) as Integration).toMatchObject({
      kind: 'slack',
      enabled: true,
      on: 'hot',
      to: null,
      urlHint: 'hooks.slack.com/…Xk3d',
      tokenSet: true,
      disabledReason: null,
    })
    const email = await put(site.siteKey, 'email', { kind: 'email', to: 'sales@acme.example' })
    expect(email.status).toBe(201)
    expect(await email.json()).toMatchObject({ kind: 'email', on: 'sql', to: 'sales@acme.example' })
    for (const kind of ['hubspot', 'pipedrive']) {
      const crm = await put(site.siteKey, kind, { kind, token: `pat-${kind}-0123456789` })
      expect(crm.status).toBe(201)
      expect(await crm.json()).toMatchObject({ kind, on: null, to: null, tokenSet: true })
    }

    const list = (await (
      await admin(`/v1/admin/sites/${site.siteKey}/integrations`, 'GET')
    ).json()) as { integrations: Integration[] }
    expect(list.integrations.map((i) => i.kind)).toEqual(['email', 'hubspot', 'pipedrive', 'slack'])

    // A change without the URL keeps it; the trigger and the switch change.
    const changed = await put(site.siteKey, 'slack', { kind: 'slack', on: 'sql', enabled: false })
    expect(changed.status).toBe(200)
    expect(await changed.json()).toMatchObject({
      on: 'sql',
      enabled: false,
      urlHint: 'hooks.slack.com/…Xk3d',
      tokenSet: true,
    })
    const row = await env.DB.prepare(
      "SELECT events, secret FROM endpoints WHERE site_key = ?1 AND kind = 'slack'",
    )
      .bind(site.siteKey)
      .first<{ events: string; secret: string }>()
    expect(JSON.parse(row!.events)).toEqual(['lead.created', 'lead.updated', 'lead.stage_changed'])
    expect(row!.secret).toBeTruthy()

    // A CRM change without a token keeps the stored one.
    const before = await env.DB.prepare(
      "SELECT secret FROM endpoints WHERE site_key = ?1 AND kind = 'hubspot'",
    )
      .bind(site.siteKey)
      .first<{ secret: string }>()
    expect((await put(site.siteKey, 'hubspot', { kind: 'hubspot', enabled: true })).status).toBe(
      200,
    )
    const after = await env.DB.prepare(
      "SELECT secret FROM endpoints WHERE site_key = ?1 AND kind = 'hubspot'",
    )
      .bind(site.siteKey)
      .first<{ secret: string }>()
    expect(after!.secret).toBe(before!.secret)

    const deleted = await admin(`/v1/admin/sites/${site.siteKey}/integrations/slack`, 'DELETE')
    expect(deleted.status).toBe(200)
    expect(await deleted.json()).toEqual({ kind: 'slack', deleted: true })
    const rest = (await (
      await admin(`/v1/admin/sites/${site.siteKey}/integrations`, 'GET')
    ).json()) as { integrations: Integration[] }
    expect(rest.integrations.map((i) => i.kind)).toEqual(['email', 'hubspot', 'pipedrive'])
  })

  it('answers an empty list for a site without integrations, and an empty delivery log', async () => {
    const site = await createSite()
    const list = await admin(`/v1/admin/sites/${site.siteKey}/integrations`, 'GET')
    expect(list.status).toBe(200)
    expect(await list.json()).toEqual({ integrations: [] })
    await put(site.siteKey, 'email', { kind: 'email', to: 'sales@acme.example' })
    const log = await admin(`/v1/admin/sites/${site.siteKey}/integrations/email/deliveries`, 'GET')
    expect(log.status).toBe(200)
    expect(await log.json()).toEqual({ deliveries: [], next: null })
  })
})
