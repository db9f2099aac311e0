import fc from 'fast-check'
import { describe, it } from 'vitest'
import { headerValue, queryString } from '../arbitraries'
import { Budget, fuzzWithoutWrites, setUpFuzzing, TIMEOUT, world } from './harness'
import {
  clientIp,
  headers,
  noBody,
  tokenMethod,
  tokenRequest,
  tokenSegment,
  userAgent,
} from './requests'

setUpFuzzing()

const budget = new Budget('GET and HEAD /v1/optin/{token}', { broken: 3, scanner: 1 })

describe('fuzzing GET and HEAD /v1/optin/{token}', () => {
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

  // What a mail scanner sends: GET or HEAD on the real link, any query, any Accept. Opening
  // the link shows the button (or `{confirmed: false}`); only its POST confirms
  // (docs/consent-and-privacy.md#double-opt-in), so none of these may write.
  it(
    'answers GET and HEAD on the real opt-in link without confirming: no write, never a 5xx',
    async () => {
      const requests = fc
        .record({
          method: fc.constantFrom('GET', 'HEAD'),
          query: fc.oneof(
            { arbitrary: fc.constant(''), weight: 3 },
            { arbitrary: queryString, weight: 1 },
          ),
          accept: fc.option(
            fc.oneof(fc.constantFrom('text/html', 'application/json', '*/*'), headerValue),
            { nil: null },
          ),
          language: fc.option(fc.oneof(fc.constantFrom('de', 'en-GB,en;q=0.8'), headerValue), {
            nil: null,
          }),
          ip: clientIp,
          agent: userAgent,
        })
        .map(({ method, query, accept, language, ip, agent }) => ({
          method,
          path: `/v1/optin/${world.optinToken}${query}`,
          headers: {
            ...headers(null, null, ip, agent),
            ...(accept === null ? {} : { accept }),
            ...(language === null ? {} : { 'accept-language': language }),
          },
        }))
      await fuzzWithoutWrites(budget, 'scanner', requests, { mayAccept: true })
    },
    TIMEOUT,
  )
})
