import fc from 'fast-check'
import { describe, it } from 'vitest'
import { Budget, fuzzWithoutWrites, setUpFuzzing, TIMEOUT, world } from './harness'
import {
  brokenToken,
  forgeDownloadTokens,
  noBody,
  tokenMethod,
  tokenRequest,
  tokenSegment,
} from './requests'

setUpFuzzing()

const budget = new Budget('GET /v1/downloads/{token}', { broken: 1 })

describe('fuzzing GET /v1/downloads/{token}', () => {
  it(
    'refuses broken, random and forged download tokens with a problem and writes nothing',
    async () => {
      const forged = await forgeDownloadTokens()
      const segment = tokenSegment(
        () => world.downloadToken,
        [fc.constantFrom(...forged), fc.constantFrom(...forged).chain((t) => brokenToken(() => t))],
      )
      await fuzzWithoutWrites(
        budget,
        'broken',
        tokenRequest((t) => `/v1/downloads/${t}`, segment, tokenMethod, noBody),
      )
    },
    TIMEOUT,
  )
})
