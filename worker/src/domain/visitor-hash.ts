import { hmacSha256, toHex } from '../lib/crypto'

/**
 * The anonymous daily visitor key (docs/consent-and-privacy.md#daily-hash): a keyed hash of network
 * address, user agent, site and day. It changes every day, cannot be reversed
 * without the day's salt, and is dropped from touchpoints that join a lead.
 */
export async function dailyVisitorHash(
  salt: string,
  parts: { address: string | null; userAgent: string; siteKey: string; day: string },
): Promise<string> {
  const message = [parts.address ?? '-', parts.userAgent, parts.siteKey, parts.day].join('\n')
  return toHex(await hmacSha256(salt, message)).slice(0, 32)
}
