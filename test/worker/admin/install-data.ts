import { env } from 'cloudflare:workers'
import { expect } from 'vitest'
import type { Install } from '../../../shared/install'
import { admin, call } from '../helpers'

/** The installation check of `siteKey`, read with the root token unless a token is given. */
export async function readInstall(siteKey: string, token?: string): Promise<Install> {
  const response = await admin(`/v1/admin/sites/${siteKey}/install`, 'GET', undefined, token)
  expect(response.status).toBe(200)
  return (await response.json()) as Install
}

/** A page on `origin` asks for the site's configuration, as the widget does first. */
export function fetchConfig(siteKey: string, origin: string): Promise<Response> {
  return call(`/v1/sites/${siteKey}/config`, { headers: { origin } })
}

export interface RefusalRow {
  site_key: string
  origin: string
  first_at: string
  last_at: string
  count: number
  last_request: string
  last_path: string
}

export async function refusalRows(siteKey: string): Promise<RefusalRow[]> {
  const { results } = await env.DB.prepare(
    'SELECT * FROM origin_refusals WHERE site_key = ?1 ORDER BY origin',
  )
    .bind(siteKey)
    .all<RefusalRow>()
  return results
}

/**
 * A refusal is recorded after its answer (`waitUntil`, worker/src/middleware/cors.ts): waits
 * until `siteKey` has `n` refusal rows, or fails after two seconds.
 */
export async function refusalsRecorded(siteKey: string, n: number): Promise<RefusalRow[]> {
  const until = Date.now() + 2000
  for (;;) {
    const rows = await refusalRows(siteKey)
    if (rows.length >= n || Date.now() > until) return rows
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** Lets every write started after an answer (`waitUntil`) finish, to prove there was none. */
export const settle = () => new Promise((resolve) => setTimeout(resolve, 300))
