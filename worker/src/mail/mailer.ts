import { insertOutboxStatement, type OutboxMessage } from '../db/outbox'
import { asciiDomain } from '../domain/normalize'

/**
 * Where mail goes, chosen by environment (docs/consent-and-privacy.md#mail):
 * - `outbox` (default; local runs and tests): the `outbox` table, which tests read;
 * - `http`: an HTTP mail API (`MAIL_API_URL`, bearer `MAIL_API_KEY`, sender `MAIL_FROM`)
 *   that takes `{from, to, subject, text}` as JSON, as most transactional mail APIs do.
 */
export interface Mailer {
  send(message: OutboxMessage): Promise<void>
}

export interface MailConfig {
  MAILER: 'outbox' | 'http'
  MAIL_API_URL?: string | undefined
  MAIL_API_KEY?: string | undefined
  MAIL_FROM?: string | undefined
}

/**
 * The address with its domain as the A-label (`info@xn--mller-kva.de`): what any mail server
 * takes, without SMTPUTF8 (docs/completeness.md#email). The lead keeps the address as typed.
 */
export function deliverableAddress(email: string): string {
  const at = email.lastIndexOf('@')
  return `${email.slice(0, at)}@${asciiDomain(email.slice(at + 1)) ?? email.slice(at + 1)}`
}

export function createMailer(db: D1Database, config: MailConfig): Mailer {
  if (config.MAILER === 'http') {
    const { MAIL_API_URL: url, MAIL_API_KEY: key, MAIL_FROM: from } = config
    if (!url || !key || !from)
      throw new Error('MAILER=http needs MAIL_API_URL, MAIL_API_KEY and MAIL_FROM')
    return {
      async send(message) {
        const response = await fetch(url, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            from,
            to: deliverableAddress(message.to),
            subject: message.subject,
            text: message.text,
          }),
        })
        if (!response.ok) throw new Error(`mail API answered ${response.status}`)
      },
    }
  }
  return {
    async send(message) {
      await insertOutboxStatement(db, message, new Date().toISOString()).run()
    },
  }
}
