import type { Context } from 'hono'
import { clientAddress, reduceAddress } from './network'

/** What the services need to know of the HTTP request, read from it once. */
export interface RequestFacts {
  /** The collector's own origin, for the links it hands out. */
  origin: string
  /** The address Cloudflare saw; never stored, only passed to Turnstile and the daily hash. */
  address: string | null
  /** The address reduced to its /24 or /48: what the consent ledger keeps. */
  network: string | null
  /** At most 512 characters; `null` when the request sent none. */
  userAgent: string | null
  /** Global Privacy Control (`Sec-GPC: 1`): a refusal of tracking. */
  gpc: boolean
}

export function readRequestFacts(c: Context): RequestFacts {
  const address = clientAddress(c.req.raw)
  return {
    origin: new URL(c.req.url).origin,
    address,
    network: reduceAddress(address),
    userAgent: (c.req.header('user-agent') ?? '').slice(0, 512) || null,
    gpc: c.req.header('sec-gpc') === '1',
  }
}
