/**
 * The part of a URL that is kept: origin and path. A query or fragment may carry anything (an
 * email in a link, a search term, a token), and UTM values arrive parsed, so neither is stored
 * (docs/consent-and-privacy.md#urls-and-click-ids). Used for page URLs and referrers alike.
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
