import { describe, expect, it } from 'vitest'
import { MAX_SPEND_ENTRIES } from '../../../shared/campaigns'
import { admin, call, createSite, expectProblem, ROOT, rowCounts } from '../helpers'

const ENTRY = { date: '2026-11-01', amount: 1000, currency: 'EUR' }

describe('campaign and spend writes, bad input', () => {
  it.each<[string, unknown, string]>([
    ['a lower-case currency', { entries: [{ ...ENTRY, currency: 'eur' }] }, 'entries.0.currency'],
    ['a four-letter currency', { entries: [{ ...ENTRY, currency: 'EURO' }] }, 'entries.0.currency'],
    ['a negative amount', { entries: [{ ...ENTRY, amount: -1 }] }, 'entries.0.amount'],
    ['a fractional amount', { entries: [{ ...ENTRY, amount: 10.5 }] }, 'entries.0.amount'],
    ['an amount as text', { entries: [{ ...ENTRY, amount: '1000' }] }, 'entries.0.amount'],
    [
      'a day that does not exist',
      { entries: [{ ...ENTRY, date: '2026-02-30' }] },
      'entries.0.date',
    ],
    [
      'a datetime instead of a day',
      { entries: [{ ...ENTRY, date: '2026-11-01T00:00:00Z' }] },
      'entries.0.date',
    ],
    ['the same day twice', { entries: [ENTRY, { ...ENTRY, amount: 5 }] }, 'entries.1.date'],
    ['no entries', { entries: [] }, 'entries'],
    ['an unknown field', { entries: [{ ...ENTRY, clicks: 3 }] }, 'entries.0'],
    [
      `more than ${MAX_SPEND_ENTRIES} entries`,
      {
        entries: Array.from({ length: MAX_SPEND_ENTRIES + 1 }, (_, i) => ({
          ...ENTRY,
          date: new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10),
        })),
      },
      'entries',
    ],
  ])('refuses spend with %s with 422 and writes nothing', async (_, body, path) => {
    const site = await createSite()
    const before = await rowCounts()
    const problem = await expectProblem(
      await admin(`/v1/admin/sites/${site.siteKey}/campaigns/q4/spend`, 'PUT', body),
      422,
      'validation_failed',
    )
    expect(problem.errors?.map((e) => e.path)).toContain(path)
    expect(await rowCounts()).toEqual(before)
  })

  it('writes no day of a batch in which one day is invalid', async () => {
    const site = await createSite()
    const before = await rowCounts()
    const body = { entries: [ENTRY, { ...ENTRY, date: '2026-11-02', amount: -5 }] }
    await expectProblem(
      await admin(`/v1/admin/sites/${site.siteKey}/campaigns/q4/spend`, 'PUT', body),
      422,
    )
    expect(await rowCounts()).toEqual(before)
  })

  it.each<[string, string, unknown]>([
    ['an unknown field', 'q4', { name: 'Q4', budget: 5 }],
    ['a control character in the name', 'q4', { name: 'Q4\u0007' }],
    ['a name over 200 characters', 'q4', { name: 'x'.repeat(201) }],
    ['a blank campaign key', '%20%20', { name: 'Q4' }],
    ['the reserved key (none)', '(None)', { name: 'Q4' }],
    ['a campaign key over 200 characters', 'k'.repeat(201), { name: 'Q4' }],
  ])('refuses a campaign with %s with 422 and writes nothing', async (_, key, body) => {
    const site = await createSite()
    const before = await rowCounts()
    await expectProblem(
      await admin(`/v1/admin/sites/${site.siteKey}/campaigns/${key}`, 'PUT', body),
      422,
      'validation_failed',
    )
    expect(await rowCounts()).toEqual(before)
  })

  it('refuses a malformed JSON body with 400 and writes nothing', async () => {
    const site = await createSite()
    const before = await rowCounts()
    const response = await call(`/v1/admin/sites/${site.siteKey}/campaigns/q4/spend`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${ROOT}`, 'content-type': 'application/json' },
      body: '{"entries": [',
    })
    await expectProblem(response, 400)
    expect(await rowCounts()).toEqual(before)
  })

  it('answers 404 for the spend and campaign of an unknown site and writes nothing', async () => {
    const before = await rowCounts()
    await expectProblem(
      await admin('/v1/admin/sites/no-such-site/campaigns/q4/spend', 'PUT', { entries: [ENTRY] }),
      404,
      'site_not_found',
    )
    await expectProblem(
      await admin('/v1/admin/sites/no-such-site/campaigns/q4', 'PUT', { name: 'Q4' }),
      404,
      'site_not_found',
    )
    expect(await rowCounts()).toEqual(before)
  })
})
