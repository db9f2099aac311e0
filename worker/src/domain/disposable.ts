import DISPOSABLE_DOMAINS from 'disposable-email-domains'

let domains: Set<string> | undefined

/**
 * Whether an email domain (or any parent of it) is a known disposable
 * provider. The list is the maintained `disposable-email-domains` package,
 * loaded into a Set on first use.
 */
export function isDisposableDomain(domain: string): boolean {
  domains ??= new Set(DISPOSABLE_DOMAINS as string[])
  const labels = domain.toLowerCase().split('.')
  for (let i = 0; i < labels.length - 1; i++) {
    if (domains.has(labels.slice(i).join('.'))) return true
  }
  return false
}
