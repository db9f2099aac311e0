/** Small wrappers over WebCrypto; nothing here is hand-rolled cryptography. */

const encoder = new TextEncoder()

export function toHex(bytes: ArrayBuffer | Uint8Array): string {
  return [...new Uint8Array(bytes)].map((byte) => byte.toString(16).padStart(2, '0')).join('')
}

/** Standard base64 (with padding), as the Standard Webhooks signature uses it. */
export function toBase64(bytes: Uint8Array): string {
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary)
}

export function toBase64Url(bytes: Uint8Array): string {
  return toBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

function fromBase64(value: string): Uint8Array | null {
  try {
    return Uint8Array.from(atob(value), (char) => char.charCodeAt(0))
  } catch {
    return null
  }
}

export function fromBase64Url(value: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(value)) return null
  return fromBase64(value.replace(/-/g, '+').replace(/_/g, '/'))
}

export async function sha256Hex(value: string): Promise<string> {
  return toHex(await crypto.subtle.digest('SHA-256', encoder.encode(value)))
}

const keyCache = new Map<string, Promise<CryptoKey>>()

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keyCache.get(secret)
  if (!key) {
    key = crypto.subtle.importKey(
      'raw',
      encoder.encode(secret),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign'],
    )
    keyCache.set(secret, key)
  }
  return key
}

export async function hmacSha256(secret: string, message: string): Promise<Uint8Array> {
  return new Uint8Array(
    await crypto.subtle.sign('HMAC', await hmacKey(secret), encoder.encode(message)),
  )
}

/** Compares two strings in time independent of where they differ (hashing first equalises lengths). */
export async function timingSafeEqualStrings(a: string, b: string): Promise<boolean> {
  const [left, right] = await Promise.all([
    crypto.subtle.digest('SHA-256', encoder.encode(a)),
    crypto.subtle.digest('SHA-256', encoder.encode(b)),
  ])
  return crypto.subtle.timingSafeEqual(left, right)
}

export function randomToken(bytes = 32): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(bytes)))
}

/** `payload.signature`, both base64url: a compact signed token for links. */
export async function signToken(secret: string, payload: object): Promise<string> {
  const body = toBase64Url(encoder.encode(JSON.stringify(payload)))
  return `${body}.${toBase64Url(await hmacSha256(secret, body))}`
}

export async function verifyToken(secret: string, token: string): Promise<unknown | null> {
  const [body, signature, extra] = token.split('.')
  if (!body || !signature || extra !== undefined || token.length > 2048) return null
  const expected = toBase64Url(await hmacSha256(secret, body))
  if (!(await timingSafeEqualStrings(expected, signature))) return null
  const bytes = fromBase64Url(body)
  if (!bytes) return null
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as unknown
  } catch {
    return null
  }
}

const sealKeys = new Map<string, Promise<CryptoKey>>()

/** An AES-GCM key derived from the deployment's secret (HKDF), one per purpose. */
function sealKey(secret: string, purpose: string): Promise<CryptoKey> {
  const id = `${purpose}\u0000${secret}`
  let key = sealKeys.get(id)
  if (!key) {
    key = crypto.subtle
      .importKey('raw', encoder.encode(secret), 'HKDF', false, ['deriveKey'])
      .then((base) =>
        crypto.subtle.deriveKey(
          { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: encoder.encode(purpose) },
          base,
          { name: 'AES-GCM', length: 256 },
          false,
          ['encrypt', 'decrypt'],
        ),
      )
    sealKeys.set(id, key)
  }
  return key
}

/**
 * Encrypts a credential Lodestone must use again (a webhook's signing secret, a CRM token), so
 * the database alone does not give it away: `v1.<iv>.<ciphertext>`, both base64url.
 */
export async function sealSecret(secret: string, value: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12))
  const sealed = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv },
    await sealKey(secret, 'lodestone endpoint secrets'),
    encoder.encode(value),
  )
  return `v1.${toBase64Url(iv)}.${toBase64Url(new Uint8Array(sealed))}`
}

export async function openSecret(secret: string, sealed: string): Promise<string> {
  const [version, iv, body] = sealed.split('.')
  const ivBytes = iv ? fromBase64Url(iv) : null
  const bodyBytes = body ? fromBase64Url(body) : null
  if (version !== 'v1' || !ivBytes || !bodyBytes) throw new Error('not a sealed secret')
  const plain = await crypto.subtle.decrypt(
    { name: 'AES-GCM', iv: ivBytes },
    await sealKey(secret, 'lodestone endpoint secrets'),
    bodyBytes,
  )
  return new TextDecoder().decode(plain)
}

/** A new Standard Webhooks signing secret: `whsec_` and 24 random bytes in base64. */
export function newWebhookSecret(): string {
  return `whsec_${toBase64(crypto.getRandomValues(new Uint8Array(24)))}`
}

/**
 * The `webhook-signature` entry for one secret (Standard Webhooks): `v1,` and the base64
 * HMAC-SHA256, keyed by the secret's bytes, of `id.timestamp.body`.
 */
export async function signWebhook(
  whsec: string,
  id: string,
  timestamp: number,
  body: string,
): Promise<string> {
  const keyBytes = fromBase64(whsec.replace(/^whsec_/, ''))
  if (!keyBytes) throw new Error('not a webhook secret')
  const key = await crypto.subtle.importKey(
    'raw',
    keyBytes,
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  )
  const mac = await crypto.subtle.sign('HMAC', key, encoder.encode(`${id}.${timestamp}.${body}`))
  return `v1,${toBase64(new Uint8Array(mac))}`
}
