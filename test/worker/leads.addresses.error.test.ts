import { describe, expect, it } from 'vitest'
import { createSite, expectProblem, leadBody, postLead, rowCounts } from './helpers'

// docs/completeness.md#email: what RFC 5321 and the DNS do not allow is refused, not stored.
describe('POST /v1/leads refuses malformed addresses', () => {
  it.each([
    ['a label ending in a hyphen', 'anna@firma-.de'],
    ['a label starting with a hyphen', 'anna@-firma.de'],
    ['a 65-character local part', `${'a'.repeat(65)}@firma.de`],
    ['a 64-character label', `anna@${'a'.repeat(64)}.de`],
    ['an umlaut domain with a hyphen at the end', 'info@müller-.de'],
  ])('refuses %s with 422 and stores nothing', async (_name, email) => {
    const site = await createSite()
    const before = await rowCounts()
    const problem = await expectProblem(
      await postLead(site, leadBody(site, { fields: { email } }), { language: 'en' }),
      422,
      'validation_failed',
    )
    expect(problem.errors).toEqual([
      { path: 'fields.email', reason: 'email', message: 'is not a valid email address' },
    ])
    expect(await rowCounts()).toEqual(before)
  })
})

// docs/completeness.md#disposable-email: sampled from the community-maintained list, these
// became leads with the older list alone.
describe('POST /v1/leads refuses disposable addresses', () => {
  it.each(['mail.tm', 'emailondeck.com', 'muell.email'])(
    'refuses an address at %s with 422 disposable_email',
    async (domain) => {
      const site = await createSite()
      await expectProblem(
        await postLead(site, leadBody(site, { fields: { email: `anna@${domain}` } })),
        422,
        'disposable_email',
      )
    },
  )
})
