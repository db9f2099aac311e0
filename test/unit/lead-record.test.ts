import { describe, expect, it } from 'vitest'
import { mergeRecords, missingFields } from '../../worker/src/domain/lead-record'

describe('mergeRecords', () => {
  it('lets newer non-empty values win and keeps older ones otherwise', () => {
    expect(
      mergeRecords(
        { firstName: 'Anna', company: 'Alt GmbH' },
        { company: 'Neu GmbH', firstName: '' },
      ),
    ).toEqual({
      firstName: 'Anna',
      company: 'Neu GmbH',
    })
  })
})

describe('missingFields', () => {
  const REQUIRED = ['email', 'firstName', 'company', 'jobTitle']

  it('lists required fields that were asked and are absent or empty, in the site order', () => {
    expect(
      missingFields({ email: 'a@b.de', firstName: 'A', company: '' }, REQUIRED, [
        'jobTitle',
        'company',
        'email',
        'firstName',
      ]),
    ).toEqual(['company', 'jobTitle'])
  })

  it('does not hold against a lead what no form asked it: a newsletter email alone is complete', () => {
    expect(missingFields({ email: 'a@b.de' }, REQUIRED, ['email'])).toEqual([])
    // Asked, and not required by the site, it is not missing either.
    expect(missingFields({ email: 'a@b.de' }, ['email'], ['email', 'phone'])).toEqual([])
  })

  it('counts a required checkbox as missing until it is true', () => {
    expect(missingFields({ email: 'a@b.de', terms: false }, ['email', 'terms'], ['terms'])).toEqual(
      ['terms'],
    )
  })
})
