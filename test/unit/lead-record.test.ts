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
  it('lists required fields that are absent or empty, in the site order', () => {
    expect(
      missingFields({ email: 'a@b.de', firstName: 'A' }, [
        'email',
        'firstName',
        'company',
        'jobTitle',
      ]),
    ).toEqual(['company', 'jobTitle'])
  })
})
