import fc from 'fast-check'
import { describe, it } from 'vitest'
import { queryString } from '../arbitraries'
import { Budget, fuzzWithoutWrites, setUpFuzzing, TIMEOUT } from './harness'
import { get, originOf, siteKeySegment, siteOrigin } from './requests'

setUpFuzzing()

const budget = new Budget('GET /v1/sites/{siteKey}/config', { hostile: 1 })

describe('fuzzing GET /v1/sites/{siteKey}/config', () => {
  it(
    'answers hostile site keys, origins, queries and methods without 5xx and never writes',
    async () => {
      const path = fc
        .tuple(siteKeySegment, queryString)
        .map(([key, query]) => `/v1/sites/${key}/config${query}`)
      await fuzzWithoutWrites(budget, 'hostile', get(path, originOf(siteOrigin)), {
        mayAccept: true,
      })
    },
    TIMEOUT,
  )
})
