/**
 * Pricing pages by the site's path patterns (see `PathPatternSchema` in
 * `shared/rules.ts`).
 */

function pathSegments(path: string): string[] {
  const bare = path.split(/[?#]/, 1)[0] ?? ''
  return bare
    .split('/')
    .filter((segment) => segment !== '')
    .map((segment) => {
      try {
        return decodeURIComponent(segment).toLowerCase()
      } catch {
        return segment.toLowerCase()
      }
    })
}

function segmentMatcher(segment: string): (value: string) => boolean {
  if (!segment.includes('*')) return (value) => value === segment
  const regex = new RegExp(
    `^${segment
      .split('*')
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  )
  return (value) => regex.test(value)
}

/**
 * Whether a URL path is a pricing page by the site's patterns (see
 * `PathPatternSchema`): the pattern's segments appear, in order and
 * contiguous, anywhere in the path, so `/pricing` matches `/en/pricing`.
 */
export function isPricingPath(path: string, patterns: readonly string[]): boolean {
  const segments = pathSegments(path)
  return patterns.some((pattern) => {
    const matchers = pathSegments(pattern).map(segmentMatcher)
    if (matchers.length === 0) return false
    for (let start = 0; start + matchers.length <= segments.length; start++) {
      if (matchers.every((match, offset) => match(segments[start + offset] ?? ''))) return true
    }
    return false
  })
}
