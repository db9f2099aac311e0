import { describe, it } from 'vitest'
import { Budget, fuzzOneByOne, fuzzWithoutWrites, setUpFuzzing, TIMEOUT } from './harness'
import {
  EVENT_OBJECTS,
  EVENT_PATHS,
  EVENT_SPECS,
  EVENT_STRICT,
  postKinds,
  validEvents,
} from './requests'

setUpFuzzing()

/** Weights in payloads out of 10,000, the count CI sends. */
const budget = new Budget('POST /v1/events', {
  randomJson: 1_500,
  raw: 1_500,
  contentType: 1_000,
  origin: 1_000,
  refused: 4_000,
  mutated: 1_000,
})

describe('fuzzing POST /v1/events', () => {
  const kinds = () =>
    postKinds('/v1/events', validEvents, {
      specs: EVENT_SPECS,
      paths: EVENT_PATHS,
      objects: EVENT_OBJECTS,
      strict: EVENT_STRICT,
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
    'refuses a valid batch with a foreign content type or origin and writes nothing',
    async () => {
      await fuzzWithoutWrites(budget, 'contentType', kinds().contentType)
      await fuzzWithoutWrites(budget, 'origin', kinds().origin)
    },
    TIMEOUT,
  )

  it(
    'refuses a valid batch with one field of the wrong type, too long, with a control character, missing or extra',
    async () => {
      await fuzzWithoutWrites(budget, 'refused', kinds().refused)
    },
    TIMEOUT,
  )

  it(
    'never answers 5xx to a batch with one field set to anything, and a refused batch writes nothing',
    async () => {
      await fuzzOneByOne(budget, 'mutated', kinds().mutated)
    },
    TIMEOUT,
  )
})
