/**
 * Where Lodestone may send a site's events (docs/outbound.md#targets): `https` only, and never to
 * this machine, a private network or a link-local address (no server-side request forgery).
 * `WEBHOOK_ALLOW_PRIVATE=on` lifts both for local runs. A name is not resolved here: on
 * Cloudflare a Worker's fetch cannot reach private networks whatever a name resolves to.
 */
export type TargetCheck = { ok: true; url: URL } | { ok: false; reason: string }

const LOCAL_NAMES = /(^|\.)(localhost|local|internal|intranet|lan|home\.arpa|localdomain)$/

export function checkTargetUrl(value: string, allowPrivate: boolean): TargetCheck {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return { ok: false, reason: 'is not a URL' }
  }
  if (url.username || url.password) return { ok: false, reason: 'must not carry credentials' }
  if (allowPrivate) {
    return url.protocol === 'https:' || url.protocol === 'http:'
      ? { ok: true, url }
      : { ok: false, reason: 'must be an http or https URL' }
  }
  if (url.protocol !== 'https:') return { ok: false, reason: 'must be an https URL' }
  if (url.port && url.port !== '443') return { ok: false, reason: 'must use port 443' }
  const host = url.hostname.toLowerCase().replace(/\.+$/, '')
  if (host.split('.').some((label) => label === ''))
    return { ok: false, reason: 'must not point to a local name' }
  if (host.startsWith('[')) {
    return isPublicIPv6(host.slice(1, -1))
      ? { ok: true, url }
      : { ok: false, reason: 'must not point to a private or loopback address' }
  }
  const v4 = parseIPv4(host)
  if (v4) {
    return isPublicIPv4(v4)
      ? { ok: true, url }
      : { ok: false, reason: 'must not point to a private or loopback address' }
  }
  if (!host.includes('.') || LOCAL_NAMES.test(host))
    return { ok: false, reason: 'must not point to a local name' }
  return { ok: true, url }
}

/** The WHATWG parser already turns `0x7f.1`, `2130706433` and the like into dotted decimal. */
function parseIPv4(host: string): number[] | null {
  const parts = host.split('.')
  if (parts.length !== 4 || !parts.every((part) => /^\d{1,3}$/.test(part))) return null
  const bytes = parts.map(Number)
  return bytes.every((byte) => byte <= 255) ? bytes : null
}

function isPublicIPv4([a, b, c]: number[]): boolean {
  if (a === undefined || b === undefined || c === undefined) return false
  if (a === 0 || a === 10 || a === 127 || a >= 224) return false // this net, private, loopback, multicast
  if (a === 100 && b >= 64 && b <= 127) return false // carrier-grade NAT
  if (a === 169 && b === 254) return false // link-local, cloud metadata
  if (a === 172 && b >= 16 && b <= 31) return false
  if (a === 192 && b === 168) return false
  if (a === 192 && b === 0 && (c === 0 || c === 2)) return false // IETF, TEST-NET-1
  if (a === 198 && (b === 18 || b === 19)) return false // benchmarking
  if (a === 198 && b === 51 && c === 100) return false // TEST-NET-2
  if (a === 203 && b === 0 && c === 113) return false // TEST-NET-3
  return true
}

function isPublicIPv6(host: string): boolean {
  const address = host.toLowerCase()
  if (address === '::' || address === '::1') return false
  // IPv4-mapped and -translated (::ffff:127.0.0.1 arrives as ::ffff:7f00:1).
  const mapped = /^::ffff:(?:0:)?([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(address)
  if (mapped) {
    const high = parseInt(mapped[1]!, 16)
    const low = parseInt(mapped[2]!, 16)
    return isPublicIPv4([high >> 8, high & 255, low >> 8, low & 255])
  }
  if (/^::ffff:/.test(address) || /^64:ff9b:/.test(address)) return false
  const [head = '', second = ''] = address.split(':')
  const first = parseInt(head || '0', 16)
  if (first < 0x100) return false // ::/8: unspecified, loopback, IPv4-compatible (::7f00:1)
  if (first === 0x2002) return false // 6to4, which wraps an IPv4 address
  if (first === 0x2001 && (second === '' || second === '0')) return false // Teredo 2001:0::/32
  if ((first & 0xffc0) === 0xfec0) return false // site-local fec0::/10
  if ((first & 0xfe00) === 0xfc00) return false // unique local fc00::/7
  if ((first & 0xffc0) === 0xfe80) return false // link-local fe80::/10
  if ((first & 0xff00) === 0xff00) return false // multicast
  if (first === 0x2001 && second === 'db8') return false // documentation
  return true
}
