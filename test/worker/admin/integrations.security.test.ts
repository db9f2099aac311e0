import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { admin, createSite, expectProblem, scopedToken } from '../helpers'

const SLACK_URL = 'https://hooks.slack.com/services/T0SECRET/B0SECRET/verysecretpathQ9z1'
const HUBSPOT_TOKEN = 'pat-eu1-secret-hubspot-token-0123456789'
const PIPEDRIVE_TOKEN = 'secret-pipedrive-token-abcdef012345'

describe('integrations admin API, who may and what never leaves', () => {
  it('refuses tokens without site:admin and another site’s admin, and sets nothing up', async () => {
    const site = await createSite()
    const other = await createSite()
    const reader = await scopedToken(site.siteKey, ['leads:read', 'leads:write'])
    const otherAdmin = await scopedToken(other.siteKey, ['site:admin'])
    const base = `/v1/admin/sites/${site.siteKey}/integrations`
    for (const token of [reader, otherAdmin]) {
      await expectProblem(await admin(base, 'GET', undefined, token), 403, 'forbidden')
      await expectProblem(
        await admin(`${base}/slack`, 'PUT', { kind: 'slack', url: SLACK_URL }, token),
        403,
        'forbidden',
      )
      await expectProblem(
        await admin(`${base}/slack`, 'DELETE', undefined, token),
        403,
        'forbidden',
      )
      await expectProblem(
        await admin(`${base}/slack/deliveries`, 'GET', undefined, token),
        403,
        'forbidden',
      )
      await expectProblem(
        await admin(
          `${base}/slack/deliveries/dlv_000000000000000000000000/retry`,
          'POST',
          undefined,
          token,
        ),
        403,
        'forbidden',
      )
    }
    await expectProblem(await admin(base, 'GET', undefined, 'not-a-token-at-all-0123456789'), 401)
    expect(await (await admin(base, 'GET')).json()).toEqual({ integrations: [] })
    // The site's own admin token is good for it.
    const siteAdmin = await scopedToken(site.siteKey, ['site:admin'])
    expect((await admin(base, 'GET', undefined, siteAdmin)).status).toBe(200)
  })

  it('never answers the Slack URL or a token, and keeps them sealed in D1', async () => {
    const site = await createSite()
    const base = `/v1/admin/sites/${site.siteKey}/integrations`
    const answers = [
      await admin(`${base}/slack`, 'PUT', { kind: 'slack', url: SLACK_URL }),
      await admin(`${base}/hubspot`, 'PUT', { kind: 'hubspot', token: HUBSPOT_TOKEN }),
      await admin(`${base}/pipedrive`, 'PUT', { kind: 'pipedrive', token: PIPEDRIVE_TOKEN }),
      await admin(`${base}/slack`, 'PUT', { kind: 'slack', on: 'hot' }),
      await admin(base, 'GET'),
      await admin(`${base}/slack/deliveries`, 'GET'),
      await admin(`${base}/hubspot/deliveries`, 'GET'),
    ]
    const secrets = [SLACK_URL, 'verysecretpath', 'T0SECRET', HUBSPOT_TOKEN, PIPEDRIVE_TOKEN]
    for (const answer of answers) {
      expect(answer.ok).toBe(true)
      const text = await answer.text()
      for (const secret of secrets) expect(text).not.toContain(secret)
    }
    const { results } = await env.DB.prepare(
      'SELECT kind, url, settings, secret FROM endpoints WHERE site_key = ?1',
    )
      .bind(site.siteKey)
      .all<{ kind: string; url: string | null; settings: string; secret: string }>()
    expect(results).toHaveLength(3)
    for (const row of results) {
      expect(row.url).toBeNull()
      expect(row.secret).toBeTruthy()
      const stored = `${row.settings} ${row.secret}`
      for (const secret of secrets) expect(stored).not.toContain(secret)
    }
  })
})
