import { env } from 'cloudflare:workers'
import { expect } from 'vitest'
import type { LeadSubmissionResult } from '../../shared/leads'
import { issueStartToken } from '../../worker/src/domain/start-token'
import { admin, createSite, postLead, type TestSite } from './helpers'

/** A newsletter signup with double opt-in, and the links its mail holds: the consent routes' world. */

export const NEWSLETTER_TEXT = 'Ja, ich möchte den Newsletter erhalten. Abmeldung jederzeit.'

export async function newsletterSignup(locale?: 'de' | 'en'): Promise<{
  site: TestSite
  leadId: string
  mail: { subject: string; body: string; recipient: string }
}> {
  const site = await createSite()
  const form = await admin(`/v1/admin/sites/${site.siteKey}/forms/nl`, 'PUT', {
    kind: 'newsletter',
    title: 'Newsletter',
    fields: [{ name: 'email', type: 'email', required: true, label: 'E-Mail' }],
    consents: [{ purpose: 'marketing_email', text: NEWSLETTER_TEXT, required: true }],
  })
  const textId = ((await form.json()) as { consents: { textId: string }[] }).consents[0]!.textId
  const response = await postLead(site, {
    siteKey: site.siteKey,
    formId: 'nl',
    submissionId: crypto.randomUUID(),
    fields: { email: 'Nina@Example.org' },
    consents: [{ purpose: 'marketing_email', granted: true, textId }],
    page: { url: `${site.origin}/blog` },
    ...(locale ? { locale } : {}),
    startToken: await issueStartToken(
      env.LODESTONE_SECRET,
      site.siteKey,
      'nl',
      Date.now() - 10_000,
    ),
  })
  expect(response.status).toBe(201)
  const { leadId } = (await response.json()) as LeadSubmissionResult
  const mail = await env.DB.prepare(
    'SELECT subject, body, recipient FROM outbox WHERE lead_id = ?1',
  )
    .bind(leadId)
    .first<{ subject: string; body: string; recipient: string }>()
  expect(mail).not.toBeNull()
  return { site, leadId, mail: mail! }
}

export function linkIn(body: string, pattern: RegExp): string {
  const match = pattern.exec(body)
  expect(match).not.toBeNull()
  return new URL(match![0]).pathname
}
