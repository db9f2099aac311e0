import { describe, it } from 'vitest'
import { Budget, fuzzOneByOne, fuzzWithoutWrites, setUpFuzzing, TIMEOUT } from './harness'
import { LEAD_OBJECTS, LEAD_PATHS, LEAD_SPECS, LEAD_STRICT, postKinds, validLead } from './requests'

setUpFuzzing()

// Random JSON, raw bytes, foreign content types and origins are refused before a submission is
// read, so they must write nothing at all; a readable submission may be held as spam, and must
// then write exactly the spam rows its answers name.

/** Weights in payloads out of 10,000, the count CI sends. */
const budget = new Budget('POST /v1/leads', {
  randomJson: 1_500,
  raw: 1_500,
  contentType: 1_000,
  origin: 1_000,
  refused: 4_000,
  mutated: 1_000,
})

describe('fuzzing POST /v1/leads', () => {
  const kinds = () =>
    postKinds('/v1/leads', validLead, {
      specs: LEAD_SPECS,
      paths: LEAD_PATHS,
      objects: LEAD_OBJECTS,
      strict: LEAD_STRICT,
    })

  it(
    'refuses random JSON, raw bytes and truncated JSON with a problem and writes nothing',
    async () => {
      await fuzzWithoutWrites(budget, 'randomJson', kinds().randomJson)
      await fuzzWithoutWrites(budget, 'raw', kinds().raw)
    },
    TIMEOUT,
  )

  it(
    'refuses a valid submission with a foreign content type or origin and writes nothing, not even spam',
    async () => {
      await fuzzWithoutWrites(budget, 'contentType', kinds().contentType)
      await fuzzWithoutWrites(budget, 'origin', kinds().origin)
    },
    TIMEOUT,
  )

  it(
    'refuses a valid submission with one field of the wrong type, too long, with a control character, missing or extra, writing exactly the spam rows it holds',
    async () => {
      await fuzzWithoutWrites(budget, 'refused', kinds().refused, { spamHeld: true })
    },
    TIMEOUT,
  )

  it(
    'never answers 5xx to a submission with one field set to anything, and a refusal writes nothing but the spam row it holds',
    async () => {
      await fuzzOneByOne(budget, 'mutated', kinds().mutated, { spamHeld: true })
    },
    TIMEOUT,
  )
})
