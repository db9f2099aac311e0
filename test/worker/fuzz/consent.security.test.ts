import fc from 'fast-check'
import { describe, it } from 'vitest'
import { Budget, fuzzWithoutWrites, setUpFuzzing, TIMEOUT, world } from './harness'
import { noBody, tokenMethod, tokenRequest, tokenSegment } from './requests'

setUpFuzzing()

const budget = new Budget('GET /v1/consent/{token}', { any: 1 })

describe('fuzzing GET /v1/consent/{token}', () => {
  it(
    'answers receipt requests with broken, random and real tokens without 5xx and never writes',
    async () => {
      const valid = () => world.consentToken
      const segment = fc.oneof(
        {
          arbitrary: tokenSegment(valid, [fc.constant(null).map(() => world.optinToken)]),
          weight: 9,
        },
        { arbitrary: fc.constant(null).map(valid), weight: 1 },
      )
      await fuzzWithoutWrites(
        budget,
        'any',
        tokenRequest((t) => `/v1/consent/${t}`, segment, tokenMethod, noBody),
        { mayAccept: true },
      )
    },
    TIMEOUT,
  )
})
