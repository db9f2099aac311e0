import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { allStores, siteStore, siteStoreName, storeNamed } from '../../worker/src/db/store'

/** The test env with another SITE_STORES (a new object: configuration is parsed once per env). */
function withStores(value: string): Env {
  return { ...env, SITE_STORES: value } as Env
}

describe('SITE_STORES (docs/scale.md#stores)', () => {
  it('puts a site named exactly, or by its longest matching prefix, in that store, and every other site in DB', () => {
    const stores = withStores(
      JSON.stringify({ 'big-*': 'DB_LARGE', 'big-but-not-*': 'DB', acme: 'DB_LARGE' }),
    )
    expect(siteStore(stores, 'acme')).toBe(env.DB_LARGE)
    expect(siteStore(stores, 'acme-two')).toBe(env.DB)
    expect(siteStore(stores, 'big-one')).toBe(env.DB_LARGE)
    expect(siteStore(stores, 'big-but-not-this')).toBe(env.DB)
    expect(siteStoreName(stores, 'big-one')).toBe('DB_LARGE')
    expect(siteStoreName(stores, 'other')).toBe('DB')
    expect(allStores(stores).map((store) => store.name)).toEqual(['DB', 'DB_LARGE'])
    expect(storeNamed(stores, 'DB_LARGE')).toBe(env.DB_LARGE)
    expect(storeNamed(stores, 'DB_GONE')).toBeNull()
  })

  it('keeps every site in DB when SITE_STORES is left at {}', () => {
    const stores = withStores('{}')
    expect(siteStore(stores, 'large-anything')).toBe(env.DB)
    expect(allStores(stores).map((store) => store.name)).toEqual(['DB'])
  })

  it.each([
    ['not JSON', '{"acme": DB_LARGE}', /SITE_STORES/],
    ['a binding that is not bound', '{"acme": "DB_GONE"}', /SITE_STORES names DB_GONE/],
    ['a binding that is no D1 database', '{"acme": "OUTBOUND"}', /SITE_STORES names OUTBOUND/],
    ['a key that is no site key', '{"Acme Corp": "DB_LARGE"}', /SITE_STORES/],
    ['a binding name in lower case', '{"acme": "db_large"}', /SITE_STORES/],
  ])('refuses %s with a message that names the setting', (_case, value, message) => {
    expect(() => siteStore(withStores(value), 'acme')).toThrow(message)
  })
})
