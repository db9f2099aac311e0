/**
 * The part of a URL that is kept: origin and path. A query or fragment may carry anything (an
 * email in a link, a search term, a token), so it is not stored; a page view's UTM values and ad
 * click ids are read from it first (`campaignParams`, docs/consent-and-privacy.md#urls-and-click-ids). Used for page URLs and referrers alike.
 */
export function originAndPath(url: string): string {
  const parsed = new URL(url)
  return `${parsed.origin}${parsed.pathname}`
}

/** A referrer is optional and may be empty (a direct visit): both are stored as null. */
export function storedReferrer(referrer: string | undefined): string | null {
  return referrer ? originAndPath(referrer) : null
}

/**
 * A free-form value (an event property) that is an absolute http(s) URL, as origin and path; any
 * other value as it is. A link's `href` sent as a property is a URL like any other.
 */
export function withoutQuery<Value>(value: Value): Value | string {
  if (typeof value !== 'string' || !/^https?:\/\//i.test(value)) return value
  try {
    return originAndPath(value)
  } catch {
    return value
  }
}

const UTM_PARAM = /^utm_(source|medium|campaign|term|content)$/
/** The ad click ids a page view's URL may carry, kept as its properties (with consent only). */
const URL_CLICK_IDS = new Set(['gclid', 'fbclid', 'msclkid'])

/** Without control characters, trimmed and cut to `max` characters (whole code points). */
function bounded(value: string, max: number): string {
  return [...value.replace(/[\u0000-\u001F\u007F-\u009F]/g, '').trim()].slice(0, max).join('')
}

/**
 * The UTM parameters (`utm_source` … `utm_content`, cut to 200 characters) and ad click ids
 * (`gclid`, `fbclid`, `msclkid`, cut to 500) of a page view's URL, as the widget sends them only
 * in the URL (docs/wire-contract.md#events); empty values are left out. The URL itself is stored
 * without its query (docs/consent-and-privacy.md#urls-and-click-ids).
 */
export function campaignParams(url: string): {
  utm?: Partial<Record<'source' | 'medium' | 'campaign' | 'term' | 'content', string>>
  clickIds?: Record<string, string>
} {
  const found: ReturnType<typeof campaignParams> = {}
  for (const [key, raw] of new URL(url).searchParams) {
    const utm = UTM_PARAM.exec(key)?.[1] as keyof NonNullable<typeof found.utm> | undefined
    const value = bounded(raw, utm ? 200 : 500)
    if (!value) continue
    if (utm) (found.utm ??= {})[utm] = value
    else if (URL_CLICK_IDS.has(key)) (found.clickIds ??= {})[key] = value
  }
  return found
}
