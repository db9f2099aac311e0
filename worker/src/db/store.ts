/**
 * Where a site's data lives (docs/scale.md#stores): the D1 database that holds a site's leads,
 * touchpoints, consents and the rest of its rows. Every query on a site's data goes through
 * here, so a large site can move to a database of its own by configuration.
 *
 * For now every site lives in `DB`; the store boundary is filled in by the scale work.
 */
export function siteStore(env: Pick<Env, 'DB'>, _siteKey: string): D1Database {
  return env.DB
}
