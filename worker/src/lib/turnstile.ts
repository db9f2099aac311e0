/** Cloudflare's server-side check of a Turnstile token. */
const SITEVERIFY = 'https://challenges.cloudflare.com/turnstile/v0/siteverify'

/**
 * Whether Cloudflare confirms the visitor's Turnstile token. Fails closed: a
 * missing token, a refusal or an unreachable verifier all answer false, and
 * the caller holds the submission as spam (never drops it).
 */
export async function verifyTurnstile(
  secret: string,
  token: string | undefined,
  remoteIp: string | null,
): Promise<boolean> {
  if (!token) return false
  const form = new FormData()
  form.set('secret', secret)
  form.set('response', token)
  if (remoteIp) form.set('remoteip', remoteIp)
  try {
    const response = await fetch(SITEVERIFY, {
      method: 'POST',
      body: form,
      signal: AbortSignal.timeout(5000),
    })
    if (!response.ok) return false
    const result = (await response.json()) as { success?: unknown }
    return result.success === true
  } catch {
    return false
  }
}
