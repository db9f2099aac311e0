import type { Site } from '../../../shared/site'
import { insertLeadTokenStatement } from '../db/lead-tokens'
import type { Config } from '../env'
import { randomToken, sha256Hex } from '../lib/crypto'
import { createMailer } from '../mail/mailer'
import { optinMessage } from '../mail/messages'

/** A double opt-in link works for a week, once. */
const OPTIN_TTL_MS = 7 * 24 * 3600 * 1000

/**
 * Sends the double opt-in mail of a newsletter signup (docs/consent-and-privacy.md#double-opt-in).
 * The opt-in token is single-use and expires; the consent token opens the lead's receipt and
 * one-click withdrawal. Both are stored hashed.
 */
export async function sendOptinMail(
  { db, config }: { db: D1Database; config: Config },
  origin: string,
  site: Site,
  lead: { id: string; email: string },
): Promise<void> {
  const now = new Date()
  const optin = randomToken(24)
  const consent = randomToken(24)
  await db.batch([
    insertLeadTokenStatement(db, {
      hash: await sha256Hex(optin),
      leadId: lead.id,
      siteKey: site.siteKey,
      purpose: 'optin',
      expiresAt: new Date(now.getTime() + OPTIN_TTL_MS).toISOString(),
      now: now.toISOString(),
    }),
    insertLeadTokenStatement(db, {
      hash: await sha256Hex(consent),
      leadId: lead.id,
      siteKey: site.siteKey,
      purpose: 'consent',
      expiresAt: null,
      now: now.toISOString(),
    }),
  ])
  const message = optinMessage(site.locale, site.name, {
    optin: `${origin}/v1/optin/${optin}`,
    receipt: `${origin}/v1/consent/${consent}`,
    withdraw: `${origin}/v1/consent/${consent}/withdraw`,
  })
  try {
    await createMailer(db, config).send({
      siteKey: site.siteKey,
      leadId: lead.id,
      to: lead.email,
      ...message,
    })
  } catch (error) {
    // The signup stays pending and can be sent again; the address is not logged.
    console.error(
      `opt-in mail for site ${site.siteKey} failed: ${(error as Error).message.slice(0, 200)}`,
    )
  }
}
