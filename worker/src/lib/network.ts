/**
 * Client network addresses are never stored raw (docs/consent-and-privacy.md#network-addresses):
 * the consent ledger keeps IPv4 reduced to its /24 and IPv6 to its /48.
 */
export function reduceAddress(address: string | null | undefined): string | null {
  if (!address) return null
  const value = address.trim()
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(value)
  if (v4) {
    const octets = v4.slice(1, 4).map(Number)
    if (octets.some((octet) => octet > 255)) return null
    return `${octets.join('.')}.0/24`
  }
  if (value.includes(':')) {
    const groups = expandIpv6(value)
    if (!groups) return null
    return `${groups.slice(0, 3).join(':')}::/48`
  }
  return null
}

function expandIpv6(value: string): string[] | null {
  const address = value.split('%')[0] ?? ''
  if (!/^[0-9a-fA-F:.]+$/.test(address)) return null
  const [head = '', tail, extra] = address.split('::')
  if (extra !== undefined) return null
  const left = head ? head.split(':') : []
  const right = tail ? tail.split(':') : []
  // An embedded IPv4 tail (::ffff:1.2.3.4) counts as two groups; its network part is what we keep.
  const last = right.length ? right : left
  if (last.length && last[last.length - 1]!.includes('.')) {
    last.pop()
    last.push('0', '0')
  }
  const missing = 8 - left.length - right.length
  if (tail === undefined ? missing !== 0 : missing < 1) return null
  const groups = [...left, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...right]
  if (groups.some((group) => !/^[0-9a-fA-F]{1,4}$/.test(group))) return null
  return groups.map((group) => group.toLowerCase().replace(/^0+(?=.)/, ''))
}

/** The address Cloudflare saw; locally absent, then nothing is derived from it. */
export function clientAddress(request: Request): string | null {
  return request.headers.get('cf-connecting-ip')
}
