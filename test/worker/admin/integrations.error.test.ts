import { describe, expect, it } from 'vitest'
import { admin, createSite, expectProblem } from '../helpers'

const path = (siteKey: string, kind: string) => `/v1/admin/sites/${siteKey}/integrations/${kind}`

describe('integrations admin API, refused input', () => {
  it('refuses an unknown kind, a body of another kind and a missing credential on creation', async () => {
    const site = await createSite()
    await expectProblem(
      await admin(path(site.siteKey, 'salesforce'), 'PUT', {
        kind: 'salesforce',
        token: 'x'.repeat(10),
      }),
      422,
      'validation_failed',
    )
    const mismatch = await expectProblem(
      await admin(path(site.siteKey, 'hubspot'), 'PUT', {
        kind: 'pipedrive',
        token: 'x'.repeat(10),
      }),
      422,
      'validation_failed',
    )
    expect(mismatch.errors?.[0]?.path).toBe('kind')
    for (const kind of ['hubspot', 'pipedrive']) {
      const problem = await expectProblem(
        await admin(path(site.siteKey, kind), 'PUT', { kind }),
        422,
        'validation_failed',
      )
      expect(problem.errors?.[0]?.path).toBe('token')
    }
    const noUrl = await expectProblem(
      await admin(path(site.siteKey, 'slack'), 'PUT', { kind: 'slack' }),
      422,
      'validation_failed',
    )
    expect(noUrl.errors?.[0]?.path).toBe('url')
    await expectProblem(
      await admin(path(site.siteKey, 'email'), 'PUT', { kind: 'email', to: 'not an address' }),
      422,
      'validation_failed',
    )
    await expectProblem(
      await admin(path(site.siteKey, 'hubspot'), 'PUT', { kind: 'hubspot', token: 'short' }),
      422,
      'validation_failed',
    )
    await expectProblem(
      await admin(path(site.siteKey, 'email'), 'PUT', {
        kind: 'email',
        to: 'sales@acme.example',
        url: 'https://hooks.slack.com/services/x',
      }),
      422,
      'validation_failed',
    )
    // Nothing was set up.
    const list = await admin(`/v1/admin/sites/${site.siteKey}/integrations`, 'GET')
    expect(await list.json()).toEqual({ integrations: [] })
  })

  it('takes a Slack incoming webhook only: not another host, not http, not a private address', async () => {
    const site = await createSite()
    for (const url of [
      'https://hooks.receiver.test/not-slack',
      'https://slack.com.evil.example/services/x',
      'http://hooks.slack.com/services/T0/B0/x',
      'https://127.0.0.1/services/T0/B0/x',
      'https://10.0.0.8/services/T0/B0/x',
      'https://hooks.slack.com:8443/services/T0/B0/x',
      'https://user:pw@hooks.slack.com/services/T0/B0/x',
    ]) {
      const response = await admin(path(site.siteKey, 'slack'), 'PUT', { kind: 'slack', url })
      expect(response.status, url).toBe(422)
      const problem = (await response.json()) as { code: string }
      expect(['target_not_allowed', 'validation_failed'], url).toContain(problem.code)
    }
    await expectProblem(
      await admin(path(site.siteKey, 'slack'), 'PUT', {
        kind: 'slack',
        url: 'https://hooks.receiver.test/not-slack',
      }),
      422,
      'target_not_allowed',
    )
  })

  it('answers 404 for an unknown site, an integration not set up and an unknown delivery', async () => {
    const site = await createSite()
    await expectProblem(
      await admin(path('no-such-site', 'email'), 'PUT', { kind: 'email', to: 'a@b.example' }),
      404,
    )
    await expectProblem(
      await admin(path(site.siteKey, 'slack'), 'DELETE'),
      404,
      'integration_not_found',
    )
    await expectProblem(
      await admin(`${path(site.siteKey, 'hubspot')}/deliveries`, 'GET'),
      404,
      'integration_not_found',
    )
    await admin(path(site.siteKey, 'email'), 'PUT', { kind: 'email', to: 'sales@acme.example' })
    await expectProblem(
      await admin(
        `${path(site.siteKey, 'email')}/deliveries/dlv_000000000000000000000000/retry`,
        'POST',
      ),
      404,
      'delivery_not_found',
    )
  })
})
