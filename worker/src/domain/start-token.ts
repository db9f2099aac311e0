import { randomToken, signToken, verifyToken } from '../lib/crypto'

/**
 * A human needs at least this long to fill a form; bots post at once
 * (docs/spam-and-abuse.md#minimum-fill-time).
 */
export const MIN_FILL_MS = 3_000
/** A form left open longer than this needs a fresh start (reload). */
export const MAX_FILL_MS = 24 * 3600 * 1000

interface StartClaim {
  k: 'start'
  s: string
  f: string
  t: number
  /**
   * A nonce, so two visitors starting the same form in the same millisecond get two tokens: a
   * token serves one submission (docs/spam-and-abuse.md#one-token-one-submission).
   */
  n: string
}

export function issueStartToken(
  secret: string,
  siteKey: string,
  formId: string,
  now: number,
): Promise<string> {
  const claim: StartClaim = { k: 'start', s: siteKey, f: formId, t: now, n: randomToken(9) }
  return signToken(secret, claim)
}

export type StartCheck = 'ok' | 'invalid' | 'too_fast' | 'expired'

/** Checks a start token against the form it was issued for and the time the submission arrived. */
export async function checkStartToken(
  secret: string,
  token: string | undefined,
  siteKey: string,
  formId: string,
  now: number,
): Promise<StartCheck> {
  if (!token) return 'invalid'
  const claim = (await verifyToken(secret, token)) as Partial<StartClaim> | null
  if (
    !claim ||
    claim.k !== 'start' ||
    claim.s !== siteKey ||
    claim.f !== formId ||
    typeof claim.t !== 'number'
  ) {
    return 'invalid'
  }
  const elapsed = now - claim.t
  if (elapsed < MIN_FILL_MS) return 'too_fast'
  if (elapsed > MAX_FILL_MS) return 'expired'
  return 'ok'
}
