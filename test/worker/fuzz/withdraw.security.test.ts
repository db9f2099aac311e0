import fc from 'fast-check'
import { describe, it } from 'vitest'
import type { FuzzRequest } from '../arbitraries'
import { Budget, fuzzOneByOne, fuzzWithoutWrites, setUpFuzzing, TIMEOUT, world } from './harness'
import {
  anyWithdrawBody,
  clientIp,
  headers,
  refusedWithdrawBody,
  tokenRequest,
  tokenSegment,
} from './requests'

setUpFuzzing()

const budget = new Budget('POST /v1/consent/{token}/withdraw', {
  brokenToken: 7_500,
  badBody: 2_000,
  anyBody: 500,
})

const accept = fc.option(fc.constantFrom('text/html', 'application/json'), { nil: null })

/** A withdrawal with the real token and the body `body` gives. */
function withdrawal(body: fc.Arbitrary<{ type: string | null; body: string | undefined }>) {
  return fc.tuple(body, clientIp, accept).map(([body, ip, accept]): FuzzRequest => ({
    method: 'POST',
    path: `/v1/consent/${world.consentToken}/withdraw`,
    headers: {
      ...headers(null, body.type, ip, 'Mozilla/5.0 fuzz'),
      ...(accept === null ? {} : { accept }),
    },
    ...(body.body === undefined ? {} : { body: body.body }),
  }))
}

describe('fuzzing POST /v1/consent/{token}/withdraw', () => {
  it(
    'refuses withdrawals with a broken token or a bad JSON body and writes nothing, while consents are active',
    async () => {
      const method = fc.oneof(
        { arbitrary: fc.constant('POST'), weight: 9 },
        { arbitrary: fc.constantFrom('PUT', 'PATCH', 'DELETE'), weight: 1 },
      )
      const broken = tokenRequest(
        (t) => `/v1/consent/${t}/withdraw`,
        tokenSegment(() => world.consentToken),
        method,
        anyWithdrawBody,
      )
      await fuzzWithoutWrites(budget, 'brokenToken', broken)
      await fuzzWithoutWrites(budget, 'badBody', withdrawal(refusedWithdrawBody))
    },
    TIMEOUT,
  )

  it(
    'answers withdrawals with any body and content type without 5xx, and a refusal writes nothing',
    async () => {
      await fuzzOneByOne(budget, 'anyBody', withdrawal(anyWithdrawBody))
    },
    TIMEOUT,
  )
})
