import { readConfig } from '../env'
import { sha256Hex } from '../lib/crypto'

/**
 * Where a site's data lives (docs/scale.md#stores): the D1 database that holds a site's leads,
 * touchpoints, consents and the rest of its rows. Every query on a site's data goes through
 * here, so a large site can move to a database of its own by configuration.
 *
 * `DB` holds what is not per site (the sites registry, tokens, users, sessions, sign-in links,
 * origins and their refusals) and the data of every site `SITE_STORES` does not name. A store
 * holds a mirror of its sites' registry rows (`mirrorSite`), which its tables reference.
 */
export function siteStore(env: Env, siteKey: string): D1Database {
  const stores = resolveStores(env)
  const exact = stores.exact.get(siteKey)
  if (exact) return exact
  for (const [prefix, db] of stores.prefixes) if (siteKey.startsWith(prefix)) return db
  return env.DB
}

/** The binding name of the site's store (`DB` unless `SITE_STORES` names another). */
export function siteStoreName(env: Env, siteKey: string): string {
  const db = siteStore(env, siteKey)
  return resolveStores(env).names.get(db) ?? 'DB'
}

/**
 * Every store, `DB` first, each once: the cron jobs and the queue consumers that are not told a
 * site run on each.
 */
export function allStores(env: Env): { name: string; db: D1Database }[] {
  return [...resolveStores(env).names].map(([db, name]) => ({ db, name }))
}

/** The store of a binding name a queue message carries; null if it is not a store (any more). */
export function storeNamed(env: Env, name: string): D1Database | null {
  return allStores(env).find((store) => store.name === name)?.db ?? null
}

/**
 * The site row of the registry (`DB`), mirrored into the site's store: inserted or replaced as
 * it is in `DB`, deleted (with the site's data there, by the foreign keys) once it is gone from
 * `DB`. Called after every write of a site row; nothing to do for a site that lives in `DB`.
 */
export async function mirrorSite(env: Env, siteKey: string): Promise<void> {
  const store = siteStore(env, siteKey)
  if (store === env.DB) return
  const row = await env.DB.prepare('SELECT * FROM sites WHERE site_key = ?1')
    .bind(siteKey)
    .first<Record<string, unknown>>()
  if (!row) {
    await store.prepare('DELETE FROM sites WHERE site_key = ?1').bind(siteKey).run()
    return
  }
  // The column names are the registry's own, and every store has the same migrations.
  const columns = Object.keys(row)
  const binds = columns.map((_, i) => `?${i + 1}`).join(', ')
  const updates = columns
    .filter((column) => column !== 'site_key')
    .map((column) => `${column} = excluded.${column}`)
    .join(', ')
  await store
    .prepare(
      `INSERT INTO sites (${columns.join(', ')}) VALUES (${binds})
       ON CONFLICT (site_key) DO UPDATE SET ${updates}`,
    )
    .bind(...columns.map((column) => row[column]))
    .run()
}

/**
 * The store holding a consent or opt-in link (`lead_tokens`, keyed by the token's hash): a link
 * names no site, so each store is asked in turn (one primary-key read each); `DB` when none has
 * it, where the lookup then finds nothing either.
 */
export async function storeOfLeadToken(env: Env, token: string): Promise<D1Database> {
  const stores = allStores(env)
  if (stores.length === 1) return env.DB
  const hash = await sha256Hex(token)
  for (const { db } of stores) {
    const row = await db
      .prepare('SELECT 1 AS found FROM lead_tokens WHERE token_hash = ?1')
      .bind(hash)
      .first<{ found: number }>()
    if (row) return db
  }
  return env.DB
}

interface Stores {
  exact: Map<string, D1Database>
  /** Longest prefix first, so the most specific entry wins. */
  prefixes: [string, D1Database][]
  /** Every store once, `DB` first, with its binding name. */
  names: Map<D1Database, string>
}

const cache = new WeakMap<object, Stores>()

function resolveStores(env: Env): Stores {
  let stores = cache.get(env)
  if (stores) return stores
  stores = { exact: new Map(), prefixes: [], names: new Map([[env.DB, 'DB']]) }
  const bindings = env as unknown as Record<string, unknown>
  for (const [key, name] of Object.entries(readConfig(env).SITE_STORES)) {
    const db = bindings[name]
    if (!isD1(db))
      throw new Error(`Lodestone is misconfigured: SITE_STORES names ${name}, not a D1 binding`)
    if (!stores.names.has(db)) stores.names.set(db, name)
    if (key.endsWith('*')) stores.prefixes.push([key.slice(0, -1), db])
    else stores.exact.set(key, db)
  }
  stores.prefixes.sort((a, b) => b[0].length - a[0].length)
  cache.set(env, stores)
  return stores
}

function isD1(value: unknown): value is D1Database {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as D1Database).prepare === 'function' &&
    typeof (value as D1Database).batch === 'function'
  )
}
