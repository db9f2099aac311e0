import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { LeadSubmissionResult } from '../../shared/leads'
import { createSite, leadBody, postLead } from './helpers'

async function submit(
  site: Awaited<ReturnType<typeof createSite>>,
  fields: Record<string, string>,
) {
  const response = await postLead(site, leadBody(site, { fields }))
  expect(response.status, JSON.stringify(fields)).toBe(201)
  return (await response.json()) as LeadSubmissionResult
}

async function storedLead(siteKey: string, leadId: string) {
  return env.DB.prepare(
    'SELECT email, email_key, email_domain, phone FROM leads WHERE site_key = ?1 AND id = ?2',
  )
    .bind(siteKey, leadId)
    .first<{ email: string; email_key: string; email_domain: string; phone: string | null }>()
}

// docs/completeness.md#email: internationalised domains are ordinary addresses in Germany,
// Austria and Switzerland; shown as typed, compared by their A-label.
describe('POST /v1/leads with internationalised domains', () => {
  it.each([
    ['info@müller.de', 'info@xn--mller-kva.de', 'xn--mller-kva.de'],
    ['kontakt@bücher.ch', 'kontakt@xn--bcher-kva.ch', 'xn--bcher-kva.ch'],
    ['post@straße.de', 'post@xn--strae-oqa.de', 'xn--strae-oqa.de'],
  ])('accepts %s, keeps it as typed and keys it by its A-label', async (email, key, domain) => {
    const site = await createSite()
    const { leadId } = await submit(site, { email, firstName: 'Anna' })
    expect(await storedLead(site.siteKey, leadId)).toMatchObject({
      email,
      email_key: key,
      email_domain: domain,
    })
  })

  it('merges info@müller.de and info@xn--mller-kva.de into one lead', async () => {
    const site = await createSite()
    const first = await submit(site, { email: 'info@müller.de', firstName: 'Anna' })
    const second = await submit(site, { email: 'Info@XN--MLLER-KVA.DE', lastName: 'Müller' })
    const third = await submit(site, { email: 'info@MÜLLER.de', company: 'Müller GmbH' })
    expect(second.leadId).toBe(first.leadId)
    expect(third.leadId).toBe(first.leadId)
    const { n } = (await env.DB.prepare('SELECT count(*) AS n FROM leads WHERE site_key = ?1')
      .bind(site.siteKey)
      .first<{ n: number }>())!
    expect(n).toBe(1)
    // The newest spelling is the one shown, as with any merged value.
    expect(await storedLead(site.siteKey, first.leadId)).toMatchObject({
      email: 'info@müller.de',
      email_key: 'info@xn--mller-kva.de',
    })
  })
})

// docs/completeness.md#phone: an extension is kept, in the RFC 3966 form.
describe('POST /v1/leads with a phone extension', () => {
  it('stores +49 30 1234567 ext. 12 as +49301234567;ext=12', async () => {
    const site = await createSite()
    const { leadId } = await submit(site, {
      email: 'anna@firma.de',
      phone: '+49 30 1234567 ext. 12',
    })
    expect((await storedLead(site.siteKey, leadId))!.phone).toBe('+49301234567;ext=12')
  })
})
