import { createExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { createApp } from '../../worker/src/app'
import { BASE, expectProblem, rowCounts } from './helpers'

/** Switched on as `npm run bench` does; see noop.happy.test.ts. */
function callBenchNoop(init: RequestInit): Promise<Response> {
  const benchEnv = { ...env, BENCH_NOOP: 'on' } as unknown as Env
  return Promise.resolve(
    createApp().fetch(new Request(`${BASE}/v1/noop`, init), benchEnv, createExecutionContext()),
  )
}

describe('POST /v1/noop with BENCH_NOOP on, bad input', () => {
  it('refuses a body over the events limit with 413 problem+json, as the events route does', async () => {
    const before = await rowCounts()
    const response = await callBenchNoop({
      method: 'POST',
      headers: { 'content-type': 'text/plain;charset=UTF-8' },
      body: 'x'.repeat(256 * 1024 + 1),
    })
    await expectProblem(response, 413, 'body_too_large')
    expect(await rowCounts()).toEqual(before)
  })
})
