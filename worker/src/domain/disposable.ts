import LEGACY_DOMAINS from 'disposable-email-domains'
import COMMUNITY_DOMAINS from 'disposable-email-domains-js/dist/dict/disposable_email_blocklist.json'
import { blacklist as mailcheckerDomains } from 'mailchecker'

let domains: Set<string> | undefined

/**
 * Whether an email domain (or any parent of it) is a known disposable provider. Three maintained
 * lists are combined into one Set on first use (docs/completeness.md#disposable-email): the community list
 * (`disposable-email-domains-js`, rebuilt from the community-maintained repository), MailChecker's
 * (`mailchecker`) and the older `disposable-email-domains`. Each list updates with its package.
 * `domain` is the ASCII (A-label) form, as the lists are.
 */
export function isDisposableDomain(domain: string): boolean {
  domains ??= new Set([...LEGACY_DOMAINS, ...COMMUNITY_DOMAINS, ...mailcheckerDomains()])
  const labels = domain.toLowerCase().split('.')
  for (let i = 0; i < labels.length - 1; i++) {
    if (domains.has(labels.slice(i).join('.'))) return true
  }
  return false
}
