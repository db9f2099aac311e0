import { describe, expect, it } from 'vitest'
import { call, expectProblem, rowCounts } from './helpers'

/** The benchmark's baseline route exists only where `BENCH_NOOP` is "on" (`npm run bench`). */
describe('POST /v1/noop', () => {
  it('answers 404 problem+json by default and writes nothing', async () => {
    const before = await rowCounts()
    const response = await call('/v1/noop', {
      method: 'POST',
      headers: { 'content-type': 'text/plain;charset=UTF-8' },
      body: JSON.stringify({ siteKey: 'bench', events: [] }),
    })
    await expectProblem(response, 404, 'not_found')
    expect(await rowCounts()).toEqual(before)
  })

  it('is not in the OpenAPI document', async () => {
    const document = (await (await call('/openapi.json')).json()) as {
      paths: Record<string, unknown>
    }
    expect(Object.keys(document.paths)).not.toContain('/v1/noop')
  })
})
