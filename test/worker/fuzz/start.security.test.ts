import fc from 'fast-check'
import { describe, it } from 'vitest'
import { queryString } from '../arbitraries'
import { Budget, fuzzWithoutWrites, setUpFuzzing, TIMEOUT } from './harness'
import { formIdSegment, get, originOf, siteKeySegment, siteOrigin } from './requests'

setUpFuzzing()

const budget = new Budget('GET /v1/sites/{siteKey}/forms/{formId}/start', { hostile: 1 })

describe('fuzzing GET /v1/sites/{siteKey}/forms/{formId}/start', () => {
  it(
    'answers hostile site keys, form ids, visitor ids and methods without 5xx and never writes',
    async () => {
      const path = fc
        .tuple(siteKeySegment, formIdSegment, queryString)
        .map(([key, form, query]) => `/v1/sites/${key}/forms/${form}/start${query}`)
      await fuzzWithoutWrites(budget, 'hostile', get(path, originOf(siteOrigin)), {
        mayAccept: true,
      })
    },
    TIMEOUT,
  )
})
