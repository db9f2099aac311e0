import { describe, expect, it } from 'vitest'
import {
  checkStartToken,
  issueStartToken,
  MAX_FILL_MS,
  MIN_FILL_MS,
} from '../../worker/src/domain/start-token'

const SECRET = 'unit-secret-0123456789abcdef0123456789abcdef'

describe('start tokens', () => {
  it('are distinct for two visitors starting the same form in the same millisecond', async () => {
    const now = Date.parse('2026-12-01T10:00:00Z')
    const [a, b] = await Promise.all([
      issueStartToken(SECRET, 'acme', 'wp', now),
      issueStartToken(SECRET, 'acme', 'wp', now),
    ])
    expect(a).not.toBe(b)
    expect(await checkStartToken(SECRET, a, 'acme', 'wp', now + MIN_FILL_MS)).toBe('ok')
    expect(await checkStartToken(SECRET, b, 'acme', 'wp', now + MIN_FILL_MS)).toBe('ok')
  })

  it('are too fast under the minimum fill time, expired past the maximum, invalid elsewhere', async () => {
    const now = Date.parse('2026-12-01T10:00:00Z')
    const token = await issueStartToken(SECRET, 'acme', 'wp', now)
    expect(await checkStartToken(SECRET, token, 'acme', 'wp', now + MIN_FILL_MS - 1)).toBe(
      'too_fast',
    )
    expect(await checkStartToken(SECRET, token, 'acme', 'wp', now + MAX_FILL_MS + 1)).toBe(
      'expired',
    )
    expect(await checkStartToken(SECRET, token, 'acme', 'other', now + MIN_FILL_MS)).toBe('invalid')
    expect(await checkStartToken('another-secret', token, 'acme', 'wp', now)).toBe('invalid')
    expect(await checkStartToken(SECRET, undefined, 'acme', 'wp', now)).toBe('invalid')
  })
})
