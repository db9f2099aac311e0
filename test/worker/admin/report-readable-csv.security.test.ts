import { describe, expect, it } from 'vitest'
import { admin, call, createSite, expectProblem, leadBody, postLead, scopedToken } from '../helpers'

describe('readable CSV security', () => {
  it('needs reports:read of the site', async () => {
    const site = await createSite()
    const other = await createSite()
    const path = `/v1/admin/sites/${site.siteKey}/reports/campaigns?from=2026-01-01&to=2026-12-31&format=readable-csv`
    const get = (token?: string) =>
      call(path, { method: 'GET', headers: token ? { authorization: `Bearer ${token}` } : {} })
    await expectProblem(await get(), 401, 'unauthorized')
    await expectProblem(
      await get(await scopedToken(other.siteKey, ['reports:read'])),
      403,
      'forbidden',
    )
    await expectProblem(
      await get(await scopedToken(site.siteKey, ['leads:read'])),
      403,
      'forbidden',
    )
    const ok = await get(await scopedToken(site.siteKey, ['reports:read']))
    expect(ok.status).toBe(200)
    expect(ok.headers.get('cache-control')).toBe('no-store')
    expect(ok.headers.get('x-content-type-options')).toBe('nosniff')
  })

  it('neutralises formula cells in campaign keys and names', async () => {
    const site = await createSite({ locale: 'en' })
    const named = await admin(`/v1/admin/sites/${site.siteKey}/campaigns/evil`, 'PUT', {
      name: '=HYPERLINK("https://evil.example","x")',
    })
    expect(named.status).toBe(201)
    for (const [email, campaign] of [
      ['a@firma.de', 'evil'],
      ['b@firma.de', '@SUM(A1)'],
    ] as const) {
      const body = leadBody(site, {
        fields: { email, firstName: 'A', lastName: 'B' },
        utm: { source: 'x', medium: 'y', campaign },
      })
      expect((await postLead(site, body)).status).toBe(201)
    }
    const today = new Date().toISOString().slice(0, 10)
    const response = await admin(
      `/v1/admin/sites/${site.siteKey}/reports/campaigns?from=${today}&to=${today}&format=readable-csv`,
      'GET',
    )
    const lines = (await response.text()).split('\r\n')
    const cells = lines.slice(1, -1).map((line) => line.split('",')[0]!.slice(1))
    for (const cell of cells) expect(cell).not.toMatch(/^[=+\-@]/)
    expect(
      lines.some((l) => l.startsWith(`"'=HYPERLINK(""https://evil.example"",""x"")","evil"`)),
    ).toBe(true)
    expect(lines.some((l) => l.startsWith(`"'@sum(a1)","'@sum(a1)"`))).toBe(true)
  })
})
