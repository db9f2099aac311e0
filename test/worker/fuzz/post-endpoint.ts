import { describe, it } from 'vitest'
import { Budget, fuzzOneByOne, fuzzWithoutWrites, setUpFuzzing, TIMEOUT } from './harness'
import type { Path, PathSpec } from '../arbitraries'
import { postKinds } from './requests'

/**
 * The fuzzing of a public POST endpoint that takes one JSON body (events, leads): the same
 * six kinds of payload in the same shares, each file naming its endpoint, its valid body and
 * what it calls one (a batch, a submission). Where a refusal may be held as spam (`spamHeld`),
 * the spam rows it writes are checked against the answers; everywhere else a refusal writes
 * nothing at all.
 */
export function fuzzPostEndpoint(options: {
  path: string
  valid: () => Record<string, unknown>
  shape: { specs: PathSpec[]; paths: Path[]; objects: Path[]; strict: Path[] }
  noun: string
  spamHeld: boolean
}): void {
  const { path, valid, shape, noun, spamHeld } = options
  setUpFuzzing()

  /** Weights in payloads out of 10,000, the count CI sends. */
  const budget = new Budget(`POST ${path}`, {
    randomJson: 1_500,
    raw: 1_500,
    contentType: 1_000,
    origin: 1_000,
    refused: 4_000,
    mutated: 1_000,
  })
  const held = spamHeld ? { spamHeld: true } : undefined

  describe(`fuzzing POST ${path}`, () => {
    const kinds = () => postKinds(path, valid, shape)

    it(
      'refuses random JSON, raw bytes and truncated JSON with a problem and writes nothing',
      async () => {
        await fuzzWithoutWrites(budget, 'randomJson', kinds().randomJson)
        await fuzzWithoutWrites(budget, 'raw', kinds().raw)
      },
      TIMEOUT,
    )

    it(
      `refuses a valid ${noun} with a foreign content type or origin and writes nothing${spamHeld ? ', not even spam' : ''}`,
      async () => {
        await fuzzWithoutWrites(budget, 'contentType', kinds().contentType)
        await fuzzWithoutWrites(budget, 'origin', kinds().origin)
      },
      TIMEOUT,
    )

    it(
      `refuses a valid ${noun} with one field of the wrong type, too long, with a control character, missing or extra${spamHeld ? ', writing exactly the spam rows it holds' : ''}`,
      async () => {
        await fuzzWithoutWrites(budget, 'refused', kinds().refused, held)
      },
      TIMEOUT,
    )

    it(
      `never answers 5xx to a ${noun} with one field set to anything, and ${spamHeld ? 'a refusal writes nothing but the spam row it holds' : `a refused ${noun} writes nothing`}`,
      async () => {
        await fuzzOneByOne(budget, 'mutated', kinds().mutated, held)
      },
      TIMEOUT,
    )
  })
}
