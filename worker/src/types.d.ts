declare module 'disposable-email-domains' {
  const domains: string[]
  export default domains
}

/** MailChecker ships its types beside its entry, where TypeScript does not look (types.d.ts). */
declare module 'mailchecker' {
  export function isValid(email: string): boolean
  export function blacklist(): Set<string>
}
