import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { SiteConfig } from '../../shared/form'
import type { Site } from '../../shared/site'
import { createLookups, LOOKUP_TTL_MS } from '../../worker/src/services/lookups'
import {
  admin,
  call,
  createSite,
  expectProblem,
  leadBody,
  postLead,
  WHITEPAPER_FORM,
  type TestSite,
} from './helpers'

/** docs/scale.md#fewer-round-trips */

const config = (site: TestSite, origin = site.origin) =>
  call(`/v1/sites/${site.siteKey}/config`, { headers: { origin } })

/** Changes the stored site behind the API's back, as another isolate's admin write would look. */
const renameBehindTheApi = (siteKey: string, name: string) =>
  env.DB.prepare('UPDATE sites SET name = ?2 WHERE site_key = ?1').bind(siteKey, name).run()

describe('public lookups of a site and its forms', () => {
  it('refuses an origin an admin removed on the very next public request', async () => {
    const site = await createSite()
    const other = 'https://other.example'
    const put = (allowedOrigins: string[]) =>
      admin(`/v1/admin/sites/${site.siteKey}`, 'PUT', {
        name: 'Acme GmbH',
        allowedOrigins,
        locale: 'de',
      })
    expect((await put([site.origin, other])).status).toBe(200)
    expect((await config(site, other)).status).toBe(200)
    // The site is now cached: a change that skips the API is not seen yet ...
    await env.DB.prepare(`UPDATE sites SET allowed_origins = '[]' WHERE site_key = ?1`)
      .bind(site.siteKey)
      .run()
    expect((await config(site, other)).status).toBe(200)
    // ... while the admin's own write is, at once.
    expect((await put([site.origin])).status).toBe(200)
    await expectProblem(await config(site, other), 403, 'origin_not_allowed')
    expect((await config(site)).status).toBe(200)
  })

  it('allows an origin added with POST .../origins on the very next public request', async () => {
    const site = await createSite()
    const added = 'https://shop.example'
    await expectProblem(await config(site, added), 403, 'origin_not_allowed')
    const allowed = await admin(`/v1/admin/sites/${site.siteKey}/origins`, 'POST', {
      origin: added,
    })
    expect(allowed.status).toBe(200)
    expect((await config(site, added)).status).toBe(200)
  })

  it("takes a form's new field on the very next config and submission", async () => {
    const site = await createSite()
    const withEmployees = () =>
      leadBody(site, { fields: { ...leadBody(site).fields, employees: '50' } })
    const before = (await (await config(site)).json()) as SiteConfig
    expect(before.forms[0]!.fields.map((field) => field.name)).not.toContain('employees')
    const refused = await expectProblem(
      await postLead(site, withEmployees()),
      422,
      'validation_failed',
    )
    expect(refused.errors?.map((error) => error.path)).toEqual(['fields.employees'])

    const changed = await admin(`/v1/admin/sites/${site.siteKey}/forms/wp`, 'PUT', {
      ...WHITEPAPER_FORM,
      fields: [
        ...WHITEPAPER_FORM.fields,
        { name: 'employees', type: 'text', required: false, label: 'Mitarbeitende' },
      ],
    })
    expect(changed.status).toBe(200)
    const after = (await (await config(site)).json()) as SiteConfig
    expect(after.forms[0]!.fields.map((field) => field.name)).toContain('employees')
    expect((await postLead(site, withEmployees())).status).toBe(201)
  })

  it('serves a new form of the site on the very next config', async () => {
    const site = await createSite()
    expect(((await (await config(site)).json()) as SiteConfig).forms).toHaveLength(1)
    const created = await admin(`/v1/admin/sites/${site.siteKey}/forms/demo`, 'PUT', {
      ...WHITEPAPER_FORM,
      title: 'Demo',
    })
    expect(created.status).toBe(201)
    const forms = ((await (await config(site)).json()) as SiteConfig).forms
    expect(forms.map((form) => form.formId)).toEqual(['demo', 'wp'])
  })

  it("answers the site's new language on the very next config after a site change", async () => {
    const site = await createSite()
    expect(((await (await config(site)).json()) as SiteConfig).locale).toBe('de')
    const put = await admin(`/v1/admin/sites/${site.siteKey}`, 'PUT', {
      name: 'Acme GmbH',
      allowedOrigins: [site.origin],
      locale: 'en',
    })
    expect(put.status).toBe(200)
    expect(((await (await config(site)).json()) as SiteConfig).locale).toBe('en')
  })
})

