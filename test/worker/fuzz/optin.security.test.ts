import fc from 'fast-check'
import { describe, it } from 'vitest'
import { Budget, fuzzWithoutWrites, setUpFuzzing, TIMEOUT, world } from './harness'
import { noBody, tokenMethod, tokenRequest, tokenSegment } from './requests'

setUpFuzzing()

const budget = new Budget('GET /v1/optin/{token}', { broken: 1 })

describe('fuzzing GET /v1/optin/{token}', () => {
  it(
    'refuses broken and random opt-in tokens, and a receipt token, with a problem and writes nothing',
    async () => {
      const segment = tokenSegment(
        () => world.optinToken,
        [fc.constant(null).map(() => world.consentToken)],
      )
      await fuzzWithoutWrites(
        budget,
        'broken',
        tokenRequest((t) => `/v1/optin/${t}`, segment, tokenMethod, noBody),
      )
    },
    TIMEOUT,
  )
})
