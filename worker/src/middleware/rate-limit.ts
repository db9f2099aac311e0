import type { Context } from 'hono'
import type { AppEnv } from '../env'
import { clientAddress, reduceAddress } from '../lib/network'
import { HttpProblem } from '../lib/problem'

/**
 * Per site and reduced client address (an office behind one /24 shares a
 * budget), with the Workers rate-limiting binding. Checked after a request
 * is known to be well-formed, so refusals of bad input stay 4xx of their own.
 * `perAddress: false` counts the key alone (sign-in mails to one address, from anywhere).
 * `RATE_LIMITS=off` exists for benchmarks only: a load test runs from one address.
 */
export async function enforceRateLimit(
  c: Context<AppEnv>,
  limiter: RateLimit,
  siteKey: string,
  { perAddress = true }: { perAddress?: boolean } = {},
): Promise<void> {
  if (c.get('config').RATE_LIMITS === 'off') return
  const key = perAddress
    ? `${siteKey}|${reduceAddress(clientAddress(c.req.raw)) ?? 'unknown'}`
    : siteKey
  const { success } = await limiter.limit({ key })
  if (!success) {
    throw new HttpProblem({
      code: 'rate_limited',
      detail: {
        en: 'Too many requests; please wait a minute.',
        de: 'Zu viele Anfragen; bitte warten Sie eine Minute.',
      },
      headers: {
        'retry-after': '60',
      },
    })
  }
}
