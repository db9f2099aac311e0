import { env } from 'cloudflare:workers'
import { expect } from 'vitest'
import type { SessionInfo } from '../../shared/users'
import { BASE, call } from './helpers'

/** Helpers of the sign-in tests: sessions as the app gets them, mail as the outbox holds it. */

/** A network of its own per call, so the sign-in rate limit of one test does not meet another's. */
export const freshNetwork = () => `2001:db8:${Math.floor(Math.random() * 0xffff).toString(16)}::1`

export const SAME_ORIGIN = { origin: BASE, 'sec-fetch-site': 'same-origin' }

export function cookieOf(response: Response): string {
  const header = response.headers.get('set-cookie') ?? ''
  const match = /^(__Host-lodestone_session=[^;]+)/.exec(header)
  expect(match, `no session cookie in ${header}`).not.toBeNull()
  return match![1]!
}

export async function signInWithToken(
  token: string,
): Promise<{ cookie: string; session: SessionInfo }> {
  const response = await call('/v1/auth/sessions', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'cf-connecting-ip': freshNetwork(),
      ...SAME_ORIGIN,
    },
    body: JSON.stringify({ token }),
  })
  expect(response.status).toBe(201)
  return { cookie: cookieOf(response), session: (await response.json()) as SessionInfo }
}

/** A request with the session cookie, as the app sends it (same origin). */
export function withCookie(
  path: string,
  cookie: string,
  method = 'GET',
  body?: unknown,
  headers: Record<string, string> = SAME_ORIGIN,
): Promise<Response> {
  return call(path, {
    method,
    headers: {
      cookie,
      ...headers,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
}

/** The newest mail to `to`, and the link secret in it. */
export async function lastMailTo(
  to: string,
): Promise<{ subject: string; body: string; link: string }> {
  const row = await env.DB.prepare(
    'SELECT subject, body FROM outbox WHERE recipient = ?1 ORDER BY id DESC LIMIT 1',
  )
    .bind(to)
    .first<{ subject: string; body: string }>()
  expect(row, `no mail to ${to}`).not.toBeNull()
  const link = /\/app\/sign-in#link=([A-Za-z0-9_-]+)/.exec(row!.body)?.[1] ?? ''
  return { ...row!, link }
}

export async function redeem(link: string, headers: Record<string, string> = SAME_ORIGIN) {
  return call('/v1/auth/links/redeem', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'cf-connecting-ip': freshNetwork(), ...headers },
    body: JSON.stringify({ link }),
  })
}
