import { describe, it } from 'vitest'
import { call, expectProblem } from './helpers'

describe('any path the API does not have', () => {
  it('answers an unknown path with a 404 problem', async () => {
    await expectProblem(await call('/v1/nothing-here'), 404, 'not_found')
  })
})