describe('the lookup cache (createLookups with a clock of its own)', () => {
  const clocked = (options: Parameters<typeof createLookups>[0] = {}) => {
    const clock = { now: 1_000_000 }
    return { clock, lookups: createLookups({ now: () => clock.now, ...options }) }
  }

  it('answers the cached site until its lifetime passes, then reads it anew', async () => {
    const site = await createSite()
    const { clock, lookups } = clocked()
    const first = await lookups.lookUpSite(env.DB, site.siteKey)
    expect(first?.name).toBe('Acme GmbH')
    await renameBehindTheApi(site.siteKey, 'Renamed GmbH')
    clock.now += LOOKUP_TTL_MS - 1
    expect(await lookups.lookUpSite(env.DB, site.siteKey)).toBe(first)
    clock.now += 1
    expect((await lookups.lookUpSite(env.DB, site.siteKey))?.name).toBe('Renamed GmbH')
  })

  it('takes its lifetime as configured', async () => {
    const site = await createSite()
    const { clock, lookups } = clocked({ ttlMs: 50 })
    await lookups.lookUpSite(env.DB, site.siteKey)
    await renameBehindTheApi(site.siteKey, 'Soon GmbH')
    clock.now += 49
    expect((await lookups.lookUpSite(env.DB, site.siteKey))?.name).toBe('Acme GmbH')
    clock.now += 1
    expect((await lookups.lookUpSite(env.DB, site.siteKey))?.name).toBe('Soon GmbH')
  })

  it('forgets a site and its forms together', async () => {
    const site = await createSite()
    const { lookups } = clocked()
    const found = (await lookups.lookUpSite(env.DB, site.siteKey))!
    expect(await lookups.lookUpForm(env.DB, found, 'wp')).not.toBeNull()
    expect(await lookups.lookUpForms(env.DB, found)).toHaveLength(1)
    expect(lookups.sizes()).toEqual({ sites: 1, forms: 1, formLists: 1 })
    lookups.forgetSite(`${site.siteKey}-other`)
    expect(lookups.sizes()).toEqual({ sites: 1, forms: 1, formLists: 1 })
    lookups.forgetSite(site.siteKey)
    expect(lookups.sizes()).toEqual({ sites: 0, forms: 0, formLists: 0 })
  })

  it('keeps at most its bound of entries, dropping the least recently used', async () => {
    const [a, b, c] = [await createSite(), await createSite(), await createSite()]
    const { lookups } = clocked({ maxEntries: { sites: 2 } })
    await lookups.lookUpSite(env.DB, a.siteKey)
    await lookups.lookUpSite(env.DB, b.siteKey)
    await lookups.lookUpSite(env.DB, a.siteKey)
    await lookups.lookUpSite(env.DB, c.siteKey)
    expect(lookups.sizes().sites).toBe(2)
    await renameBehindTheApi(a.siteKey, 'A kept')
    await renameBehindTheApi(b.siteKey, 'B dropped')
    expect((await lookups.lookUpSite(env.DB, a.siteKey))?.name).toBe('Acme GmbH')
    expect((await lookups.lookUpSite(env.DB, b.siteKey))?.name).toBe('B dropped')
  })

  it('hands out frozen entries, so no caller can change what the next one reads', async () => {
    const site = await createSite()
    const { lookups } = clocked()
    const found = (await lookups.lookUpSite(env.DB, site.siteKey))!
    expect(() => {
      ;(found as Site).name = 'Changed'
    }).toThrow(TypeError)
    expect(() => (found.allowedOrigins as string[]).push('https://evil.example')).toThrow(TypeError)
    const form = (await lookups.lookUpForm(env.DB, found, 'wp'))!
    expect(Object.isFrozen(form.fields[0])).toBe(true)
    expect((await lookups.lookUpSite(env.DB, site.siteKey))?.allowedOrigins).toEqual([site.origin])
  })

  it('does not keep a miss: a site created after it is found by the next lookup', async () => {
    const site = await createSite()
    const { lookups } = clocked()
    const later = `${site.siteKey}-later`
    expect(await lookups.lookUpSite(env.DB, later)).toBeNull()
    expect(lookups.sizes().sites).toBe(0)
    const created = await admin(`/v1/admin/sites/${later}`, 'PUT', {
      name: 'Later GmbH',
      allowedOrigins: [site.origin],
      locale: 'de',
    })
    expect(created.status).toBe(201)
    expect((await lookups.lookUpSite(env.DB, later))?.name).toBe('Later GmbH')
  })

  it('keeps what concurrent misses read, and answers the next lookup without a query', async () => {
    // Workers refuse to let one request await a read another request started, so concurrent
    // misses each read; what they read is kept.
    const site = await createSite()
    const { lookups } = clocked()
    let reads = 0
    const counted = {
      prepare: (sql: string) => {
        reads++
        return env.DB.prepare(sql)
      },
    } as unknown as D1Database
    const found = await Promise.all(
      Array.from({ length: 10 }, () => lookups.lookUpSite(counted, site.siteKey)),
    )
    expect(found.every((entry) => entry?.siteKey === site.siteKey)).toBe(true)
    const before = reads
    expect(before).toBeGreaterThan(0)
    expect((await lookups.lookUpSite(counted, site.siteKey))?.siteKey).toBe(site.siteKey)
    expect(reads).toBe(before)
  })

  it('does not keep a read that an admin write overtook', async () => {
    const site = await createSite()
    const { lookups } = clocked()
    const pending = lookups.lookUpSite(env.DB, site.siteKey)
    await renameBehindTheApi(site.siteKey, 'Renamed while read')
    lookups.forgetSite(site.siteKey)
    await pending
    expect((await lookups.lookUpSite(env.DB, site.siteKey))?.name).toBe('Renamed while read')
  })
})
