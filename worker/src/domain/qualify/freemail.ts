import { freeEmailDomains } from 'free-email-domains-typescript'

let domains: Set<string> | undefined

/**
 * Whether an email domain (or any parent of it, so `mail.gmx.de` too) belongs
 * to a free mail provider, and so says nothing about an employer. The list is
 * the maintained `free-email-domains-typescript` package (HubSpot's list of
 * free domains that lead forms block), loaded into a Set on first use.
 */
export function isFreemailDomain(domain: string): boolean {
  domains ??= new Set(freeEmailDomains)
  const labels = domain.trim().toLowerCase().replace(/\.$/, '').split('.')
  for (let i = 0; i < labels.length - 1; i++) {
    if (domains.has(labels.slice(i).join('.'))) return true
  }
  return false
}

/** The lower-cased domain of an email address, or `null` when there is none. */
export function emailDomain(email: string): string | null {
  const at = email.lastIndexOf('@')
  if (at < 1 || at === email.length - 1) return null
  return email
    .slice(at + 1)
    .trim()
    .toLowerCase()
}
