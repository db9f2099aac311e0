/**
 * What an allowed origin is, written once for the API (`OriginSchema`, shared/site.ts) and the
 * app's site form, which checks each row before sending it. Plain code without zod, so the app
 * can import it.
 */

/** The API's words for a value that is not an origin; the app's English says the same. */
export const ORIGIN_MESSAGE =
  'must be an origin such as https://www.example.com (no path, no trailing slash)'

/** An origin as browsers send it: `http(s)://host[:port]`, nothing else. */
export function isOrigin(value: string): boolean {
  try {
    const url = new URL(value)
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value
  } catch {
    return false
  }
}
