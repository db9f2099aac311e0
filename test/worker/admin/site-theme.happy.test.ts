import { describe, expect, it } from 'vitest'
import type { SiteConfig } from '../../../shared/form'
import type { Site } from '../../../shared/site'
import { admin, call, createSite, type TestSite } from '../helpers'

const THEME = {
  accent: '#0F766E',
  onAccent: '#ffffff',
  text: '#1f2937',
  background: '#fafafa',
  border: '#6b7280',
  error: '#b91c1c',
  radius: '0.5rem',
  font: 'Inter, "Helvetica Neue", sans-serif',
  width: '100%',
}

async function putSite(site: TestSite, extra: Record<string, unknown>) {
  return admin(`/v1/admin/sites/${site.siteKey}`, 'PUT', {
    name: 'Acme GmbH',
    allowedOrigins: [site.origin],
    locale: 'de',
    ...extra,
  })
}

async function configOf(site: TestSite): Promise<SiteConfig> {
  const response = await call(`/v1/sites/${site.siteKey}/config`, {
    headers: { origin: site.origin },
  })
  expect(response.status).toBe(200)
  return (await response.json()) as SiteConfig
}

describe('the site theme', () => {
  it('stores the nine properties (colours in lower case) and the config answers them to the widget', async () => {
    const site = await createSite()
    expect((await configOf(site)).theme).toBeUndefined()
    const response = await putSite(site, { theme: THEME })
    expect(response.status).toBe(200)
    const saved = (await response.json()) as Site
    expect(saved.theme).toEqual({ ...THEME, accent: '#0f766e' })
    expect((await configOf(site)).theme).toEqual({ ...THEME, accent: '#0f766e' })
    // GET answers the site as stored, so an editor can change a part and put it back whole.
    const read = await admin(`/v1/admin/sites/${site.siteKey}`, 'GET')
    expect(read.status).toBe(200)
    expect(await read.json()).toEqual({ ...saved, stageModelLocked: false })
  })

  it('keeps the theme when a PUT leaves it out, and clears it with {}', async () => {
    const site = await createSite()
    await putSite(site, { theme: { accent: '#123456', radius: '0' } })
    const kept = (await (await putSite(site, { name: 'Renamed' })).json()) as Site
    expect(kept).toMatchObject({ name: 'Renamed', theme: { accent: '#123456', radius: '0' } })
    const cleared = (await (await putSite(site, { theme: {} })).json()) as Site
    expect(cleared.theme).toEqual({})
    expect((await configOf(site)).theme).toBeUndefined()
  })
})
